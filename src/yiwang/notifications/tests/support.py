"""Builders shared by the notifications tests: draining the worker, contacts, accepted cases."""

from __future__ import annotations

from yiwang.accounts.tokens import issue_token
from yiwang.cases import handling
from yiwang.cases.tests.helpers import open_item, submitted_case
from yiwang.catalog.tests import factories
from yiwang.core.worker import Worker


def drain(worker_id: str = "test-worker") -> int:
    """Run an in-process worker until nothing is left (dispatch, tasks, scheduler)."""
    return Worker(worker_id).run_until_idle()


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[0]}"}


def contacts(user, email: str = "", phone: str = "", verified: bool = True):
    user.email, user.email_verified, user.phone = email, bool(email) and verified, phone
    user.save()
    return user


def item(world, name: str = "食品小作坊登记"):
    return factories.item(name, department_obj=world["market"])


def accepted_case(world, item_obj=None):
    """A case the window clerk has accepted (an open 承办 work item, a due date)."""
    case = submitted_case(world, item_obj or item(world))
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    case.refresh_from_db()
    return case


def note(user, title: str = "消息", *, event: str = "case.accepted", case_number: str = "", link: str = "",
         read: bool = False):
    """An in-app message written directly (with its delivery record), for inbox and API tests."""
    from yiwang.core import clock
    from yiwang.notifications.models import Channel, Delivery, DeliveryStatus, Notification

    d = Delivery.objects.create(event_name=event, user=user, channel=Channel.INAPP, status=DeliveryStatus.SENT,
                                attempts=1, sent_at=clock.now(), case_number=case_number)
    return Notification.objects.create(user=user, delivery=d, event_name=event, title=title, body=f"{title}正文",
                                       case_number=case_number, link=link, read_at=clock.now() if read else None)


def second_citizen(world, username: str = "li", **contact):
    """Another applicant in the same world (same staff), so two cases can share a batch."""
    from yiwang.accounts.models import User

    other = User.objects.create_user(username=username, password="x", name="李四", level=2)
    if contact:
        contacts(other, **contact)
    return {**world, "citizen": other}


def shift_clock(monkeypatch, seconds: float) -> None:
    """Move the platform clock (``core.clock.now``) forward by ``seconds`` from the real time."""
    import datetime as dt

    from django.utils import timezone

    from yiwang.core import clock

    monkeypatch.setattr(clock, "now", lambda: timezone.now() + dt.timedelta(seconds=seconds))


SMS_CODES = {"case.accepted": ("number", "due_date"), "case.correction_requested": ("number", "reply_by"),
             "case.completed": ("number", "result"), "case.refused": ("number",)}


def use_aliyun(settings, double) -> None:
    """Point the SMS channel at the 阿里云短信 adapter talking to ``double``."""
    from yiwang.notifications.rules import SMS_TEMPLATES

    for event, names in SMS_CODES.items():
        double.templates[SMS_TEMPLATES[event]["code"]] = names
    settings.YIWANG_SMS_PROVIDER = "yiwang.accounts.sms_aliyun.AliyunSmsProvider"
    settings.YIWANG_SMS_ALIYUN_ENDPOINT = double.url
    settings.YIWANG_SMS_ALIYUN_ACCESS_KEY_ID = double.access_key_id
    settings.YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET = double.access_key_secret
    settings.YIWANG_SMS_ALIYUN_TEMPLATES = {}
    settings.YIWANG_SMS_TIMEOUT_SECONDS = 3
    settings.YIWANG_SMS_SIGN_NAME = "一网通办"
