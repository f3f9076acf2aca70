"""State changes for regions and departments (platform admins).

Every function validates first and raises :class:`django.core.exceptions.ValidationError` whose
``message_dict`` maps field names to Chinese messages; then, in one transaction, it writes the
change, an audit record and an outbox event (``org.region.*`` / ``org.department.*``).

Region codes (GB/T 2260 and the statistical codes below a county): provinces, cities and counties
are stored with their 6-digit code, townships and villages with the 12-digit statistical code.
Everything under a region shares the prefix ``Region.descendant_codes_prefix()`` (2/4/6/9/12
digits), which :func:`within_region_q` turns into a query filter for permission scoping.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from yiwang.core import audit
from yiwang.core.events import emit
from yiwang.core.identifiers import IdentifierError, parse_region_code, parse_uscc
from yiwang.org.models import Department, Region

DEPARTMENT_CODE_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
DEPARTMENT_FIELDS = (
    "name",
    "short_name",
    "uscc",
    "region",
    "parent",
    "kind",
    "phone",
    "address",
    "is_demo",
    "active",
)


# --- Subtree helpers (permission scoping) -------------------------------------------------------


def region_prefix(region: Region | str) -> str:
    """The code prefix shared by ``region`` and everything under it."""
    if isinstance(region, str):
        region = Region.objects.get(pk=region)
    return region.descendant_codes_prefix()


def within_region_q(region: Region | str, path: str = "region") -> Q:
    """A ``Q`` selecting rows whose region (reached by ``path``) is ``region`` or lies under it.

    ``Department.objects.filter(within_region_q(county))`` → the county's departments, its
    townships' service centres, …; another app passes its own path, e.g.
    ``within_region_q(county, "department__region")``. Use ``path=""`` on ``Region`` itself.
    """
    lookup = f"{path}__code__startswith" if path else "code__startswith"
    return Q(**{lookup: region_prefix(region)})


def region_subtree(region: Region | str) -> QuerySet[Region]:
    """``region`` and every region under it (retired ones included; filter them if needed)."""
    return Region.objects.filter(within_region_q(region, path=""))


def region_subtree_codes(region: Region | str) -> list[str]:
    """The codes of ``region`` and every region under it."""
    return list(region_subtree(region).values_list("code", flat=True))


def departments_within(region: Region | str) -> QuerySet[Department]:
    return Department.objects.filter(within_region_q(region))


# --- Validation ---------------------------------------------------------------------------------


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _region_code_error(code: str, level: int, parent: Region | None) -> str | None:
    """Why ``code`` cannot be a region at ``level`` under ``parent`` (None when it can)."""
    if level <= Region.Level.COUNTY and len(code) != 6:
        return "省、市、县级区划代码应为6位数字。"
    if level >= Region.Level.TOWNSHIP and len(code) != 12:
        return "乡镇（街道）、村（社区）级区划代码应为12位统计用区划代码。"
    try:
        info = parse_region_code(code)
    except IdentifierError as exc:
        return exc.message
    if info.code != code:
        return "行政区划代码只能由半角数字组成。"
    if info.level != level:
        return f"区划代码 {code} 是{_level_label(info.level)}代码，与所选层级（{_level_label(level)}）不符。"
    if parent is not None:
        prefix = parent.descendant_codes_prefix()
        if not code.startswith(prefix):
            return f"区划代码应以上级区划“{parent.name}”的代码前缀 {prefix} 开头。"
    return None


def _level_label(level: int) -> str:
    return str(Region.Level(level).label)


def _resolve_region(
    value: Region | str | None, errors: dict[str, str], field: str = "region"
) -> Region | None:
    if value is None or value == "":
        return None
    if isinstance(value, Region):
        return value
    region = Region.objects.filter(pk=str(value)).first()
    if region is None:
        errors[field] = f"区划 {value} 不存在。"
    return region


def _resolve_department(value: Department | str | None, errors: dict[str, str]) -> Department | None:
    if value is None or value == "":
        return None
    if isinstance(value, Department):
        return value
    dept = Department.objects.filter(code=str(value)).first()
    if dept is None:
        errors["parent"] = f"上级部门 {value} 不存在。"
    return dept


def check_region(
    *, code: str, name: str, parent: Region | str | None, level: int | None = None
) -> dict[str, str]:
    """Field errors for a new region (empty when it may be created)."""
    errors: dict[str, str] = {}
    code = (code or "").strip()
    parent_obj = _resolve_region(parent, errors, "parent")
    if "parent" in errors and level is None:
        return errors
    if level is None:
        level = parent_obj.level + 1 if parent_obj else Region.Level.PROVINCE
    if level not in Region.Level.values:
        errors["level"] = "层级应为1（省）至5（村/社区）。"
        return errors
    if not (name or "").strip():
        errors["name"] = "请填写区划名称。"
    if parent_obj is not None:
        if parent_obj.retired_on is not None:
            errors["parent"] = f"上级区划“{parent_obj.name}”已撤销，不能在其下新增区划。"
        elif parent_obj.level != level - 1:
            errors["parent"] = f"{_level_label(level)}的上级应为{_level_label(level - 1)}。"
    elif level != Region.Level.PROVINCE and "parent" not in errors:
        errors["parent"] = f"{_level_label(level)}必须指定上级区划。"
    if not code:
        errors["code"] = "请填写区划代码。"
    elif Region.objects.filter(pk=code).exists():
        errors["code"] = f"区划代码 {code} 已存在（撤销的代码保留历史，不能重复使用）。"
    else:
        problem = _region_code_error(code, level, parent_obj if "parent" not in errors else None)
        if problem:
            errors["code"] = problem
    return errors


def check_department(values: dict[str, Any], instance: Department | None = None) -> dict[str, str]:
    """Field errors for creating (``instance`` None) or changing a department.

    ``values`` holds model field names; ``region``/``parent`` may be objects or codes.
    """
    errors: dict[str, str] = {}
    if instance is None:
        code = (values.get("code") or "").strip()
        if not code:
            errors["code"] = "请填写部门代码。"
        elif len(code) > 40 or not DEPARTMENT_CODE_RE.match(code):
            errors["code"] = (
                "部门代码应为小写英文字母、数字和连字符（以字母开头，最长40位），如 market、centre-gulou。"
            )
        elif Department.objects.filter(code=code).exists():
            errors["code"] = f"部门代码 {code} 已被使用。"
    elif "code" in values and values["code"] != instance.code:
        errors["code"] = "部门代码创建后不可修改（各接口以它为稳定标识）。"

    if instance is None or "name" in values:
        name = (values.get("name") or "").strip()
        if not name:
            errors["name"] = "请填写部门名称。"
        elif len(name) > 100:
            errors["name"] = "部门名称最长100字。"
    if len(values.get("short_name") or "") > 40:
        errors["short_name"] = "简称最长40字。"

    if instance is None or "region" in values:
        region = _resolve_region(values.get("region"), errors)
        if region is None and "region" not in errors:
            errors["region"] = "请选择部门所在区划。"
        elif region is not None and region.retired_on is not None:
            errors["region"] = f"区划“{region.name}”已撤销，不能作为部门所在区划。"

    if "kind" in values or instance is None:
        kind = values.get("kind") or Department.Kind.DEPARTMENT
        if kind not in Department.Kind.values:
            errors["kind"] = f"部门类别 {kind} 无效。"

    uscc = (values.get("uscc") or "").strip()
    if uscc:
        try:
            parse_uscc(uscc)
        except IdentifierError as exc:
            errors["uscc"] = exc.message
        else:
            clash = Department.objects.filter(uscc=uscc)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["uscc"] = f"统一社会信用代码已被部门“{clash.first().name}”使用。"

    if "parent" in values:
        parent = _resolve_department(values.get("parent"), errors)
        if parent is not None and instance is not None:
            node, seen = parent, set()
            while node is not None and node.pk not in seen:
                if node.pk == instance.pk:
                    errors["parent"] = "上级部门不能是本部门或其下级部门。"
                    break
                seen.add(node.pk)
                node = node.parent
    for field, limit in (("phone", 40), ("address", 200)):
        if len(values.get(field) or "") > limit:
            errors[field] = f"最长{limit}字。"
    return errors


# --- Regions ------------------------------------------------------------------------------------


def create_region(
    *,
    code: str,
    name: str,
    parent: Region | str | None = None,
    level: int | None = None,
    is_demo: bool = False,
    actor=None,
) -> Region:
    """Add a region; ``level`` defaults to one below ``parent`` (a province without a parent)."""
    code, name = (code or "").strip(), (name or "").strip()
    _raise(check_region(code=code, name=name, parent=parent, level=level))
    parent_obj = _resolve_region(parent, {}, "parent")
    level = level or (parent_obj.level + 1 if parent_obj else Region.Level.PROVINCE)
    with transaction.atomic():
        region = Region.objects.create(code=code, name=name, level=level, parent=parent_obj, is_demo=is_demo)
        data = {"code": code, "name": name, "level": level, "parent": parent_obj.code if parent_obj else None}
        audit.record(
            "org.region.created", actor=actor, obj=region, summary=f"新增区划 {code} {name}", data=data
        )
        emit("org.region.created", data)
    return region


def update_region(code: str, *, name: str | None = None, is_demo: bool | None = None, actor=None) -> Region:
    """Rename a region or change its demo flag (codes never change: a new code is a new region)."""
    with transaction.atomic():
        region = Region.objects.select_for_update().filter(pk=code).first()
        if region is None:
            _raise({"code": f"区划 {code} 不存在。"})
        changes: dict[str, list[Any]] = {}
        if name is not None:
            name = name.strip()
            if not name:
                _raise({"name": "请填写区划名称。"})
            if name != region.name:
                changes["name"] = [region.name, name]
                region.name = name
        if is_demo is not None and is_demo != region.is_demo:
            changes["is_demo"] = [region.is_demo, is_demo]
            region.is_demo = is_demo
        if changes:
            region.save(update_fields=list(changes))
            data = {"code": region.code, "changes": changes}
            audit.record(
                "org.region.updated", actor=actor, obj=region, summary=f"修改区划 {region.code}", data=data
            )
            emit("org.region.updated", data)
    return region


def retire_region(code: str, on_date: dt.date, *, actor=None) -> Region:
    """Retire (撤销) a region from ``on_date``; the code stays for history and is never reused.

    Regions below it must be retired first and its active departments moved or deactivated.
    """
    with transaction.atomic():
        region = Region.objects.select_for_update().filter(pk=code).first()
        if region is None:
            _raise({"code": f"区划 {code} 不存在。"})
        errors: dict[str, str] = {}
        if region.retired_on is not None:
            errors["code"] = f"区划“{region.name}”已于 {region.retired_on:%Y-%m-%d} 撤销。"
        elif not isinstance(on_date, dt.date):
            errors["retired_on"] = "请填写撤销日期。"
        elif region.children.filter(retired_on__isnull=True).exists():
            errors["code"] = f"区划“{region.name}”下仍有未撤销的下级区划，请先撤销或调整下级区划。"
        elif region.departments.filter(active=True).exists():
            errors["code"] = f"区划“{region.name}”下仍有启用的部门，请先调整部门所在区划或停用部门。"
        _raise(errors)
        region.retired_on = on_date
        region.save(update_fields=["retired_on"])
        data = {"code": region.code, "name": region.name, "retired_on": on_date.isoformat()}
        audit.record(
            "org.region.retired", actor=actor, obj=region, summary=f"撤销区划 {region.code}", data=data
        )
        emit("org.region.retired", data)
    return region


# --- Departments --------------------------------------------------------------------------------


def _department_data(dept: Department) -> dict[str, Any]:
    return {
        "code": dept.code,
        "name": dept.name,
        "short_name": dept.short_name,
        "kind": dept.kind,
        "uscc": dept.uscc,
        "region": dept.region_id,
        "parent": dept.parent.code if dept.parent_id else None,
        "active": dept.active,
    }


def create_department(
    *,
    code: str,
    name: str,
    region: Region | str,
    kind: str = Department.Kind.DEPARTMENT,
    short_name: str = "",
    uscc: str = "",
    parent: Department | str | None = None,
    phone: str = "",
    address: str = "",
    is_demo: bool = False,
    active: bool = True,
    actor=None,
) -> Department:
    """Add a department; ``code`` is its stable English identifier in every API."""
    values = {
        "code": (code or "").strip(),
        "name": (name or "").strip(),
        "region": region,
        "kind": kind,
        "short_name": (short_name or "").strip(),
        "uscc": (uscc or "").strip().upper(),
        "parent": parent,
        "phone": (phone or "").strip(),
        "address": (address or "").strip(),
    }
    _raise(check_department(values))
    errors: dict[str, str] = {}
    with transaction.atomic():
        dept = Department.objects.create(
            code=values["code"],
            name=values["name"],
            short_name=values["short_name"],
            uscc=values["uscc"],
            region=_resolve_region(region, errors),
            parent=_resolve_department(parent, errors),
            kind=kind,
            phone=values["phone"],
            address=values["address"],
            is_demo=is_demo,
            active=active,
        )
        data = _department_data(dept)
        audit.record(
            "org.department.created",
            actor=actor,
            obj=dept,
            summary=f"新增部门 {dept.code} {dept.name}",
            data=data,
        )
        emit("org.department.created", data)
    return dept


def update_department(department: Department | str, *, actor=None, **changes: Any) -> Department:
    """Change some of a department's fields (not ``code``); audited with old and new values.

    Accepted fields: name, short_name, uscc, region, parent (objects or codes), kind, phone,
    address, is_demo, active. A call that changes nothing writes nothing.
    """
    unknown = sorted(set(changes) - set(DEPARTMENT_FIELDS) - {"code"})
    if unknown:
        raise TypeError(f"update_department() got unexpected fields: {', '.join(unknown)}")
    for field in ("name", "short_name", "phone", "address"):
        if field in changes:
            changes[field] = (changes[field] or "").strip()
    if "uscc" in changes:
        changes["uscc"] = (changes["uscc"] or "").strip().upper()
    with transaction.atomic():
        code = department.code if isinstance(department, Department) else department
        dept = Department.objects.select_for_update().filter(code=code).first()
        if dept is None:
            _raise({"code": f"部门 {code} 不存在。"})
        _raise(check_department(changes, instance=dept))
        errors: dict[str, str] = {}
        if "region" in changes:
            changes["region"] = _resolve_region(changes["region"], errors)
        if "parent" in changes:
            changes["parent"] = _resolve_department(changes["parent"], errors)
        changes.pop("code", None)
        diff: dict[str, list[Any]] = {}
        for field, new in changes.items():
            old = getattr(dept, field)
            if old != new:
                diff[field] = [_plain(old), _plain(new)]
                setattr(dept, field, new)
        if diff:
            dept.save(update_fields=list(diff))
            data = {"code": dept.code, "changes": diff}
            audit.record(
                "org.department.updated",
                actor=actor,
                obj=dept,
                summary=f"修改部门 {dept.code} {dept.name}",
                data=data,
            )
            emit("org.department.updated", data)
    return dept


def _plain(value: Any) -> Any:
    if isinstance(value, Region):
        return value.code
    if isinstance(value, Department):
        return value.code
    return value
