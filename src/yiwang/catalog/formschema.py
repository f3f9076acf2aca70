"""Application forms (申请表单): a plain JSON Schema (draft 2020-12) plus separate UI hints.

The authoritative field-kind ↔ schema mapping is in ``docs/catalog-format.md``. In short: the schema
is ``{"type": "object", "properties": {...}, "required": [...], "allOf": [if/then conditions]}`` and
the hints are ``{"order": [names], "fields": {name: {"label", "help", "widget", "options",
"placeholder", "prefill", "source"}}}``. A repeating group's children are described the same way one level
down: the group's hint carries its own ``"order"`` and ``"fields"`` for the properties of its
``items`` object (conditions of children live in ``items.allOf``).

A conditional field ("shown only when X equals v") is a property named in the ``then`` of an
``allOf`` entry whose ``if`` is ``{"properties": {"X": {"const": v}}, "required": ["X"]}``: in
``then.required`` when it is required (when shown), or in ``then.properties`` (as ``{}``) when it
is optional. A hint ``"show": "always"`` overrides the condition for display (merged forms).

Public functions:

- :func:`check_schema` — is a form definition usable (valid schema, labels, options, conditions)?
- :func:`validate` — Chinese messages for submitted data, keyed by field path (``members.0.name``).
- :func:`fields` — :class:`FieldSpec` list in display order, for renderers.
- :func:`coerce` — flat HTML form posts (``members-0-name``, ``address-region_code``) → typed JSON.
- :func:`merge` / :func:`split` — the merged 一件事 form of several items, and back.

An empty schema ``{}`` with empty hints means "no application form" and is valid.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from yiwang.core.identifiers import IdentifierError, parse_id_number, parse_region_code, parse_uscc

log = logging.getLogger(__name__)

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

KINDS = (
    "text", "textarea", "number", "date", "select", "radio", "checkbox", "checkboxes",
    "id_number", "uscc", "phone", "email", "region_code", "address", "group",
)
KIND_LABELS = {
    "text": gettext_lazy("单行文本"),
    "textarea": gettext_lazy("多行文本"),
    "number": gettext_lazy("数字"),
    "date": gettext_lazy("日期"),
    "select": gettext_lazy("下拉选择"),
    "radio": gettext_lazy("单选"),
    "checkbox": gettext_lazy("勾选框（是/否）"),
    "checkboxes": gettext_lazy("多选"),
    "id_number": gettext_lazy("身份证号"),
    "uscc": gettext_lazy("统一社会信用代码"),
    "phone": gettext_lazy("电话号码"),
    "email": gettext_lazy("电子邮箱"),
    "region_code": gettext_lazy("行政区划"),
    "address": gettext_lazy("地址（区划+详细地址）"),
    "group": gettext_lazy("重复分组"),
}
# Kinds whose values come from a fixed list (``enum``) with labels in ``ui.fields.<name>.options``.
OPTION_KINDS = ("select", "radio", "checkboxes")
# Widgets accepted in ``ui.fields.<name>.widget`` (the kinds; ``text``/``textarea`` share a schema).
WIDGETS = frozenset(KINDS)
# Our string formats (plus the standard ``date``).
FORMATS = ("id_number", "uscc", "phone", "region_code", "email", "date")
STRING_FORMAT_KINDS = ("id_number", "uscc", "phone", "email", "date", "region_code")

# Property names: letters, digits and underscores, so flat HTML names (``group-0-child``) and paths
# (``group.0.child``) stay unambiguous (merged forms prefix item codes, which start with a digit).
# The editor is stricter (a lower-case letter first, ≤ 40 characters).
PROPERTY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]*$")

# Labels of the two fixed parts of an address.
ADDRESS_PARTS = {"region_code": gettext_lazy("所在地区"), "detail": gettext_lazy("详细地址")}

_ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default", "deprecated",
                          "readOnly", "writeOnly"})

# ---------------------------------------------------------------------------------------------
# Format checkers
# ---------------------------------------------------------------------------------------------


class FormatFailure(ValueError):
    """A value does not have its declared format; ``message`` is the Chinese reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


FORMAT_CHECKER = FormatChecker(formats=())

