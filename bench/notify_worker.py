"""Notifications bench (issue 6), run by bench/notify.sh with production settings on PostgreSQL.

1. ``emit()`` cost: N events written one per transaction, the way a request writes one — we time
   the transaction with and without the emit and report the difference (p50 / p95 / mean, ms).
2. Worker throughput: one worker (in this process, as ``yiwang worker`` runs it) turns the backlog
   of ``case.submitted`` events for seeded cases into in-app notifications; events per second.

Prints one JSON line per figure. Not a test.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from yiwang.cases import benchseed
    from yiwang.cases.models import Case
    from yiwang.core.events import emit
    from yiwang.core.models import OutboxEvent
    from yiwang.core.worker import Worker
    from yiwang.notifications.models import Notification

    cases = int(os.environ.get("BENCH_NOTIFY_CASES", "10000"))
    events = int(os.environ.get("BENCH_NOTIFY_EVENTS", "20000"))
    call_command("migrate", verbosity=0)
    benchseed.seed(cases, log=lambda m: print(f"bench: {m}", file=sys.stderr))
    OutboxEvent.objects.filter(dispatched_at__isnull=True).update(dispatched_at=django.utils.timezone.now())
    ids = list(Case.objects.filter(parent__isnull=True, number__isnull=False).values_list("id", "number")[:events])

    # 1. what emit() adds to a request's transaction
    with_emit, without = [], []
    for i in range(2000):
        case_id, number = ids[i % len(ids)]
        t = time.perf_counter()
        with transaction.atomic():
            Case.objects.filter(pk=case_id).update(updated_at=django.utils.timezone.now())
            emit("case.submitted", {"case_id": case_id, "number": number, "item_code": "bench"})
        with_emit.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        with transaction.atomic():
            Case.objects.filter(pk=case_id).update(updated_at=django.utils.timezone.now())
        without.append((time.perf_counter() - t) * 1000)
    added = {
        "p50": round(pct(with_emit, 50) - pct(without, 50), 3),
        "p95": round(pct(with_emit, 95) - pct(without, 95), 3),
        "mean": round(statistics.mean(with_emit) - statistics.mean(without), 3),
    }
    print(json.dumps({"scenario": "notify_emit_cost_ms", **added, "samples": len(with_emit)}), flush=True)

    # 2. backlog of events → in-app notifications by one worker
    OutboxEvent.objects.filter(dispatched_at__isnull=True).update(dispatched_at=django.utils.timezone.now())
    Notification.objects.all().delete()
    with transaction.atomic():
        OutboxEvent.objects.bulk_create([
            OutboxEvent(name="case.submitted", payload={"case_id": c, "number": n, "item_code": "bench"})
            for c, n in (ids[i % len(ids)] for i in range(events))
        ], batch_size=5000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    worker = Worker("bench-worker")
    t = time.perf_counter()
    worker.run_until_idle(max_rounds=100_000)
    secs = time.perf_counter() - t
    made = Notification.objects.count()
    left = OutboxEvent.objects.filter(dispatched_at__isnull=True).count()
    print(json.dumps({"scenario": "notify_worker_events_per_s", "events": events, "seconds": round(secs, 2),
                      "events_per_s": round(events / secs, 1), "notifications": made, "left": left,
                      "batch": worker.batch}), flush=True)


if __name__ == "__main__":
    main()
