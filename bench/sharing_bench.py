"""Data-sharing bench (issue 8), run by bench/sharing.sh with production settings on PostgreSQL.

Seeds a 有条件 platform-hosted resource with BENCH_SHARING_RECORDS records (encrypted, blind-
indexed, written with COPY), grants the consumer department two items, then times
``exchange.read`` — grant check, record fetch, decryption and the hash-chained access record —
for random subjects, one read per transaction as a request makes it. Prints JSON lines. Not a test.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def out(**fields) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def subject(i: int) -> str:
    """An 18-character subject id per record (a bench id, not a real 身份证号)."""
    return f"BENCH{i:013d}"


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from yiwang.accounts.models import User
    from yiwang.core.crypto import blind_index, encrypt
    from yiwang.org.demo import load_demo_org
    from yiwang.org.models import Department
    from yiwang.sharing import exchange
    from yiwang.sharing.models import Grant, HostedRecord, Resource, ShareType

    call_command("migrate", verbosity=0)
    load_demo_org()
    n = int(os.environ.get("BENCH_SHARING_RECORDS", "1000000"))
    police, market = Department.objects.get(code="police"), Department.objects.get(code="market")
    resource, _ = Resource.objects.get_or_create(code="BENCH-RK", defaults={
        "name": "压测人口信息", "provider": police, "share_type": ShareType.CONDITIONAL,
        "items": [{"name": "household_address", "label": "户籍地址"}, {"name": "marital_status", "label": "婚姻状况"},
                  {"name": "ethnicity", "label": "民族"}]})
    field_subject = HostedRecord._meta.get_field("subject")
    field_data = HostedRecord._meta.get_field("data")
    t = time.perf_counter()
    now = timezone.now()
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {HostedRecord._meta.db_table} (resource_id, subject, subject_index, data, updated_at)"
                         " FROM STDIN") as copy:
            for i in range(n):
                s = subject(i)
                data = json.dumps({"household_address": f"兖州区建设东路{i % 500}号", "marital_status": "已婚",
                                   "ethnicity": "汉族"}, ensure_ascii=False)
                copy.write_row((resource.pk, encrypt(s, field_subject.aad), blind_index("subject", s),
                                encrypt(data, field_data.aad), now))
                if i and i % 200000 == 0:
                    print(f"bench: {i:,} records", file=sys.stderr, flush=True)
    out(figure="hosted_seed", records=n, seconds=round(time.perf_counter() - t, 1))
    steward, _ = User.objects.get_or_create(username="bench-steward", defaults={"name": "压测"})
    Grant.objects.create(consumer=market, resource=resource, items=["household_address", "marital_status"],
                         purpose="压测", legal_basis="压测", valid_until=timezone.localdate().replace(year=2099),
                         requested_by=steward, decide_by=timezone.localdate(), status=Grant.Status.APPROVED)
    clerk, _ = User.objects.get_or_create(username="bench-clerk", defaults={"name": "压测经办"})
    rng = random.Random(11)
    for _warm in range(50):
        exchange.read(resource, subject(rng.randrange(n)), consumer=market, purpose="压测", user=clerk,
                      items=["household_address"])
    times, results = [], []
    for _i in range(2000):
        s = subject(rng.randrange(n))
        t = time.perf_counter()
        reading = exchange.read(resource, s, consumer=market, purpose="办理食品经营许可", user=clerk,
                                items=["household_address", "marital_status"], case_number="37081220261124000001")
        times.append((time.perf_counter() - t) * 1000)
        results.append(reading.result)
    out(figure="exchange_read", records=n, reads=len(times), ok=results.count("ok"),
        p50_ms=round(pct(times, 50), 2), p95_ms=round(pct(times, 95), 2), mean_ms=round(statistics.mean(times), 2))
    times = []
    for _i in range(500):
        t = time.perf_counter()
        exchange.read(resource, subject(rng.randrange(n)), consumer=market, purpose="越权", user=clerk,
                      items=["ethnicity"])
        times.append((time.perf_counter() - t) * 1000)
    out(figure="exchange_refusal", reads=len(times), p50_ms=round(pct(times, 50), 2), p95_ms=round(pct(times, 95), 2))


if __name__ == "__main__":
    main()
