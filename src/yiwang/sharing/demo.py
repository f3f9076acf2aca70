"""Demo shared-data resources (the eight the issue names) with records that match the demo
people and enterprise, one approved and one pending 有条件 grant. Idempotent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import models
from django.utils import timezone

from yiwang.core.crypto import blind_index_candidates
from yiwang.org.models import Department
from yiwang.sharing.models import Grant, HostedRecord, OpenType, Resource, ShareType

PERSON, ORG = Resource.SubjectKind.PERSON, Resource.SubjectKind.ORGANISATION


def _i(name: str, label: str, sensitivity: str = "personal", kind: str = "string") -> dict[str, str]:
    return {"name": name, "label": label, "type": kind, "sensitivity": sensitivity}


# (code, name, provider, subject kind, share type, legal basis, update cycle, items)
RESOURCES = [
    ("GA-HJRK", "人口基本信息", "police", PERSON, ShareType.CONDITIONAL, "《政务数据共享条例》第十四条；户籍管理",
     "实时", [_i("name", "姓名"), _i("gender", "性别"), _i("ethnicity", "民族", "sensitive"),
             _i("household_address", "户籍地址"), _i("household_head", "户主姓名")]),
    ("MZ-HYDJ", "婚姻登记信息", "civil", PERSON, ShareType.UNCONDITIONAL, "《婚姻登记条例》", "每日",
     [_i("marital_status", "婚姻状况"), _i("registered_on", "登记日期", kind="date")]),
    ("WJ-CSYXZM", "出生医学证明信息", "health", PERSON, ShareType.CONDITIONAL, "《母婴保健法》", "每日",
     [_i("certificate_number", "出生医学证明编号"), _i("birth_date", "出生日期", kind="date")]),
    ("RS-SBCB", "社会保险参保信息", "hrss", PERSON, ShareType.CONDITIONAL, "《社会保险法》", "每月",
     [_i("insured", "参保状态"), _i("months", "累计缴费月数", kind="integer")]),
    ("SJ-SCZT", "企业登记信息", "market", ORG, ShareType.UNCONDITIONAL, "《市场主体登记管理条例》", "实时",
     [_i("name", "企业名称", "public"), _i("legal_rep_name", "法定代表人", "public"),
      _i("legal_rep_id_number", "法定代表人身份证号", "sensitive"), _i("address", "住所", "public")]),
    ("ZR-BDCDJ", "不动产登记信息", "natural-resources", PERSON, ShareType.CONDITIONAL, "《不动产登记暂行条例》", "实时",
     [_i("certificate_number", "不动产权证书号"), _i("location", "坐落")]),
    ("SW-NSXY", "纳税信用等级", "tax", ORG, ShareType.UNCONDITIONAL, "《纳税信用管理办法》", "每年",
     [_i("grade", "纳税信用等级", "public")]),
    ("CL-CJRXX", "残疾人信息", "disabled", PERSON, ShareType.NONE, "涉及个人健康信息，仅限残联业务系统使用", "每月",
     [_i("category", "残疾类别", "sensitive"), _i("grade", "残疾等级", "sensitive")]),
]


def _records() -> dict[str, list[tuple[str, dict[str, Any]]]]:
    from yiwang.accounts.models import Enterprise, User

    people = {u.username: u for u in User.objects.filter(username__in=["citizen1", "citizen2", "corp1"])}
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {code: [] for code, *_rest in RESOURCES}
    c1, c2, corp = people.get("citizen1"), people.get("citizen2"), people.get("corp1")
    if c1:
        out["GA-HJRK"].append((c1.id_number, {"name": c1.name, "gender": "男", "ethnicity": "汉族",
                                                "household_address": "山东省济宁市兖州区鼓楼街道建设东路18号",
                                                "household_head": c1.name}))
        out["MZ-HYDJ"].append((c1.id_number, {"marital_status": "已婚", "registered_on": "2015-10-01"}))
        out["RS-SBCB"].append((c1.id_number, {"insured": "正常参保", "months": 126}))
        out["ZR-BDCDJ"].append((c1.id_number, {"certificate_number": "鲁（2021）兖州区不动产权第0001234号",
                                                 "location": "兖州区九州中路88号3幢2单元501室"}))
    if c2:
        out["GA-HJRK"].append((c2.id_number, {"name": c2.name, "gender": "女", "ethnicity": "汉族",
                                                "household_address": "山东省济宁市兖州区新驿镇新驿村", "household_head": c2.name}))
        out["MZ-HYDJ"].append((c2.id_number, {"marital_status": "丧偶", "registered_on": "1968-03-08"}))
        out["CL-CJRXX"].append((c2.id_number, {"category": "肢体残疾", "grade": "三级"}))
    if corp:
        out["GA-HJRK"].append((corp.id_number, {"name": corp.name, "gender": "男", "ethnicity": "汉族",
                                                  "household_address": "山东省济宁市兖州区建设东路18号", "household_head": corp.name}))
        out["MZ-HYDJ"].append((corp.id_number, {"marital_status": "已婚", "registered_on": "2001-05-01"}))
    for ent in Enterprise.objects.filter(is_demo=True):
        out["SJ-SCZT"].append((ent.uscc, {"name": ent.name, "legal_rep_name": ent.legal_rep_name,
                                            "legal_rep_id_number": corp.id_number if corp else "",
                                            "address": ent.address or "山东省济宁市兖州区"}))
        out["SW-NSXY"].append((ent.uscc, {"grade": "A"}))
    return out


def load_demo_sharing() -> dict[str, int]:
    from yiwang.accounts.models import User
    from yiwang.core import workdays

    departments = {d.code: d for d in Department.objects.filter(code__in={r[2] for r in RESOURCES} | {"approval"})}
    made = {"resources": 0, "records": 0, "grants": 0}
    resources: dict[str, Resource] = {}
    for code, name, provider, kind, share, basis, cycle, items in RESOURCES:
        if provider not in departments:
            continue
        resource, created = Resource.objects.update_or_create(code=code, defaults={
            "name": name, "provider": departments[provider], "subject_kind": kind, "share_type": share,
            "legal_basis": basis, "update_cycle": cycle, "items": items, "open_type": OpenType.NONE,
            "summary": f"{departments[provider].name}提供的{name}（演示数据）。"})
        resources[code] = resource
        made["resources"] += created
    for code, rows in _records().items():
        resource = resources.get(code)
        for subject, data in rows if resource else []:
            if not subject:
                continue
            if HostedRecord.objects.filter(resource=resource,
                                           subject_index__in=blind_index_candidates("subject", subject)).exists():
                continue
            HostedRecord.objects.create(resource=resource, subject=subject, data=json.dumps(data, ensure_ascii=False))
            made["records"] += 1
    population, market = resources.get("GA-HJRK"), departments.get("market")
    steward = User.objects.filter(username="market-steward").first()
    if population and market and steward and not Grant.objects.filter(resource=population).exists():
        today = timezone.localdate()
        for items, status in ((["name", "household_address"], Grant.Status.APPROVED),
                              (["ethnicity"], Grant.Status.REQUESTED)):
            Grant.objects.create(consumer=market, resource=population, items=items, status=status,
                                 purpose="食品经营许可：核验经营者户籍信息（演示）", legal_basis="《食品经营许可和备案管理办法》",
                                 valid_until=today + dt.timedelta(days=366), requested_by=steward,
                                 decide_by=workdays.add_working_days(today, 10),
                                 decided_at=timezone.now() if status == Grant.Status.APPROVED else None,
                                 decision_note="演示数据" if status == Grant.Status.APPROVED else "")
            made["grants"] += 1
    made["grants"] += _grants_for_catalogue(resources, steward_of=lambda dept: User.objects.filter(
        username=f"{dept.code}-steward").first())
    return made


def _grants_for_catalogue(resources: dict[str, Resource], steward_of) -> int:
    """An approved grant (every item but the sensitive ones) for each department whose published
    items take a 有条件 resource as a material or a form-field source — so the demo's applications
    find their shared data. Departments that already have a grant of the resource are left alone."""
    from yiwang.catalog.models import Material, ServiceItem
    from yiwang.core import workdays

    today, made = timezone.localdate(), 0
    for code, resource in resources.items():
        if resource.share_type != ShareType.CONDITIONAL:
            continue
        consumers = set(Material.objects.filter(sharing_resource=code, version__item__current=models.F("version"))
                        .values_list("version__item__department_id", flat=True))
        for item in ServiceItem.objects.filter(current__isnull=False).select_related("current"):
            if f'"resource": "{code}"' in json.dumps(item.current.form_ui or {}, ensure_ascii=False):
                consumers.add(item.department_id)
        consumers.discard(resource.provider_id)
        items = [i["name"] for i in resource.items if i.get("sensitivity") != "sensitive"]
        for department in Department.objects.filter(pk__in=consumers).order_by("code"):
            requester = steward_of(department) or steward_of(resource.provider)
            if requester is None or Grant.objects.filter(resource=resource, consumer=department).exists():
                continue
            Grant.objects.create(consumer=department, resource=resource, items=items, status=Grant.Status.APPROVED,
                                 purpose="办理本部门政务服务事项时核验申请人信息（演示）", legal_basis=resource.legal_basis,
                                 valid_until=today + dt.timedelta(days=366), requested_by=requester,
                                 decide_by=workdays.add_working_days(today, 10), decided_at=timezone.now(),
                                 decided_by=steward_of(resource.provider), decision_note="演示数据")
            made += 1
    return made
