"""Read-only queries on regions and departments that the portal screens share.

Departments are public information (name, phone, address of an office), so these reads need no
policy scoping; only active departments are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from yiwang.org.models import Department, Region

SEARCH_LIMIT = 50

# Fixed words in department names whose inner boundary a search term must not straddle: "民政"
# (civil affairs) is a substring of "人民政府" (people's government) but not a word in it.
COMPOUND_WORDS = {"人民政府": (2,)}


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


def _occurs_as_word(text: str, term: str) -> bool:
    """``term`` occurs in ``text`` somewhere other than across the inner boundary of a compound word."""
    text, term = text.lower(), term.lower()
    start = text.find(term)
    while start != -1:
        end = start + len(term)
        straddles = False
        for word, cuts in COMPOUND_WORDS.items():
            at = text.find(word)
            while at != -1 and not straddles:
                for cut in cuts:
                    boundary = at + cut
                    # crossing the boundary without covering the whole word
                    if start < boundary < end and not (start <= at and end >= at + len(word)):
                        straddles = True
                at = text.find(word, at + 1)
        if not straddles:
            return True
        start = text.find(term, start + 1)
    return False


def _matches(department: Department, term: str) -> bool:
    return any(
        _occurs_as_word(text, term)
        for text in (department.name, department.short_name, department.region.name)
    )


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
    candidates = qs.order_by("region__level", "region_id", "code")[: limit * 20]
    found = [d for d in candidates if all(_matches(d, t) for t in terms)]
    found.sort(key=lambda d: (d.region.level, d.region.code, kind_order.get(d.kind, 99), d.code))
    return found[:limit]
