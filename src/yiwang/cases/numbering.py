"""办件编号: unique, sortable, no personal data, ≤ 50 chars — ``<county code><YYYYMMDD><6-digit daily
sequence>`` (20 digits), e.g. ``37081220261124000123``. Query passwords are 6 digits."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction

from yiwang.cases.models import CaseCounter


def next_number(region_code: str, day: dt.date) -> str:
    """Take the next number of the day for the region; the counter row is locked for the
    transaction, so concurrent submissions never share a number."""
    county = (region_code or "000000")[:6]
    with transaction.atomic():
        counter = CaseCounter.objects.select_for_update().filter(region_code=county, day=day).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter = CaseCounter.objects.create(region_code=county, day=day, last=0)
            except IntegrityError:  # another submission created it first
                pass
            counter = CaseCounter.objects.select_for_update().get(region_code=county, day=day)
        counter.last += 1
        counter.save(update_fields=["last"])
        return f"{county}{day:%Y%m%d}{counter.last:06d}"


def new_query_password() -> str:
    return f"{secrets.randbelow(10**6):06d}"
