"""Special procedures and extensions, 补正超时, claim/release, source providers, resending the query
password, and the end of the serialized workflow state once a case closes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.models import DevSmsMessage
from yiwang.accounts.roles import Role
from yiwang.cases import applying, handling, progress, sources
from yiwang.cases.models import CaseMaterial, Extension, Pause, WorkItem
from yiwang.cases.status import CaseStatus, ResultCode
from yiwang.cases.tests.helpers import open_item, staff, submitted_case
from yiwang.catalog.tests import factories
from yiwang.core import workdays
from yiwang.core.api import ApiError, Conflict, RateLimited
from yiwang.core.clock import today
from yiwang.core.models import AuditRecord


def in_review(world):
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    case = submitted_case(world, item)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_special_procedure_pauses_the_clock_and_only_end_is_allowed(world):
    case = in_review(world)
    due_before = case.due_date
    wi = open_item(case, "undertake")
    assert "start_special" in handling.actions_for(wi) and "extend" in handling.actions_for(wi)
    with pytest.raises(ApiError) as exc:
        handling.act(world["undertaker"], wi, "start_special", {"kind": "nonsense"})
    assert "kind" in exc.value.fields
    handling.act(world["undertaker"], wi, "start_special", {"kind": "site_check", "opinion": "需现场核查"})
    case.refresh_from_db()
    wi.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED and wi.status == WorkItem.Status.OPEN
    assert handling.actions_for(WorkItem.objects.select_related("case").get(pk=wi.pk)) == ["end_special"]
    with pytest.raises(Conflict):
        handling.act(world["undertaker"], wi, "pass")
    with pytest.raises(ApiError) as exc:
        handling.act(world["undertaker"], wi, "end_special", {})
    assert "result" in exc.value.fields
    # the procedure began ten calendar days ago: the due date moves by its working days
    began = today() - dt.timedelta(days=10)
    paused = workdays.working_days_between(began, today())
    assert paused >= 5
    Pause.objects.filter(case=case).update(started_on=began)
    handling.act(world["undertaker"], wi, "end_special", {"result": "现场核查通过"})
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    assert case.due_date == workdays.add_working_days(due_before, paused)
    assert WorkItem.objects.get(pk=wi.pk).due_date == case.due_date
    pause = case.pauses.get()
    assert pause.ended_on == today() and pause.result == "现场核查通过"
    assert [t.step for t in case.timeline.all()][-2:] == ["特别程序：现场核查", "特别程序结束：现场核查"]
    handling.act(world["undertaker"], wi, "pass")
    assert open_item(case, "review")


@pytest.mark.django_db
def test_extension_needs_an_approver_and_moves_the_due_date(world):
    case = in_review(world)
    wi = open_item(case, "undertake")
    with pytest.raises(ApiError) as exc:
        handling.act(world["undertaker"], wi, "extend", {"working_days": 0})
    assert set(exc.value.fields) == {"working_days", "reason"}
    with pytest.raises(PermissionDenied):
        handling.act(world["undertaker"], wi, "extend", {"working_days": 5, "reason": "情况复杂"})
    assert not Extension.objects.exists()
    boss = staff("boss", Role.UNDERTAKER, world["market"])
    from yiwang.accounts.services.staff import assign_role

    assign_role(boss, Role.APPROVER, department=world["market"])
    handling.act(boss, wi, "extend", {"working_days": 5, "reason": "情况复杂"})
    ext = Extension.objects.get()
    assert ext.approved_by == boss and ext.working_days == 5
    before = case.due_date
    case.refresh_from_db()
    assert case.due_date == workdays.add_working_days(before, 5)
    assert WorkItem.objects.get(pk=wi.pk).status == WorkItem.Status.OPEN


@pytest.mark.django_db
def test_correction_timeout_completes_with_result_5(world):
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    case = submitted_case(world, item)
    handling.act(world["clerk"], open_item(case, "accept"), "request_correction", {"missing": ["M01"]})
    case.refresh_from_db()
    assert handling.expire_corrections(case.correction_due) == []  # the reply day itself still counts
    done = handling.expire_corrections(case.correction_due + dt.timedelta(days=1))
    case.refresh_from_db()
    assert done == [case.number]
    assert case.status == CaseStatus.COMPLETED and case.result_code == ResultCode.CORRECTION_TIMEOUT
    assert not case.work_items.filter(status=WorkItem.Status.OPEN).exists()
    assert handling.expire_corrections(case.correction_due + dt.timedelta(days=9)) == []
    with pytest.raises(Conflict):
        handling.resupply(world["citizen"], case)


@pytest.mark.django_db
def test_workflow_state_is_dropped_when_the_case_closes(world):
    item = factories.item("即办事项", department_obj=world["market"], **factories.instant())
    case = submitted_case(world, item)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    case.refresh_from_db()
    assert case.workflow_state
    handling.act(world["clerk"], open_item(case, "accept_instant"), "decide_grant")
    handling.act(world["clerk"], open_item(case, "complete"), "complete")
    case.refresh_from_db()
    assert case.status in (CaseStatus.COMPLETED, CaseStatus.DELIVERED) and case.workflow_state == ""


@pytest.mark.django_db
def test_claim_and_release(world):
    case = submitted_case(world, factories.item("食品小作坊登记", department_obj=world["market"]))
    wi = open_item(case, "accept")
    handling.claim(world["clerk"], wi)
    with pytest.raises(Conflict):
        handling.claim(world["clerk2"], wi)
    with pytest.raises(Conflict):
        handling.act(world["clerk2"], wi, "accept")
    with pytest.raises(Conflict):
        handling.release(world["clerk2"], wi)
    handling.release(world["clerk"], wi)
    assert WorkItem.objects.get(pk=wi.pk).assignee is None
    handling.act(world["clerk2"], wi, "accept")
    assert AuditRecord.objects.filter(action="case.workitem_claimed").count() == 1
    assert AuditRecord.objects.filter(action="case.workitem_released").count() == 1
    other = submitted_case(world, factories.item("个体工商户登记", department_obj=world["market"]))
    with pytest.raises(PermissionDenied):  # not a clerk of the accepting unit
        handling.claim(world["undertaker"], open_item(other, "accept"))


class LicenceLibrary(sources.MaterialSource):
    """A stand-in certificate library for the test (the real one arrives with the certificates issue)."""

    name = "test-licences"

    def find(self, applicant, enterprise, material):
        if material.certificate_type == "JMSFZ":
            return sources.FoundMaterial(reference=f"JMSFZ-{applicant.pk}")
        return None


class BrokenSource(sources.MaterialSource):
    name = "test-broken"

    def find(self, applicant, enterprise, material):
        raise RuntimeError("down")


@pytest.fixture
def licence_library():
    sources.register_material_source(BrokenSource())
    sources.register_material_source(LicenceLibrary())
    yield
    sources.unregister("test-licences")
    sources.unregister("test-broken")


@pytest.mark.django_db
def test_sources_supply_materials_and_prefill_fields(world, licence_library):
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    case, _ = applying.create_draft(world["citizen"], item.code, {"phone": "13800000009"})
    statuses = dict(case.materials.values_list("material_code", "status"))
    assert statuses == {"M01": CaseMaterial.Status.MISSING, "M02": CaseMaterial.Status.AUTO}
    auto = case.materials.get(material_code="M02")
    assert auto.source == "test-licences" and auto.reference == f"JMSFZ-{world['citizen'].pk}"
    # profile.name is prefilled by the built-in profile source; typed values win
    assert case.form_data == {"applicant_name": "张三", "phone": "13800000009"}


@pytest.mark.django_db
def test_without_sources_the_applicant_uploads(world):
    item = factories.item("食品小作坊登记", department_obj=world["market"])
    case, _ = applying.create_draft(world["citizen"], item.code)
    assert set(case.materials.values_list("status", flat=True)) == {CaseMaterial.Status.MISSING}


@pytest.mark.django_db
def test_query_password_resent_to_the_applicants_phone_only(world):
    world["citizen"].phone = "13900000001"
    world["citizen"].save()
    case = submitted_case(world, factories.item("食品小作坊登记", department_obj=world["market"]))
    progress.resend_password("NO-SUCH-NUMBER", ip="10.0.0.1")
    assert DevSmsMessage.objects.count() == 0
    progress.resend_password(case.number, ip="10.0.0.1")
    msg = DevSmsMessage.objects.get()
    assert msg.phone == "13900000001" and case.query_password in msg.text
    progress.resend_password(case.number, ip="10.0.0.2")
    progress.resend_password(case.number, ip="10.0.0.3")
    with pytest.raises(RateLimited):
        progress.resend_password(case.number, ip="10.0.0.4")
    assert AuditRecord.objects.filter(action="case.query_password_resent").count() == 3


@pytest.mark.django_db
def test_expire_corrections_command(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    case = submitted_case(world, factories.item("食品小作坊登记", department_obj=world["market"]))
    handling.act(world["clerk"], open_item(case, "accept"), "request_correction", {"missing": ["M01"]})
    case.refresh_from_db()
    out, err = StringIO(), StringIO()
    later = (case.correction_due + dt.timedelta(days=1)).isoformat()
    call_command("cases", "expire-corrections", "--on", later, stdout=out, stderr=err)
    assert out.getvalue().split() == [case.number] and "1 件" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("cases", "expire-corrections", "--on", "2026-13-01")


@pytest.mark.django_db
def test_in_a_joint_review_only_the_department_that_started_a_procedure_ends_it(world):
    from yiwang.cases.models import DeliveryMethod

    fire = factories.department("emergency", name="应急管理局")
    health = factories.department("health", name="卫生健康局")
    item = factories.item("公共场所卫生许可", department_obj=health, process_template="joint",
                          joint_departments=[health, fire])
    reviewers = {"health": staff("hr", Role.REVIEWER, health), "emergency": staff("fr", Role.REVIEWER, fire)}
    case = submitted_case(world, item, delivery=DeliveryMethod.ELECTRONIC)
    handling.act(world["clerk"], open_item(case, "accept"), "accept")
    items = {w.department.code: w for w in WorkItem.objects.filter(case=case, step="joint_review", status="open")}
    handling.act(reviewers["emergency"], items["emergency"], "start_special", {"kind": "site_check"})
    with pytest.raises(PermissionDenied):
        handling.act(reviewers["health"], items["health"], "end_special", {"result": "结束"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED and case.pauses.get().department == fire
    handling.act(reviewers["emergency"], items["emergency"], "end_special", {"result": "核查通过"})
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


@pytest.mark.django_db
def test_query_password_sms_through_a_template_provider_carries_the_password(world, settings):
    """A real provider sends only the registered template: the password must be one of its
    parameters, not only in the text (阿里云短信 test double checks the template's parameters)."""
    from yiwang.testing.aliyun_sms_double import AliyunSmsDouble

    world["citizen"].phone = "13900000002"
    world["citizen"].save()
    case = submitted_case(world, factories.item("食品小作坊登记", department_obj=world["market"]))
    with AliyunSmsDouble(templates={"SMS_QUERY_PW": ("number", "password")}) as double:
        settings.YIWANG_SMS_PROVIDER = "yiwang.accounts.sms_aliyun.AliyunSmsProvider"
        settings.YIWANG_SMS_ALIYUN_ENDPOINT = double.url
        settings.YIWANG_SMS_ALIYUN_ACCESS_KEY_ID = double.access_key_id
        settings.YIWANG_SMS_ALIYUN_ACCESS_KEY_SECRET = double.access_key_secret
        settings.YIWANG_SMS_ALIYUN_TEMPLATES = {"case_query_password": "SMS_QUERY_PW"}
        settings.YIWANG_SMS_SIGN_NAME = "一网通办"
        progress.resend_password(case.number, ip="10.0.0.9")
        sent = double.accepted
    assert len(sent) == 1 and sent[0].phone == "13900000002"
    assert sent[0].params == {"number": case.number, "password": case.query_password}
