"""The stewards' side of data sharing (issue 8): catalogue pages and editing, 有条件 requests
received and made with reply dates and overdue flags, decisions with a confirmation step,
revocation, and the same through the API — each scoped to the user's departments."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.cases.tests.helpers import staff
from yiwang.catalog.tests import factories
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.models import AuditRecord, OutboxEvent
from yiwang.notifications.tests.support import bearer
from yiwang.sharing import exchange, grants, http_provider, queries, services_catalogue, stewardship
from yiwang.sharing.models import AccessRecord, Grant, HostedRecord, Resource, ShareType
from yiwang.testing.provider_service import ProviderService

PERSON = demo_id_number("19880512", "001")
ITEMS = [{"name": "name", "label": "姓名", "type": "string", "sensitivity": "personal"},
         {"name": "gender", "label": "性别", "type": "string", "sensitivity": "personal"},
         {"name": "ethnicity", "label": "民族", "type": "string", "sensitivity": "sensitive"}]


@pytest.fixture
def world(db):
    police = factories.department("police", name="公安分局")
    market = factories.department("market", name="市场监管局")
    civil = factories.department("civil", name="民政局")
    population = Resource.objects.create(code="RK-001", name="人口基本信息", provider=police, items=ITEMS,
                                         share_type=ShareType.CONDITIONAL, legal_basis="《政务数据共享条例》第十四条",
                                         update_cycle="实时")
    marriage = Resource.objects.create(code="HY-001", name="婚姻登记信息", provider=civil, items=ITEMS[:1],
                                       share_type=ShareType.UNCONDITIONAL)
    secret = Resource.objects.create(code="XX-001", name="案件侦查信息", provider=police, items=ITEMS[:1],
                                     share_type=ShareType.NONE, legal_basis="涉及侦查秘密，依法不予共享")
    HostedRecord.objects.create(resource=population, subject=PERSON, data=json.dumps(
        {"name": "张明", "gender": "男", "ethnicity": "汉族"}, ensure_ascii=False))
    return {"police": police, "market": market, "civil": civil, "population": population, "marriage": marriage,
            "secret": secret,
            "steward_police": staff("steward-police", Role.DATA_STEWARD, police),
            "steward_market": staff("steward-market", Role.DATA_STEWARD, market),
            "admin_market": staff("admin-market", Role.DEPT_ADMIN, market),
            "clerk": staff("clerk-market", Role.UNDERTAKER, market),
            "citizen": User.objects.create_user(username="zhang", password="x", name="张明", level=2,
                                                id_number=PERSON)}


def _request(world, items=("gender",), days=180):
    return grants.request(world["steward_market"], world["market"], world["population"], items=list(items),
                          purpose="食品经营许可：核验经营者性别", legal_basis="《食品经营许可和备案管理办法》", days=days)


# --- catalogue service ------------------------------------------------------------------------


def test_bump_version():
    assert [services_catalogue.bump_version(v) for v in ("1.0", "2", "1.9", "1.2.3", "v1", "")] == [
        "1.1", "2.1", "1.10", "1.2.4", "v1.1", "1.0.1"]


@pytest.mark.django_db
def test_steward_edits_metadata_with_version_bump_and_audit(world):
    resource = services_catalogue.update_resource(world["steward_police"], world["population"], {
        "summary": "公安户籍人口基本信息", "update_cycle": "每日", "open_type": "conditional",
        "items": [*ITEMS, {"name": "household_head", "label": "户主姓名"}]})
    resource.refresh_from_db()
    assert (resource.version, resource.update_cycle, resource.open_type) == ("1.1", "每日", "conditional")
    assert resource.items[-1] == {"name": "household_head", "label": "户主姓名", "type": "string",
                                  "sensitivity": "personal"}
    record = AuditRecord.objects.filter(action="sharing.resource_updated").get()
    assert set(record.data["changed"]) == {"summary", "update_cycle", "open_type", "items"}
    event = OutboxEvent.objects.get(name="sharing.resource_updated")
    assert event.payload["resource"] == "RK-001" and event.payload["version"] == "1.1"
    # the same values again: nothing to save, no new version, no audit record
    services_catalogue.update_resource(world["steward_police"], resource, {"update_cycle": "每日"})
    resource.refresh_from_db()
    assert resource.version == "1.1" and AuditRecord.objects.filter(action="sharing.resource_updated").count() == 1
    # a higher version set by the steward is kept
    services_catalogue.update_resource(world["steward_police"], resource, {"version": "2.0", "format": "XML"})
    resource.refresh_from_db()
    assert (resource.version, resource.format) == ("2.0", "XML")
    assert audit.verify().ok


@pytest.mark.django_db
def test_only_the_providers_steward_edits(world):
    for user in (world["steward_market"], world["clerk"], world["citizen"]):
        with pytest.raises(PermissionDenied):
            services_catalogue.update_resource(user, world["population"], {"summary": "x"})
    assert Resource.objects.get(code="RK-001").version == "1.0"


@pytest.mark.django_db
def test_edit_validation_errors_are_chinese_per_field(world):
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(world["steward_police"], world["population"], {
            "share_type": "secret", "open_type": "open", "legal_basis": "", "version": "0.1", "format": "",
            "update_cycle": "x" * 41, "colour": "red",
            "items": [{"name": "Name", "label": ""}, {"name": "gender", "label": "性别", "type": "blob"},
                      {"name": "gender", "label": "性别", "sensitivity": "secret"}]})
    fields = exc.value.fields
    assert {"share_type", "open_type", "version", "format", "update_cycle", "__all__", "items", "items.0.name",
            "items.0.label", "items.1.type", "items.2.name", "items.2.sensitivity"} <= set(fields)
    assert "版本" in fields["version"] and "不能低于" in fields["version"]
    assert "重复" in fields["items.2.name"]
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(world["steward_police"], world["population"], {"legal_basis": " "})
    assert "依据" in exc.value.fields["legal_basis"]
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(world["steward_police"], world["population"], {"items": []})
    assert exc.value.fields == {"items": "至少需要一个数据项。"}
    assert Resource.objects.get(code="RK-001").version == "1.0"


@pytest.mark.django_db
def test_items_named_by_a_grant_or_an_open_request_cannot_be_removed(world):
    _request(world, items=["gender"])
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(world["steward_police"], world["population"], {"items": ITEMS[:1]})
    assert "gender" in exc.value.fields["items"] and "ethnicity" not in exc.value.fields["items"]
    services_catalogue.update_resource(world["steward_police"], world["population"], {"items": ITEMS[:2]})
    assert Resource.objects.get(code="RK-001").item_names() == ["name", "gender"]


# --- grants: revoke and scoping -----------------------------------------------------------------


@pytest.mark.django_db
def test_revoke_stops_reads_and_is_audited(world):
    grant = grants.approve(world["steward_police"], _request(world))
    ask = {"consumer": world["market"], "purpose": "核验", "items": ["gender"]}
    assert exchange.read("RK-001", PERSON, **ask).ok
    with pytest.raises(PermissionDenied):
        grants.revoke(world["steward_market"], grant, "不用了")
    with pytest.raises(ApiError) as exc:
        grants.revoke(world["steward_police"], grant, " ")
    assert exc.value.fields == {"note": "请填写理由"}
    grants.revoke(world["steward_police"], grant, "用途已完成")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED
    assert exchange.read("RK-001", PERSON, **ask).result == "refused"
    with pytest.raises(Conflict):
        grants.revoke(world["steward_police"], grant, "再撤销一次")
    event = OutboxEvent.objects.get(name="sharing.grant_revoked")
    assert event.payload == {"grant_id": grant.pk, "resource": "RK-001", "consumer": "market", "note": "用途已完成"}
    assert AuditRecord.objects.get(action="sharing.grant_revoked").data == {"note": "用途已完成"}


@pytest.mark.django_db
def test_requests_are_scoped_to_the_users_departments(world):
    grant = _request(world)
    assert list(stewardship.requests_to_me(world["steward_police"])) == [grant]
    assert list(stewardship.requests_to_me(world["steward_market"])) == []
    assert list(stewardship.requests_of_mine(world["steward_market"])) == [grant]
    assert list(stewardship.requests_of_mine(world["admin_market"])) == [grant]
    assert list(stewardship.visible_grants(world["clerk"])) == []
    civil_steward = staff("steward-civil", Role.DATA_STEWARD, world["civil"])
    assert stewardship.grant_for(civil_steward, grant.pk) is None
    assert stewardship.may_use_grants(world["admin_market"]) and not stewardship.may_use_grants(world["clerk"])
    assert not stewardship.is_overdue(grant, grant.decide_by)
    assert stewardship.is_overdue(grant, grant.decide_by + dt.timedelta(days=1))
    assert stewardship.overdue_count(world["steward_police"], grant.decide_by + dt.timedelta(days=1)) == 1
    d = stewardship.grant_dict(grant, grant.decide_by + dt.timedelta(days=1))
    assert d["overdue"] is True and d["item_labels"] == ["性别"] and d["consumer"] == "market"


# --- catalogue pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_list_search_filter_and_login(client, world):
    assert client.get("/sharing/resources/").status_code == 302
    client.force_login(world["citizen"])
    body = client.get("/sharing/resources/").content.decode()
    assert "人口基本信息" in body and "婚姻登记信息" in body and "共 3 个资源" in body
    body = client.get("/sharing/resources/", {"q": "公安"}).content.decode()
    assert "人口基本信息" in body and "案件侦查信息" in body and "婚姻登记信息" not in body
    body = client.get("/sharing/resources/", {"q": "hy-001"}).content.decode()
    assert "婚姻登记信息" in body and "共 1 个资源" in body
    body = client.get("/sharing/resources/", {"share_type": "none"}).content.decode()
    assert "案件侦查信息" in body and "人口基本信息" not in body
    assert client.get("/sharing/resources/", {"q": "\x00bad", "share_type": "zzz", "page": "x"}).status_code == 200


@pytest.mark.django_db
def test_catalogue_detail_and_the_edit_link(client, world):
    client.force_login(world["citizen"])
    body = client.get("/sharing/resources/XX-001/").content.decode()
    assert "不予共享" in body and "涉及侦查秘密，依法不予共享" in body
    body = client.get("/sharing/resources/RK-001/").content.decode()
    assert "民族" in body and "敏感个人信息" in body and "有条件共享" in body and "实时" in body
    assert "/sharing/resources/RK-001/edit/" not in body
    assert "汉族" not in body  # metadata only, never the data
    assert client.get("/sharing/resources/NOPE/").status_code == 404
    assert client.get("/sharing/resources/RK-001/edit/").status_code == 403
    client.force_login(world["steward_police"])
    assert "/sharing/resources/RK-001/edit/" in client.get("/sharing/resources/RK-001/").content.decode()
    client.force_login(world["steward_market"])
    body = client.get("/sharing/resources/RK-001/").content.decode()
    assert "/sharing/resources/RK-001/edit/" not in body and "/sharing/grants/new/?resource=RK-001" in body


def _edit_post(resource, **overrides):
    data = {"summary": resource.summary, "legal_basis": resource.legal_basis, "share_type": resource.share_type,
            "open_type": resource.open_type, "update_cycle": resource.update_cycle, "format": resource.format,
            "version": resource.version, "items-count": str(len(resource.items) + 1),
            "backing": resource.backing, "endpoint_url": resource.endpoint_url,
            "endpoint_timeout": f"{resource.endpoint_timeout:g}", "endpoint_token_env": resource.endpoint_token_env}
    for i, item in enumerate(resource.items):
        data.update({f"items-{i}-{k}": v for k, v in item.items()})
    data.update({f"items-{len(resource.items)}-{k}": "" for k in ("name", "label")})
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_edit_page_saves_and_shows_field_errors(client, world):
    resource = world["population"]
    client.force_login(world["steward_police"])
    page = client.get("/sharing/resources/RK-001/edit/")
    assert page.status_code == 200 and 'name="items-2-label"' in page.content.decode()
    bad = client.post("/sharing/resources/RK-001/edit/", _edit_post(
        resource, share_type="none", legal_basis="", **{"items-3-name": "Bad Name", "items-3-label": "新项"}))
    body = bad.content.decode()
    assert bad.status_code == 400 and "有条件共享和不予共享的资源须注明依据" in body and "代码须以小写字母开头" in body
    assert 'value="Bad Name"' in body  # what was typed stays
    saved = client.post("/sharing/resources/RK-001/edit/", _edit_post(
        resource, update_cycle="每日", **{"items-3-name": "household_head", "items-3-label": "户主姓名",
                                          "items-2-delete": "1"}))
    assert saved.status_code == 302 and saved["Location"] == "/sharing/resources/RK-001/"
    resource.refresh_from_db()
    assert resource.version == "1.1" and resource.update_cycle == "每日"
    assert resource.item_names() == ["name", "gender", "household_head"]
    assert "版本更新为 1.1" in client.get(saved["Location"]).content.decode()


# --- grants pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_grants_page_is_for_stewards(client, world):
    client.force_login(world["clerk"])
    assert client.get("/sharing/grants/").status_code == 403
    assert client.get("/sharing/grants/new/").status_code == 403
    client.force_login(world["citizen"])
    assert client.get("/sharing/grants/").status_code == 403


@pytest.mark.django_db
def test_received_requests_show_reply_date_and_overdue(client, world):
    grant = _request(world)
    Grant.objects.filter(pk=grant.pk).update(decide_by=dt.date.today() - dt.timedelta(days=1))
    client.force_login(world["steward_police"])
    body = client.get("/sharing/grants/").content.decode()
    assert "市场监管局" in body and "性别" in body and "食品经营许可：核验经营者性别" in body
    assert (dt.date.today() - dt.timedelta(days=1)).isoformat() in body and "超期" in body
    client.force_login(world["steward_market"])
    sent = client.get("/sharing/grants/", {"view": "sent"}).content.decode()
    assert "人口基本信息" in sent and "待审批" in sent
    assert "食品经营许可" not in client.get("/sharing/grants/", {"view": "received"}).content.decode()


@pytest.mark.django_db
def test_request_form(client, world):
    client.force_login(world["steward_market"])
    page = client.get("/sharing/grants/new/", {"resource": "RK-001"}).content.decode()
    assert 'value="gender"' in page and "民族" in page
    assert client.get("/sharing/grants/new/", {"resource": "HY-001"}).status_code == 400  # not 有条件
    bad = client.post("/sharing/grants/new/", {"resource": "RK-001", "consumer": "market", "purpose": "",
                                               "legal_basis": "", "days": "0"})
    body = bad.content.decode()
    assert bad.status_code == 400 and "请选择数据项" in body and "请填写用途" in body and "期限应为" in body
    ok = client.post("/sharing/grants/new/", {"resource": "RK-001", "consumer": "market", "items": ["gender"],
                                              "purpose": "核验", "legal_basis": "依据", "days": "30"})
    assert ok.status_code == 302 and ok["Location"] == "/sharing/grants/?view=sent"
    grant = Grant.objects.get()
    assert (grant.consumer, grant.items, grant.requested_by) == (world["market"], ["gender"], world["steward_market"])
    # a department the user does not act for is not offered, and posting it is refused
    assert client.post("/sharing/grants/new/", {"resource": "RK-001", "consumer": "police", "items": ["gender"],
                                                "purpose": "核验", "legal_basis": "依据", "days": "30"}).status_code == 400
    assert Grant.objects.count() == 1


@pytest.mark.django_db
def test_decisions_need_a_confirmation(client, world):
    grant = _request(world)
    client.force_login(world["steward_market"])  # the consumer cannot decide its own request
    assert client.post(f"/sharing/grants/{grant.pk}/decide/", {"action": "approve", "confirmed": "1"}).status_code == 403
    client.force_login(world["steward_police"])
    detail = client.get(f"/sharing/grants/{grant.pk}/").content.decode()
    assert "下一步：确认" in detail and "答复期限" in detail
    refused = client.post(f"/sharing/grants/{grant.pk}/decide/", {"action": "refuse", "note": ""})
    assert refused.status_code == 400 and "须写明理由" in refused.content.decode()
    confirm = client.post(f"/sharing/grants/{grant.pk}/decide/", {"action": "approve", "note": "同意"})
    assert confirm.status_code == 200 and "确认批准" in confirm.content.decode()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REQUESTED  # nothing happens before the confirmation
    done = client.post(f"/sharing/grants/{grant.pk}/decide/", {"action": "approve", "note": "同意", "confirmed": "1"})
    assert done.status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.decision_note, grant.decided_by) == ("approved", "同意", world["steward_police"])
    again = client.post(f"/sharing/grants/{grant.pk}/decide/", {"action": "approve", "confirmed": "1"})
    assert again.status_code == 400  # approve is no longer possible
    client.post(f"/sharing/grants/{grant.pk}/decide/", {"action": "revoke", "note": "到期", "confirmed": "1"})
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REVOKED
    civil_steward = staff("steward-civil", Role.DATA_STEWARD, world["civil"])
    client.force_login(civil_steward)
    assert client.get(f"/sharing/grants/{grant.pk}/").status_code == 404


# --- API ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resource_api(client, world):
    body = client.get("/api/v1/sharing/resources/RK-001", **bearer(world["citizen"])).json()
    assert body["code"] == "RK-001" and body["provider"] == "公安分局" and body["may_edit"] is False
    assert [i["name"] for i in body["items"]] == ["name", "gender", "ethnicity"] and "汉族" not in json.dumps(body)
    assert client.get("/api/v1/sharing/resources/NOPE", **bearer(world["citizen"])).status_code == 404
    assert client.get("/api/v1/sharing/resources/RK-001").status_code == 401
    put = client.put("/api/v1/sharing/resources/RK-001", {"summary": "x"}, content_type="application/json",
                     **bearer(world["steward_market"]))
    assert put.status_code == 403 and put.json()["code"] == "forbidden"
    bad = client.put("/api/v1/sharing/resources/RK-001", {"share_type": "maybe", "items": [{"name": "1x"}]},
                     content_type="application/json", **bearer(world["steward_police"]))
    assert bad.status_code == 400 and {"share_type", "items", "items.0.name"} <= set(bad.json()["fields"])
    not_a_list = client.put("/api/v1/sharing/resources/RK-001", {"items": "name"}, content_type="application/json",
                            **bearer(world["steward_police"]))
    assert not_a_list.status_code == 400
    ok = client.put("/api/v1/sharing/resources/RK-001", {"update_cycle": "每周", "summary": None},
                    content_type="application/json", **bearer(world["steward_police"]))
    assert ok.status_code == 200 and ok.json()["version"] == "1.1" and ok.json()["update_cycle"] == "每周"


@pytest.mark.django_db
def test_grants_api(client, world):
    market, police = bearer(world["steward_market"]), bearer(world["steward_police"])
    assert client.get("/api/v1/sharing/grants", **bearer(world["clerk"])).status_code == 403
    bad = client.post("/api/v1/sharing/grants", {"resource": "RK-001", "items": ["nope"], "days": "x"},
                      content_type="application/json", **market)
    assert bad.status_code == 400 and {"items", "purpose", "legal_basis", "days"} <= set(bad.json()["fields"])
    unknown = client.post("/api/v1/sharing/grants", {"resource": "NOPE"}, content_type="application/json", **market)
    assert unknown.status_code == 400 and unknown.json()["fields"] == {"resource": "共享资源不存在。"}
    made = client.post("/api/v1/sharing/grants", {"resource": "RK-001", "items": ["gender"], "purpose": "核验",
                                                  "legal_basis": "依据", "days": 30},
                       content_type="application/json", **market)
    assert made.status_code == 200 and made.json()["status"] == "requested" and made.json()["consumer"] == "market"
    gid = made.json()["id"]
    assert client.get("/api/v1/sharing/grants", {"role": "provider"}, **police).json()["total"] == 1
    assert client.get("/api/v1/sharing/grants", {"role": "provider"}, **market).json()["total"] == 0
    assert client.get("/api/v1/sharing/grants", {"role": "consumer"}, **market).json()["items"][0]["id"] == gid
    assert client.get("/api/v1/sharing/grants", {"role": "x"}, **market).status_code == 400
    assert client.get("/api/v1/sharing/grants", {"status": "x"}, **market).status_code == 400
    assert client.post(f"/api/v1/sharing/grants/{gid}/approve", {}, content_type="application/json",
                       **market).status_code == 403
    civil = bearer(staff("steward-civil", Role.DATA_STEWARD, world["civil"]))
    assert client.post(f"/api/v1/sharing/grants/{gid}/approve", {}, content_type="application/json",
                       **civil).status_code == 404
    refuse = client.post(f"/api/v1/sharing/grants/{gid}/refuse", {"note": ""}, content_type="application/json",
                         **police)
    assert refuse.status_code == 400 and refuse.json()["fields"] == {"note": "请填写理由"}
    ok = client.post(f"/api/v1/sharing/grants/{gid}/approve", {"note": "同意"}, content_type="application/json",
                     **police)
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert client.post(f"/api/v1/sharing/grants/{gid}/refuse", {"note": "x"}, content_type="application/json",
                       **police).status_code == 409
    revoked = client.post(f"/api/v1/sharing/grants/{gid}/revoke", {"note": "到期"}, content_type="application/json",
                          **police)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert client.post("/api/v1/sharing/grants/999999/approve", {}, content_type="application/json",
                       **police).status_code == 404


# --- 数据来源: platform-hosted or the department's own system over HTTP ----------------------------

TOKEN_ENV = "YIWANG_SHARING_TOKEN_POLICE_RK"  # in the police department's namespace
TOKEN = "s3cret-bearer-token-for-tests"
SYSTEM_RECORD = {"name": "张明（部门系统）", "gender": "男", "ethnicity": "汉族"}


@pytest.fixture
def provider_system(monkeypatch):
    """The police department's own system on loopback, wanting a bearer token."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    http_provider.reset_breakers()
    with ProviderService({PERSON: SYSTEM_RECORD}, token=TOKEN) as service:
        yield service
    http_provider.reset_breakers()


