"""Pages: 我的证照 (wallet, download, 用证授权, use log), the public 证照核验 page, the third
party's view under a grant, and the issuing department's 证照管理 in the workbench."""

from __future__ import annotations

import functools

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import identity_required
from yiwang.cases.models import Case
from yiwang.cases.policies import can_view
from yiwang.catalog.views import paged
from yiwang.certificates import issuing, lifecycle, policies, queries, use
from yiwang.certificates.api import MAX_VERIFY_UPLOAD, pdf_response
from yiwang.certificates.lifecycle import cert_fields
from yiwang.certificates.models import Certificate, UseGrant, UseRecord
from yiwang.certificates.verification import verify_pdf
from yiwang.core import audit, ratelimit
from yiwang.core.api import ApiError
from yiwang.core.identifiers import is_valid_certificate_identifier
from yiwang.core.text import strip_control

PAGE_SIZE = 20
SHARED_SESSION_KEY = "certificates.shared_grant"


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        detail = "；".join(str(v) for v in exc.fields.values())
        return f"{exc.message}{('（' + detail + '）') if detail else ''}"
    return str(exc) if exc.args else _("没有权限执行该操作。")


# --- holder ----------------------------------------------------------------------------------


# The wallet needs identity level 2 (实名核验).
wallet_user_required = identity_required("certificates/need_identity.html")


@wallet_user_required
def wallet(request):
    rows, total, pager = paged(request, queries.mine(request.user), PAGE_SIZE)
    return render(request, "certificates/wallet.html", {
        "rows": [(c, queries.public_status(c)) for c in rows], "total": total, "pagination": pager})


