"""Writes to the catalogue: items, drafts, review, publishing (with search indexing in the same
transaction), withdrawal. Each function is one transaction, audited, emitting an outbox event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.catalog import policies, rules
from yiwang.catalog.models import Fee, ItemVersion, Material, ServiceItem, VersionStatus
from yiwang.catalog.models.items import EDITABLE_STATUSES, VERSION_TRANSITIONS
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.events import emit
from yiwang.core.identifiers import IdentifierError, parse_uscc

# Scalar elements copied between versions and editable on a draft.
ELEMENT_FIELDS = [
    f.name
    for f in ItemVersion._meta.get_fields()
    if getattr(f, "concrete", False) and not f.many_to_many and not f.is_relation
    and f.name not in {"id", "number", "status", "created_at", "submitted_at", "published_at", "review_note"}
]
MATERIAL_FIELDS = ["code", "name", "form", "originals", "copies", "necessity", "source", "issuer",
                   "certificate_type", "sharing_resource", "blank_form", "sample", "notes", "order"]
FEE_FIELDS = ["name", "standard", "basis", "reduction", "order"]


def _clean(version: ItemVersion) -> None:
    """Model-level checks (types, choices, required) as one 400 with field messages."""
    try:
        version.full_clean(exclude=["item", "created_by", "submitted_by", "published_by"], validate_unique=False)
    except ValidationError as exc:
        raise ApiError("validation_error", _("提交的内容有误，请检查标注的字段。"),
                       {k: "；".join(str(m) for m in v) for k, v in exc.message_dict.items()}) from exc


def _require_edit(actor, item: ServiceItem) -> None:
    if actor is not None and not policies.can_edit(actor, item):
        raise PermissionDenied(_("只能编辑本部门的事项。"))


def _transition(version: ItemVersion, target: str) -> None:
    if target not in VERSION_TRANSITIONS[version.status]:
        raise Conflict("invalid_transition", _("当前状态“%(status)s”不能变更为“%(target)s”。") % {
            "status": version.get_status_display(), "target": VersionStatus(target).label})
    version.status = target


def check_implementation_code(code: str) -> dict[str, str]:
    """实施编码: 31 chars live (USCC 18 + 行使层级 1 + 基本编码 12); only the USCC is validated."""
    code = (code or "").strip()
    if not code or len(code) > 40:
        return {"code": _("请填写实施编码（不超过 40 位）。")}
    if len(code) >= 18:
        try:
            parse_uscc(code[:18])
        except IdentifierError as exc:
            return {"code": _("实施编码中的实施主体统一社会信用代码无效：%(reason)s") % {"reason": exc}}
    else:
        return {"code": _("实施编码须以实施主体的 18 位统一社会信用代码开头。")}
    return {}


def create_item(actor, *, code: str, base, department, region, elements: dict[str, Any],
                materials: list[dict] | None = None, fees: list[dict] | None = None,
                joint_departments=(), themes=(), is_demo: bool = False) -> ServiceItem:
    errors = check_implementation_code(code)
    if ServiceItem.objects.filter(code=code).exists():
        errors["code"] = _("实施编码已存在。")
    if errors:
        raise ApiError("validation_error", _("提交的内容有误，请检查标注的字段。"), errors)
    with transaction.atomic():
        item = ServiceItem(code=code, base=base, department=department, region=region, is_demo=is_demo)
        _require_edit(actor, item)
        item.save()
        version = _new_version(item, 1, elements, actor)
        _replace_children(version, materials or [], fees or [], joint_departments, themes)
        audit.record("catalog.item.created", actor=actor, obj=item, summary=f"新建事项 {version.name}",
                     data={"code": code, "department": department.code})
        emit("catalog.item.created", {"item_code": code})
    return item


def _new_version(item: ServiceItem, number: int, elements: dict[str, Any], actor) -> ItemVersion:
    unknown = set(elements) - set(ELEMENT_FIELDS)
    if unknown:
        raise ApiError("validation_error", _("未知的事项要素：%(names)s") % {"names": "、".join(sorted(unknown))},
                       {name: _("未知字段") for name in unknown})
    version = ItemVersion(item=item, number=number, status=VersionStatus.DRAFT, **elements)
    version.created_by = actor if getattr(actor, "pk", None) else None
    _clean(version)
    version.save()
    return version


def _replace_children(version: ItemVersion, materials: list[dict], fees: list[dict], joint, themes) -> None:
    version.materials.all().delete()
    version.fees.all().delete()
    for n, m in enumerate(materials):
        Material.objects.create(version=version, **{"order": n, **{k: v for k, v in m.items() if k in MATERIAL_FIELDS}})
    for n, f in enumerate(fees):
        Fee.objects.create(version=version, **{"order": n, **{k: v for k, v in f.items() if k in FEE_FIELDS}})
    version.joint_departments.set(joint)
    version.themes.set(themes)


def new_draft(actor, item: ServiceItem) -> ItemVersion:
    """Editing a published item makes a new version; the published one never changes."""
    _require_edit(actor, item)
    with transaction.atomic():
        if item.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW]).exists():
            raise Conflict("draft_exists", _("该事项已有未发布的草稿或待审版本，请先处理。"))
        source = item.current or item.versions.order_by("-number").first()
        number = (item.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        elements = {f: getattr(source, f) for f in ELEMENT_FIELDS if f not in ("created_by", "submitted_by",
                                                                              "published_by")}
        elements["change_note"] = ""
        version = _new_version(item, number, elements, actor)
        _replace_children(
            version,
            [{k: getattr(m, k) for k in MATERIAL_FIELDS} for m in source.materials.all()],
            [{k: getattr(f, k) for k in FEE_FIELDS} for f in source.fees.all()],
            list(source.joint_departments.all()), list(source.themes.all()),
        )
        audit.record("catalog.version.drafted", actor=actor, obj=version, summary=f"{item.code} 新建第 {number} 版草稿")
        emit("catalog.version.drafted", {"item_code": item.code, "version": number})
    return version


def _editable(actor, version: ItemVersion) -> None:
    _require_edit(actor, version.item)
    if version.status not in EDITABLE_STATUSES:
        raise Conflict("version_locked", _("只有草稿可以修改；已发布的版本不可更改，请新建版本。"))


def update_draft(actor, version: ItemVersion, changes: dict[str, Any], *, materials: list[dict] | None = None,
                 fees: list[dict] | None = None, joint_departments=None, themes=None) -> ItemVersion:
    with transaction.atomic():
        version = ItemVersion.objects.select_for_update().get(pk=version.pk)
        _editable(actor, version)
        unknown = set(changes) - set(ELEMENT_FIELDS)
        if unknown:
            raise ApiError("validation_error", _("未知的事项要素：%(names)s") % {"names": "、".join(sorted(unknown))},
                           {name: _("未知字段") for name in unknown})
        for k, v in changes.items():
            setattr(version, k, v)
        _clean(version)
        version.save()
        if materials is not None or fees is not None or joint_departments is not None or themes is not None:
            _replace_children(
                version,
                materials if materials is not None else [{k: getattr(m, k) for k in MATERIAL_FIELDS}
                                                         for m in version.materials.all()],
                fees if fees is not None else [{k: getattr(f, k) for k in FEE_FIELDS} for f in version.fees.all()],
                joint_departments if joint_departments is not None else list(version.joint_departments.all()),
                themes if themes is not None else list(version.themes.all()),
            )
        audit.record("catalog.version.updated", actor=actor, obj=version,
                     summary=f"{version.item.code} 第 {version.number} 版修改", data={"fields": sorted(changes)})
        emit("catalog.version.updated", {"item_code": version.item.code, "version": version.number})
    return version


def update_form(actor, version: ItemVersion, schema: dict, ui: dict) -> ItemVersion:
    """Save the application form of a draft (checked as a valid JSON Schema with labels)."""
    from yiwang.catalog import formschema

    errors = formschema.check_schema(schema, ui)
    if errors:
        raise ApiError("invalid_form", _("申请表单定义有误。"), errors)
    return update_draft(actor, version, {"form_schema": schema, "form_ui": ui})


def submit(actor, version: ItemVersion) -> ItemVersion:
    with transaction.atomic():
        version = ItemVersion.objects.select_for_update().get(pk=version.pk)
        _require_edit(actor, version.item)
        errors = rules.check_version(version)
        if errors:
            raise ApiError("rule_violation", _("事项要素不符合一致性规则，请修改后再提交。"), errors)
        _transition(version, VersionStatus.IN_REVIEW)
        version.submitted_by, version.submitted_at = actor, timezone.now()
        version.save(update_fields=["status", "submitted_by", "submitted_at"])
        audit.record("catalog.version.submitted", actor=actor, obj=version,
                     summary=f"{version.item.code} 第 {version.number} 版提交审核")
        emit("catalog.version.submitted", {"item_code": version.item.code, "version": version.number})
    return version


def return_to_draft(actor, version: ItemVersion, note: str) -> ItemVersion:
    with transaction.atomic():
        version = ItemVersion.objects.select_for_update().get(pk=version.pk)
        if not policies.is_catalogue_reviewer(actor, version.item):
            raise PermissionDenied(_("只有目录审核人员可以退回。"))
        _transition(version, VersionStatus.DRAFT)
        version.review_note = (note or "")[:300]
        version.save(update_fields=["status", "review_note"])
        audit.record("catalog.version.returned", actor=actor, obj=version,
                     summary=f"{version.item.code} 第 {version.number} 版退回修改：{note[:100]}")
        emit("catalog.version.returned", {"item_code": version.item.code, "version": version.number})
    return version


def publish(actor, version: ItemVersion, *, system: bool = False) -> ItemVersion:
    """Publish a reviewed version: consistency rules, four-eyes check, previous version
    superseded, search index updated — all in one transaction. ``system`` is for the importer."""
    from yiwang.catalog import search

    with transaction.atomic():
        version = ItemVersion.objects.select_for_update().select_related("item").get(pk=version.pk)
        if not system and not policies.can_publish(actor, version):
            if actor is not None and actor.pk in policies.authors(version):
                raise PermissionDenied(_("不能发布自己编辑或提交的版本。"))
            raise PermissionDenied(_("只有平台管理员或行政审批服务局的目录审核人员可以发布。"))
        errors = rules.check_version(version)
        if errors:
            raise ApiError("rule_violation", _("事项要素不符合一致性规则，不能发布。"), errors)
        if system and version.status == VersionStatus.DRAFT:
            version.status = VersionStatus.IN_REVIEW
        item = ServiceItem.objects.select_for_update().get(pk=version.item_id)
        previous = item.current
        if previous is not None and previous.pk != version.pk:
            _transition(previous, VersionStatus.SUPERSEDED)
            previous.save(update_fields=["status"])
        _transition(version, VersionStatus.PUBLISHED)
        version.published_by = actor if getattr(actor, "pk", None) else None
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_by", "published_at"])
        item.current = version
        item.save(update_fields=["current"])
        version.item = item
        search.index_version(version)
        audit.record("catalog.version.published", actor=actor, obj=version,
                     summary=f"发布 {item.code} 第 {version.number} 版：{version.name}")
        emit("catalog.version.published", {"item_code": item.code, "version": version.number})
    return version


def withdraw(actor, item: ServiceItem, reason: str) -> ServiceItem:
    from yiwang.catalog import search

    with transaction.atomic():
        item = ServiceItem.objects.select_for_update().get(pk=item.pk)
        if not policies.is_catalogue_reviewer(actor, item):
            raise PermissionDenied(_("只有平台管理员或目录审核人员可以撤回事项。"))
        if item.current is None:
            raise Conflict("not_published", _("该事项没有已发布的版本。"))
        current = item.current
        _transition(current, VersionStatus.WITHDRAWN)
        current.save(update_fields=["status"])
        item.current = None
        item.save(update_fields=["current"])
        search.unindex_item(item)
        audit.record("catalog.item.withdrawn", actor=actor, obj=item, summary=f"撤回事项 {item.code}：{reason[:100]}")
        emit("catalog.item.withdrawn", {"item_code": item.code})
    return item


def diff(a: ItemVersion, b: ItemVersion) -> list[dict[str, Any]]:
    """What changed from version ``a`` to ``b``: elements, materials, fees, form fields."""
    changes = []
    for name in ELEMENT_FIELDS:
        if name in ("created_by", "submitted_by", "published_by", "change_note"):
            continue
        old, new = getattr(a, name), getattr(b, name)
        if hasattr(old, "name") and not isinstance(old, str):  # file fields
            old, new = str(old or ""), str(new or "")
        if old != new:
            changes.append({"field": name, "label": str(ItemVersion._meta.get_field(name).verbose_name),
                            "old": old, "new": new})
    for label, rel, keys in ((_("申请材料"), "materials", MATERIAL_FIELDS), (_("收费项目"), "fees", FEE_FIELDS)):
        def rows(v, rel=rel, keys=keys):
            return [{k: str(getattr(r, k)) if k in ("blank_form", "sample") else getattr(r, k) for k in keys}
                    for r in getattr(v, rel).all()]

        old, new = rows(a), rows(b)
        if old != new:
            changes.append({"field": rel, "label": str(label), "old": old, "new": new})
    for label, rel in ((_("联办机构"), "joint_departments"), (_("服务主题"), "themes")):
        old = sorted(x.code for x in getattr(a, rel).all())
        new = sorted(x.code for x in getattr(b, rel).all())
        if old != new:
            changes.append({"field": rel, "label": str(label), "old": old, "new": new})
    return changes
