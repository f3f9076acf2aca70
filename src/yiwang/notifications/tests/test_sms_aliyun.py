"""SMS through the real 阿里云短信 adapter (``YIWANG_SMS_PROVIDER`` = AliyunSmsProvider) against its
signature-checking test double: the registered template code, its parameters, the 签名 and our
stable out-id (the delivery's uid, fixed before sending) reach the provider."""

import datetime as dt

import pytest
from django.utils import formats, translation

from yiwang.cases import handling
from yiwang.cases.tests.helpers import open_item
from yiwang.core import clock
from yiwang.notifications.models import Channel, Delivery, DeliveryStatus, NotificationSettings
from yiwang.notifications.rules import SMS_TEMPLATES
from yiwang.notifications.tests.support import accepted_case, contacts, drain, shift_clock, use_aliyun
from yiwang.testing.aliyun_sms_double import AliyunSmsDouble


@pytest.fixture
def aliyun(settings):
    with AliyunSmsDouble(sign_names=("一网通办", "兖州政务")) as double:
        use_aliyun(settings, double)
        yield double


@pytest.mark.django_db
def test_case_accepted_sms_reaches_the_provider(world, aliyun):
    me = contacts(world["citizen"], phone="13800138000")
    case = accepted_case(world)
    drain()
    d = Delivery.objects.get(user=me, event_name="case.accepted", channel=Channel.SMS)
    assert d.status == DeliveryStatus.SENT and d.attempts == 1, d.last_error
    (sms,) = aliyun.accepted
    assert sms.phone == "13800138000"
    assert sms.template == SMS_TEMPLATES["case.accepted"]["code"] == "SMS_YIWANG_ACCEPTED"
    with translation.override("zh-hans"):
        due_text = formats.date_format(case.due_date)
    assert sms.params == {"number": case.number, "due_date": due_text}
    assert sms.sign_name == "一网通办"
    assert sms.out_id == str(d.uid)
    assert d.provider_message_id == sms.biz_id
    assert d.recipient_masked == "138****8000"
    (request,) = aliyun.requests
    assert request["method"] == "POST" and request["code"] == "OK"  # signed correctly, or it would be refused


@pytest.mark.django_db
def test_template_codes_sign_name_and_language_come_from_settings(world, aliyun, settings):
    settings.YIWANG_SMS_TEMPLATES = {"case.accepted": {"code": "SMS_280001", "params": ["number"]}}
    settings.YIWANG_SMS_SIGN_NAME = "兖州政务"
    aliyun.templates["SMS_280001"] = ("number",)
    me = contacts(world["citizen"], phone="13800138000")
    NotificationSettings.objects.create(user=me, language="en")
    case = accepted_case(world)
    drain()
    (sms,) = aliyun.accepted
    assert (sms.template, sms.params, sms.sign_name) == ("SMS_280001", {"number": case.number}, "兖州政务")
    d = Delivery.objects.get(user=me, channel=Channel.SMS)
    assert d.language == "en" and sms.out_id == str(d.uid)


@pytest.mark.django_db
def test_correction_and_completion_params(world, aliyun):
    me = contacts(world["citizen"], phone="13800138000")
    from yiwang.cases.tests.helpers import submitted_case
    from yiwang.notifications.tests.support import item

    case = submitted_case(world, item(world))
    handling.act(world["clerk"], open_item(case, "accept"), "request_correction", {"missing": ["M01"]})
    drain()
    (sms,) = aliyun.accepted
    assert sms.template == "SMS_YIWANG_CORRECTION" and sms.params["number"] == case.number
    assert set(sms.params) == {"number", "reply_by"}
    d = Delivery.objects.get(user=me, event_name="case.correction_requested", channel=Channel.SMS)
    assert sms.out_id == str(d.uid)


@pytest.mark.django_db
def test_quiet_hours_hold_the_sms_until_they_end(world, aliyun, monkeypatch):
    me = contacts(world["citizen"], phone="13800138000")
    local = clock.now().astimezone(clock.SHANGHAI)
    start = (local - dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (local + dt.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    NotificationSettings.objects.create(user=me, quiet_start=start, quiet_end=end)
    accepted_case(world)
    drain()
    d = Delivery.objects.get(user=me, event_name="case.accepted", channel=Channel.SMS)
    assert d.status == DeliveryStatus.PENDING and d.attempts == 0 and aliyun.accepted == []
    assert d.next_attempt_at.astimezone(clock.SHANGHAI).time() == end
    # in-app and e-mail are not held back
    assert Delivery.objects.get(user=me, event_name="case.accepted", channel=Channel.INAPP).status == "sent"
    shift_clock(monkeypatch, (d.next_attempt_at - clock.now()).total_seconds() + 30)
    drain()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.attempts == 1
    assert [a.out_id for a in aliyun.accepted] == [str(d.uid)]


@pytest.mark.django_db
def test_the_same_uid_is_sent_on_every_attempt(world, aliyun, settings, monkeypatch):
    """A retry carries the same out-id, so a duplicate at the provider can be recognised."""
    settings.YIWANG_RETRY_BASE_SECONDS = 5
    aliyun.fail_next(1, "Throttling.User", status=400)
    me = contacts(world["citizen"], phone="13800138000")
    accepted_case(world)
    drain()
    shift_clock(monkeypatch, 20)  # past the backoff and the next round of the periodic retry job
    drain()
    d = Delivery.objects.get(user=me, event_name="case.accepted", channel=Channel.SMS)
    assert d.status == DeliveryStatus.SENT and d.attempts == 2
    out_ids = [r["params"].get("OutId") for r in aliyun.requests]
    assert out_ids == [str(d.uid), str(d.uid)]


@pytest.mark.django_db
def test_password_change_warning_on_every_channel(world, aliyun, mailoutbox):
    from yiwang.core.events import emit
    from yiwang.notifications.models import Notification

    me = contacts(world["citizen"], email="zhang@example.cn", phone="13800138000")
    aliyun.templates["SMS_YIWANG_PASSWORD"] = ("time",)
    event = emit("account.password_changed", {"user_id": me.pk})
    drain()
    n = Notification.objects.get(user=me, event_name="account.password_changed")
    assert n.link == "/accounts/profile/" or n.link.endswith("/profile/")
    (sms,) = aliyun.accepted
    event.refresh_from_db()
    when = event.created_at.astimezone(clock.SHANGHAI)
    assert sms.template == "SMS_YIWANG_PASSWORD" and f"{when:%H:%M}" in sms.params["time"]
    assert [m.to for m in mailoutbox] == [["zhang@example.cn"]]
    assert {d.status for d in Delivery.objects.filter(user=me)} == {DeliveryStatus.SENT}
