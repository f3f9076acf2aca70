"""The lifecycle through work items: 补正 → 受理 → 承办/审核/批准 → 办结 → 送达; 联审; conflicts."""

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.roles import Role
from yiwang.cases import handling
from yiwang.cases.models import CaseMaterial, DeliveryMethod, WorkItem
from yiwang.cases.status import CaseStatus
from yiwang.cases.tests.helpers import open_item, staff, submitted_case
from yiwang.catalog.tests import factories
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.models import OutboxEvent


@pytest.mark.django_db
def test_promised_item_full_path_with_correction(world):
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    case = submitted_case(world, item)
    with pytest.raises(ApiError) as exc:
        handling.act(world["clerk"], open_item(case, "accept"), "request_correction", {})
    assert "missing" in exc.value.fields
    handling.act(world["clerk"], open_item(case, "accept"), "request_correction", {"missing": ["M01"]})
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_REQUESTED and case.correction_due
    assert case.materials.get(material_code="M01").status == CaseMaterial.Status.MISSING
    with pytest.raises(ApiError):
        handling.resupply(world["citizen"], case)
    case.materials.update(status=CaseMaterial.Status.UPLOADED)
    handling.resupply(world["citizen"], case)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW and case.due_date
    handling.act(world["undertaker"], open_item(case, "undertake"), "pass", {"opinion": "材料齐全"})
    handling.act(world["reviewer"], open_item(case, "review"), "return", {"opinion": "请补充核查意见"})
    handling.act(world["undertaker"], open_item(case, "undertake"), "pass", {"opinion": "已补充"})
    handling.act(world["reviewer"], open_item(case, "review"), "pass")
    handling.act(world["approver"], open_item(case, "approve"), "decide_grant", {"opinion": "准予"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.outcome == "grant"
    handling.act(world["undertaker"], open_item(case, "complete"), "complete")
    with pytest.raises(ApiError):
        handling.act(world["clerk"], open_item(case, "deliver"), "deliver", {"method": "post"})
    handling.act(world["clerk"], open_item(case, "deliver"), "deliver", {"method": "post", "tracking_number": "SF1"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED and case.result_code == "6"
    names = list(OutboxEvent.objects.filter(payload__case_id=case.pk).exclude(name="workitem.created")
                 .order_by("id").values_list("name", flat=True))
    order = [n for n in names if n in ("case.submitted", "case.correction_requested", "case.accepted",
                                       "case.decided", "case.completed", "case.delivered")]
    assert order == ["case.submitted", "case.correction_requested", "case.submitted", "case.accepted",
                     "case.decided", "case.completed", "case.delivered"]
    steps = list(case.timeline.values_list("step", flat=True))
    assert steps[:3] == ["申报", "补正告知", "补正提交"] and "送达" in steps
    assert audit.verify().ok


@pytest.mark.django_db
def test_joint_review_waits_for_both_departments(world):
    fire = factories.department("emergency", name="应急管理局")
    health = factories.department("health", name="卫生健康局")
    item = factories.item("公共场所卫生许可", department_obj=health, process_template="joint",
                          joint_departments=[health, fire])
    clerks = {"health": staff("hr", Role.REVIEWER, health), "emergency": staff("fr", Role.REVIEWER, fire)}
    approver = staff("ha", Role.APPROVER, health)
    case = submitted_case(world, item, delivery=DeliveryMethod.ELECTRONIC)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    joint = list(WorkItem.objects.filter(case=case, step="joint_review", status="open"))
    assert sorted(w.department.code for w in joint) == ["emergency", "health"]
    assert not WorkItem.objects.filter(case=case, step="decide").exists()
    first = next(w for w in joint if w.department.code == "emergency")
    with pytest.raises(PermissionDenied):
        handling.act(clerks["health"], first, "pass")
    handling.act(clerks["emergency"], first, "pass", {"opinion": "消防符合"})
    assert not WorkItem.objects.filter(case=case, step="decide").exists()
    handling.act(clerks["health"], next(w for w in joint if w.department.code == "health"), "pass")
    handling.act(approver, open_item(case, "decide"), "decide_grant")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


@pytest.mark.django_db
def test_second_action_on_the_same_item_is_a_conflict(world):
    item = factories.item("事项", department_obj=world["market"])
    case = submitted_case(world, item)
    wi = open_item(case, "accept")
    handling.act(world["clerk"], wi, "accept")
    with pytest.raises(Conflict):
        handling.act(world["clerk2"], wi, "accept")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW and case.timeline.filter(step="受理").count() == 1


@pytest.mark.django_db
def test_refuse_needs_reason_and_basis_and_withdraw_before_decision(world):
    item = factories.item("事项", department_obj=world["market"])
    case = submitted_case(world, item)
    with pytest.raises(ApiError) as exc:
        handling.act(world["clerk"], open_item(case, "accept"), "refuse", {"reason": "不属于本机关职权"})
    assert "legal_basis" in exc.value.fields
    handling.withdraw(world["citizen"], case, "不再需要")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert not WorkItem.objects.filter(case=case, status="open").exists()
    with pytest.raises(Conflict):
        handling.withdraw(world["citizen"], case)


@pytest.mark.django_db
def test_instant_item_decided_at_the_window_and_delivered_electronically(world):
    item = factories.item("即办事项", department_obj=world["market"], **factories.instant())
    case = submitted_case(world, item, delivery=DeliveryMethod.ELECTRONIC)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    handling.act(world["clerk"], open_item(case, "accept_instant"), "decide_grant")
    handling.act(world["clerk"], open_item(case, "complete"), "complete")
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED
