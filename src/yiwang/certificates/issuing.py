"""Issuing certificates: render, sign, check the signature, log, embed the envelope, store.

Why one service: every way a certificate comes into being (a granted case, an approver's
manual issue, a renewal or change, the demo load) must go through the same steps in the same
transaction, so that no certificate exists that is unsigned, unlogged or without its PDF.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.policies import holds
from yiwang.accounts.roles import Role
from yiwang.certificates import keys, log
from yiwang.certificates.documents import (
    ENVELOPE_KIND,
    ID_TYPE_ORG,
    ID_TYPE_PERSON,
    CertificateDocument,
    Holder,
    Issuer,
    log_leaf,
    record_sha256,
    signed_payload,
)
from yiwang.certificates.envelope import embed
from yiwang.certificates.models import Certificate, CertificateType, SerialCounter
from yiwang.certificates.render import render_pdf
from yiwang.certificates.signing import b64, canonical_json, sha256_hex, verify
from yiwang.certificates.status import CertificateStatus
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.events import emit
from yiwang.core.identifiers import is_valid_uscc, make_certificate_identifier
from yiwang.core.masking import mask_id_number
from yiwang.core.text import strip_control


class IssueError(ApiError):
    """Why a certificate cannot be issued (bad type, holder or issuer data)."""


def verify_url(identifier: str) -> str:
    return f"{settings.YIWANG_SITE_URL.rstrip('/')}{reverse('certificates:verify')}?id={quote(identifier, safe='')}"


def _holder(cert_type: CertificateType, user, enterprise) -> tuple[Holder, Any, Any]:
    if cert_type.holder_kind == CertificateType.HolderKind.ORGANISATION:
        if enterprise is None:
            raise IssueError("holder_missing", _("该证照的持证主体应为法人，办件未关联法人。"), {"holder": _("缺少法人")})
        return Holder(enterprise.name, ID_TYPE_ORG, enterprise.uscc), None, enterprise
    if user is None or not user.id_number:
        raise IssueError("holder_missing", _("持证人未完成实名核验，缺少身份证号。"), {"holder": _("缺少身份证号")})
    return Holder(user.name or user.username, ID_TYPE_PERSON, user.id_number), user, None


def issuable(cert_type: CertificateType, *, holder_user=None, holder_enterprise=None) -> tuple[Holder, Any, Any]:
    """The holder, when a certificate of this type can be issued to them; IssueError saying why not."""
    department = cert_type.department
    if not cert_type.active:
        raise IssueError("type_inactive", _("该证照类型已停用。"))
    if not is_valid_uscc(department.uscc or ""):
        raise IssueError("issuer_uscc_missing", _("颁发部门“%(d)s”未登记有效的统一社会信用代码，不能签发证照。")
                         % {"d": department.name})
    return _holder(cert_type, holder_user, holder_enterprise)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("detail") or value.get("name") or value.get("value") or "")
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    return "" if value is None else str(value)


# What a type's field may print from the holder, the enterprise and the case — never a password
# hash or another column an admin might name by mistake.
HOLDER_FIELDS = {"name", "address"}
ENTERPRISE_FIELDS = {"name", "uscc", "legal_rep_name", "address"}
CASE_FIELDS = {"number"}


def field_values(cert_type: CertificateType, *, form: dict[str, Any] | None = None, holder_user=None,
                 holder_enterprise=None, case=None, given: dict[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    """照面信息 in the type's order. Each field names its ``source``: ``form.<name>`` (the
    application form), ``holder.name|address``, ``enterprise.name|legal_rep_name|address``,
    ``case.number``, ``const:<text>``; without one, the form value of the same name. Values
    given by hand (manual issue) win."""
    form, given = form or {}, given or {}
    out = []
    for spec in cert_type.fields or []:
        name, label = str(spec.get("name") or ""), str(spec.get("label") or spec.get("name") or "")
        source = str(spec.get("source") or f"form.{name}")
        scope, _dot, attr = source.partition(".")
        if name in given and str(given[name]).strip():
            value = str(given[name]).strip()
        elif source.startswith("const:"):
            value = source[len("const:"):]
        elif scope == "form":
            value = _text(form.get(attr))
        elif scope == "holder" and holder_user is not None and attr in HOLDER_FIELDS:
            value = _text(getattr(holder_user, attr, ""))
        elif scope == "enterprise" and holder_enterprise is not None and attr in ENTERPRISE_FIELDS:
            value = _text(getattr(holder_enterprise, attr, ""))
        elif scope == "case" and case is not None and attr in CASE_FIELDS:
            value = _text(getattr(case, attr, ""))
        else:
            value = ""
        out.append((label, value[:500] or "—"))
    return tuple(out)


def _next_serial(cert_type: CertificateType, year: int) -> str:
    counter, _created = SerialCounter.objects.get_or_create(type=cert_type, year=year)
    counter = SerialCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}{counter.last:06d}"


def _valid_until(cert_type: CertificateType, valid_from: dt.date) -> dt.date | None:
    if not cert_type.validity_years:
        return None
    try:
        end = valid_from.replace(year=valid_from.year + cert_type.validity_years)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + cert_type.validity_years, day=28)
    return end - dt.timedelta(days=1)


def issue(cert_type: CertificateType, *, holder_user=None, holder_enterprise=None, fields=(), case=None,
          actor=None, reason: str = "", previous: Certificate | None = None, action: str = "issue",
          valid_from: dt.date | None = None, valid_until: dt.date | None | str = "by_type") -> Certificate:
    """Issue one certificate (or, with ``previous``, its next version). Runs in one transaction:
    the serial, the log entry, the tree head and the row commit together or not at all."""
    department = cert_type.department
    holder, holder_user, holder_enterprise = issuable(cert_type, holder_user=holder_user,
                                                      holder_enterprise=holder_enterprise)
    now = timezone.now()
    valid_from = valid_from or timezone.localdate(now)
    until = _valid_until(cert_type, valid_from) if valid_until == "by_type" else valid_until
    with transaction.atomic():
        if previous is not None:
            # Lock the old version first (the order change_status uses: certificate, then log) and
            # decide on the locked row: a double-clicked 换发 gets a 409, not a second version.
            previous = Certificate.objects.select_for_update().get(pk=previous.pk)
            if previous.status not in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
                raise Conflict("invalid_transition", _("证照当前状态“%(s)s”不能换发或变更。") % {
                    "s": previous.get_status_display()})
            serial, version = previous.serial, f"{int(previous.version) + 1:03d}"
        else:
            serial, version = _next_serial(cert_type, valid_from.year), "001"
        identifier = make_certificate_identifier(cert_type.code, department.uscc, serial, int(version))
        doc = CertificateDocument(
            identifier=identifier, type_code=cert_type.code, type_name=cert_type.name, name=cert_type.name,
            holder=holder, issuer=Issuer(department.name, department.uscc), issued_on=timezone.localdate(now),
            valid_from=valid_from, valid_until=until, fields=tuple(fields), version=version,
            previous_identifier=previous.identifier if previous else None)
        pdf = render_pdf(doc, verify_url=verify_url(identifier), demo=settings.DEMO_MODE,
                         body_template=cert_type.template)
        payload = signed_payload(doc, pdf)
        key = keys.active_key("certificate", department)
        signer = keys.signer_for(key)
        signature = signer.sign(canonical_json(payload))
        if not verify(key.algorithm, key.public_key, canonical_json(payload), signature):
            raise IssueError("signature_failed", _("签名自检未通过，证照未签发。"), status=500)
        leaf = log_leaf(action, identifier, record_sha256(payload), now)
        [appended] = log.append([leaf], at=now)
        head = log.sign_head()
        envelope = {"kind": ENVELOPE_KIND, "signed": payload,
                    "signature": {"key_id": key.key_id, "algorithm": key.algorithm, "value": b64(signature)},
                    "log": {"leaf": leaf, "index": appended.index,
                            "inclusion_proof": log.inclusion(appended.index, head.tree_size),
                            "tree_head": log.head_dict(head)}}
        final = embed(pdf, envelope)
        cert = Certificate(
            type=cert_type, identifier=identifier, serial=serial, version=version, previous=previous,
            department=department, holder_user=holder_user, holder_enterprise=holder_enterprise,
            holder_name=holder.name, holder_id_type=holder.id_type, holder_masked=_masked(holder),
            case=case, issued_by=actor, issue_reason=reason[:300], issued_at=now, valid_from=valid_from,
            valid_until=until, envelope=canonical_json(envelope).decode(), key=key, signature_checked=True,
            pdf_sha256=sha256_hex(final), log_index=appended.index)
        name = f"certificates/{now:%Y/%m}/{secrets.token_hex(12)}.pdf"
        cert.pdf.name = default_storage.save(name, ContentFile(final))
        cert.save(force_insert=True)
        if previous is not None:
            _supersede(previous, cert, actor)
        audit.record(f"certificates.{action}", actor=actor, obj=cert,
                     summary=f"签发{cert_type.name} {identifier}" + (f"（{reason}）" if reason else ""),
                     data={"case": case.number if case else None, "log_index": appended.index})
        emit("certificate.issued", {"certificate_id": cert.pk, "identifier": identifier, "type": cert_type.code,
                                    "holder_user_id": holder_user.pk if holder_user else None,
                                    "holder_enterprise_id": holder_enterprise.pk if holder_enterprise else None,
                                    "case_id": case.pk if case else None, "action": action})
    return cert


def current_pdf(cert: Certificate) -> bytes:
    """The certificate PDF as served: the signed bytes untouched, with the envelope's log part
    brought up to the latest signed tree head (a fresh inclusion proof). An offline check against
    the tree head published at ``/log/sth`` then links directly, however much the log has grown
    since the issue; the signature and the signed bytes are exactly those of the issue."""
    with cert.pdf.open("rb") as fh:
        stored = fh.read()
    envelope = json.loads(cert.envelope)
    head = log.latest_head()
    if head is None or cert.log_index is None or head.tree_size <= envelope["log"]["tree_head"]["tree_size"]:
        return stored
    signed = stored[:envelope["signed_length"]]
    envelope["log"] = {**envelope["log"], "inclusion_proof": log.inclusion(cert.log_index, head.tree_size),
                       "tree_head": log.head_dict(head)}
    return embed(signed, envelope)


def _masked(holder: Holder) -> str:
    if holder.id_type == ID_TYPE_ORG:
        return holder.id_number[:8] + "*" * 6 + holder.id_number[-4:] if len(holder.id_number) == 18 else "****"
    return mask_id_number(holder.id_number)


def _supersede(previous: Certificate, new: Certificate, actor) -> None:
    from yiwang.certificates.lifecycle import change_status

    change_status(previous, CertificateStatus.SUPERSEDED, actor=actor,
                  reason=_("已换发新版本 %(id)s") % {"id": new.identifier}, check_role=False)


# --- issuing for a granted case, and by hand -----------------------------------------------------


def type_for_item(item_version) -> CertificateType | None:
    code = (item_version.certificate_type or "").strip()
    return CertificateType.objects.select_related("department").filter(code=code, active=True).first() if code else None


def issue_for_case(case, *, actor=None, reason: str = "", given: dict[str, str] | None = None) -> Certificate | None:
    """The certificate for a granted case; the one already issued when there is one (a retried
    event or a second click must not issue twice)."""
    from yiwang.cases.models import Case

    with transaction.atomic():
        # The case row lock serialises the worker and an approver's 手工签发 on the same case.
        Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).values_list("pk").first()
        existing = Certificate.objects.filter(case=case, previous__isnull=True).first()
        if existing is not None:
            return existing
        cert_type = type_for_item(case.item_version)
        if cert_type is None:
            return None
        values = field_values(cert_type, form=case.form_data, holder_user=case.applicant,
                              holder_enterprise=case.enterprise, case=case, given=given)
        return issue(cert_type, holder_user=case.applicant, holder_enterprise=case.enterprise, fields=values,
                     case=case, actor=actor, reason=reason)


def issue_by_hand(actor, case, *, reason: str, given: dict[str, str] | None = None) -> Certificate:
    """An approver of the issuing department issues the certificate of a granted case himself
    (the automatic issue failed, or the case predates the certificate type)."""
    reason = strip_control(reason)
    given = {k: strip_control(v) for k, v in (given or {}).items()}
    if not reason:
        raise IssueError("validation_error", _("手工签发须写明理由。"), {"reason": _("请填写理由")})
    cert_type = type_for_item(case.item_version)
    if cert_type is None:
        raise IssueError("no_certificate_type", _("该事项的办理结果没有对应的电子证照类型。"))
    if not holds(actor, Role.APPROVER, cert_type.department):
        raise PermissionDenied(_("只有颁发部门的批准人员可以手工签发证照。"))
    if case.outcome != "grant":
        raise Conflict("not_granted", _("办件未作出准予决定，不能签发证照。"))
    if Certificate.objects.filter(case=case).exists():
        raise Conflict("already_issued", _("该办件已签发证照。"))
    from yiwang.cases.handling import complete_by_system, in_platform_language

    with transaction.atomic():
        cert = issue_for_case(case, actor=actor, reason=reason, given=given)
        complete_by_system(case.pk, opinion=in_platform_language("已手工签发电子证照：%(id)s", id=cert.identifier))
    return cert
