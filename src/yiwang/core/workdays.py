"""Working-day calendar (DESIGN §4.3, ADR 0004).

The database is the source of truth: ``CalendarYear`` says where a year's data comes from and
``CalendarDay`` lists the days that differ from the Monday–Friday rule (holidays and make-up
working weekends). Years known to ``chinesecalendar`` are seeded as *official*; a later year is
*provisional* (weekends + fixed-date and lunar holidays, no 调休) and is written to the tables the
first time it is needed, until an admin loads the State Council notice (*notice*), which replaces it.

Counting convention: ``add_working_days(start, n)`` starts counting on the day after ``start``,
whatever kind of day ``start`` is. (``chinesecalendar.find_workday`` is off by one when the start
is a rest day, so it is not used.) All dates are Asia/Shanghai calendar dates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yiwang.core.clock import SHANGHAI
from yiwang.core.models import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)

FIRST_YEAR = 2004  # first year of chinesecalendar's data; earlier years have none
LAST_YEAR = 2100  # beyond this a provisional calendar is not worth pretending to compute
MIN_NOTICE_YEAR = 2000  # an admin may load a notice for an older year, but not before the five-day week era

Source = CalendarYear.Source
Kind = CalendarDay.Kind

OFFICIAL_NOTE = "国务院办公厅部分节假日安排通知（据 chinesecalendar 数据）"
PROVISIONAL_NOTE = "暂定：按周末、固定日期节日和农历节日推算，未含调休；以国务院办公厅通知为准"

_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
}
WEEKDAY_NAMES = "一二三四五六日"


class CalendarUnavailable(Exception):
    """No calendar data exists for the year asked about; ``message`` is Chinese."""

    def __init__(self, message: str, year: int | None = None):
        super().__init__(message)
        self.message = message
        self.year = year


class CalendarDataError(ValueError):
    """A notice being loaded is inconsistent (date outside the year, duplicates…)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    provisional: bool  # some year the computation touched is provisional (show 暂定)


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    provisional: bool


@dataclass(frozen=True)
class YearStatus:
    year: int
    source: str
    source_label: str
    note: str
    loaded_at: dt.datetime | None
    holidays: tuple[tuple[dt.date, str], ...]
    workdays: tuple[tuple[dt.date, str], ...]  # make-up working weekends

    @property
    def provisional(self) -> bool:
        return self.source == Source.PROVISIONAL


# --------------------------------------------------------------------------------------------
# Data sources: chinesecalendar (official) and the provisional generator
# --------------------------------------------------------------------------------------------


def _holiday_name(value) -> str:
    from chinese_calendar import Holiday

    english = getattr(value, "value", value)
    if english in _HOLIDAY_NAMES:
        return _HOLIDAY_NAMES[english]
    try:
        return Holiday(english).chinese[:50]
    except ValueError:
        return str(english)[:50]


@functools.cache
def _official_data() -> dict[int, tuple[dict[dt.date, str], dict[dt.date, str]]]:
    """``{year: (holidays, make-up workdays)}`` from the installed chinesecalendar."""
    import chinese_calendar

    data: dict[int, tuple[dict[dt.date, str], dict[dt.date, str]]] = {}
    for table, index in ((chinese_calendar.holidays, 0), (chinese_calendar.workdays, 1)):
        for day, value in table.items():
            data.setdefault(day.year, ({}, {}))[index][day] = _holiday_name(value)
    return data


def official_years() -> list[int]:
    return sorted(_official_data())


def _lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> dt.date:
    from lunar_python import Solar

    for day in range(3, 7):  # 清明 always falls on April 4–6 (3 in rare centuries)
        if Solar.fromYmd(year, 4, day).getLunar().getJieQi() == "清明":
            return dt.date(year, 4, day)
    raise CalendarUnavailable(f"无法推算{year}年的清明节日期。", year)  # pragma: no cover


def provisional_holidays(year: int) -> dict[dt.date, str]:
    """Statutory holidays of ``year`` under the rules in force since 2025, without 调休."""
    return dict(_provisional_holidays(year))


