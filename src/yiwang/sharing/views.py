"""Page: 我的数据使用记录 — every use of my data (and my enterprises' data) through the exchange:
who, when, why, which items, for which case; filter by resource, export as CSV."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.decorators import identity_required
from yiwang.catalog.views import paged
from yiwang.core.text import lookup_code
from yiwang.sharing import queries
from yiwang.sharing.models import Resource

PAGE_SIZE = 20


@identity_required("sharing/need_identity.html")
def my_records(request):
    rows = queries.records_about(queries.subject_ids_of(request.user))
    asked = request.GET.get("resource") or ""
    resource = lookup_code(asked)
    if resource:
        rows = rows.filter(resource__code=resource)
    elif asked.strip():  # a code no resource can have: nothing matches it
        rows = rows.none()
    if request.GET.get("format") == "csv":
        return _csv(rows)
    page, total, pager = paged(request, rows, PAGE_SIZE)
    return render(request, "sharing/my_records.html", {
        "rows": [{**queries.my_record_dict(r), "when": r.created_at} for r in page], "total": total,
        "pagination": pager, "resource": resource,
        "resources": Resource.objects.filter(active=True).order_by("code").values_list("code", "name")})


def _csv(rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-use-{timezone.localdate():%Y%m%d}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM correctly
    writer = csv.writer(response)
    writer.writerow([_("时间"), _("使用部门"), _("用途"), _("办件编号"), _("数据资源"), _("数据项")])
    for r in rows.iterator(chunk_size=500):
        d = queries.my_record_dict(r)
        writer.writerow([d["time"], d["consumer_department"], d["purpose"], d["case_number"] or "", d["resource"],
                         "、".join(d["items"])])
    return response