def _to_http(url: str, **more) -> dict:
    return {"backing": "http", "endpoint_url": url, "endpoint_timeout": "1.5", "endpoint_token_env": TOKEN_ENV,
            **more}


@pytest.mark.django_db
def test_switch_to_http_reads_through_the_adapter_and_is_audited_without_the_token(world, provider_system):
    resource = services_catalogue.update_resource(world["steward_police"], world["population"],
                                                  _to_http(provider_system.url))
    resource.refresh_from_db()
    assert (resource.backing, resource.endpoint_url, resource.endpoint_timeout, resource.endpoint_token_env) == (
        "http", provider_system.url, 1.5, TOKEN_ENV)
    assert resource.version == "1.1"
    # the hosted record stays, unused: the read answers from the department's system, token sent
    assert HostedRecord.objects.filter(resource=resource).count() == 1
    reading = exchange.read("RK-001", PERSON, consumer=world["police"], purpose="核验户籍", items=["name"])
    assert reading.ok and reading.values == {"name": "张明（部门系统）"}
    assert AccessRecord.objects.get(pk=reading.record.pk).result == "ok"
    assert provider_system.request_count == 1
    seen = provider_system.requests[0]
    assert seen.json == {"subject": PERSON} and seen.query == {} and seen.headers["authorization"] == f"Bearer {TOKEN}"
    record = AuditRecord.objects.get(action="sharing.resource_updated")
    assert set(record.data["changed"]) == {"backing", "endpoint_url", "endpoint_timeout", "endpoint_token_env"}
    assert record.data["before"]["backing"] == "hosted" and record.data["hosted_records_kept"] == 1
    assert "数据来源改为部门系统接口" in record.summary and "平台托管记录 1 条保留" in record.summary
    event = OutboxEvent.objects.get(name="sharing.resource_updated")
    assert TOKEN not in json.dumps([record.summary, record.data, event.payload], ensure_ascii=False)
    assert audit.verify().ok
    # back to hosted: the kept record serves again; the endpoint settings stay for next time
    services_catalogue.update_resource(world["steward_police"], resource, {"backing": "hosted"})
    resource.refresh_from_db()
    assert (resource.backing, resource.endpoint_url, resource.version) == ("hosted", provider_system.url, "1.2")
    assert exchange.read("RK-001", PERSON, consumer=world["police"], purpose="核验户籍",
                         items=["name"]).values == {"name": "张明"}
    last = AuditRecord.objects.filter(action="sharing.resource_updated").order_by("-id").first()
    assert "数据来源改为平台托管" in last.summary and "hosted_records_kept" not in last.data


