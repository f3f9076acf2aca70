"""Suspend, resume, revoke, renew and change certificates — each logged in the transparency log
and audited. Only an approver of the issuing department may do it."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.policies import holds
from yiwang.accounts.roles import Role
from yiwang.certificates import log
from yiwang.certificates.documents import log_leaf
from yiwang.certificates.models import Certificate
from yiwang.certificates.signing import canonical_json, sha256_hex
from yiwang.certificates.status import LOG_ACTION, CertificateStatus, can_transition
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.events import emit
from yiwang.core.text import strip_control

EVENT = {CertificateStatus.SUSPENDED: "certificate.suspended", CertificateStatus.REVOKED: "certificate.revoked",
         CertificateStatus.VALID: "certificate.resumed", CertificateStatus.SUPERSEDED: "certificate.superseded"}


def may_manage(actor, cert: Certificate) -> bool:
    return holds(actor, Role.APPROVER, cert.department)


def _check(actor, cert: Certificate, reason: str) -> str:
    if not may_manage(actor, cert):
        raise PermissionDenied(_("只有颁发部门的批准人员可以变更证照状态。"))
    reason = strip_control(reason)
    if not reason:
        raise ApiError("validation_error", _("请写明理由。"), {"reason": _("请填写理由")})
    if len(reason) > 300:
        raise ApiError("validation_error", _("理由不能超过 300 字。"), {"reason": _("不能超过 300 字")})
    return reason


def change_status(cert: Certificate, target: str, *, actor, reason: str, check_role: bool = True) -> Certificate:
    """Move a certificate to ``target`` (transition table in status.py) and log it."""
    if check_role:
        reason = _check(actor, cert, reason)
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=cert.pk)
        if not can_transition(cert.status, target):
            raise Conflict("invalid_transition", _("证照当前状态“%(s)s”不能执行该操作。") % {
                "s": cert.get_status_display()})
        now = timezone.now()
        record = sha256_hex(canonical_json({"identifier": cert.identifier, "status": target, "reason": reason}))
        log.append([log_leaf(LOG_ACTION[target], cert.identifier, record, now)], at=now)
        log.sign_head()
        before = cert.status
        cert.status, cert.status_reason, cert.status_changed_at = target, reason[:300], now
        cert.save(update_fields=["status", "status_reason", "status_changed_at"])
        audit.record(EVENT[target], actor=actor, obj=cert,
                     summary=f"{cert.identifier}：{CertificateStatus(before).label} → {CertificateStatus(target).label}",
                     data={"reason": reason[:300]})
        emit(EVENT[target], {"certificate_id": cert.pk, "identifier": cert.identifier, "status": target,
                             "holder_user_id": cert.holder_user_id, "holder_enterprise_id": cert.holder_enterprise_id})
    return cert


def suspend(actor, cert: Certificate, reason: str) -> Certificate:
    return change_status(cert, CertificateStatus.SUSPENDED, actor=actor, reason=reason)


def resume(actor, cert: Certificate, reason: str) -> Certificate:
    return change_status(cert, CertificateStatus.VALID, actor=actor, reason=reason)


def revoke(actor, cert: Certificate, reason: str) -> Certificate:
    return change_status(cert, CertificateStatus.REVOKED, actor=actor, reason=reason)


def renew(actor, cert: Certificate, reason: str, *, changes: dict[str, str] | None = None) -> Certificate:
    """换发 (renew: a fresh validity period) or 变更 (change: with ``changes`` to 照面信息) as the
    next version, linked to the old identifier; the old one becomes 已换发."""
    from yiwang.certificates.issuing import issue

    reason = _check(actor, cert, reason)
    cert = Certificate.objects.select_related("type").get(pk=cert.pk)
    if cert.status not in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
        raise Conflict("invalid_transition", _("证照当前状态“%(s)s”不能换发或变更。") % {"s": cert.get_status_display()})
    changes = {k: v for k, v in ((k, strip_control(v)) for k, v in (changes or {}).items()) if v}
    current = dict(cert_fields(cert))
    labels = {str(f.get("name")): str(f.get("label") or f.get("name")) for f in cert.type.fields or []}
    unknown = [k for k in changes if k not in labels]
    if unknown:
        raise ApiError("validation_error", _("照面信息项不存在。"), {k: _("该证照类型没有此项") for k in unknown})
    fields = tuple((label, changes.get(name, current.get(label, "—"))) for name, label in labels.items())
    keep = {"valid_from": cert.valid_from, "valid_until": cert.valid_until} if changes else {}  # 变更 keeps the term
    return issue(cert.type, holder_user=cert.holder_user, holder_enterprise=cert.holder_enterprise, fields=fields,
                 case=cert.case, actor=actor, reason=reason, previous=cert,
                 action="change" if changes else "renew", **keep)


def cert_fields(cert: Certificate) -> tuple[tuple[str, str], ...]:
    """The 照面信息 as signed (from the envelope)."""
    meta = json.loads(cert.envelope)["signed"]["metadata"]
    return tuple((str(label), str(value)) for label, value in meta.get("fields") or [])
