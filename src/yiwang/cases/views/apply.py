"""在线办理: start or resume the draft of an item, fill the server-rendered form, upload materials,
submit with the declaration (承诺), and the printable receipt (回执) with the query password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from yiwang.accounts.models import User, VerificationLevel
from yiwang.accounts.policies import enterprises_of
from yiwang.cases import applying, bundles, queries
from yiwang.cases.forms import EnterpriseChoiceForm, bind, error_summary, prefill
from yiwang.cases.models import Case
from yiwang.cases.status import CaseStatus
from yiwang.cases.views.common import (
    ACCEPT,
    case_name,
    case_view,
    material_rows,
    problem,
    split_errors,
    upload_files,
    upload_limit_text,
)
from yiwang.catalog import codes as catalog_codes
from yiwang.catalog import formschema
from yiwang.core.api import ApiError, Conflict


def _open_draft(user, item, enterprise) -> Case | None:
    """The applicant's own unfinished draft of this item (for this enterprise), to resume."""
    return (Case.objects.filter(applicant=user, item=item, status=CaseStatus.DRAFT, proxy_agent__isnull=True,
                                registered_by__isnull=True, enterprise=enterprise)
            .order_by("-updated_at", "-id").first())


def _start(request, item, enterprise=None, principal=None):
    """Resume the open draft or make one. The idempotency key counts the applicant's earlier cases
    of the item, so two tabs opened at once make one draft, and a new one can follow a submission.
    With ``principal`` the user is a proxy agent applying for that citizen (帮办代办)."""
    if principal is not None:
        case = (Case.objects.filter(applicant=principal, proxy_agent=request.user, item=item,
                                    status=CaseStatus.DRAFT).order_by("-updated_at", "-id").first())
    else:
        case = _open_draft(request.user, item, enterprise)
    if case is None:
        applicant = principal or request.user
        earlier = Case.objects.filter(applicant=applicant, item=item, enterprise=enterprise).count()
        key = f"web-apply:{item.code}:{enterprise.pk if enterprise else 0}:{request.user.pk}:{earlier}"
        try:
            case, _created = applying.create_draft(request.user, item.code, {}, idempotency_key=key,
                                                   enterprise=enterprise, on_behalf_of=principal)
        except PermissionDenied:
            return problem(request, _("无法申请"), _("只能以您担任法定代表人或经办人的单位名义申请。"), 403)
        except ApiError as exc:
            return problem(request, _("无法申请"), exc.message, exc.status)
        if case.status != CaseStatus.DRAFT:  # the key's case was submitted in another tab meanwhile
            return redirect("cases:detail", case.pk)
    return redirect("cases:draft", case.pk)


@login_required
def apply(request, item_code: str):
    """GET resumes or creates the draft of a personal item; an enterprise item first asks which
    enterprise the user applies for (POST)."""
    try:
        item = applying.published_item(item_code)
    except ApiError as exc:
        return problem(request, _("事项不存在"), exc.message, 404, link=reverse("catalog:list"),
                       link_text=_("返回事项目录"))
    if request.user.level < VerificationLevel.IDENTITY:
        return render(request, "cases/need_identity.html", {"item": item}, status=403)
    if not catalog_codes.is_online_capable(item.current.online_depth):
        return problem(request, _("暂不支持网上申请"), _("本事项暂不支持网上申请，请到办理地点的窗口办理。"), 409,
                       link=reverse("catalog:guide", args=[item.code]), link_text=_("查看办事指南"))
    if not applying.is_legal_person_item(item):
        principals = [p for p in queries.proxy_principals(request.user)
                      if p["all_items"] or item.code in p["item_codes"]]
        chosen = request.GET.get("for", "")
        if chosen.isdigit() and any(p["user_id"] == int(chosen) for p in principals):
            return _start(request, item, principal=User.objects.get(pk=int(chosen)))
        if principals and chosen != "self":
            return render(request, "cases/choose_applicant.html", {"item": item, "principals": principals})
        return _start(request, item)
    enterprises = list(enterprises_of(request.user).order_by("name"))
    form = EnterpriseChoiceForm(request.POST or None, enterprises=enterprises,
                                initial={"enterprise": enterprises[0].pk} if len(enterprises) == 1 else None)
    if request.method == "POST" and form.is_valid():
        chosen = next(e for e in enterprises if e.pk == form.cleaned_data["enterprise"])
        return _start(request, item, chosen)
    status = 400 if form.errors else 200
    return render(request, "cases/choose_enterprise.html", {"item": item, "form": form, "enterprises": enterprises},
                  status=status)


def _render_draft(request, case: Case, specs, data: dict, *, form_errors=None, material_errors=None,
                  other_errors=None, declared: bool = False, status: int = 200):
    bound = bind(specs, data, form_errors or {}, sourced=case.field_sources)
    summary = error_summary(bound, form_errors or {}) if form_errors else []
    mats = material_rows(case, material_errors)
    summary += [{"label": r["material"].name, "message": r["error"], "anchor": r["slot"]} for r in mats if r["error"]]
    other = dict(other_errors or {})
    if "declaration" in other:
        summary.append({"label": _("申请人承诺"), "message": other["declaration"], "anchor": "declaration"})
    summary += [{"label": "", "message": m, "anchor": ""} for k, m in other.items() if k != "declaration"]
    is_bundle = bool(case.bundle_id and case.parent_id is None)
    return render(request, "cases/draft.html", {
        "case": case, "version": case.item_version,
        "title": case.bundle.name if is_bundle else case.item_version.name,
        "bundle_items": bundles.member_items(case.bundle) if is_bundle else [], "fields": bound, "summary": summary,
        "materials": mats, "declared": declared, "declaration_error": other.get("declaration", ""),
        "accept": ACCEPT, "upload_limit": upload_limit_text(),
        "autosave_url": f"/api/v1/cases/{case.pk}/form",
    }, status=status)


