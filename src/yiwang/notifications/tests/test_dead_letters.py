"""死信 pages for platform administrators: others get 403 (and the denial is audited); the list
filters by channel and event; re-sending needs the confirm box and makes a new delivery (the old one
becomes 'resent'); a dead outbox event can be put back in the queue."""

import pytest

from yiwang.accounts.models import DevSmsMessage
from yiwang.catalog.tests import factories
from yiwang.core import clock
from yiwang.core.models import AuditRecord, OutboxEvent
from yiwang.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from yiwang.notifications.tests.support import drain

LIST = "/workbench/dead-letters/"


def dead(user, channel=Channel.EMAIL, event="case.accepted", recipient="zhang@example.cn", error="邮箱地址无效",
         context=None):
    from yiwang.core.masking import mask_email, mask_phone

    masked = mask_email(recipient) if channel == Channel.EMAIL else mask_phone(recipient)
    return Delivery.objects.create(
        event_name=event, user=user, channel=channel, recipient=recipient, recipient_masked=masked,
        status=DeliveryStatus.DEAD, attempts=3, dead_at=clock.now(), last_error=error, case_number="YW-TEST-1",
        context=context or {"number": "YW-TEST-1", "item_name": "食品小作坊登记", "due_date": "2026-03-02"})


@pytest.fixture
def admin(db):
    return factories.platform_admin()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["citizen", "clerk"])
def test_only_platform_admins(client, world, who):
    d = dead(world["citizen"])
    client.force_login(world[who])
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{d.pk}/").status_code == 403
    resp = client.post(f"{LIST}{d.pk}/", {"confirm": "on"})
    assert resp.status_code == 403
    denials = AuditRecord.objects.filter(action="notification.access_denied", actor_label=world[who].username)
    assert denials.count() == 3
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DEAD and not Delivery.objects.filter(resent_from=d).exists()


@pytest.mark.django_db
def test_anonymous_goes_to_login(client):
    resp = client.get(LIST)
    assert resp.status_code == 302 and "login" in resp["Location"]


@pytest.mark.django_db
def test_list_and_filter(client, world, admin):
    mail = dead(world["citizen"], error="邮箱地址无效")
    sms = dead(world["citizen"], channel=Channel.SMS, recipient="13800138000", error="手机号无效",
               event="case.completed")
    sent = Delivery.objects.create(event_name="case.accepted", user=world["citizen"], channel=Channel.EMAIL,
                                   recipient="a@example.cn", status=DeliveryStatus.SENT)
    client.force_login(admin)
    html = client.get(LIST).content.decode()
    assert f"{LIST}{mail.pk}/" in html and f"{LIST}{sms.pk}/" in html and f"{LIST}{sent.pk}/" not in html
    assert "z***@example.cn" in html and "138****8000" in html
    assert "zhang@example.cn" not in html and "13800138000" not in html  # masked only
    assert "邮箱地址无效" in html and "手机号无效" in html
    only_sms = client.get(LIST + "?channel=sms").content.decode()
    assert f"{LIST}{sms.pk}/" in only_sms and f"{LIST}{mail.pk}/" not in only_sms
    by_event = client.get(LIST + "?event=case.accepted").content.decode()
    assert f"{LIST}{mail.pk}/" in by_event and f"{LIST}{sms.pk}/" not in by_event
    junk = client.get(LIST + "?channel=fax&event=nope&page=x")  # unknown filters are ignored
    assert junk.status_code == 200 and f"{LIST}{mail.pk}/" in junk.content.decode()
    detail = client.get(f"{LIST}{mail.pk}/").content.decode()
    assert str(mail.uid) in detail and "邮箱地址无效" in detail and "zhang@example.cn" not in detail
    assert client.get(f"{LIST}999999/").status_code == 404


@pytest.mark.django_db
def test_resend_needs_the_confirm_box(client, world, admin):
    d = dead(world["citizen"])
    client.force_login(admin)
    resp = client.post(f"{LIST}{d.pk}/", {"recipient": ""})
    assert resp.status_code == 200 and "请勾选确认后再重新发送" in resp.content.decode()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DEAD and Delivery.objects.count() == 1