@functools.cache
def _provisional_holidays(year: int) -> dict[dt.date, str]:
    days: dict[dt.date, str] = {}

    def add(day: dt.date, name: str) -> None:
        days[day] = f"{days[day]}、{name}" if day in days else name

    add(dt.date(year, 1, 1), "元旦")
    new_year = _lunar_to_solar(year, 1, 1)
    for offset in (-1, 0, 1, 2):  # 除夕 + 正月初一至初三
        add(new_year + dt.timedelta(days=offset), "春节")
    add(_qingming(year), "清明节")
    add(dt.date(year, 5, 1), "劳动节")
    add(dt.date(year, 5, 2), "劳动节")
    add(_lunar_to_solar(year, 5, 5), "端午节")
    add(_lunar_to_solar(year, 8, 15), "中秋节")
    for day in (1, 2, 3):
        add(dt.date(year, 10, day), "国庆节")
    return dict(sorted(days.items()))


def _unavailable(year: int) -> CalendarUnavailable:
    if year > LAST_YEAR:
        return CalendarUnavailable(f"{year}年超出工作日历可推算的范围（最晚到{LAST_YEAR}年）。", year)
    return CalendarUnavailable(
        f"没有{year}年的工作日历数据：节假日数据从{FIRST_YEAR}年开始，"
        f"更早的年份需由管理员导入当年的国务院办公厅放假通知。",
        year,
    )


def _materialise(year: int) -> None:
    """Write a missing year to the tables: official if chinesecalendar knows it, else provisional.

    Safe under concurrency: the year row is created with get_or_create (the loser of a race reads
    the winner's committed row) and the days are inserted with ignore_conflicts.
    """
    official = _official_data()
    if year in official:
        source, note = Source.OFFICIAL, OFFICIAL_NOTE
        holidays, workdays = official[year]
    elif max(official) < year <= LAST_YEAR:
        source, note = Source.PROVISIONAL, PROVISIONAL_NOTE
        holidays, workdays = _provisional_holidays(year), {}
    else:
        raise _unavailable(year)
    with transaction.atomic():
        row, created = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": source, "note": note}
        )
        if created:
            CalendarDay.objects.bulk_create(_day_rows(row, holidays, workdays), ignore_conflicts=True)


def _day_rows(row: CalendarYear, holidays: dict, workdays: dict) -> list[CalendarDay]:
    return [CalendarDay(date=d, year=row, kind=Kind.HOLIDAY, name=n) for d, n in holidays.items()] + [
        CalendarDay(date=d, year=row, kind=Kind.MAKEUP_WORKDAY, name=n) for d, n in workdays.items()
    ]


def seed_official_years(using: str = "default") -> int:
    """Load every year chinesecalendar knows as *official*; returns how many years were loaded.

    Called after ``core`` migrates, so it must be idempotent and cheap: one query when nothing is
    missing, bulk inserts otherwise. Official and notice years are never touched; a provisional
    year is upgraded when a newer chinesecalendar knows it.
    """
    data = _official_data()
    existing = dict(CalendarYear.objects.using(using).values_list("year", "source"))
    todo = [y for y in sorted(data) if existing.get(y, Source.PROVISIONAL) == Source.PROVISIONAL]
    if not todo:
        return 0
    with transaction.atomic(using=using):
        upgrade = list(
            CalendarYear.objects.using(using)
            .select_for_update()
            .filter(year__in=todo, source=Source.PROVISIONAL)
            .values_list("year", flat=True)
        )
        if upgrade:
            CalendarDay.objects.using(using).filter(year_id__in=upgrade).delete()
            CalendarYear.objects.using(using).filter(year__in=upgrade).update(
                source=Source.OFFICIAL, note=OFFICIAL_NOTE, loaded_at=timezone.now()
            )
        new = [y for y in todo if y not in existing]
        CalendarYear.objects.using(using).bulk_create(
            [CalendarYear(year=y, source=Source.OFFICIAL, note=OFFICIAL_NOTE) for y in new],
            ignore_conflicts=True,
        )
        rows: list[CalendarDay] = []
        for y in [*upgrade, *new]:
            rows += _day_rows(CalendarYear(year=y), *data[y])
        CalendarDay.objects.using(using).bulk_create(rows, ignore_conflicts=True)
    clear_cache()
    return len(upgrade) + len(new)