@never_cache
@login_required
@case_view()
def draft(request, case: Case):
    """The draft: one multipart form; every button saves what was typed first (保存草稿 always
    saves, even invalid answers), then uploads the chosen files, then does its own action."""
    if case.status != CaseStatus.DRAFT:
        return redirect("cases:detail", case.pk)
    schema, ui = applying.form_of(case)
    specs = formschema.fields(schema, ui)
    if request.method != "POST":
        data = prefill(specs, case.form_data, request.user, case.enterprise) \
            if request.user.pk == case.applicant_id else case.form_data
        return _render_draft(request, case, specs, data)

    action = request.POST.get("action", "save")
    data = formschema.coerce(schema, ui, request.POST)
    declared = request.POST.get("declaration") == "yes"
    try:
        case = applying.save_form(request.user, case, data)
    except Conflict:
        messages.info(request, _("该申请已提交，不能再修改草稿。"))
        return redirect("cases:detail", case.pk)
    material_errors = upload_files(request, case)
    if action.startswith("defer:"):
        code = action.removeprefix("defer:")
        try:
            applying.defer_material(request.user, case, code)
        except ApiError as exc:
            material_errors[code] = exc.message
    if material_errors:
        return _render_draft(request, case, specs, data, material_errors=material_errors, declared=declared,
                             other_errors={"__all__": _("有文件未能上传，其他内容已保存。")}, status=400)
    if action == "submit":
        try:
            case = applying.submit(request.user, case, declaration=declared)
        except ApiError as exc:
            form_errors, mat_errors, other = split_errors(exc.fields)
            if not exc.fields:
                other = {"__all__": exc.message}
            return _render_draft(request, case, specs, data, form_errors=form_errors, material_errors=mat_errors,
                                 other_errors=other, declared=declared, status=400)
        messages.success(request, _("申请已提交，请保存或打印回执。"))
        return redirect("cases:receipt", case.pk)
    if action == "upload" and not any(k.startswith("file-") for k in request.FILES):
        messages.warning(request, _("请先选择要上传的文件。草稿已保存。"))
    elif action.startswith("defer:"):
        messages.success(request, _("已选择容缺后补，受理后请在规定时间内补交。草稿已保存。"))
    elif action == "upload":
        messages.success(request, _("材料已上传，草稿已保存。"))
    else:
        messages.success(request, _("草稿已保存，可随时在“我的办件”中继续填写。"))
    return redirect(f"{reverse('cases:draft', args=[case.pk])}{_anchor(action)}")


def _anchor(action: str) -> str:
    if action.startswith("defer:") or action == "upload":
        return "#materials"
    return ""


@never_cache
@login_required
@case_view()
def receipt(request, case: Case):
    """申报回执: for the applicant (and their proxy agent) only — it shows the query password."""
    if case.status == CaseStatus.DRAFT:
        return redirect("cases:draft", case.pk)
    return render(request, "cases/receipt.html", {"case": case, "case_name": case_name(case),
                                                  "materials": material_rows(case)})


@login_required
def bundle_apply(request, bundle_code: str):
    """一件事一次申请: one merged form and material list; submitting opens a case per item."""
    try:
        bundle = bundles.published_bundle(bundle_code)
        items = bundles.member_items(bundle)
    except ApiError as exc:
        return problem(request, _("一件事不存在"), exc.message, 404, link=reverse("catalog:bundles"),
                       link_text=_("返回一件事列表"))
    if request.user.level < VerificationLevel.IDENTITY:
        return render(request, "cases/need_identity.html", {"item": items[0]}, status=403)
    enterprise = None
    if applying.is_legal_person_item(items[0]):
        enterprises = list(enterprises_of(request.user).order_by("name"))
        form = EnterpriseChoiceForm(request.POST or None, enterprises=enterprises,
                                    initial={"enterprise": enterprises[0].pk} if len(enterprises) == 1 else None)
        if not (request.method == "POST" and form.is_valid()):
            return render(request, "cases/choose_enterprise.html",
                          {"item": items[0], "bundle": bundle, "form": form, "enterprises": enterprises},
                          status=400 if form.errors else 200)
        enterprise = next(e for e in enterprises if e.pk == form.cleaned_data["enterprise"])
    draft = (Case.objects.filter(applicant=request.user, bundle=bundle, parent__isnull=True, status=CaseStatus.DRAFT,
                                 enterprise=enterprise).order_by("-updated_at").first())
    if draft is None:
        earlier = Case.objects.filter(applicant=request.user, bundle=bundle, parent__isnull=True).count()
        key = f"web-bundle:{bundle.code}:{enterprise.pk if enterprise else 0}:{earlier}"
        try:
            draft, _created = bundles.create_bundle_draft(request.user, bundle.code, {}, idempotency_key=key,
                                                          enterprise=enterprise)
        except PermissionDenied:
            return problem(request, _("无法申请"), _("只能以您担任法定代表人或经办人的单位名义申请。"), 403)
        except ApiError as exc:
            return problem(request, _("无法申请"), exc.message, exc.status)
    return redirect("cases:draft", draft.pk)
