"""Reads: verification by identifier, the holder's wallet, a department's certificates."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.certificates import log
from yiwang.certificates.models import Certificate, LogEntry
from yiwang.certificates.status import CertificateStatus
from yiwang.core.identifiers import is_valid_certificate_identifier

# Public verification statuses (the API contract) plus the two lifecycle states it must not hide.
VALID, REVOKED, EXPIRED, UNKNOWN, SUSPENDED, SUPERSEDED = (
    "valid", "revoked", "expired", "unknown", "suspended", "superseded")


def public_status(cert: Certificate, today=None) -> str:
    today = today or timezone.localdate()
    if cert.status == CertificateStatus.REVOKED:
        return REVOKED
    if cert.status == CertificateStatus.SUSPENDED:
        return SUSPENDED
    if cert.status == CertificateStatus.SUPERSEDED:
        return SUPERSEDED
    if cert.valid_until is not None and cert.valid_until < today:
        return EXPIRED
    if cert.valid_from > today:
        return UNKNOWN
    return VALID


STATUS_LABELS = {VALID: _("有效"), REVOKED: _("已注销"), EXPIRED: _("已过期"), UNKNOWN: _("无法确认"),
                 SUSPENDED: _("已中止"), SUPERSEDED: _("已换发")}


def _unknown(identifier: str, problem: str, message: str) -> dict[str, Any]:
    return {"status": UNKNOWN, "status_label": str(STATUS_LABELS[UNKNOWN]), "identifier": identifier, "type": None, "holder_masked": None, "issuer": None,
            "issued_at": None, "valid_until": None, "inclusion_proof": None, "tree_head": None,
            "problem": problem, "message": message}


def lookup_allowed(ip: str | None) -> bool:
    """Verification by id is public but rate-limited per client address: identifiers are
    predictable (type, issuer, serial), so the register must not be listable in bulk."""
    from django.conf import settings

    from yiwang.core import ratelimit

    limit = int(getattr(settings, "YIWANG_CERT_VERIFY_PER_HOUR", 600))
    return ratelimit.hit("cert-verify", ip or "unknown", limit, 3600)


def verify_by_identifier(identifier: str) -> dict[str, Any]:
    """What anyone may learn about a certificate by its identifier: status, masked holder,
    issuer, dates, and an inclusion proof of its issue entry in the latest signed tree head."""
    identifier = (identifier or "").strip()
    if not is_valid_certificate_identifier(identifier):
        return _unknown(identifier, "bad_identifier", "证照标识格式或校验位不正确，可能是伪造的二维码或输入有误。")
    cert = (Certificate.objects.select_related("type", "department", "key", "next_version")
            .defer("envelope", "next_version__envelope", "key__private_key").filter(identifier=identifier).first())
    if cert is None:
        return _unknown(identifier, "not_found", "平台未签发过该证照标识。")
    head = log.latest_head()
    proof = None
    if head is not None and cert.log_index is not None and cert.log_index < head.tree_size:
        proof = {"leaf_index": cert.log_index, "tree_size": head.tree_size,
                 "hashes": log.inclusion(cert.log_index, head.tree_size)}
    status = public_status(cert)
    out = {
        "status": status, "status_label": str(STATUS_LABELS[status]), "identifier": cert.identifier, "type": cert.type.name, "type_code": cert.type.code,
        "holder_masked": cert.holder_masked, "issuer": cert.department.name,
        "issued_at": timezone.localtime(cert.issued_at).isoformat(), "valid_from": cert.valid_from.isoformat(),
        "valid_until": cert.valid_until.isoformat() if cert.valid_until else None,
        "version": cert.version, "signature_valid": cert.signature_checked, "key_id": cert.key.key_id,
        "inclusion_proof": proof, "tree_head": log.head_dict(head) if head else None,
        "leaf": json.loads(log_leaf_text(cert)) if proof else None,
    }
    if status in (REVOKED, SUSPENDED):  # the reason is free text: only the holder and the department see it
        out["status_changed_at"] = timezone.localtime(cert.status_changed_at).isoformat() if cert.status_changed_at else None
    if status == SUPERSEDED:
        nxt = getattr(cert, "next_version", None)
        out["superseded_by"] = nxt.identifier if nxt else None
    return out


def log_leaf_text(cert: Certificate) -> str:
    return LogEntry.objects.filter(index=cert.log_index).values_list("leaf", flat=True).first() or "null"


def holder_filter(user) -> Q:
    """Certificates a user holds: his own, and those of the enterprises he represents."""
    from yiwang.accounts.models import EnterpriseMembership

    enterprises = EnterpriseMembership.objects.filter(user=user, revoked_at__isnull=True).values("enterprise_id")
    return Q(holder_user=user) | Q(holder_enterprise__in=enterprises)


def mine(user):
    """The wallet: valid ones first, then newest."""
    today = timezone.localdate()
    rank = CaseWhen(
        When(status=CertificateStatus.VALID, valid_until__isnull=True, then=Value(0)),
        When(status=CertificateStatus.VALID, valid_until__gte=today, then=Value(0)),
        default=Value(1), output_field=IntegerField())
    return (Certificate.objects.filter(holder_filter(user)).select_related("type", "department")
            .annotate(rank=rank).order_by("rank", "-issued_at", "-id"))


def wallet_item(cert: Certificate) -> dict[str, Any]:
    status = public_status(cert)
    return {"id": cert.pk, "identifier": cert.identifier, "type": cert.type.code, "name": cert.type.name,
            "status": status, "status_label": str(STATUS_LABELS[status]), "issued_at": timezone.localtime(cert.issued_at).isoformat(),
            "valid_until": cert.valid_until.isoformat() if cert.valid_until else None,
            "issuer": cert.department.name, "holder_name": cert.holder_name}


def held_by(user, pk: int) -> Certificate | None:
    return mine(user).filter(pk=pk).first()


def valid_of_type(type_code: str, *, user=None, enterprise=None) -> Certificate | None:
    """The holder's newest valid certificate of a type (reuse in applications)."""
    today = timezone.localdate()
    q = Q(type__code=type_code, status=CertificateStatus.VALID, valid_from__lte=today) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    if enterprise is not None:
        q &= Q(holder_enterprise=enterprise)
    elif user is not None:
        q &= Q(holder_user=user)
    else:
        return None
    return Certificate.objects.filter(q).order_by("-issued_at").first()
