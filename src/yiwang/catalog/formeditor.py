"""Form editor operations (表单编辑器): pure functions on ``(schema, ui)``.

Every operation takes the current JSON Schema and UI hints (see :mod:`yiwang.catalog.formschema`)
and returns new copies; the inputs are never modified. Fields are addressed by name, group children
by ``"group.child"``. Errors are :class:`FormEditError` (a ``ValueError``) with Chinese messages
keyed by the editor's input names (``name``, ``label``, ``options``, ``depends_on``, ``equals`` …;
``__all__`` for the whole operation), so a view can attach them to its form.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

from django.utils.translation import gettext as _

from yiwang.catalog import formschema
from yiwang.catalog.formschema import DRAFT_2020_12, KINDS, OPTION_KINDS

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
AT_START = "^"  # ``after=AT_START`` inserts a field first
MAX_FIELDS = 200
MAX_GROUP_CHILDREN = 50
MAX_OPTIONS = 200
MAX_LABEL = 100
MAX_HELP = 500
MAX_OPTION = 100
MAX_TEXT_LENGTH = 10000
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 2000}
FORMAT_MAX_LENGTH = {"id_number": 18, "uscc": 18, "phone": 13, "email": 254}
CONDITION_KINDS = ("select", "radio", "checkbox", "text", "number")
# Kinds that may be switched into each other without changing the data (only the widget).
WIDGET_FAMILIES = ({"text", "textarea"}, {"select", "radio"})
UPDATABLE = frozenset({"label", "help", "required", "options", "max_length", "minimum", "maximum", "integer",
                       "placeholder", "kind"})
TRUE_WORDS = {"true", "1", "yes", "on", "是", "已勾选", "勾选"}
FALSE_WORDS = {"false", "0", "no", "off", "否", "未勾选", "不勾选"}


class FormEditError(ValueError):
    """An editor operation was refused; ``fields`` maps input names to Chinese messages."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message
        self.fields = {field: message}


class InvalidName(FormEditError):
    pass


class DuplicateName(FormEditError):
    pass


class UnknownField(FormEditError):
    pass


class InvalidOptions(FormEditError):
    pass


class InvalidCondition(FormEditError):
    pass


class InvalidValue(FormEditError):
    pass


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def normalise(schema: Any, ui: Any) -> tuple[dict, dict]:
    """Copies with the skeleton the editor relies on: ``type: object``, ``properties``, and
    ``ui.order`` listing every property once (stale names dropped, missing ones appended)."""
    schema = copy.deepcopy(schema) if isinstance(schema, dict) else {}
    ui = copy.deepcopy(ui) if isinstance(ui, dict) else {}
    if not schema:
        schema = {"$schema": DRAFT_2020_12, "type": "object"}
    schema.setdefault("type", "object")
    if not isinstance(schema.get("properties"), dict):
        schema["properties"] = {}
    if not isinstance(ui.get("fields"), dict):
        ui["fields"] = {}
    _normalise_node(schema, ui)
    for name, prop in schema["properties"].items():
        if formschema.kind_of(prop, ui["fields"].get(name)) == "group" and isinstance(prop, dict):
            items = prop.setdefault("items", {"type": "object"})
            if isinstance(items, dict):
                if not isinstance(items.get("properties"), dict):
                    items["properties"] = {}
                hints = ui["fields"].setdefault(name, {})
                if not isinstance(hints.get("fields"), dict):
                    hints["fields"] = {}
                _normalise_node(items, hints)
    return schema, ui


def _normalise_node(obj: dict, ui_node: dict) -> None:
    ui_node["order"] = formschema.ordered_names(obj, ui_node)


def _split(path: str) -> tuple[str | None, str]:
    if not isinstance(path, str):
        raise UnknownField("name", _("字段不存在。"))
    if "." in path:
        group, _dot, name = path.partition(".")
        return group, name
    return None, path


