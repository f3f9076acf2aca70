"""Periodic jobs (deadline scan, delivery retries, clean-up) on top of django-tasks, which has no
scheduler of its own. Each job has a row in ``ScheduledJob``; a worker that finds it due moves
``next_run_at`` forward with a conditional UPDATE and, only if that UPDATE hit the row, enqueues the
job's task. Several workers may tick at once: each round is enqueued exactly once."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from yiwang.core import clock
from yiwang.core.models import ScheduledJob

log = logging.getLogger("yiwang.scheduler")

_jobs: dict[str, object] = {}


def periodic(name: str):
    """Register a django-tasks ``Task`` to run every ``settings.YIWANG_SCHEDULE[name]`` seconds."""

    def register(task):
        _jobs[name] = task
        return task

    return register


def jobs() -> dict[str, object]:
    return dict(_jobs)


def interval(name: str) -> float:
    return float(settings.YIWANG_SCHEDULE.get(name, 3600))


def _due(now: dt.datetime) -> set[str]:
    """Names of registered jobs that are due (creating missing rows, due at once): one read, so an
    idle worker writes nothing."""
    rows = dict(ScheduledJob.objects.filter(name__in=list(_jobs)).values_list("name", "next_run_at"))
    for name in set(_jobs) - set(rows):
        try:
            with transaction.atomic():
                ScheduledJob.objects.create(name=name, next_run_at=now)
        except IntegrityError:  # another worker created it first
            pass
        rows[name] = now
    return {name for name, at in rows.items() if at <= now}


def tick(worker_id: str) -> int:
    """Enqueue every job that is due; the number enqueued by this worker."""
    now = clock.now()
    enqueued = 0
    for name in _due(now):
        task = _jobs[name]
        if interval(name) <= 0:
            continue
        with transaction.atomic():
            won = ScheduledJob.objects.filter(name=name, next_run_at__lte=now).update(
                next_run_at=now + dt.timedelta(seconds=interval(name)), last_run_at=now, last_run_by=worker_id
            )
            if won:
                task.enqueue()
                enqueued += 1
    return enqueued


def run_now(name: str) -> None:
    """Make a job due at once (admin action, tests)."""
    ScheduledJob.objects.filter(name=name).update(next_run_at=clock.now())
