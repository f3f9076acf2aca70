"""Test data for the catalogue, built through the services (``create_item`` and ``publish``), so a
published item is indexed for search exactly as in production. Other apps' tests may import it.

    from yiwang.catalog.tests import factories as f

    item = f.published_item(name="食品经营许可", department=f.department("market"))
    item.current.materials.all()            # two materials, a form with three fields
    f.bundle("enterprise-opening", [item, other])

Every helper is idempotent where that makes sense (regions, departments, themes by code) and needs
the ``db`` fixture. Implementation codes are valid: a department USCC + 行使层级 4 + base code.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

from yiwang.catalog import services
from yiwang.catalog.models import BaseItem, Bundle, BundleItem, LifeEvent, ServiceItem, Theme
from yiwang.core.identifiers import make_uscc
from yiwang.org.models import Department, Region

_counter = itertools.count(1)

DEFAULT_FORM_SCHEMA = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "maxLength": 50},
        "id_number": {"type": "string", "format": "id_number"},
        "phone": {"type": "string", "format": "phone"},
    },
    "required": ["applicant_name", "id_number"],
}
DEFAULT_FORM_UI = {
    "order": ["applicant_name", "id_number", "phone"],
    "fields": {
        "applicant_name": {"label": "申请人姓名", "prefill": "profile.name"},
        "id_number": {"label": "身份证号", "help": "18 位居民身份证号码"},
        "phone": {"label": "联系电话"},
    },
}
DEFAULT_MATERIALS = [
    {"code": "M01", "name": "申请书", "necessity": "required", "source": "applicant", "originals": 1,
     "notes": "申请人签字"},
    {"code": "M02", "name": "居民身份证", "necessity": "required", "source": "certificate",
     "certificate_type": "JMSFZ", "originals": 1, "copies": 1},
]


def county() -> Region:
    """山东省济宁市兖州区 (370812) with its parents."""
    province, _ = Region.objects.get_or_create(code="370000", defaults={"name": "山东省", "level": 1})
    city, _ = Region.objects.get_or_create(code="370800", defaults={"name": "济宁市", "level": 2, "parent": province})
    region, _ = Region.objects.get_or_create(code="370812", defaults={"name": "兖州区", "level": 3, "parent": city})
    return region


def department(code: str = "market", name: str | None = None, region: Region | None = None, **fields) -> Department:
    region = region or county()
    found = Department.objects.filter(code=code).first()
    if found:
        return found
    body = f"MB{int(hashlib.sha256(code.encode()).hexdigest(), 16) % 1_000_000:06d}"
    return Department.objects.create(
        code=code, name=name or f"济宁市兖州区{code}局", region=region,
        uscc=fields.pop("uscc", make_uscc("1", "1", region.code[:6], body)), **fields,
    )


def theme(code: str = "establishment", name: str = "设立变更", audience: str = "enterprise", order: int = 0) -> Theme:
    return Theme.objects.get_or_create(code=code, defaults={"name": name, "audience": audience, "order": order})[0]


def base_item(basic_code: str | None = None, name: str = "测试事项", item_type: str = "01",
              legal_limit: int | None = 20) -> BaseItem:
    basic_code = basic_code or f"{900000000000 + next(_counter)}"
    return BaseItem.objects.get_or_create(basic_code=basic_code, defaults={
        "name": name, "item_type": item_type, "legal_basis": "《中华人民共和国行政许可法》第二十九条",
        "legal_limit_value": legal_limit})[0]


def elements(**overrides) -> dict[str, Any]:
    """A consistent set of elements (承诺件, 20/5 working days, one visit, free, 自然人)."""
    data = {
        "name": "测试事项",
        "item_type": "01",
        "legal_basis": "《中华人民共和国行政许可法》第二十九条",
        "conditions": "1. 申请人为完全民事行为能力人。",
        "process_steps": [{"name": "申请", "description": "网上或窗口提交"}, {"name": "受理", "description": ""},
                          {"name": "审查", "description": ""}, {"name": "决定", "description": ""}],
        "legal_limit_value": 20,
        "promised_limit_value": 5,
        "case_type": "2",
        "process_template": "promised",
        "visits": 1,
        "visits_reason": "需核验原件",
        "charges": False,
        "audiences": ["1"],
        "handling_forms": ["1", "2"],
        "online_depth": ["1", "2", "3", "4"],
        "tongban_scope": "none",
        "place": "兖州区政务服务中心一楼综合窗口",
        "hours": "工作日 9:00–12:00，13:30–17:30",
        "consult_phone": "0537-3461000",
        "supervise_phone": "0537-12345",
        "result_name": "准予许可决定书",
        "faq": [{"q": "可以委托他人办理吗？", "a": "可以，需提交授权委托书。"}],
        "summary": "测试用事项。",
        "form_schema": DEFAULT_FORM_SCHEMA,
        "form_ui": DEFAULT_FORM_UI,
    }
    data.update(overrides)
    return data


def instant(**overrides) -> dict[str, Any]:
    """Elements of a 即办件 (promised 0, instant template)."""
    return {"case_type": "1", "process_template": "instant", "promised_limit_value": 0, **overrides}


def fully_online(**overrides) -> dict[str, Any]:
    """Elements of a 全程网办 item (depth to 6, no visit)."""
    return {"online_depth": ["1", "2", "3", "4", "5", "6"], "visits": 0, "visits_reason": "", **overrides}


def item(name: str = "测试事项", *, department_obj: Department | None = None, code: str | None = None,
         base: BaseItem | None = None, materials: list[dict] | None = None, fees: list[dict] | None = None,
         themes=(), joint_departments=(), publish: bool = True, popularity: int = 0, region: Region | None = None,
         **overrides) -> ServiceItem:
    """A service item with a consistent first version (published unless ``publish=False``)."""
    dept = department_obj or department()
    region = region or dept.region
    base = base or base_item(name=name, item_type=overrides.get("item_type", "01"),
                             legal_limit=overrides.get("legal_limit_value", 20))
    code = code or f"{dept.uscc}4{base.basic_code}"
    if fees and "charges" not in overrides:
        overrides["charges"] = True
    created = services.create_item(
        None, code=code, base=base, department=dept, region=region, elements=elements(name=name, **overrides),
        materials=DEFAULT_MATERIALS if materials is None else materials, fees=fees or [],
        joint_departments=joint_departments, themes=themes,
    )
    if popularity:
        ServiceItem.objects.filter(pk=created.pk).update(popularity=popularity)
    if publish:
        services.publish(None, created.versions.get(number=1), system=True)
    created.refresh_from_db()
    return created


published_item = item


def republish(item_obj: ServiceItem, *, materials: list[dict] | None = None, **changes) -> ServiceItem:
    """Publish version n+1 of ``item_obj`` with ``changes`` (the services' new_draft → update →
    publish, as the system)."""
    draft = services.new_draft(None, item_obj)
    services.update_draft(None, draft, changes, materials=materials)
    services.publish(None, draft, system=True)
    item_obj.refresh_from_db()
    return item_obj


def platform_admin(username: str = "platform-admin", region: Region | None = None):
    """A platform admin of the county (may publish and withdraw)."""
    from yiwang.accounts.models import User
    from yiwang.accounts.roles import Role
    from yiwang.accounts.services.staff import assign_role

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password="Yiwang-2026-admin!", name="平台管理员")
        assign_role(user, Role.PLATFORM_ADMIN, region=region or county())
    return user


def bundle(code: str, items: list[ServiceItem], *, name: str | None = None, audience: str = "personal",
           lead: Department | None = None, description: str = "") -> Bundle:
    b = Bundle.objects.create(code=code, name=name or f"{code}一件事", audience=audience, lead_department=lead,
                              description=description)
    for n, i in enumerate(items):
        BundleItem.objects.create(bundle=b, item=i, order=n)
    return b


def life_event(code: str, items: list[ServiceItem], *, name: str = "出生", audience: str = "personal") -> LifeEvent:
    event = LifeEvent.objects.create(code=code, name=name, audience=audience)
    event.items.set(items)
    return event


NEWBORN_FORM_SCHEMA = {
    "type": "object",
    "properties": {
        "applicant_name": {"type": "string", "maxLength": 50},
        "id_number": {"type": "string", "format": "id_number"},
        "relation": {"type": "string", "enum": ["father", "mother", "other"]},
        "relation_other": {"type": "string", "maxLength": 20},
        "children": {
            "type": "array", "minItems": 1,
            "items": {"type": "object", "properties": {"name": {"type": "string"},
                                                       "birth_date": {"type": "string", "format": "date"}},
                      "required": ["name", "birth_date"]},
        },
    },
    "required": ["applicant_name", "id_number", "relation", "children"],
    "allOf": [{"if": {"properties": {"relation": {"const": "other"}}, "required": ["relation"]},
               "then": {"required": ["relation_other"]}}],
}
NEWBORN_FORM_UI = {
    "order": ["applicant_name", "id_number", "relation", "relation_other", "children"],
    "fields": {
        "applicant_name": {"label": "申请人姓名"},
        "id_number": {"label": "身份证号"},
        "relation": {"label": "与新生儿关系", "widget": "radio", "options": [
            {"value": "father", "label": "父亲"}, {"value": "mother", "label": "母亲"},
            {"value": "other", "label": "其他监护人"}]},
        "relation_other": {"label": "其他关系说明"},
        "children": {"label": "新生儿", "widget": "group", "order": ["name", "birth_date"],
                     "fields": {"name": {"label": "姓名"}, "birth_date": {"label": "出生日期"}}},
    },
}


class SampleCatalogue:
    """A small catalogue of both audiences (see :func:`sample_catalogue`)."""

    def __init__(self, **objects):
        self.__dict__.update(objects)


def sample_catalogue() -> SampleCatalogue:
    """Five published items of three departments and both audiences, three themes, a
    新生儿出生一件事 bundle of three items whose materials overlap (by name and by certificate type),
    and a life event. Hand-checkable KPIs: see ``test_kpis``."""
    market = department("market", "济宁市兖州区市场监督管理局", short_name="区市场监管局")
    hrss = department("hrss", "济宁市兖州区人力资源和社会保障局", short_name="区人社局")
    health = department("health", "济宁市兖州区卫生健康局", short_name="区卫健局")
    establishment = theme("establishment", "设立变更", "enterprise", 1)
    birth = theme("birth_adoption", "生育收养", "personal", 1)
    social = theme("social_security", "社会保障", "personal", 4)
    id_card = {"code": "M02", "name": "居民身份证", "necessity": "required", "source": "certificate",
               "certificate_type": "JMSFZ", "originals": 1}
    company = item(
        "企业设立登记", department_obj=market, themes=[establishment], popularity=900, audiences=["2"],
        legal_limit_value=15, promised_limit_value=3, tongban_scope="cross_province",
        aliases=["开公司", "营业执照"], **fully_online(),
        materials=[{"code": "M01", "name": "公司登记（备案）申请书", "necessity": "required", "originals": 1},
                   {"code": "M02", "name": "公司章程", "necessity": "required", "originals": 1},
                   {"code": "M03", "name": "住所使用证明", "necessity": "deferrable", "originals": 0, "copies": 1}],
    )
    food = item(
        "食品经营许可", department_obj=market, themes=[establishment], popularity=500, audiences=["2"],
        legal_limit_value=20, promised_limit_value=5,
        materials=[{"code": "M01", "name": "食品经营许可申请书", "necessity": "required", "originals": 1},
                   {"code": "M02", "name": "营业执照", "necessity": "required", "source": "certificate",
                    "certificate_type": "YYZZ", "originals": 0, "copies": 1}],
    )
    birth_cert = item(
        "出生医学证明办理", department_obj=health, themes=[birth], popularity=700, legal_limit_value=None,
        **instant(visits=1, visits_reason="须核验新生儿及父母身份"),
        materials=[id_card, {"code": "M03", "name": "住院分娩证明", "necessity": "required",
                             "source": "government_issued", "issuer": "助产医疗机构", "originals": 1}],
    )
    card = item(
        "社会保障卡申领", department_obj=hrss, themes=[social], popularity=800, legal_limit_value=10,
        promised_limit_value=5, aliases=["社保卡"], **fully_online(),
        fees=[{"name": "社会保障卡工本费", "standard": "首次申领免费，补换卡每张 20 元",
               "basis": "《山东省物价局 山东省财政厅关于社会保障卡收费标准的通知》", "reduction": "首次申领免收"}],
        materials=[{**id_card, "code": "M01"}, {"code": "M02", "name": "近期免冠证件照", "necessity": "required",
                                                "form": "electronic", "originals": 1}],
    )
    insurance = item(
        "新生儿参保登记", department_obj=hrss, themes=[birth, social], popularity=600, legal_limit_value=10,
        **instant(), **fully_online(), form_schema=NEWBORN_FORM_SCHEMA, form_ui=NEWBORN_FORM_UI,
        materials=[{"code": "M01", "name": "出生医学证明", "necessity": "required", "source": "certificate",
                    "certificate_type": "CSYXZM", "originals": 1},
                   {"code": "M02", "name": "监护人身份证", "necessity": "optional", "source": "certificate",
                    "certificate_type": "JMSFZ", "originals": 0, "copies": 2}],
    )
    newborn = bundle("newborn", [birth_cert, insurance, card], name="新生儿出生一件事", audience="personal",
                     lead=health, description="出生医学证明、参保登记、社会保障卡一次办。")
    event = life_event("birth", [birth_cert, insurance], name="出生")
    return SampleCatalogue(
        market=market, hrss=hrss, health=health, establishment=establishment, birth=birth, social=social,
        company=company, food=food, birth_cert=birth_cert, card=card, insurance=insurance, newborn=newborn,
        event=event,
    )
