"""Regression tests for the review of the data-sharing app: codes with NUL (or other characters no
code has) are "not found", never a 500 on PostgreSQL; the import report and batch keep no NUL; a
correction waits for an import of the same resource and is traceable by hash in the audit log;
a correction accepts exactly what an import accepts; the "my objections" page hides what the
policy hides; nobody decides their own request; a refusal's reason is real text."""

from __future__ import annotations

import hashlib
import json
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.cases.tests.helpers import staff
from yiwang.catalog.tests import factories
from yiwang.core.api import ApiError, NotFound
from yiwang.core.crypto import blind_index
from yiwang.core.identifiers import make_uscc
from yiwang.core.models import AuditRecord
from yiwang.core.text import MAX_LOOKUP_LENGTH, lookup_code
from yiwang.notifications.tests.support import bearer
from yiwang.sharing import exchange, grants, imports, objections
from yiwang.sharing.models import Grant, HostedRecord, ImportBatch, Objection, Resource, ShareType

PERSON = demo_id_number("19880512", "001")
USCC = make_uscc("9", "1", "370812", "MA00K7L2")
ITEMS = [{"name": "name", "label": "姓名", "type": "string", "sensitivity": "personal"},
         {"name": "months", "label": "缴费月数", "type": "integer", "sensitivity": "personal"},
         {"name": "income", "label": "月收入", "type": "number", "sensitivity": "sensitive"},
         {"name": "born", "label": "出生日期", "type": "date", "sensitivity": "personal"},
         {"name": "insured", "label": "是否参保", "type": "boolean", "sensitivity": "personal"}]
RECORD = {"name": "张明", "months": 120, "income": 3500.5, "born": "1988-05-12", "insured": True}


@pytest.fixture
def world(db):
    police = factories.department("police", name="公安分局")
    market = factories.department("market", name="市场监管局")
    insured = Resource.objects.create(code="SB-001", name="社保参保信息", provider=police, items=ITEMS,
                                      share_type=ShareType.UNCONDITIONAL)
    population = Resource.objects.create(code="RK-001", name="人口基本信息", provider=police, items=ITEMS[:2],
                                         share_type=ShareType.CONDITIONAL, legal_basis="《政务数据共享条例》")
    companies = Resource.objects.create(code="QY-001", name="企业登记信息", provider=police, items=ITEMS[:1],
                                        share_type=ShareType.UNCONDITIONAL,
                                        subject_kind=Resource.SubjectKind.ORGANISATION)
    HostedRecord.objects.create(resource=insured, subject=PERSON, data=json.dumps(RECORD, ensure_ascii=False))
    both = staff("steward-both", Role.DATA_STEWARD, police)
    assign_role(both, Role.DATA_STEWARD, department=market)
    return {"police": police, "market": market, "insured": insured, "population": population,
            "companies": companies, "steward_both": both,
            "steward_police": staff("steward-police", Role.DATA_STEWARD, police),
            "steward_market": staff("steward-market", Role.DATA_STEWARD, market),
            "clerk": staff("clerk-market", Role.UNDERTAKER, market),
            "colleague": staff("reviewer-market", Role.REVIEWER, market),
            "citizen": User.objects.create_user(username="zhang", password="x", name="张明", level=2,
                                                id_number=PERSON)}


def _stored(world) -> dict:
    return json.loads(HostedRecord.objects.get(resource=world["insured"]).data)


def _post_json(client, url: str, body, user):
    return client.post(url, data=json.dumps(body), content_type="application/json", **bearer(user))


# --- 1. codes no resource can have ------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("RK-001", "RK-001"), ("  RK-001\n", "RK-001"), ("", ""), (None, ""), (7, ""), ("RK\x00001", ""),
    ("\x00", ""), ("RK-\x7f", ""), ("RK\t001", ""), ("RK-\ud800", ""), ("R" * MAX_LOOKUP_LENGTH, "R" * MAX_LOOKUP_LENGTH),
    ("R" * (MAX_LOOKUP_LENGTH + 1), ""), ("人口-001", "人口-001")])