@wallet_user_required
def detail(request, certificate_id: int):
    cert = queries.held_by(request.user, certificate_id)
    if cert is None:
        raise Http404
    new_code = None
    if request.method == "POST":
        try:
            grant, code = use.create_grant(request.user, cert, purpose=request.POST.get("purpose", ""),
                                           hours=request.POST.get("hours", ""))
            link = f"{request.build_absolute_uri(reverse('certificates:shared'))}?code={use.format_code(code)}"
            new_code = (grant, use.format_code(code), segno.make_qr(link, error="m").svg_data_uri(scale=4))
        except (ApiError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
    grants = list(UseGrant.objects.filter(certificate=cert).order_by("-created_at")[:20])
    uses = list(UseRecord.objects.filter(certificate=cert).select_related("case")[:50])
    return render(request, "certificates/detail.html", {
        "cert": cert, "status": queries.public_status(cert), "fields": cert_fields(cert), "grants": grants,
        "uses": uses, "new_code": new_code, "now": timezone.now(), "max_hours": use.max_hours(), "max_purpose": use.MAX_PURPOSE,
        "shared_url": request.build_absolute_uri(reverse("certificates:shared")),
        "posted": request.POST if request.method == "POST" and new_code is None else {},
    }, status=400 if request.method == "POST" and new_code is None else 200)


@wallet_user_required
@require_POST
def revoke_grant(request, certificate_id: int, grant_id: int):
    cert = queries.held_by(request.user, certificate_id)
    grant = get_object_or_404(UseGrant, pk=grant_id, certificate=cert) if cert else None
    if grant is None:
        raise Http404
    try:
        use.revoke_grant(request.user, grant)
    except ApiError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已撤销该用证授权。"))
    return redirect("certificates:detail", certificate_id=cert.pk)


def _serve(request, cert: Certificate | None, *, inline: bool) -> HttpResponse:
    """The PDF for the holder, the issuing department's certificate staff, or staff of a case
    that fetched it. A staff view shows the full ID number: it is audited and listed in the
    holder's use records."""
    if cert is None or not policies.may_view_document(request.user, cert):
        raise Http404
    if not policies.is_holder(request.user, cert):
        UseRecord.objects.create(certificate=cert, kind=UseRecord.Kind.STAFF, user=request.user,
                                 purpose=_("工作人员查看（%(name)s）") % {"name": request.user.name or request.user.username},
                                 ip=(audit.current_ip.get() or "")[:64])
        audit.record("certificates.viewed", actor=request.user, obj=cert, summary=f"工作人员查看证照 {cert.identifier}")
    return pdf_response(cert, inline=inline)


@login_required
def document(request, certificate_id: int):
    cert = Certificate.objects.select_related("type").filter(pk=certificate_id).first()
    return _serve(request, cert, inline=request.GET.get("inline") == "1")


@login_required
def document_by_identifier(request):
    """The same, by identifier: what a clerk follows from a material 已自动获取 from the library."""
    identifier = request.GET.get("id", "")
    cert = None
    if is_valid_certificate_identifier(identifier):
        cert = Certificate.objects.select_related("type").filter(identifier=identifier).first()
    return _serve(request, cert, inline=True)


# --- public verification ---------------------------------------------------------------------


def verify(request):
    identifier = (request.GET.get("id") or "").strip()
    result, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        ip = audit.current_ip.get() or "unknown"  # the client behind trusted proxies (ClientIPMiddleware)
        if upload is None:
            error = _("请选择要核验的证照 PDF 文件。")
        elif upload.size > MAX_VERIFY_UPLOAD:
            error = _("文件不能超过 10 MB。")
        elif not ratelimit.hit("cert-verify-upload", ip, 120, 3600):
            error = _("核验过于频繁，请稍后再试。")
        else:
            result = verify_pdf(upload.read())
    elif identifier:
        if queries.lookup_allowed(audit.current_ip.get()):
            result = queries.verify_by_identifier(identifier)
        else:
            error = _("核验过于频繁，请稍后再试。")
    return render(request, "certificates/verify.html", {"identifier": identifier, "result": result, "error": error},
                  status=400 if error else 200)


def shared(request):
    """The third party enters the grant code (or scans the holder's QR code, which fills it in)
    and sees the certificate for the stated purpose. Looking up needs a POST: a code in a link
    is never used up by a link preview."""
    grant, error = None, ""
    if request.method == "POST":
        try:
            grant = use.lookup(request.POST.get("code", ""))
        except ApiError as exc:
            error = exc.message
        else:
            use.record_use(grant, user=request.user)
            request.session[SHARED_SESSION_KEY] = grant.pk
    result = queries.verify_by_identifier(grant.certificate.identifier) if grant else None
    prefill = use.format_code(use.normalise_code(request.GET.get("code", ""))[:use.CODE_LENGTH])
    return render(request, "certificates/shared.html", {"grant": grant, "result": result, "error": error,
                                                        "prefill": prefill},
                  status=400 if error else 200)


def shared_copy(request):
    """The watermarked copy, for the grant opened in this browser session while it is live."""
    grant = UseGrant.objects.select_related("certificate__type").filter(
        pk=request.session.get(SHARED_SESSION_KEY) or 0).first()
    if grant is None or grant.revoked_at is not None or grant.expires_at <= timezone.now() \
            or queries.public_status(grant.certificate) != queries.VALID:
        request.session.pop(SHARED_SESSION_KEY, None)
        return redirect("certificates:shared")
    use.record_use(grant, user=request.user)
    response = HttpResponse(use.watermarked_copy(grant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{grant.certificate.type.code}-copy.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- issuing department (workbench) --------------------------------------------------------------


def issuer_required(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policies.issuing_department_ids(request.user):
            raise PermissionDenied(_("您没有证照管理的权限。"))
        return view(request, *args, **kwargs)
    return wrapper


@issuer_required
def manage_list(request):
    q = strip_control(request.GET.get("q"))[:100]
    qs = policies.managed_certificates(request.user).select_related("type", "department")
    if q:
        qs = qs.filter(Q(identifier__icontains=q) | Q(holder_name__icontains=q) | Q(type__name__icontains=q))
    rows, total, pager = paged(request, qs.order_by("-issued_at", "-id"), PAGE_SIZE)
    return render(request, "certificates/manage_list.html", {
        "rows": [(c, queries.public_status(c)) for c in rows], "total": total, "pagination": pager, "q": q})


@issuer_required
def manage_detail(request, certificate_id: int):
    cert = get_object_or_404(policies.managed_certificates(request.user).select_related("type", "department", "previous"),
                             pk=certificate_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        reason = request.POST.get("reason", "")
        handler = {"revoke": lifecycle.revoke, "suspend": lifecycle.suspend, "resume": lifecycle.resume,
                   "renew": lifecycle.renew}.get(action)
        if handler is None or request.POST.get("confirm") != "1":
            messages.error(request, _("请选择操作并勾选确认。"))
        else:
            try:
                result = handler(request.user, cert, reason)
            except (ApiError, PermissionDenied) as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("已完成：%(a)s。") % {"a": dict(ACTIONS)[action]})
                return redirect("certificates:manage_detail", certificate_id=result.pk)
    return render(request, "certificates/manage_detail.html", {
        "cert": cert, "status": queries.public_status(cert), "fields": cert_fields(cert), "actions": ACTIONS,
        "may_manage": lifecycle.may_manage(request.user, cert),
        "uses": list(UseRecord.objects.filter(certificate=cert).select_related("case")[:50])})


ACTIONS = [("suspend", _("中止")), ("resume", _("恢复")), ("revoke", _("注销")), ("renew", _("换发"))]


@issuer_required
def manual_issue(request, case_id: int):
    case = get_object_or_404(Case.objects.select_related("item_version", "applicant", "enterprise"), pk=case_id)
    if not can_view(request.user, case):
        raise Http404
    cert_type = issuing.type_for_item(case.item_version)
    if request.method == "POST":
        if request.POST.get("confirm") != "1":
            messages.error(request, _("请勾选确认后再签发。"))
        else:
            try:
                cert = issuing.issue_by_hand(request.user, case, reason=request.POST.get("reason", ""))
            except (ApiError, PermissionDenied) as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("已签发 %(id)s。") % {"id": cert.identifier})
                return redirect("certificates:manage_detail", certificate_id=cert.pk)
    return render(request, "certificates/manual_issue.html", {
        "case": case, "cert_type": cert_type, "existing": Certificate.objects.filter(case=case).first()})
