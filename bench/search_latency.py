"""Latency of ``yiwang.catalog.search.search()`` itself (no HTTP) over the fixed query mix.

    .venv/bin/python bench/search_latency.py [--generate 20000] [--rounds 5] [--keep]

On the current database (``DATABASE_URL``, or the SQLite file under var/): loads the demo catalogue
if missing (``search_volume.ensure_demo_catalogue``), measures p50/p95/max at demo size, then —
with ``--generate N`` — adds N generated items and measures again. Generated items are removed at
the end unless ``--keep``. Prints one JSON line per size. Not a test: figures go into the issue note.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")

import django

django.setup()

import search_volume  # noqa: E402
from django.db import connection  # noqa: E402

from yiwang.catalog import search  # noqa: E402
from yiwang.catalog.models import SearchEntry  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure(label: str, queries: list[str], rounds: int) -> dict:
    for q in queries:  # warm up: tokenizer, synonym cache, database caches
        search.search(q)
    samples: list[float] = []
    slowest: list[tuple[float, str]] = []
    for _ in range(rounds):
        for q in queries:
            started = time.perf_counter()
            search.search(q)
            elapsed = (time.perf_counter() - started) * 1000
            samples.append(elapsed)
            slowest.append((elapsed, q))
    for q in ("", "营业执照", "yy"):  # filtered listing and suggestions, a few samples for the record
        search.search(q, search.SearchFilters(audience="2", online="capable"))
        search.suggest(q)
    result = {
        "size": label, "database": connection.vendor, "entries": SearchEntry.objects.count(),
        "queries": len(queries), "samples": len(samples),
        "p50_ms": round(statistics.median(samples), 2), "p95_ms": round(percentile(samples, 95), 2),
        "max_ms": round(max(samples), 2),
        "slowest": list(dict.fromkeys(q for _, q in sorted(slowest, reverse=True)))[:5],
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", type=int, default=0, help="extra generated items for the second run")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the generated items")
    args = parser.parse_args()

    search_volume.ensure_demo_catalogue()
    queries = search_volume.query_mix()
    results = [measure("demo", queries, args.rounds)]
    if args.generate:
        search_volume.generate_items(args.generate)
        results.append(measure(f"demo+{args.generate}", queries, args.rounds))
        if not args.keep:
            search_volume.log(f"removed {search_volume.remove_generated()} generated items")
            search_volume.vacuum_analyze()
        ratio = results[1]["p95_ms"] / max(results[0]["p95_ms"], 0.01)
        print(json.dumps({"p95_ratio": round(ratio, 2)}), flush=True)


if __name__ == "__main__":
    main()
