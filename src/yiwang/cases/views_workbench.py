"""Staff pages of cases (工作台): the worklist with claim/release, the case page with its action
forms, the material viewer and the 电子监察 board. Reads go through ``queries``/``policies``/
``supervision``, writes through ``handling``; every refusal of a case is audited."""

from __future__ import annotations

import functools
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yiwang.accounts.policies import departments_scope, holds, staff_roles
from yiwang.accounts.roles import Role
from yiwang.cases import deadlines, handling, policies, queries, supervision
from yiwang.cases import workbench_forms as wf
from yiwang.cases.models import Case, CaseMaterial, WorkItem
from yiwang.cases.status import Warning
from yiwang.catalog.models import ServiceItem
from yiwang.core import audit, workdays
from yiwang.core.api import ApiError, Conflict
from yiwang.core.masking import mask_name
from yiwang.org.models import Department

PAGE_SIZE = 20

TABS = {"todo": gettext_lazy("待办"), "done": gettext_lazy("已办"), "warning": gettext_lazy("预警"), "overdue": gettext_lazy("超期")}
STEP_LABELS = {"accept": gettext_lazy("受理"), "accept_instant": gettext_lazy("即办"), "undertake": gettext_lazy("承办"), "review": gettext_lazy("审核"),
               "approve": gettext_lazy("批准"), "joint_review": gettext_lazy("联审"), "decide": gettext_lazy("决定"), "complete": gettext_lazy("办结"),
               "deliver": gettext_lazy("送达")}
STEP_ROLES = {"accept": {Role.WINDOW_CLERK}, "accept_instant": {Role.WINDOW_CLERK}, "undertake": {Role.UNDERTAKER},
              "review": {Role.REVIEWER}, "approve": {Role.APPROVER}, "joint_review": {Role.REVIEWER},
              "decide": {Role.APPROVER}, "complete": {Role.UNDERTAKER, Role.WINDOW_CLERK},
              "deliver": {Role.WINDOW_CLERK}}
# Who handles cases has a worklist and may see the personal data in them (audited); supervisors
# and leaders see it masked.
HANDLING_ROLES = {Role.WINDOW_CLERK, Role.UNDERTAKER, Role.REVIEWER, Role.APPROVER}
CLOCK_PAUSED = queries.CLOCK_PAUSED
MATERIAL_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "ofd": "application/ofd"}
INLINE_KINDS = {"pdf", "jpg", "png"}
_NUMBER = re.compile(r"^[0-9]{4,50}$")


# --- access --------------------------------------------------------------------------------------


def is_case_staff(user) -> bool:
    return policies.is_case_staff(user)


def forbidden(request, message: str = ""):
    return render(request, "cases/workbench/forbidden.html",
                  {"message": message or _("您没有办件工作台的权限。")} | _nav(request), status=403)


def staff_required(view):
    """Logged in (the staff second factor is enforced by middleware) and holding a case role."""
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_case_staff(request.user):
            return forbidden(request)
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, str(exc) if exc.args else "")
    return wrapper


def has_worklist(user) -> bool:
    return bool({r.role for r in staff_roles(user)} & HANDLING_ROLES)


def _nav(request) -> dict:
    user = request.user
    return {"can_supervise": supervision.can_supervise(user), "is_case_staff": is_case_staff(user),
            "has_worklist": has_worklist(user),
            "can_walk_in": any(r.role == Role.WINDOW_CLERK for r in staff_roles(user))}


def _visible_case(request, case_id: int) -> Case:
    """The case if this staff member may see it; otherwise the attempt is audited and refused."""
    case = get_object_or_404(Case.objects.select_related(
        "item", "item_version", "department", "accepting_department", "applicant", "enterprise", "proxy_agent"),
        pk=case_id)
    allowed = policies.can_view(request.user, case)
    if allowed and policies.is_party(request.user, case):  # staff pages show staff scope only
        allowed = policies.cases_for_staff(request.user).filter(pk=case.pk).exists()
    if not allowed:
        audit.record("case.access_denied", actor=request.user, obj=case, summary="无权访问办件（工作台）",
                     data={"path": request.path[:200]})
        raise PermissionDenied(_("无权访问该办件。"))
    return case


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target.startswith("/workbench/cases/") and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --- worklist ------------------------------------------------------------------------------------


