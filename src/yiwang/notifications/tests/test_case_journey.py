"""A citizen hears of every step of their case; staff hear of new work (worker run in process)."""

import pytest

from yiwang.accounts.models import DevSmsMessage
from yiwang.cases import handling
from yiwang.cases.tests.helpers import open_item, submitted_case
from yiwang.catalog.tests import factories
from yiwang.core.worker import Worker
from yiwang.notifications.models import Channel, Delivery, DeliveryStatus, Notification


def _drain():
    Worker("test-worker").run_until_idle()


@pytest.mark.django_db
def test_citizen_gets_inapp_email_and_sms_for_each_step(world, smtp):
    citizen = world["citizen"]
    citizen.email, citizen.email_verified, citizen.phone = "zhang@example.cn", True, "13800138000"
    citizen.save()
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    case = submitted_case(world, item)
    _drain()
    receipt = Notification.objects.get(user=citizen, event_name="case.submitted")
    assert case.number in receipt.title and case.number in receipt.body and receipt.read_at is None
    clerk_inbox = Notification.objects.filter(user=world["clerk"], event_name="workitem.created")
    assert clerk_inbox.count() == 1 and case.number in clerk_inbox.get().body

    handling.act(world["clerk"], open_item(case, "accept"), "request_correction", {"missing": ["M01"]})
    case.materials.update(status="uploaded")
    handling.resupply(citizen, case)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    handling.act(world["undertaker"], open_item(case, "undertake"), "pass")
    handling.act(world["reviewer"], open_item(case, "review"), "pass")
    handling.act(world["approver"], open_item(case, "approve"), "decide_grant")
    handling.act(world["undertaker"], open_item(case, "complete"), "complete")
    _drain()

    for event in ("case.accepted", "case.correction_requested", "case.completed"):
        kinds = set(Delivery.objects.filter(user=citizen, event_name=event, status=DeliveryStatus.SENT)
                    .values_list("channel", flat=True))
        assert kinds == {Channel.INAPP, Channel.EMAIL, Channel.SMS}, event
    subjects = [m["Subject"] for m in smtp.received()]
    assert any("已受理" in s for s in subjects) and any("补正" in s for s in subjects)
    assert any("已办结" in s for s in subjects)
    assert all(m["To"] == "zhang@example.cn" for m in smtp.received())
    sent_ids = set(Delivery.objects.filter(channel=Channel.EMAIL).values_list("provider_message_id", flat=True))
    assert set(smtp.message_ids()) == sent_ids
    texts = [m.text for m in DevSmsMessage.objects.all() if m.phone == "13800138000"]
    assert any(case.number in t and "已受理" in t for t in texts)
    assert any("补正" in t for t in texts) and any("已办结" in t for t in texts)
    # the undertaker heard of the 承办 step, the approver of 批准
    assert Notification.objects.filter(user=world["undertaker"], event_name="workitem.created").exists()
    assert Notification.objects.filter(user=world["approver"], event_name="workitem.created").exists()
    # the applicant never gets staff messages
    assert not Notification.objects.filter(user=citizen, event_name="workitem.created").exists()


@pytest.mark.django_db
def test_dispatch_is_exactly_once_for_inapp(world):
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    submitted_case(world, item)
    _drain()
    _drain()
    assert Notification.objects.filter(user=world["citizen"], event_name="case.submitted").count() == 1