@pytest.mark.django_db
def test_resend_makes_a_new_delivery_that_is_sent(client, world, admin, mailoutbox):
    d = dead(world["citizen"], recipient="wrong@example.cn")
    client.force_login(admin)
    resp = client.post(f"{LIST}{d.pk}/", {"confirm": "on", "recipient": " zhang@example.cn "})
    assert resp.status_code == 302 and resp["Location"] == LIST
    d.refresh_from_db()
    assert d.status == DeliveryStatus.RESENT
    new = Delivery.objects.get(resent_from=d)
    assert new.pk != d.pk and new.uid != d.uid and new.status == DeliveryStatus.PENDING
    assert new.recipient == "zhang@example.cn" and new.recipient_masked == "z***@example.cn"
    assert AuditRecord.objects.filter(action="notification.resent", actor_label=admin.username).exists()
    drain()
    new.refresh_from_db()
    assert new.status == DeliveryStatus.SENT
    assert [m.to for m in mailoutbox] == [["zhang@example.cn"]]
    assert mailoutbox[0].extra_headers["Message-ID"] == new.message_id
    # a second re-send of the same dead letter is refused: it is no longer dead
    page = client.get(f"{LIST}{d.pk}/").content.decode()
    assert "该消息已重新发送过" in page
    again = client.post(f"{LIST}{d.pk}/", {"confirm": "on"})
    assert again.status_code == 200 and "只能重新发送死信" in again.content.decode()
    assert Delivery.objects.filter(resent_from=d).count() == 1
    assert f"{LIST}{d.pk}/" not in client.get(LIST).content.decode()


@pytest.mark.django_db
def test_resend_sms(client, world, admin):
    d = dead(world["citizen"], channel=Channel.SMS, recipient="1380013800", error="手机号无效")
    client.force_login(admin)
    assert client.post(f"{LIST}{d.pk}/", {"confirm": "on", "recipient": "13800138000"}).status_code == 302
    drain()
    new = Delivery.objects.get(resent_from=d)
    assert new.status == DeliveryStatus.SENT
    (sms,) = DevSmsMessage.objects.all()
    assert sms.phone == "13800138000" and "YW-TEST-1" in sms.text


@pytest.mark.django_db
def test_resend_inapp(client, world, admin):
    d = dead(world["citizen"], channel=Channel.INAPP, recipient="", error="模板渲染失败")
    client.force_login(admin)
    assert client.post(f"{LIST}{d.pk}/", {"confirm": "on"}).status_code == 302
    new = Delivery.objects.get(resent_from=d)
    n = Notification.objects.get(delivery=new)
    assert n.user == world["citizen"] and "YW-TEST-1" in n.title and new.status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_requeue_a_dead_outbox_event(client, world, admin):
    from yiwang.cases.tests.helpers import submitted_case
    from yiwang.notifications.tests.support import item

    submitted_case(world, item(world))
    event = OutboxEvent.objects.get(name="case.submitted")
    OutboxEvent.objects.filter(pk=event.pk).update(dead_at=clock.now(), attempts=8, last_error="RuntimeError: boom")
    drain()
    assert not Notification.objects.filter(event_name="case.submitted").exists()

    client.force_login(world["citizen"])
    assert client.post(f"{LIST}events/{event.pk}/requeue/").status_code == 403
    client.force_login(admin)
    html = client.get(LIST).content.decode()
    assert f"{LIST}events/{event.pk}/requeue/" in html and "RuntimeError: boom" in html
    assert client.get(f"{LIST}events/{event.pk}/requeue/").status_code == 405
    resp = client.post(f"{LIST}events/{event.pk}/requeue/")
    assert resp.status_code == 302
    event.refresh_from_db()
    assert event.dead_at is None and event.attempts == 0
    assert AuditRecord.objects.filter(action="outbox.requeued").exists()
    drain()
    assert Notification.objects.filter(user=world["citizen"], event_name="case.submitted").count() == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    # only dead events can be requeued
    assert client.post(f"{LIST}events/{event.pk}/requeue/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("channel, old, typed, message", [
    (Channel.EMAIL, "wrong@example", "still-wrong", "不是有效的邮箱地址"),
    (Channel.SMS, "1380013800", "12345", "不是有效的手机号码"),
])
def test_resend_to_an_invalid_new_address_is_refused(client, world, admin, channel, old, typed, message):
    d = dead(world["citizen"], channel=channel, recipient=old)
    client.force_login(admin)
    resp = client.post(f"{LIST}{d.pk}/", {"confirm": "on", "recipient": typed})
    assert resp.status_code == 200 and message in resp.content.decode()
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DEAD and not Delivery.objects.filter(resent_from=d).exists()