@pytest.mark.django_db
def test_backing_fields_accept_their_boundaries(world):
    police = world["steward_police"]
    resource = services_catalogue.update_resource(police, world["population"], {
        "endpoint_url": "http://127.0.0.1:8080/share/v1/records?channel=yiwang", "endpoint_timeout": 0.1})
    assert (resource.backing, resource.endpoint_timeout) == ("hosted", 0.1)  # prepared ahead, still hosted
    resource = services_catalogue.update_resource(police, resource, {"backing": "http", "endpoint_timeout": "30"})
    assert (resource.backing, resource.endpoint_timeout, resource.endpoint_token_env) == ("http", 30.0, "")
    resource = services_catalogue.update_resource(police, resource, {
        "endpoint_url": "https://" + "a" * 60 + ".example.gov.cn/" + "p" * (300 - 84), "endpoint_token_env": ""})
    assert len(resource.endpoint_url) == 300
    # the same settings again change nothing
    version = resource.version
    assert services_catalogue.update_resource(police, resource, {"backing": "http", "endpoint_timeout": 30}
                                              ).version == version


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"backing": "ftp"}, "backing", "取值应为"),
    ({"backing": "http"}, "endpoint_url", "须填写接口地址"),
    ({"backing": "http", "endpoint_url": "  "}, "endpoint_url", "须填写接口地址"),
    ({"endpoint_url": "ftp://files.example.gov.cn/share"}, "endpoint_url", "https://"),
    ({"endpoint_url": "rsj.example.gov.cn/share"}, "endpoint_url", "https://"),
    ({"endpoint_url": "https://" + "a" * 60 + ".example.gov.cn/" + "p" * (301 - 84)}, "endpoint_url",
     "不能超过 300 个字符"),
    ({"endpoint_url": "https://user:pw@rsj.example.gov.cn/share"}, "endpoint_url", "不能包含用户名或密码"),
    ({"endpoint_timeout": "abc"}, "endpoint_timeout", "0.1 到 30"),
    ({"endpoint_timeout": ""}, "endpoint_timeout", "0.1 到 30"),
    ({"endpoint_timeout": 0.09}, "endpoint_timeout", "0.1 到 30"),
    ({"endpoint_timeout": "30.01"}, "endpoint_timeout", "0.1 到 30"),
    ({"endpoint_timeout": "nan"}, "endpoint_timeout", "0.1 到 30"),
    ({"endpoint_timeout": True}, "endpoint_timeout", "0.1 到 30"),
    ({"endpoint_token_env": "token_rk"}, "endpoint_token_env", "大写字母"),
    ({"endpoint_token_env": "1YIWANG_SHARING_TOKEN_X"}, "endpoint_token_env", "大写字母"),
    ({"endpoint_token_env": "YIWANG_SHARING_TOKEN_" + "X" * 60}, "endpoint_token_env", "最长 80"),
    ({"endpoint_token_env": "YIWANG_DATA_KEY"}, "endpoint_token_env",
     "须以本部门的前缀 YIWANG_SHARING_TOKEN_POLICE_ 开头，其后再加名称，例如 YIWANG_SHARING_TOKEN_POLICE_RK_001。"),
    ({"endpoint_token_env": "YIWANG_SHARING_TOKEN_"}, "endpoint_token_env", "须以本部门的前缀 YIWANG_SHARING_TOKEN_POLICE_"),
    ({"endpoint_token_env": "YIWANG_SHARING_TOKEN_RK"}, "endpoint_token_env", "须以本部门的前缀 YIWANG_SHARING_TOKEN_POLICE_"),
    ({"endpoint_token_env": "YIWANG_SHARING_TOKEN_POLICE_"}, "endpoint_token_env", "其后再加名称"),
    ({"endpoint_token_env": "YIWANG_SHARING_TOKEN_MARKET_RK"}, "endpoint_token_env",
     "须以本部门的前缀 YIWANG_SHARING_TOKEN_POLICE_"),
])
@pytest.mark.django_db
def test_backing_validation_errors(world, changes, field, message):
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(world["steward_police"], world["population"], changes)
    assert set(exc.value.fields) == {field} and message in exc.value.fields[field]
    resource = Resource.objects.get(code="RK-001")
    assert (resource.version, resource.backing, resource.endpoint_url) == ("1.0", "hosted", "")


