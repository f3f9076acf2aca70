"""承诺办结日 in working days (DESIGN §4.2–4.3): counted from the day after 受理, shifted by pauses
(特别程序, 补正) and approved extensions; warning levels for supervision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yiwang.cases.status import Warning
from yiwang.core import workdays

WARNING_DAYS = 2  # 黄灯: two working days or fewer left


@dataclass(frozen=True)
class Due:
    date: dt.date
    provisional: bool


def paused_working_days(pauses: list[tuple[dt.date, dt.date | None]], today: dt.date) -> int:
    """Working days inside pause periods (an open pause counts up to today)."""
    total = 0
    for start, end in pauses:
        total += max(workdays.working_days_between(start, end or today), 0)
    return total


def due_date(accepted_on: dt.date, promised: int, unit: str = "workday", *, paused: int = 0,
             extended: int = 0) -> Due:
    """受理日 + 承诺时限 (+ paused + extended working days). Natural-day limits count calendar days."""
    if unit == "natural_day":
        base = accepted_on + dt.timedelta(days=promised)
        if paused or extended:
            detail = workdays.add_working_days_detail(base, paused + extended)
            return Due(detail.date, detail.provisional)
        return Due(base, workdays.is_provisional_date(base))
    detail = workdays.add_working_days_detail(accepted_on, promised + paused + extended)
    return Due(detail.date, detail.provisional)


def remaining_working_days(due: dt.date, today: dt.date) -> int:
    """Working days left until the due date (0 on the day itself, negative once overdue)."""
    if today <= due:
        return workdays.working_days_between(today, due)
    return -workdays.working_days_between(due, today)


def warning_level(remaining: int | None) -> str:
    if remaining is None:
        return Warning.NORMAL
    if remaining < 0:
        return Warning.OVERDUE
    if remaining <= WARNING_DAYS:
        return Warning.WARNING
    return Warning.NORMAL


def warning_window(on: dt.date) -> tuple[dt.date, dt.date]:
    """Due dates d with ``on <= d < end`` have at most WARNING_DAYS working days left:
    ``remaining_working_days`` counts working days in (on, d], which stays ≤ N up to the day
    before the (N+1)-th working day after ``on`` (rest days right after the N-th included)."""
    return on, workdays.add_working_days(on, WARNING_DAYS + 1)


def warning_q(level: str, on: dt.date, prefix: str = ""):
    """Q on case fields (``prefix`` e.g. ``"case__"`` from a work item) for 黄灯 / 红灯 on ``on``."""
    from django.db.models import Q

    if level == Warning.OVERDUE:
        return Q(**{f"{prefix}due_date__lt": on})
    start, end = warning_window(on)
    return Q(**{f"{prefix}due_date__gte": start, f"{prefix}due_date__lt": end})
