"""Time helpers: the platform lives in Asia/Shanghai and the API speaks ``+08:00``."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.now().astimezone(SHANGHAI).date()


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 in Shanghai time, e.g. ``2026-11-24T16:24:00+08:00``."""
    if value is None:
        return None
    return value.astimezone(SHANGHAI).isoformat(timespec="seconds")
