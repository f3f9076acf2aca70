"""Version workflow: who edits, four-eyes publishing, immutability, rules, diff, search indexing."""

import pytest
from django.core.exceptions import PermissionDenied

from yiwang.accounts.models import User
from yiwang.accounts.roles import Role
from yiwang.accounts.services.staff import assign_role
from yiwang.catalog import rules, search, services
from yiwang.catalog.models import BaseItem, ItemVersion, VersionStatus
from yiwang.core.api import ApiError, Conflict
from yiwang.core.models import AuditRecord, OutboxEvent
from yiwang.org.demo import demo_uscc
from yiwang.org.models import Department, Region

ELEMENTS = {
    "name": "食品经营许可（新办）", "item_type": "01", "legal_basis": "《中华人民共和国食品安全法》第三十五条",
    "legal_limit_value": 20, "promised_limit_value": 5, "case_type": "2", "process_template": "promised",
    "audiences": ["2"], "handling_forms": ["1", "2"], "online_depth": ["1", "2", "3", "4"], "visits": 1,
    "visits_reason": "现场核查经营场所", "summary": "从事食品销售和餐饮服务须取得食品经营许可。",
}


@pytest.fixture
def org(db):
    province = Region.objects.create(code="370000", name="山东省", level=1)
    city = Region.objects.create(code="370800", name="济宁市", level=2, parent=province)
    county = Region.objects.create(code="370812", name="兖州区", level=3, parent=city)
    market = Department.objects.create(code="market", name="兖州区市场监督管理局", region=county,
                                       uscc=demo_uscc("market"))
    civil = Department.objects.create(code="civil", name="兖州区民政局", region=county, uscc=demo_uscc("civil"))
    approval = Department.objects.create(code="approval", name="兖州区行政审批服务局", region=county,
                                         uscc=demo_uscc("approval"), kind=Department.Kind.APPROVAL_BUREAU)
    return {"county": county, "market": market, "civil": civil, "approval": approval}


def person(username, role=None, **scope):
    user = User.objects.create_user(username=username, password="x", name=username)
    if role:
        assign_role(user, role, **scope)
    return user


@pytest.fixture
def people(org):
    return {
        "market_admin": person("ma", Role.DEPT_ADMIN, department=org["market"]),
        "civil_admin": person("ca", Role.DEPT_ADMIN, department=org["civil"]),
        "platform": person("pa", Role.PLATFORM_ADMIN, region=org["county"]),
        "reviewer": person("rv", Role.REVIEWER, department=org["approval"]),
        "market_reviewer": person("mr", Role.REVIEWER, department=org["market"]),
    }


def make_item(actor, org, **over):
    base = BaseItem.objects.get_or_create(basic_code="000172009000", defaults={"name": "食品经营许可", "item_type": "01"})[0]
    code = org["market"].uscc + "4" + "000172009000"
    return services.create_item(actor, code=code, base=base, department=org["market"], region=org["county"],
                                elements={**ELEMENTS, **over},
                                materials=[{"code": "M01", "name": "食品经营许可申请书", "necessity": "required"}])


@pytest.mark.django_db
def test_department_admin_edits_only_own_items(org, people):
    with pytest.raises(PermissionDenied):
        make_item(people["civil_admin"], org)
    item = make_item(people["market_admin"], org)
    assert item.versions.get().status == VersionStatus.DRAFT
    assert AuditRecord.objects.filter(action="catalog.item.created").exists()
    assert OutboxEvent.objects.filter(name="catalog.item.created").exists()


@pytest.mark.django_db
def test_bad_implementation_code_is_refused(org, people):
    base = BaseItem.objects.create(basic_code="000172009000", name="食品经营许可", item_type="01")
    with pytest.raises(ApiError) as exc:
        services.create_item(people["market_admin"], code="91350100M000100Y44" + "4000172009000", base=base,
                             department=org["market"], region=org["county"], elements=ELEMENTS)
    assert "code" in exc.value.fields


