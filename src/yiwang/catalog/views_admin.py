"""Back office for the catalogue (工作台 · 事项管理): items, drafts, review, publish, diff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.catalog import policies, rules, services
from yiwang.catalog.forms_admin import FeeFormSet, MaterialFormSet, NoteForm, VersionForm
from yiwang.catalog.models import ItemVersion, ServiceItem, VersionStatus
from yiwang.core.api import ApiError


def _item_for_editor(request, pk: int) -> ServiceItem:
    item = get_object_or_404(ServiceItem.objects.select_related("department", "current"), pk=pk)
    if not (policies.can_edit(request.user, item) or policies.is_catalogue_reviewer(request.user, item)):
        raise PermissionDenied(_("只能管理本部门的事项。"))
    return item


def _error_message(exc: ApiError) -> str:
    details = "；".join(f"{k}：{v}" for k, v in exc.fields.items())
    return f"{exc.message} {details}".strip()


@login_required
def item_list(request):
    qs = policies.items_editable_by(request.user).select_related("department", "current")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(current__name__icontains=q) | Q(base__name__icontains=q))
    page = Paginator(qs.order_by("department__code", "code"), 30).get_page(request.GET.get("page"))
    reviewable = policies.review_queue(request.user)
    return render(request, "catalog/admin/items.html", {"page": page, "q": q, "review_count": len(reviewable)})


@login_required
def item_detail(request, pk: int):
    item = _item_for_editor(request, pk)
    versions = list(item.versions.select_related("created_by", "published_by").order_by("-number"))
    diff = None
    a, b = request.GET.get("a"), request.GET.get("b")
    if a and b:
        va = get_object_or_404(ItemVersion, item=item, number=a)
        vb = get_object_or_404(ItemVersion, item=item, number=b)
        diff = {"a": va, "b": vb, "changes": services.diff(va, vb)}
    draft = next((v for v in versions if v.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)), None)
    problems = rules.check_version(draft) if draft and draft.status == VersionStatus.DRAFT else {}
    return render(request, "catalog/admin/item.html", {
        "item": item, "versions": versions, "draft": draft, "diff": diff, "problems": problems,
        "can_edit": policies.can_edit(request.user, item),
        "can_publish": bool(draft and draft.status == VersionStatus.IN_REVIEW and policies.can_publish(request.user, draft)),
    })


@login_required
@require_POST
def new_draft(request, pk: int):
    item = _item_for_editor(request, pk)
    try:
        version = services.new_draft(request.user, item)
        messages.success(request, _("已新建第 %(n)s 版草稿。") % {"n": version.number})
    except ApiError as exc:
        messages.error(request, _error_message(exc))
    return redirect("catalog_admin:item", pk=item.pk)


def _rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k not in ("DELETE", "id", "version")})
    return rows


@login_required
def edit_version(request, version_id: int):
    version = get_object_or_404(ItemVersion.objects.select_related("item__department"), pk=version_id)
    if not policies.can_edit(request.user, version.item):
        raise PermissionDenied(_("只能编辑本部门的事项。"))
    if version.status != VersionStatus.DRAFT:
        messages.error(request, _("只有草稿可以修改；已发布的版本不可更改，请新建版本。"))
        return redirect("catalog_admin:item", pk=version.item_id)
    form = VersionForm(request.POST or None, instance=version)
    materials = MaterialFormSet(request.POST or None, instance=version, prefix="materials")
    fees = FeeFormSet(request.POST or None, instance=version, prefix="fees")
    if request.method == "POST" and form.is_valid() and materials.is_valid() and fees.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.update_draft(request.user, version, changes, materials=_rows(materials), fees=_rows(fees))
        except ApiError as exc:
            for name, message in exc.fields.items():
                if name in form.fields:
                    form.add_error(name, message)
                else:
                    form.add_error(None, f"{name}：{message}")
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("catalog_admin:item", pk=version.item_id)
    return render(request, "catalog/admin/edit.html", {"form": form, "materials": materials, "fees": fees,
                                                        "version": version, "item": version.item})


@login_required
@require_POST
def submit_version(request, version_id: int):
    version = get_object_or_404(ItemVersion, pk=version_id)
    try:
        services.submit(request.user, version)
        messages.success(request, _("已提交审核。"))
    except ApiError as exc:
        messages.error(request, _error_message(exc))
    return redirect("catalog_admin:item", pk=version.item_id)


@login_required
def review_queue(request):
    versions = policies.review_queue(request.user)
    return render(request, "catalog/admin/review.html", {"versions": versions})


@login_required
def review_version(request, version_id: int):
    version = get_object_or_404(ItemVersion.objects.select_related("item"), pk=version_id)
    if not policies.is_catalogue_reviewer(request.user, version.item):
        raise PermissionDenied(_("只有平台管理员或目录审核人员可以审核。"))
    form = NoteForm(request.POST or None)
    previous = version.item.current
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("decision") == "publish":
                services.publish(request.user, version)
                messages.success(request, _("已发布第 %(n)s 版。") % {"n": version.number})
            else:
                services.return_to_draft(request.user, version, form.cleaned_data["note"])
                messages.success(request, _("已退回修改。"))
            return redirect("catalog_admin:review")
        except ApiError as exc:
            form.add_error(None, _error_message(exc))
    return render(request, "catalog/admin/review_version.html", {
        "version": version, "form": form, "previous": previous,
        "changes": services.diff(previous, version) if previous else None,
        "own_edit": request.user.pk in policies.authors(version),
    })
