"""我的办件: the applicant's list, a case's detail (status, deadline, who handles it, timeline,
materials, notices), re-supplying what a 补正 notice asked for, and withdrawal (撤回)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.cases import deadlines, handling, policies, queries
from yiwang.cases.forms import WithdrawForm
from yiwang.cases.models import Case, CaseMaterial, TimelineEntry, WorkItem
from yiwang.cases.status import TERMINAL, WITHDRAWABLE, CaseStatus
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
from yiwang.cases.views.notices import available_notices, with_material_names
from yiwang.catalog.views import paged
from yiwang.core.api import ApiError

PAGE_SIZE = 20
DONE = TERMINAL | {CaseStatus.COMPLETED}
GROUPS = {
    "active": gettext_lazy("办理中"),
    "done": gettext_lazy("已办结"),
    "draft": gettext_lazy("草稿"),
}


def _open_items():
    return Prefetch("work_items", queryset=WorkItem.objects.filter(status=WorkItem.Status.OPEN)
                    .select_related("department").order_by("id"), to_attr="open_items")


def _filtered(user, group: str):
    qs = policies.cases_for_applicant(user)
    if group == "draft":
        qs = qs.filter(status=CaseStatus.DRAFT)
    elif group == "done":
        qs = qs.filter(status__in=DONE)
    elif group == "active":
        qs = qs.exclude(status__in=DONE | {CaseStatus.DRAFT})
    return qs


def _deadline(case: Case) -> dict:
    rem = queries.remaining(case)
    return {"remaining": rem, "warning": deadlines.warning_level(rem) if rem is not None else "",
            "overdue_days": -rem if rem is not None and rem < 0 else 0}


@login_required
def mine(request):
    group = request.GET.get("status", "")
    if group not in GROUPS:
        group = ""
    qs = (_filtered(request.user, group).select_related("item_version", "department", "bundle")
          .prefetch_related(_open_items()).order_by("-created_at", "-id"))
    page, total, pager = paged(request, qs, PAGE_SIZE)
    rows = [{"case": c, "name": case_name(c), **_deadline(c)} for c in page]
    return render(request, "cases/mine.html", {
        "rows": rows, "total": total, "group": group, "groups": GROUPS.items(), "pagination": pager,
    })


def _correction_entry(case: Case) -> TimelineEntry | None:
    return case.timeline.filter(status_to=CaseStatus.CORRECTION_REQUESTED).order_by("-id").first()


def _to_resupply(case: Case, entry: TimelineEntry) -> set[str]:
    """Upload slots while in 补正: the materials the notice names, and any required one still missing."""
    named = {m.material_code for m in case.materials.all()
             if re.search(rf"(?<![A-Za-z0-9]){re.escape(m.material_code)}(?![A-Za-z0-9])", entry.opinion)}
    missing = {m.material_code for m in case.materials.all()
               if m.required and m.status == CaseMaterial.Status.MISSING}
    return named | missing


def _children(case: Case) -> list[Case]:
    """A 一件事 parent's child cases, each with its status and who handles it now."""
    if not case.bundle_id or case.parent_id is not None:
        return []
    return list(case.children.select_related("item_version", "department").prefetch_related(_open_items())
                .order_by("id"))


def _render_detail(request, case: Case, *, material_errors=None, errors=None, status: int = 200):
    open_items = list(case.work_items.filter(status=WorkItem.Status.OPEN).select_related("department"))
    correcting = case.status == CaseStatus.CORRECTION_REQUESTED
    entry = _correction_entry(case) if correcting else None
    return render(request, "cases/detail.html", {
        "case": case, "case_name": case_name(case), **_deadline(case),
        "open_items": open_items, "children": _children(case),
        "timeline": case.timeline.select_related("department"),
        "materials": material_rows(case),
        "correction": entry,
        "correction_items": [x for x in with_material_names(case, entry.opinion).split("；") if x.strip()]
        if entry else [],
        "correction_slots": material_rows(case, material_errors, only=_to_resupply(case, entry)) if entry else [],
        "errors": errors or [],
        "withdrawable": case.status in WITHDRAWABLE,
        "notices": available_notices(case),
        "accept": ACCEPT, "upload_limit": upload_limit_text(),
    }, status=status)


@login_required
@case_view()
def detail(request, case: Case):
    if case.status == CaseStatus.DRAFT:
        return redirect("cases:draft", case.pk)
    return _render_detail(request, case)


@login_required
@case_view()
def correction(request, case: Case):
    """补正: upload the materials the notice named, then 提交补正 sends the case back to the window."""
    if request.method != "POST":
        return redirect("cases:detail", case.pk)
    if case.status != CaseStatus.CORRECTION_REQUESTED:
        messages.info(request, _("该办件当前不需要补正。"))
        return redirect("cases:detail", case.pk)
    material_errors = upload_files(request, case)
    if material_errors:
        return _render_detail(request, case, material_errors=material_errors,
                              errors=[_("有文件未能上传，请按提示重新选择。")], status=400)
    if request.POST.get("action") != "resupply":
        messages.success(request, _("材料已上传。全部补齐后请点击“提交补正”。"))
        return redirect(reverse("cases:detail", args=[case.pk]) + "#correction")
    try:
        handling.resupply(request.user, case)
    except ApiError as exc:
        _form, mats, _other = split_errors(exc.fields)
        return _render_detail(request, case, material_errors=mats, errors=[exc.message], status=exc.status)
    messages.success(request, _("补正材料已提交，等待窗口重新审核。"))
    return redirect("cases:detail", case.pk)


@login_required
@case_view()
def withdraw(request, case: Case):
    """撤回 with a confirmation step (a page with a checkbox, so it works without JavaScript)."""
    if case.status not in WITHDRAWABLE:
        messages.info(request, _("该办件当前状态“%(s)s”不能撤回。") % {"s": case.get_status_display()})
        return redirect("cases:detail", case.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handling.withdraw(request.user, case, form.cleaned_data["reason"])
        except ApiError as exc:
            return problem(request, _("不能撤回"), exc.message, exc.status,
                           link=reverse("cases:detail", args=[case.pk]), link_text=_("返回办件详情"))
        messages.success(request, _("申请已撤回。"))
        return redirect("cases:detail", case.pk)
    return render(request, "cases/withdraw.html", {"case": case, "case_name": case_name(case), "form": form},
                  status=400 if form.errors else 200)