@pytest.mark.django_db
def test_four_eyes_publishing_and_immutability(org, people):
    item = make_item(people["market_admin"], org)
    v1 = item.versions.get()
    services.submit(people["market_admin"], v1)
    # the author's department reviewer is not the catalogue reviewer; the author may not publish
    with pytest.raises(PermissionDenied):
        services.publish(people["market_reviewer"], v1)
    with pytest.raises(PermissionDenied):
        services.publish(people["market_admin"], v1)
    services.publish(people["reviewer"], v1)
    item.refresh_from_db()
    assert item.current_id == v1.pk
    assert search.search("食品经营").item_ids == [item.pk]
    # a published version never changes
    with pytest.raises(Conflict):
        services.update_draft(people["market_admin"], ItemVersion.objects.get(pk=v1.pk), {"name": "改名"})
    # editing makes a new version; publishing it supersedes the old one
    v2 = services.new_draft(people["market_admin"], item)
    assert v2.number == 2 and v2.materials.count() == 1
    with pytest.raises(Conflict):
        services.new_draft(people["market_admin"], item)
    services.update_draft(people["market_admin"], v2, {"promised_limit_value": 3, "change_note": "压缩时限"})
    services.submit(people["market_admin"], v2)
    services.publish(people["platform"], v2)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.SUPERSEDED and v1.promised_limit_value == 5
    changes = {c["field"]: (c["old"], c["new"]) for c in services.diff(v1, ItemVersion.objects.get(pk=v2.pk))}
    assert changes["promised_limit_value"] == (5, 3)


@pytest.mark.django_db
def test_publish_refused_on_rule_violation_with_field_messages(org, people):
    item = make_item(people["market_admin"], org, promised_limit_value=30)
    with pytest.raises(ApiError) as exc:
        services.submit(people["market_admin"], item.versions.get())
    assert "promised_limit_value" in exc.value.fields
    v = item.versions.get()
    v.status = VersionStatus.IN_REVIEW
    v.save()
    with pytest.raises(ApiError) as exc:
        services.publish(people["reviewer"], v)
    assert exc.value.code == "rule_violation" and "promised_limit_value" in exc.value.fields
    assert ItemVersion.objects.get(pk=v.pk).status == VersionStatus.IN_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(
    "over,field",
    [
        ({"promised_limit_value": 25}, "promised_limit_value"),  # 承诺 > 法定
        ({"case_type": "1", "process_template": "instant", "promised_limit_value": 2}, "promised_limit_value"),
        ({"promised_limit_value": 0}, "case_type"),  # 0 days ⇒ 即办件
        ({"charges": True}, "fees"),  # 收费 ⇒ 依据 + 标准
        ({"visits_reason": ""}, "visits_reason"),  # 到现场 > 0 ⇒ 原因
        ({"online_depth": ["1", "2", "5"]}, "visits"),  # 全程网办 ⇒ 0 visits
        ({"process_template": "joint"}, "joint_departments"),
        ({"legal_limit_unit": "natural_day", "legal_limit_value": 7, "promised_limit_value": 6}, "promised_limit_value"),
    ],
)
def test_consistency_rules(org, people, over, field):
    item = make_item(people["market_admin"], org, **over)
    assert field in rules.check_version(item.versions.get())


@pytest.mark.django_db
def test_valid_version_has_no_rule_errors(org, people):
    assert rules.check_version(make_item(people["market_admin"], org).versions.get()) == {}


@pytest.mark.django_db
def test_withdraw_removes_from_search(org, people):
    item = make_item(people["market_admin"], org)
    v = item.versions.get()
    services.publish(None, v, system=True)
    assert search.search("食品经营").total == 1
    services.withdraw(people["platform"], item, "职能调整")
    assert search.search("食品经营").total == 0
    assert ItemVersion.objects.get(pk=v.pk).status == VersionStatus.WITHDRAWN


@pytest.mark.django_db
def test_model_level_errors_are_field_messages(org, people):
    with pytest.raises(ApiError) as exc:
        make_item(people["market_admin"], org, audiences=[], case_type="9")
    assert {"audiences", "case_type"} <= set(exc.value.fields)