def test_lookup_code(value, expected):
    assert lookup_code(value) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/sharing/resources/%00/", "/sharing/resources/RK%00001/edit/", "/sharing/resources/%00/import/",
    "/sharing/resources/%00/import/template.csv", f"/sharing/resources/{'R' * 101}/"])
def test_pages_answer_404_for_a_code_with_nul(client, world, url):
    client.force_login(world["steward_police"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_request_and_objection_forms_treat_a_code_with_nul_as_unknown(client, world):
    client.force_login(world["steward_market"])
    page = client.get("/sharing/grants/new/", {"resource": "RK\x00001"})
    assert page.status_code == 400 and "请选择有条件共享的资源" in page.content.decode()
    posted = client.post("/sharing/grants/new/", {"resource": "\x00", "items": ["name"], "purpose": "核验",
                                                  "legal_basis": "依据", "days": "30", "consumer": "market"})
    assert posted.status_code == 400 and not Grant.objects.exists()
    client.force_login(world["citizen"])
    chooser = client.get("/sharing/objections/new/", {"resource": "SB-001\x00"})
    assert chooser.status_code == 200 and chooser.context["resource"] is None
    assert "SB-001" in [r.code for r in chooser.context["choices"]]
    refused = client.post("/sharing/objections/new/", {"resource": "\x00", "item": "name", "reason": "错"})
    assert refused.status_code == 200 and not Objection.objects.exists()
    with pytest.raises(NotFound):
        objections.raise_objection(world["citizen"], "SB-001\x00", PERSON, "name", reason="错")


@pytest.mark.django_db
def test_my_records_filter_with_nul_matches_nothing(client, world):
    exchange.read("SB-001", PERSON, consumer=world["market"], purpose="核验参保情况", items=["insured"])
    client.force_login(world["citizen"])
    assert client.get("/sharing/my-records/").context["total"] == 1
    assert client.get("/sharing/my-records/", {"resource": "SB-001"}).context["total"] == 1
    page = client.get("/sharing/my-records/?resource=%00")
    assert page.status_code == 200 and page.context["total"] == 0 and "核验参保情况" not in page.content.decode()
    csv_export = client.get("/sharing/my-records/?resource=SB%00001&format=csv")
    assert csv_export.status_code == 200 and "核验参保情况" not in csv_export.content.decode()


@pytest.mark.django_db
def test_api_answers_not_found_for_a_code_with_nul(client, world):
    steward = bearer(world["steward_police"])
    for url in ("/api/v1/sharing/resources/%00", "/api/v1/sharing/resources/%00/imports",
                "/api/v1/sharing/resources/SB%00001/imports/1"):
        answer = client.get(url, **steward)
        assert (answer.status_code, answer.json()["code"]) == (404, "not_found"), url
    assert client.put("/api/v1/sharing/resources/%00", data="{}", content_type="application/json",
                      **steward).status_code == 404
    rows = _post_json(client, "/api/v1/sharing/resources/SB%00001/records", {"rows": [{"subject": PERSON}]},
                      world["steward_police"])
    assert rows.status_code == 404 and not ImportBatch.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "field"), [
    ({"resource": "\u0000"}, "resource"), ({"resource": "RK-001\u0000"}, "resource"),
    ({"resource": "RK-\ud800"}, "resource"), ({"resource": "RK-001", "consumer": "\u0000"}, "consumer"),
    ({"resource": "RK-001", "consumer": "mar\u0000ket"}, "consumer")])
def test_grant_request_api_reports_a_code_with_nul_as_a_field_error(client, world, body, field):
    base = {"items": ["name"], "purpose": "核验", "legal_basis": "依据", "days": 30}
    answer = _post_json(client, "/api/v1/sharing/grants", base | body, world["steward_market"])
    assert answer.status_code == 400 and field in answer.json()["fields"]
    assert not Grant.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "field"), [
    ({"resource": "\u0000"}, "resource"), ({"resource": "SB-001", "department": "\u0000"}, "department")])
