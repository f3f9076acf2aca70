"""Autofill from shared data (issue 8): sourced form fields read through the exchange for the
case's department with the item as purpose, kept whatever the client sends, re-read with the
case number at submission; a material with source ``sharing`` satisfied without an upload; a
refused or failed read falls back to manual entry with a note."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.cases import applying
from yiwang.cases.models import CaseMaterial
from yiwang.cases.tests.helpers import staff
from yiwang.catalog.tests import factories
from yiwang.core.api import ApiError
from yiwang.notifications.tests.support import bearer
from yiwang.sharing import queries
from yiwang.sharing.models import AccessRecord, Grant, HostedRecord, Resource, ShareType

PERSON = demo_id_number("19880512", "001")
SCHEMA = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "maxLength": 50},
        "household_address": {"type": "string", "maxLength": 200},
        "marital_status": {"type": "string", "enum": ["10", "20", "30", "40"]},
    },
    "required": ["applicant_name", "household_address", "marital_status"],
}
UI = {
    "order": ["applicant_name", "household_address", "marital_status"],
    "fields": {
        "applicant_name": {"label": "申请人姓名", "prefill": "profile.name"},
        "household_address": {"label": "户籍地址", "source": {"resource": "GA-HJRK", "item": "household_address"}},
        "marital_status": {"label": "婚姻状况", "widget": "radio",
                           "options": [{"value": "10", "label": "未婚"}, {"value": "20", "label": "已婚"},
                                       {"value": "30", "label": "丧偶"}, {"value": "40", "label": "离婚"}],
                           "source": {"resource": "MZ-HYDJ", "item": "marital_status"}},
    },
}
MATERIALS = [
    {"code": "M01", "name": "居民户口簿", "necessity": "required", "source": "sharing",
     "sharing_resource": "GA-HJRK", "form": "electronic", "originals": 0},
    {"code": "M02", "name": "申请书", "necessity": "required", "source": "applicant", "originals": 1},
]


def _item(items):
    person = [{"name": n, "label": lab, "type": "string", "sensitivity": "personal"} for n, lab in items]
    return person


@pytest.fixture
def world(db):
    police = factories.department("police", name="公安分局")
    civil = factories.department("civil", name="民政局")
    factories.department("approval", name="行政审批服务局")
    population = Resource.objects.create(
        code="GA-HJRK", name="人口基本信息", provider=police, share_type=ShareType.CONDITIONAL,
        items=_item([("name", "姓名"), ("household_address", "户籍地址"), ("ethnicity", "民族")]))
    marriage = Resource.objects.create(code="MZ-HYDJ", name="婚姻登记信息", provider=civil,
                                       share_type=ShareType.UNCONDITIONAL, items=_item([("marital_status", "婚姻状况")]))
    HostedRecord.objects.create(resource=population, subject=PERSON, data=json.dumps(
        {"name": "张三", "household_address": "兖州区龙桥路1号", "ethnicity": "汉族"}, ensure_ascii=False))
    HostedRecord.objects.create(resource=marriage, subject=PERSON, data=json.dumps({"marital_status": "已婚"},
                                                                                   ensure_ascii=False))
    steward = staff("civil-steward", Role.DATA_STEWARD, civil)
    Grant.objects.create(consumer=civil, resource=population, items=["name", "household_address"],
                         status=Grant.Status.APPROVED, purpose="低保审核", legal_basis="《社会救助暂行办法》",
                         valid_until="2099-12-31", decide_by="2099-01-01", requested_by=steward)
    item = factories.item("最低生活保障审核确认", department_obj=civil, form_schema=SCHEMA, form_ui=UI,
                          materials=MATERIALS, **factories.fully_online())
    citizen = User.objects.create_user(username="zhang", password="x", name="张三", level=2, id_number=PERSON)
    return {"police": police, "civil": civil, "item": item, "citizen": citizen, "population": population}


@pytest.mark.django_db
def test_sourced_fields_are_read_for_the_department_with_the_item_as_purpose(world):
    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    assert case.form_data["household_address"] == "兖州区龙桥路1号"
    assert case.form_data["marital_status"] == "20"  # the shared label 已婚 becomes the option's value
    assert case.field_sources["household_address"]["label"] == "数据共享：公安分局人口基本信息"
    assert case.field_sources["marital_status"]["ok"] is True
    reads = AccessRecord.objects.filter(result="ok").order_by("seq")
    assert {(r.resource.code, tuple(r.items), r.consumer.code) for r in reads} >= {
        ("GA-HJRK", ("household_address",), "civil"), ("MZ-HYDJ", ("marital_status",), "civil")}
    assert all(r.purpose == "办理“最低生活保障审核确认”" for r in reads)


@pytest.mark.django_db
def test_the_sharing_material_is_satisfied_without_an_upload(world):
    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    hukou = case.materials.get(material_code="M01")
    assert (hukou.status, hukou.source) == (CaseMaterial.Status.AUTO, "数据共享")
    assert hukou.reference.startswith("GA-HJRK#")
    # one item is enough to know the record exists (not everything the bureau may read)
    read = AccessRecord.objects.get(seq=int(hukou.reference.split("#")[1]))
    assert read.items == ["name"] and read.result == "ok" and read.user == world["citizen"]
    assert case.materials.get(material_code="M02").status == CaseMaterial.Status.MISSING


@pytest.mark.django_db
def test_the_server_keeps_sourced_values_whatever_the_client_sends(world, client):
    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    applying.save_form(world["citizen"], case, {"applicant_name": "张三", "household_address": "伪造地址",
                                                "marital_status": "10"})
    case.refresh_from_db()
    assert (case.form_data["household_address"], case.form_data["marital_status"]) == ("兖州区龙桥路1号", "20")
    reads_before = AccessRecord.objects.count()
    response = client.put(f"/api/v1/cases/{case.pk}/form", data={"form": {"household_address": "改过的"}},
                          content_type="application/json", **bearer(world["citizen"]))
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.form_data["household_address"] == "兖州区龙桥路1号"
    assert AccessRecord.objects.count() == reads_before  # autosave does not read again


@pytest.mark.django_db
def test_submission_reads_again_with_the_case_number(world):
    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    case.materials.filter(material_code="M02").update(status=CaseMaterial.Status.UPLOADED)
    case = applying.submit(world["citizen"], case, declaration=True)
    numbered = AccessRecord.objects.filter(case_number=case.number, result="ok")
    assert sorted((r.resource.code, tuple(r.items)) for r in numbered) == [
        ("GA-HJRK", ("household_address",)), ("GA-HJRK", ("name",)), ("MZ-HYDJ", ("marital_status",))]
    assert {r.user for r in numbered} == {world["citizen"]}
    mine = [queries.my_record_dict(r) for r in queries.records_about([PERSON]) if r.case_number]
    assert {(m["resource"], tuple(m["items"]), m["case_number"]) for m in mine} == {
        ("人口基本信息", ("户籍地址",), case.number), ("人口基本信息", ("姓名",), case.number),
        ("婚姻登记信息", ("婚姻状况",), case.number)}


@pytest.mark.django_db
def test_without_a_grant_the_field_falls_back_to_manual_entry_with_a_note(world):
    Grant.objects.update(status=Grant.Status.REVOKED)
    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    entry = case.field_sources["household_address"]
    assert entry["ok"] is False and "没有覆盖这些数据项的有效共享授权" in entry["note"]
    assert "household_address" not in case.form_data or case.form_data["household_address"] in (None, "")
    assert case.materials.get(material_code="M01").status == CaseMaterial.Status.MISSING
    refused = AccessRecord.objects.filter(resource=world["population"], result="refused")
    assert refused.exists()  # the refusal is on record
    # typed by hand, the value is kept
    applying.save_form(world["citizen"], case, {"household_address": "手工填写的地址"})
    case.refresh_from_db()
    assert case.form_data["household_address"] == "手工填写的地址"


@pytest.mark.django_db
def test_a_slow_provider_system_is_a_note_not_an_error(world):
    """婚姻登记信息 served by the civil affairs system over HTTP, which hangs: the draft is made
    within the adapter's budget, the field is left to manual entry with the reason, the failure
    is logged, and the applicant's typed value is kept."""
    from yiwang.sharing import http_provider
    from yiwang.testing.provider_service import ProviderService

    http_provider.reset_breakers()
    with ProviderService({PERSON: {"marital_status": "已婚"}}) as provider:
        Resource.objects.filter(code="MZ-HYDJ").update(backing=Resource.Backing.HTTP, endpoint_url=provider.url,
                                                      endpoint_timeout=0.3)
        provider.behave("slow", delay=2.0)
        case, _ = applying.create_draft(world["citizen"], world["item"].code)
    http_provider.reset_breakers()
    entry = case.field_sources["marital_status"]
    assert entry["ok"] is False and "超时" in entry["note"] and "请手工填写" in entry["note"]
    assert case.field_sources["household_address"]["ok"] is True  # the hosted resource still answered
    failed = AccessRecord.objects.get(resource__code="MZ-HYDJ", result="failed")
    assert "超时" in failed.reason
    applying.save_form(world["citizen"], case, {"marital_status": "20"})
    case.refresh_from_db()
    assert case.form_data["marital_status"] == "20"


