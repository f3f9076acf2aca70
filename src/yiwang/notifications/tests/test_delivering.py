"""Delivery attempts in process: which channels a person gets, the lease that keeps two tasks from
sending the same message, a crashed worker's delivery picked up again with the same Message-ID, and
how SMTP answers are classified (down → retry, 550 → dead letter)."""

import datetime as dt
import threading

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from yiwang.core import clock, dispatch
from yiwang.notifications import delivering
from yiwang.notifications.models import Channel, Delivery, DeliveryStatus
from yiwang.notifications.tests.support import accepted_case, contacts, drain, shift_clock
from yiwang.testing.smtp import SmtpServer, free_port


def _email(user, event="case.accepted") -> Delivery:
    return Delivery.objects.get(user=user, event_name=event, channel=Channel.EMAIL)


@pytest.mark.django_db
def test_channels_follow_the_contact_details(world, mailoutbox):
    from yiwang.notifications.tests.support import second_citizen

    unverified = contacts(world["citizen"], email="zhang@example.cn", verified=False)
    nothing = second_citizen(world)
    accepted_case(world)
    accepted_case(nothing)
    drain()
    for user in (unverified, nothing["citizen"]):
        assert set(Delivery.objects.filter(user=user, event_name="case.accepted").values_list("channel", flat=True)) \
            == {Channel.INAPP}
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_two_tasks_for_one_delivery_send_it_once(world, smtp):
    me = contacts(world["citizen"], email="zhang@example.cn")
    accepted_case(world)
    dispatch.dispatch_once("dispatcher")  # the deliveries are written; their send tasks are not run here
    d = _email(me)
    smtp.delay = 1.0  # keep the first sender inside its attempt while the second one tries
    results: dict[str, str] = {}
    start = threading.Barrier(2)

    def run(name):
        try:
            start.wait()
            results[name] = delivering.attempt(d.pk, name)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("w1", "w2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results.values()) == ["sent", "skipped"]
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.attempts == 1
    assert smtp.message_ids() == [d.message_id]
    assert delivering.attempt(d.pk, "w3") == "skipped"  # and never again once sent


@pytest.mark.django_db
def test_a_crashed_workers_delivery_is_sent_again_with_the_same_message_id(world, smtp, settings, monkeypatch):
    settings.YIWANG_WORKER_LEASE_SECONDS = 30
    me = contacts(world["citizen"], email="zhang@example.cn")
    accepted_case(world)
    dispatch.dispatch_once("dispatcher")
    d = _email(me)
    # a worker took the delivery and died before sending: its lease stands, the task row is gone
    now = clock.now()
    Delivery.objects.filter(pk=d.pk).update(leased_by="crashed", lease_until=now + dt.timedelta(seconds=30), attempts=1,
                                            queued_at=now)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    drain()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.PENDING and d.message_id not in smtp.message_ids()  # still leased
    shift_clock(monkeypatch, 45)
    drain()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.attempts == 2
    assert d.message_id == f"<{d.uid}@yiwang.notifications>" and d.provider_message_id == d.message_id
    assert smtp.message_ids().count(d.message_id) == 1


@pytest.mark.django_db
def test_smtp_server_down_is_retried_then_delivered(world, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.YIWANG_RETRY_BASE_SECONDS = 30
    me = contacts(world["citizen"], email="zhang@example.cn")
    accepted_case(world)
    drain()
    d = _email(me)
    assert d.status == DeliveryStatus.PENDING and d.attempts == 1 and "邮件服务器不可用" in d.last_error
    server = SmtpServer(settings.EMAIL_PORT).start()
    try:
        shift_clock(monkeypatch, 60)
        drain()
        d.refresh_from_db()
        assert d.status == DeliveryStatus.SENT and d.attempts == 2 and d.last_error == ""
        assert d.message_id in server.message_ids()
        assert Delivery.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count() == len(
            set(server.message_ids()))
    finally:
        server.stop()


class _Refuse:
    """An SMTP server that refuses one mailbox permanently and another for now."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone@"):
            return "550 5.1.1 mailbox unavailable"
        if address.startswith("full@"):
            return "452 4.2.2 mailbox full"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received = [*getattr(self, "received", []), envelope.rcpt_tos]
        return "250 OK"


@pytest.mark.django_db
def test_smtp_refusals_are_classified(world, settings):
    from yiwang.notifications.tests.support import second_citizen

    handler = _Refuse()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        gone = contacts(world["citizen"], email="gone@example.cn")
        full = second_citizen(world, "wang", email="full@example.cn")
        fine = second_citizen(world, "zhao", email="fine@example.cn")
        for w in (world, full, fine):
            accepted_case(w)
        drain()
        dead = _email(gone)
        assert dead.status == DeliveryStatus.DEAD and "550" in dead.last_error and dead.attempts == 1
        later = _email(full["citizen"])
        assert later.status == DeliveryStatus.PENDING and "452" in later.last_error and later.next_attempt_at
        assert _email(fine["citizen"]).status == DeliveryStatus.SENT
        assert handler.received == [["fine@example.cn"]] * 2  # its receipt and its acceptance
    finally:
        controller.stop()
