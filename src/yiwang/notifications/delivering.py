"""Delivery attempts with leases, backoff and dead letters (django-tasks only runs the task).

- ``enqueue``: queue a send task for a pending delivery (``queued_at`` records when).
- ``attempt``: the task. It leases the delivery with a conditional UPDATE, so two tasks for the same
  delivery (a re-enqueue after a crash, two workers) never send it twice at the same time; the
  stable id (Message-ID / out-id) was fixed when the row was written.
- ``requeue_due`` (periodic): queue again what is due after backoff, what a crashed worker held
  (lease expired) and what was queued but never run.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext

from yiwang.accounts.services.validation import PHONE_RE
from yiwang.core import audit, clock, retry
from yiwang.core.worker import process_worker_id
from yiwang.notifications.channels import SENDERS, Sent
from yiwang.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from yiwang.notifications.quiet import quiet_until

log = logging.getLogger("yiwang.notifications")


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.YIWANG_WORKER_LEASE_SECONDS)


def enqueue(d: Delivery) -> None:
    from yiwang.notifications.tasks import send_delivery

    send_delivery.enqueue(d.pk)


def attempt(delivery_id: int, worker_id: str | None = None) -> str:
    """One attempt at sending; returns what happened (for the task result and the tests)."""
    worker_id = worker_id or process_worker_id()
    now = clock.now()
    won = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).exclude(channel=Channel.INAPP).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    ).filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).update(
        lease_until=now + _lease(), leased_by=worker_id, attempts=F("attempts") + 1, next_attempt_at=None
    )
    if not won:
        return "skipped"
    try:
        d = Delivery.objects.select_related("user__notification_settings").get(pk=delivery_id)
    except Exception as exc:  # e.g. the stored address cannot be decrypted: record it, don't loop
        Delivery.objects.filter(pk=delivery_id, leased_by=worker_id, status=DeliveryStatus.PENDING).update(
            lease_until=None, status=DeliveryStatus.DEAD, dead_at=clock.now(),
            last_error=f"无法读取投递记录：{type(exc).__name__}: {exc}"[:2000])
        log.exception("投递 %s 无法读取，转入死信", delivery_id)
        return "dead"
    if retry.exhausted(d.attempts - 1):
        # Earlier attempts never reported back (the worker died mid-send each time): stop here.
        _finish(d, worker_id, status=DeliveryStatus.DEAD, dead_at=now,
                last_error=d.last_error or "多次发送中断（工作进程在发送过程中退出），已停止重试")
        return "dead"
    if d.channel == Channel.SMS:
        personal = getattr(d.user, "notification_settings", None)
        wait = quiet_until(now, personal)
        if wait:  # quiet hours began after it was queued: not an attempt, just later
            _finish(d, worker_id, attempts=F("attempts") - 1, next_attempt_at=wait, queued_at=None)
            return "quiet"
    try:
        result = SENDERS[d.channel](d)
    except Exception as exc:  # a bug or an unclassified failure in a sender: retry, then dead letter
        log.exception("投递 %s 发送异常", d.pk)
        result = Sent(False, error=f"发送异常：{type(exc).__name__}: {exc}"[:2000], retryable=True)
    done = clock.now()
    if result.ok:
        _finish(d, worker_id, status=DeliveryStatus.SENT, sent_at=done,
                provider_message_id=result.provider_message_id[:200], last_error="")
        return "sent"
    if result.retryable and not retry.exhausted(d.attempts):
        _finish(d, worker_id, last_error=result.error, next_attempt_at=retry.next_attempt(done, d.attempts),
                queued_at=None)
        log.warning("投递 %s 第 %s 次失败，稍后重试：%s", d.pk, d.attempts, result.error)
        return "retry"
    _finish(d, worker_id, status=DeliveryStatus.DEAD, dead_at=done, last_error=result.error)
    log.error("投递 %s 转入死信：%s", d.pk, result.error)
    return "dead"


def _finish(d: Delivery, worker_id: str, **fields) -> None:
    Delivery.objects.filter(pk=d.pk, leased_by=worker_id, status=DeliveryStatus.PENDING).update(
        lease_until=None, **fields)


def requeue_due(limit: int = 1000) -> int:
    """Queue a send task for every delivery that should be tried now and has no live task."""
    now = clock.now()
    stale = now - _lease()
    due = (Delivery.objects.filter(status=DeliveryStatus.PENDING).exclude(channel=Channel.INAPP)
           .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
           .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, queued_at__lt=stale)
                   | Q(next_attempt_at__isnull=True, queued_at__isnull=True)))
    count = 0
    for pk in due.order_by("id").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            if Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(queued_at=now, next_attempt_at=None):
                from yiwang.notifications.tasks import send_delivery

                send_delivery.enqueue(pk)
                count += 1
    return count


def _checked_recipient(channel: str, recipient: str) -> str:
    """A corrected address typed by the admin must be valid for the channel (in-app has none)."""
    recipient = (recipient or "").strip()
    if not recipient or channel == Channel.INAPP:
        return ""
    if channel == Channel.SMS and not PHONE_RE.match(recipient):
        raise ValueError(gettext("新的接收地址不是有效的手机号码。"))
    if channel == Channel.EMAIL:
        try:
            validate_email(recipient)
        except ValidationError:
            raise ValueError(gettext("新的接收地址不是有效的邮箱地址。")) from None
    return recipient


def resend(dead: Delivery, actor, recipient: str = "") -> Delivery:
    """An admin sends a dead letter again (optionally to a corrected address): a new delivery."""
    from yiwang.notifications import render
    from yiwang.notifications.fanout import masked

    with transaction.atomic():
        dead = Delivery.objects.select_for_update().get(pk=dead.pk)
        if dead.status != DeliveryStatus.DEAD:
            raise ValueError(gettext("只能重新发送死信。"))
        recipient = _checked_recipient(dead.channel, recipient)
        new = Delivery(event_id=None, event_name=dead.event_name, user_id=dead.user_id, channel=dead.channel,
                       recipient=recipient or dead.recipient, language=dead.language, context=dead.context,
                       case_id=dead.case_id, case_number=dead.case_number, resent_from=dead)
        new.recipient_masked = masked(new.channel, new.recipient)
        now = clock.now()
        if new.channel == Channel.INAPP:
            try:
                title = render.render(new.event_name, "title", new.context, new.language)
                body = render.render(new.event_name, "body", new.context, new.language)
            except Exception as exc:  # still broken: tell the admin instead of failing the page
                raise ValueError(gettext("模板仍无法渲染，未重新发送：%(error)s")
                                 % {"error": f"{type(exc).__name__}: {exc}"[:500]}) from exc
            new.status, new.sent_at, new.attempts = DeliveryStatus.SENT, now, 1
            new.save()
            Notification.objects.create(user_id=new.user_id, delivery=new, event_name=new.event_name, title=title[:200],
                                        body=body, case_id=new.case_id, case_number=new.case_number,
                                        link=new.context.get("link", ""))
        else:
            new.queued_at = now
            new.save()
            enqueue(new)
        Delivery.objects.filter(pk=dead.pk).update(status=DeliveryStatus.RESENT)
        audit.record("notification.resent", actor=actor, obj=new,
                     summary=f"重新发送死信 #{dead.pk}（{dead.event_name}，{dead.get_channel_display()}）")
    return new
