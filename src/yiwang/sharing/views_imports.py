"""Page: 数据导入 of a platform-hosted resource — the provider's data steward uploads a CSV /
XLSX / JSON file, sees the validation report or the counts, and the history of batches; plus the
CSV template with the header row. Everybody else gets 403 (checked here and in the service)."""

from __future__ import annotations

import csv
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from yiwang.catalog.views import paged
from yiwang.core.api import ApiError
from yiwang.core.text import lookup_code
from yiwang.sharing import imports
from yiwang.sharing.models import ImportBatch, Resource

PAGE_SIZE = 20


def type_labels() -> dict[str, str]:
    return {"string": _("文本（不超过 500 字）"), "date": _("日期（YYYY-MM-DD）"), "integer": _("整数"),
            "number": _("数字"), "boolean": _("是/否")}


def _steward_resource(request, code: str) -> Resource:
    code = lookup_code(code)
    if not code:
        raise Http404
    resource = get_object_or_404(Resource.objects.select_related("provider"), code=code)
    if not imports.may_import(request.user, resource):
        raise PermissionDenied(_("只有提供部门的数据管理员可以导入该资源的数据。"))
    return resource


def _field_labels(resource: Resource) -> dict[str, str]:
    labels = {str(i.get("name")): str(i.get("label") or i.get("name")) for i in resource.items or []}
    return {**labels, imports.SUBJECT: imports.subject_label(resource), imports.ACTION: _("操作")}


@login_required
def import_page(request, code: str):
    resource = _steward_resource(request, code)
    hosted = resource.backing == Resource.Backing.HOSTED
    status = 200
    if request.method == "POST":
        batch, status = _upload(request, resource)
        if batch is not None:
            return redirect(f"{reverse('sharing:import', args=[resource.code])}?batch={batch.pk}")
    history = imports.batches(request.user, resource)
    shown = None
    wanted = request.GET.get("batch") or ""
    if re.fullmatch(r"[0-9]{1,12}", wanted):
        shown = history.filter(pk=int(wanted)).first()
    rows, total, pager = paged(request, history, PAGE_SIZE)
    labels = _field_labels(resource)
    report = [{**e, "label": labels.get(e.get("field"), e.get("field") or "—")} for e in (shown.errors if shown else [])]
    return render(request, "sharing/imports/page.html", {
        "resource": resource, "hosted": hosted, "shown": shown, "report": report, "batches": rows, "total": total,
        "pagination": pager, "subject_label": imports.subject_label(resource), "items": _items(resource),
        "max_mb": imports.max_bytes() // (1024 * 1024), "max_rows": imports.max_rows()}, status=status)


def _items(resource: Resource) -> list[dict[str, str]]:
    kinds = type_labels()
    return [{"name": str(i.get("name")), "label": str(i.get("label") or ""),
             "type": kinds.get(str(i.get("type") or "string"), str(i.get("type")))} for i in resource.items or []]


def _upload(request, resource: Resource) -> tuple[ImportBatch | None, int]:
    """Run one upload; the batch (applied or rejected) or None and the status to show the form with."""
    upload = request.FILES.get("file")
    if resource.backing != Resource.Backing.HOSTED:
        messages.error(request, _("该资源不在平台托管，不能导入数据。"))
        return None, 409
    if upload is None:
        messages.error(request, _("请选择要导入的文件。"))
        return None, 400
    if request.POST.get("confirm") != "1":
        messages.error(request, _("请勾选确认后再导入。"))
        return None, 400
    try:
        if upload.size > imports.max_bytes():
            raise imports.too_large()
        batch = imports.import_file(request.user, resource, upload.read(imports.max_bytes() + 1),
                                    filename=upload.name or "")
    except ApiError as exc:
        messages.error(request, exc.message)
        return None, exc.status
    if batch.status == ImportBatch.Status.APPLIED:
        messages.success(request, _("已导入 %(n)s 行：新增 %(c)s，更新 %(u)s，删除 %(d)s。") % {
            "n": batch.rows_total, "c": batch.rows_created, "u": batch.rows_updated, "d": batch.rows_deleted})
    else:
        messages.error(request, _("有 %(n)s 处错误，未导入任何数据。请按校验报告修改后重新上传。") % {"n": batch.error_count})
    return batch, 200


@login_required
def import_template(request, code: str) -> HttpResponse:
    """The CSV template: a UTF-8 header row (with a BOM, so Excel shows the Chinese correctly)."""
    resource = _steward_resource(request, code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stem = re.sub(r"[^A-Za-z0-9_-]", "", resource.code) or "import"
    response["Content-Disposition"] = f'attachment; filename="{stem}-template.csv"'
    response.write("\ufeff")
    csv.writer(response).writerow(imports.template_header(resource))
    return response
