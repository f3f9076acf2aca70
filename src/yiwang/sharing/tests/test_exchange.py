"""The exchange (issue 8, first slice): share types, grants for 有条件 resources, the
hash-chained access log with refusals, the catalogue API and 我的数据使用记录."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.demo import demo_id_number
from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.cases.tests.helpers import staff
from yiwang.catalog.tests import factories
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.notifications.tests.support import bearer
from yiwang.sharing import accesslog, exchange, grants
from yiwang.sharing.models import AccessRecord, Grant, HostedRecord, Resource, ShareType

PERSON = demo_id_number("19880512", "001")
ITEMS = [{"name": "household_address", "label": "户籍地址", "type": "string", "sensitivity": "personal"},
         {"name": "marital_status", "label": "婚姻状况", "type": "string", "sensitivity": "personal"},
         {"name": "ethnicity", "label": "民族", "type": "string", "sensitivity": "sensitive"}]


@pytest.fixture
def world(db):
    police = factories.department("police", name="公安分局")
    civil = factories.department("civil", name="民政局")
    market = factories.department("market", name="市场监管局")
    population = Resource.objects.create(code="RK-001", name="人口基本信息", provider=police, items=ITEMS,
                                         share_type=ShareType.CONDITIONAL, legal_basis="《政务数据共享条例》第十四条")
    marriage = Resource.objects.create(code="HY-001", name="婚姻登记信息", provider=civil, items=ITEMS[1:2],
                                       share_type=ShareType.UNCONDITIONAL)
    secret = Resource.objects.create(code="XX-001", name="案件侦查信息", provider=police, items=ITEMS[:1],
                                     share_type=ShareType.NONE, legal_basis="涉及侦查秘密，依法不予共享")
    HostedRecord.objects.create(resource=population, subject=PERSON, data=json.dumps(
        {"household_address": "兖州区龙桥路1号", "marital_status": "已婚", "ethnicity": "汉族"}, ensure_ascii=False))
    HostedRecord.objects.create(resource=marriage, subject=PERSON, data=json.dumps({"marital_status": "已婚"},
                                                                                   ensure_ascii=False))
    return {"police": police, "civil": civil, "market": market, "population": population, "marriage": marriage,
            "secret": secret,
            "steward_police": staff("steward-police", Role.DATA_STEWARD, police),
            "steward_market": staff("steward-market", Role.DATA_STEWARD, market),
            "clerk": staff("clerk-market", Role.UNDERTAKER, market)}


@pytest.mark.django_db
def test_unconditional_read_by_any_department_is_logged(world):
    reading = exchange.read("HY-001", PERSON, consumer=world["market"], purpose="办理食品经营许可",
                            user=world["clerk"], case_number="37081220261124000001")
    assert reading.ok and reading.values == {"marital_status": "已婚"}
    rec = reading.record
    assert (rec.consumer, rec.user, rec.case_number, rec.items, rec.result) == (
        world["market"], world["clerk"], "37081220261124000001", ["marital_status"], "ok")
    assert PERSON not in json.dumps(AccessRecord.objects.values().get(pk=rec.pk), default=str)
    assert exchange.read("HY-001", PERSON, consumer=world["market"], purpose=" ").result == "refused"


@pytest.mark.django_db
def test_not_shared_resource_is_never_served_and_the_refusal_is_logged(world):
    reading = exchange.read("XX-001", PERSON, consumer=world["market"], purpose="核查")
    assert reading.result == "refused" and "不予共享" in reading.reason and "侦查秘密" in reading.reason
    assert reading.values == {} and AccessRecord.objects.get().result == "refused"


@pytest.mark.django_db
def test_conditional_resource_needs_a_grant_for_exactly_the_items(world):
    ask = {"consumer": world["market"], "purpose": "核验经营者户籍"}
    assert exchange.read("RK-001", PERSON, items=["household_address"], **ask).result == "refused"
    grant = grants.request(world["steward_market"], world["market"], world["population"],
                           items=["household_address", "marital_status"], purpose="核验经营者户籍",
                           legal_basis="《食品经营许可和备案管理办法》", days=365)
    assert grant.status == Grant.Status.REQUESTED and grant.decide_by > dt.date.today()
    with pytest.raises(PermissionDenied):
        grants.approve(world["steward_market"], grant)  # the consumer cannot approve its own request
    grants.approve(world["steward_police"], grant, "同意")
    with pytest.raises(Conflict):
        grants.refuse(world["steward_police"], grant, "重复")
    ok = exchange.read("RK-001", PERSON, items=["household_address", "marital_status"], **ask)
    assert ok.ok and ok.values == {"household_address": "兖州区龙桥路1号", "marital_status": "已婚"}
    assert ok.record.grant_id == grant.pk
    beyond = exchange.read("RK-001", PERSON, items=["household_address", "ethnicity"], **ask)
    assert beyond.result == "refused" and beyond.values == {}
    everything = exchange.read("RK-001", PERSON, **ask)  # default: all items — beyond the grant
    assert everything.result == "refused"
    assert list(AccessRecord.objects.values_list("result", flat=True)) == ["refused", "ok", "refused", "refused"]
    Grant.objects.filter(pk=grant.pk).update(valid_until=dt.date.today() - dt.timedelta(days=1))
    assert exchange.read("RK-001", PERSON, items=["household_address"], **ask).result == "refused"
    assert accesslog.verify().ok and audit.verify().ok


@pytest.mark.django_db
def test_requests_are_checked(world):
    with pytest.raises(PermissionDenied):
        grants.request(world["clerk"], world["market"], world["population"], items=["household_address"],
                       purpose="x", legal_basis="y", days=30)
    with pytest.raises(ApiError) as exc:
        grants.request(world["steward_market"], world["market"], world["marriage"], items=["nope"], purpose="",
                       legal_basis="", days=0)
    assert set(exc.value.fields) == {"resource", "items", "purpose", "legal_basis", "days"}
    grant = grants.request(world["steward_market"], world["market"], world["population"],
                           items=["household_address"], purpose="核验", legal_basis="依据", days=30)
    with pytest.raises(ApiError):
        grants.refuse(world["steward_police"], grant, "")
    assert list(grants.overdue(grant.decide_by + dt.timedelta(days=1))) == [grant]
    grants.refuse(world["steward_police"], grant, "用途不明确")
    assert not grants.overdue(grant.decide_by + dt.timedelta(days=1)).exists()


@pytest.mark.django_db
def test_the_access_log_chain_detects_an_edited_or_removed_record(world):
    for _n in range(3):
        exchange.read("HY-001", PERSON, consumer=world["market"], purpose="办理")
    assert accesslog.verify().ok
    second = AccessRecord.objects.get(seq=2)
    AccessRecord.objects.filter(pk=second.pk).update(purpose="别的用途")
    assert accesslog.verify().first_bad_seq == 2
    AccessRecord.objects.filter(pk=second.pk).update(purpose=second.purpose)
    AccessRecord.objects.filter(seq=3).delete()
    assert not accesslog.verify().ok


@pytest.mark.django_db
def test_catalogue_and_my_records_api(client, world):
    citizen = User.objects.create_user(username="zhang", password="x", name="张三", level=2, id_number=PERSON)
    other = User.objects.create_user(username="li", password="x", name="李四", level=2,
                                     id_number=demo_id_number("19900101", "002"))
    exchange.read("HY-001", PERSON, consumer=world["market"], purpose="办理食品经营许可", case_number="N-1")
    exchange.read("XX-001", PERSON, consumer=world["market"], purpose="核查")  # refused: no data was used
    body = client.get("/api/v1/sharing/resources", **bearer(other)).json()
    assert body["total"] == 3
    row = next(r for r in body["items"] if r["code"] == "RK-001")
    assert {"code", "name", "provider", "share_type", "open_type", "items"} <= set(row)
    assert row["provider"] == "公安分局" and row["share_type"] == "conditional"
    assert "兖州区龙桥路1号" not in json.dumps(body, ensure_ascii=False)  # metadata, never the data
    mine = client.get("/api/v1/sharing/my-records", **bearer(citizen)).json()
    assert mine["total"] == 1
    assert mine["items"][0] | {"time": None} == {"time": None, "consumer_department": "市场监管局",
                                                 "purpose": "办理食品经营许可", "case_number": "N-1",
                                                 "resource": "婚姻登记信息", "items": ["婚姻状况"]}
    assert client.get("/api/v1/sharing/my-records", **bearer(other)).json()["total"] == 0
    other.level = 1
    other.save()
    assert client.get("/api/v1/sharing/my-records", **bearer(other)).status_code == 403
    assert client.get("/api/v1/sharing/resources").status_code == 401


@pytest.mark.django_db
def test_my_records_page_filter_and_csv(client, world):
    citizen = User.objects.create_user(username="zhang", password="x", name="张三", level=2, id_number=PERSON)
    exchange.read("HY-001", PERSON, consumer=world["market"], purpose="办理食品经营许可", case_number="N-1")
    client.force_login(citizen)
    page = client.get("/sharing/my-records/")
    body = page.content.decode()
    assert page.status_code == 200 and "办理食品经营许可" in body and "N-1" in body and "婚姻状况" in body
    assert "办理食品经营许可" not in client.get("/sharing/my-records/", {"resource": "RK-001"}).content.decode()
    exported = client.get("/sharing/my-records/", {"format": "csv"})
    text = exported.content.decode("utf-8-sig")
    assert exported["Content-Type"].startswith("text/csv") and "市场监管局,办理食品经营许可,N-1,婚姻登记信息,婚姻状况" in text
    citizen.level = 1
    citizen.save()
    assert client.get("/sharing/my-records/").status_code == 403


@pytest.mark.django_db
def test_demo_sharing_loads_once_with_matching_records():
    from yiwang.accounts.demo import load_demo_accounts
    from yiwang.org.demo import load_demo_org
    from yiwang.sharing.demo import load_demo_sharing

    load_demo_org()
    load_demo_accounts()
    first = load_demo_sharing()
    assert first["resources"] == 8 and first["records"] > 8 and first["grants"] == 2
    assert load_demo_sharing() == {"resources": 0, "records": 0, "grants": 0}
    citizen1 = User.objects.get(username="citizen1")
    market = Resource.objects.get(code="GA-HJRK").grants.get(status="approved").consumer
    reading = exchange.read("GA-HJRK", citizen1.id_number, consumer=market, purpose="演示", items=["household_address"])
    assert reading.ok and "建设东路18号" in reading.values["household_address"]


@pytest.mark.django_db
def test_request_and_decision_text_drop_control_characters(world):
    grant = grants.request(world["steward_market"], world["market"], world["population"], items=["ethnicity"],
                           purpose="核验\x00民族", legal_basis="\x07依据", days=30)
    assert (grant.purpose, grant.legal_basis) == ("核验民族", "依据")
    with pytest.raises(ApiError):
        grants.request(world["steward_market"], world["market"], world["population"], items=["ethnicity"],
                       purpose="\x00\x01", legal_basis="依据", days=30)
    grants.approve(world["steward_police"], grant, "同意\x00")
    grant.refresh_from_db()
    assert grant.decision_note == "同意"
    with pytest.raises(Conflict):  # an approved grant cannot be approved or refused again (transition table)
        grants.refuse(world["steward_police"], grant, "改主意")


@pytest.mark.django_db
def test_the_provider_reads_its_own_conditional_resource_without_a_grant(world):
    own = exchange.read("RK-001", PERSON, consumer=world["police"], purpose="户籍业务", items=["ethnicity"])
    assert own.ok and own.values == {"ethnicity": "汉族"} and own.record.grant is None
    other = exchange.read("RK-001", PERSON, consumer=world["civil"], purpose="低保审核", items=["ethnicity"])
    assert other.result == "refused"