# --------------------------------------------------------------------------------------------
# Per-process cache of each year's rest-day sets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    year: int
    source: str
    note: str
    loaded_at: dt.datetime | None
    holidays: dict[dt.date, str]
    workdays: dict[dt.date, str]

    @property
    def stamp(self) -> tuple:
        return (self.source, self.note, self.loaded_at)

    @property
    def provisional(self) -> bool:
        return self.source == Source.PROVISIONAL

    def is_working(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def count(self, lo: dt.date, hi: dt.date) -> int:
        """Working days in [lo, hi], both inside this year."""
        total = _weekdays(lo, hi)
        total -= sum(1 for d in self.holidays if lo <= d <= hi and d.weekday() < 5)
        total += sum(1 for d in self.workdays if lo <= d <= hi and d.weekday() >= 5)
        return total


_cache: dict[int, _Year] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget cached years (after a notice is loaded, or in tests)."""
    with _cache_lock:
        _cache.clear()


class _Session:
    """One API call's view of the calendar.

    It starts with one small query of every year's (source, note, loaded_at) and drops cached
    years whose stamp changed, so another process's import (or a rolled-back transaction) is seen
    by the next call; load_notice also clears the cache directly.
    """

    def __init__(self) -> None:
        self.stamps = {
            year: (source, note, loaded_at)
            for year, source, note, loaded_at in CalendarYear.objects.values_list(
                "year", "source", "note", "loaded_at"
            )
        }
        with _cache_lock:
            for year, cached in list(_cache.items()):
                if self.stamps.get(year) != cached.stamp:
                    del _cache[year]
        self.provisional = False
        self._local: dict[int, _Year] = {}

    def year(self, year: int) -> _Year:
        data = self._local.get(year)
        if data is None:
            data = _cache.get(year)
            if data is None:
                if year not in self.stamps:
                    if year < FIRST_YEAR or year > LAST_YEAR:
                        raise _unavailable(year)
                    _materialise(year)
                data = _load(year)
                with _cache_lock:
                    _cache[year] = data
            self._local[year] = data
        if data.provisional:
            self.provisional = True
        return data

    def is_working(self, day: dt.date) -> bool:
        return self.year(day.year).is_working(day)


_shared = threading.local()


@contextlib.contextmanager
def shared_session():
    """Within the block, every calendar call shares one session (one stamp query instead of one
    per call): for screens that compute many due dates at once, e.g. a worklist page."""
    if getattr(_shared, "session", None) is not None:
        yield
        return
    _shared.session = _Session()
    try:
        yield
    finally:
        _shared.session = None


def _session() -> _Session:
    current = getattr(_shared, "session", None)
    if current is not None:
        current.provisional = False  # provisional is reported per call
        return current
    return _Session()


def _load(year: int) -> _Year:
    row = CalendarYear.objects.filter(year=year).first()
    if row is None:  # pragma: no cover - deleted between materialise and load
        raise _unavailable(year)
    holidays: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    for day, kind, name in CalendarDay.objects.filter(year_id=year).values_list("date", "kind", "name"):
        (workdays if kind == Kind.MAKEUP_WORKDAY else holidays)[day] = name
    return _Year(year, row.source, row.note, row.loaded_at, holidays, workdays)


def _weekdays(lo: dt.date, hi: dt.date) -> int:
    """Number of Mondays–Fridays in [lo, hi]."""
    days = (hi - lo).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    start = lo.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)


def _as_date(value: dt.date) -> dt.date:
    """Datetimes are read as Asia/Shanghai wall-clock dates."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(SHANGHAI)
        return value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"expected a date, got {type(value).__name__}")
    return value


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    return _session().is_working(_as_date(day))


def add_working_days_detail(start: dt.date, n: int) -> WorkdayResult:
    """The n-th working day after ``start`` (counting from the next day); n = 0 returns ``start``."""
    start = _as_date(start)
    if n < 0:
        raise ValueError("工作日数不能为负数。")
    session = _session()
    day, remaining = start, n
    while remaining:
        day += ONE_DAY
        if session.is_working(day):
            remaining -= 1
    return WorkdayResult(day, session.provisional)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """E.g. add_working_days(2026-09-30, 1) == 2026-10-08 (国庆 and 中秋 2026)."""
    return add_working_days_detail(start, n).date


