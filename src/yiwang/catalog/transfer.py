"""Catalogue export and import (docs/catalog-format.md).

Import is all-or-nothing per file and idempotent by item code and version number: an existing
version with the same content is skipped, one with different content is an error (published
versions never change). Every problem is reported with the item code and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.catalog import codes, rules, services
from yiwang.catalog.models import (
    BaseItem,
    Bundle,
    BundleItem,
    ItemVersion,
    LifeEvent,
    ServiceItem,
    Theme,
    VersionStatus,
)
from yiwang.core import audit
from yiwang.core.api import ApiError
from yiwang.org.models import Department, Region

FORMAT = "yiwang-catalog/1"
SKIP_ELEMENTS = {"created_by", "submitted_by", "published_by", "result_sample",
                 "legal_limit_value", "legal_limit_unit", "promised_limit_value", "promised_limit_unit",
                 "form_schema", "form_ui"}
MATERIAL_KEYS = [k for k in services.MATERIAL_FIELDS if k not in ("blank_form", "sample", "order")]
FEE_KEYS = [k for k in services.FEE_FIELDS if k != "order"]


@dataclass
class ImportReport:
    created_items: int = 0
    created_versions: int = 0
    skipped_versions: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)

    def error(self, item: str, field_name: str, message: str) -> None:
        self.errors.append({"item": item, "field": field_name, "message": str(message)})

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFailed(Exception):
    def __init__(self, report: ImportReport):
        super().__init__(_("导入失败，未导入任何内容。"))
        self.report = report


# --- export -------------------------------------------------------------------------------------------


def version_to_dict(v: ItemVersion) -> dict[str, Any]:
    data: dict[str, Any] = {"number": v.number, "status": v.status}
    for name in services.ELEMENT_FIELDS:
        if name not in SKIP_ELEMENTS:
            data[name] = getattr(v, name)
    data["legal_limit"] = ({"value": v.legal_limit_value, "unit": v.legal_limit_unit}
                           if v.legal_limit_value is not None else None)
    data["promised_limit"] = {"value": v.promised_limit_value, "unit": v.promised_limit_unit}
    data["joint_departments"] = sorted(d.code for d in v.joint_departments.all())
    data["themes"] = sorted(t.code for t in v.themes.all())
    data["materials"] = [{k: getattr(m, k) for k in MATERIAL_KEYS} for m in v.materials.all()]
    data["fees"] = [{k: getattr(f, k) for k in FEE_KEYS} for f in v.fees.all()]
    data["form"] = {"schema": v.form_schema, "ui": v.form_ui}
    return data


def export_catalog() -> dict[str, Any]:
    items = []
    for item in ServiceItem.objects.select_related("base", "department", "region").order_by("code"):
        items.append({
            "code": item.code, "base": item.base.basic_code, "department": item.department.code,
            "region": item.region_id, "popularity": item.popularity,
            "versions": [version_to_dict(v) for v in item.versions.order_by("number")],
        })
    data: dict[str, Any] = {
        "format": FORMAT,
        "themes": [{"code": t.code, "name": t.name, "audience": t.audience, "order": t.order}
                   for t in Theme.objects.all()],
        "base_items": [{"basic_code": b.basic_code, "name": b.name, "item_type": b.item_type,
                        "legal_basis": b.legal_basis,
                        "legal_limit": ({"value": b.legal_limit_value, "unit": b.legal_limit_unit}
                                        if b.legal_limit_value is not None else None)}
                       for b in BaseItem.objects.all()],
        "items": items,
        "life_events": [{"code": e.code, "name": e.name, "audience": e.audience, "order": e.order,
                         "description": e.description, "items": sorted(i.code for i in e.items.all())}
                        for e in LifeEvent.objects.all()],
        "bundles": [{"code": b.code, "name": b.name, "audience": b.audience, "description": b.description,
                     "lead_department": b.lead_department.code if b.lead_department else None,
                     "items": [m.item.code for m in b.members.select_related("item")]}
                    for b in Bundle.objects.all()],
    }
    from yiwang.catalog import search

    data["synonyms"] = search.export_synonyms()
    return data


def export_yaml() -> str:
    return yaml.safe_dump(export_catalog(), allow_unicode=True, sort_keys=False, width=120)


# --- import -------------------------------------------------------------------------------------------


def _limit(d: Any, prefix: str) -> dict[str, Any]:
    if d is None:
        return {f"{prefix}_value": None} if prefix == "legal_limit" else {}
    return {f"{prefix}_value": d.get("value"), f"{prefix}_unit": d.get("unit", codes.LimitUnit.WORKDAY)}


def _elements(vd: dict[str, Any]) -> dict[str, Any]:
    elements = {k: vd[k] for k in services.ELEMENT_FIELDS if k in vd and k not in SKIP_ELEMENTS}
    elements.update(_limit(vd.get("legal_limit"), "legal_limit"))
    elements.update(_limit(vd.get("promised_limit"), "promised_limit"))
    form = vd.get("form") or {}
    elements["form_schema"] = form.get("schema") or {}
    elements["form_ui"] = form.get("ui") or {}
    return elements


def _departments(codes_: list[str], report: ImportReport, item_code: str, field_name: str) -> list[Department]:
    found = {d.code: d for d in Department.objects.filter(code__in=codes_ or [])}
    for c in codes_ or []:
        if c not in found:
            report.error(item_code, field_name, _("部门代码不存在：%(code)s") % {"code": c})
    return list(found.values())


def _themes(codes_: list[str], report: ImportReport, item_code: str) -> list[Theme]:
    found = {t.code: t for t in Theme.objects.filter(code__in=codes_ or [])}
    for c in codes_ or []:
        if c not in found:
            report.error(item_code, "themes", _("主题代码不存在：%(code)s") % {"code": c})
    return list(found.values())


def _check_form(vd: dict[str, Any], report: ImportReport, item_code: str) -> None:
    from yiwang.catalog import formschema

    form = vd.get("form") or {}
    for path, message in formschema.check_schema(form.get("schema") or {}, form.get("ui") or {}).items():
        report.error(item_code, f"form.{path}", message)


def _import_version(item: ServiceItem, vd: dict[str, Any], report: ImportReport, is_demo: bool) -> None:
    code = item.code
    number = vd.get("number")
    status = vd.get("status", VersionStatus.PUBLISHED)
    if not isinstance(number, int) or number < 1:
        report.error(code, "versions.number", _("版本号须为正整数。"))
        return
    if status not in VersionStatus.values:
        report.error(code, f"versions.{number}.status", _("版本状态无效。"))
        return
    existing = item.versions.filter(number=number).first()
    joint = _departments(vd.get("joint_departments") or [], report, code, "joint_departments")
    themes = _themes(vd.get("themes") or [], report, code)
    _check_form(vd, report, code)
    try:
        sid = transaction.savepoint()
        candidate = services._new_version(item, number if existing is None else 10**6 + number, _elements(vd), None)
        services._replace_children(candidate, vd.get("materials") or [], vd.get("fees") or [], joint, themes)
    except ApiError as exc:
        transaction.savepoint_rollback(sid)
        for f, m in exc.fields.items():
            report.error(code, f, m)
        return
    except (ValidationError, TypeError, ValueError) as exc:
        transaction.savepoint_rollback(sid)
        messages = getattr(exc, "message_dict", {"__all__": [str(exc)]})
        for f, ms in messages.items():
            report.error(code, f, "；".join(str(m) for m in ms))
        return
    if existing is not None:
        same = {**version_to_dict(candidate), "number": number, "status": existing.status} == version_to_dict(existing)
        transaction.savepoint_rollback(sid)
        if same:
            report.skipped_versions += 1
        else:
            report.error(code, f"versions.{number}", _("版本 %(n)s 已存在且内容不同；已发布的版本不可更改，请使用新的版本号。")
                         % {"n": number})
        return
    transaction.savepoint_commit(sid)
    if status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.WITHDRAWN):
        for f, m in rules.check_version(candidate).items():
            report.error(code, f, m)
        if report.errors:
            return
        services.publish(None, candidate, system=True)
        if status != VersionStatus.PUBLISHED:
            candidate.refresh_from_db()
            candidate.status = status
            candidate.save(update_fields=["status"])
            if item.current_id == candidate.pk:
                ServiceItem.objects.filter(pk=item.pk).update(current=None)
    elif status == VersionStatus.IN_REVIEW:
        candidate.status = status
        candidate.save(update_fields=["status"])
    report.created_versions += 1


def import_catalog(data: Any, *, actor=None, is_demo: bool = False, sha256: str = "") -> ImportReport:
    """Import a parsed catalogue document; raises ImportFailed (nothing saved) on any error."""
    report = ImportReport()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        report.error("-", "format", _("文件格式标识应为 %(f)s。") % {"f": FORMAT})
        raise ImportFailed(report)
    with transaction.atomic():
        sid = transaction.savepoint()
        _import_all(data, report, is_demo)
        if report.errors:
            transaction.savepoint_rollback(sid)
            raise ImportFailed(report)
        audit.record("catalog.imported", actor=actor, summary=f"导入事项目录：新建事项 {report.created_items} 个，"
                     f"新建版本 {report.created_versions} 个，跳过 {report.skipped_versions} 个",
                     data={"created_items": report.created_items, "created_versions": report.created_versions,
                           "skipped_versions": report.skipped_versions, "sha256": sha256})
    return report


def _import_all(data: dict[str, Any], report: ImportReport, is_demo: bool) -> None:
    from yiwang.catalog import search

    for t in data.get("themes") or []:
        Theme.objects.update_or_create(code=t["code"], defaults={
            "name": t["name"], "audience": t.get("audience", "personal"), "order": t.get("order", 0)})
    for b in data.get("base_items") or []:
        code = str(b.get("basic_code", ""))
        if b.get("item_type") not in codes.ItemType.values:
            report.error(code, "item_type", _("事项类型代码无效。"))
            continue
        BaseItem.objects.update_or_create(basic_code=code, defaults={
            "name": b.get("name", ""), "item_type": b["item_type"], "legal_basis": b.get("legal_basis", ""),
            **_limit(b.get("legal_limit"), "legal_limit"), "is_demo": is_demo})
    for idata in data.get("items") or []:
        code = str(idata.get("code", ""))
        for f, m in services.check_implementation_code(code).items():
            report.error(code or "-", f, m)
        dept = Department.objects.filter(code=idata.get("department")).first()
        region = Region.objects.filter(code=str(idata.get("region", ""))).first()
        base = BaseItem.objects.filter(basic_code=str(idata.get("base", ""))).first()
        if dept is None:
            report.error(code, "department", _("部门代码不存在：%(code)s") % {"code": idata.get("department")})
        if region is None:
            report.error(code, "region", _("区划代码不存在：%(code)s") % {"code": idata.get("region")})
        if base is None:
            report.error(code, "base", _("基本目录事项不存在：%(code)s") % {"code": idata.get("base")})
        if dept and dept.uscc and len(code) >= 18 and code[:18] != dept.uscc:
            report.error(code, "code", _("实施编码前 18 位应为实施主体的统一社会信用代码 %(uscc)s。") % {"uscc": dept.uscc})
        if not (dept and region and base) or any(e["item"] == code for e in report.errors):
            continue
        item = ServiceItem.objects.filter(code=code).first()
        if item is None:
            item = ServiceItem.objects.create(code=code, base=base, department=dept, region=region,
                                              popularity=idata.get("popularity", 0) or 0, is_demo=is_demo)
            report.created_items += 1
        for vd in sorted(idata.get("versions") or [], key=lambda x: x.get("number") or 0):
            _import_version(item, vd, report, is_demo)
    for e in data.get("life_events") or []:
        event, _created = LifeEvent.objects.update_or_create(code=e["code"], defaults={
            "name": e["name"], "audience": e.get("audience", "personal"), "description": e.get("description", ""),
            "order": e.get("order", 0)})
        event.items.set(_items(e.get("items") or [], report, f"life_event:{e['code']}"))
    for b in data.get("bundles") or []:
        lead = Department.objects.filter(code=b.get("lead_department")).first() if b.get("lead_department") else None
        bundle, _created = Bundle.objects.update_or_create(code=b["code"], defaults={
            "name": b["name"], "audience": b.get("audience", "personal"), "description": b.get("description", ""),
            "lead_department": lead, "is_demo": is_demo})
        members = _items(b.get("items") or [], report, f"bundle:{b['code']}")
        bundle.members.all().delete()
        for n, item in enumerate(members):
            BundleItem.objects.create(bundle=bundle, item=item, order=n)
    try:
        search.import_synonyms(data.get("synonyms") or [])
    except ValueError as exc:
        report.error("-", "synonyms", str(exc))


def _items(item_codes: list[str], report: ImportReport, owner: str) -> list[ServiceItem]:
    found = {i.code: i for i in ServiceItem.objects.filter(code__in=item_codes)}
    for c in item_codes:
        if c not in found:
            report.error(owner, "items", _("事项编码不存在：%(code)s") % {"code": c})
    return [found[c] for c in item_codes if c in found]


def import_yaml(text: str, *, actor=None, is_demo: bool = False) -> ImportReport:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        report = ImportReport()
        report.error("-", "yaml", _("YAML 解析失败：%(e)s") % {"e": exc})
        raise ImportFailed(report) from exc
    return import_catalog(data, actor=actor, is_demo=is_demo)
