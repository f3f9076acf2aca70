"""Shared by the case scenarios' data hooks (``bench/hooks/cases_<scenario>_<volume>.py``).

Each hook tops the database up to its case volume with ``yiwang.cases.benchseed`` (10,000 or
1,000,000 generated cases; ``BENCH_CASES_SMALL`` / ``BENCH_CASES_LARGE`` change them), removes the
one-off cases earlier scenarios made (drafts they submitted, steps they passed), gives the bench
user what the scenarios need — 承办/审核/批准/窗口 roles in the ``market`` department, identity
level 2 — and writes the scenario's requests to a file for ``bench/cases_requests.lua``
(one request a line: METHOD, TAB, PATH, TAB, JSON body), printed as ``REQUESTS=<file>``.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path

SMALL = int(os.environ.get("BENCH_CASES_SMALL", "10000"))
LARGE = int(os.environ.get("BENCH_CASES_LARGE", "1000000"))
DEPARTMENT = "market"  # the bench user's department (市场监管局: company and food licences)


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def one_shot_count() -> int:
    """Enough one-shot requests (submits, steps) for the whole run at up to 600 per second."""
    match = re.fullmatch(r"(\d+)([smh]?)", os.environ.get("BENCH_DURATION", "15s").strip())
    seconds = int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)] if match else 15
    return max(6000, seconds * 600)


def prepare(volume: int):
    """The case volume and the bench user; returns the user."""
    from yiwang.accounts.models import User, VerificationLevel
    from yiwang.accounts.roles import Role
    from yiwang.accounts.services.staff import assign_role
    from yiwang.cases import benchseed
    from yiwang.org.models import Department

    removed = benchseed.clear(fixtures_only=True)
    if removed:
        log(f"removed {removed} one-off cases of earlier scenarios")
    benchseed.seed(volume, log=lambda message: log(f"seed: {message}"))
    user = User.objects.get(username="bench")
    if user.level < VerificationLevel.IDENTITY:
        user.level = VerificationLevel.IDENTITY
        user.save(update_fields=["level"])
    department = Department.objects.get(code=DEPARTMENT)
    for role in (Role.UNDERTAKER, Role.REVIEWER, Role.APPROVER, Role.WINDOW_CLERK):
        assign_role(user, role, department=department)
    return user


def write_requests(name: str, lines: list[tuple[str, str, dict | None]]) -> None:
    """Write the request list and print REQUESTS=<file> for the wrk script."""
    folder = Path(os.environ.get("YIWANG_VAR_DIR", "/tmp")) / "bench-requests"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.tsv"
    with path.open("w", encoding="utf-8") as fh:
        for method, url, body in lines:
            fh.write(f"{method}\t{url}\t{json.dumps(body, ensure_ascii=False) if body is not None else ''}\n")
    log(f"{name}: {len(lines)} requests in {path}")
    print(f"REQUESTS={path}")


def run(scenario: str, volume: int) -> None:
    from yiwang.cases import benchseed
    from yiwang.cases.models import Case

    user = prepare(volume)
    seeded = Case.objects.filter(idempotency_key__startswith=benchseed.KEY_PREFIX).exclude(number=None)
    if scenario == "worklist":
        return
    if scenario == "detail":  # a spread of the department's cases
        ids = list(seeded.filter(department__code=DEPARTMENT).order_by("?").values_list("id", flat=True)[:5000])
        random.Random(5).shuffle(ids)
        return write_requests(f"detail_{volume}", [("GET", f"/api/v1/cases/{pk}", None) for pk in ids])
    if scenario == "progress":  # many numbers, each queried once or twice (limits: 10 per number)
        pairs = list(seeded.order_by("?").values_list("number", "query_password")[:20000])
        if not os.environ.get("YIWANG_TRUSTED_PROXIES"):
            log("progress: YIWANG_TRUSTED_PROXIES is not set for the server — every query comes from "
                "127.0.0.1 and the per-address limit (30 per 15 minutes) answers 429; run with "
                "YIWANG_TRUSTED_PROXIES=127.0.0.1 (the bench then acts as a reverse proxy for many clients)")
        print("XFF=1")
        return write_requests(f"progress_{volume}", [
            ("POST", "/api/v1/progress", {"number": number, "password": password}) for number, password in pairs])
    count = one_shot_count()
    if scenario == "submit":  # complete drafts of the bench user: validation, number, work item, outbox
        ids = benchseed.fixture_drafts(user, DEPARTMENT, count)
        return write_requests(f"submit_{volume}", [
            ("POST", f"/api/v1/cases/{pk}/submit", {"declaration": True}) for pk in ids])
    if scenario == "review":  # open 承办 steps of the department: engine step, next work item, timeline
        ids = benchseed.fixture_review_items(DEPARTMENT, count)
        return write_requests(f"review_{volume}", [
            ("POST", f"/api/v1/worklist/{pk}/act", {"action": "pass", "opinion": "材料齐全，同意。"}) for pk in ids])
    raise SystemExit(f"unknown case scenario {scenario!r}")


def main(hook_file: str) -> None:
    """``cases_<scenario>_<10k|1m>.py`` → run(scenario, volume)."""
    match = re.fullmatch(r"cases_([a-z]+)_(10k|1m)\.py", Path(hook_file).name)
    if not match:
        raise SystemExit(f"bench: cannot tell scenario and volume from {hook_file}")
    run(match.group(1), SMALL if match.group(2) == "10k" else LARGE)