@pytest.mark.django_db
def test_a_token_variable_is_bound_to_the_providers_namespace(world, monkeypatch):
    """A steward cannot claim another department's token variable, even one set in the environment
    that no resource uses yet — not even when it begins with their own prefix."""
    monkeypatch.setenv("YIWANG_SHARING_TOKEN_POLICE_GA", "police-token")
    civil = staff("steward-civil", Role.DATA_STEWARD, world["civil"])
    to_mz = {"backing": "http", "endpoint_url": "https://mz.example.gov.cn/share"}
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(civil, world["marriage"], {**to_mz, "endpoint_token_env":
                                                                     "YIWANG_SHARING_TOKEN_POLICE_GA"})
    assert exc.value.fields == {"endpoint_token_env": "环境变量名须以本部门的前缀 YIWANG_SHARING_TOKEN_CIVIL_ 开头，"
                                                      "其后再加名称，例如 YIWANG_SHARING_TOKEN_CIVIL_HY_001。"}
    # a longer code nested in this one: "police-traffic" owns …_POLICE_TRAFFIC_…, not "police"
    traffic = factories.department("police-traffic", name="交警支队")
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(world["steward_police"], world["population"], {
            "endpoint_token_env": "YIWANG_SHARING_TOKEN_POLICE_TRAFFIC_WZ"})
    assert exc.value.fields == {"endpoint_token_env": "该环境变量名以“交警支队”的前缀 YIWANG_SHARING_TOKEN_POLICE_TRAFFIC_ 开头，"
                                                      "属于该部门，不能用于本部门的资源，请另取一个名称。"}
    # the owner may, and the same department may share one variable between its resources
    violations = Resource.objects.create(code="WZ-001", name="交通违法信息", provider=traffic, items=ITEMS[:1])
    traffic_steward = staff("steward-traffic", Role.DATA_STEWARD, traffic)
    assert services_catalogue.update_resource(traffic_steward, violations, {
        "endpoint_token_env": "YIWANG_SHARING_TOKEN_POLICE_TRAFFIC_WZ"}).endpoint_token_env.endswith("_WZ")
    for resource in (world["population"], world["secret"]):
        assert services_catalogue.update_resource(world["steward_police"], resource, {
            "endpoint_token_env": "YIWANG_SHARING_TOKEN_POLICE_GA"}).endpoint_token_env == "YIWANG_SHARING_TOKEN_POLICE_GA"


@pytest.mark.django_db
def test_a_token_variable_another_department_already_uses_stays_theirs(world):
    """Names saved before a department with a longer code existed hold the first department's
    token: the newcomer whose namespace they now fall in cannot take them over."""
    Resource.objects.filter(pk=world["secret"].pk).update(endpoint_token_env="YIWANG_SHARING_TOKEN_POLICE_TRAFFIC_X")
    traffic = factories.department("police-traffic", name="交警支队")
    violations = Resource.objects.create(code="WZ-001", name="交通违法信息", provider=traffic, items=ITEMS[:1])
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(staff("steward-traffic", Role.DATA_STEWARD, traffic), violations, {
            "endpoint_token_env": "YIWANG_SHARING_TOKEN_POLICE_TRAFFIC_X"})
    assert exc.value.fields == {"endpoint_token_env": "其他部门的资源已使用该环境变量，请另取一个名称。"}
    # and the old row no longer sends it either (http_provider refuses it at the read)
    world["secret"].refresh_from_db()
    assert not http_provider.token_env_usable(world["secret"].endpoint_token_env, world["police"])


