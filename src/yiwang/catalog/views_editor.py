"""Form editor (工作台 · 申请表单编辑): fields of a draft version's application form.

Every page works without JavaScript (``catalog/editor.js`` only hides inputs that do not apply to
the chosen field kind). Changes are computed with :mod:`yiwang.catalog.formeditor` and saved through
:func:`yiwang.catalog.services.update_form`, which checks permission and status, audits and saves.
Forms carry a ``revision`` (a hash of the form definition they were built from) so two people editing
the same draft do not silently overwrite each other.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from yiwang.catalog import formeditor, formschema, policies, services
from yiwang.catalog.formeditor import AT_START, FormEditError
from yiwang.catalog.formschema import KIND_LABELS, KINDS, OPTION_KINDS, FieldSpec
from yiwang.catalog.models import ItemVersion
from yiwang.catalog.models.items import EDITABLE_STATUSES
from yiwang.core.api import ApiError

TEXT_KINDS = ("text", "textarea")
# Which inputs of the field form apply to which kinds (the rest are removed / hidden by JS).
INPUT_KINDS = {
    "options": OPTION_KINDS,
    "max_length": TEXT_KINDS,
    "minimum": ("number",),
    "maximum": ("number",),
    "integer": ("number",),
    "placeholder": ("text", "textarea", "number", "id_number", "uscc", "phone", "email"),
}


# ---------------------------------------------------------------------------------------------
# forms
# ---------------------------------------------------------------------------------------------


class _FieldInputs(forms.Form):
    label = forms.CharField(label=gettext_lazy("显示名称"), max_length=formeditor.MAX_LABEL,
                            help_text=gettext_lazy("申请人看到的字段名称，如“申请人姓名”。"))
    required = forms.BooleanField(label=gettext_lazy("必填"), required=False)
    help = forms.CharField(label=gettext_lazy("填写说明"), required=False, max_length=formeditor.MAX_HELP,
                           widget=forms.Textarea(attrs={"rows": 2}))
    placeholder = forms.CharField(label=gettext_lazy("输入提示（输入框内的示例文字）"), required=False,
                                  max_length=formeditor.MAX_LABEL)
    options = forms.CharField(
        label=gettext_lazy("可选项"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("每行一项，格式为“值|显示名称”，如 married|已婚；只写显示名称时值与名称相同。"),
    )
    max_length = forms.IntegerField(label=gettext_lazy("最多字数"), required=False, min_value=1,
                                    max_value=formeditor.MAX_TEXT_LENGTH)
    minimum = forms.FloatField(label=gettext_lazy("最小值"), required=False)
    maximum = forms.FloatField(label=gettext_lazy("最大值"), required=False)
    integer = forms.BooleanField(label=gettext_lazy("只允许整数"), required=False)
    revision = forms.CharField(widget=forms.HiddenInput, required=False)

    def mark_kinds(self) -> None:
        for name, kinds in INPUT_KINDS.items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-kinds"] = " ".join(kinds)


class AddFieldForm(_FieldInputs):
    kind = forms.ChoiceField(label=gettext_lazy("字段类型"), choices=())
    name = forms.CharField(
        label=gettext_lazy("字段名（英文）"), max_length=40,
        help_text=gettext_lazy("小写英文字母开头，只含小写字母、数字和下划线，如 applicant_name；添加后不能修改。"),
    )
    after = forms.ChoiceField(label=gettext_lazy("插入位置"), required=False, choices=())
    field_order = ["kind", "name", "label", "required", "help", "placeholder", "options", "max_length", "minimum",
                   "maximum", "integer", "after", "revision"]

    def __init__(self, *args, siblings: list[FieldSpec], in_group: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for k in KINDS if not (in_group and k == "group")]
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in kinds]
        self.fields["after"].choices = [("", _("放在最后")), (AT_START, _("放在最前"))] + [
            (s.name, _("放在“%(label)s”之后") % {"label": s.label}) for s in siblings
        ]
        self.fields["kind"].widget.attrs["data-kind-select"] = "1"
        self.mark_kinds()


class EditFieldForm(_FieldInputs):
    kind = forms.ChoiceField(label=gettext_lazy("控件"), required=False, choices=())
    depends_on = forms.ChoiceField(label=gettext_lazy("显示条件：仅当字段"), required=False, choices=())
    equals = forms.CharField(
        label=gettext_lazy("取值为"), required=False, max_length=formeditor.MAX_OPTION,
        help_text=gettext_lazy("下拉或单选字段填写可选项的值或显示名称；勾选框填写“是”或“否”。不设条件时此字段始终显示。"),
    )
    field_order = ["label", "kind", "required", "help", "placeholder", "options", "max_length", "minimum",
                   "maximum", "integer", "depends_on", "equals", "revision"]

    def __init__(self, *args, spec: FieldSpec, siblings: list[FieldSpec], **kwargs):
        super().__init__(*args, **kwargs)
        kind = spec.kind
        family = next((fam for fam in formeditor.WIDGET_FAMILIES if kind in fam), None)
        if family:
            self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in KINDS if k in family]
        else:
            del self.fields["kind"]
        for name, kinds in INPUT_KINDS.items():
            if kind not in kinds and not (family and family & set(kinds)):
                del self.fields[name]
        candidates = [s for s in siblings if s.name != spec.name and s.kind in formeditor.CONDITION_KINDS]
        self.fields["depends_on"].choices = [("", _("（无条件，始终显示）"))] + [
            (s.name, f"{s.label}（{s.name}）") for s in candidates
        ]
        if kind == "group":
            self.fields["required"].label = _("必填（至少填写一组）")
        self.mark_kinds()


class DeleteFieldForm(forms.Form):
    revision = forms.CharField(widget=forms.HiddenInput, required=False)


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def revision(version: ItemVersion) -> str:
    payload = json.dumps([version.form_schema, version.form_ui], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _load(request, version_id: int) -> ItemVersion:
    version = get_object_or_404(
        ItemVersion.objects.select_related("item__department", "item__region", "item__base"), pk=version_id
    )
    if not policies.can_edit(request.user, version.item):
        raise PermissionDenied(_("只能编辑本部门事项的申请表单。"))
    return version


def _editable(version: ItemVersion) -> bool:
    return version.status in EDITABLE_STATUSES


def _form_url(version: ItemVersion, anchor: str = "") -> str:
    url = reverse("catalog_editor:form", args=[version.pk])
    return f"{url}#{anchor}" if anchor else url


def _anchor(path: str) -> str:
    return "field-" + path.replace(".", "-")


def _locked(request, version: ItemVersion) -> HttpResponseRedirect:
    messages.error(request, _("只有草稿可以修改；本版本状态为“%(status)s”，表单只读。") % {
        "status": version.get_status_display()})
    return HttpResponseRedirect(_form_url(version))


def _stale(request, version: ItemVersion) -> bool:
    sent = request.POST.get("revision", "")
    return bool(sent) and sent != revision(version)


STALE_MESSAGE = gettext_lazy("表单已被其他人修改，请查看最新内容后重新操作。")


def _save(request, version: ItemVersion, schema: dict, ui: dict) -> ApiError | None:
    try:
        services.update_form(request.user, version, schema, ui)
    except ApiError as exc:
        return exc
    except ValidationError as exc:  # other elements of the draft are incomplete: say so, no 500
        fields = {k: "；".join(str(m) for m in v) for k, v in getattr(exc, "message_dict", {}).items()}
        return ApiError("invalid_version", _("本草稿的其他要素未通过校验，请先在事项页面补全。"),
                        fields or {"__all__": "；".join(str(m) for m in exc.messages)})
    return None


def _field_name(path: str) -> str:
    try:
        return str(ItemVersion._meta.get_field(path).verbose_name)
    except FieldDoesNotExist:  # a form field path, not an element of the version
        return path


def _api_error_text(exc: ApiError) -> list[str]:
    return [exc.message] + [f"{_field_name(path)}：{message}" for path, message in exc.fields.items()]


def _attach(form: forms.Form, exc: FormEditError) -> None:
    for key, message in exc.fields.items():
        if key in form.fields:
            form.add_error(key, message)
        else:
            form.add_error(None, message)


def _siblings(version: ItemVersion, group: str | None) -> list[FieldSpec]:
    specs = formschema.fields(version.form_schema, version.form_ui)
    if group is None:
        return specs
    spec = next((s for s in specs if s.name == group and s.kind == "group"), None)
    if spec is None:
        raise Http404(_("重复分组不存在。"))
    return spec.children


def _find(version: ItemVersion, path: str) -> tuple[FieldSpec, list[FieldSpec]]:
    specs = formschema.fields(version.form_schema, version.form_ui)
    group, _dot, name = path.rpartition(".")
    siblings = specs
    if group:
        parent = next((s for s in specs if s.name == group and s.kind == "group"), None)
        siblings = parent.children if parent else []
    spec = next((s for s in siblings if s.name == name), None)
    if spec is None:
        raise Http404(_("字段不存在。"))
    return spec, siblings


def _condition_text(spec: FieldSpec, siblings: list[FieldSpec]) -> str:
    cond = spec.condition
    if cond is None:
        return ""
    dep = next((s for s in siblings if s.name == cond.field), None)
    if dep is None:
        return _("当“%(field)s”为“%(value)s”时显示") % {"field": cond.field, "value": cond.equals}
    if isinstance(cond.equals, bool):
        value = _("已勾选") if cond.equals else _("未勾选")
        return _("当“%(field)s”%(value)s时显示") % {"field": dep.label, "value": value}
    return _("当“%(field)s”为“%(value)s”时显示") % {"field": dep.label, "value": dep.option_label(cond.equals)}


def _annotate(specs: list[FieldSpec]) -> None:
    """Attach the readable display condition (``condition_text``) to every field and child."""
    for spec in specs:
        spec.condition_text = _condition_text(spec, specs)
        _annotate(spec.children)


def _page(request, version: ItemVersion, template: str, context: dict[str, Any], status: int = 200):
    base = {"version": version, "item": version.item, "editable": _editable(version),
            "revision": revision(version)}
    return render(request, template, {**base, **context}, status=status)


def _add_form(version: ItemVersion, data=None, group: str | None = None) -> AddFieldForm:
    return AddFieldForm(data, siblings=_siblings(version, group), in_group=group is not None,
                        initial={"revision": revision(version), "kind": "text"})


# ---------------------------------------------------------------------------------------------
# views
# ---------------------------------------------------------------------------------------------


@login_required
def form(request, version_id: int):
    """The form's fields in order, with move/edit/delete, an add-field form, a preview and JSON."""
    version = _load(request, version_id)
    specs = formschema.fields(version.form_schema, version.form_ui)
    _annotate(specs)
    return _page(request, version, "catalog/editor/form.html", {
        "specs": specs,
        "problems": formschema.check_schema(version.form_schema, version.form_ui),
        "add_form": _add_form(version) if _editable(version) else None,
        "schema_json": json.dumps(version.form_schema, ensure_ascii=False, indent=2),
        "ui_json": json.dumps(version.form_ui, ensure_ascii=False, indent=2),
    })


