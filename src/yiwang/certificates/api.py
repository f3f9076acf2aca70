"""Certificates API: public keys, log heads and proofs, verification (public); the holder's
wallet, downloads and use authorisations; the issuing department's lifecycle actions."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from yiwang.accounts.apiauth import api_auth
from yiwang.accounts.models import VerificationLevel
from yiwang.cases.models import Case
from yiwang.cases.policies import can_view
from yiwang.certificates import issuing, keys, lifecycle, log, policies, queries, use
from yiwang.certificates.models import Certificate, UseRecord
from yiwang.certificates.verification import verify_pdf
from yiwang.core import audit, ratelimit
from yiwang.core.api import ApiError, Forbidden, NotFound, RateLimited, paginate
from yiwang.core.identifiers import is_valid_certificate_identifier

router = Router(tags=["certificates"])
MAX_VERIFY_UPLOAD = 10 * 1024 * 1024


@router.get("/certificates/keys", summary="证照签名与日志树头签名公钥（离线核验用）")
def public_keys(request):
    return keys.published()


@router.get("/certificates/log/sth", summary="最新签名树头")
def signed_tree_head(request):
    head = log.latest_head() or log.sign_head()
    return log.head_dict(head)


@router.get("/certificates/log/proof", summary="包含证明（identifier 或 index+tree_size）或一致性证明（first+second）")
def log_proof(request, identifier: str = "", index: int | None = None, tree_size: int | None = None,
              first: int | None = None, second: int | None = None):
    head = log.latest_head()
    if head is None:
        raise NotFound("empty_log", _("日志为空。"))
    try:
        if first is not None:
            second = head.tree_size if second is None else second
            target = log.head_at(second)
            if target is None:
                raise ApiError("validation_error", _("没有该大小的签名树头。"), {"second": _("请使用已发布的树头大小")})
            return {"consistency_proof": {"first": first, "second": second, "hashes": log.consistency(first, second)},
                    "tree_head": log.head_dict(target)}
        if identifier:
            if not queries.lookup_allowed(audit.current_ip.get()):
                raise RateLimited("rate_limited", _("核验过于频繁，请稍后再试。"))
            cert = Certificate.objects.filter(identifier=identifier.strip()).first() \
                if is_valid_certificate_identifier(identifier.strip()) else None
            if cert is None or cert.log_index is None:
                raise NotFound("not_found", _("平台未签发过该证照标识。"))
            index = cert.log_index
        if index is None:
            raise ApiError("validation_error", _("请提供证照标识、序号或两个树的大小。"), {"identifier": _("必填其一")})
        target = log.head_at(tree_size) if tree_size is not None else head
        if target is None:
            raise ApiError("validation_error", _("没有该大小的签名树头。"), {"tree_size": _("请使用已发布的树头大小")})
        return {"inclusion_proof": {"leaf_index": index, "tree_size": target.tree_size,
                                    "hashes": log.inclusion(index, target.tree_size)},
                "tree_head": log.head_dict(target)}
    except ValueError as exc:
        raise ApiError("validation_error", str(exc), {"index": str(exc)}) from exc


@router.get("/certificates/verify", summary="按证照标识核验")
def verify(request, id: str = ""):
    if not id.strip():
        raise ApiError("validation_error", _("请提供证照标识。"), {"id": _("此项为必填项。")})
    if not queries.lookup_allowed(audit.current_ip.get()):
        raise RateLimited("rate_limited", _("核验过于频繁，请稍后再试。"))
    return queries.verify_by_identifier(id)


@router.post("/certificates/verify", summary="上传证照 PDF 核验")
def verify_upload(request, file: File[UploadedFile]):
    if file.size and file.size > MAX_VERIFY_UPLOAD:
        raise ApiError("validation_error", _("文件不能超过 10 MB。"), {"file": _("文件过大")})
    ip = audit.current_ip.get() or "unknown"  # the client behind trusted proxies (ClientIPMiddleware)
    if not ratelimit.hit("cert-verify-upload", ip, 120, 3600):
        raise RateLimited("rate_limited", _("核验过于频繁，请稍后再试。"))
    return verify_pdf(file.read())


def _wallet_user(request):
    """The wallet is for identity level 2 (实名核验) only."""
    if request.auth.level < VerificationLevel.IDENTITY:
        raise Forbidden("identity_required", _("查看和使用电子证照须先完成实名核验。"))
    return request.auth


@router.get("/certificates/mine", auth=api_auth, summary="我的证照（有效的在前）")
def mine(request, page: int = 1, page_size: int = 20):
    return paginate(queries.mine(_wallet_user(request)), page, page_size, queries.wallet_item)


def _held(request, certificate_id: int) -> Certificate:
    cert = queries.held_by(_wallet_user(request), certificate_id)
    if cert is None:
        raise NotFound("not_found", _("证照不存在。"))
    return cert


@router.get("/certificates/{certificate_id}/pdf", auth=api_auth, summary="下载证照 PDF（持证人）")
def download(request, certificate_id: int):
    cert = _held(request, certificate_id)
    return pdf_response(cert)


def pdf_response(cert: Certificate, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(issuing.current_pdf(cert), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{cert.type.code}-{cert.serial}-{cert.version}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


class GrantIn(Schema):
    purpose: str = ""
    hours: int | str = 24


@router.post("/certificates/{certificate_id}/grants", auth=api_auth, summary="用证授权：生成授权码")
def create_grant(request, certificate_id: int, payload: GrantIn):
    cert = _held(request, certificate_id)
    grant, code = use.create_grant(request.auth, cert, purpose=payload.purpose, hours=payload.hours)
    return {"id": grant.pk, "code": use.format_code(code), "purpose": grant.purpose,
            "expires_at": timezone.localtime(grant.expires_at).isoformat()}


@router.get("/certificates/{certificate_id}/uses", auth=api_auth, summary="用证记录")
def uses(request, certificate_id: int, page: int = 1, page_size: int = 20):
    cert = _held(request, certificate_id)
    return paginate(UseRecord.objects.filter(certificate=cert).select_related("case"), page, page_size, use_dict)


def use_dict(r: UseRecord) -> dict:
    return {"id": r.pk, "kind": r.kind, "kind_label": r.get_kind_display(), "purpose": r.purpose,
            "case_number": r.case.number if r.case_id and r.case else None, "at": timezone.localtime(r.created_at).isoformat()}


@router.get("/certificates/shared", summary="凭授权码查看证照信息（第三方）")
def shared(request, code: str = ""):
    grant = use.lookup(code)
    use.record_use(grant, user=request.user)
    cert = grant.certificate
    return {**queries.verify_by_identifier(cert.identifier), "purpose": grant.purpose,
            "expires_at": timezone.localtime(grant.expires_at).isoformat(), "holder_name": cert.holder_name}


class ReasonIn(Schema):
    reason: str = ""
    changes: dict[str, str] = {}


def _managed(request, certificate_id: int) -> Certificate:
    cert = get_object_or_404(Certificate.objects.select_related("type", "department"), pk=certificate_id)
    if not policies.is_issuer_staff(request.auth, cert):
        raise NotFound("not_found", _("证照不存在。"))
    return cert


@router.post("/certificates/{certificate_id}/{action}", auth=api_auth, summary="注销 / 中止 / 恢复 / 换发（颁发部门）")
def lifecycle_action(request, certificate_id: int, action: str, payload: ReasonIn):
    cert = _managed(request, certificate_id)
    if action == "renew":
        new = lifecycle.renew(request.auth, cert, payload.reason, changes=payload.changes)
        return queries.verify_by_identifier(new.identifier)
    handler = {"revoke": lifecycle.revoke, "suspend": lifecycle.suspend, "resume": lifecycle.resume}.get(action)
    if handler is None:
        raise NotFound("not_found", _("没有该操作。"))
    cert = handler(request.auth, cert, payload.reason)
    return queries.verify_by_identifier(cert.identifier)


class IssueIn(Schema):
    reason: str = ""
    fields: dict[str, str] = {}


@router.post("/cases/{case_id}/certificate", auth=api_auth, summary="手工签发办件的证照（颁发部门批准人员）")
def issue_for_case(request, case_id: int, payload: IssueIn):
    case = Case.objects.select_related("item_version", "applicant", "enterprise").filter(pk=case_id).first()
    if case is None or not can_view(request.auth, case):
        raise NotFound("not_found", _("办件不存在。"))
    cert = issuing.issue_by_hand(request.auth, case, reason=payload.reason, given=payload.fields)
    return queries.verify_by_identifier(cert.identifier)
