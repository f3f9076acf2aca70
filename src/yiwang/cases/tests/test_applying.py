"""Applying: level-2 applicants, enterprise items, idempotent drafts, submission checks."""

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import Enterprise, EnterpriseMembership, User
from yiwang.cases import applying
from yiwang.cases.models import CaseMaterial, WorkItem
from yiwang.cases.status import CaseStatus
from yiwang.catalog.tests import factories
from yiwang.core.api import ApiError, Conflict, NotFound
from yiwang.core.models import AuditRecord, OutboxEvent
from yiwang.org.models import Department


@pytest.fixture
def item(db):
    factories.department("approval", name="济宁市兖州区行政审批服务局", kind=Department.Kind.APPROVAL_BUREAU)
    return factories.item("食品小作坊登记")


@pytest.fixture
def citizen(db):
    return User.objects.create_user(username="zhang", password="x", name="张三", level=2)


def complete(case):
    case.materials.update(status=CaseMaterial.Status.UPLOADED)
    case.form_data = {"applicant_name": "张三", "id_number": demo_id_number("19880512", "001"), "phone": "13800000001"}
    case.save()


@pytest.mark.django_db
def test_idempotent_draft(item, citizen):
    case, created = applying.create_draft(citizen, item.code, {"name": "张三"}, idempotency_key="k-1")
    again, created_again = applying.create_draft(citizen, item.code, {"other": 1}, idempotency_key="k-1")
    assert created and not created_again and again.pk == case.pk
    assert case.status == CaseStatus.DRAFT and case.materials.count() == 2
    assert case.accepting_department.code == "approval"  # 综合窗口 accepts by default


@pytest.mark.django_db
def test_level_and_item_checks(item, citizen):
    low = User.objects.create_user(username="low", password="x", level=1)
    with pytest.raises(ApiError) as exc:
        applying.create_draft(low, item.code)
    assert exc.value.status == 403
    with pytest.raises(NotFound):
        applying.create_draft(citizen, "no-such-item")


@pytest.mark.django_db
def test_enterprise_item_needs_an_enterprise_the_user_acts_for(citizen):
    corp_item = factories.item("企业事项", audiences=["2"])
    with pytest.raises(ApiError) as exc:
        applying.create_draft(citizen, corp_item.code)
    assert "enterprise" in exc.value.fields
    ent = Enterprise.objects.create(name="示范公司", uscc="91350100M000100Y43", legal_rep_name="张三",
                                    created_by=citizen, status=Enterprise.Status.VERIFIED)
    with pytest.raises(PermissionDenied):
        applying.create_draft(citizen, corp_item.code, enterprise=ent)
    EnterpriseMembership.objects.create(enterprise=ent, user=citizen, kind=EnterpriseMembership.Kind.LEGAL_REP)
    case, _ = applying.create_draft(citizen, corp_item.code, enterprise=ent)
    assert case.enterprise == ent


@pytest.mark.django_db
def test_submit_names_every_missing_part(item, citizen):
    case, _ = applying.create_draft(citizen, item.code, {})
    with pytest.raises(ApiError) as exc:
        applying.submit(citizen, case, declaration=False)
    fields = exc.value.fields
    assert {"materials.M01", "materials.M02", "declaration"} <= set(fields)
    assert any(k.startswith("form.") for k in fields)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.number is None


@pytest.mark.django_db
def test_submit_gives_number_password_timeline_and_window_task(item, citizen):
    case, _ = applying.create_draft(citizen, item.code)
    complete(case)
    case = applying.submit(citizen, case, declaration=True)
    assert case.status == CaseStatus.SUBMITTED and len(case.number) == 20
    assert len(case.query_password) == 6
    assert case.timeline.get().step == "申报"
    task = WorkItem.objects.get(case=case)
    assert (task.step, task.role, task.department.code) == ("accept", "window_clerk", "approval")
    assert OutboxEvent.objects.filter(name="case.submitted", payload__number=case.number).exists()
    with pytest.raises(Conflict):
        applying.submit(citizen, case, declaration=True)


@pytest.mark.django_db
def test_someone_elses_draft_is_refused_and_audited(item, citizen):
    case, _ = applying.create_draft(citizen, item.code)
    other = User.objects.create_user(username="li", password="x", level=2)
    with pytest.raises(PermissionDenied):
        applying.save_form(other, case, {"name": "x"})
    assert AuditRecord.objects.filter(action="case.access_denied", actor_label="li").exists()