def _deadline(case: Case) -> dict:
    rem = queries.remaining(case)
    return {"remaining": rem, "overdue_days": -rem if rem is not None and rem < 0 else None,
            "level": deadlines.warning_level(rem), "paused": case.status in CLOCK_PAUSED}


def _applicant(case: Case) -> str:
    name = mask_name(case.applicant.name) if case.applicant.name else _("（未实名）")
    return f"{case.enterprise.name}（{name}）" if case.enterprise_id else name


def _action_label(action: str) -> str:
    spec = wf.ACTION_FORMS.get(action)
    return str(spec.label) if spec else action


def _worklist_departments(user):
    held = [r.department_id for r in staff_roles(user) if r.department_id]
    if any(r.region_id for r in staff_roles(user)):
        return departments_scope(user).order_by("region_id", "code")
    return Department.objects.filter(pk__in=held).order_by("region_id", "code")


def _search(qs, q: str):
    if _NUMBER.match(q):
        return qs.filter(case__number=q) if len(q) == 20 else qs.filter(case__number__startswith=q)
    return qs.filter(Q(case__applicant__name=q) | Q(case__enterprise__name__icontains=q))


@staff_required
@require_GET
def worklist(request):
    user = request.user
    if not has_worklist(user) and supervision.can_supervise(user):
        return redirect("cases_workbench:board")
    tab = request.GET.get("status", "todo")
    tab = tab if tab in TABS else "todo"
    base = queries.worklist(user, tab)
    roles = {r.role for r in staff_roles(user)}
    steps = [(s, label) for s, label in STEP_LABELS.items() if STEP_ROLES[s] & roles] or list(STEP_LABELS.items())
    depts = list(_worklist_departments(user))
    f = {k: request.GET.get(k, "").strip()[:50] for k in ("step", "department", "item", "q")}
    qs = base
    if f["step"] in STEP_LABELS:
        qs = qs.filter(step=f["step"])
    dept = next((d for d in depts if str(d.pk) == f["department"]), None)
    if dept is not None:
        qs = qs.filter(department=dept)
    item_ids = list(base.values_list("case__item_id", flat=True).distinct().order_by()[:200])
    items = list(ServiceItem.objects.filter(pk__in=item_ids).select_related("current").order_by("code"))
    if f["item"].isdigit() and int(f["item"]) in item_ids:
        qs = qs.filter(case__item_id=int(f["item"]))
    if f["q"]:
        qs = _search(qs, f["q"])
    qs = qs.select_related("case__applicant", "case__enterprise", "assignee")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    with workdays.shared_session():
        rows = [{"wi": wi, "case": wi.case, "applicant": _applicant(wi.case), "deadline": _deadline(wi.case),
                 "mine": wi.assignee_id == user.pk, "action_label": _action_label(wi.action),
                 "can_claim": wi.status == WorkItem.Status.OPEN and holds(user, wi.role, wi.department)}
                for wi in page]
    counts = {t: queries.worklist(user, t).count() for t in ("todo", "warning", "overdue")}
    params = {k: v for k, v in f.items() if v} | {"status": tab}
    return render(request, "cases/workbench/worklist.html", {
        "tab": tab, "tab_label": TABS[tab], "tabs": TABS, "counts": counts, "page": page, "rows": rows,
        "filters": f, "steps": steps, "departments": depts, "items": items,
        "query": urlencode(params), "filtered": any(f.values()), "here": request.get_full_path(),
    } | _nav(request))


def _work_item_for(request, item_id: int) -> tuple[WorkItem, Case]:
    wi = get_object_or_404(WorkItem.objects.select_related("department"), pk=item_id)
    case = _visible_case(request, wi.case_id)
    wi.case = case
    return wi, case


