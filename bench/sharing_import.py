"""Data-sharing import bench (issue 8 (a)), run by bench/sharing_import.sh with production settings
on PostgreSQL.

Seeds a platform-hosted resource and its provider's data steward, then times
``sharing.imports.import_rows`` — validation (身份证号 check digits, types), blind-index look-up of
existing subjects, encryption and bulk writes, audit and outbox — for a first batch of
BENCH_IMPORT_ROWS (100000) new subjects and a second, incremental batch of the same size: half
updates of existing subjects (two items each), half new subjects. Prints JSON lines. Not a test.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time


def out(**fields) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def subjects(start: int, count: int) -> list[str]:
    """``count`` distinct valid 身份证号 (check digit computed), numbered from ``start``: a birth
    date per 1000 numbers, a sequence number within it."""
    from yiwang.accounts.demo import demo_id_number

    first = dt.date(1940, 1, 1)
    return [demo_id_number((first + dt.timedelta(days=n // 1000)).strftime("%Y%m%d"), f"{n % 1000:03d}")
            for n in range(start, start + count)]


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from yiwang.accounts.models import User
    from yiwang.accounts.roles import Role
    from yiwang.accounts.services.staff import assign_role
    from yiwang.org.demo import load_demo_org
    from yiwang.org.models import Department
    from yiwang.sharing import imports
    from yiwang.sharing.models import HostedRecord, Resource, ShareType

    call_command("migrate", verbosity=0)
    load_demo_org()
    n = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
    police = Department.objects.get(code="police")
    resource, _ = Resource.objects.get_or_create(code="BENCH-IMPORT", defaults={
        "name": "压测人口信息", "provider": police, "share_type": ShareType.CONDITIONAL,
        "items": [{"name": "name", "label": "姓名", "type": "string"},
                  {"name": "household_address", "label": "户籍地址", "type": "string"},
                  {"name": "registered_on", "label": "登记日期", "type": "date"},
                  {"name": "months", "label": "缴费月数", "type": "integer"},
                  {"name": "insured", "label": "是否参保", "type": "boolean"}]})
    steward, created = User.objects.get_or_create(username="bench-import-steward", defaults={"name": "压测数据管理员"})
    if created:
        assign_role(steward, Role.DATA_STEWARD, department=police)

    first = subjects(0, n)
    rows = [{"subject": s, "name": f"测试{i % 9973}", "household_address": f"山东省济宁市兖州区建设东路{i % 500}号",
             "registered_on": f"20{i % 25:02d}-0{1 + i % 9}-1{i % 10}", "months": str(i % 400), "insured": "是"}
            for i, s in enumerate(first)]
    t = time.perf_counter()
    batch = imports.import_rows(steward, resource, rows, channel="api")
    seconds = time.perf_counter() - t
    assert batch.status == "applied" and batch.rows_created == n, (batch.status, batch.errors[:5])
    out(figure="import_create", rows=n, created=batch.rows_created, seconds=round(seconds, 2),
        rows_per_s=round(n / seconds))

    half = n // 2
    rows = [{"subject": s, "household_address": f"山东省济宁市兖州区九州中路{i % 300}号", "months": i % 401}
            for i, s in enumerate(first[:half])]
    rows += [{"subject": s, "name": f"新增{i}", "insured": "否"} for i, s in enumerate(subjects(n, n - half))]
    t = time.perf_counter()
    batch = imports.import_rows(steward, resource, rows, channel="api")
    seconds = time.perf_counter() - t
    assert batch.status == "applied" and (batch.rows_updated, batch.rows_created) == (half, n - half), batch.errors[:5]
    out(figure="import_incremental", rows=n, updated=batch.rows_updated, created=batch.rows_created,
        seconds=round(seconds, 2), rows_per_s=round(n / seconds))

    rows[0]["months"] = "many"  # one bad row: the whole batch is validated and refused, nothing written
    t = time.perf_counter()
    batch = imports.import_rows(steward, resource, rows, channel="api")
    seconds = time.perf_counter() - t
    assert batch.status == "rejected" and batch.error_count >= 1
    out(figure="import_rejected", rows=n, error_count=batch.error_count, seconds=round(seconds, 2),
        rows_per_s=round(n / seconds))
    out(figure="hosted_records", resource=resource.code, records=HostedRecord.objects.filter(resource=resource).count())


if __name__ == "__main__":
    main()
