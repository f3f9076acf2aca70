"""``yiwang worker``: one loop that ticks the scheduler, dispatches outbox batches and runs queued
django-tasks (database backend). It survives a lost database (PostgreSQL restart, network blip):
the error is logged, connections are dropped and the loop waits and tries again; leases make sure
nothing a crashed or stalled worker held is lost."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
import uuid

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django_tasks_db.models import DBTaskResult

from yiwang.core import dispatch, scheduler

log = logging.getLogger("yiwang.worker")

TASK_BACKEND = "default"


# ``leased_by`` / ``last_run_by`` hold at most this much; a longer id would fail every claim.
MAX_ID_LENGTH = 100


def new_worker_id() -> str:
    """``host:pid:random``; a long (fully qualified) host name is cut so the id fits its columns."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


_process_id: dict[int, str] = {}


def process_worker_id() -> str:
    """This process's id for leases taken inside tasks (stable per process, new after a fork)."""
    pid = os.getpid()
    if pid not in _process_id:
        _process_id[pid] = new_worker_id()
    return _process_id[pid]


def run_one_task(worker_id: str) -> bool:
    """Claim and run one ready task; False when there is none."""
    with transaction.atomic():
        result = DBTaskResult.objects.ready().filter(backend_name=TASK_BACKEND).get_locked()
        if result is None:
            return False
        result.claim(worker_id)
    try:
        task_result = result.task_result
        value = result.task.call(*task_result.args, **task_result.kwargs)
    except Exception as exc:
        log.exception("任务 %s 失败", result.task_path)
        result.set_failed(exc)
    else:
        result.set_successful(value)
    return True


class Worker:
    def __init__(self, worker_id: str | None = None, *, batch: int | None = None, tasks_per_round: int = 50):
        self.worker_id = (worker_id or process_worker_id())[:MAX_ID_LENGTH]
        self.batch = batch or settings.YIWANG_WORKER_BATCH
        self.tasks_per_round = tasks_per_round
        self.running = True

    def step(self) -> int:
        """One round; how much work it found (0 means idle)."""
        done = scheduler.tick(self.worker_id)
        done += dispatch.dispatch_once(self.worker_id, self.batch)
        for _ in range(self.tasks_per_round):
            if not run_one_task(self.worker_id):
                break
            done += 1
        return done

    def run_until_idle(self, max_rounds: int = 1000) -> int:
        """Rounds until nothing is left (tests and ``yiwang worker --until-idle``)."""
        total = 0
        for _ in range(max_rounds):
            n = self.step()
            total += n
            if n == 0:
                break
        return total

    def stop(self, *_args) -> None:
        log.info("worker %s stopping", self.worker_id)
        self.running = False

    def run(self, handle_signals: bool = True) -> None:
        """Loop until stopped (SIGTERM / Ctrl-C, or ``stop()`` from another thread)."""
        if handle_signals:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        idle = settings.YIWANG_WORKER_IDLE_SECONDS
        for conn in connections.all():  # keep one connection across rounds; broken ones are replaced
            conn.settings_dict["CONN_MAX_AGE"] = None
        pause = 0.5
        log.info("worker %s started", self.worker_id)
        while self.running:
            try:
                close_old_connections()
                found = self.step()
                pause = 0.5
            except (OperationalError, InterfaceError, DatabaseError) as exc:
                log.warning("数据库不可用，%.1f 秒后重试：%s", pause, str(exc).strip()[:200])
                for conn in connections.all():
                    conn.close_if_unusable_or_obsolete()
                    try:
                        conn.close()
                    except Exception:  # the connection is already gone
                        pass
                time.sleep(pause)
                pause = min(pause * 2, 5.0)
                continue
            if not found:
                time.sleep(idle)
