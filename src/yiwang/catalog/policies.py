"""Who may edit and publish catalogue items (DESIGN §3 policies; issue 4 "Versions").

Department admins edit their own department's items; platform admins edit all. Publishing is
for a platform admin or the 行政审批服务局's catalogue reviewer (a ``reviewer`` of an
approval-bureau department covering the item's region) — and never by the version's own author.
"""

from __future__ import annotations

from django.db.models import QuerySet

from yiwang.accounts.policies import holds, region_covers, staff_roles
from yiwang.accounts.roles import Role
from yiwang.catalog.models import ItemVersion, ServiceItem
from yiwang.org.models import Department


def can_edit(user, item: ServiceItem) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return holds(user, Role.DEPT_ADMIN, item.department) or holds(user, Role.PLATFORM_ADMIN, item.department)


def is_catalogue_reviewer(user, item: ServiceItem) -> bool:
    if holds(user, Role.PLATFORM_ADMIN, item.department):
        return True
    return any(
        r.role == Role.REVIEWER
        and r.department is not None
        and r.department.kind == Department.Kind.APPROVAL_BUREAU
        and region_covers(r.department.region, item.region_id)
        for r in staff_roles(user)
    )


def authors(version: ItemVersion) -> set[int]:
    return {pk for pk in (version.created_by_id, version.submitted_by_id) if pk}


def can_publish(user, version: ItemVersion) -> bool:
    """Nobody publishes their own edit (四眼原则)."""
    if not getattr(user, "is_authenticated", False) or user.pk in authors(version):
        return False
    return is_catalogue_reviewer(user, version.item)


def items_editable_by(user) -> QuerySet[ServiceItem]:
    from yiwang.accounts.policies import departments_scope

    if not getattr(user, "is_authenticated", False):
        return ServiceItem.objects.none()
    roles = {r.role for r in staff_roles(user)}
    if Role.PLATFORM_ADMIN in roles:
        return ServiceItem.objects.filter(department__in=departments_scope(user))
    if Role.DEPT_ADMIN in roles:
        ids = [r.department_id for r in staff_roles(user) if r.role == Role.DEPT_ADMIN and r.department_id]
        return ServiceItem.objects.filter(department_id__in=ids)
    return ServiceItem.objects.none()


def review_queue(user) -> QuerySet[ItemVersion]:
    """Versions waiting for review that this user may publish (their own edits excluded later)."""
    qs = ItemVersion.objects.filter(status="in_review").select_related("item__department", "item__region")
    return qs.filter(pk__in=[v.pk for v in qs if can_publish(user, v)])
