"""Periodic case jobs, run by ``yiwang worker`` through the scheduler (``core.scheduler``)."""

from django_tasks import task

from yiwang.core.scheduler import periodic


@periodic("corrections.expire")
@task()
def expire_corrections() -> int:
    """补正超时: end the cases whose correction reply date has passed (idempotent)."""
    from yiwang.cases.handling import expire_corrections as expire

    return len(expire())
