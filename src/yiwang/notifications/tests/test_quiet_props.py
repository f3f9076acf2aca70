"""Properties of 免打扰时段 (quiet hours): ``quiet_until`` is None exactly when the moment lies
outside the window; otherwise it is the window's end, after ``now``, within 24 hours. And
``parse_window`` accepts ``HH:MM-HH:MM`` and turns anything else into None, never an error."""

import datetime as dt
from types import SimpleNamespace

from django.test import override_settings
from hypothesis import example, given, settings
from hypothesis import strategies as st

from yiwang.core.clock import SHANGHAI
from yiwang.notifications.quiet import parse_window, quiet_until, window_of

minutes = st.integers(0, 24 * 60 - 1)
moments = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31),
                       timezones=st.sampled_from([dt.UTC, SHANGHAI, dt.timezone(dt.timedelta(hours=-5))]))


def hm(m: int) -> dt.time:
    return dt.time(m // 60, m % 60)


def inside(t: dt.time, start: dt.time, end: dt.time) -> bool:
    """The reference: a half-open window [start, end), wrapping past midnight when start > end."""
    if start < end:
        return start <= t < end
    return t >= start or t < end


def personal(start, end):
    return SimpleNamespace(quiet_start=start, quiet_end=end)


@settings(max_examples=400, deadline=None)
@given(now=moments, start=minutes, end=minutes)
@example(now=dt.datetime(2026, 3, 1, 22, 0, tzinfo=SHANGHAI), start=22 * 60, end=8 * 60)  # at the start
@example(now=dt.datetime(2026, 3, 1, 8, 0, tzinfo=SHANGHAI), start=22 * 60, end=8 * 60)  # at the end
@example(now=dt.datetime(2026, 3, 1, 7, 59, 59, 999999, tzinfo=SHANGHAI), start=22 * 60, end=8 * 60)
@example(now=dt.datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI), start=23 * 60, end=30)  # over New Year
@example(now=dt.datetime(2026, 3, 1, 12, 0, tzinfo=SHANGHAI), start=12 * 60, end=12 * 60 + 1)
def test_quiet_until(now, start, end):
    s, e = hm(start), hm(end)
    result = quiet_until(now, personal(s, e))
    local = now.astimezone(SHANGHAI)
    if s == e:  # an empty window is no window
        assert result is None
        return
    assert (result is None) == (not inside(local.time(), s, e))
    if result is not None:
        assert result > now
        assert result - now <= dt.timedelta(hours=24)
        ends = result.astimezone(SHANGHAI)
        assert ends.time() == e and ends.tzinfo is not None
        # nothing between now and the end lies outside the window
        assert quiet_until(result - dt.timedelta(microseconds=1), personal(s, e)) == result
        assert quiet_until(result, personal(s, e)) is None


@settings(max_examples=300, deadline=None)
@given(start=minutes, end=minutes, sep=st.sampled_from(["-", " - ", "- ", " -"]))
def test_parse_window_reads_what_it_should(start, end, sep):
    text = f"{hm(start):%H:%M}{sep}{hm(end):%H:%M}"
    assert parse_window(text) == (None if start == end else (hm(start), hm(end)))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
@example("")
@example("22:00")
@example("22:00-")
@example("-08:00")
@example("25:00-08:00")
@example("22:00-08:00-09:00")
@example("22:00+08:00-08:00")
@example("22:00-08:00+08:00")
@example("22:00Z-08:00")
def test_parse_window_never_raises_and_gives_plain_times(text):
    window = parse_window(text)
    if window is not None:
        start, end = window
        assert isinstance(start, dt.time) and isinstance(end, dt.time) and start != end
        assert start.tzinfo is None and end.tzinfo is None  # comparable with the local wall clock
    with override_settings(YIWANG_SMS_QUIET_HOURS=text):  # usable as the default window
        for hour in (0, 7, 12, 23):
            quiet_until(dt.datetime(2026, 3, 1, hour, tzinfo=SHANGHAI), None)


@settings(max_examples=200, deadline=None)
@given(now=moments, start=minutes, end=minutes)
def test_default_window_from_settings(now, start, end):
    """With no personal window, YIWANG_SMS_QUIET_HOURS applies the same way."""
    text = f"{hm(start):%H:%M}-{hm(end):%H:%M}"
    with override_settings(YIWANG_SMS_QUIET_HOURS=text):
        assert window_of(None) == parse_window(text)
        assert quiet_until(now, None) == quiet_until(now, personal(hm(start), hm(end)))
        assert quiet_until(now, personal(None, None)) == quiet_until(now, None)  # unset personal → default