@pytest.mark.django_db
def test_department_codes_with_one_token_prefix_cannot_use_token_variables(world):
    factories.department("Police", name="公安分局（重复代码）")  # maps to the same …_POLICE_ prefix
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(world["steward_police"], world["population"], {
            "endpoint_token_env": "YIWANG_SHARING_TOKEN_POLICE_RK"})
    assert "对应同一个令牌前缀 YIWANG_SHARING_TOKEN_POLICE_" in exc.value.fields["endpoint_token_env"]
    assert not http_provider.token_env_usable("YIWANG_SHARING_TOKEN_POLICE_RK", world["police"])


@pytest.mark.django_db
@pytest.mark.parametrize(("production", "hosts", "url", "message"), [
    (False, ["*.example.gov.cn"], "https://ga.example.com/share", "主机“ga.example.com”不在平台允许访问的提供部门主机"
                                                                  "（YIWANG_SHARING_PROVIDER_HOSTS）之中"),
    (False, ["*.example.gov.cn"], "https://example.gov.cn.evil.com/share", "YIWANG_SHARING_PROVIDER_HOSTS"),
    (False, ["*.example.gov.cn"], "http://127.0.0.1:8080/share", "主机“127.0.0.1”"),
    (True, [], "https://ga.example.gov.cn/share", "生产环境尚未配置允许访问的提供部门主机（YIWANG_SHARING_PROVIDER_HOSTS）"),
    (True, ["*.example.gov.cn"], "http://ga.example.gov.cn/share", "生产环境中接口地址须以 https:// 开头。"),
])
def test_the_endpoint_host_must_be_allowed(world, settings, production, hosts, url, message):
    settings.PRODUCTION, settings.YIWANG_SHARING_PROVIDER_HOSTS = production, hosts
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(world["steward_police"], world["population"], _to_http(url))
    assert set(exc.value.fields) == {"endpoint_url"} and message in exc.value.fields["endpoint_url"]
    resource = Resource.objects.get(code="RK-001")
    assert (resource.backing, resource.endpoint_url, resource.version) == ("hosted", "", "1.0")


@pytest.mark.django_db
def test_allowed_hosts_and_a_url_prepared_ahead(world, settings):
    police = world["steward_police"]
    settings.PRODUCTION, settings.YIWANG_SHARING_PROVIDER_HOSTS = True, []
    # a hosted resource may keep a URL for later, and its other fields stay editable
    resource = services_catalogue.update_resource(police, world["population"], {
        "endpoint_url": "https://ga.example.gov.cn/share", "summary": "户籍人口"})
    assert (resource.backing, resource.endpoint_url) == ("hosted", "https://ga.example.gov.cn/share")
    with pytest.raises(ApiError) as exc:  # …but it is checked when the resource is switched over
        services_catalogue.update_resource(police, resource, {"backing": "http"})
    assert "YIWANG_SHARING_PROVIDER_HOSTS" in exc.value.fields["endpoint_url"]
    settings.YIWANG_SHARING_PROVIDER_HOSTS = ["*.example.gov.cn", "rsj.example.org"]
    resource = services_catalogue.update_resource(police, resource, {"backing": "http"})
    assert resource.backing == "http"
    resource = services_catalogue.update_resource(police, resource, {"endpoint_url": "https://RSJ.example.org/s"})
    assert resource.endpoint_url == "https://RSJ.example.org/s"
    # the operator narrows the list: a summary fix still goes through; touching the source is checked
    settings.YIWANG_SHARING_PROVIDER_HOSTS = ["*.example.gov.cn"]
    assert services_catalogue.update_resource(police, resource, {"summary": "户籍人口基本信息"}).version == "1.4"
    with pytest.raises(ApiError) as exc:
        services_catalogue.update_resource(police, resource, {"backing": "http", "endpoint_timeout": 3})
    assert "主机“rsj.example.org”" in exc.value.fields["endpoint_url"]


@pytest.mark.django_db
def test_backing_api_refuses_a_host_off_the_list(client, world, settings):
    settings.YIWANG_SHARING_PROVIDER_HOSTS = ["*.example.gov.cn"]
    bad = client.put("/api/v1/sharing/resources/RK-001", _to_http("http://169.254.169.254/latest/meta-data"),
                     content_type="application/json", **bearer(world["steward_police"]))
    assert bad.status_code == 400 and bad.json()["code"] == "validation_error"
    assert set(bad.json()["fields"]) == {"endpoint_url"} and "169.254.169.254" in bad.json()["fields"]["endpoint_url"]


@pytest.mark.django_db
def test_only_the_providers_steward_changes_the_backing(client, world):
    for user in (world["steward_market"], world["admin_market"], world["clerk"], world["citizen"]):
        with pytest.raises(PermissionDenied):
            services_catalogue.update_resource(user, world["population"], _to_http("https://ga.example.gov.cn/s"))
        client.force_login(user)
        page = client.post("/sharing/resources/RK-001/edit/", _edit_post(
            world["population"], backing="http", endpoint_url="https://ga.example.gov.cn/s"))
        assert page.status_code == 403
        put = client.put("/api/v1/sharing/resources/RK-001", _to_http("https://ga.example.gov.cn/s"),
                         content_type="application/json", **bearer(user))
        assert put.status_code == 403 and put.json()["code"] == "forbidden"
    resource = Resource.objects.get(code="RK-001")
    assert (resource.backing, resource.endpoint_url, resource.version) == ("hosted", "", "1.0")


@pytest.mark.django_db
def test_backing_api_shapes(client, world):
    steward, citizen = bearer(world["steward_police"]), bearer(world["citizen"])
    body = client.get("/api/v1/sharing/resources/RK-001", **citizen).json()
    assert (body["backing"], body["backing_label"]) == ("hosted", "平台托管")
    assert not {"endpoint_url", "endpoint_timeout", "endpoint_token_env"} & set(body)
    body = client.get("/api/v1/sharing/resources/RK-001", **steward).json()
    assert (body["endpoint_url"], body["endpoint_timeout"], body["endpoint_token_env"]) == ("", 2.0, "")
    bad = client.put("/api/v1/sharing/resources/RK-001", {
        "backing": "http", "endpoint_url": "javascript:alert(1)", "endpoint_timeout": 0,
        "endpoint_token_env": "DATABASE_URL"}, content_type="application/json", **steward)
    assert bad.status_code == 400 and bad.json()["code"] == "validation_error"
    assert set(bad.json()["fields"]) == {"endpoint_url", "endpoint_timeout", "endpoint_token_env"}
    for timeout in ([1], True, "abc"):
        assert client.put("/api/v1/sharing/resources/RK-001", {"endpoint_timeout": timeout},
                          content_type="application/json", **steward).status_code == 400
    ok = client.put("/api/v1/sharing/resources/HY-001", {
        "backing": "http", "endpoint_url": "https://mz.example.gov.cn/share/v1/marriage", "endpoint_timeout": 3,
        "endpoint_token_env": "YIWANG_SHARING_TOKEN_CIVIL_MZ"},
        content_type="application/json", **bearer(staff("steward-civil", Role.DATA_STEWARD, world["civil"])))
    assert ok.status_code == 200
    assert {k: ok.json()[k] for k in ("backing", "endpoint_url", "endpoint_timeout", "endpoint_token_env",
                                      "version")} == {
        "backing": "http", "endpoint_url": "https://mz.example.gov.cn/share/v1/marriage", "endpoint_timeout": 3.0,
        "endpoint_token_env": "YIWANG_SHARING_TOKEN_CIVIL_MZ", "version": "1.1"}
    record = AuditRecord.objects.get(action="sharing.resource_updated")
    assert "数据来源改为部门系统接口" in record.summary and "保留" not in record.summary  # no hosted records
    body = client.get("/api/v1/sharing/resources/HY-001", **citizen).json()
    assert body["backing"] == "http" and body["backing_label"] == "部门系统接口"
    assert "endpoint_url" not in body and "mz.example.gov.cn" not in json.dumps(body)


