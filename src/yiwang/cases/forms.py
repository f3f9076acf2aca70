"""Forms of the applicant pages.

The application form (申请表) is not a Django form: it is rendered on the server from the item's
published JSON Schema and UI hints (``catalog.formschema``), posted as flat names
(``members-0-name``, ``address-detail``) and turned back into JSON by ``formschema.coerce``. This
module binds the draft's answers and the validation messages to the field specs for the templates,
and prefills empty fields from the applicant's own profile. The small fixed forms (progress query,
withdrawal, enterprise choice) are ordinary Django forms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.cases import sources
from yiwang.catalog.formschema import FieldSpec


def html_value(value: Any) -> str:
    """How a JSON value is written in an HTML input (what ``formschema.coerce`` reads back)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Choice:
    value: str
    label: str
    checked: bool
    id: str


@dataclass
class BoundField:
    """One field of the application form with its current answer and message."""

    spec: FieldSpec
    name: str  # flat HTML name
    path: str  # where validation messages point (``members.0.name``)
    id: str
    label: str  # for the error summary (a group child's label names its row)
    value: Any = None
    error: str = ""
    condition_text: str = ""
    show_field: str = ""  # flat name of the field that controls this one's display
    show_value: str = ""
    parts: list[BoundField] = field(default_factory=list)  # address
    rows: list[list[BoundField]] = field(default_factory=list)  # group
    # The case's record of where this field's answer came from (cases.Case.field_sources entry)
    sourced: dict[str, Any] = field(default_factory=dict)

    @property
    def from_source(self) -> bool:
        """Answered by a source (数据共享): shown read-only, kept by the server whatever is posted."""
        return bool(self.sourced.get("ok"))

    @property
    def source_note(self) -> str:
        """Why a field with a source must be typed by hand (the source refused or was down)."""
        return "" if self.from_source else str(self.sourced.get("note") or "")

    @property
    def display_text(self) -> str:
        """The answer as the applicant reads it (an option's label rather than its code)."""
        if self.spec.options:
            return self.spec.option_label(self.value) or self.text
        if isinstance(self.value, dict) and "detail" in self.value:
            return str(self.value.get("detail") or "")
        return self.text

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def text(self) -> str:
        return html_value(self.value)

    @property
    def checked(self) -> bool:
        return self.value is True

    @property
    def choices(self) -> list[Choice]:
        current = self.value if isinstance(self.value, list) else [self.value]
        chosen = {html_value(v) for v in current if v is not None}
        return [Choice(html_value(o.value), o.label, html_value(o.value) in chosen, f"{self.id}-{n}")
                for n, o in enumerate(self.spec.options, start=1)]

    @property
    def input_type(self) -> str:
        return {"date": "date", "number": "text", "email": "email", "phone": "tel"}.get(self.kind, "text")

    @property
    def inputmode(self) -> str:
        if self.kind == "number":
            return "numeric" if self.spec.integer else "decimal"
        return {"phone": "tel", "region_code": "numeric", "id_number": "text"}.get(self.kind, "")

    @property
    def autocomplete(self) -> str:
        return {"profile.name": "name", "profile.phone": "tel", "profile.address": "street-address"}.get(
            sources.profile_key(self.spec), "")

    @property
    def is_fieldset(self) -> bool:
        return self.kind in ("group", "address", "radio", "checkboxes")

    @property
    def described_by(self) -> str:
        ids = []
        if self.spec.help:
            ids.append(f"{self.id}-help")
        if self.condition_text:
            ids.append(f"{self.id}-cond")
        if self.source_note:
            ids.append(f"{self.id}-source")
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    def walk(self):
        yield self
        for part in self.parts:
            yield from part.walk()
        for row in self.rows:
            for child in row:
                yield from child.walk()


def _condition_text(spec: FieldSpec, siblings: list[FieldSpec]) -> str:
    cond = spec.condition
    if cond is None:
        return ""
    dep = next((s for s in siblings if s.name == cond.field), None)
    label = dep.label if dep else cond.field
    if isinstance(cond.equals, bool):
        state = _("勾选") if cond.equals else _("未勾选")
        return _("“%(field)s”%(state)s时填写") % {"field": label, "state": state}
    value = dep.option_label(cond.equals) if dep else html_value(cond.equals)
    return _("“%(field)s”选择“%(value)s”时填写") % {"field": label, "value": value}


