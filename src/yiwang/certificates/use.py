"""用证授权: the holder lets a third party see a watermarked copy of one certificate, for one
stated purpose, for a limited time; every use is recorded and shown to the holder.

Codes are 12 characters from a 31-letter alphabet (~59 bits), stored only as SHA-256, looked up
under a per-IP rate limit — they cannot be guessed or read back from the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import VerificationLevel
from yiwang.certificates import queries
from yiwang.certificates.documents import CertificateDocument
from yiwang.certificates.issuing import verify_url
from yiwang.certificates.models import Certificate, UseGrant, UseRecord
from yiwang.certificates.render import render_pdf
from yiwang.core import audit, ratelimit
from yiwang.core.api import ApiError, Conflict, NotFound, RateLimited
from yiwang.core.text import strip_control

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 12
MAX_PURPOSE = 200


def max_hours() -> int:
    return int(getattr(settings, "YIWANG_CERT_GRANT_MAX_HOURS", 24))


def normalise_code(code: str) -> str:
    return "".join(c for c in str(code or "").upper() if c.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def create_grant(user, cert: Certificate, *, purpose: str, hours: int | str) -> tuple[UseGrant, str]:
    """A new grant and its code (shown once). Identity level 2 is required (DESIGN §2)."""
    if getattr(user, "level", 0) < VerificationLevel.IDENTITY:
        raise PermissionDenied(_("用证授权须先完成实名核验。"))
    if queries.held_by(user, cert.pk) is None:
        raise NotFound("not_found", _("证照不存在。"))
    errors = {}
    purpose = strip_control(purpose)
    if not purpose:
        errors["purpose"] = _("请填写用途。")
    elif len(purpose) > MAX_PURPOSE:
        errors["purpose"] = _("用途不能超过 %(n)s 字。") % {"n": MAX_PURPOSE}
    try:
        hours = int(hours)
        if not 1 <= hours <= max_hours():
            raise ValueError
    except (TypeError, ValueError):
        errors["hours"] = _("有效期应为 1 至 %(n)s 小时。") % {"n": max_hours()}
    if errors:
        raise ApiError("validation_error", _("请检查填写的内容。"), errors)
    if queries.public_status(cert) != queries.VALID:
        raise Conflict("not_valid", _("证照当前不是有效状态，不能授权他人使用。"))
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    with transaction.atomic():
        grant = UseGrant.objects.create(certificate=cert, granted_by=user, code_hash=_hash(code), purpose=purpose,
                                        expires_at=timezone.now() + dt.timedelta(hours=hours))
        audit.record("certificates.grant_created", actor=user, obj=grant,
                     summary=f"授权使用 {cert.type.name}（{purpose[:50]}），{hours} 小时")
    return grant, code


def revoke_grant(user, grant: UseGrant) -> UseGrant:
    """Any current holder may revoke: the legal representative can stop an agent's grant."""
    if queries.held_by(user, grant.certificate_id) is None:
        raise NotFound("not_found", _("授权不存在。"))
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit.record("certificates.grant_revoked", actor=user, obj=grant, summary="撤销用证授权")
    return grant


def lookup(code: str, *, ip: str | None = None) -> UseGrant:
    """The live grant for a code; rate-limited per IP so codes cannot be tried in bulk."""
    ip = ip or audit.current_ip.get() or "unknown"
    limit = int(getattr(settings, "YIWANG_CERT_GRANT_LOOKUPS_PER_HOUR", 30))
    if not ratelimit.hit("cert-grant", ip, limit, 3600):
        raise RateLimited("rate_limited", _("查询过于频繁，请一小时后再试。"))
    grant = (UseGrant.objects.select_related("certificate__type", "certificate__department")
             .filter(code_hash=_hash(code)).first())
    if grant is None or len(normalise_code(code)) != CODE_LENGTH:
        raise NotFound("unknown_code", _("授权码不存在，请核对后重新输入。"))
    if grant.revoked_at is not None:
        raise Conflict("grant_revoked", _("持证人已撤销该授权。"))
    if grant.expires_at <= timezone.now():
        raise Conflict("grant_expired", _("该授权已过期。"))
    if queries.public_status(grant.certificate) != queries.VALID:
        raise Conflict("not_valid", _("该证照当前不是有效状态，授权已失效。"))
    return grant


def record_use(grant: UseGrant, *, user=None, ip: str = "") -> UseRecord:
    rec = UseRecord.objects.create(certificate=grant.certificate, kind=UseRecord.Kind.GRANT, grant=grant,
                                   purpose=grant.purpose, user=user if getattr(user, "pk", None) else None,
                                   ip=(ip or audit.current_ip.get() or "")[:64])
    audit.record("certificates.used", actor=user if getattr(user, "pk", None) else None, obj=grant.certificate,
                 summary=f"授权查看（{grant.purpose[:50]}）")
    return rec


def watermark_text(grant: UseGrant) -> str:
    until = timezone.localtime(grant.expires_at).strftime("%Y-%m-%d %H:%M")
    return _("仅供“%(p)s”使用 有效期至 %(t)s") % {"p": grant.purpose, "t": until}


def watermarked_copy(grant: UseGrant) -> bytes:
    """A copy of the certificate marked with the grant's purpose and validity. It is not the
    signed original: verification goes by the identifier printed on it."""
    cert = grant.certificate
    doc = CertificateDocument.from_metadata(json.loads(cert.envelope)["signed"]["metadata"])
    return render_pdf(doc, verify_url=verify_url(cert.identifier), demo=settings.DEMO_MODE,
                      body_template=cert.type.template, watermark=watermark_text(grant))