@pytest.mark.django_db
def test_edit_page_backing_fieldset_errors_and_detail(client, world):
    resource = world["population"]
    client.force_login(world["steward_police"])
    body = client.get("/sharing/resources/RK-001/edit/").content.decode()
    assert "<legend>数据来源</legend>" in body and "用于“部门系统接口”" in body
    assert 'name="backing" value="hosted" checked' in body and 'id="edit-backing-http"' in body
    assert 'name="endpoint_url"' in body and 'name="endpoint_timeout"' in body and 'value="2"' in body
    assert 'name="endpoint_token_env"' in body and "YIWANG_SHARING_TOKEN_" in body
    bad = client.post("/sharing/resources/RK-001/edit/", _edit_post(
        resource, backing="http", endpoint_url="", endpoint_timeout="99", endpoint_token_env="my_token"))
    body = bad.content.decode()
    assert bad.status_code == 400
    assert "数据来源为部门系统接口时须填写接口地址" in body and "0.1 到 30" in body and "大写字母" in body
    assert 'aria-describedby="edit-endpoint-help edit-endpoint-url-help edit-endpoint-url-error" aria-invalid="true"' in body
    assert 'id="edit-endpoint-timeout-error"' in body and 'id="edit-endpoint-token-error"' in body
    assert 'value="99"' in body and 'value="my_token"' in body  # what was typed stays
    assert 'name="backing" value="http" checked' in body
    bad = client.post("/sharing/resources/RK-001/edit/", _edit_post(resource, backing="carrier-pigeon"))
    assert bad.status_code == 400 and 'aria-describedby="edit-backing-error"' in bad.content.decode()
    saved = client.post("/sharing/resources/RK-001/edit/", _edit_post(
        resource, backing="http", endpoint_url="https://ga.example.gov.cn/share/v1/population",
        endpoint_timeout="2.5", endpoint_token_env="YIWANG_SHARING_TOKEN_POLICE_GA"), follow=True)
    body = saved.content.decode()
    assert saved.redirect_chain == [("/sharing/resources/RK-001/", 302)]
    assert "版本更新为 1.1" in body and "平台托管的 1 条记录仍保留" in body
    assert "部门系统接口" in body and "https://ga.example.gov.cn/share/v1/population" in body and "2.5 秒" in body
    assert "YIWANG_SHARING_TOKEN_POLICE_GA" in body
    resource.refresh_from_db()
    assert (resource.backing, resource.endpoint_timeout) == ("http", 2.5)
    # anyone else sees where the data comes from, never the endpoint
    client.force_login(world["steward_market"])
    body = client.get("/sharing/resources/RK-001/").content.decode()
    assert "部门系统接口" in body and "ga.example.gov.cn" not in body and "接口超时" not in body
    assert "YIWANG_SHARING_TOKEN_POLICE_GA" not in body
    client.force_login(world["citizen"])
    body = client.get("/sharing/resources/HY-001/").content.decode()
    assert "<dt>数据来源</dt><dd>平台托管</dd>" in body and "接口地址" not in body


# --- publishing a new resource (发布共享资源) -------------------------------------------------------

NEW = {"code": "ga-test", "name": "户籍迁移\x00信息", "subject_kind": "person", "share_type": "conditional",
       "legal_basis": "《户口登记条例》\x07第十条", "summary": "户籍迁入迁出记录", "open_type": "none",
       "update_cycle": "每日", "format": "JSON",
       "items": [{"name": "moved_on", "label": "迁移日期", "type": "date", "sensitivity": "personal"},
                 {"name": "from_address", "label": "迁出地址"}]}


@pytest.mark.django_db
def test_steward_publishes_a_resource_audited_with_an_event(world):
    resource = services_catalogue.create_resource(world["steward_police"], world["police"], NEW)
    resource = Resource.objects.get(pk=resource.pk)
    assert (resource.code, resource.name, resource.legal_basis) == ("GA-TEST", "户籍迁移信息", "《户口登记条例》第十条")
    assert (resource.provider, resource.subject_kind, resource.share_type, resource.version) == (
        world["police"], "person", "conditional", "1.0")
    assert (resource.backing, resource.endpoint_timeout, resource.active) == ("hosted", 2.0, True)
    assert resource.items[1] == {"name": "from_address", "label": "迁出地址", "type": "string",
                                 "sensitivity": "personal"}
    record = AuditRecord.objects.get(action="sharing.resource_created")
    assert record.summary == "发布共享资源 户籍迁移信息（GA-TEST）：有条件共享，版本 1.0"
    assert record.data == {"provider": "police", "share_type": "conditional", "version": "1.0", "backing": "hosted",
                           "items": ["moved_on", "from_address"]}
    event = OutboxEvent.objects.get(name="sharing.resource_created")
    assert event.payload == {"resource": "GA-TEST", "provider": "police", "share_type": "conditional"}
    assert audit.verify().ok
    # it is in the catalogue at once, and its steward edits it like any other
    assert "GA-TEST" in [r.code for r in queries.catalogue()]
    assert services_catalogue.update_resource(world["steward_police"], resource, {"update_cycle": "实时"}
                                              ).version == "1.1"


@pytest.mark.django_db
def test_a_new_resource_takes_the_optional_fields_and_a_version_of_its_own(world, settings):
    settings.YIWANG_SHARING_PROVIDER_HOSTS = ["*.example.gov.cn"]
    resource = services_catalogue.create_resource(world["steward_police"], world["police"], {
        **NEW, "code": "GA-HJQY-2024", "share_type": "unconditional", "legal_basis": "", "version": "0.9",
        "format": "XML", "open_type": "conditional", "backing": "http",
        "endpoint_url": "https://ga.example.gov.cn/share/v1/moves", "endpoint_timeout": "3.5",
        "endpoint_token_env": "YIWANG_SHARING_TOKEN_POLICE_MOVES"})
    assert (resource.version, resource.format, resource.open_type, resource.legal_basis) == ("0.9", "XML",
                                                                                         "conditional", "")
    assert (resource.backing, resource.endpoint_url, resource.endpoint_timeout, resource.endpoint_token_env) == (
        "http", "https://ga.example.gov.cn/share/v1/moves", 3.5, "YIWANG_SHARING_TOKEN_POLICE_MOVES")
    # an organisation resource with only the required fields: the model's defaults for the rest
    minimal = services_catalogue.create_resource(world["steward_police"], world["police"], {
        "code": "GA-QY", "name": "保安服务公司信息", "subject_kind": "organisation", "share_type": "unconditional",
        "items": [{"name": "licence", "label": "许可证号"}], "version": ""})
    assert (minimal.subject_kind, minimal.version, minimal.format, minimal.open_type, minimal.summary) == (
        "organisation", "1.0", "JSON", "none", "")


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"code": None}, "code", "请填写资源代码"),
    ({"code": " "}, "code", "请填写资源代码"),
    ({"code": "GA"}, "code", "例如 RS-SBCB、GA-HJRK"),
    ({"code": "G-HJRK"}, "code", "例如 RS-SBCB"),
    ({"code": "1A-HJRK"}, "code", "例如 RS-SBCB"),
    ({"code": "GA_HJRK"}, "code", "例如 RS-SBCB"),
    ({"code": "GA-HJRK-A-B-C"}, "code", "例如 RS-SBCB"),
    ({"code": "GA-ABCDEFGHIJKLM"}, "code", "每段最多 12 位"),
    ({"code": "GA-户籍"}, "code", "例如 RS-SBCB"),
    ({"name": ""}, "name", "请填写资源名称"),
    ({"name": "\x00\x01"}, "name", "请填写资源名称"),
    ({"name": "名" * 201}, "name", "不能超过 200 个字符"),
    ({"subject_kind": None}, "subject_kind", "请选择数据主体"),
    ({"subject_kind": "robot"}, "subject_kind", "person（自然人）、organisation（法人）"),
    ({"share_type": None}, "share_type", "请选择共享类型"),
    ({"share_type": ""}, "share_type", "请选择共享类型"),
    ({"share_type": "maybe"}, "share_type", "取值应为"),
    ({"legal_basis": ""}, "legal_basis", "须注明依据"),
    ({"share_type": "none", "legal_basis": " \x00"}, "legal_basis", "须注明依据"),
    ({"items": None}, "items", "至少需要一个数据项"),
    ({"items": []}, "items", "至少需要一个数据项"),
    ({"items": "name"}, "items", "数据项应为列表"),
    ({"items": [{"name": "Bad Name", "label": "坏"}]}, "items.0.name", "代码须以小写字母开头"),
    ({"items": [{"name": "a", "label": "甲"}, {"name": "a", "label": "乙"}]}, "items.1.name", "重复"),
    ({"summary": "x" * 2001}, "summary", "不能超过 2000 个字符"),
    ({"open_type": "open"}, "open_type", "取值应为"),
    ({"format": ""}, "format", "请填写数据格式"),
    ({"version": "v1"}, "version", "版本号应为"),
    ({"backing": "ftp"}, "backing", "取值应为"),
    ({"backing": "http"}, "endpoint_url", "须填写接口地址"),
    ({"endpoint_url": "https://user:pw@ga.example.gov.cn/s"}, "endpoint_url", "不能包含用户名或密码"),
    ({"endpoint_timeout": "99"}, "endpoint_timeout", "0.1 到 30"),
    ({"endpoint_token_env": "DATABASE_URL"}, "endpoint_token_env",
     "须以本部门的前缀 YIWANG_SHARING_TOKEN_POLICE_ 开头，其后再加名称，例如 YIWANG_SHARING_TOKEN_POLICE_GA_TEST。"),
    ({"active": False}, "__all__", "不能填写这些字段：active"),
])
@pytest.mark.django_db
def test_publishing_checks_each_field(world, change, field, message):
    fields = {k: v for k, v in {**NEW, **change}.items() if v is not None}
    with pytest.raises(ApiError) as exc:
        services_catalogue.create_resource(world["steward_police"], world["police"], fields)
    assert exc.value.status == 400 and exc.value.code == "validation_error"
    assert field in exc.value.fields and message in exc.value.fields[field]
    assert set(exc.value.fields) - {field, "items"} == set()  # the other fields were fine
    assert not Resource.objects.filter(name__startswith="户籍迁移").exists()
    assert not AuditRecord.objects.filter(action="sharing.resource_created").exists()
    assert not OutboxEvent.objects.filter(name="sharing.resource_created").exists()