def test_objection_api_reports_a_code_with_nul_as_a_field_error(client, world, body, field):
    base = {"item": "name", "subject": PERSON, "reason": "错"}
    answer = _post_json(client, "/api/v1/sharing/objections", base | body, world["clerk"])
    assert answer.status_code == 400 and field in answer.json()["fields"]
    assert not Objection.objects.exists()


# --- 2. the import report ---------------------------------------------------------------------


@pytest.mark.django_db
def test_api_import_reports_a_key_with_nul_visibly(client, world):
    answer = _post_json(client, "/api/v1/sharing/resources/SB-001/records",
                        {"rows": [{"subject": PERSON, "na\u0000me": "x"}]}, world["steward_police"])
    assert answer.status_code == 400 and answer.json()["code"] == "import_rejected"
    assert [(e["row"], e["field"]) for e in answer.json()["errors"]] == [(1, "na\\x00me")]
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED and batch.errors[0]["field"] == "na\\x00me"
    assert _stored(world) == RECORD
    # a lone surrogate (valid JSON, not text) in a key or a value: reported, not a 500
    answer = _post_json(client, "/api/v1/sharing/resources/SB-001/records",
                        {"rows": [{"subject": PERSON, "name": "张\ud800", "x\udc00": "1"}]}, world["steward_police"])
    assert answer.status_code == 400
    assert {(e["field"], e["message"]) for e in answer.json()["errors"]} == {
        ("name", "含有无效的字符。"), ("x\\udc00", "资源没有这个数据项。")}
    assert _stored(world) == RECORD


@pytest.mark.django_db
def test_csv_header_and_message_with_nul_are_stored_escaped(world):
    batch = imports.import_file(world["steward_police"], world["insured"],
                                ("身份证号,姓\x00名\n" + PERSON + ",张三\n").encode(), filename="da\x00ta.csv")
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["field"]) for e in batch.errors] == [(1, "姓\\x00名"), (2, "")]  # and the row is empty
    assert batch.filename == "data.csv"
    assert AuditRecord.objects.get(action="sharing.import_rejected").data["filename"] == "data.csv"
    # a message that quotes the bad characters of a value (统一社会信用代码含有不允许的字符)
    batch = imports.import_rows(world["steward_police"], world["companies"],
                                [{"subject": USCC[:17] + "\x00", "name": "示范公司"}], channel=ImportBatch.Channel.API)
    message = ImportBatch.objects.get(pk=batch.pk).errors[0]["message"]
    assert "\x00" not in message and "\\x00" in message


# --- 3. a correction and a concurrent import --------------------------------------------------


def _objection(world, item: str, proposed: str) -> Objection:
    return objections.raise_objection(world["citizen"], world["insured"], PERSON, item, reason="有误",
                                      proposed_value=proposed)


def _sha(value) -> str:
    return blind_index("objection-value", json.dumps(value, ensure_ascii=False))


@pytest.mark.django_db
def test_correction_audit_carries_hashes_not_values(world):
    o = _objection(world, "months", "126")
    objections.resolve(world["steward_police"], o, outcome="corrected", note="补录")
    data = AuditRecord.objects.get(action="sharing.objection_resolved").data
    assert data == {"outcome": "corrected", "item": "months", "record_updated": True,
                    "value_before_hmac": _sha(120), "value_after_hmac": _sha(126)}
    assert _sha(120) != hashlib.sha256(b"120").hexdigest()  # keyed: not a plain hash one could recompute
    o = _objection(world, "name", "张明明")
    objections.resolve(world["steward_police"], o, outcome="explained", note="以户籍登记为准")
    data = AuditRecord.objects.filter(action="sharing.objection_resolved").order_by("-seq").first().data
    assert data == {"outcome": "explained", "item": "name", "record_updated": False}