def working_days_between_detail(a: dt.date, b: dt.date) -> WorkdayCount:
    """Working days d with a < d <= b; if a > b the count for (b, a] negated; 0 when a == b.

    So ``working_days_between(d, add_working_days(d, n)) == n`` and the function is antisymmetric.
    """
    a, b = _as_date(a), _as_date(b)
    sign = 1
    if a > b:
        a, b, sign = b, a, -1
    session = _session()
    total, lo = 0, a + ONE_DAY
    while lo <= b:
        hi = min(b, dt.date(lo.year, 12, 31))
        total += session.year(lo.year).count(lo, hi)
        lo = hi + ONE_DAY
    return WorkdayCount(sign * total, session.provisional)


def working_days_between(a: dt.date, b: dt.date) -> int:
    return working_days_between_detail(a, b).days


def year_status(year: int) -> YearStatus:
    """Where ``year``'s data comes from and its holidays; materialises a provisional year."""
    data = _session().year(int(year))
    return YearStatus(
        year=data.year,
        source=data.source,
        source_label=str(Source(data.source).label),
        note=data.note,
        loaded_at=data.loaded_at,
        holidays=tuple(sorted(data.holidays.items())),
        workdays=tuple(sorted(data.workdays.items())),
    )


def is_provisional_date(day: dt.date) -> bool:
    """Whether a date (e.g. a computed deadline) lies in a provisional year — show it as 暂定."""
    return year_status(_as_date(day).year).provisional


def _check_days(year: int, label: str, items: Iterable, seen: dict[dt.date, str]) -> dict[dt.date, str]:
    out: dict[dt.date, str] = {}
    for item in items:
        try:
            day, name = item
        except (TypeError, ValueError):
            raise CalendarDataError(f"{label}的每一项应为（日期, 名称）。") from None
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise CalendarDataError(f"{label}中的日期“{day}”无效。")
        name = str(name or "").strip()
        if len(name) > 50:
            raise CalendarDataError(f"{label}中 {day} 的名称过长（最多50个字）。")
        if day.year != year:
            raise CalendarDataError(f"{label}中的日期 {day} 不在{year}年内。")
        if day in seen:
            raise CalendarDataError(f"日期 {day} 重复出现（已列为{seen[day]}）。")
        seen[day] = label
        out[day] = name
    return out


def load_notice(
    year: int,
    holidays: Iterable[tuple[dt.date, str]],
    workdays: Iterable[tuple[dt.date, str]] = (),
    note: str = "",
    *,
    actor=None,
) -> YearStatus:
    """Replace ``year`` with the State Council notice an admin typed in (all or nothing).

    ``holidays`` are the days off (including weekend days inside a holiday block); ``workdays``
    are the make-up working weekends (调休上班).
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise CalendarDataError("年份应为整数。")
    if not MIN_NOTICE_YEAR <= year <= LAST_YEAR:
        raise CalendarDataError(f"年份 {year} 超出可导入的范围（{MIN_NOTICE_YEAR}—{LAST_YEAR}年）。")
    note = str(note or "").strip()
    if len(note) > 300:
        raise CalendarDataError("说明过长（最多300个字）。")
    seen: dict[dt.date, str] = {}
    holiday_map = _check_days(year, "放假日期", holidays, seen)
    workday_map = _check_days(year, "调休上班日期", workdays, seen)
    if not holiday_map:
        raise CalendarDataError("通知中至少应有一个放假日期。")
    weekday = [d for d in workday_map if d.weekday() < 5]
    if weekday:
        raise CalendarDataError(f"调休上班日期 {weekday[0]} 不是周末，本来就是工作日。")

    from yiwang.core import audit

    with transaction.atomic():
        row, _ = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": Source.NOTICE, "note": note or "管理员导入的国务院办公厅通知"}
        )
        CalendarDay.objects.filter(year=row).delete()
        CalendarDay.objects.bulk_create(_day_rows(row, holiday_map, workday_map))
        audit.record(
            "calendar.load_notice",
            actor=actor,
            obj=row,
            summary=f"导入{year}年放假通知：放假{len(holiday_map)}天，调休上班{len(workday_map)}天",
            data={"note": row.note, "holidays": len(holiday_map), "workdays": len(workday_map)},
        )
    clear_cache()
    return year_status(year)
