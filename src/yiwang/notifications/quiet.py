"""免打扰时段: SMS sent during a person's quiet hours waits until they end (Shanghai time)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from yiwang.core import clock


def parse_window(text: str) -> tuple[dt.time, dt.time] | None:
    """``"22:00-08:00"`` → (22:00, 08:00); empty or malformed → None. Times with a UTC offset
    (``22:00Z``) are refused too: the window is Shanghai wall-clock time and an aware time cannot
    be compared with it."""
    try:
        start, end = (dt.time.fromisoformat(part.strip()) for part in text.split("-", 1))
    except ValueError:
        return None
    if start.tzinfo is not None or end.tzinfo is not None:
        return None
    return (start, end) if start != end else None


def window_of(personal) -> tuple[dt.time, dt.time] | None:
    if personal is not None and personal.quiet_start and personal.quiet_end and personal.quiet_start != personal.quiet_end:
        return personal.quiet_start, personal.quiet_end
    return parse_window(settings.YIWANG_SMS_QUIET_HOURS or "")


def quiet_until(now: dt.datetime, personal) -> dt.datetime | None:
    """When the quiet window containing ``now`` ends, or None when ``now`` is not in one."""
    window = window_of(personal)
    if window is None:
        return None
    start, end = window
    local = now.astimezone(clock.SHANGHAI)
    t = local.time()
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(end_day, end, tzinfo=clock.SHANGHAI)
