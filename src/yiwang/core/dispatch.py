"""Outbox dispatcher: claim pending events in batches under an expiring lease, hand each batch to
the consumers registered for the event names, and mark the events dispatched in the same
transaction as the consumers' writes — so what a consumer writes happens exactly once per event.

A crashed worker's lease runs out and another worker claims the rows again. A consumer that raises
for one event does not hold up the others: the group is retried event by event under savepoints
(all consumers of an event in the same one) and only the failing event is rescheduled with backoff
(a dead letter after the last attempt).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from yiwang.core import clock, retry
from yiwang.core.models import OutboxEvent

log = logging.getLogger("yiwang.dispatch")

Consumer = Callable[[list[OutboxEvent]], None]
_consumers: dict[str, list[Consumer]] = defaultdict(list)


def consumer(*names: str) -> Callable[[Consumer], Consumer]:
    """Register ``func(events)`` for events with these names; it runs inside the dispatch transaction."""

    def register(func: Consumer) -> Consumer:
        for name in names:
            if func not in _consumers[name]:
                _consumers[name].append(func)
        return func

    return register


def consumers_of(name: str) -> list[Consumer]:
    return list(_consumers.get(name, ()))


def _pending(now: dt.datetime):
    return (
        OutboxEvent.objects.filter(dispatched_at__isnull=True, dead_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )


def claim(worker_id: str, batch: int | None = None, lease_seconds: float | None = None) -> list[int]:
    """Lease up to ``batch`` pending events (oldest first) to ``worker_id``; other workers skip them."""
    batch = batch or settings.YIWANG_WORKER_BATCH
    lease = dt.timedelta(seconds=lease_seconds or settings.YIWANG_WORKER_LEASE_SECONDS)
    now = clock.now()
    with transaction.atomic():
        ids = list(
            _pending(now).order_by("id").select_for_update(skip_locked=True).values_list("id", flat=True)[:batch]
        )
        if ids:
            OutboxEvent.objects.filter(id__in=ids).update(
                lease_until=now + lease, leased_by=worker_id, attempts=F("attempts") + 1
            )
    return ids


def _run(fns: list[Consumer], events: list[OutboxEvent]) -> list[tuple[OutboxEvent, str]]:
    """Run every consumer of these events on the group under one savepoint; on error, again event by
    event, so an event's consumers succeed or fail together (a retry then runs all of them again and
    none sees the same event succeed twice). Returns (event, error) failures."""
    try:
        with transaction.atomic():
            for fn in fns:
                fn(events)
        return []
    except Exception:
        if len(events) == 1:
            log.exception("事件 %s（%s）处理失败", events[0].pk, events[0].name)
            return [(events[0], _error_text())]
    failures = []
    for event in events:
        try:
            with transaction.atomic():
                for fn in fns:
                    fn([event])
        except Exception:
            log.exception("事件 %s（%s）处理失败", event.pk, event.name)
            failures.append((event, _error_text()))
    return failures


def _error_text() -> str:
    exc = sys.exception()
    return "".join(traceback.format_exception_only(exc)).strip()[:2000] if exc else ""


def dispatch(ids: Iterable[int], worker_id: str) -> tuple[int, int]:
    """Run the consumers for claimed events still leased to us. Returns (dispatched, failed)."""
    ids = list(ids)
    if not ids:
        return 0, 0
    now = clock.now()
    failed: dict[int, tuple[OutboxEvent, str]] = {}
    with transaction.atomic():
        # Lock and re-check ownership: if our lease ran out and someone else took the rows, skip them.
        events = list(
            OutboxEvent.objects.select_for_update()
            .filter(id__in=ids, leased_by=worker_id, dispatched_at__isnull=True, dead_at__isnull=True)
            .order_by("id")
        )
        groups: dict[str, list[OutboxEvent]] = defaultdict(list)
        for e in events:
            groups[e.name].append(e)
        for name, group in groups.items():
            fns = consumers_of(name)
            if fns:
                for event, error in _run(fns, group):
                    failed[event.pk] = (event, error)
        done = [e.pk for e in events if e.pk not in failed]
        OutboxEvent.objects.filter(id__in=done).update(dispatched_at=now, lease_until=None, last_error="")
    for event, error in failed.values():
        _reschedule(event, error, now)
    return len(done), len(failed)


def _reschedule(event: OutboxEvent, error: str, now: dt.datetime) -> None:
    fields = {"lease_until": None, "last_error": error}
    if retry.exhausted(event.attempts):
        fields["dead_at"] = now
        log.error("事件 %s（%s）多次处理失败，转入死信：%s", event.pk, event.name, error)
    else:
        fields["next_attempt_at"] = retry.next_attempt(now, event.attempts)
    OutboxEvent.objects.filter(pk=event.pk, leased_by=event.leased_by).update(**fields)


def dispatch_once(worker_id: str, batch: int | None = None) -> int:
    """Claim one batch and dispatch it; the number of events handled (0 when idle)."""
    ids = claim(worker_id, batch)
    done, failed = dispatch(ids, worker_id)
    return done + failed


def requeue(event: OutboxEvent) -> None:
    """Give a dead event another round (admin action)."""
    OutboxEvent.objects.filter(pk=event.pk, dead_at__isnull=False).update(
        dead_at=None, attempts=0, next_attempt_at=None, lease_until=None, leased_by=""
    )