def _claim_or_release(request, item_id: int, release: bool):
    wi, _case = _work_item_for(request, item_id)
    try:
        if release:
            handling.release(request.user, wi)
            messages.success(request, _("已退签“%(step)s”，该待办回到部门队列。") % {"step": wi.step_label})
        else:
            handling.claim(request.user, wi)
            messages.success(request, _("已签收“%(step)s”（办件 %(n)s）。") % {"step": wi.step_label, "n": wi.case.number})
    except Conflict as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        audit.record("case.claim_denied", actor=request.user, obj=wi.case, summary=f"无权签收 {wi.step_label}")
        raise
    return redirect(_back(request, reverse("cases_workbench:worklist")))


@staff_required
@require_POST
def claim(request, item_id: int):
    return _claim_or_release(request, item_id, release=False)


@staff_required
@require_POST
def release(request, item_id: int):
    return _claim_or_release(request, item_id, release=True)


# --- case page -----------------------------------------------------------------------------------


def _action_panels(request, case: Case, items: list[WorkItem], form_state: dict | None) -> list[dict]:
    """The open work items this user may act on, each with its action forms."""
    panels = []
    for wi in items:
        if wi.status != WorkItem.Status.OPEN or not holds(request.user, wi.role, wi.department):
            continue
        taken = bool(wi.assignee_id and wi.assignee_id != request.user.pk)
        forms = []
        for action in handling.actions_for(wi):
            spec = wf.ACTION_FORMS.get(action)
            if spec is None or (action in wf.APPROVER_ACTIONS and not holds(request.user, Role.APPROVER, wi.department)):
                continue
            failed = bool(form_state and form_state["work_item"] == wi.pk and form_state["action"] == action)
            values = form_state["values"] if failed else wf.initial_values(action, case)
            errors = form_state["errors"] if failed else {}
            prefix = f"act-{wi.pk}-{action}"
            forms.append({"action": action, "spec": spec, "id": prefix, "failed": failed,
                          "message": form_state["message"] if failed else "",
                          "fields": wf.bound_fields(action, case, values, errors, prefix),
                          "other_errors": {k: v for k, v in errors.items()
                                           if k not in {f.name for f in spec.fields}}})
        if forms and not any(f["failed"] for f in forms):
            forms[0]["open"] = True
        panels.append({"wi": wi, "taken": taken, "mine": wi.assignee_id == request.user.pk, "forms": forms})
    return panels


def _case_page(request, case: Case, *, unmasked: bool = False, form_state: dict | None = None, status: int = 200):
    items = list(case.work_items.select_related("department", "assignee", "completed_by").order_by("id"))
    rows = wf.form_rows(case, unmasked=unmasked)
    timeline = list(case.timeline.select_related("department"))
    for t in timeline:  # the applicant's own steps (申报, 补正提交, 撤回) name them: masked like the header
        party = t.actor_id is not None and t.actor_id == case.applicant_id
        t.actor_display = mask_name(t.actor_label) if party and not unmasked else t.actor_label
    return render(request, "cases/workbench/case.html", {
        "case": case, "applicant": _applicant(case), "deadline": _deadline(case),
        "proxy": mask_name(case.proxy_agent.name) if case.proxy_agent_id else "",
        "form_rows": rows, "unmasked": unmasked,
        "can_unmask": not unmasked and wf.has_sensitive(rows) and has_worklist(request.user),
        "has_errors": bool(form_state),
        "materials": list(case.materials.all()), "inline_kinds": INLINE_KINDS,
        "timeline": timeline,
        "process": wf.process(case, items), "open_items": [w for w in items if w.status == WorkItem.Status.OPEN],
        "panels": _action_panels(request, case, items, form_state),
    } | _nav(request), status=status)


@staff_required
@require_GET
def case_detail(request, case_id: int):
    return _case_page(request, _visible_case(request, case_id))


@staff_required
@require_POST
def unmask(request, case_id: int):
    """显示完整信息: this response only shows the personal data in full; the access is audited."""
    case = _visible_case(request, case_id)
    if not has_worklist(request.user):
        audit.record("case.unmask_denied", actor=request.user, obj=case, summary=f"{case.number} 无权查看完整信息")
        raise PermissionDenied(_("监察人员只能查看脱敏后的个人信息。"))
    audit.record("case.unmask", actor=request.user, obj=case, summary=f"{case.number} 查看申请表完整个人信息")
    return _case_page(request, case, unmasked=True)