def _container(schema: dict, ui: dict, group: str | None) -> tuple[dict, dict]:
    """(object schema, ui node) holding the fields of the form (group None) or of a group."""
    if group is None:
        return schema, ui
    prop = schema["properties"].get(group)
    if not isinstance(prop, dict) or formschema.kind_of(prop, ui["fields"].get(group)) != "group":
        raise UnknownField("group", _("重复分组“%(name)s”不存在。") % {"name": group})
    return prop["items"], ui["fields"][group]


def _locate(schema: dict, ui: dict, path: str) -> tuple[dict, dict, str]:
    group, name = _split(path)
    obj, node = _container(schema, ui, group)
    if name not in obj["properties"]:
        raise UnknownField("name", _("字段“%(name)s”不存在。") % {"name": path})
    return obj, node, name


def _label(node: dict, name: str) -> str:
    return str(node["fields"].get(name, {}).get("label") or name)


def _text(value: Any, key: str, limit: int, *, required: bool = False, what: str = "") -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise InvalidValue(key, _("请填写%(what)s。") % {"what": what})
    if len(text) > limit:
        raise InvalidValue(key, _("%(what)s不能超过 %(n)s 个字。") % {"what": what, "n": limit})
    return text


def _check_name(name: Any, key: str = "name") -> str:
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise InvalidName(key, _("字段名须以小写英文字母开头，只含小写字母、数字和下划线，最长 40 个字符，如 applicant_name。"))
    return name


def parse_options(text: str) -> list[dict]:
    """One option per line, ``value|label`` (or just ``label``, used as the value too)."""
    options: list[dict] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        value, sep, label = line.partition("|")
        value, label = value.strip(), (label.strip() if sep else value.strip())
        if not value or not label:
            raise InvalidOptions("options", _("可选项“%(line)s”格式不正确，应为“值|显示名称”。") % {"line": line})
        options.append({"value": value, "label": label})
    return _check_options(options)


def options_text(options: Any) -> str:
    """The editor's textarea text for a list of options."""
    lines = []
    for opt in options or []:
        value = getattr(opt, "value", None) if not isinstance(opt, dict) else opt.get("value")
        label = getattr(opt, "label", None) if not isinstance(opt, dict) else opt.get("label")
        lines.append(str(value) if str(label) == str(value) else f"{value}|{label}")
    return "\n".join(lines)


def _check_options(options: Any) -> list[dict]:
    out: list[dict] = []
    for opt in options or []:
        if isinstance(opt, dict):
            value, label = opt.get("value"), opt.get("label", opt.get("value"))
        elif isinstance(opt, list | tuple) and len(opt) == 2:
            value, label = opt
        else:
            value = label = getattr(opt, "value", opt)
            label = getattr(opt, "label", label)
        value = "" if value is None else str(value).strip()
        label = "" if label is None else str(label).strip()
        if not value or not label:
            raise InvalidOptions("options", _("每个可选项都要有值和显示名称。"))
        if len(value) > MAX_OPTION or len(label) > MAX_OPTION:
            raise InvalidOptions("options", _("可选项的值和显示名称不能超过 %(n)s 个字。") % {"n": MAX_OPTION})
        if "|" in value:
            raise InvalidOptions("options", _("可选项的值中不能含有“|”。"))
        if any(o["value"] == value for o in out):
            raise InvalidOptions("options", _("可选项的值“%(value)s”重复。") % {"value": value})
        out.append({"value": value, "label": label})
    if len(out) > MAX_OPTIONS:
        raise InvalidOptions("options", _("可选项不能超过 %(n)s 个。") % {"n": MAX_OPTIONS})
    return out