@login_required
@require_http_methods(["GET", "POST"])
def add_field(request, version_id: int):
    version = _load(request, version_id)
    if not _editable(version):
        return _locked(request, version)
    group = (request.POST.get("group") if request.method == "POST" else request.GET.get("group")) or None
    group_spec = None
    if group is not None:
        group_spec = next((s for s in formschema.fields(version.form_schema, version.form_ui)
                           if s.name == group and s.kind == "group"), None)
        if group_spec is None:
            raise Http404(_("重复分组不存在。"))
    if request.method == "GET":
        add_form = _add_form(version, group=group)
    else:
        data = request.POST.copy()
        stale = _stale(request, version)
        data["revision"] = revision(version)
        add_form = _add_form(version, data, group=group)
        if stale:
            add_form.is_valid()
            add_form.add_error(None, STALE_MESSAGE)
        elif add_form.is_valid():
            cd = add_form.cleaned_data
            try:
                schema, ui = formeditor.add_field(
                    version.form_schema, version.form_ui, cd["kind"], cd["name"], cd["label"], cd["required"],
                    cd["help"], cd["options"], cd["after"] or None, group=group, max_length=cd["max_length"],
                    minimum=cd["minimum"], maximum=cd["maximum"], integer=cd["integer"],
                    placeholder=cd["placeholder"],
                )
            except FormEditError as exc:
                _attach(add_form, exc)
            else:
                error = _save(request, version, schema, ui)
                if error is None:
                    messages.success(request, _("已添加字段“%(label)s”。") % {"label": cd["label"]})
                    path = f"{group}.{cd['name']}" if group else cd["name"]
                    return HttpResponseRedirect(_form_url(version, _anchor(path)))
                for text in _api_error_text(error):
                    add_form.add_error(None, text)
    title = (_("在“%(group)s”中添加子字段") % {"group": group_spec.label}) if group_spec else _("添加字段")
    return _page(request, version, "catalog/editor/field_form.html", {
        "form": add_form, "title": title, "group": group, "adding": True,
        "action": reverse("catalog_editor:add_field", args=[version.pk]),
    }, status=200 if request.method == "GET" else 400)


