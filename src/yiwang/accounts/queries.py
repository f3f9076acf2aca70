"""Read models shared by screens and the API, already scoped and masked."""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.accounts.models import Enterprise, StaffRole, User
from yiwang.core.clock import iso


def profile_dict(user: User) -> dict:
    from yiwang.accounts.policies import role_codes

    return {
        "id": user.pk,
        "username": user.username,
        "name": user.name,
        "id_number_masked": user.id_number_masked,
        "phone_masked": user.phone_masked,
        "email": user.email,
        "email_verified": user.email_verified,
        "level": user.level,
        "level_label": user.get_level_display(),
        "roles": sorted(role_codes(user)),
        "date_joined": iso(user.date_joined),
    }


def enterprise_dict(ent: Enterprise) -> dict:
    return {
        "id": ent.pk,
        "name": ent.name,
        "uscc": ent.uscc,
        "type": ent.type,
        "type_label": ent.get_type_display(),
        "legal_rep_name": ent.legal_rep_name,
        "status": ent.status,
        "status_label": ent.get_status_display(),
        "created_at": iso(ent.created_at),
    }


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    """Enterprises the user requested or is a member of."""
    from django.db.models import Q

    return (
        Enterprise.objects.filter(Q(created_by=user) | Q(memberships__user=user, memberships__revoked_at__isnull=True))
        .distinct()
        .order_by("-created_at")
    )


ROLE_ORDER = {code: n for n, code in enumerate([
    "citizen", "enterprise", "proxy_agent", "window_clerk", "undertaker", "reviewer", "approver", "dept_admin",
    "data_steward", "disclosure_officer", "hotline_agent", "supervisor", "leader", "platform_admin",
    "security_admin", "audit_admin",
])}


def demo_accounts() -> list[dict]:
    """Demo accounts with their roles, for the one-click demo logins (demo mode only)."""
    rows: list[dict] = []
    roles = StaffRole.objects.filter(user__is_demo=True, user__is_active=True).select_related("user", "department")
    staff_ids = set()
    for r in roles:
        staff_ids.add(r.user_id)
        rows.append({
            "username": r.user.username, "name": r.user.name, "role": r.role, "role_label": r.get_role_display(),
            "department_code": r.department.code if r.department else None,
            "department_name": r.department.name if r.department else None,
        })
    for u in User.objects.filter(is_demo=True, is_active=True).exclude(pk__in=staff_ids).order_by("username"):
        is_corp = u.enterprise_memberships.filter(revoked_at__isnull=True).exists()
        role = "enterprise" if is_corp else "citizen"
        rows.append({"username": u.username, "name": u.name, "role": role,
                     "role_label": "法人" if is_corp else "自然人", "department_code": None, "department_name": None})
    rows.sort(key=lambda r: (ROLE_ORDER.get(r["role"], 99), r["department_code"] or "", r["username"]))
    return rows
