"""办件编号: unique, sortable, no personal data, ≤ 50 chars — ``<county code><YYYYMMDD><6-digit daily
sequence>`` (20 digits), e.g. ``37081220261124000123``. Query passwords are 6 digits."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, connection, transaction

from yiwang.cases.models import CaseCounter


def _bump(county: str, day: dt.date) -> int | None:
    """One statement: move the day's counter on and read it back (the row stays locked until the
    caller's transaction ends, so concurrent submissions never share a number)."""
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE {table} SET "last" = "last" + 1 WHERE "region_code" = %s AND "day" = %s '
                       f'RETURNING "last"', [county, connection.ops.adapt_datefield_value(day)])
        row = cursor.fetchone()
    return row[0] if row else None


def next_number(region_code: str, day: dt.date) -> str:
    """Take the next number of the day for the region. Call it inside the submitting transaction,
    as late as possible: every submission of the county waits for the counter row until the one
    holding it commits."""
    county = (region_code or "000000")[:6]
    with transaction.atomic(savepoint=False):
        last = _bump(county, day)
        if last is None:  # the day's first number
            try:
                with transaction.atomic():
                    CaseCounter.objects.create(region_code=county, day=day, last=0)
            except IntegrityError:  # another submission created it first
                pass
            last = _bump(county, day)
        return f"{county}{day:%Y%m%d}{last:06d}"


def new_query_password() -> str:
    return f"{secrets.randbelow(10**6):06d}"
