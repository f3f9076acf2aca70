"""Writes a person makes: marking messages read, choosing channels and quiet hours."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from yiwang.core import audit, clock
from yiwang.notifications.models import Channel, ChannelPreference, Notification, NotificationSettings
from yiwang.notifications.rules import RULES, sms_template


def mark_read(user, notification_id: int) -> Notification:
    """Mark one of the user's own messages read (someone else's is 'not found', never revealed)."""
    n = Notification.objects.get(pk=notification_id, user=user)
    if n.read_at is None:
        n.read_at = clock.now()
        Notification.objects.filter(pk=n.pk, read_at__isnull=True).update(read_at=n.read_at)
    return n


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())


def save_preferences(user, enabled: dict[tuple[str, str], bool], quiet_start: dt.time | None,
                     quiet_end: dt.time | None, language: str) -> None:
    """Store the choices that differ from the defaults (in-app cannot be switched off)."""
    with transaction.atomic():
        ChannelPreference.objects.filter(user=user).delete()
        ChannelPreference.objects.bulk_create([
            ChannelPreference(user=user, event_name=event, channel=channel, enabled=on)
            for (event, channel), on in enabled.items()
            if event in RULES and channel in (Channel.EMAIL, Channel.SMS) and on != RULES[event].default_for(channel)
        ])
        NotificationSettings.objects.update_or_create(
            user=user, defaults={"quiet_start": quiet_start, "quiet_end": quiet_end, "language": language})
        audit.record("notification.preferences_changed", actor=user, obj=user, summary="修改消息通知设置",
                     data={"quiet": f"{quiet_start or ''}-{quiet_end or ''}", "language": language,
                           "off": sorted(f"{e}:{c}" for (e, c), on in enabled.items() if not on)})


def preference_rows(user) -> list[dict]:
    """For the settings page: each event the user can hear of, with the current choice per channel."""
    saved = {(p.event_name, p.channel): p.enabled for p in ChannelPreference.objects.filter(user=user)}
    return [{"event": r.event, "label": r.label, "audience": r.audience,
             "email": saved.get((r.event, Channel.EMAIL), r.default_for(Channel.EMAIL)),
             "sms": saved.get((r.event, Channel.SMS), r.default_for(Channel.SMS)),
             "sms_available": bool(sms_template(r.event))}
            for r in RULES.values()]