@pytest.mark.django_db
def test_publishing_on_a_host_off_the_list_is_refused(world, settings):
    settings.YIWANG_SHARING_PROVIDER_HOSTS = ["*.example.gov.cn"]
    with pytest.raises(ApiError) as exc:
        services_catalogue.create_resource(world["steward_police"], world["police"], {
            **NEW, "backing": "http", "endpoint_url": "http://169.254.169.254/latest"})
    assert "169.254.169.254" in exc.value.fields["endpoint_url"]
    assert not Resource.objects.filter(code="GA-TEST").exists()


@pytest.mark.django_db
def test_a_taken_code_is_a_conflict(world, monkeypatch):
    for code in ("RK-001", "rk-001", " Rk-001 "):
        with pytest.raises(Conflict) as exc:
            services_catalogue.create_resource(world["steward_police"], world["police"], {**NEW, "code": code})
        assert exc.value.status == 409 and exc.value.fields == {"code": "资源代码已存在。"}
    # taken by another department's resource too: codes are unique across the catalogue
    with pytest.raises(Conflict):
        services_catalogue.create_resource(world["steward_police"], world["police"], {**NEW, "code": "HY-001"})
    # with other faults, it is one more field error of a 400
    with pytest.raises(ApiError) as exc:
        services_catalogue.create_resource(world["steward_police"], world["police"], {**NEW, "code": "RK-001",
                                                                                     "name": ""})
    assert exc.value.status == 400 and exc.value.fields == {"code": "资源代码已存在。", "name": "请填写资源名称。"}
    # published by someone else between the check and the insert: still a conflict, not a 500
    answers = iter([False, True])
    monkeypatch.setattr(services_catalogue, "_code_taken", lambda code: next(answers))
    with pytest.raises(Conflict):
        services_catalogue.create_resource(world["steward_police"], world["police"], {**NEW, "code": "RK-001"})
    assert Resource.objects.filter(code__iexact="RK-001").count() == 1
    assert not AuditRecord.objects.filter(action="sharing.resource_created").exists()


@pytest.mark.django_db
def test_only_a_steward_of_the_provider_publishes(world):
    for user in (world["steward_market"], world["admin_market"], world["clerk"], world["citizen"]):
        with pytest.raises(PermissionDenied):
            services_catalogue.create_resource(user, world["police"], NEW)
    # the police steward cannot publish in the market department's name either
    with pytest.raises(PermissionDenied):
        services_catalogue.create_resource(world["steward_police"], world["market"], NEW)
    with pytest.raises(PermissionDenied):
        services_catalogue.create_resource(world["steward_police"], None, NEW)
    assert not Resource.objects.filter(code="GA-TEST").exists()
    made = services_catalogue.create_resource(world["steward_market"], world["market"], {**NEW, "code": "SJ-TEST"})
    assert made.provider == world["market"]


# --- the new-resource page ------------------------------------------------------------------------