@staff_required
@require_GET
def material(request, case_id: int, material_id: int):
    """A material's file, streamed from storage (never the web root) after the permission check."""
    case = _visible_case(request, case_id)
    m = get_object_or_404(CaseMaterial, pk=material_id, case=case)
    if not m.file:
        raise Http404
    kind = m.content_kind if m.content_kind in MATERIAL_TYPES else ""
    inline = kind in INLINE_KINDS and request.GET.get("download") != "1"
    try:
        handle = m.file.open("rb")
    except (OSError, SuspiciousFileOperation, ValueError) as exc:
        raise Http404 from exc
    audit.record("case.material_viewed", actor=request.user, obj=case,
                 summary=f"{case.number} {'查看' if inline else '下载'}材料 {m.name}",
                 data={"material": m.material_code, "inline": inline})
    filename = f"{case.number}-{m.name}.{kind or 'bin'}"
    response = FileResponse(handle, as_attachment=not inline, filename=filename,
                            content_type=MATERIAL_TYPES.get(kind, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = ("default-src 'none'; img-src 'self'; frame-ancestors 'none'" if inline
                                           else "default-src 'none'; sandbox")
    return response


@staff_required
@require_POST
def act(request, item_id: int):
    wi, case = _work_item_for(request, item_id)
    back = reverse("cases_workbench:case", args=[case.pk])
    action = request.POST.get("action", "")
    if wi.status != WorkItem.Status.OPEN:
        messages.error(request, _("该待办已办理完毕（可能已由他人办理），请查看最新进度。"))
        return redirect(back)
    if action not in wf.ACTION_FORMS or action not in handling.actions_for(wi):
        messages.error(request, _("该环节不能执行此操作。"))
        return redirect(back)
    parsed = wf.parse(action, request.POST, case)
    state = {"work_item": wi.pk, "action": action, "values": parsed.values, "errors": parsed.errors,
             "message": _("请修改标注的内容后再提交。")}
    if parsed.errors:
        return _case_page(request, case, form_state=state, status=400)
    try:
        handling.act(request.user, wi, action, parsed.data)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(back)
    except ApiError as exc:
        state["errors"], state["message"] = dict(exc.fields), exc.message
        return _case_page(request, Case.objects.get(pk=case.pk), form_state=state,
                          status=exc.status if 400 <= exc.status < 500 else 400)
    except PermissionDenied:
        audit.record("case.act_denied", actor=request.user, obj=case, summary=f"无权办理 {wi.step_label}")
        raise
    label = wf.ACTION_FORMS[action].label
    messages.success(request, _("“%(step)s”已办理：%(action)s。") % {"step": wi.step_label, "action": label})
    return redirect(back)


# --- 电子监察 --------------------------------------------------------------------------------------


@staff_required
@require_GET
def board(request):
    user = request.user
    if not supervision.can_supervise(user):
        return forbidden(request, _("电子监察仅对监察人员和领导开放。"))
    depts = list(supervision.departments(user))
    f = {k: request.GET.get(k, "").strip()[:20] for k in ("department", "level")}
    dept = next((d for d in depts if str(d.pk) == f["department"]), None)
    level = f["level"] if f["level"] in supervision.LEVELS else ""
    counts = supervision.counts_by_department(user)
    page = Paginator(supervision.flagged(user, level, dept), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"case": c, "deadline": _deadline(c)} for c in page]
    params = {k: v for k, v in (("department", dept.pk if dept else ""), ("level", level)) if v}
    return render(request, "cases/workbench/board.html", {
        "counts": counts, "totals": {"warning": sum(r["warning"] for r in counts),
                                     "overdue": sum(r["overdue"] for r in counts)},
        "page": page, "rows": rows, "departments": depts, "department": dept, "level": level,
        "levels": [(Warning.WARNING, _("黄灯预警")), (Warning.OVERDUE, _("红灯超期"))],
        "query": urlencode(params),
    } | _nav(request))