@pytest.mark.django_db
def test_a_shared_value_that_does_not_fit_the_field_is_left_to_the_applicant(world):
    """户籍地址 of 300 characters in the register, 200 allowed by the form: a read-only field the
    applicant could never correct would block the submission, so it is typed by hand instead."""
    record = HostedRecord.objects.get(resource=world["population"])
    record.data = json.dumps({"name": "张三", "household_address": "长" * 300}, ensure_ascii=False)
    record.save()
    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    entry = case.field_sources["household_address"]
    assert entry["ok"] is False and "不符合本表要求" in entry["note"]
    assert case.form_data.get("household_address") in (None, "")
    applying.save_form(world["citizen"], case, {"household_address": "兖州区龙桥路1号"})
    case.refresh_from_db()
    assert case.form_data["household_address"] == "兖州区龙桥路1号"


@pytest.mark.django_db
def test_two_partial_grants_still_satisfy_the_material(world):
    Grant.objects.update(items=["household_address"])
    Grant.objects.create(consumer=world["civil"], resource=world["population"], items=["name"],
                         status=Grant.Status.APPROVED, purpose="核验", legal_basis="依据", valid_until="2099-12-31",
                         decide_by="2099-01-01", requested_by=Grant.objects.first().requested_by)
    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    assert case.materials.get(material_code="M01").status == CaseMaterial.Status.AUTO
    assert not AccessRecord.objects.filter(result="refused").exists()