@login_required
@require_http_methods(["GET", "POST"])
def edit_field(request, version_id: int, name: str):
    version = _load(request, version_id)
    spec, siblings = _find(version, name)
    if not _editable(version):
        return _locked(request, version)
    state = formeditor.field_state(version.form_schema, version.form_ui, spec.path)
    initial = {**state, "revision": revision(version)}
    if request.method == "GET":
        edit_form = EditFieldForm(initial=initial, spec=spec, siblings=siblings)
    else:
        data = request.POST.copy()
        stale = _stale(request, version)
        data["revision"] = revision(version)
        edit_form = EditFieldForm(data, initial=initial, spec=spec, siblings=siblings)
        if stale:
            edit_form.is_valid()
            edit_form.add_error(None, STALE_MESSAGE)
        elif edit_form.is_valid():
            cd = edit_form.cleaned_data
            changes = {k: cd[k] for k in formeditor.UPDATABLE if k in cd}
            try:
                schema, ui = formeditor.update_field(version.form_schema, version.form_ui, spec.path, **changes)
                if cd.get("depends_on"):
                    schema, ui = formeditor.set_condition(schema, ui, spec.path, cd["depends_on"], cd["equals"])
                else:
                    schema, ui = formeditor.clear_condition(schema, ui, spec.path)
            except FormEditError as exc:
                _attach(edit_form, exc)
            else:
                error = _save(request, version, schema, ui)
                if error is None:
                    messages.success(request, _("已保存字段“%(label)s”。") % {"label": cd["label"]})
                    return HttpResponseRedirect(_form_url(version, _anchor(spec.path)))
                for text in _api_error_text(error):
                    edit_form.add_error(None, text)
    return _page(request, version, "catalog/editor/field_form.html", {
        "form": edit_form, "spec": spec, "adding": False,
        "title": _("编辑字段“%(label)s”") % {"label": spec.label},
        "action": reverse("catalog_editor:edit_field", args=[version.pk, spec.path]),
    }, status=200 if request.method == "GET" else 400)


