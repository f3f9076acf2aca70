"""What the staff case page shows and posts: the action forms of a work item (one small
definition per action, so a new action in ``handling.STEP_ACTIONS`` needs only an entry here),
the application form's values with personal data masked, and the process with its current step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yiwang.cases import handling, workflow
from yiwang.cases.models import Case, DeliveryMethod, Pause, WorkItem
from yiwang.cases.status import ResultCode
from yiwang.catalog import formschema
from yiwang.core import masking
from yiwang.org.models import Region

TEXT_MAX = 2000

# --- action forms --------------------------------------------------------------------------------

Options = Callable[[Case], list[tuple[str, str]]]


@dataclass(frozen=True)
class ActionField:
    """One input of an action form. ``kind``: text, textarea, number, select, radio, confirm, or
    missing (the 补正 list: the case's materials as checkboxes plus free-text lines)."""

    name: str
    kind: str
    label: str | Promise
    required: bool = False
    help: str | Promise = ""
    options: Options | None = None
    default: Callable[[Case], Any] | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class ActionForm:
    label: str | Promise
    fields: tuple[ActionField, ...] = ()
    submit: str | Promise = ""
    danger: bool = False  # irreversible: a 确认 checkbox is part of ``fields``
    help: str | Promise = ""


def _result_codes(case: Case) -> list[tuple[str, str]]:
    return [(c.value, f"{c.value} {c.label}") for c in ResultCode]


def _delivery_methods(case: Case) -> list[tuple[str, str]]:
    return [(m.value, str(m.label)) for m in (DeliveryMethod.WINDOW, DeliveryMethod.POST)]


def _special_kinds(case: Case) -> list[tuple[str, str]]:
    return [(k, str(Pause.Kind(k).label)) for k in handling.SPECIAL_KINDS]


def _default_delivery(case: Case) -> str:
    return case.delivery_method if case.delivery_method != DeliveryMethod.ELECTRONIC else DeliveryMethod.WINDOW


OPINION = ActionField("opinion", "textarea", gettext_lazy("办理意见"))


# Offered only to an approver of the step's department (the service refuses anyone else).
APPROVER_ACTIONS = {"extend"}

ACTION_FORMS: dict[str, ActionForm] = {
    "accept": ActionForm(pgettext_lazy("case action", "受理"), (OPINION,), help=gettext_lazy("受理后生成受理通知书，并按承诺时限计算承诺办结日。")),
    "refuse": ActionForm(pgettext_lazy("case action", "不予受理"), (
        ActionField("reason", "textarea", gettext_lazy("不予受理理由"), required=True),
        ActionField("legal_basis", "textarea", gettext_lazy("法律依据"), required=True,
                    help=gettext_lazy("写明所依据的法律、法规条款。")),
        ActionField("confirm", "confirm", gettext_lazy("确认不予受理：该决定将以不予受理通知书告知申请人，提交后不能撤销。"),
                    required=True),
    ), danger=True),
    "request_correction": ActionForm(pgettext_lazy("case action", "补正告知"), (
        ActionField("missing", "missing", gettext_lazy("需补正的内容"), required=True,
                    help=gettext_lazy("一次性告知：勾选需要重新提交的材料，其他需补正的内容每行写一项。")),
        OPINION,
    ), help=gettext_lazy("补正期间暂停计时；申请人逾期未补正的，按补正超时办结。")),
    "pass": ActionForm(gettext_lazy("通过"), (OPINION,), submit=gettext_lazy("通过，转下一环节")),
    "return": ActionForm(gettext_lazy("退回上一环节"), (ActionField("opinion", "textarea", gettext_lazy("退回意见")),)),
    "decide_grant": ActionForm(gettext_lazy("准予许可"), (OPINION,)),
    "decide_deny": ActionForm(gettext_lazy("不予许可"), (
        ActionField("reason", "textarea", gettext_lazy("不予许可理由"), required=True),
        ActionField("confirm", "confirm", gettext_lazy("确认作出不予许可决定：决定书将告知申请人复议和诉讼权利，提交后不能撤销。"),
                    required=True),
    ), danger=True),
    "complete": ActionForm(pgettext_lazy("case action", "办结"), (
        ActionField("result_code", "select", gettext_lazy("办结结果"), required=True, options=_result_codes,
                    default=handling.default_result_code),
        OPINION,
    )),
    "deliver": ActionForm(pgettext_lazy("case action", "送达"), (
        ActionField("method", "radio", gettext_lazy("送达方式"), required=True, options=_delivery_methods,
                    default=_default_delivery),
        ActionField("tracking_number", "text", gettext_lazy("快递单号"), help=gettext_lazy("邮寄送达时必填。")),
        OPINION,
    )),
    "start_special": ActionForm(gettext_lazy("启动特别程序"), (
        ActionField("kind", "select", gettext_lazy("特别程序"), required=True, options=_special_kinds),
        OPINION,
    ), help=gettext_lazy("特别程序期间暂停计时。")),
    "end_special": ActionForm(gettext_lazy("结束特别程序"), (
        ActionField("result", "textarea", gettext_lazy("特别程序结果"), required=True),
    )),
    "extend": ActionForm(pgettext_lazy("case action", "延期"), (
        ActionField("working_days", "number", gettext_lazy("延长工作日数"), required=True, minimum=1,
                    maximum=handling.MAX_EXTENSION_WORKING_DAYS),
        ActionField("reason", "textarea", gettext_lazy("延期理由及批准情况"), required=True),
    ), help=gettext_lazy("延期由本部门批准人员批准并记录，承诺办结日相应顺延。")),
}


@dataclass
class Parsed:
    data: dict[str, Any] = field(default_factory=dict)  # for handling.act
    values: dict[str, Any] = field(default_factory=dict)  # to show again after an error
    errors: dict[str, str] = field(default_factory=dict)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse(action: str, post: Mapping, case: Case) -> Parsed:
    """Read an action form post; check what the page can check (required, choices, numbers,
    the 确认 box). The service checks again and has the last word."""
    out = Parsed()
    for f in ACTION_FORMS[action].fields:
        if f.kind == "missing":
            codes = {m.material_code for m in case.materials.all()}
            chosen = [c for c in post.getlist(f.name) if c in codes]
            other = str(post.get(f"{f.name}_other", ""))[:TEXT_MAX]
            out.values[f.name], out.values[f"{f.name}_other"] = chosen, other
            items = chosen + _lines(other)
            if items:
                out.data[f.name] = items
            elif f.required:
                out.errors[f.name] = _("请勾选需补正的材料，或写明其他需补正的内容。")
            continue
        raw = str(post.get(f.name, "")).strip()[:TEXT_MAX]
        out.values[f.name] = raw
        if f.kind == "confirm":
            if raw != "on":
                out.errors[f.name] = _("请勾选确认后再提交。")
            continue
        if not raw:
            if f.required:
                out.errors[f.name] = _("请填写%(label)s。") % {"label": f.label}
            continue
        if f.options is not None and raw not in {v for v, _label in f.options(case)}:
            out.errors[f.name] = _("请从列表中选择。")
        elif f.kind == "number":
            try:
                number = int(raw)
            except ValueError:
                out.errors[f.name] = _("请输入整数。")
                continue
            if (f.minimum is not None and number < f.minimum) or (f.maximum is not None and number > f.maximum):
                out.errors[f.name] = _("应在 %(a)s 到 %(b)s 之间。") % {"a": f.minimum, "b": f.maximum}
                continue
            out.data[f.name] = number
        else:
            out.data[f.name] = raw
    return out


def initial_values(action: str, case: Case) -> dict[str, Any]:
    return {f.name: f.default(case) for f in ACTION_FORMS[action].fields if f.default is not None}


def bound_fields(action: str, case: Case, values: Mapping, errors: Mapping, prefix: str) -> list[dict]:
    """What the template needs for each input: id, label, kind, options, value, error."""
    rows = []
    for f in ACTION_FORMS[action].fields:
        row = {"name": f.name, "id": f"{prefix}-{f.name}", "kind": f.kind, "label": f.label, "help": f.help,
               "required": f.required, "value": values.get(f.name, ""), "error": errors.get(f.name, ""),
               "minimum": f.minimum, "maximum": f.maximum}
        if f.options is not None:
            row["options"] = f.options(case)
        if f.kind == "missing":
            row["options"] = [(m.material_code, m.name) for m in case.materials.all()]
            row["value"] = values.get(f.name) or []
            row["other"] = values.get(f"{f.name}_other", "")
        rows.append(row)
    return rows


# --- the application form, masked ----------------------------------------------------------------

SENSITIVE_KINDS = {"id_number", "phone", "email", "address"}
# Plain text fields that hold the applicant's own name or address (by prefill hint or usual name).
_NAME_FIELDS = {"applicant_name", "name"}
_ADDRESS_FIELDS = {"applicant_address", "address"}
_MASKS: dict[str, Callable[[str], str]] = {
    "id_number": masking.mask_id_number, "phone": masking.mask_phone, "email": masking.mask_email,
    "name": masking.mask_name, "address": masking.mask_address,
}


def _personal(spec: formschema.FieldSpec) -> str:
    """Which kind of personal data a field holds ("" for none): decides masking."""
    if spec.kind in SENSITIVE_KINDS:
        return spec.kind
    if spec.kind in ("text", "textarea"):
        if spec.prefill == "profile.name" or (not spec.prefill and spec.name in _NAME_FIELDS):
            return "name"
        if spec.prefill == "profile.address" or (not spec.prefill and spec.name in _ADDRESS_FIELDS):
            return "address"
    return ""


class _Regions:
    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def name(self, code: str) -> str:
        if code not in self._names:
            region = Region.objects.filter(code=code).first()
            self._names[code] = f"{region.name}（{code}）" if region else code
        return self._names[code]


def _display(spec: formschema.FieldSpec, value: Any, regions: _Regions) -> str:
    if value is None or value == "":
        return ""
    if spec.kind == "checkbox":
        return _("是") if value is True else _("否")
    if spec.kind in formschema.OPTION_KINDS:
        values = value if isinstance(value, list) else [value]
        return "、".join(spec.option_label(v) for v in values)
    if spec.kind == "region_code":
        return regions.name(str(value))
    if spec.kind == "address" and isinstance(value, dict):
        region = regions.name(str(value.get("region_code") or "")) if value.get("region_code") else ""
        return " ".join(x for x in (region, str(value.get("detail") or "")) if x)
    if isinstance(value, list | dict):
        return "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def _masked(kind: str, value: Any, shown: str) -> str:
    if kind == "address" and isinstance(value, dict):  # the region stays readable, the street does not
        detail = str(value.get("detail") or "")
        return shown[: len(shown) - len(detail)] + masking.mask_address(detail, keep=2)
    return _MASKS[kind](shown)


def _row(spec: formschema.FieldSpec, value: Any, unmasked: bool, regions: _Regions) -> dict:
    if spec.kind == "group":
        entries = value if isinstance(value, list) else []
        return {"label": spec.label, "group": [[_row(c, e.get(c.name) if isinstance(e, dict) else None,
                                                      unmasked, regions) for c in spec.children]
                                                for e in entries]}
    shown = _display(spec, value, regions)
    kind = _personal(spec) if shown else ""
    return {"label": spec.label, "value": _masked(kind, value, shown) if kind and not unmasked else shown,
            "sensitive": bool(kind)}


def form_rows(case: Case, unmasked: bool = False) -> list[dict]:
    """The applicant's answers with the form's labels; names, ID numbers, phones, e-mail and
    street addresses masked unless ``unmasked`` (the caller audits that)."""
    version = case.item_version
    data = case.form_data if isinstance(case.form_data, dict) else {}
    regions = _Regions()
    sourced = case.field_sources if isinstance(case.field_sources, dict) else {}
    return [{**_row(spec, data.get(spec.name), unmasked, regions), "provenance": provenance(sourced.get(spec.name))}
            for spec in formschema.fields(version.form_schema or {}, version.form_ui or {})
            if spec.name in data]


def provenance(entry: dict | None) -> str:
    """Where an answer came from, for the clerk: the source that supplied it, or the applicant
    (with the reason when a source was asked and could not answer)."""
    if not isinstance(entry, dict):
        return _("申请人填写")
    if entry.get("ok"):
        return str(entry.get("label") or _("数据共享"))
    return _("申请人填写（%(label)s未能获取：%(note)s）") % {"label": entry.get("label") or _("数据共享"),
                                                       "note": entry.get("note") or "—"}


def has_sensitive(rows: list[dict]) -> bool:
    return any(r.get("sensitive") or any(has_sensitive(e) for e in r.get("group", [])) for r in rows)


# --- the process ---------------------------------------------------------------------------------


def process(case: Case, items: list[WorkItem]) -> list[dict]:
    """受理, the review steps of the workflow template, 办结, 送达 — each done, current or to come."""
    steps = [("accept", _("受理"))]
    steps += [(s.step, _(s.step_label)) for s in workflow.template_steps(case.workflow_template or "promised")]
    delivery = _("送达（电子送达）") if case.delivery_method == DeliveryMethod.ELECTRONIC else _("送达")
    steps += [("complete", _("办结")), ("deliver", delivery)]
    out = []
    for step, label in steps:
        mine = [w for w in items if w.step == step]
        open_ = [w for w in mine if w.status == WorkItem.Status.OPEN]
        done = any(w.status == WorkItem.Status.DONE for w in mine)
        if step == "deliver" and case.delivered_at:
            done = True
        state = "current" if open_ else "done" if done else "todo"
        out.append({"step": step, "label": label, "state": state,
                    "departments": sorted({w.department.name for w in open_})})
    return out