_PHONE = re.compile(r"^(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CHECK_RAISES = (IdentifierError, FormatFailure)


@FORMAT_CHECKER.checks("id_number", raises=_CHECK_RAISES)
def check_id_number(value: object) -> bool:
    """18-digit 居民身份证号 (GB 11643) in canonical form: upper-case X, no spaces."""
    if not isinstance(value, str):
        return True
    info = parse_id_number(value)
    if info.number18 != value:
        raise FormatFailure(_("请填写18位身份证号（末位X大写，不含空格）。"))
    return True


@FORMAT_CHECKER.checks("uscc", raises=_CHECK_RAISES)
def check_uscc(value: object) -> bool:
    """统一社会信用代码 (GB 32100) in canonical form: 18 upper-case characters."""
    if not isinstance(value, str):
        return True
    if parse_uscc(value).code != value:
        raise FormatFailure(_("请填写18位统一社会信用代码（字母大写，不含空格）。"))
    return True


@FORMAT_CHECKER.checks("phone", raises=_CHECK_RAISES)
def check_phone(value: object) -> bool:
    """Mainland mobile (1[3-9] + 9 digits) or landline with area code (0xx(x)-xxxxxxx(x))."""
    if not isinstance(value, str):
        return True
    if not _PHONE.match(value):
        raise FormatFailure(_("电话号码格式不正确：手机号为11位数字，座机号须带区号，如 0537-3461002。"))
    return True


@FORMAT_CHECKER.checks("region_code", raises=_CHECK_RAISES)
def check_region_code(value: object) -> bool:
    """6-digit 行政区划代码 (GB/T 2260) or 12-digit statistical code."""
    if not isinstance(value, str):
        return True
    if parse_region_code(value).code != value:
        raise FormatFailure(_("行政区划代码应为6位或12位数字。"))
    return True


@FORMAT_CHECKER.checks("email", raises=_CHECK_RAISES)
def check_email(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if len(value) > 254 or not _EMAIL.match(value):
        raise FormatFailure(_("电子邮箱格式不正确，如 name@example.com。"))
    return True


@FORMAT_CHECKER.checks("date", raises=_CHECK_RAISES)
def check_date(value: object) -> bool:
    """``YYYY-MM-DD`` and a real calendar date."""
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        raise FormatFailure(_("日期格式应为 YYYY-MM-DD，如 2024-05-01。"))
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise FormatFailure(_("日期 %(value)s 不存在。") % {"value": value}) from None
    return True


def _format_default_message(fmt: str) -> str:
    return {
        "id_number": _("身份证号格式不正确。"),
        "uscc": _("统一社会信用代码格式不正确。"),
        "phone": _("电话号码格式不正确。"),
        "region_code": _("行政区划代码格式不正确。"),
        "email": _("电子邮箱格式不正确。"),
        "date": _("日期格式不正确。"),
    }.get(fmt, _("格式不正确。"))


# ---------------------------------------------------------------------------------------------
# Field specs (for renderers) and schema inspection helpers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: Any
    label: str


@dataclass(frozen=True)
class Condition:
    """Show the field only when its sibling ``field`` (same object) equals ``equals``."""

    field: str
    equals: Any


@dataclass
class FieldSpec:
    name: str  # property name inside its object
    path: str  # dotted path from the form root, e.g. "members.name" for a group child
    kind: str
    label: str
    help: str = ""
    required: bool = False
    options: list[Option] = field(default_factory=list)
    condition: Condition | None = None
    children: list[FieldSpec] = field(default_factory=list)
    placeholder: str = ""
    prefill: str = ""
    # Answered by shared data (数据共享): {"resource": "GA-HJRK", "item": "household_address"}
    source: dict[str, str] | None = None
    max_length: int | None = None
    min_length: int | None = None
    minimum: float | int | None = None
    maximum: float | int | None = None
    integer: bool = False
    min_items: int | None = None
    max_items: int | None = None
    schema: dict = field(default_factory=dict)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def html_name(self) -> str:
        """Name of the input in a flat HTML form (group children: see :meth:`input_name`)."""
        return self.path.replace(".", "-")

    def input_name(self, *indexes: int) -> str:
        """Flat HTML name with row indexes for group children: ``members-0-name``."""
        parts = self.path.split(".")
        out: list[str] = []
        idx = iter(indexes)
        for n, part in enumerate(parts):
            out.append(part)
            if n < len(parts) - 1:
                row = next(idx, None)
                if row is not None:
                    out.append(str(row))
        return "-".join(out)

    def option_label(self, value: Any) -> str:
        for opt in self.options:
            if _same_value(opt.value, value):
                return opt.label
        return "" if value is None else str(value)


def _as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _main_type(prop: dict) -> str | None:
    t = prop.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    return t if isinstance(t, str) else None


def _hints_of(ui_node: dict, name: str) -> dict:
    return _as_dict(_as_dict(_as_dict(ui_node).get("fields")).get(name))


def kind_of(prop: Any, hints: Any = None) -> str:
    """The field kind of one property (see the table in docs/catalog-format.md)."""
    prop = _as_dict(prop)
    widget = _as_dict(hints).get("widget")
    t = _main_type(prop)
    if t == "array" or (t is None and "items" in prop):
        items = _as_dict(prop.get("items"))
        if _main_type(items) == "object" or "properties" in items:
            return "group"
        return "checkboxes"
    if t == "object" or (t is None and "properties" in prop):
        return "address"
    if t == "boolean":
        return "checkbox"
    if t in ("number", "integer"):
        return "number"
    if "enum" in prop:
        return "radio" if widget == "radio" else "select"
    fmt = prop.get("format")
    if fmt in STRING_FORMAT_KINDS:
        return fmt
    if widget == "textarea":
        return "textarea"
    return "text"


def _enum_of(prop: dict) -> list | None:
    if "enum" in prop and isinstance(prop["enum"], list):
        return prop["enum"]
    items = _as_dict(prop.get("items"))
    if _main_type(prop) == "array" and isinstance(items.get("enum"), list):
        return items["enum"]
    return None


def _options_of(prop: dict, hints: dict) -> list[Option]:
    enum = _enum_of(prop)
    if enum is None:
        return []
    labels: list[tuple[Any, str]] = []
    for opt in _as_list(hints.get("options")):
        if isinstance(opt, dict) and "value" in opt:
            labels.append((opt["value"], str(opt.get("label") or opt["value"])))
    out = []
    for value in enum:
        label = next((lab for v, lab in labels if _same_value(v, value)), None)
        out.append(Option(value, label if label is not None else ("" if value is None else str(value))))
    return out


def _same_value(a: Any, b: Any) -> bool:
    """JSON equality: ``True`` is not ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def condition_of_if(if_schema: Any) -> Condition | None:
    """``{"properties": {"x": {"const": v}}, "required": ["x"]}`` → Condition("x", v)."""
    if not isinstance(if_schema, dict):
        return None
    props = _as_dict(if_schema.get("properties"))
    if len(props) != 1:
        return None
    (name, sub), = props.items()
    sub = _as_dict(sub)
    if "const" in sub:
        return Condition(name, sub["const"])
    enum = sub.get("enum")
    if isinstance(enum, list) and len(enum) == 1:
        return Condition(name, enum[0])
    return None


def condition_entries(obj: dict) -> list[tuple[int, Condition, dict]]:
    """The ``allOf`` entries of an object schema that are simple if/then conditions."""
    out = []
    for n, entry in enumerate(_as_list(_as_dict(obj).get("allOf"))):
        if not isinstance(entry, dict):
            continue
        cond = condition_of_if(entry.get("if"))
        then = entry.get("then")
        if cond is not None and isinstance(then, dict):
            out.append((n, cond, then))
    return out


def then_names(then: dict) -> list[str]:
    names = [n for n in _as_list(then.get("required")) if isinstance(n, str)]
    names += [n for n in _as_dict(then.get("properties")) if n not in names]
    return names


def conditional_fields(obj: dict) -> dict[str, list[tuple[Condition, bool]]]:
    """name → [(condition, required when it holds)] for every field mentioned in a ``then``."""
    found: dict[str, list[tuple[Condition, bool]]] = {}
    for _n, cond, then in condition_entries(obj):
        required = [n for n in _as_list(then.get("required")) if isinstance(n, str)]
        for name in then_names(then):
            found.setdefault(name, []).append((cond, name in required))
    return found


def field_condition(obj: dict, ui_node: dict, name: str) -> Condition | None:
    """The display condition of a field: present when every condition naming it agrees and the
    field is not required unconditionally."""
    mentions = conditional_fields(obj).get(name) or []
    if not mentions or name in _as_list(_as_dict(obj).get("required")):
        return None
    if _hints_of(ui_node, name).get("show") == "always":
        return None
    first = mentions[0][0]
    if all(c.field == first.field and _same_value(c.equals, first.equals) for c, _r in mentions):
        return first
    return None


def ordered_names(obj: dict, ui_node: dict) -> list[str]:
    """Property names in display order: ``ui.order`` first (existing names), then the rest."""
    props = _as_dict(_as_dict(obj).get("properties"))
    order = [n for n in _as_list(_as_dict(ui_node).get("order")) if isinstance(n, str) and n in props]
    seen = set()
    out = []
    for n in [*order, *props]:
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


def source_of(hints: Any) -> dict[str, str] | None:
    """The field's declared data source (UI hint ``"source": {"resource", "item"}``), or None."""
    source = _as_dict(hints).get("source") if isinstance(hints, dict) else None
    if not isinstance(source, dict):
        return None
    resource, item = source.get("resource"), source.get("item")
    if not (isinstance(resource, str) and resource.strip() and isinstance(item, str) and item.strip()):
        return None
    return {"resource": resource.strip(), "item": item.strip()}


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _spec(obj: dict, ui_node: dict, name: str, prefix: str) -> FieldSpec:
    prop = _as_dict(_as_dict(obj.get("properties")).get(name))
    hints = _hints_of(ui_node, name)
    kind = kind_of(prop, hints)
    mentions = conditional_fields(obj).get(name) or []
    required = name in _as_list(obj.get("required")) or any(r for _c, r in mentions)
    path = f"{prefix}{name}"
    spec = FieldSpec(
        name=name,
        path=path,
        kind=kind,
        label=str(hints.get("label") or name),
        help=str(hints.get("help") or ""),
        required=required,
        options=_options_of(prop, hints),
        condition=field_condition(obj, ui_node, name),
        placeholder=str(hints.get("placeholder") or ""),
        prefill=str(hints.get("prefill") or ""),
        source=source_of(hints),
        max_length=_number(prop.get("maxLength")),
        min_length=_number(prop.get("minLength")),
        minimum=_number(prop.get("minimum")),
        maximum=_number(prop.get("maximum")),
        integer=_main_type(prop) == "integer",
        min_items=_number(prop.get("minItems")),
        max_items=_number(prop.get("maxItems")),
        schema=prop,
    )
    if kind == "group":
        items = _as_dict(prop.get("items"))
        spec.children = [_spec(items, hints, child, f"{path}.") for child in ordered_names(items, hints)]
    elif kind == "address":
        parts = _as_dict(prop.get("properties"))
        sub_required = _as_list(prop.get("required"))
        spec.children = [
            FieldSpec(
                name=part,
                path=f"{path}.{part}",
                kind="region_code" if part == "region_code" else kind_of(parts[part], _hints_of(hints, part)),
                label=str(_hints_of(hints, part).get("label") or ADDRESS_PARTS.get(part, part)),
                help=str(_hints_of(hints, part).get("help") or ""),
                required=part in sub_required,
                max_length=_number(_as_dict(parts[part]).get("maxLength")),
                schema=_as_dict(parts[part]),
            )
            for part in ordered_names(prop, hints)
        ]
    return spec


def fields(schema: Any, ui: Any) -> list[FieldSpec]:
    """The form's fields in display order, with kinds, labels, options, conditions and children."""
    schema, ui = _as_dict(schema), _as_dict(ui)
    return [_spec(schema, ui, name, "") for name in ordered_names(schema, ui)]


def iter_fields(specs: Iterable[FieldSpec]) -> Iterable[FieldSpec]:
    """Depth-first walk over fields and their children."""
    for spec in specs:
        yield spec
        yield from iter_fields(spec.children)


# ---------------------------------------------------------------------------------------------
# check_schema: is a form definition usable?
# ---------------------------------------------------------------------------------------------


def _schema_error_key(exc: SchemaError) -> str:
    path = list(exc.path)
    names = []
    i = 0
    while i < len(path):
        if path[i] == "properties" and i + 1 < len(path):
            names.append(str(path[i + 1]))
            i += 2
        else:
            i += 1
    return ".".join(names) or "__all__"


def check_schema(schema: Any, ui: Any) -> dict[str, str]:
    """Problems of a form definition, Chinese messages keyed by field path (``__all__`` for the
    whole form, ``ui.order`` / ``members.ui.order`` for the order lists). Empty when usable."""
    if schema in (None, {}) and not _as_dict(ui).get("order") and not _as_dict(ui).get("fields"):
        return {}
    if not isinstance(schema, dict):
        return {"__all__": _("表单定义应为 JSON 对象。")}
    errors: dict[str, str] = {}
    if ui is None:
        ui = {}
    if not isinstance(ui, dict):
        errors["ui"] = _("界面提示应为 JSON 对象。")
        ui = {}
    if "$schema" in schema and schema["$schema"] != DRAFT_2020_12:
        errors["__all__"] = _("表单须使用 JSON Schema draft 2020-12（$schema 为 %(uri)s）。") % {"uri": DRAFT_2020_12}
        return errors
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        errors[_schema_error_key(exc)] = _("不是有效的 JSON Schema：%(reason)s") % {"reason": exc.message}
        return errors
    if schema.get("type") != "object":
        errors["__all__"] = _("表单顶层类型须为 object（\"type\": \"object\"）。")
        return errors
    _check_object(schema, ui, "", errors, in_group=False)
    return errors


def _check_object(obj: dict, ui_node: dict, prefix: str, errors: dict[str, str], *, in_group: bool) -> None:
    props = obj.get("properties", {})
    if not isinstance(props, dict):
        errors[prefix.rstrip(".") or "__all__"] = _("properties 应为对象。")
        return
    ui_fields = ui_node.get("fields", {})
    if not isinstance(ui_fields, dict):
        errors[f"{prefix}ui.fields"] = _("界面提示的 fields 应为对象。")
        ui_fields = {}
    order = ui_node.get("order", [])
    if not isinstance(order, list):
        errors[f"{prefix}ui.order"] = _("界面提示的 order 应为字段名列表。")
    else:
        unknown = [str(n) for n in order if not isinstance(n, str) or n not in props]
        dupes = sorted({n for n in order if isinstance(n, str) and order.count(n) > 1})
        if unknown:
            errors[f"{prefix}ui.order"] = _("显示顺序中的字段不存在：%(names)s") % {"names": "、".join(unknown)}
        elif dupes:
            errors[f"{prefix}ui.order"] = _("显示顺序中的字段重复：%(names)s") % {"names": "、".join(dupes)}
    for name in ui_fields:
        if name not in props:
            errors.setdefault(f"{prefix}ui.fields.{name}", _("界面提示中的字段 %(name)s 在表单中不存在。") % {"name": name})
    for name in _as_list(obj.get("required")):
        if name not in props:
            errors.setdefault(f"{prefix}{name}", _("必填字段 %(name)s 在表单中不存在。") % {"name": name})

    for name, prop in props.items():
        path = f"{prefix}{name}"
        if not PROPERTY_NAME.match(name):
            errors[path] = _("字段名只能由英文字母、数字和下划线组成，且不能以下划线开头。")
            continue
        hints = ui_fields.get(name)
        if not isinstance(hints, dict) or not isinstance(hints.get("label"), str) or not hints["label"].strip():
            errors[path] = _("缺少显示名称（ui.fields.%(name)s.label）。") % {"name": name}
            continue
        message = _check_property(prop, hints, path, errors, in_group=in_group)
        if message:
            errors[path] = message

    _check_conditions(obj, prefix, errors)


def _check_property(prop: Any, hints: dict, path: str, errors: dict[str, str], *, in_group: bool) -> str | None:
    if not isinstance(prop, dict):
        return _("字段定义应为对象。")
    widget = hints.get("widget")
    if widget is not None and widget not in WIDGETS:
        return _("未知的控件类型：%(widget)s") % {"widget": widget}
    if "source" in hints and source_of(hints) is None:
        return _("字段来源应为 {\"resource\": 共享资源编码, \"item\": 数据项}。")
    t = _main_type(prop)
    if t is None:
        return _("字段须声明类型（type）。")
    kind = kind_of(prop, hints)
    if kind == "group":
        items = _as_dict(prop.get("items"))
        if in_group:
            return _("重复分组中不能再嵌套重复分组。")
        if _main_type(items) != "object":
            return _("重复分组的 items 须为 object。")
        _check_object(items, hints, f"{path}.", errors, in_group=True)
        return None
    if kind == "address":
        parts = _as_dict(prop.get("properties"))
        region = _as_dict(parts.get("region_code"))
        if region.get("format") != "region_code" or "detail" not in parts:
            return _("地址字段须包含 region_code（format: region_code）和 detail 两项。")
        extra = sorted(set(parts) - {"region_code", "detail"})
        if extra:
            return _("地址字段只能包含 region_code 和 detail。")
        return None
    if kind == "checkboxes":
        if not isinstance(_as_dict(prop.get("items")).get("enum"), list):
            return _("多选字段须在 items.enum 中列出可选值。")
    if widget in OPTION_KINDS and _enum_of(prop) is None:
        return _("下拉、单选和多选字段须在表单中列出可选值（enum）。")
    if widget is not None and not _widget_fits(widget, kind):
        return _("控件类型 %(widget)s 与字段类型不符。") % {"widget": widget}
    enum = _enum_of(prop)
    if enum is not None:
        if not enum:
            return _("可选值（enum）不能为空。")
        options = hints.get("options")
        if options is not None:
            if not isinstance(options, list) or not all(
                isinstance(o, dict) and "value" in o and isinstance(o.get("label"), str) and o["label"].strip()
                for o in options
            ):
                return _("可选项应为 {\"value\", \"label\"} 列表，且每项都有显示名称。")
            values = [o["value"] for o in options]
            if len(values) != len(enum) or not all(any(_same_value(v, e) for e in enum) for v in values) or not all(
                any(_same_value(v, e) for v in values) for e in enum
            ):
                return _("可选项与表单定义的可选值（enum）不一致。")
    fmt = prop.get("format")
    if t == "string" and isinstance(fmt, str) and fmt not in FORMATS:
        return _("不支持的格式：%(format)s") % {"format": fmt}
    return None


def _widget_fits(widget: str, kind: str) -> bool:
    families = [{"text", "textarea"}, {"select", "radio"}]
    if widget == kind:
        return True
    return any(widget in fam and kind in fam for fam in families)


def _check_conditions(obj: dict, prefix: str, errors: dict[str, str]) -> None:
    props = _as_dict(obj.get("properties"))
    for _n, cond, then in condition_entries(obj):
        names = then_names(then)
        for name in names:
            key = f"{prefix}{name}"
            if name not in props:
                errors.setdefault(key, _("显示条件中的字段 %(name)s 不存在。") % {"name": name})
                continue
            if cond.field not in props:
                errors.setdefault(key, _("显示条件引用的字段 %(name)s 不存在。") % {"name": cond.field})
            elif cond.field == name:
                errors.setdefault(key, _("字段的显示条件不能引用它自己。"))
            elif not _value_fits(props[cond.field], cond.equals):
                errors.setdefault(key, _("显示条件的取值“%(value)s”不是字段 %(name)s 的有效取值。")
                                  % {"value": cond.equals, "name": cond.field})


def _value_fits(prop: Any, value: Any) -> bool:
    try:
        return Draft202012Validator(prop).is_valid(value)
    except Exception:  # an odd but valid sub-schema; the schema itself was checked already
        return False


# ---------------------------------------------------------------------------------------------
# validate: Chinese messages for submitted data
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _validator(schema_json: str) -> Draft202012Validator | None:
    schema = json.loads(schema_json)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError:
        return None
    return Draft202012Validator(schema, format_checker=FORMAT_CHECKER)


def _jsonable(value: Any, depth: int = 0) -> Any:
    """A JSON-shaped copy of arbitrary input (string keys, lists), so validation never trips."""
    if depth > 50:
        return None
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v, depth + 1) for v in value]
    return str(value)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def prune_empty(value: Any) -> Any:
    """Drop empty answers (``None``, blank strings, ``[]``, ``{}``) from objects: "not given".
    Array items keep their positions so error paths match what was sent."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = prune_empty(v)
            if not _is_empty(v):
                out[k] = v
        return out
    if isinstance(value, list):
        return [prune_empty(v) for v in value]
    return value


_PRIORITY = {"required": 0, "type": 1, "format": 2, "enum": 3, "const": 3}


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _type_message(expected: Any) -> str:
    types = expected if isinstance(expected, list) else [expected]
    labels = {
        "string": _("文本"), "number": _("数字"), "integer": _("整数"), "boolean": _("是或否"),
        "array": _("列表"), "object": _("对象"), "null": _("空值"),
    }
    names = str(_("或")).join(str(labels.get(t, t)) for t in types)
    return _("格式不正确：应为%(types)s。") % {"types": names}


def _message(error) -> str:
    v, value = error.validator, error.validator_value
    if v == "type":
        return _type_message(value)
    if v == "format":
        cause = getattr(error, "cause", None)
        if cause is not None and getattr(cause, "message", None):
            return str(cause.message)
        return _format_default_message(str(value))
    if v == "enum":
        return _("不在可选范围内。")
    if v == "const":
        if value is True:
            return _("请勾选此项。")
        return _("不在可选范围内。")
    if v == "maxLength":
        return _("超出长度：最多 %(n)s 个字。") % {"n": value}
    if v == "minLength":
        return _("内容过短：至少 %(n)s 个字。") % {"n": value}
    if v == "maximum":
        return _("不能大于 %(n)s。") % {"n": _num(value)}
    if v == "minimum":
        return _("不能小于 %(n)s。") % {"n": _num(value)}
    if v == "exclusiveMaximum":
        return _("应小于 %(n)s。") % {"n": _num(value)}
    if v == "exclusiveMinimum":
        return _("应大于 %(n)s。") % {"n": _num(value)}
    if v == "multipleOf":
        return _("应为 %(n)s 的整数倍。") % {"n": _num(value)}
    if v == "minItems":
        if value == 1:
            return _("请至少填写或选择一项。")
        return _("至少 %(n)s 项。") % {"n": value}
    if v == "maxItems":
        return _("最多 %(n)s 项。") % {"n": value}
    if v == "uniqueItems":
        return _("不能有重复项。")
    if v == "pattern":
        return _("格式不正确。")
    if v is None or v == "false":
        return _("此项不应填写。")
    return _("取值无效。")


def _error_items(error) -> list[tuple[str, int, str]]:
    base = [str(p) for p in error.absolute_path]
    v = error.validator
    if v == "required" and isinstance(error.instance, dict):
        missing = [n for n in _as_list(error.validator_value) if isinstance(n, str) and n not in error.instance]
        return [(".".join([*base, n]), 0, _("此项为必填项。")) for n in missing]
    if v == "additionalProperties" and isinstance(error.instance, dict):
        known = set(_as_dict(error.schema.get("properties")))
        extras = [k for k in error.instance if k not in known]
        return [(".".join([*base, k]), 4, _("表单中没有此项。")) for k in extras]
    if v == "dependentRequired" and isinstance(error.instance, dict):
        out = []
        for trigger, needed in _as_dict(error.validator_value).items():
            if trigger in error.instance:
                out += [(".".join([*base, n]), 0, _("此项为必填项。")) for n in _as_list(needed)
                        if n not in error.instance]
        return out
    return [(".".join(base) or "__all__", _PRIORITY.get(v, 4), _message(error))]


def validate(schema: Any, data: Any) -> dict[str, str]:
    """Validate submitted data. Returns one Chinese message per field path (``name``,
    ``members.0.name``, ``address.region_code``; ``__all__`` for the whole form); empty when valid.
    Blank answers (``""``, ``None``, ``[]``, ``{}``) count as not given. Never raises."""
    if not isinstance(schema, dict) or not schema:
        return {}
    try:
        validator = _validator(json.dumps(schema, sort_keys=True, ensure_ascii=False))
    except (TypeError, ValueError):
        validator = None
    if validator is None:
        return {"__all__": _("申请表单定义有误，请联系事项管理部门。")}
    instance = prune_empty(_jsonable(data))
    if not isinstance(instance, dict):
        return {"__all__": _("表单数据格式不正确。")}
    found: list[tuple[str, int, str]] = []
    try:
        for error in validator.iter_errors(instance):
            found += _error_items(error)
    except Exception:  # unresolvable references or library surprises must not become a 500
        log.exception("form validation failed")
        return {"__all__": _("申请表单定义有误，请联系事项管理部门。")}
    found.sort(key=lambda item: item[1])
    errors: dict[str, str] = {}
    for key, _prio, message in found:
        errors.setdefault(key, message)
    return errors


# ---------------------------------------------------------------------------------------------
# coerce: flat HTML form posts → typed JSON
# ---------------------------------------------------------------------------------------------

_MISSING = object()
_TRUE_WORDS = {"on", "true", "1", "yes", "y", "是", "checked"}
_FALSE_WORDS = {"", "off", "false", "0", "no", "n", "否"}
MAX_GROUP_ROWS = 200


class _Reader:
    """``getlist``/``keys`` over a QueryDict, a plain mapping, or anything else (empty)."""

    def __init__(self, data: Any):
        self.data = data
        try:
            self._keys = [str(k) for k in data.keys()] if hasattr(data, "keys") else []
        except Exception:
            self._keys = []

    def keys(self) -> list[str]:
        return self._keys

    def getlist(self, key: str) -> list[str]:
        data = self.data
        try:
            if hasattr(data, "getlist"):
                values = data.getlist(key)
            elif isinstance(data, Mapping):
                values = data.get(key)
            else:
                return []
        except Exception:
            return []
        if values is None:
            return []
        if not isinstance(values, list | tuple):
            values = [values]
        return [v if isinstance(v, str) else json.dumps(v) if isinstance(v, bool) else str(v)
                for v in values if v is not None]

    def get(self, key: str) -> str | None:
        values = self.getlist(key)
        return values[-1] if values else None


def _clean_text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _compact(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split())


def _coerce_scalar(prop: dict, raw: str) -> Any:
    text = _clean_text(raw)
    if not text:
        return _MISSING
    enum = _enum_of(prop) if "enum" in prop else None
    if enum is not None:
        for value in enum:
            if isinstance(value, str) and value == text:
                return value
        for value in enum:
            if not isinstance(value, str) and json.dumps(value, ensure_ascii=False) == text:
                return value
            if not isinstance(value, str | bool) and str(value) == text:
                return value
    t = _main_type(prop)
    if t in ("number", "integer"):
        return _coerce_number(text, integer=t == "integer")
    if t == "boolean":
        low = text.lower()
        return low not in _FALSE_WORDS
    fmt = prop.get("format")
    if fmt in ("id_number", "uscc"):
        return _compact(text).upper()
    if fmt in ("phone", "region_code", "email", "date"):
        return _compact(text)
    return text


def _coerce_number(text: str, *, integer: bool) -> Any:
    compact = _compact(text).replace(",", "")
    if len(compact) > 40:
        return text
    try:
        if re.fullmatch(r"[+-]?[0-9]+", compact):
            return int(compact)
        number = float(compact)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    if integer and number.is_integer():
        return int(number)
    return number


def _coerce_value(prop: Any, key: str, reader: _Reader) -> Any:
    prop = _as_dict(prop)
    t = _main_type(prop)
    if t == "array" or (t is None and "items" in prop):
        items = _as_dict(prop.get("items"))
        if _main_type(items) == "object" or "properties" in items:
            pattern = re.compile(re.escape(key) + r"-([0-9]{1,4})-")
            indexes = sorted({int(m.group(1)) for k in reader.keys() if (m := pattern.match(k))})
            rows = []
            for idx in indexes[:MAX_GROUP_ROWS]:
                row = _coerce_object(items, f"{key}-{idx}-", reader)
                if not _blank(row):
                    rows.append(row)
            return rows or _MISSING
        values = []
        for raw in reader.getlist(key):
            value = _coerce_scalar(items, raw)
            if value is not _MISSING and not any(_same_value(value, v) for v in values):
                values.append(value)
        return values or _MISSING
    if t == "object" or (t is None and "properties" in prop):
        sub = _coerce_object(prop, f"{key}-", reader)
        return _MISSING if _blank(sub) else sub
    if t == "boolean":
        raw = reader.get(key)
        return False if raw is None else _clean_text(raw).lower() not in _FALSE_WORDS
    raw = reader.get(key)
    if raw is None:
        return _MISSING
    return _coerce_scalar(prop, raw)


def _coerce_object(obj: dict, prefix: str, reader: _Reader) -> dict:
    out = {}
    for name, prop in _as_dict(obj.get("properties")).items():
        value = _coerce_value(prop, f"{prefix}{name}", reader)
        if value is not _MISSING:
            out[name] = value
    return out


def _blank(value: Any) -> bool:
    """A row or object with nothing filled in (unchecked boxes do not count as answers)."""
    if isinstance(value, dict):
        return all(v is False or _blank(v) for v in value.values())
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return _is_empty(value)


def drop_hidden(schema: Any, data: Any, ui: Any = None) -> Any:
    """Remove answers to conditional fields whose condition does not hold (they were not shown).
    Works in place on ``data`` (and group rows) and returns it."""
    schema, ui = _as_dict(schema), _as_dict(ui)
    if not isinstance(data, dict):
        return data
    conditions = {name: field_condition(schema, ui, name) for name in conditional_fields(schema)}
    changed = True
    while changed:
        changed = False
        for name, cond in conditions.items():
            if cond is None or name not in data:
                continue
            if not (cond.field in data and _same_value(data[cond.field], cond.equals)):
                del data[name]
                changed = True
    for name, prop in _as_dict(schema.get("properties")).items():
        prop = _as_dict(prop)
        if name not in data:
            continue
        if _main_type(prop) == "array" and isinstance(data[name], list):
            items = _as_dict(prop.get("items"))
            for row in data[name]:
                drop_hidden(items, row, _hints_of(ui, name))
        elif _main_type(prop) == "object":
            drop_hidden(prop, data[name], _hints_of(ui, name))
    return data


def coerce(schema: Any, ui: Any, form_data: Any, *, hide_conditional: bool = True) -> dict:
    """Turn a flat HTML form post into JSON typed per schema, so forms work without JavaScript.

    Names: ``name``; ``address-region_code``; group rows ``members-0-name`` (rows with nothing
    filled in are dropped, indexes need not be contiguous). Blank inputs are left out, numbers and
    booleans are converted (unparseable input is kept as text for :func:`validate` to report),
    ``id_number``/``uscc`` are folded to half-width upper case. Unchecked checkboxes are ``False``.
    With ``hide_conditional`` answers to fields whose condition does not hold are dropped.
    Never raises."""
    schema = _as_dict(schema)
    try:
        data = _coerce_object(schema, "", _Reader(form_data))
        if hide_conditional:
            drop_hidden(schema, data, ui)
    except Exception:  # never a 500 for a strange post
        log.exception("form coercion failed")
        return {}
    return data


# ---------------------------------------------------------------------------------------------
# merge: the 一件事 form of several items
# ---------------------------------------------------------------------------------------------

_LOWER_BOUNDS = {"minLength", "minimum", "exclusiveMinimum", "minItems"}
_UPPER_BOUNDS = {"maxLength", "maximum", "exclusiveMaximum", "maxItems"}


def _combine(a: Any, b: Any) -> Any:
    """A schema accepting what both accept, when ``a`` and ``b`` ask the same question (same
    type, format, options and structure; lengths and ranges may differ — the stricter wins).
    ``None`` when incompatible."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return a if a == b else None
    out: dict[str, Any] = {k: v for k, v in a.items() if k in _ANNOTATIONS}
    keys = (set(a) | set(b)) - _ANNOTATIONS
    for key in keys:
        in_a, in_b = key in a, key in b
        va, vb = a.get(key), b.get(key)
        if key in _LOWER_BOUNDS | _UPPER_BOUNDS:
            present = [v for v in (va, vb) if _number(v) is not None]
            if len(present) != int(in_a) + int(in_b):
                return None
            out[key] = max(present) if key in _LOWER_BOUNDS else min(present)
        elif key == "uniqueItems":
            out[key] = bool(va) or bool(vb)
        elif not (in_a and in_b):
            return None
        elif key == "properties":
            if not isinstance(va, dict) or not isinstance(vb, dict) or set(va) != set(vb):
                return None
            merged = {}
            for name in va:
                sub = _combine(va[name], vb[name])
                if sub is None:
                    return None
                merged[name] = sub
            out[key] = merged
        elif key == "items":
            sub = _combine(va, vb)
            if sub is None:
                return None
            out[key] = sub
        elif key == "required":
            out[key] = list(dict.fromkeys([*_as_list(va), *_as_list(vb)]))
        elif key == "enum":
            if not isinstance(va, list) or not isinstance(vb, list) or len(va) != len(vb) or not all(
                any(_same_value(x, y) for y in vb) for x in va
            ):
                return None
            out[key] = va
        elif va != vb:
            return None
        else:
            out[key] = va
    for low, high in (("minLength", "maxLength"), ("minimum", "maximum"), ("minItems", "maxItems")):
        if low in out and high in out and out[low] > out[high]:
            return None
    return out