@pytest.mark.django_db(transaction=True)
def test_correction_waits_for_an_import_of_the_same_resource(world, monkeypatch):
    """An import holds the resource's lock from reading the records to writing them; a correction
    made meanwhile must wait for it, not be overwritten by the import's older copy."""
    o = _objection(world, "months", "126")
    read_done, go_on, errors = threading.Event(), threading.Event(), []
    real_existing = imports._existing

    def paused_existing(resource, subjects):
        found = real_existing(resource, subjects)
        read_done.set()
        go_on.wait(10)
        return found

    monkeypatch.setattr(imports, "_existing", paused_existing)

    def run(work) -> None:
        try:
            work()
        except Exception as exc:  # reported below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    importer = threading.Thread(target=run, args=(lambda: imports.import_rows(
        world["steward_police"], world["insured"], [{"subject": PERSON, "name": "张明华"}],
        channel=ImportBatch.Channel.API),))
    corrector = threading.Thread(target=run, args=(lambda: objections.resolve(
        world["steward_police"], o, outcome="corrected", note="补录"),))
    importer.start()
    assert read_done.wait(10)
    corrector.start()
    corrector.join(1.5)  # before the fix the correction went through here, under the import's feet
    go_on.set()
    importer.join(30)
    corrector.join(30)
    assert not errors, errors
    assert _stored(world) == {**RECORD, "name": "张明华", "months": 126}
    assert Objection.objects.get(pk=o.pk).status == "corrected"


# --- 4. a correction is typed as an import types it -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("item", "text"), [
    ("income", "nan"), ("income", "inf"), ("income", "-Infinity"), ("income", "1e999"), ("income", "1_000"),
    ("income", "1.5e3"), ("income", " 42 "), ("months", "1_000"), ("months", "1e3"), ("months", "12.0"),
    ("months", "+7"), ("months", "99999999999999999"), ("born", "20240101"), ("born", "2024-02-30"),
    ("born", "2024-W01-1"), ("born", "2024-02-29"), ("insured", "yes"), ("insured", "否"), ("insured", "TRUE"),
    ("name", "张明明")])
def test_correction_accepts_exactly_what_an_import_accepts(world, item, text):
    try:
        expected = imports.convert(next(i["type"] for i in ITEMS if i["name"] == item), text)
    except ValueError as exc:
        expected = exc
    o = _objection(world, item, text)
    if isinstance(expected, ValueError):
        with pytest.raises(ApiError) as refused:
            objections.resolve(world["steward_police"], o, outcome="corrected", note="更正")
        assert refused.value.fields == {"value": str(expected)}
        assert _stored(world) == RECORD
        return
    objections.resolve(world["steward_police"], o, outcome="corrected", note="更正")
    assert _stored(world)[item] == expected
    batch = imports.import_rows(world["steward_police"], world["insured"], [{"subject": PERSON, item: text}],
                                channel=ImportBatch.Channel.API)
    assert batch.status == ImportBatch.Status.APPLIED and _stored(world)[item] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("item", "text", "message"), [
    ("income", "nan", "应为数字。"), ("income", "inf", "应为数字。"), ("income", "1e999", "应为数字。"),
    ("income", "1_000", "应为数字。"), ("months", "1_000", "应为整数。"), ("born", "20240101", "日期格式应为 YYYY-MM-DD。")])
def test_correction_refuses_what_an_import_refuses(world, item, text, message):
    o = _objection(world, item, text)
    with pytest.raises(ApiError) as refused:
        objections.resolve(world["steward_police"], o, outcome="corrected", note="更正")
    assert refused.value.fields == {"value": message}
    assert Objection.objects.get(pk=o.pk).status == "open" and _stored(world) == RECORD


# --- 5. "my objections" shows only what the policy shows -------------------------------------


