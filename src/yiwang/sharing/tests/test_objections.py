"""数据纠错 (issue 8): who may object to which data, the working-day deadline, the provider's
resolution (a correction updates the hosted record in the same transaction), transitions, the
pages of the person concerned and of the provider, and the API."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import Enterprise, EnterpriseMembership, User
from yiwang.accounts.roles import Role
from yiwang.cases.tests.helpers import staff
from yiwang.catalog.tests import factories
from yiwang.core import audit, workdays
from yiwang.core.api import ApiError, Conflict
from yiwang.core.identifiers import make_uscc
from yiwang.core.models import AuditRecord, OutboxEvent
from yiwang.notifications.tests.support import bearer
from yiwang.sharing import exchange, objections, stewardship
from yiwang.sharing.models import HostedRecord, Objection, Resource, ShareType

PERSON = demo_id_number("19880512", "001")
OTHER = demo_id_number("19900101", "002")
USCC = make_uscc("9", "1", "370812", "MA00K7L2")
ITEMS = [{"name": "household_address", "label": "户籍地址", "type": "string", "sensitivity": "personal"},
         {"name": "months", "label": "累计缴费月数", "type": "integer", "sensitivity": "personal"}]


def _hosted(resource, subject, data):
    return HostedRecord.objects.create(resource=resource, subject=subject, data=json.dumps(data, ensure_ascii=False))


def _data(resource, subject):
    return next(json.loads(r.data) for r in HostedRecord.objects.filter(resource=resource) if r.subject == subject)


@pytest.fixture
def world(db):
    police = factories.department("police", name="公安分局")
    market = factories.department("market", name="市场监管局")
    civil = factories.department("civil", name="民政局")
    population = Resource.objects.create(code="RK-001", name="人口基本信息", provider=police, items=ITEMS,
                                         share_type=ShareType.UNCONDITIONAL, legal_basis="《政务数据共享条例》")
    companies = Resource.objects.create(code="QY-001", name="企业登记信息", provider=market, items=ITEMS[:1],
                                        share_type=ShareType.UNCONDITIONAL,
                                        subject_kind=Resource.SubjectKind.ORGANISATION)
    _hosted(population, PERSON, {"household_address": "兖州区龙桥路1号", "months": 120})
    _hosted(population, OTHER, {"household_address": "兖州区新驿镇", "months": 3})
    _hosted(companies, USCC, {"household_address": "兖州区建设东路18号"})
    citizen = User.objects.create_user(username="zhang", password="x", name="张明", level=2, id_number=PERSON)
    enterprise = Enterprise.objects.create(name="示范食品有限公司", uscc=USCC, type=Enterprise.Type.COMPANY,
                                           legal_rep_name="张明", created_by=citizen,
                                           status=Enterprise.Status.VERIFIED)
    EnterpriseMembership.objects.create(enterprise=enterprise, user=citizen, kind=EnterpriseMembership.Kind.LEGAL_REP)
    return {"police": police, "market": market, "civil": civil, "population": population, "companies": companies,
            "citizen": citizen,
            "unverified": User.objects.create_user(username="li", password="x", level=1, id_number=OTHER),
            "steward_police": staff("steward-police", Role.DATA_STEWARD, police),
            "steward_market": staff("steward-market", Role.DATA_STEWARD, market),
            "clerk": staff("clerk-market", Role.UNDERTAKER, market),
            "clerk_civil": staff("clerk-civil", Role.UNDERTAKER, civil)}


def _raise(world, **kw):
    args = {"reason": "已迁入新址", "proposed_value": "兖州区九州中路88号"} | kw
    return objections.raise_objection(world["citizen"], world["population"], PERSON, "household_address", **args)


# --- raising -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_applicant_objects_to_own_data_with_a_working_day_deadline(world, settings):
    settings.YIWANG_SHARING_OBJECTION_WORKING_DAYS = 3
    o = _raise(world, case_number="N-1")
    assert (o.status, o.current_value, o.proposed_value, o.raised_for, o.case_number) == (
        "open", "兖州区龙桥路1号", "兖州区九州中路88号", None, "N-1")
    assert o.due_by == workdays.add_working_days(dt.date.today(), 3)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT subject, proposed_value, current_value FROM {Objection._meta.db_table} WHERE id = %s",
                       [o.pk])
        stored = " ".join(cursor.fetchone())
    assert PERSON not in stored and "九州中路" not in stored and "龙桥路" not in stored  # encrypted at rest
    event = OutboxEvent.objects.get(name="sharing.objection_raised")
    assert event.payload == {"objection_id": o.pk, "resource": "RK-001", "provider": "police",
                             "item": "household_address", "raised_for": None, "due_by": o.due_by.isoformat()}
    record = AuditRecord.objects.get(action="sharing.objection_raised")
    assert PERSON not in record.summary
    with pytest.raises(Conflict):
        _raise(world)  # one open objection per item is enough
    # an enterprise's legal representative objects to the enterprise's data
    ent = objections.raise_objection(world["citizen"], "QY-001", USCC.lower(), "household_address", reason="住所已变更")
    assert ent.current_value == "兖州区建设东路18号"


@pytest.mark.django_db
def test_only_own_data_and_only_verified(world):
    with pytest.raises(PermissionDenied):
        objections.raise_objection(world["citizen"], world["population"], OTHER, "household_address", reason="错")
    with pytest.raises(PermissionDenied):
        objections.raise_objection(world["unverified"], world["population"], OTHER, "household_address", reason="错")
    assert not Objection.objects.exists()


@pytest.mark.django_db
def test_validation_errors(world):
    with pytest.raises(ApiError) as exc:
        objections.raise_objection(world["citizen"], world["population"], "", "nope", reason=" ",
                                   proposed_value="x" * 501, case_number="N" * 51)
    assert set(exc.value.fields) == {"subject", "item", "reason", "proposed_value", "case_number"}
    assert exc.value.status == 400 and "请说明" in exc.value.fields["reason"]
    with pytest.raises(ApiError) as exc:
        objections.raise_objection(world["citizen"], "NOPE", PERSON, "x", reason="错")
    assert exc.value.status == 404


@pytest.mark.django_db
def test_department_objects_only_to_what_it_read(world):
    args = {"reason": "与申请人提供的户口簿不一致", "department": world["market"]}
    with pytest.raises(PermissionDenied):  # not read yet
        objections.raise_objection(world["clerk"], world["population"], OTHER, "household_address", **args)
    exchange.read("RK-001", OTHER, consumer=world["market"], purpose="核验", items=["household_address"])
    with pytest.raises(PermissionDenied):  # staff of another department
        objections.raise_objection(world["clerk_civil"], world["population"], OTHER, "household_address", **args)
    with pytest.raises(PermissionDenied):  # an item the department did not read
        objections.raise_objection(world["clerk"], world["population"], OTHER, "months", **args)
    o = objections.raise_objection(world["clerk"], world["population"], OTHER, "household_address", **args)
    assert o.raised_for == world["market"] and o.current_value == "兖州区新驿镇"
    assert OutboxEvent.objects.get(name="sharing.objection_raised").payload["raised_for"] == "market"
    # the department's other staff see it; the values are not shown to them
    colleague = staff("reviewer-market", Role.REVIEWER, world["market"])
    assert list(stewardship.objections_raised(colleague)) == [o]
    shown = stewardship.objection_dict(o, colleague)
    assert shown["current_value"] is None and shown["proposed_value"] is None
    assert stewardship.objection_dict(o, world["steward_police"])["current_value"] == "兖州区新驿镇"


# --- resolving ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_correction_updates_the_hosted_record(world):
    o = _raise(world)
    for user in (world["citizen"], world["steward_market"], world["clerk"]):
        with pytest.raises(PermissionDenied):
            objections.resolve(user, o, outcome="corrected", note="已核实")
    with pytest.raises(ApiError) as exc:
        objections.resolve(world["steward_police"], o, outcome="deleted", note="")
    assert set(exc.value.fields) == {"outcome", "note"}
    objections.resolve(world["steward_police"], o, outcome="corrected", note="经核实户籍已迁移")
    o.refresh_from_db()
    assert (o.status, o.resolution, o.resolved_by) == ("corrected", "经核实户籍已迁移", world["steward_police"])
    assert _data(world["population"], PERSON) == {"household_address": "兖州区九州中路88号", "months": 120}
    reading = exchange.read("RK-001", PERSON, consumer=world["market"], purpose="核验", items=["household_address"])
    assert reading.values == {"household_address": "兖州区九州中路88号"}
    with pytest.raises(Conflict):
        objections.resolve(world["steward_police"], o, outcome="explained", note="再处理")
    event = OutboxEvent.objects.get(name="sharing.objection_resolved")
    assert event.payload == {"objection_id": o.pk, "resource": "RK-001", "item": "household_address",
                             "outcome": "corrected", "raised_by": world["citizen"].pk, "raised_for": None}
    assert AuditRecord.objects.get(action="sharing.objection_resolved").data["record_updated"] is True
    assert audit.verify().ok


@pytest.mark.django_db
def test_correction_value_is_typed_and_explained_leaves_the_record(world):
    o = objections.raise_objection(world["citizen"], world["population"], PERSON, "months", reason="少算了")
    with pytest.raises(ApiError) as exc:
        objections.resolve(world["steward_police"], o, outcome="corrected", note="更正")  # no value proposed
    assert exc.value.fields == {"value": "此项为必填项。"}
    with pytest.raises(ApiError) as exc:
        objections.resolve(world["steward_police"], o, outcome="corrected", note="更正", value="十二")
    assert exc.value.fields == {"value": "应为整数。"}
    o.refresh_from_db()
    assert o.status == "open" and _data(world["population"], PERSON)["months"] == 120  # all or nothing
    objections.resolve(world["steward_police"], o, outcome="corrected", note="补录", value="126")
    assert _data(world["population"], PERSON)["months"] == 126
    other = _raise(world)
    objections.resolve(world["steward_police"], other, outcome="explained", note="户籍未迁移，以户籍登记为准")
    assert _data(world["population"], PERSON)["household_address"] == "兖州区龙桥路1号"


@pytest.mark.django_db
def test_overdue_and_inbox_scope(world):
    o = _raise(world)
    assert not stewardship.objection_is_overdue(o, o.due_by)
    assert stewardship.objection_is_overdue(o, o.due_by + dt.timedelta(days=1))
    assert list(stewardship.objections_to_handle(world["steward_police"])) == [o]
    assert list(stewardship.objections_to_handle(world["steward_market"])) == []
    assert stewardship.objection_for(world["steward_market"], o.pk) is None
    assert stewardship.objection_for(world["citizen"], o.pk) == o


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_citizen_raises_from_the_page_seeing_the_current_value(client, world):
    client.force_login(world["unverified"])
    assert client.get("/sharing/objections/new/").status_code == 403
    client.force_login(world["citizen"])
    chooser = client.get("/sharing/objections/new/").content.decode()
    assert "人口基本信息" in chooser and "企业登记信息" in chooser
    page = client.get("/sharing/objections/new/", {"resource": "RK-001", "item": "household_address"})
    assert page.status_code == 200 and "兖州区龙桥路1号" in page.content.decode()
    assert "兖州区新驿镇" not in page.content.decode()
    forged = client.get("/sharing/objections/new/", {"resource": "RK-001", "item": "household_address",
                                                      "subject": OTHER})
    assert "兖州区新驿镇" not in forged.content.decode()  # someone else's id falls back to one's own
    bad = client.post("/sharing/objections/new/", {"resource": "RK-001", "item": "household_address",
                                                   "subject": PERSON, "reason": ""})
    assert bad.status_code == 400 and "请说明哪里有误" in bad.content.decode()
    ok = client.post("/sharing/objections/new/", {"resource": "RK-001", "item": "household_address",
                                                  "subject": PERSON, "reason": "已迁入新址",
                                                  "proposed_value": "兖州区九州中路88号"})
    assert ok.status_code == 302 and ok["Location"] == "/sharing/objections/"
    mine = client.get("/sharing/objections/").content.decode()
    assert "户籍地址" in mine and "兖州区九州中路88号" in mine and "待处理" in mine


@pytest.mark.django_db
def test_steward_resolves_in_the_inbox_with_a_confirmation(client, world):
    o = _raise(world)
    Objection.objects.filter(pk=o.pk).update(due_by=dt.date.today() - dt.timedelta(days=1))
    client.force_login(world["clerk"])
    assert client.get("/sharing/objections/inbox/").status_code == 403
    client.force_login(world["steward_police"])
    inbox = client.get("/sharing/objections/inbox/").content.decode()
    assert "户籍地址" in inbox and "超期" in inbox and "申请人本人" in inbox
    detail = client.get(f"/sharing/objections/{o.pk}/").content.decode()
    assert "兖州区龙桥路1号" in detail and "兖州区九州中路88号" in detail and "370812" in detail
    missing = client.post(f"/sharing/objections/{o.pk}/resolve/", {"outcome": "corrected", "note": ""})
    assert missing.status_code == 400 and "请填写处理说明" in missing.content.decode()
    confirm = client.post(f"/sharing/objections/{o.pk}/resolve/",
                          {"outcome": "corrected", "value": "兖州区九州中路88号", "note": "已核实"})
    assert confirm.status_code == 200 and "确认提交" in confirm.content.decode()
    assert Objection.objects.get(pk=o.pk).status == "open"
    done = client.post(f"/sharing/objections/{o.pk}/resolve/", {"outcome": "corrected", "value": "兖州区九州中路88号",
                                                               "note": "已核实", "confirmed": "1"})
    assert done.status_code == 302 and Objection.objects.get(pk=o.pk).status == "corrected"
    assert _data(world["population"], PERSON)["household_address"] == "兖州区九州中路88号"
    client.force_login(world["steward_market"])
    assert client.get(f"/sharing/objections/{o.pk}/").status_code == 404


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_objections_api(client, world):
    me, police = bearer(world["citizen"]), bearer(world["steward_police"])
    bad = client.post("/api/v1/sharing/objections", {"resource": "RK-001", "item": "nope"},
                      content_type="application/json", **me)
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"item", "reason"}
    other = client.post("/api/v1/sharing/objections", {"resource": "RK-001", "item": "months", "subject": OTHER,
                                                       "reason": "错"}, content_type="application/json", **me)
    assert other.status_code == 403
    made = client.post("/api/v1/sharing/objections", {"resource": "RK-001", "item": "months", "reason": "少算了",
                                                      "proposed_value": "126"}, content_type="application/json", **me)
    assert made.status_code == 200
    body = made.json()
    assert body["status"] == "open" and body["current_value"] == "120" and body["subject_masked"].startswith("370")
    oid = body["id"]
    assert client.get("/api/v1/sharing/objections", **me).json()["total"] == 1
    assert client.get("/api/v1/sharing/objections", {"scope": "to_handle"}, **me).status_code == 403
    assert client.get("/api/v1/sharing/objections", {"scope": "x"}, **me).status_code == 400
    handle = client.get("/api/v1/sharing/objections", {"scope": "to_handle", "status": "open"}, **police).json()
    assert handle["total"] == 1 and handle["items"][0]["id"] == oid
    assert client.get(f"/api/v1/sharing/objections/{oid}", **bearer(world["steward_market"])).status_code == 404
    assert client.post(f"/api/v1/sharing/objections/{oid}/resolve", {"outcome": "corrected", "note": "x"},
                       content_type="application/json", **me).status_code == 403
    typed = client.post(f"/api/v1/sharing/objections/{oid}/resolve", {"outcome": "corrected", "note": "x",
                                                                      "value": "abc"},
                        content_type="application/json", **police)
    assert typed.status_code == 400 and typed.json()["fields"] == {"value": "应为整数。"}
    ok = client.post(f"/api/v1/sharing/objections/{oid}/resolve", {"outcome": "corrected", "note": "补录"},
                     content_type="application/json", **police)
    assert ok.status_code == 200 and ok.json()["status"] == "corrected"
    assert _data(world["population"], PERSON)["months"] == 126
    again = client.post(f"/api/v1/sharing/objections/{oid}/resolve", {"outcome": "explained", "note": "x"},
                        content_type="application/json", **police)
    assert again.status_code == 409
    # a department's objection through the API
    exchange.read("RK-001", OTHER, consumer=world["market"], purpose="核验", items=["household_address"])
    dept = client.post("/api/v1/sharing/objections", {"resource": "RK-001", "item": "household_address",
                                                      "subject": OTHER, "reason": "不一致", "department": "market"},
                       content_type="application/json", **bearer(world["clerk"]))
    assert dept.status_code == 200 and dept.json()["raised_for"] == "market" and dept.json()["current_value"] is None
    nodept = client.post("/api/v1/sharing/objections", {"resource": "RK-001", "item": "household_address",
                                                        "subject": OTHER, "reason": "x", "department": "nope"},
                         content_type="application/json", **bearer(world["clerk"]))
    assert nodept.status_code == 400 and "department" in nodept.json()["fields"]


@pytest.mark.django_db
def test_looking_at_ones_own_value_is_not_a_department_read(client, world):
    """The person's own view of their record and an objection are not exchange reads: no access
    record, so 我的数据使用记录 lists only departments' uses."""
    client.force_login(world["citizen"])
    page = client.get("/sharing/objections/new/", {"resource": "RK-001", "item": "months"})
    assert "120" in page.content.decode()
    _raise(world)
    assert not world["population"].accesses.exists()
