"""Notifications API: the caller's inbox and marking messages read."""

from __future__ import annotations

from ninja import Router

from yiwang.accounts.apiauth import api_auth
from yiwang.core.api import paginate
from yiwang.notifications import queries, services
from yiwang.notifications.models import Notification

router = Router(tags=["notifications"])


@router.get("/notifications", auth=api_auth, summary="我的消息（站内信），最新在前")
def my_notifications(request, page: int = 1, page_size: int = 20, unread: bool = False):
    body = paginate(queries.inbox(request.auth, unread_only=unread), page, page_size, queries.notification_dict)
    body["unread"] = queries.unread_count(request.auth)
    return body


@router.post("/notifications/{notification_id}/read", auth=api_auth, summary="标记为已读")
def mark_read(request, notification_id: int):
    from django.http import Http404

    try:
        n = services.mark_read(request.auth, notification_id)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc
    return {**queries.notification_dict(n), "unread": queries.unread_count(request.auth)}


@router.post("/notifications/read-all", auth=api_auth, summary="全部标记为已读")
def mark_all_read(request):
    return {"marked": services.mark_all_read(request.auth), "unread": 0}