@login_required
@require_POST
def move_field(request, version_id: int):
    version = _load(request, version_id)
    if not _editable(version):
        return _locked(request, version)
    name = request.POST.get("name", "")
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        direction = request.POST.get("position", "")
    if _stale(request, version):
        messages.error(request, STALE_MESSAGE)
        return HttpResponseRedirect(_form_url(version))
    try:
        schema, ui = formeditor.move_field(version.form_schema, version.form_ui, name, direction)
    except FormEditError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(_form_url(version))
    error = _save(request, version, schema, ui)
    if error is not None:
        messages.error(request, " ".join(_api_error_text(error)))
    return HttpResponseRedirect(_form_url(version, _anchor(name)))


@login_required
@require_http_methods(["GET", "POST"])
def delete_field(request, version_id: int, name: str):
    """A confirmation page; the field is removed only by its POST."""
    version = _load(request, version_id)
    spec, _siblings = _find(version, name)
    if not _editable(version):
        return _locked(request, version)
    error_text: list[str] = []
    if request.method == "POST":
        if _stale(request, version):
            error_text = [str(STALE_MESSAGE)]
        else:
            try:
                schema, ui = formeditor.remove_field(version.form_schema, version.form_ui, spec.path)
            except FormEditError as exc:
                error_text = [exc.message]
            else:
                error = _save(request, version, schema, ui)
                if error is None:
                    messages.success(request, _("已删除字段“%(label)s”。") % {"label": spec.label})
                    return HttpResponseRedirect(_form_url(version))
                error_text = _api_error_text(error)
    return _page(request, version, "catalog/editor/delete_field.html", {
        "spec": spec, "errors": error_text, "form": DeleteFieldForm(initial={"revision": revision(version)}),
    }, status=400 if error_text else 200)
