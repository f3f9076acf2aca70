"""Staff roles and TOTP enrolment. Role changes are permission changes: always audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts.models import StaffRole, User
from yiwang.accounts.policies import require
from yiwang.accounts.roles import DEPARTMENT_ROLES, REGION_ROLES, STAFF_ROLES
from yiwang.core import audit
from yiwang.core.api import ApiError
from yiwang.core.events import emit
from yiwang.org.models import Department, Region


def _check_scope(role: str, department: Department | None, region: Region | None) -> None:
    if role not in {r.value for r in STAFF_ROLES}:
        raise ApiError("invalid_role", _("角色无效。"), {"role": _("角色无效")})
    if role in DEPARTMENT_ROLES and department is None:
        raise ApiError("scope_required", _("该角色须指定部门。"), {"department": _("请选择部门")})
    if role in REGION_ROLES and region is None and department is None:
        raise ApiError("scope_required", _("该角色须指定区划。"), {"region": _("请选择区划")})


def assign_role(user: User, role: str, *, department: Department | None = None, region: Region | None = None,
                granted_by: User | None = None) -> StaffRole:
    """Unchecked assignment, for bootstrapping and demo data; staff use :func:`grant_role`."""
    _check_scope(role, department, region)
    with transaction.atomic():
        sr, created = StaffRole.objects.get_or_create(user=user, role=role, department=department, region=region,
                                                      defaults={"granted_by": granted_by})
        if created:
            audit.record("staff_role.granted", actor=granted_by, obj=user,
                         summary=f"授予 {sr.get_role_display()}（{department or region}）",
                         data={"role": role, "department": getattr(department, "code", None),
                               "region": getattr(region, "code", None)})
            emit("staff_role.granted", {"user_id": user.pk, "role": role})
    return sr


def grant_role(actor: User, user: User, role: str, *, department: Department | None = None,
               region: Region | None = None) -> StaffRole:
    require(actor, "staff_role.grant", user)
    if actor.pk == user.pk:
        raise ApiError("self_grant", _("不能给自己授予角色。"), status=403)
    return assign_role(user, role, department=department, region=region, granted_by=actor)


def revoke_role(actor: User, staff_role: StaffRole) -> None:
    require(actor, "staff_role.grant", staff_role.user)
    with transaction.atomic():
        audit.record("staff_role.revoked", actor=actor, obj=staff_role.user,
                     summary=f"撤销 {staff_role.get_role_display()}（{staff_role.department or staff_role.region}）",
                     data={"role": staff_role.role})
        emit("staff_role.revoked", {"user_id": staff_role.user_id, "role": staff_role.role})
        staff_role.delete()


def start_totp_enrolment(user: User) -> TOTPDevice:
    """An unconfirmed device; it counts only after the first correct code."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)
        audit.record("otp.enrolment_started", actor=user, obj=user, summary="开始绑定动态口令")
    return device


def confirm_totp_enrolment(user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != user.pk or device.confirmed:
        raise ApiError("invalid_device", _("设备无效。"))
    if not device.verify_token((token or "").strip()):
        raise ApiError("invalid_otp", _("动态口令错误。"), {"otp": _("请输入验证器中当前的 6 位动态口令。")})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record("otp.enrolled", actor=user, obj=user, summary="已绑定动态口令")
        emit("otp.enrolled", {"user_id": user.pk})
    return device


def reset_totp(actor: User, user: User) -> None:
    require(actor, "otp.reset", user)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record("otp.reset", actor=actor, obj=user, summary=f"重置 {user.username} 的动态口令")
        emit("otp.reset", {"user_id": user.pk})