def _positive_int(value: Any, key: str, limit: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidValue(key, _("请填写正整数。")) from None
    if isinstance(value, float) and not value.is_integer():
        raise InvalidValue(key, _("请填写正整数。"))
    if not 1 <= number <= limit:
        raise InvalidValue(key, _("应在 1 到 %(n)s 之间。") % {"n": limit})
    return number


def _finite(value: Any, key: str) -> int | float:
    if isinstance(value, bool):
        raise InvalidValue(key, _("请填写数字。"))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidValue(key, _("请填写数字。")) from None
    if not math.isfinite(number):
        raise InvalidValue(key, _("请填写数字。"))
    return int(number) if number.is_integer() else number


def schema_for_kind(kind: str, *, options: list[dict] | None = None, max_length: int | None = None,
                    minimum: Any = None, maximum: Any = None, integer: bool = False) -> tuple[dict, dict]:
    """(property schema, widget hints) of a new field of ``kind`` (docs/catalog-format.md)."""
    if kind not in KINDS:
        raise InvalidValue("kind", _("请选择字段类型。"))
    hints: dict[str, Any] = {"widget": kind}
    if kind in ("text", "textarea"):
        prop: dict[str, Any] = {"type": "string", "maxLength": max_length or DEFAULT_MAX_LENGTH[kind]}
    elif kind == "number":
        prop = {"type": "integer" if integer else "number"}
        if minimum is not None:
            prop["minimum"] = minimum
        if maximum is not None:
            prop["maximum"] = maximum
    elif kind in ("date", "region_code"):
        prop = {"type": "string", "format": kind}
    elif kind in ("id_number", "uscc", "phone", "email"):
        prop = {"type": "string", "format": kind, "maxLength": FORMAT_MAX_LENGTH[kind]}
    elif kind in ("select", "radio"):
        prop = {"type": "string", "enum": [o["value"] for o in options or []]}
        hints["options"] = options or []
    elif kind == "checkbox":
        prop = {"type": "boolean"}
    elif kind == "checkboxes":
        prop = {"type": "array", "items": {"type": "string", "enum": [o["value"] for o in options or []]},
                "uniqueItems": True}
        hints["options"] = options or []
    elif kind == "address":
        prop = {
            "type": "object",
            "properties": {
                "region_code": {"type": "string", "format": "region_code"},
                "detail": {"type": "string", "maxLength": 200},
            },
            "required": ["region_code", "detail"],
        }
    else:  # group
        prop = {"type": "array", "items": {"type": "object", "properties": {}}}
        hints.update({"order": [], "fields": {}})
    return prop, hints


# --- requiredness and conditions -------------------------------------------------------------


def _entries_naming(obj: dict, name: str) -> list[dict]:
    return [then for _n, _c, then in formschema.condition_entries(obj) if name in formschema.then_names(then)]


def _is_conditional(obj: dict, name: str) -> bool:
    return bool(_entries_naming(obj, name))


def _is_required(obj: dict, name: str) -> bool:
    if name in obj.get("required", []):
        return True
    return any(name in then.get("required", []) for then in _entries_naming(obj, name))


def _set_required(obj: dict, node: dict, name: str, required: bool) -> None:
    prop = obj["properties"][name]
    kind = formschema.kind_of(prop, node["fields"].get(name))
    conditional_thens = _entries_naming(obj, name) if name not in obj.get("required", []) else []
    if conditional_thens:
        for then in conditional_thens:
            req = [n for n in then.get("required", []) if n != name]
            props = {k: v for k, v in (then.get("properties") or {}).items() if k != name}
            if required:
                req.append(name)
            else:
                props[name] = {}
            _put(then, "required", req)
            _put(then, "properties", props)
    else:
        req = [n for n in obj.get("required", []) if n != name]
        if required:
            req.append(name)
        _put(obj, "required", req)
    if kind == "checkbox":
        if required:
            prop["const"] = True
        elif prop.get("const") is True:
            del prop["const"]
    elif kind in ("checkboxes", "group"):
        if required:
            prop["minItems"] = max(1, prop.get("minItems") or 0)
        elif prop.get("minItems") == 1:
            del prop["minItems"]


def _put(container: dict, key: str, value: Any) -> None:
    if value:
        container[key] = value
    else:
        container.pop(key, None)


def _dependents(obj: dict, name: str) -> list[str]:
    """Fields whose display condition refers to ``name``."""
    out = []
    for _n, cond, then in formschema.condition_entries(obj):
        if cond.field == name:
            out += [n for n in formschema.then_names(then) if n not in out]
    return out


def _detach_condition(obj: dict, name: str) -> bool:
    """Remove ``name`` from every condition; returns whether it was required by one of them."""
    was_required = False
    entries = obj.get("allOf")
    if not isinstance(entries, list):
        return False
    keep = []
    for entry in entries:
        cond = formschema.condition_of_if(entry.get("if")) if isinstance(entry, dict) else None
        then = entry.get("then") if isinstance(entry, dict) else None
        if cond is None or not isinstance(then, dict) or name not in formschema.then_names(then):
            keep.append(entry)
            continue
        if name in then.get("required", []):
            was_required = True
        _put(then, "required", [n for n in then.get("required", []) if n != name])
        _put(then, "properties", {k: v for k, v in (then.get("properties") or {}).items() if k != name})
        if then or set(entry) - {"if", "then"}:
            keep.append(entry)
    _put(obj, "allOf", keep)
    return was_required


def _remove_condition_entries_on(obj: dict, name: str) -> None:
    entries = obj.get("allOf")
    if isinstance(entries, list):
        _put(obj, "allOf", [e for e in entries if not (
            isinstance(e, dict) and (c := formschema.condition_of_if(e.get("if"))) is not None and c.field == name)])


# ---------------------------------------------------------------------------------------------
# operations
# ---------------------------------------------------------------------------------------------


def add_field(schema: Any, ui: Any, kind: str, name: str, label: str, required: bool = False, help: str = "",
              options: Any = None, after: str | None = None, *, group: str | None = None,
              max_length: Any = None, minimum: Any = None, maximum: Any = None, integer: bool = False,
              placeholder: str = "") -> tuple[dict, dict]:
    """Add a field of ``kind`` (see :data:`formschema.KINDS`) to the form, or to ``group``.
    ``after``: the name of the field it follows (``None``/``""``: at the end; :data:`AT_START`: first).
    ``options`` (select, radio, checkboxes): ``[{"value", "label"}]``, pairs, or text for
    :func:`parse_options`."""
    schema, ui = normalise(schema, ui)
    if kind not in KINDS:
        raise InvalidValue("kind", _("请选择字段类型。"))
    name = _check_name(name)
    obj, node = _container(schema, ui, group)
    if group is not None and kind == "group":
        raise InvalidValue("kind", _("重复分组中不能再添加重复分组。"))
    if name in obj["properties"]:
        raise DuplicateName("name", _("字段名“%(name)s”已被使用。") % {"name": name})
    limit = MAX_GROUP_CHILDREN if group else MAX_FIELDS
    if len(obj["properties"]) >= limit:
        raise InvalidValue("__all__", _("字段数量不能超过 %(n)s 个。") % {"n": limit})
    label = _text(label, "label", MAX_LABEL, required=True, what=_("显示名称"))
    help_text = _text(help, "help", MAX_HELP, what=_("填写说明"))
    placeholder = _text(placeholder, "placeholder", MAX_LABEL, what=_("输入提示"))
    if isinstance(options, str):
        options = parse_options(options)
    opts = _check_options(options) if kind in OPTION_KINDS else []
    if kind in OPTION_KINDS and not opts:
        raise InvalidOptions("options", _("请至少填写一个可选项。"))
    if kind in ("text", "textarea") and max_length not in (None, ""):
        max_length = _positive_int(max_length, "max_length", MAX_TEXT_LENGTH)
    else:
        max_length = None
    if kind == "number":
        minimum = None if minimum in (None, "") else _finite(minimum, "minimum")
        maximum = None if maximum in (None, "") else _finite(maximum, "maximum")
        if minimum is not None and maximum is not None and minimum > maximum:
            raise InvalidValue("maximum", _("最大值不能小于最小值。"))
    else:
        minimum = maximum = None
    prop, hints = schema_for_kind(kind, options=opts, max_length=max_length, minimum=minimum,
                                  maximum=maximum, integer=bool(integer) and kind == "number")
    hints = {"label": label, **({"help": help_text} if help_text else {}),
             **({"placeholder": placeholder} if placeholder else {}), **hints}
    obj["properties"][name] = prop
    node["fields"][name] = hints
    order = node["order"]
    if after in (None, ""):
        order.append(name)
    elif after == AT_START:
        order.insert(0, name)
    elif after in order:
        order.insert(order.index(after) + 1, name)
    else:
        raise UnknownField("after", _("插入位置“%(name)s”不存在。") % {"name": after})
    if required:
        _set_required(obj, node, name, True)
    return schema, ui


def add_group_child(schema: Any, ui: Any, group: str, kind: str, name: str, label: str, required: bool = False,
                    help: str = "", options: Any = None, after: str | None = None, **extra: Any) -> tuple[dict, dict]:
    """Add a child field to the repeating group ``group`` (no nested groups)."""
    return add_field(schema, ui, kind, name, label, required, help, options, after, group=group, **extra)


def remove_field(schema: Any, ui: Any, name: str) -> tuple[dict, dict]:
    """Remove a field (``"group.child"`` for a group child). Refused while other fields' display
    conditions depend on it."""
    schema, ui = normalise(schema, ui)
    obj, node, field = _locate(schema, ui, name)
    dependents = [d for d in _dependents(obj, field) if d != field]
    if dependents:
        raise InvalidCondition("__all__", _("字段“%(fields)s”的显示条件依赖此字段，请先修改或清除这些条件。") % {
            "fields": "”“".join(_label(node, d) for d in dependents)})
    _detach_condition(obj, field)
    _remove_condition_entries_on(obj, field)
    del obj["properties"][field]
    _put(obj, "required", [n for n in obj.get("required", []) if n != field])
    node["fields"].pop(field, None)
    node["order"] = [n for n in node["order"] if n != field]
    return schema, ui


def move_field(schema: Any, ui: Any, name: str, to: str | int) -> tuple[dict, dict]:
    """Move a field ``"up"``, ``"down"`` or to a 0-based index among its siblings."""
    schema, ui = normalise(schema, ui)
    _obj, node, field = _locate(schema, ui, name)
    order = node["order"]
    pos = order.index(field)
    if to == "up":
        target = pos - 1
    elif to == "down":
        target = pos + 1
    else:
        try:
            target = int(to)
        except (TypeError, ValueError):
            raise InvalidValue("to", _("移动方向无效。")) from None
    target = max(0, min(len(order) - 1, target))
    order.insert(target, order.pop(pos))
    return schema, ui


def update_field(schema: Any, ui: Any, name: str, **changes: Any) -> tuple[dict, dict]:
    """Change a field's ``label``, ``help``, ``required``, ``options``, ``max_length`` (text),
    ``minimum``/``maximum``/``integer`` (number; ``None`` clears a bound), ``placeholder``, or
    ``kind`` within a widget family (text ↔ textarea, select ↔ radio). Its name cannot change."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise TypeError(f"update_field: unknown changes {sorted(unknown)}")
    schema, ui = normalise(schema, ui)
    obj, node, field = _locate(schema, ui, name)
    prop = obj["properties"][field]
    hints = node["fields"].setdefault(field, {})
    kind = formschema.kind_of(prop, hints)

    if "kind" in changes and changes["kind"] not in (None, "", kind):
        new_kind = changes["kind"]
        if not any(kind in fam and new_kind in fam for fam in WIDGET_FAMILIES):
            raise InvalidValue("kind", _("字段类型不能从“%(old)s”改为“%(new)s”；请删除后重新添加。") % {
                "old": formschema.KIND_LABELS.get(kind, kind), "new": formschema.KIND_LABELS.get(new_kind, new_kind)})
        hints["widget"] = new_kind
        kind = new_kind
    if "label" in changes:
        hints["label"] = _text(changes["label"], "label", MAX_LABEL, required=True, what=_("显示名称"))
    if "help" in changes:
        _put(hints, "help", _text(changes["help"], "help", MAX_HELP, what=_("填写说明")))
    if "placeholder" in changes:
        _put(hints, "placeholder", _text(changes["placeholder"], "placeholder", MAX_LABEL, what=_("输入提示")))
    if "options" in changes and kind in OPTION_KINDS:
        options = changes["options"]
        opts = parse_options(options) if isinstance(options, str) else _check_options(options)
        if not opts:
            raise InvalidOptions("options", _("请至少填写一个可选项。"))
        values = [o["value"] for o in opts]
        for _n, cond, then in formschema.condition_entries(obj):
            if cond.field == field and cond.equals not in values:
                raise InvalidOptions("options", _("可选值“%(value)s”是字段“%(fields)s”的显示条件，不能删除。") % {
                    "value": cond.equals,
                    "fields": "”“".join(_label(node, n) for n in formschema.then_names(then))})
        if kind == "checkboxes":
            prop.setdefault("items", {"type": "string"})["enum"] = values
        else:
            prop["enum"] = values
        hints["options"] = opts
    if "max_length" in changes and kind in ("text", "textarea"):
        value = changes["max_length"]
        if value in (None, ""):
            prop["maxLength"] = DEFAULT_MAX_LENGTH[kind]
        else:
            prop["maxLength"] = _positive_int(value, "max_length", MAX_TEXT_LENGTH)
    if kind == "number":
        if "integer" in changes:
            prop["type"] = "integer" if changes["integer"] else "number"
        for key in ("minimum", "maximum"):
            if key in changes:
                value = changes[key]
                if value in (None, ""):
                    prop.pop(key, None)
                else:
                    prop[key] = _finite(value, key)
        if "minimum" in prop and "maximum" in prop and prop["minimum"] > prop["maximum"]:
            raise InvalidValue("maximum", _("最大值不能小于最小值。"))
    if "required" in changes:
        _set_required(obj, node, field, bool(changes["required"]))
    return schema, ui


def condition_value(schema: Any, ui: Any, depends_on: str, text: Any) -> Any:
    """The typed value a condition compares ``depends_on`` with, from the editor's text input."""
    schema, ui = normalise(schema, ui)
    obj, node, field = _locate(schema, ui, depends_on)
    prop = obj["properties"][field]
    kind = formschema.kind_of(prop, node["fields"].get(field))
    if kind not in CONDITION_KINDS:
        raise InvalidCondition("depends_on", _("只能按下拉、单选、勾选框、文本或数字字段设置显示条件。"))
    if isinstance(text, bool | int | float) and not isinstance(text, str):
        value: Any = text
    else:
        value = "" if text is None else str(text).strip()
    if kind in ("select", "radio"):
        enum = prop.get("enum", [])
        if value not in enum:
            labels = {o.get("value"): o.get("label") for o in node["fields"].get(field, {}).get("options", [])
                      if isinstance(o, dict)}
            match = [v for v, lab in labels.items() if lab == value]
            if len(match) == 1:
                return match[0]
            raise InvalidCondition("equals", _("取值须为“%(name)s”的可选值之一：%(values)s") % {
                "name": _label(node, field), "values": "、".join(str(v) for v in enum)})
        return value
    if kind == "checkbox":
        if isinstance(value, bool):
            return value
        low = value.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        raise InvalidCondition("equals", _("勾选框的条件取值请填写“是”或“否”。"))
    if kind == "number":
        number = _finite(value, "equals")
        if prop.get("type") == "integer" and not float(number).is_integer():
            raise InvalidCondition("equals", _("请填写整数。"))
        return number
    if not value:
        raise InvalidCondition("equals", _("请填写条件取值。"))
    return value


def set_condition(schema: Any, ui: Any, field: str, depends_on: str, equals: Any) -> tuple[dict, dict]:
    """Show ``field`` only when its sibling ``depends_on`` equals ``equals`` (text from the editor
    is converted to the sibling's type). A required field stays required — while shown."""
    schema, ui = normalise(schema, ui)
    group, name = _split(field)
    obj, node, name = _locate(schema, ui, field)
    dep_group, dep = _split(depends_on) if "." in (depends_on or "") else (group, depends_on)
    if dep_group != group or not dep or dep not in obj["properties"]:
        raise InvalidCondition("depends_on", _("条件字段须是同一层级中已有的字段。"))
    if dep == name:
        raise InvalidCondition("depends_on", _("字段的显示条件不能引用它自己。"))
    value = condition_value(schema, ui, f"{group}.{dep}" if group else dep, equals)
    # no cycles: the field it depends on must not (indirectly) depend on this field
    seen, cur = set(), dep
    while cur is not None and cur not in seen:
        seen.add(cur)
        cond = formschema.field_condition(obj, node, cur)
        cur = cond.field if cond else None
        if cur == name:
            raise InvalidCondition("depends_on", _("显示条件不能循环引用。"))
    required = _is_required(obj, name)
    _detach_condition(obj, name)
    _put(obj, "required", [n for n in obj.get("required", []) if n != name])
    node["fields"].get(name, {}).pop("show", None)
    new_if = {"properties": {dep: {"const": value}}, "required": [dep]}
    entries = obj.setdefault("allOf", [])
    entry = next((e for e in entries if isinstance(e, dict) and e.get("if") == new_if
                  and isinstance(e.get("then"), dict) and set(e) == {"if", "then"}), None)
    if entry is None:
        entry = {"if": new_if, "then": {}}
        entries.append(entry)
    then = entry["then"]
    if required:
        then["required"] = [*then.get("required", []), name]
    else:
        then["properties"] = {**then.get("properties", {}), name: {}}
    return schema, ui


def clear_condition(schema: Any, ui: Any, field: str) -> tuple[dict, dict]:
    """Show ``field`` always again (required stays as it was)."""
    schema, ui = normalise(schema, ui)
    obj, _node, name = _locate(schema, ui, field)
    if not _is_conditional(obj, name):
        return schema, ui
    required = _is_required(obj, name)
    _detach_condition(obj, name)
    if required and name not in obj.get("required", []):
        obj["required"] = [*obj.get("required", []), name]
    return schema, ui


def field_state(schema: Any, ui: Any, name: str) -> dict[str, Any]:
    """What the edit form shows for a field: kind, label, help, required, options text, bounds,
    condition (``depends_on`` and ``equals`` as text)."""
    schema, ui = normalise(schema, ui)
    obj, node, field = _locate(schema, ui, name)
    group, _n = _split(name)
    prefix = f"{group}." if group else ""
    spec = formschema._spec(obj, node, field, prefix)
    cond = spec.condition
    equals = ""
    if cond is not None:
        equals = (_("是") if cond.equals else _("否")) if isinstance(cond.equals, bool) else str(cond.equals)
    return {
        "kind": spec.kind, "label": spec.label, "help": spec.help, "required": spec.required,
        "options": options_text(spec.options), "max_length": spec.max_length,
        "minimum": spec.minimum, "maximum": spec.maximum, "integer": spec.integer,
        "placeholder": spec.placeholder,
        "depends_on": cond.field if cond else "", "equals": equals,
    }
