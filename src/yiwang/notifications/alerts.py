"""Deadline scanner: raise 黄灯 (``deadline.warning``) and 红灯 (``deadline.overdue``) once per case
and level, on the working-day calendar. The alert row and the event commit together; the unique
(case, level) constraint keeps two scanners from raising the same alert twice."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yiwang.core import clock
from yiwang.core.events import emit
from yiwang.notifications.models import DeadlineAlert


def scan(limit: int = 5000) -> int:
    from yiwang.cases import deadlines
    from yiwang.cases.models import Case
    from yiwang.cases.queries import CLOCK_PAUSED, CLOCK_STOPPED
    from yiwang.cases.status import CaseStatus, Warning

    today = clock.today()
    running = Case.objects.filter(due_date__isnull=False).exclude(
        status__in=[*CLOCK_STOPPED, *CLOCK_PAUSED, CaseStatus.DRAFT])
    raised = 0
    for level, name in ((Warning.WARNING, "deadline.warning"), (Warning.OVERDUE, "deadline.overdue")):
        todo = (running.filter(deadlines.warning_q(level, today)).exclude(deadline_alerts__level=level)
                .only("id", "number", "due_date").order_by("due_date", "id")[:limit])
        for case in todo:
            left = deadlines.remaining_working_days(case.due_date, today)
            try:
                with transaction.atomic():
                    DeadlineAlert.objects.create(case=case, level=level)
                    emit(name, {"case_id": case.pk, "number": case.number, "due_date": case.due_date,
                                "remaining_working_days": left, "level": level})
            except IntegrityError:  # another scanner got there first
                continue
            raised += 1
    return raised