def _rename_entry(entry: Any, rename: dict[str, str]) -> Any:
    """An allOf entry with the property names of its if/then renamed."""
    if not isinstance(entry, dict):
        return entry
    entry = copy.deepcopy(entry)
    for part in ("if", "then", "else"):
        sub = entry.get(part)
        if not isinstance(sub, dict):
            continue
        if isinstance(sub.get("properties"), dict):
            sub["properties"] = {rename.get(k, k): v for k, v in sub["properties"].items()}
        if isinstance(sub.get("required"), list):
            sub["required"] = [rename.get(n, n) if isinstance(n, str) else n for n in sub["required"]]
    return entry


def _safe_code(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", str(code))


def merge(forms: Iterable[tuple]) -> tuple[dict, dict, dict[str, list[tuple[str, str]]]]:
    """The merged 一件事 form of several items' forms.

    ``forms``: ``(item_code, schema, ui)`` tuples (an optional fourth element, the item's name,
    is used in labels of fields that could not be shared). A property with the same name and a
    compatible schema in several items is asked once (required if required in any of them; the
    stricter length/range wins); incompatible same-named properties are kept apart as
    ``<item_code>__<name>``. Conditions are kept (renamed with their fields).

    Returns ``(schema, ui, field_owners)`` with ``field_owners``: merged name → ``[(item_code,
    original name)]``; :func:`split` uses it to hand each item its own answers."""
    forms = [tuple(f) for f in forms]
    props: dict[str, dict] = {}
    hints: dict[str, dict] = {}
    order: list[str] = []
    owners: dict[str, list[tuple[str, str]]] = {}
    classes: dict[str, list[str]] = {}  # original name → merged names holding it
    required: list[str] = []
    all_of: list[Any] = []
    unconditional: set[str] = set()
    conditional: set[str] = set()

    for form in forms:
        code, schema, ui = str(form[0]), _as_dict(form[1]), _as_dict(form[2])
        title = str(form[3]) if len(form) > 3 and form[3] else code
        item_props = _as_dict(schema.get("properties"))
        rename: dict[str, str] = {}
        for name in ordered_names(schema, ui):
            prop = item_props[name]
            target = None
            for merged_name in classes.get(name, []):
                combined = _combine(props[merged_name], prop)
                if combined is not None:
                    props[merged_name] = combined
                    target = merged_name
                    break
            if target is None:
                target = name if name not in classes and name not in props else f"{_safe_code(code)}__{name}"
                while target in props:  # the same item code twice: keep them apart anyway
                    target += "_"
                classes.setdefault(name, []).append(target)
                props[target] = copy.deepcopy(prop)
                item_hints = copy.deepcopy(_hints_of(ui, name))
                if target != name:
                    item_hints["label"] = f"{item_hints.get('label') or name}（{title}）"
                hints[target] = item_hints
                order.append(target)
            elif not hints[target].get("help") and _hints_of(ui, name).get("help"):
                hints[target]["help"] = _hints_of(ui, name)["help"]
            rename[name] = target
            owners.setdefault(target, []).append((code, name))
        mentioned = conditional_fields(schema)
        for name, target in rename.items():
            if name in _as_list(schema.get("required")) and target not in required:
                required.append(target)
            (conditional if name in mentioned and name not in _as_list(schema.get("required"))
             else unconditional).add(target)
        for entry in _as_list(schema.get("allOf")):
            renamed = _rename_entry(entry, rename)
            if renamed not in all_of:
                all_of.append(renamed)

    for target in conditional & unconditional:
        hints[target]["show"] = "always"
    merged: dict[str, Any] = {"$schema": DRAFT_2020_12, "type": "object", "properties": props}
    if required:
        merged["required"] = required
    if all_of:
        merged["allOf"] = all_of
    return merged, {"order": order, "fields": hints}, owners


def split(data: Any, field_owners: Mapping[str, list[tuple[str, str]]]) -> dict[str, dict]:
    """Answers to a merged form → ``{item_code: answers under that item's own names}``."""
    out: dict[str, dict] = {}
    for merged_name, owners in field_owners.items():
        for code, name in owners:
            item = out.setdefault(code, {})
            if isinstance(data, dict) and merged_name in data:
                item[name] = copy.deepcopy(data[merged_name])
    return out
