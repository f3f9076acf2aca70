"""Catalogue KPIs as platforms compute them (DESIGN §7), over the published items in a scope.

- 网上可办率 ``online_rate`` = items with online depth ≥ Ⅱ (any of 收件…电子证照反馈) / items;
- 全程网办率 ``fully_online_rate`` = items at level Ⅳ / items;
- 即办件占比 ``instant_rate`` = items whose 承诺时限 is 0 / items;
- 承诺时限压缩比 ``time_compression_ratio`` = (Σ法定 − Σ承诺) / Σ法定, over the items that have a
  法定时限 (an item without one cannot be compressed), in working days (a natural day counts 5/7,
  as in the consistency rules);
- 平均跑动次数 ``avg_visits`` = Σ到现场次数 / items; 零跑动率 ``zero_visit_rate`` = items with 0
  visits / items; 最多跑一次率 ``at_most_one_visit_rate`` = items with ≤ 1 visit / items.

Rates are fractions in [0, 1] rounded to 4 places; over an empty scope they are ``None`` (no
items: the rate is undefined, not zero). ``items`` is the number of items in scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from yiwang.catalog import codes
from yiwang.catalog.models import ServiceItem, VersionStatus
from yiwang.catalog.rules import LIMIT_UNIT_DAYS

KPI_NAMES = ("online_rate", "fully_online_rate", "instant_rate", "time_compression_ratio", "avg_visits",
             "zero_visit_rate", "at_most_one_visit_rate", "items")


@dataclass(frozen=True)
class ItemFacts:
    """What the KPIs need of one published version."""

    online_depth: list
    legal_value: int | None
    legal_unit: str
    promised_value: int
    promised_unit: str
    visits: int


def _workdays(value: int | None, unit: str) -> float:
    return (value or 0) * LIMIT_UNIT_DAYS.get(unit, 1.0)


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def compute(facts: Iterable[ItemFacts]) -> dict[str, Any]:
    facts = list(facts)
    n = len(facts)
    online = sum(1 for f in facts if codes.is_online_capable(f.online_depth))
    full = sum(1 for f in facts if codes.online_depth_level(f.online_depth) == 4)
    instant = sum(1 for f in facts if (f.promised_value or 0) == 0)
    limited = [f for f in facts if f.legal_value]
    legal = sum(_workdays(f.legal_value, f.legal_unit) for f in limited)
    promised = sum(_workdays(f.promised_value, f.promised_unit) for f in limited)
    visits = sum(f.visits or 0 for f in facts)
    return {
        "online_rate": _ratio(online, n),
        "fully_online_rate": _ratio(full, n),
        "instant_rate": _ratio(instant, n),
        "time_compression_ratio": _ratio(legal - promised, legal),
        "avg_visits": _ratio(visits, n),
        "zero_visit_rate": _ratio(sum(1 for f in facts if (f.visits or 0) == 0), n),
        "at_most_one_visit_rate": _ratio(sum(1 for f in facts if (f.visits or 0) <= 1), n),
        "items": n,
    }


def scope_items(department=None, region=None):
    """Published items of a department (Department or code) and/or within a region (Region or
    code: the region and every region below it)."""
    from yiwang.org.services import within_region_q

    qs = ServiceItem.objects.filter(current__status=VersionStatus.PUBLISHED)
    if department is not None:
        qs = qs.filter(department__code=getattr(department, "code", department))
    if region is not None:
        qs = qs.filter(within_region_q(region, "region"))
    return qs


def catalogue_kpis(department=None, region=None) -> dict[str, Any]:
    rows = scope_items(department, region).values_list(
        "current__online_depth", "current__legal_limit_value", "current__legal_limit_unit",
        "current__promised_limit_value", "current__promised_limit_unit", "current__visits",
    )
    return compute(ItemFacts(*row) for row in rows.iterator(chunk_size=2000))
