"""Enterprises (法人): a level-2 citizen asks to bind one; it is bound once the applicant is
checked against the registered legal representative — at once by a registered registry check
(data sharing's 企业登记信息) when the register knows the enterprise, else by staff."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Enterprise, EnterpriseMembership, User
from yiwang.accounts.policies import require
from yiwang.accounts.services.validation import FieldErrors, check_name, check_uscc
from yiwang.core import audit
from yiwang.core.api import ApiError, Conflict
from yiwang.core.events import emit

log = logging.getLogger("yiwang.accounts.enterprises")


@dataclass(frozen=True)
class RegistryVerdict:
    """What the enterprise register says of a binding request: ``matches`` when the applicant is
    the registered legal representative; ``registered_name`` corrects a mistyped name."""

    matches: bool
    source: str  # e.g. "企业登记信息（济宁市兖州区市场监督管理局）"
    reason: str = ""
    registered_name: str = ""


# (user, uscc) → verdict, or None when the register does not know the enterprise (staff review)
RegistryCheck = Callable[[User, str], "RegistryVerdict | None"]
_registry_checks: list[RegistryCheck] = []


def register_registry_check(check: RegistryCheck) -> None:
    """Higher apps (data sharing) plug the enterprise register in here at start-up."""
    if check not in _registry_checks:
        _registry_checks.append(check)


def unregister_registry_check(check: RegistryCheck) -> None:
    if check in _registry_checks:
        _registry_checks.remove(check)


def _registry_verdict(user: User, uscc: str) -> RegistryVerdict | None:
    for check in _registry_checks:
        try:
            verdict = check(user, uscc)
        except Exception:  # the register down: staff review as before
            log.exception("法人登记核验失败")
            continue
        if verdict is not None:
            return verdict
    return None


def request_enterprise(user: User, *, name: str, uscc: str, type: str = Enterprise.Type.COMPANY,
                       legal_rep_name: str = "", address: str = "") -> Enterprise:
    if user.level < 2:
        raise ApiError("level_too_low", _("请先完成实名核验（认证等级 2 级）后再绑定法人。"), status=403)
    errors = FieldErrors()
    if not (name or "").strip() or len(name.strip()) > 200:
        errors.add("name", _("请输入营业执照上的名称。"))
    uscc = check_uscc(errors, uscc)
    if type not in Enterprise.Type.values:
        errors.add("type", _("法人类型无效。"))
    legal_rep_name = check_name(errors, legal_rep_name or user.name, "legal_rep_name")
    if uscc and Enterprise.objects.filter(uscc=uscc).exclude(status=Enterprise.Status.REJECTED).exists():
        errors.add("uscc", _("该统一社会信用代码已绑定或正在核验中。"))
    errors.raise_if_any()
    # asked before the transaction: the register may be a department system taking seconds to answer
    verdict = _registry_verdict(user, uscc)
    try:
        with transaction.atomic():
            Enterprise.objects.filter(uscc=uscc, status=Enterprise.Status.REJECTED).delete()
            ent = Enterprise.objects.create(
                name=name.strip(), uscc=uscc, type=type, legal_rep_name=legal_rep_name,
                address=(address or "").strip(), created_by=user,
            )
            audit.record("enterprise.requested", actor=user, obj=ent, summary=f"申请绑定法人 {ent.name}",
                         data={"uscc": uscc})
            emit("enterprise.requested", {"enterprise_id": ent.pk})
            if verdict is not None:
                _decide_by_registry(ent, verdict)
    except IntegrityError as exc:
        raise Conflict("uscc_taken", _("该统一社会信用代码已绑定或正在核验中。"), {"uscc": _("已被绑定")}) from exc
    return ent


def _decide_by_registry(ent: Enterprise, verdict: RegistryVerdict) -> None:
    """The register knows the enterprise: bind when the applicant is its legal representative,
    refuse (with the reason) when not. No staff review either way."""
    approve = verdict.matches
    ent.status = Enterprise.Status.VERIFIED if approve else Enterprise.Status.REJECTED
    ent.reviewed_at = timezone.now()
    ent.review_note = (_("经%(source)s核验：%(result)s") % {
        "source": verdict.source, "result": _("申请人为登记的法定代表人") if approve else verdict.reason})[:300]
    if approve and verdict.registered_name:
        ent.name = verdict.registered_name[:200]
    ent.save()
    if approve:
        EnterpriseMembership.objects.create(enterprise=ent, user=ent.created_by, kind=EnterpriseMembership.Kind.LEGAL_REP)
    audit.record("enterprise.reviewed", actor=None, obj=ent,
                 summary=f"法人绑定{'通过' if approve else '未通过'}（{verdict.source}自动核验）：{ent.name}",
                 data={"note": ent.review_note, "by_registry": True})
    emit("enterprise.reviewed", {"enterprise_id": ent.pk, "approved": approve})


def review_enterprise(actor: User, ent: Enterprise, *, approve: bool, note: str = "") -> Enterprise:
    """Staff check the applicant against the registered legal representative."""
    require(actor, "enterprise.review", ent)
    if ent.status != Enterprise.Status.PENDING:
        raise Conflict("already_reviewed", _("该法人绑定申请已处理。"))
    with transaction.atomic():
        ent.status = Enterprise.Status.VERIFIED if approve else Enterprise.Status.REJECTED
        ent.reviewed_by, ent.reviewed_at, ent.review_note = actor, timezone.now(), (note or "")[:300]
        ent.save()
        if approve:
            EnterpriseMembership.objects.create(
                enterprise=ent, user=ent.created_by, kind=EnterpriseMembership.Kind.LEGAL_REP, granted_by=actor
            )
        audit.record("enterprise.reviewed", actor=actor, obj=ent,
                     summary=f"法人绑定{'通过' if approve else '未通过'}：{ent.name}", data={"note": note})
        emit("enterprise.reviewed", {"enterprise_id": ent.pk, "approved": approve})
    return ent


def grant_agent(actor: User, ent: Enterprise, agent: User) -> EnterpriseMembership:
    """The legal representative authorises a 经办人 (who must be identity-verified)."""
    require(actor, "enterprise.grant_agent", ent)
    if agent.level < 2:
        raise ApiError("agent_not_verified", _("经办人须先完成实名核验。"), {"agent": _("经办人未实名核验")})
    if EnterpriseMembership.objects.filter(enterprise=ent, user=agent, revoked_at__isnull=True).exists():
        raise Conflict("already_member", _("该用户已是本单位的法定代表人或经办人。"))
    with transaction.atomic():
        m = EnterpriseMembership.objects.create(enterprise=ent, user=agent, kind=EnterpriseMembership.Kind.AGENT, granted_by=actor)
        audit.record("enterprise.agent_granted", actor=actor, obj=ent, summary=f"授权经办人 {agent.name or agent.username}",
                     data={"agent_id": agent.pk})
        emit("enterprise.agent_granted", {"enterprise_id": ent.pk, "agent_id": agent.pk})
    return m


def revoke_agent(actor: User, membership: EnterpriseMembership) -> EnterpriseMembership:
    require(actor, "enterprise.grant_agent", membership.enterprise)
    if membership.kind != EnterpriseMembership.Kind.AGENT or membership.revoked_at:
        raise Conflict("not_active_agent", _("只能撤销有效的经办人授权。"))
    with transaction.atomic():
        membership.revoked_at = timezone.now()
        membership.save(update_fields=["revoked_at"])
        audit.record("enterprise.agent_revoked", actor=actor, obj=membership.enterprise,
                     summary=f"撤销经办人 {membership.user.name or membership.user.username}", data={"agent_id": membership.user_id})
        emit("enterprise.agent_revoked", {"enterprise_id": membership.enterprise_id, "agent_id": membership.user_id})
    return membership