def _bind(spec: FieldSpec, value: Any, errors: dict[str, str], *, name: str, path: str, label: str,
          siblings: list[FieldSpec], sibling_prefix: str) -> BoundField:
    bound = BoundField(spec=spec, name=name, path=path, id=f"f-{name}", label=label, value=value,
                       error=errors.get(path, ""), condition_text=_condition_text(spec, siblings))
    if spec.condition is not None:
        bound.show_field = f"{sibling_prefix}{spec.condition.field}"
        bound.show_value = html_value(spec.condition.equals)
    if spec.kind == "address":
        data = value if isinstance(value, dict) else {}
        bound.parts = [_bind(part, data.get(part.name), errors, name=f"{name}-{part.name}",
                             path=f"{path}.{part.name}", label=f"{label} · {part.label}", siblings=[],
                             sibling_prefix="") for part in spec.children]
    elif spec.kind == "group":
        rows = [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
        count = len(rows) + 1  # one blank row to add another without JavaScript
        if spec.max_items is not None:
            count = min(count, max(int(spec.max_items), len(rows), 1))
        for i in range(count):
            row = rows[i] if i < len(rows) else {}
            row_label = _("%(group)s 第%(n)s组") % {"group": label, "n": i + 1}
            bound.rows.append([
                _bind(child, row.get(child.name), errors, name=f"{name}-{i}-{child.name}",
                      path=f"{path}.{i}.{child.name}", label=f"{row_label} · {child.label}",
                      siblings=spec.children, sibling_prefix=f"{name}-{i}-")
                for child in spec.children
            ])
    return bound


def bind(specs: list[FieldSpec], data: dict, errors: dict[str, str] | None = None,
         sourced: dict[str, Any] | None = None) -> list[BoundField]:
    """The form's fields with the draft's answers and the messages keyed by path (``members.0.name``);
    ``sourced`` is the case's ``field_sources`` (answers from shared data and their provenance)."""
    data = data if isinstance(data, dict) else {}
    bound = [_bind(s, data.get(s.name), errors or {}, name=s.name, path=s.name, label=s.label, siblings=specs,
                   sibling_prefix="") for s in specs]
    for b in bound:
        entry = (sourced or {}).get(b.spec.name)
        if isinstance(entry, dict):
            b.sourced = entry
    return bound


def error_summary(bound: list[BoundField], errors: dict[str, str]) -> list[dict]:
    """WCAG error summary: each message linked to its field; messages with no field come first."""
    items = []
    known = set()
    for top in bound:
        for b in top.walk():
            known.add(b.path)
            if b.error:
                items.append({"label": b.label, "message": b.error, "anchor": _anchor(b)})
    loose = [{"label": "", "message": m, "anchor": ""} for k, m in errors.items() if k not in known]
    return loose + items


def _anchor(b: BoundField) -> str:
    if b.parts:
        return b.parts[0].id
    if b.kind in ("radio", "checkboxes") and b.spec.options:
        return f"{b.id}-1"
    if b.rows:
        return _anchor(b.rows[0][0]) if b.rows[0] else b.id
    return b.id


# --- prefill from the applicant's profile -------------------------------------------------------


def prefill(specs: list[FieldSpec], data: dict, user, enterprise=None) -> dict:
    """A copy of ``data`` with empty top-level fields filled by the registered form-field sources
    (the applicant's profile first). Only for the applicant's own form: it holds decrypted values."""
    return sources.prefill(user, enterprise, specs, dict(data) if isinstance(data, dict) else {})


# --- fixed forms --------------------------------------------------------------------------------


class ProgressForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("办件编号"), max_length=50,
                             error_messages={"required": gettext_lazy("请填写办件编号。")})
    password = forms.CharField(label=gettext_lazy("查询密码"), max_length=20,
                               error_messages={"required": gettext_lazy("请填写查询密码。")},
                               widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["number"].help_text = _("见申报回执，如 37081220261124000001。")
        self.fields["password"].help_text = _("申报回执上的 6 位查询密码。")


class ResendForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("需补发短信的办件号"), max_length=50,
                             error_messages={"required": gettext_lazy("请填写办件编号。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.auto_id = "resend_%s"  # two forms on one page: keep the ids apart


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤回理由（选填）"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=gettext_lazy("我确认撤回本次申请，撤回后不能恢复"),
                                 error_messages={"required": gettext_lazy("请勾选确认后再撤回。")})


class EnterpriseChoiceForm(forms.Form):
    enterprise = forms.TypedChoiceField(label=gettext_lazy("以哪个单位的名义申请"), coerce=int,
                                        widget=forms.RadioSelect,
                                        error_messages={"required": gettext_lazy("请选择单位。"),
                                                        "invalid_choice": gettext_lazy("请选择您可以代表的单位。")})

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(e.pk, f"{e.name}（{e.uscc}）") for e in enterprises]