@pytest.mark.django_db
def test_my_objections_page_hides_the_value_from_a_department_colleague(client, world):
    exchange.read("SB-001", PERSON, consumer=world["market"], purpose="核验", items=["name"])
    objections.raise_objection(world["clerk"], world["insured"], PERSON, "name", reason="与身份证不一致",
                               proposed_value="张明华", department=world["market"])
    client.force_login(world["colleague"])
    page = client.get("/sharing/objections/").content.decode()
    assert "社保参保信息" in page and "姓名" in page and "待处理" in page
    assert "张明华" not in page and "仅提出人和提供部门可见" in page
    client.force_login(world["clerk"])
    assert "张明华" in client.get("/sharing/objections/").content.decode()


# --- 6. no decision on one's own request ------------------------------------------------------


def _own_request(world) -> Grant:
    return grants.request(world["steward_both"], world["market"], world["population"], items=["name"],
                          purpose="核验经营者身份", legal_basis="《食品经营许可和备案管理办法》", days=30)


@pytest.mark.django_db
def test_a_steward_of_both_departments_cannot_decide_their_own_request(world):
    grant = _own_request(world)
    with pytest.raises(PermissionDenied) as denied:
        grants.approve(world["steward_both"], grant, "同意")
    assert str(denied.value) == "不能审批本人提出的共享申请。"
    with pytest.raises(PermissionDenied):
        grants.refuse(world["steward_both"], grant, "不同意")
    assert Grant.objects.get(pk=grant.pk).status == Grant.Status.REQUESTED
    denials = AuditRecord.objects.filter(action="sharing.grant_decide_denied", object_id=str(grant.pk))
    assert denials.count() == 2 and denials.first().actor_id == world["steward_both"].pk
    assert grants.approve(world["steward_police"], grant, "同意").status == Grant.Status.APPROVED


@pytest.mark.django_db
def test_own_request_refused_on_the_page_and_the_api(client, world):
    grant = _own_request(world)
    client.force_login(world["steward_both"])
    detail = client.get(f"/sharing/grants/{grant.pk}/")
    assert not detail.context["may_decide"] and "须由提供部门的其他数据管理员审批" in detail.content.decode()
    for data in ({"action": "approve"}, {"action": "approve", "confirmed": "1"}):
        answer = client.post(f"/sharing/grants/{grant.pk}/decide/", data)
        assert answer.status_code == 403 and "不能审批本人提出的共享申请" in answer.content.decode()
    api = _post_json(client, f"/api/v1/sharing/grants/{grant.pk}/approve", {"note": "同意"}, world["steward_both"])
    assert api.status_code == 403 and api.json()["message"] == "不能审批本人提出的共享申请。"
    assert Grant.objects.get(pk=grant.pk).status == Grant.Status.REQUESTED
    client.force_login(world["steward_police"])
    assert client.get(f"/sharing/grants/{grant.pk}/").context["may_decide"]


# --- 7. a refusal needs a reason that is text ------------------------------------------------


@pytest.mark.django_db
def test_refusal_reason_of_control_characters_only_is_missing(client, world):
    grant = grants.request(world["steward_market"], world["market"], world["population"], items=["name"],
                           purpose="核验", legal_basis="依据", days=30)
    with pytest.raises(ApiError) as refused:
        grants.refuse(world["steward_police"], grant, "\x00\x07\x1b")
    assert refused.value.fields == {"note": "请填写理由"}
    api = _post_json(client, f"/api/v1/sharing/grants/{grant.pk}/refuse", {"note": "\u0000 \u0008"},
                     world["steward_police"])
    assert api.status_code == 400 and "note" in api.json()["fields"]
    grant.refresh_from_db()
    assert (grant.status, grant.decision_note) == (Grant.Status.REQUESTED, "")


def test_free_text_drops_lone_surrogates():
    """A JSON body may carry "\\ud800": it cannot be encoded for the database, so it never gets there."""
    from yiwang.core.text import strip_control

    assert strip_control("理由\ud800有误\udfff") == "理由有误"
    assert strip_control("正常文本😀") == "正常文本😀"
