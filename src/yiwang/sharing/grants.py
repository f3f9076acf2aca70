"""有条件共享: the consumer department requests (purpose, items, legal basis, duration); the
provider's data steward approves or refuses within a configurable number of working days."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.policies import holds
from yiwang.accounts.roles import Role
from yiwang.core import audit, workdays
from yiwang.core.api import ApiError, Conflict
from yiwang.core.events import emit
from yiwang.core.text import strip_control
from yiwang.sharing.models import GRANT_TRANSITIONS, Grant, Resource, ShareType

REQUESTER_ROLES = (Role.DATA_STEWARD, Role.DEPT_ADMIN)
MAX_GRANT_DAYS = 3 * 366


def reply_working_days() -> int:
    return int(getattr(settings, "YIWANG_SHARING_REPLY_WORKING_DAYS", 10))


def request(actor, consumer, resource: Resource, *, items: list[str], purpose: str, legal_basis: str,
            days: int) -> Grant:
    if not any(holds(actor, role, consumer) for role in REQUESTER_ROLES):
        raise PermissionDenied(_("只有使用部门的数据管理员或部门管理员可以申请共享。"))
    errors = {}
    if resource.share_type != ShareType.CONDITIONAL:
        errors["resource"] = _("只有有条件共享的资源需要申请。")
    items = [str(i) for i in items or []]
    if not items:
        errors["items"] = _("请选择数据项。")
    elif set(items) - set(resource.item_names()):
        errors["items"] = _("资源没有这些数据项：%(i)s") % {"i": "、".join(sorted(set(items) - set(resource.item_names())))}
    if not strip_control(purpose):
        errors["purpose"] = _("请填写用途。")
    if not strip_control(legal_basis):
        errors["legal_basis"] = _("请填写依据。")
    try:
        days = int(days)
        if not 1 <= days <= MAX_GRANT_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        errors["days"] = _("期限应为 1 至 %(n)s 天。") % {"n": MAX_GRANT_DAYS}
    if errors:
        raise ApiError("validation_error", _("请检查填写的内容。"), errors)
    today = timezone.localdate()
    with transaction.atomic():
        grant = Grant.objects.create(
            consumer=consumer, resource=resource, items=items, purpose=strip_control(purpose)[:300],
            legal_basis=strip_control(legal_basis)[:300], valid_until=today + dt.timedelta(days=days), requested_by=actor,
            decide_by=workdays.add_working_days(today, reply_working_days()))
        audit.record("sharing.grant_requested", actor=actor, obj=grant,
                     summary=f"{consumer.name} 申请共享 {resource.name}：{'、'.join(items)}")
        emit("sharing.grant_requested", {"grant_id": grant.pk, "resource": resource.code, "consumer": consumer.code})
    return grant


def is_own_request(actor, grant: Grant) -> bool:
    """The actor asked for this grant: a steward of both departments may not also decide it."""
    return grant.requested_by_id == getattr(actor, "pk", None)


def check_not_own_request(actor, grant: Grant) -> None:
    """Refuse (and audit, outside any transaction so the record stays) a decision on one's own
    request: the provider's approval must come from someone other than the requester."""
    if is_own_request(actor, grant):
        audit.record("sharing.grant_decide_denied", actor=actor, obj=grant,
                     summary=f"试图审批本人提出的共享申请：{grant.consumer.name} → {grant.resource.name}")
        raise PermissionDenied(_("不能审批本人提出的共享申请。"))


def _decide(actor, grant: Grant, status: str, note: str) -> Grant:
    if not holds(actor, Role.DATA_STEWARD, grant.resource.provider):
        raise PermissionDenied(_("只有提供部门的数据管理员可以审批共享申请。"))
    check_not_own_request(actor, grant)
    with transaction.atomic():
        grant = Grant.objects.select_for_update().select_related("resource", "consumer").get(pk=grant.pk)
        if status not in GRANT_TRANSITIONS[grant.status]:
            raise Conflict("already_decided", _("该申请已处理。"))
        grant.status, grant.decided_by, grant.decided_at = status, actor, timezone.now()
        grant.decision_note = strip_control(note)[:300]
        grant.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(f"sharing.grant_{status}", actor=actor, obj=grant,
                     summary=f"{grant.get_status_display()}：{grant.consumer.name} → {grant.resource.name}")
        emit(f"sharing.grant_{status}", {"grant_id": grant.pk, "resource": grant.resource.code,
                                         "consumer": grant.consumer.code})
    return grant


def approve(actor, grant: Grant, note: str = "") -> Grant:
    return _decide(actor, grant, Grant.Status.APPROVED, note)


def refuse(actor, grant: Grant, note: str) -> Grant:
    if not strip_control(note):
        raise ApiError("validation_error", _("不予批准须写明理由。"), {"note": _("请填写理由")})
    return _decide(actor, grant, Grant.Status.REFUSED, note)


def revoke(actor, grant: Grant, note: str) -> Grant:
    """The provider's steward withdraws an approved grant (撤销授权): reads stop at once, since the
    exchange serves only approved grants. The reason goes to the audit log and the event."""
    if not holds(actor, Role.DATA_STEWARD, grant.resource.provider):
        raise PermissionDenied(_("只有提供部门的数据管理员可以撤销共享授权。"))
    note = strip_control(note)
    if not note:
        raise ApiError("validation_error", _("撤销授权须写明理由。"), {"note": _("请填写理由")})
    if len(note) > 300:
        raise ApiError("validation_error", _("理由不能超过 300 个字符。"), {"note": _("内容过长。")})
    with transaction.atomic():
        grant = Grant.objects.select_for_update().select_related("resource", "consumer").get(pk=grant.pk)
        if Grant.Status.REVOKED not in GRANT_TRANSITIONS[grant.status]:
            raise Conflict("not_approved", _("只能撤销已批准的授权。"))
        grant.status = Grant.Status.REVOKED
        grant.save(update_fields=["status"])
        audit.record("sharing.grant_revoked", actor=actor, obj=grant, data={"note": note},
                     summary=f"撤销共享授权：{grant.consumer.name} → {grant.resource.name}（{note}）")
        emit("sharing.grant_revoked", {"grant_id": grant.pk, "resource": grant.resource.code,
                                       "consumer": grant.consumer.code, "note": note})
    return grant


def overdue(today: dt.date | None = None):
    """Requests past their reply date (shown as overdue to the provider)."""
    return Grant.objects.filter(status=Grant.Status.REQUESTED, decide_by__lt=today or timezone.localdate())
