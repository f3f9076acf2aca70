"""Read-only audit-log viewer for the audit administrator (三员分立)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from yiwang.accounts.policies import can
from yiwang.core import audit
from yiwang.core.models import AuditRecord


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@login_required
def audit_log_view(request):
    if not can(request.user, "audit.read"):
        raise PermissionDenied(_("仅审计管理员可查看审计日志。"))
    qs = AuditRecord.objects.order_by("-seq")
    q = {k: request.GET.get(k, "").strip() for k in ("action", "actor", "object_id", "since", "until")}
    if q["action"]:
        qs = qs.filter(action__startswith=q["action"])
    if q["actor"]:
        qs = qs.filter(actor_label=q["actor"])
    if q["object_id"]:
        qs = qs.filter(object_id=q["object_id"])
    if since := _date(q["since"]):
        qs = qs.filter(created_at__date__gte=since)
    if until := _date(q["until"]):
        qs = qs.filter(created_at__date__lte=until)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    integrity = audit.verify() if request.GET.get("verify") else None
    return render(request, "accounts/audit_log.html", {"page": page, "q": q, "integrity": integrity})
