"""Admin service functions for regions and departments: validation, audit, events, scoping."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from yiwang.core.identifiers import make_uscc
from yiwang.core.models import AuditRecord, OutboxEvent
from yiwang.org import demo, services
from yiwang.org.models import Department, Region

pytestmark = pytest.mark.django_db

GOOD_USCC = make_uscc("1", "1", "370812", "MB000001")


@pytest.fixture
def county(db):
    demo.load_demo_org()
    return Region.objects.get(code=demo.COUNTY_CODE)


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_user(username="platform-admin", password="Yiwang@2026x")


def fields_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


# --- departments --------------------------------------------------------------------------------


def test_create_department_audits_and_emits(county, admin_user):
    dept = services.create_department(
        code="statistics",
        name="济宁市兖州区统计局",
        short_name="区统计局",
        region="370812",
        parent="gov",
        uscc=GOOD_USCC,
        phone="0537-3461099",
        actor=admin_user,
    )
    assert dept.pk and dept.region_id == "370812" and dept.parent.code == "gov"
    record = AuditRecord.objects.get(action="org.department.created", object_id=str(dept.pk))
    assert record.actor_id == admin_user.pk and record.data["code"] == "statistics"
    event = OutboxEvent.objects.get(name="org.department.created")
    assert event.payload["code"] == "statistics" and event.payload["region"] == "370812"


@pytest.mark.parametrize(
    "uscc",
    [
        GOOD_USCC[:-1] + ("0" if GOOD_USCC[-1] != "0" else "1"),  # wrong USCC check character
        GOOD_USCC[:16] + ("1" if GOOD_USCC[16] != "1" else "2") + GOOD_USCC[17],  # wrong 组织机构代码 check
        "11370812MB00000I1X",  # I is not in the charset
        "1137081",  # too short
    ],
)
def test_bad_uscc_is_rejected_with_field(county, uscc):
    with pytest.raises(ValidationError) as exc:
        services.create_department(code="statistics", name="济宁市兖州区统计局", region="370812", uscc=uscc)
    assert set(fields_of(exc)) == {"uscc"}
    assert "统一社会信用代码" in fields_of(exc)["uscc"][0]
    assert not Department.objects.filter(code="statistics").exists()
    assert not AuditRecord.objects.filter(action="org.department.created").exists()


def test_department_field_errors(county):
    with pytest.raises(ValidationError) as exc:
        services.create_department(code="Market Bureau", name="", region="999999")
    errors = fields_of(exc)
    assert set(errors) == {"code", "name", "region"}
    assert "小写" in errors["code"][0] and "不存在" in errors["region"][0]

    with pytest.raises(ValidationError) as exc:
        services.create_department(code="market", name="重复", region="370812")
    assert "已被使用" in fields_of(exc)["code"][0]

    taken = Department.objects.get(code="tax").uscc
    with pytest.raises(ValidationError) as exc:
        services.create_department(code="statistics", name="济宁市兖州区统计局", region="370812", uscc=taken)
    assert "已被部门" in fields_of(exc)["uscc"][0]

    with pytest.raises(ValidationError) as exc:
        services.create_department(code="statistics", name="统计局", region="370812", kind="ministry")
    assert set(fields_of(exc)) == {"kind"}


def test_update_department(county, admin_user):
    dept = services.update_department("market", actor=admin_user, phone="0537-3469999", short_name="区市场局")
    assert dept.phone == "0537-3469999"
    record = AuditRecord.objects.get(action="org.department.updated")
    assert record.data["changes"]["phone"][1] == "0537-3469999"
    assert OutboxEvent.objects.filter(name="org.department.updated").count() == 1

    # nothing changed → nothing written
    services.update_department("market", actor=admin_user, phone="0537-3469999")
    assert AuditRecord.objects.filter(action="org.department.updated").count() == 1

    with pytest.raises(ValidationError) as exc:
        services.update_department("market", code="market2")
    assert "不可修改" in fields_of(exc)["code"][0]
    with pytest.raises(ValidationError) as exc:
        services.update_department("market", uscc="123")
    assert set(fields_of(exc)) == {"uscc"}
    with pytest.raises(ValidationError) as exc:
        services.update_department("gov", parent="market")
    assert "下级" in fields_of(exc)["parent"][0]
    with pytest.raises(ValidationError):
        services.update_department("no-such-dept", name="x")
    with pytest.raises(TypeError):
        services.update_department("market", colour="red")

    moved = services.update_department("centre-gulou", region="370812002000")
    assert moved.region_id == "370812002000"
    assert AuditRecord.objects.filter(action="org.department.updated").last().data["changes"]["region"] == [
        "370812001000",
        "370812002000",
    ]


# --- regions ------------------------------------------------------------------------------------


def test_create_region_township_and_village(county, admin_user):
    town = services.create_region(
        code="370812105000", name="测试镇", parent=county, is_demo=True, actor=admin_user
    )
    assert town.level == Region.Level.TOWNSHIP
    village = services.create_region(code="370812105201", name="测试村", parent="370812105000", is_demo=True)
    assert village.level == Region.Level.VILLAGE
    assert village.full_name == "山东省济宁市兖州区测试镇测试村"
    assert AuditRecord.objects.filter(action="org.region.created").count() == 2
    assert OutboxEvent.objects.filter(name="org.region.created").count() == 2


@pytest.mark.parametrize(
    ("code", "parent", "message"),
    [
        ("3708121050", "370812", "12位"),  # wrong length for a township
        ("370813105000", "370812", "前缀"),  # not under the parent
        ("370812000000", "370812", "层级"),  # a county-level 12-digit code
        ("370812001000", "370812", "已存在"),  # duplicate
        ("37081210500A", "370812", "数字"),  # not digits
        ("370812105201", "370812", "不符"),  # a village code given a county parent
        ("370899", "370000", "不符"),  # a county code directly under a province
    ],
)
def test_bad_region_codes(county, code, parent, message):
    with pytest.raises(ValidationError) as exc:
        services.create_region(code=code, name="测试", parent=parent)
    errors = fields_of(exc)
    assert any(message in m for msgs in errors.values() for m in msgs), errors


def test_create_upper_regions():
    province = services.create_region(code="110000", name="北京市")
    city = services.create_region(code="110100", name="市辖区", parent=province)
    district = services.create_region(code="110105", name="朝阳区", parent=city)
    assert [province.level, city.level, district.level] == [1, 2, 3]
    with pytest.raises(ValidationError) as exc:
        services.create_region(code="110200", name="无上级")
    assert "code" in fields_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.create_region(code="120100", name="错挂", parent=province)
    assert "前缀" in fields_of(exc)["code"][0]
    with pytest.raises(ValidationError) as exc:
        services.create_region(code="110106", name="丰台区", parent="119999")
    assert set(fields_of(exc)) == {"parent"}


def test_retire_region(county, admin_user):
    with pytest.raises(ValidationError) as exc:
        services.retire_region("370812001000", dt.date(2026, 1, 1))
    assert "下级区划" in fields_of(exc)["code"][0]

    with pytest.raises(ValidationError) as exc:
        services.retire_region("370812104000", dt.date(2026, 1, 1))  # 小孟镇 still has its centre
    assert "部门" in fields_of(exc)["code"][0]
    services.update_department("centre-xiaomeng", active=False)
    region = services.retire_region("370812104000", dt.date(2026, 1, 1), actor=admin_user)
    assert region.retired_on == dt.date(2026, 1, 1)
    assert AuditRecord.objects.filter(action="org.region.retired", object_id="370812104000").exists()
    assert OutboxEvent.objects.filter(name="org.region.retired").exists()

    with pytest.raises(ValidationError) as exc:
        services.retire_region("370812104000", dt.date(2026, 2, 1))
    assert "已于" in fields_of(exc)["code"][0]
    with pytest.raises(ValidationError) as exc:
        services.create_region(code="370812104201", name="新村", parent="370812104000")
    assert "已撤销" in fields_of(exc)["parent"][0]
    with pytest.raises(ValidationError) as exc:
        services.update_department("market", region="370812104000")
    assert "已撤销" in fields_of(exc)["region"][0]


def test_update_region(county):
    region = services.update_region("370812001001", name="鼓楼社区居委会")
    assert region.name == "鼓楼社区居委会"
    assert AuditRecord.objects.filter(action="org.region.updated").exists()
    with pytest.raises(ValidationError):
        services.update_region("370812001001", name="  ")


# --- scoping ------------------------------------------------------------------------------------


def test_within_region_q(county):
    township = Region.objects.get(code="370812102000")  # 颜店镇
    assert services.region_prefix(township) == "370812102"
    codes = set(services.region_subtree_codes(township))
    assert codes == {"370812102000"} | {r.code for r in township.children.all()}
    depts = Department.objects.filter(services.within_region_q("370812"))
    assert depts.count() == len(demo.DEPARTMENTS)
    assert list(
        Department.objects.filter(services.within_region_q(township)).values_list("code", flat=True)
    ) == ["centre-yandian"]
    assert (
        Region.objects.filter(services.within_region_q("370000", path="")).count() == Region.objects.count()
    )
    assert not Department.objects.filter(services.within_region_q("370800")).exclude(
        region__code__startswith="3708"
    )


# --- admin goes through the services ------------------------------------------------------------


def test_admin_saves_through_services(county, client):
    superuser = get_user_model().objects.create_superuser(username="root", password="Yiwang@2026x")
    client.force_login(superuser)
    assert client.get("/admin/org/region/?level__exact=4").status_code == 200
    assert client.get("/admin/org/department/?q=市场").status_code == 200
    market = Department.objects.get(code="market")
    assert client.get(f"/admin/org/department/{market.pk}/change/").status_code == 200

    form = {
        "code": "statistics",
        "name": "济宁市兖州区统计局",
        "short_name": "区统计局",
        "kind": "department",
        "region": "370812",
        "parent": Department.objects.get(code="gov").pk,
        "uscc": GOOD_USCC[:-1] + ("0" if GOOD_USCC[-1] != "0" else "1"),
        "phone": "",
        "address": "",
        "active": "on",
    }
    response = client.post("/admin/org/department/add/", form)
    assert response.status_code == 200 and "校验码" in response.content.decode()
    assert not Department.objects.filter(code="statistics").exists()

    form["uscc"] = GOOD_USCC
    response = client.post("/admin/org/department/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    dept = Department.objects.get(code="statistics")
    assert AuditRecord.objects.filter(action="org.department.created", object_id=str(dept.pk)).exists()

    response = client.post(
        "/admin/org/region/add/", {"code": "370812105000", "name": "测试镇", "level": 4, "parent": "370812"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditRecord.objects.filter(action="org.region.created", object_id="370812105000").exists()

    response = client.post(
        "/admin/org/region/",
        {"action": "retire_selected", "_selected_action": ["370812105000"]},
    )
    assert response.status_code == 302
    assert Region.objects.get(code="370812105000").retired_on is not None

    market_form = {
        "name": market.name,
        "short_name": market.short_name,
        "kind": market.kind,
        "region": market.region_id,
        "parent": market.parent_id,
        "uscc": market.uscc,
        "phone": "0537-3468888",
        "address": market.address,
        "is_demo": "on",
        "active": "on",
    }
    response = client.post(f"/admin/org/department/{market.pk}/change/", market_form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Department.objects.get(code="market").phone == "0537-3468888"
    record = AuditRecord.objects.get(action="org.department.updated", object_id=str(market.pk))
    assert record.actor_id == superuser.pk and set(record.data["changes"]) == {"phone"}
