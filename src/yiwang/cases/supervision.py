"""电子监察: open cases near or past their 承诺办结日, counted per 承办部门, scoped by policy.

Only supervisors and leaders see the board, and only for the departments in their scope
(``accounts.policies.departments_scope``: their own, plus everything under a region role).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from yiwang.accounts.policies import departments_scope, holds_any
from yiwang.accounts.roles import Role
from yiwang.cases import deadlines
from yiwang.cases.models import Case
from yiwang.cases.queries import CLOCK_PAUSED, CLOCK_STOPPED
from yiwang.cases.status import CaseStatus, Warning
from yiwang.core.clock import today
from yiwang.org.models import Department

BOARD_ROLES = {Role.SUPERVISOR, Role.LEADER}
# The clock does not run during 补正 and 特别程序, so such cases are neither late nor nearly late.
NOT_RUNNING = CLOCK_STOPPED | CLOCK_PAUSED | {CaseStatus.DRAFT}
LEVELS = (Warning.WARNING, Warning.OVERDUE)


def can_supervise(user) -> bool:
    return holds_any(user, BOARD_ROLES)


def level_q(level: str, on: dt.date | None = None, prefix: str = "") -> Q:
    return deadlines.warning_q(level, on or today(), prefix)


def open_cases(user) -> QuerySet[Case]:
    """Cases whose clock runs, in the supervisor's departments (none for anyone else)."""
    if not can_supervise(user):
        return Case.objects.none()
    return (Case.objects.filter(department__in=departments_scope(user), due_date__isnull=False)
            .exclude(status__in=NOT_RUNNING))


def flagged(user, level: str = "", department: Department | None = None) -> QuerySet[Case]:
    """Warning and/or overdue open cases, most urgent first."""
    qs = open_cases(user)
    on = today()
    qs = qs.filter(level_q(level, on) if level in LEVELS else level_q(Warning.WARNING, on) | level_q(Warning.OVERDUE, on))
    if department is not None:
        qs = qs.filter(department=department)
    return qs.select_related("item_version", "department", "applicant").order_by("due_date", "id")


def counts_by_department(user) -> list[dict]:
    """``[{"department": Department, "warning": n, "overdue": n}]`` for departments with any."""
    on = today()
    rows = (open_cases(user)
            .filter(level_q(Warning.WARNING, on) | level_q(Warning.OVERDUE, on))
            .values("department")
            .annotate(warning=Count("pk", filter=level_q(Warning.WARNING, on)),
                      overdue=Count("pk", filter=level_q(Warning.OVERDUE, on)))
            .order_by())
    rows = list(rows)
    names = Department.objects.in_bulk([r["department"] for r in rows])
    out = [{"department": names[r["department"]], "warning": r["warning"], "overdue": r["overdue"]} for r in rows]
    return sorted(out, key=lambda r: (-r["overdue"], -r["warning"], r["department"].code))


def departments(user) -> QuerySet[Department]:
    """Departments the board may be filtered by."""
    return departments_scope(user).order_by("region_id", "code") if can_supervise(user) else Department.objects.none()
