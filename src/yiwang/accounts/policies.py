"""Who may do what (DESIGN §3, §5): ``can(user, action, obj)`` plus query scopers.

Staff powers come only from ``StaffRole`` rows: a role for one department, or for a region
and everything under it. Separation of duties (三员分立): the platform admin runs the system,
the security admin holds permissions and unlocks, the audit admin only reads the audit log.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet

from yiwang.accounts.models import (
    Enterprise,
    EnterpriseMembership,
    IdentityDispute,
    ProxyAuthorization,
    StaffRole,
    User,
)
from yiwang.accounts.roles import Role
from yiwang.org.models import Department, Region


def staff_roles(user) -> list[StaffRole]:
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_staff_roles_cache", None)
    if cache is None:
        cache = list(StaffRole.objects.filter(user=user).select_related("department__region", "region"))
        user._staff_roles_cache = cache
    return cache


def role_codes(user) -> set[str]:
    codes = {r.role for r in staff_roles(user)}
    if getattr(user, "is_authenticated", False) and not codes:
        codes.add(Role.CITIZEN)
    if getattr(user, "is_authenticated", False) and EnterpriseMembership.objects.filter(
        user=user, revoked_at__isnull=True, enterprise__status=Enterprise.Status.VERIFIED
    ).exists():
        codes.add(Role.ENTERPRISE)
    return codes


def region_covers(region: Region, code: str) -> bool:
    return code.startswith(region.descendant_codes_prefix())


def _grants(user) -> list[tuple[str, int | None, str | None]]:
    """(role, department id, region code prefix) of each of the user's roles — all ``holds``
    needs. Taken from ``staff_roles`` when already loaded, else from one plain query (memoised on
    the user object like ``staff_roles``): every case action checks ``holds`` once."""
    roles = getattr(user, "_staff_roles_cache", None)
    if roles is not None:
        return [(r.role, r.department_id, r.region.descendant_codes_prefix() if r.region_id else None)
                for r in roles]
    cache = getattr(user, "_staff_grants_cache", None)
    if cache is None:
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT s.role, s.department_id, r.code, r.level FROM {q(StaffRole._meta.db_table)} s "
                           f"LEFT JOIN {q(Region._meta.db_table)} r ON r.code = s.region_id WHERE s.user_id = %s",
                           [user.pk])
            rows = cursor.fetchall()
        cache = [(role, dept, Region(code=code, level=level).descendant_codes_prefix() if code else None)
                 for role, dept, code, level in rows]
        user._staff_grants_cache = cache
    return cache


def holds(user, role: str, department: Department | None = None) -> bool:
    """True when the user holds ``role`` for ``department`` (directly, or through a region role
    covering the department's region). Without a department: holds the role anywhere."""
    if not getattr(user, "is_authenticated", False):
        return False
    for r_role, r_department_id, r_prefix in _grants(user):
        if r_role != role:
            continue
        if department is None:
            return True
        if r_department_id and r_department_id == department.pk:
            return True
        if r_prefix is not None and department.region_id.startswith(r_prefix):
            return True
    return False


def holds_any(user, roles: set[str], department: Department | None = None) -> bool:
    return any(holds(user, role, department) for role in roles)


def _is_self(user, obj) -> bool:
    return isinstance(obj, User) and obj.pk == user.pk


def _enterprise_rep(user, enterprise: Enterprise) -> bool:
    return EnterpriseMembership.objects.filter(
        enterprise=enterprise, user=user, kind=EnterpriseMembership.Kind.LEGAL_REP, revoked_at__isnull=True
    ).exists() and enterprise.status == Enterprise.Status.VERIFIED


def _enterprise_reviewer(user, obj) -> bool:
    if holds_any(user, {Role.PLATFORM_ADMIN}):
        return True
    return any(
        r.role == Role.WINDOW_CLERK and r.department and r.department.code in ("approval", "market")
        for r in staff_roles(user)
    )


RULES: dict[str, Callable[[User, object], bool]] = {
    # own account
    "profile.view": lambda u, o: _is_self(u, o),
    "profile.export": lambda u, o: _is_self(u, o),
    "account.close": lambda u, o: _is_self(u, o),
    # account administration (三员分立)
    "account.unlock": lambda u, o: holds_any(u, {Role.SECURITY_ADMIN, Role.PLATFORM_ADMIN}),
    "account.list": lambda u, o: holds_any(u, {Role.SECURITY_ADMIN, Role.PLATFORM_ADMIN}),
    "staff_role.grant": lambda u, o: holds(u, Role.SECURITY_ADMIN),
    "otp.reset": lambda u, o: holds(u, Role.SECURITY_ADMIN),
    "dispute.resolve": lambda u, o: holds_any(u, {Role.SECURITY_ADMIN, Role.PLATFORM_ADMIN}),
    "audit.read": lambda u, o: holds(u, Role.AUDIT_ADMIN),
    "org.edit": lambda u, o: holds(u, Role.PLATFORM_ADMIN),
    "dev_sms.read": lambda u, o: holds_any(u, {Role.PLATFORM_ADMIN, Role.SECURITY_ADMIN}),
    # enterprises
    "enterprise.create": lambda u, o: getattr(u, "level", 0) >= 2,
    "enterprise.review": _enterprise_reviewer,
    "enterprise.grant_agent": lambda u, o: isinstance(o, Enterprise) and _enterprise_rep(u, o),
    # proxy authorisations (帮办代办)
    "proxy.create": lambda u, o: getattr(u, "level", 0) >= 2 or holds(u, Role.PROXY_AGENT),
    "proxy.revoke": lambda u, o: isinstance(o, ProxyAuthorization)
    and (o.grantor_id == u.pk or (o.agent_id == u.pk and holds(u, Role.PROXY_AGENT))),
    # personal data of others, unmasked (audited by the caller)
    "pii.unmask": lambda u, o: holds_any(u, {Role.WINDOW_CLERK, Role.SECURITY_ADMIN}),
    "department.view_staff": lambda u, o: isinstance(o, Department)
    and (holds(u, Role.DEPT_ADMIN, o) or holds(u, Role.PLATFORM_ADMIN, o)),
    "dispute.view": lambda u, o: isinstance(o, IdentityDispute)
    and holds_any(u, {Role.SECURITY_ADMIN, Role.PLATFORM_ADMIN}),
}


def can(user, action: str, obj=None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"unknown action {action!r}")
    return bool(rule(user, obj))


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied("无权执行此操作。")


# --- query scopers -------------------------------------------------------------------------------


def departments_scope(user) -> QuerySet[Department]:
    """Departments a staff member works for: their own, plus everything under a region role."""
    q = Q(pk__in=[r.department_id for r in staff_roles(user) if r.department_id])
    for r in staff_roles(user):
        if r.region_id:
            q |= Q(region__code__startswith=r.region.descendant_codes_prefix())
    return Department.objects.filter(q) if staff_roles(user) else Department.objects.none()


def enterprises_of(user) -> QuerySet[Enterprise]:
    """Enterprises the user may act for (legal representative or active 经办人)."""
    return Enterprise.objects.filter(
        status=Enterprise.Status.VERIFIED, memberships__user=user, memberships__revoked_at__isnull=True
    ).distinct()


def enterprise_review_queue(user) -> QuerySet[Enterprise]:
    if not can(user, "enterprise.review"):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(status=Enterprise.Status.PENDING).order_by("created_at")


def proxy_authorizations_for(user) -> QuerySet[ProxyAuthorization]:
    return ProxyAuthorization.objects.filter(Q(grantor=user) | Q(agent=user)).select_related("grantor", "agent")
