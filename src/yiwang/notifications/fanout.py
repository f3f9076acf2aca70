"""Write the messages for a batch of intents: one delivery record per person and channel, the
in-app message in the same transaction as its record (so exactly once), and a send task for each
e-mail and SMS. Channel choice: in-app always; e-mail to a verified address; SMS to the phone on
record — each unless the person switched it off for this event; SMS waits out quiet hours."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model

from yiwang.core import clock
from yiwang.core.masking import mask_email, mask_phone
from yiwang.notifications import render
from yiwang.notifications.models import (
    Channel,
    ChannelPreference,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationSettings,
)
from yiwang.notifications.quiet import quiet_until
from yiwang.notifications.recipients import Intent
from yiwang.notifications.rules import RULES, sms_template

log = logging.getLogger("yiwang.notifications")


def _channels(intent: Intent, user, prefs: dict) -> list[str]:
    rule = RULES[intent.event.name]
    chosen = [Channel.INAPP]
    for channel in (Channel.EMAIL, Channel.SMS):
        if channel == Channel.SMS and not sms_template(intent.event.name):
            continue  # providers send registered templates only: without one it could never go out
        if prefs.get((user.pk, intent.event.name, channel), rule.default_for(channel)):
            chosen.append(channel)
    return chosen


def masked(channel: str, address: str) -> str:
    """The address as the delivery log shows it, cut to fit its column: a long (valid) e-mail
    address must not fail the whole batch's insert."""
    if channel == Channel.EMAIL:  # mask_email leaves a value without "@" as it is; this one is shown
        text = mask_email(address) if "@" in address else mask_phone(address)
    else:
        text = mask_phone(address) if channel == Channel.SMS else ""
    limit = Delivery._meta.get_field("recipient_masked").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _address(user, channel: str) -> tuple[str, str]:
    if channel == Channel.EMAIL:
        return (user.email, masked(channel, user.email)) if user.email and user.email_verified else ("", "")
    if channel == Channel.SMS:
        return (user.phone, masked(channel, user.phone)) if user.phone else ("", "")
    return "", ""


def write(intents: list[Intent]) -> list[Delivery]:
    """Create the deliveries (and in-app messages) for ``intents``; returns those still to be sent."""
    if not intents:
        return []
    user_ids = {i.user_id for i in intents}
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).only(
        "id", "email", "email_verified", "phone").in_bulk()
    lang = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)}
    prefs = {(p.user_id, p.event_name, p.channel): p.enabled for p in ChannelPreference.objects.filter(
        user_id__in=user_ids, event_name__in={i.event.name for i in intents})}
    now = clock.now()
    deliveries: list[Delivery] = []
    inapp_text: dict[int, tuple[str, str]] = {}
    for intent in intents:
        user = users.get(intent.user_id)
        if user is None:
            continue
        personal = lang.get(user.pk)
        language = personal.language if personal else settings.LANGUAGE_CODE
        for channel in _channels(intent, user, prefs):
            d = Delivery(event_id=intent.event.pk, event_name=intent.event.name, user_id=user.pk, channel=channel,
                         language=language, context=intent.context, case_id=intent.case_id,
                         case_number=intent.case_number)
            if channel == Channel.INAPP:
                try:
                    inapp_text[len(deliveries)] = (render.render(d.event_name, "title", d.context, language),
                                                   render.render(d.event_name, "body", d.context, language))
                    d.status, d.sent_at, d.attempts = DeliveryStatus.SENT, now, 1
                except Exception as exc:  # a broken template: a dead letter, the rest flows on
                    log.exception("站内信模板渲染失败：%s", d.event_name)
                    d.status, d.dead_at, d.attempts = DeliveryStatus.DEAD, now, 1
                    d.last_error = f"模板渲染失败：{exc}"[:2000]
            else:
                d.recipient, d.recipient_masked = _address(user, channel)
                if not d.recipient:
                    continue
                d.queued_at = now
                if channel == Channel.SMS:
                    wait = quiet_until(now, personal)
                    if wait:
                        d.next_attempt_at, d.queued_at = wait, None
            deliveries.append(d)
    Delivery.objects.bulk_create(deliveries)
    Notification.objects.bulk_create([
        Notification(user_id=d.user_id, delivery=d, event_name=d.event_name, title=title[:200], body=body,
                     case_id=d.case_id, case_number=d.case_number, link=d.context.get("link", ""))
        for index, d in enumerate(deliveries) if (text := inapp_text.get(index)) for title, body in [text]
    ])
    return [d for d in deliveries if d.channel != Channel.INAPP and d.queued_at]

