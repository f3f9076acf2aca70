"""Backoff shared by the outbox dispatcher and message deliveries."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def backoff_seconds(attempts: int) -> float:
    """Exponential: base, 2·base, 4·base … after the 1st, 2nd, 3rd failed attempt, capped."""
    base = settings.YIWANG_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.YIWANG_RETRY_MAX_SECONDS)


def next_attempt(now: dt.datetime, attempts: int) -> dt.datetime:
    return now + dt.timedelta(seconds=backoff_seconds(attempts))


def exhausted(attempts: int) -> bool:
    """After this many failed attempts the row becomes a dead letter."""
    return attempts >= settings.YIWANG_RETRY_MAX_ATTEMPTS
