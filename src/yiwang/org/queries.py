"""Read-only queries on regions and departments that the portal screens share.

Departments are public information (name, phone, address of an office), so these reads need no
policy scoping; only active departments are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from yiwang.org.models import Department, Region

SEARCH_LIMIT = 50


@dataclass
class RegionGroup:
    """The departments of one region, for the 部门 listing."""

    region: Region
    departments: list[Department] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return self.region.get_level_display()


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(active=True).select_related("region")


def department_count() -> int:
    return Department.objects.filter(active=True).count()


def departments_for_listing() -> list[RegionGroup]:
    """Active departments grouped by region, higher levels first (县/区 before 乡镇/街道), regions in
    code order, and within a region the government first, then by kind and code."""
    kind_order = {kind.value: i for i, kind in enumerate(Department.Kind)}
    departments = sorted(
        active_departments(),
        key=lambda d: (d.region.level, d.region.code, kind_order.get(d.kind, 99), d.code),
    )
    groups: list[RegionGroup] = []
    for department in departments:
        if not groups or groups[-1].region.pk != department.region.pk:
            groups.append(RegionGroup(region=department.region))
        groups[-1].departments.append(department)
    return groups


def search_departments(q: str, limit: int = SEARCH_LIMIT) -> list[Department]:
    """Active departments matching every whitespace-separated term of ``q`` in their name, short
    name or region name (e.g. "兖州 民政"). An empty query matches nothing."""
    terms = [t for t in (q or "").split() if t][:8]
    if not terms:
        return []
    qs = active_departments()
    for term in terms:
        qs = qs.filter(
            Q(name__icontains=term) | Q(short_name__icontains=term) | Q(region__name__icontains=term)
        )
    kind_order = {kind.value: i for i, kind in enumerate(Department.Kind)}
    found = list(qs.order_by("region__level", "region_id", "code")[:limit])
    found.sort(key=lambda d: (d.region.level, d.region.code, kind_order.get(d.kind, 99), d.code))
    return found