def _new_post(**overrides) -> dict:
    data = {"provider": "police", "code": "GA-TEST", "name": "户籍迁移信息", "subject_kind": "person",
            "share_type": "conditional", "legal_basis": "《户口登记条例》第十条", "open_type": "none",
            "update_cycle": "每日", "format": "JSON", "version": "1.0", "summary": "户籍迁入迁出记录",
            "backing": "hosted", "endpoint_url": "", "endpoint_timeout": "2", "endpoint_token_env": "",
            "items-count": "3", "items-0-name": "moved_on", "items-0-label": "迁移日期", "items-0-type": "date",
            "items-0-sensitivity": "personal", "items-1-name": "from_address", "items-1-label": "迁出地址",
            "items-1-type": "string", "items-1-sensitivity": "sensitive", "items-2-name": "", "items-2-label": "",
            "items-2-type": "string", "items-2-sensitivity": "personal"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_catalogue_links_stewards_to_the_new_resource_page(client, world):
    client.force_login(world["steward_police"])
    assert 'href="/sharing/resources/new/">发布共享资源</a>' in client.get("/sharing/resources/").content.decode()
    for user in (world["citizen"], world["clerk"], world["admin_market"]):
        client.force_login(user)
        assert "/sharing/resources/new/" not in client.get("/sharing/resources/").content.decode()
        page = client.get("/sharing/resources/new/")
        assert page.status_code == 403 and "只有提供部门的数据管理员可以发布共享资源" in page.content.decode()
        assert client.post("/sharing/resources/new/", _new_post()).status_code == 403
    client.logout()
    assert client.get("/sharing/resources/new/").status_code == 302
    assert not Resource.objects.filter(code="GA-TEST").exists()


@pytest.mark.django_db
def test_new_resource_form(client, world):
    client.force_login(world["steward_police"])
    page = client.get("/sharing/resources/new/")
    body = page.content.decode()
    assert page.status_code == 200 and "<h1" in body and "发布共享资源" in body
    # the steward's one department, chosen already; the other departments are not offered
    assert '<option value="police" selected>公安分局</option>' in body and 'value="market"' not in body
    for name in ("code", "name", "subject_kind", "share_type", "legal_basis", "open_type", "update_cycle",
                 "format", "version", "summary", "backing", "endpoint_url", "endpoint_timeout",
                 "endpoint_token_env", "items-4-name"):
        assert f'name="{name}"' in body
    assert 'name="items-5-name"' not in body and 'name="items-0-delete"' not in body
    assert 'value="JSON"' in body and 'value="1.0"' in body and 'name="backing" value="hosted" checked' in body
    assert "YIWANG_SHARING_TOKEN_POLICE_" in body and 'maxlength="200"' in body
    # the edit page keeps its own controls from the shared fields
    edit = client.get("/sharing/resources/RK-001/edit/").content.decode()
    assert 'name="items-0-delete"' in edit and 'name="items-0-name" value="name" maxlength="60" readonly' in edit
    assert 'name="code"' not in edit


@pytest.mark.django_db
def test_new_resource_page_errors_keep_what_was_typed(client, world):
    client.force_login(world["steward_police"])
    bad = client.post("/sharing/resources/new/", _new_post(
        code="GA_BAD", name="户籍迁移信息", legal_basis="", endpoint_timeout="99", subject_kind="",
        **{"items-1-name": "Bad Name", "items-2-name": "extra_row", "items-2-label": "第三项"}))
    body = bad.content.decode()
    assert bad.status_code == 400 and 'role="alert"' in body
    assert "例如 RS-SBCB、GA-HJRK" in body and "须注明依据" in body and "0.1 到 30" in body
    assert "请选择数据主体" in body and "代码须以小写字母开头" in body
    assert 'aria-describedby="new-code-help new-code-error" aria-invalid="true"' in body
    assert 'id="item-1-name-error"' in body
    # what was typed stays, rows included
    assert 'value="GA_BAD"' in body and 'value="户籍迁移信息"' in body and 'value="99"' in body
    assert 'value="Bad Name"' in body and 'value="extra_row"' in body and 'value="第三项"' in body
    assert '<option value="conditional" selected>' in body and '<option value="date" selected>' in body
    assert '<option value="sensitive" selected>' in body and "户籍迁入迁出记录" in body
    assert not Resource.objects.filter(code__in=["GA_BAD", "GA-BAD"]).exists()
    taken = client.post("/sharing/resources/new/", _new_post(code="rk-001"))
    assert taken.status_code == 400 and "资源代码已存在" in taken.content.decode()
    assert Resource.objects.filter(code="RK-001").get().name == "人口基本信息"


@pytest.mark.django_db
def test_new_resource_page_publishes_and_shows_the_entry(client, world):
    client.force_login(world["steward_police"])
    done = client.post("/sharing/resources/new/", _new_post(code="ga-test", **{"items-1-name": "from_address"}),
                       follow=True)
    assert done.redirect_chain == [("/sharing/resources/GA-TEST/", 302)]
    body = done.content.decode()
    assert "已发布共享资源“户籍迁移信息”（GA-TEST），版本 1.0。" in body
    assert "迁出地址" in body and "敏感个人信息" in body and "有条件共享" in body
    resource = Resource.objects.get(code="GA-TEST")
    assert (resource.provider, resource.item_names(), resource.update_cycle) == (
        world["police"], ["moved_on", "from_address"], "每日")
    assert AuditRecord.objects.get(action="sharing.resource_created").actor_id == world["steward_police"].pk


@pytest.mark.django_db
def test_a_steward_of_several_departments_chooses_only_among_theirs(client, world):
    both = staff("steward-both", Role.DATA_STEWARD, world["police"])
    assign_role(both, Role.DATA_STEWARD, department=world["civil"])
    client.force_login(both)
    body = client.get("/sharing/resources/new/").content.decode()
    assert '<option value="" selected>请选择</option>' in body
    assert '<option value="civil">民政局</option>' in body and '<option value="police">公安分局</option>' in body
    assert 'value="market"' not in body
    missing = client.post("/sharing/resources/new/", _new_post(provider=""))
    assert missing.status_code == 400 and "请选择提供部门" in missing.content.decode()
    assert 'value="GA-TEST"' in missing.content.decode()
    elsewhere = client.post("/sharing/resources/new/", _new_post(provider="market"))
    assert elsewhere.status_code == 400 and "请选择提供部门" in elsewhere.content.decode()
    assert not Resource.objects.filter(code="GA-TEST").exists()
    assert client.post("/sharing/resources/new/", _new_post(provider="civil")).status_code == 302
    assert Resource.objects.get(code="GA-TEST").provider == world["civil"]


# --- POST /api/v1/sharing/resources -----------------------------------------------------------------


@pytest.mark.django_db
def test_publish_api_shapes(client, world):
    police = bearer(world["steward_police"])
    post = {k: v for k, v in NEW.items()}
    made = client.post("/api/v1/sharing/resources", post, content_type="application/json", **police)
    assert made.status_code == 201
    body = made.json()
    assert body == client.get("/api/v1/sharing/resources/GA-TEST", **police).json()
    assert {k: body[k] for k in ("code", "name", "provider", "provider_code", "share_type", "version", "may_edit",
                                 "backing", "endpoint_timeout")} == {
        "code": "GA-TEST", "name": "户籍迁移信息", "provider": "公安分局", "provider_code": "police",
        "share_type": "conditional", "version": "1.0", "may_edit": True, "backing": "hosted", "endpoint_timeout": 2.0}
    assert [i["name"] for i in body["items"]] == ["moved_on", "from_address"]
    # the catalogue list on the same path still answers GET
    listed = client.get("/api/v1/sharing/resources", **bearer(world["citizen"])).json()
    assert "GA-TEST" in [r["code"] for r in listed["items"]]
    again = client.post("/api/v1/sharing/resources", {**post, "code": "ga-test"}, content_type="application/json",
                        **police)
    assert again.status_code == 409 and again.json() == {
        "code": "duplicate_code", "message": "资源代码已存在。", "fields": {"code": "资源代码已存在。"}}
    bad = client.post("/api/v1/sharing/resources", {"code": "x", "share_type": "maybe", "items": [{"name": "1x"}]},
                      content_type="application/json", **police)
    assert bad.status_code == 400 and bad.json()["code"] == "validation_error"
    assert {"code", "name", "subject_kind", "share_type", "items", "items.0.name"} <= set(bad.json()["fields"])
    wrong_type = client.post("/api/v1/sharing/resources", {**post, "code": "GA-T2", "name": 5},
                             content_type="application/json", **police)
    assert wrong_type.status_code == 400 and "name" in wrong_type.json()["fields"]
    unknown = client.post("/api/v1/sharing/resources", {**post, "code": "GA-T2", "provider": "nope"},
                          content_type="application/json", **police)
    assert unknown.status_code == 400 and unknown.json()["fields"] == {"provider": "部门不存在。"}
    assert Resource.objects.filter(provider=world["police"]).count() == 3


@pytest.mark.django_db
def test_publish_api_is_for_the_providers_steward(client, world):
    post = {**NEW, "code": "GA-T3"}
    assert client.post("/api/v1/sharing/resources", post, content_type="application/json").status_code == 401
    for user in (world["clerk"], world["citizen"], world["admin_market"]):
        denied = client.post("/api/v1/sharing/resources", post, content_type="application/json", **bearer(user))
        assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    # the market steward names the police department: not theirs
    other = client.post("/api/v1/sharing/resources", {**post, "provider": "police"}, content_type="application/json",
                        **bearer(world["steward_market"]))
    assert other.status_code == 403 and "只有提供部门的数据管理员可以发布共享资源" in other.json()["message"]
    assert not Resource.objects.filter(code="GA-T3").exists()
    # left out, the provider is the steward's one department
    own = client.post("/api/v1/sharing/resources", post, content_type="application/json",
                      **bearer(world["steward_market"]))
    assert own.status_code == 201 and own.json()["provider_code"] == "market"


@pytest.mark.django_db
def test_publish_api_asks_a_steward_of_several_departments_which(client, world):
    both = staff("steward-both", Role.DATA_STEWARD, world["police"])
    assign_role(both, Role.DATA_STEWARD, department=world["civil"])
    post = {**NEW, "code": "MZ-TEST"}
    ask = client.post("/api/v1/sharing/resources", post, content_type="application/json", **bearer(both))
    assert ask.status_code == 400 and ask.json()["fields"] == {"provider": "请指明提供部门。"}
    made = client.post("/api/v1/sharing/resources", {**post, "provider": "civil"}, content_type="application/json",
                       **bearer(both))
    assert made.status_code == 201 and made.json()["provider_code"] == "civil"


@pytest.mark.django_db
def test_publish_api_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/sharing/resources"]
    assert {"get", "post"} <= set(paths) and "201" in paths["post"]["responses"]


@pytest.mark.django_db
def test_no_resource_is_published_for_a_department_no_longer_active(world):
    from yiwang.org.models import Department

    Department.objects.filter(pk=world["police"].pk).update(active=False)
    world["police"].refresh_from_db()
    with pytest.raises(PermissionDenied):
        services_catalogue.create_resource(world["steward_police"], world["police"], NEW)
    assert not Resource.objects.filter(code="GA-TEST").exists()
