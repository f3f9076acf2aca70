"""Background tasks (django-tasks, database backend) and the periodic jobs that enqueue them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from yiwang.core import clock
from yiwang.core.scheduler import periodic


@task()
def send_delivery(delivery_id: int) -> str:
    from yiwang.notifications.delivering import attempt

    return attempt(delivery_id)


@periodic("deliveries.retry")
@task()
def retry_deliveries() -> int:
    from yiwang.notifications.delivering import requeue_due

    return requeue_due()


@periodic("deadlines.scan")
@task()
def scan_deadlines() -> int:
    from yiwang.notifications.alerts import scan

    return scan()


@periodic("housekeeping.cleanup")
@task()
def cleanup() -> dict:
    """Drop dispatched outbox rows and finished task results past their keep time; fail task rows
    a crashed worker left 'running' (their work was re-queued through the delivery leases)."""
    from django_tasks_db.models import DBTaskResult

    from yiwang.core.models import OutboxEvent

    now = clock.now()
    keep = now - dt.timedelta(days=settings.YIWANG_KEEP_DISPATCHED_DAYS)
    events = OutboxEvent.objects.filter(dispatched_at__lt=keep).delete()[0]
    results = DBTaskResult.objects.finished().filter(finished_at__lt=keep).delete()[0]
    stuck = DBTaskResult.objects.running().filter(started_at__lt=now - dt.timedelta(hours=1)).update(
        status="FAILED", finished_at=now, exception_class_path="yiwang.core.worker.WorkerLost",
        traceback="工作进程在运行中退出，任务已由租约机制重新排队。")
    return {"events": events, "task_results": results, "stuck": stuck}
