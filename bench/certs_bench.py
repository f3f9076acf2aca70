"""Certificates bench (issue 7), run by bench/certs.sh with production settings on PostgreSQL.

1. Issue: one worker (this process) issues BENCH_CERT_ISSUES certificates through
   ``issuing.issue`` — render the PDF, sign (SM2), check the signature, append to the log, sign
   the tree head, embed the envelope, store — one transaction each; certificates per second.
2. Proofs: a log of BENCH_CERT_LOG entries (bulk seed), then inclusion proofs of random leaves in
   trees of 10^3 … 10^6 entries: hashes per proof and p50/p95 ms (grows as log n).

Prints one JSON line per figure. Not a test.
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


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from yiwang.accounts.demo import demo_id_number
    from yiwang.accounts.models import User
    from yiwang.certificates import benchseed, issuing, log

    call_command("migrate", verbosity=0)
    n_issue = int(os.environ.get("BENCH_CERT_ISSUES", "100"))
    size = int(os.environ.get("BENCH_CERT_LOG", "1000000"))

    # 2 first: the bulk seed needs an empty log.
    t = time.perf_counter()
    benchseed.seed_log(size, log_progress=lambda m: print(f"bench: {m}", file=sys.stderr, flush=True))
    out(figure="log_seed", entries=size, seconds=round(time.perf_counter() - t, 1))
    rng = random.Random(3)
    n = 1000
    while n <= size:
        times, lengths = [], []
        for _ in range(300):
            index = rng.randrange(n)
            t = time.perf_counter()
            proof = log.inclusion(index, n)
            times.append((time.perf_counter() - t) * 1000)
            lengths.append(len(proof))
        out(figure="inclusion_proof", tree_size=n, hashes_mean=round(statistics.mean(lengths), 1),
            hashes_max=max(lengths), p50_ms=round(pct(times, 50), 2), p95_ms=round(pct(times, 95), 2))
        n *= 10
    check_start = time.perf_counter()
    check = log.verify_log()
    out(figure="verify_log", entries=check.size, ok=check.ok, seconds=round(time.perf_counter() - check_start, 1))

    # 1. issuing, one worker
    cert_type = benchseed._bench_type()
    holder, _ = User.objects.get_or_create(username="bench-issue-holder", defaults={"name": "压测持证人"})
    holder.id_number = demo_id_number("19880512", "001")
    holder.save()
    fields = (("经营者", "压测持证人"), ("经营项目", "预包装食品销售"))
    issuing.issue(cert_type, holder_user=holder, fields=fields)  # warm-up: fonts, keys, templates
    times = []
    start = time.perf_counter()
    for _ in range(n_issue):
        t = time.perf_counter()
        issuing.issue(cert_type, holder_user=holder, fields=fields)
        times.append((time.perf_counter() - t) * 1000)
    elapsed = time.perf_counter() - start
    out(figure="issue_one_worker", certificates=n_issue, per_second=round(n_issue / elapsed, 2),
        p50_ms=round(pct(times, 50), 1), p95_ms=round(pct(times, 95), 1), log_entries_before=size)


if __name__ == "__main__":
    main()
