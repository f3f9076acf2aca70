"""Reads: a person's inbox and unread count, the dead-letter list for administrators."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.core import clock
from yiwang.notifications.models import Delivery, DeliveryStatus, Notification


def inbox(user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user).order_by("-id")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_dict(n: Notification) -> dict:
    return {"id": n.pk, "event": n.event_name, "title": n.title, "body": n.body, "case_number": n.case_number,
            "read": n.read_at is not None, "created_at": clock.iso(n.created_at), "link": n.link}


def dead_letters(channel: str = "", event: str = "") -> QuerySet[Delivery]:
    qs = Delivery.objects.filter(status=DeliveryStatus.DEAD).order_by("-dead_at", "-id")
    if channel:
        qs = qs.filter(channel=channel)
    if event:
        qs = qs.filter(event_name=event)
    return qs
