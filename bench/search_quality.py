"""Search quality: top-1 and top-3 hit rates of the resident phrasings in ``bench/search_queries.yaml``.

    .venv/bin/python bench/search_quality.py [--verbose] [--min-top3 0.9]

On the current database (``DATABASE_URL``, or the SQLite file under var/): loads the demo
catalogue, indexes it and seeds the default synonyms if needed, then runs every query through
``yiwang.catalog.search.search()``. A query is a top-k hit when one of its expected items is among
the first k results. Expected items are given by code (``expect``) or by name (``expect_names``,
resolved at run time: the exact name, else every item whose name contains it). Prints each miss
with what came first, then the rates; exits 1 when top-3 is below ``--min-top3``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))
if str(BENCH.parent / "src") not in sys.path:
    sys.path.insert(0, str(BENCH.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")

import django  # noqa: E402

django.setup()

import search_volume  # noqa: E402
import yaml  # noqa: E402

from yiwang.catalog import search  # noqa: E402
from yiwang.catalog.models import SearchEntry  # noqa: E402

QUERIES_FILE = BENCH / "search_queries.yaml"


def resolve(row: dict, names: dict[str, str]) -> tuple[set[str], list[str]]:
    """Expected codes of a query row, and the expected names that matched no item."""
    codes = {str(c) for c in row.get("expect") or []}
    unresolved = []
    for wanted in row.get("expect_names") or []:
        exact = {code for code, name in names.items() if name == wanted}
        found = exact or {code for code, name in names.items() if wanted in name}
        if found:
            codes |= found
        else:
            unresolved.append(wanted)
    return codes, unresolved


def run(verbose: bool = False, min_top3: float = 0.9) -> dict:
    search_volume.ensure_demo_catalogue()
    data = yaml.safe_load(QUERIES_FILE.read_text(encoding="utf-8"))
    names = dict(SearchEntry.objects.exclude(code__startswith=search_volume.CODE_PREFIX).values_list("code", "name"))
    code_of_item = dict(SearchEntry.objects.values_list("item_id", "code"))
    top1 = top3 = 0
    rows = data["queries"]
    problems = []
    for row in rows:
        q = str(row["q"])
        expected, unresolved = resolve(row, names)
        if unresolved:
            problems.append(f"  {q!r}: expected name(s) not in the catalogue: {'、'.join(unresolved)}")
        page = search.search(q, page_size=10)
        got = [code_of_item.get(i, "?") for i in page.item_ids]
        rank = next((n for n, code in enumerate(got, start=1) if code in expected), None)
        top1 += rank == 1
        top3 += rank is not None and rank <= 3
        if rank is None or rank > 3 or verbose:
            mark = "ok " if rank and rank <= 3 else "MISS"
            first = "、".join(names.get(c, c) for c in got[:3]) or "（无结果）"
            print(f"{mark} {q!r}: rank {rank or '-'} of {page.total}; top 3: {first}")
            if rank is None or rank > 3:
                print(f"       expected: {'、'.join(sorted(names.get(c, c) for c in expected)) or '（未解析）'}")
    for line in problems:
        print(line)
    n = len(rows)
    result = {"queries": n, "top1": round(top1 / n, 3), "top3": round(top3 / n, 3), "unresolved": len(problems)}
    print(f"search quality: {n} queries, top-1 {top1}/{n} = {top1 / n:.1%}, top-3 {top3}/{n} = {top3 / n:.1%}"
          f" ({len(problems)} with unresolved names)")
    if top3 / n < min_top3:
        print(f"top-3 below the target {min_top3:.0%}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="print every query, not only the misses")
    parser.add_argument("--min-top3", type=float, default=0.9)
    args = parser.parse_args()
    result = run(args.verbose, args.min_top3)
    sys.exit(0 if result["top3"] >= args.min_top3 else 1)


if __name__ == "__main__":
    main()