@pytest.mark.django_db
def test_a_grant_revoked_while_the_draft_waited_sends_the_material_back_to_upload(world):
    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    case.materials.filter(material_code="M02").update(status=CaseMaterial.Status.UPLOADED)
    Grant.objects.update(status=Grant.Status.REVOKED)
    with pytest.raises(ApiError) as refused:
        applying.submit(world["citizen"], case, declaration=True)
    assert "materials.M01" in refused.value.fields
    assert case.materials.get(material_code="M01").status == CaseMaterial.Status.MISSING
    from yiwang.core.models import AuditRecord

    assert AuditRecord.objects.filter(action="case.material_unsourced", object_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_a_bundle_reads_once_per_child_department_after_submission(world):
    """一件事 of 低保 (civil affairs, granted) and 公租房 (housing, no grant): the merged form shows
    户籍地址 read for the lead department; after submission each child's department reads in its
    own name — the housing bureau is refused (logged), so its copy is marked as the applicant's."""
    from yiwang.catalog.models import Bundle, BundleItem

    housing = factories.department("housing", name="住房和城乡建设局")
    rental = factories.item("公共租赁住房保障申请", department_obj=housing, form_schema=SCHEMA, form_ui=UI,
                            materials=MATERIALS, **factories.fully_online())
    bundle = Bundle.objects.create(code="kunnan", name="困难群众救助一件事", audience="personal",
                                   lead_department=world["civil"])
    for n, item in enumerate([world["item"], rental]):
        BundleItem.objects.create(bundle=bundle, item=item, order=n)
    from yiwang.cases import bundles

    parent, _ = bundles.create_bundle_draft(world["citizen"], bundle.code)
    assert parent.department == world["civil"] and parent.field_sources["household_address"]["ok"] is True
    parent.materials.exclude(status=CaseMaterial.Status.AUTO).update(status=CaseMaterial.Status.UPLOADED)
    applying.submit(world["citizen"], parent, declaration=True)
    children = {c.department.code: c for c in parent.children.select_related("department")}
    civil_child, housing_child = children["civil"], children["housing"]
    civil_reads = AccessRecord.objects.filter(case_number=civil_child.number, resource=world["population"])
    assert civil_reads.filter(result="ok", consumer=world["civil"]).exists()
    refused = AccessRecord.objects.filter(case_number=housing_child.number, resource=world["population"])
    assert refused.filter(result="refused", consumer=housing).exists()
    housing_child.refresh_from_db()
    entry = housing_child.field_sources["household_address"]
    assert entry["ok"] is False and "申请人在一件事申请中提交" in entry["note"]
    assert housing_child.form_data["household_address"] == "兖州区龙桥路1号"  # the applicant's own submission
    # 婚姻登记信息 is 无条件: the housing bureau reads it in its own name
    assert AccessRecord.objects.filter(case_number=housing_child.number, resource__code="MZ-HYDJ",
                                       result="ok", consumer=housing).exists()
    # the 户籍信息 material the lead department read does not count for the housing bureau
    assert civil_child.materials.get(material_code="M01").status == CaseMaterial.Status.AUTO
    assert housing_child.materials.get(material_code="M01").status == CaseMaterial.Status.MISSING


@pytest.mark.django_db
def test_a_value_that_changed_at_the_source_before_submission_is_updated_and_audited(world):
    from yiwang.core.models import AuditRecord

    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    case.materials.filter(material_code="M02").update(status=CaseMaterial.Status.UPLOADED)
    record = HostedRecord.objects.get(resource=world["population"])
    record.data = json.dumps({"name": "张三", "household_address": "兖州区九州中路2号"}, ensure_ascii=False)
    record.save()
    case = applying.submit(world["citizen"], case, declaration=True)
    case.refresh_from_db()
    assert case.form_data["household_address"] == "兖州区九州中路2号"
    audit = AuditRecord.objects.get(action="case.sourced_updated")
    assert audit.data == {"fields": ["household_address"]} and audit.actor_id == world["citizen"].pk


@pytest.mark.django_db
def test_only_the_applicant_submitting_their_draft_rechecks_its_materials(world):
    """A stranger's (refused) submit must not change someone's submitted case."""
    from yiwang.core.models import AuditRecord

    case, _ = applying.create_draft(world["citizen"], world["item"].code)
    case.materials.filter(material_code="M02").update(status=CaseMaterial.Status.UPLOADED)
    case = applying.submit(world["citizen"], case, declaration=True)
    Grant.objects.update(status=Grant.Status.REVOKED)
    stranger = User.objects.create_user(username="li", password="x", name="李四", level=2)
    with pytest.raises(PermissionDenied):
        applying.submit(stranger, case.pk, declaration=True)
    assert case.materials.get(material_code="M01").status == CaseMaterial.Status.AUTO
    assert not AuditRecord.objects.filter(action="case.material_unsourced").exists()
