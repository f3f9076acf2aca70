"""Bad input (issue 6): a template that fails to render, an invalid phone number or e-mail address,
a provider's error reply — the message becomes a dead letter with the reason (or, when trying again
can help, waits with backoff) and the other messages of the same batch are delivered."""

import datetime as dt

import pytest

from yiwang.accounts.models import DevSmsMessage
from yiwang.cases import handling
from yiwang.cases.tests.helpers import open_item, submitted_case
from yiwang.core import clock
from yiwang.core.models import OutboxEvent
from yiwang.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from yiwang.notifications.tests.support import (
    accepted_case,
    contacts,
    drain,
    item,
    second_citizen,
    shift_clock,
    use_aliyun,
)
from yiwang.testing.aliyun_sms_double import AliyunSmsDouble


def _templates(settings, tmp_path, files: dict[str, str]) -> None:
    """Put ``files`` (``notifications/<event>/<part>.txt`` → text) in front of the app templates."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    engine = {**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}
    settings.TEMPLATES = [engine]


def _outbox_clean():
    events = OutboxEvent.objects.all()
    assert all(e.dispatched_at is not None and e.dead_at is None for e in events), [
        (e.name, e.last_error) for e in events if e.dispatched_at is None]


def _only(user, event, channel) -> Delivery:
    return Delivery.objects.get(user=user, event_name=event, channel=channel)


# --- templates -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_broken_email_template_is_a_dead_letter_and_the_rest_flows(settings, tmp_path, world, mailoutbox):
    _templates(settings, tmp_path, {"notifications/case.submitted/email.txt": "{% if %}坏模板{% endif %}"})
    me = contacts(world["citizen"], email="zhang@example.cn")
    case = submitted_case(world, item(world))
    drain()
    mail = _only(me, "case.submitted", Channel.EMAIL)
    assert mail.status == DeliveryStatus.DEAD and mail.attempts == 1 and mail.dead_at
    assert mail.last_error.startswith("模板渲染失败：TemplateSyntaxError")
    assert mailoutbox == []
    # the in-app receipt of the same event and the clerk's new work item went out all the same
    assert Notification.objects.get(user=me, event_name="case.submitted").case_number == case.number
    assert Notification.objects.filter(user=world["clerk"], event_name="workitem.created").exists()
    _outbox_clean()
    # accepted next: its e-mail is fine
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    drain()
    assert _only(me, "case.accepted", Channel.EMAIL).status == DeliveryStatus.SENT
    assert [m.subject for m in mailoutbox] == [f"已受理：{case.number}"]


@pytest.mark.django_db
def test_template_failing_for_one_case_only_spares_the_others(settings, tmp_path, world, mailoutbox):
    me = contacts(world["citizen"], email="zhang@example.cn")
    other = second_citizen(world, email="li@example.cn")
    first = submitted_case(world, item(world))
    second = submitted_case(other, item(world, "另一事项"))
    _templates(settings, tmp_path, {"notifications/case.submitted/email.txt":
                                    f'{{% if number == "{first.number}" %}}{{% url "no-such-page" %}}{{% endif %}}'
                                    "申报回执 {{ number }}"})
    drain()
    broken = _only(me, "case.submitted", Channel.EMAIL)
    assert broken.status == DeliveryStatus.DEAD and "NoReverseMatch" in broken.last_error
    assert _only(other["citizen"], "case.submitted", Channel.EMAIL).status == DeliveryStatus.SENT
    assert [(m.to, m.body.strip()) for m in mailoutbox] == [(["li@example.cn"], f"申报回执 {second.number}")]
    _outbox_clean()


@pytest.mark.django_db
def test_broken_inapp_template_is_a_dead_letter_and_the_event_is_not_retried(settings, tmp_path, world, mailoutbox):
    _templates(settings, tmp_path, {"notifications/case.submitted/title.txt": "{% load no_such_library %}"})
    me = contacts(world["citizen"], email="zhang@example.cn")
    submitted_case(world, item(world))
    drain()
    inapp = _only(me, "case.submitted", Channel.INAPP)
    assert inapp.status == DeliveryStatus.DEAD and inapp.last_error.startswith("模板渲染失败")
    assert not Notification.objects.filter(user=me).exists()
    # the title is the e-mail's subject too: that one is dead for the same reason, nothing was sent
    mail = _only(me, "case.submitted", Channel.EMAIL)
    assert mail.status == DeliveryStatus.DEAD and "no_such_library" in mail.last_error and mailoutbox == []
    assert Notification.objects.filter(user=world["clerk"], event_name="workitem.created").exists()
    _outbox_clean()  # a broken template is not a dispatcher failure: the event is not tried again


@pytest.mark.django_db
def test_broken_sms_template_is_a_dead_letter(settings, tmp_path, world):
    _templates(settings, tmp_path, {"notifications/case.accepted/body.txt": "{{ number|no_such_filter }}"})
    me = contacts(world["citizen"], phone="13800138000")
    accepted_case(world)
    drain()
    sms = _only(me, "case.accepted", Channel.SMS)
    assert sms.status == DeliveryStatus.DEAD and "模板渲染失败" in sms.last_error
    assert not DevSmsMessage.objects.exists()
    _outbox_clean()


@pytest.mark.django_db
def test_resending_while_the_template_is_still_broken_is_refused_not_500(settings, tmp_path, client, world):
    from yiwang.catalog.tests import factories

    d = Delivery.objects.create(event_name="case.accepted", user=world["citizen"], channel=Channel.INAPP,
                                status=DeliveryStatus.DEAD, dead_at=clock.now(), last_error="模板渲染失败",
                                context={"number": "YW-1"})
    _templates(settings, tmp_path, {"notifications/case.accepted/title.txt": "{% if %}"})
    client.force_login(factories.platform_admin())
    resp = client.post(f"/workbench/dead-letters/{d.pk}/", {"confirm": "on"})
    assert resp.status_code == 200 and "模板仍无法渲染" in resp.content.decode()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DEAD and not Delivery.objects.filter(resent_from=d).exists()


# --- addresses -------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("address", ["not-an-address", "zhang@", "zhang@example.cn\nBcc: x@example.cn"])
def test_invalid_email_address(world, mailoutbox, address):
    me = contacts(world["citizen"], email=address)
    other = second_citizen(world, email="li@example.cn")
    submitted_case(world, item(world))
    submitted_case(other, item(world, "另一事项"))
    drain()
    bad = _only(me, "case.submitted", Channel.EMAIL)
    assert bad.status == DeliveryStatus.DEAD and bad.last_error == "邮箱地址无效" and bad.attempts == 1
    assert bad.recipient_masked and bad.recipient_masked != address  # shown masked on the dead-letter list
    assert _only(other["citizen"], "case.submitted", Channel.EMAIL).status == DeliveryStatus.SENT
    assert [m.to for m in mailoutbox] == [["li@example.cn"]]
    assert Notification.objects.filter(user=me, event_name="case.submitted").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("phone", ["12345", "23800138000", "1380013800a"])
def test_invalid_phone_number(world, phone):
    me = contacts(world["citizen"], phone=phone)
    other = second_citizen(world, phone="13900139000")
    accepted_case(world)
    accepted_case(other, item(world, "另一事项"))
    drain()
    bad = _only(me, "case.accepted", Channel.SMS)
    assert bad.status == DeliveryStatus.DEAD and bad.last_error == "手机号无效" and bad.attempts == 1
    assert phone not in bad.recipient_masked or len(phone) < 7
    assert _only(other["citizen"], "case.accepted", Channel.SMS).status == DeliveryStatus.SENT
    assert [m.phone for m in DevSmsMessage.objects.all()] == ["13900139000"]


# --- provider replies (阿里云短信 adapter against its signature-checking double) ---------------------

@pytest.fixture
def aliyun(settings):
    with AliyunSmsDouble() as double:
        use_aliyun(settings, double)
        yield double


def _two_accepted_sms(world):
    me = contacts(world["citizen"], phone="13800138000")
    other = second_citizen(world, phone="13900139000")
    accepted_case(world)
    accepted_case(other, item(world, "另一事项"))
    return Delivery.objects.filter(event_name="case.accepted", channel=Channel.SMS, user__in=[me, other["citizen"]])


@pytest.mark.django_db
def test_permanent_provider_error_is_a_dead_letter(world, aliyun):
    aliyun.fail_next(1, "isv.AMOUNT_NOT_ENOUGH")
    deliveries = _two_accepted_sms(world)
    drain()
    by_status = {d.status: d for d in deliveries}
    assert set(by_status) == {DeliveryStatus.DEAD, DeliveryStatus.SENT}
    dead = by_status[DeliveryStatus.DEAD]
    assert dead.attempts == 1 and dead.last_error.startswith("[isv.AMOUNT_NOT_ENOUGH] 阿里云账户余额不足")
    sent = by_status[DeliveryStatus.SENT]
    assert [a.out_id for a in aliyun.accepted] == [str(sent.uid)]
    assert sent.provider_message_id == aliyun.accepted[0].biz_id


@pytest.mark.django_db
def test_rate_limit_reply_is_retried_with_backoff(world, aliyun, settings, monkeypatch):
    settings.YIWANG_RETRY_BASE_SECONDS = 60
    aliyun.fail_next(2, "isv.BUSINESS_LIMIT_CONTROL")
    me = contacts(world["citizen"], phone="13800138000")
    accepted_case(world)
    before = clock.now()
    drain()
    d = _only(me, "case.accepted", Channel.SMS)
    assert d.status == DeliveryStatus.PENDING and d.attempts == 1 and d.dead_at is None
    assert d.last_error.startswith("[isv.BUSINESS_LIMIT_CONTROL]")
    assert before + dt.timedelta(seconds=59) < d.next_attempt_at < clock.now() + dt.timedelta(seconds=61)
    drain()  # not due yet: nothing happens
    d.refresh_from_db()
    assert d.attempts == 1 and len(aliyun.requests) == 1

    shift_clock(monkeypatch, 65)  # the periodic retry job picks it up again: second refusal, twice the wait
    drain()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.PENDING and d.attempts == 2
    wait = d.next_attempt_at - clock.now()
    assert dt.timedelta(seconds=115) < wait <= dt.timedelta(seconds=120)

    shift_clock(monkeypatch, 65 + 125)
    drain()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.attempts == 3 and d.sent_at
    assert [a.out_id for a in aliyun.accepted] == [str(d.uid)]
    assert [r["code"] for r in aliyun.requests] == ["isv.BUSINESS_LIMIT_CONTROL"] * 2 + ["OK"]


@pytest.mark.django_db
def test_retryable_errors_become_dead_after_the_last_attempt(world, aliyun, settings, monkeypatch):
    settings.YIWANG_RETRY_BASE_SECONDS = 1
    settings.YIWANG_RETRY_MAX_SECONDS = 1
    settings.YIWANG_RETRY_MAX_ATTEMPTS = 3
    aliyun.fail_next(10, "isp.SYSTEM_ERROR", status=500)
    me = contacts(world["citizen"], phone="13800138000")
    accepted_case(world)
    for step in range(4):
        shift_clock(monkeypatch, step * 30)
        drain()
    d = _only(me, "case.accepted", Channel.SMS)
    assert d.status == DeliveryStatus.DEAD and d.attempts == 3 and "isp.SYSTEM_ERROR" in d.last_error
    assert len(aliyun.requests) == 3


@pytest.mark.django_db
def test_provider_unreachable_is_retried(world, settings):
    with AliyunSmsDouble() as double:
        use_aliyun(settings, double)
    # the double is stopped: nothing listens at the endpoint any more
    me = contacts(world["citizen"], phone="13800138000")
    accepted_case(world)
    drain()
    d = _only(me, "case.accepted", Channel.SMS)
    assert d.status == DeliveryStatus.PENDING and d.attempts == 1 and d.next_attempt_at
    assert "无法连接阿里云短信服务" in d.last_error


@pytest.mark.django_db
def test_very_long_addresses_do_not_break_the_batch(world, mailoutbox):
    """A 250-character e-mail address is valid and must not overflow the masked-recipient column
    (PostgreSQL refuses what SQLite would store), nor take the rest of the batch down with it."""
    domain = ".".join(["d" * 60] * 3) + ".cn"
    address = "z" * 60 + "@" + domain
    assert len(address) > 240
    me = contacts(world["citizen"], email=address, phone="1" * 150)
    other = second_citizen(world, email="li@example.cn")
    accepted_case(world)
    accepted_case(other, item(world, "另一事项"))
    drain()
    _outbox_clean()
    mail = _only(me, "case.accepted", Channel.EMAIL)
    assert mail.status == DeliveryStatus.SENT and len(mail.recipient_masked) <= 120
    assert mail.recipient_masked.startswith("z***@")
    sms = _only(me, "case.accepted", Channel.SMS)
    assert sms.status == DeliveryStatus.DEAD and sms.last_error == "手机号无效" and len(sms.recipient_masked) <= 120
    assert Notification.objects.filter(user=me, event_name="case.accepted").count() == 1
    assert sorted(m.to[0] for m in mailoutbox if "已受理" in m.subject) == sorted([address, "li@example.cn"])
