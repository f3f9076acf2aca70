"""Working-day calendar: official data, provisional years, notices, counting properties."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.core import workdays
from yiwang.core.models import AuditRecord, CalendarDay, CalendarYear
from yiwang.core.workdays import (
    CalendarDataError,
    CalendarUnavailable,
    add_working_days,
    add_working_days_detail,
    is_provisional_date,
    is_working_day,
    load_notice,
    provisional_holidays,
    seed_official_years,
    working_days_between,
    working_days_between_detail,
    year_status,
)

pytestmark = pytest.mark.django_db
PROPERTY = settings(max_examples=50, deadline=None)
D = dt.date


def brute_count(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b], day by day from the year tables — an oracle independent of the counting code."""
    years: dict[int, tuple[dict, dict]] = {}

    def working(day: dt.date) -> bool:
        if day.year not in years:
            status = year_status(day.year)
            years[day.year] = (dict(status.holidays), dict(status.workdays))
        holidays, makeup = years[day.year]
        return day in makeup or (day.weekday() < 5 and day not in holidays)

    return sum(working(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))


# --- official years ---------------------------------------------------------------------------


def test_seeded_years_are_official():
    years = dict(CalendarYear.objects.values_list("year", "source"))
    for year in range(2004, 2027):
        assert years[year] == "official"
    assert year_status(2026).source_label.startswith("国务院办公厅")


def test_national_day_2026():
    result = add_working_days_detail(D(2026, 9, 30), 1)
    assert result == workdays.WorkdayResult(D(2026, 10, 8), provisional=False)
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert not is_working_day(D(2026, 10, 7))
    assert is_working_day(D(2026, 10, 10))  # Saturday, 调休上班
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1


def test_spring_festival_2026():
    status = year_status(2026)
    spring = [day for day, name in status.holidays if name == "春节"]
    assert spring == [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]
    assert (D(2026, 2, 14), "春节") in status.workdays
    # Friday 2-13 → the make-up Saturday 2-14 → after the festival, Tuesday 2-24.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_counting_starts_the_day_after_even_on_a_rest_day():
    saturday = D(2026, 10, 3)
    assert add_working_days(saturday, 0) == saturday
    assert add_working_days(saturday, 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday → Monday
    assert add_working_days(D(2026, 11, 21), 1) == D(2026, 11, 23)  # Saturday → Monday
    with pytest.raises(ValueError, match="负数"):
        add_working_days(D(2026, 11, 20), -1)


def test_datetimes_are_read_in_shanghai_time():
    late_utc = dt.datetime(2026, 9, 30, 20, 0, tzinfo=dt.UTC)  # 2026-10-01 04:00 in Shanghai
    assert not is_working_day(late_utc)
    assert add_working_days(late_utc, 1) == D(2026, 10, 8)


def test_between_is_antisymmetric_and_zero_on_the_same_day():
    a, b = D(2026, 1, 1), D(2026, 3, 1)
    assert working_days_between(a, a) == 0
    assert working_days_between(b, a) == -working_days_between(a, b)


def test_between_matches_day_by_day_count_over_a_year_boundary():
    a, b = D(2025, 12, 20), D(2027, 1, 10)
    result = working_days_between_detail(a, b)
    assert result.days == brute_count(a, b)
    assert result.provisional  # touches 2027


def test_whole_year_2026_has_the_official_number_of_working_days():
    # 365 days − 104 weekend days − 19 holidays on weekdays + 6 make-up Saturdays/Sundays.
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 365 - 104 - 19 + 6


# --- provisional years ------------------------------------------------------------------------


def test_2027_is_provisional_and_materialised_once():
    assert not CalendarYear.objects.filter(year=2027).exists()
    result = add_working_days_detail(D(2027, 2, 4), 1)
    assert result == workdays.WorkdayResult(D(2027, 2, 9), provisional=True)
    row = CalendarYear.objects.get(year=2027)
    assert row.provisional and "暂定" in row.note
    assert CalendarDay.objects.filter(year=row).count() == 13
    add_working_days(D(2027, 3, 1), 5)
    assert CalendarDay.objects.filter(year=row).count() == 13
    assert is_provisional_date(D(2027, 5, 1)) and not is_provisional_date(D(2026, 5, 1))


def test_2027_holidays():
    status = year_status(2027)
    assert status.provisional and status.workdays == ()
    days = dict(status.holidays)
    for day in (D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)):  # 除夕 + 初一至初三
        assert days[day] == "春节"
    assert D(2027, 2, 4) not in days and D(2027, 2, 9) not in days
    assert days[D(2027, 9, 15)] == "中秋节"
    assert days[D(2027, 4, 5)] == "清明节"
    assert days[D(2027, 6, 9)] == "端午节"
    assert [d for d, n in status.holidays if n == "国庆节"] == [D(2027, 10, d) for d in (1, 2, 3)]
    assert [d for d, n in status.holidays if n == "劳动节"] == [D(2027, 5, 1), D(2027, 5, 2)]
    assert days[D(2027, 1, 1)] == "元旦"
    assert len(days) == 13


def test_materialising_twice_is_harmless():
    """The loser of a race finds the winner's row and inserts nothing."""
    workdays._materialise(2029)
    workdays._materialise(2029)
    assert CalendarYear.objects.filter(year=2029).count() == 1
    assert CalendarDay.objects.filter(year_id=2029).count() == len(provisional_holidays(2029))


def test_deadline_crossing_into_a_provisional_year():
    result = add_working_days_detail(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4)  # 1-1 元旦 (Friday), then the weekend
    assert result.provisional
    assert not add_working_days_detail(D(2026, 12, 1), 5).provisional


def test_mid_autumn_on_national_day_keeps_both_names():
    assert (
        provisional_holidays(2028)[D(2028, 10, 3)] == "中秋节、国庆节"
    )  # as the notices of 2020 and 2023 name it
    assert len(provisional_holidays(2028)) == 12


@pytest.mark.parametrize("year", [2030, 2045, 2100])
def test_provisional_years_have_13_holidays_and_spring_festival_in_winter(year):
    days = provisional_holidays(year)
    spring = [d for d, n in days.items() if "春节" in n]
    assert len(spring) == 4 and D(year, 1, 20) <= spring[0] <= D(year, 2, 20)
    assert 12 <= len(days) <= 13  # 中秋 may fall on 国庆


# --- no data ------------------------------------------------------------------------------------


def test_years_before_2004_have_no_data():
    with pytest.raises(CalendarUnavailable) as info:
        add_working_days(D(2003, 12, 1), 1)
    assert "2003" in info.value.message and "2004" in info.value.message
    with pytest.raises(CalendarUnavailable):
        add_working_days(D(2003, 12, 30), 1)
    with pytest.raises(CalendarUnavailable):
        working_days_between(D(2003, 6, 1), D(2004, 6, 1))
    with pytest.raises(CalendarUnavailable):
        year_status(1999)
    assert add_working_days(D(2003, 12, 31), 1) == D(2004, 1, 2)  # only 2004 is touched


def test_absurdly_far_years_are_refused():
    with pytest.raises(CalendarUnavailable, match="2100"):
        year_status(2101)
    with pytest.raises(CalendarUnavailable):
        add_working_days(D(2100, 12, 30), 5)


# --- notices ----------------------------------------------------------------------------------

NOTICE_2027 = {
    "holidays": [(D(2027, 1, 1), "元旦"), (D(2027, 1, 2), "元旦"), (D(2027, 1, 3), "元旦")]
    + [(D(2027, 2, 5) + dt.timedelta(days=i), "春节") for i in range(9)],
    "workdays": [(D(2027, 2, 20), "春节")],
    "note": "国办发明电〔2026〕99号",
}


def test_notice_replaces_a_provisional_year_in_the_same_process():
    assert not is_working_day(D(2027, 9, 15))  # provisional 中秋, now cached
    assert not is_working_day(D(2027, 2, 20))  # a Saturday
    status = load_notice(2027, **NOTICE_2027)
    assert status.source == "notice" and not status.provisional
    assert status.note == "国办发明电〔2026〕99号"
    assert is_working_day(D(2027, 9, 15))  # not in the (partial) notice
    assert is_working_day(D(2027, 2, 20))  # 调休上班
    assert not is_working_day(D(2027, 2, 12))
    assert not add_working_days_detail(D(2027, 2, 4), 1).provisional
    assert add_working_days(D(2027, 2, 4), 1) == D(2027, 2, 15)
    assert CalendarDay.objects.filter(year_id=2027).count() == 13
    assert AuditRecord.objects.filter(action="calendar.load_notice", object_id="2027").exists()


def test_notice_replaces_an_official_year_and_seeding_keeps_it():
    load_notice(2026, [(D(2026, 10, 9), "国庆节")], note="测试")
    assert not is_working_day(D(2026, 10, 9))
    assert is_working_day(D(2026, 10, 5))
    assert seed_official_years() == 0
    assert year_status(2026).source == "notice"


@pytest.mark.parametrize(
    ("holidays", "workdays_", "message"),
    [
        ([(D(2028, 1, 1), "元旦")], [], "不在2027年内"),
        ([(D(2027, 1, 1), "元旦"), (D(2027, 1, 1), "元旦")], [], "重复"),
        ([(D(2027, 1, 1), "元旦")], [(D(2027, 1, 1), "元旦")], "重复"),
        ([(D(2027, 1, 1), "元旦")], [(D(2027, 1, 4), "元旦")], "不是周末"),
        ([], [], "至少"),
        ([(dt.datetime(2027, 1, 1, 8), "元旦")], [], "无效"),
        ([("2027-01-01", "元旦")], [], "无效"),
        ([(D(2027, 1, 1), "元" * 51)], [], "过长"),
    ],
)
def test_bad_notices_change_nothing(holidays, workdays_, message):
    year_status(2027)  # materialise the provisional year
    with pytest.raises(CalendarDataError, match=message):
        load_notice(2027, holidays, workdays_, "x")
    assert year_status(2027).provisional
    assert CalendarDay.objects.filter(year_id=2027).count() == 13


def test_notice_year_range():
    with pytest.raises(CalendarDataError, match="超出"):
        load_notice(1990, [(D(1990, 1, 1), "元旦")])
    # An admin may supply an older year; then it has data and is no longer refused.
    load_notice(2003, [(D(2003, 1, 1), "元旦")], note="国办发明电〔2002〕")
    assert add_working_days(D(2002, 12, 31), 1) == D(2003, 1, 2)


# --- seeding and cache ------------------------------------------------------------------------


def test_seed_is_idempotent():
    before = CalendarDay.objects.count()
    assert seed_official_years() == 0
    assert CalendarDay.objects.count() == before


def test_seed_restores_a_missing_year_and_upgrades_a_provisional_one(monkeypatch):
    CalendarYear.objects.filter(year=2010).delete()
    year_status(2027)  # provisional
    official = dict(workdays._official_data())
    official[2027] = ({D(2027, 1, 1): "元旦"}, {D(2027, 1, 9): "元旦"})
    monkeypatch.setattr(workdays, "_official_data", lambda: official)
    assert seed_official_years() == 2
    assert year_status(2010).source == "official"
    status = year_status(2027)
    assert status.source == "official"
    assert status.holidays == ((D(2027, 1, 1), "元旦"),) and status.workdays == ((D(2027, 1, 9), "元旦"),)


def test_a_missing_official_year_is_loaded_on_demand():
    CalendarYear.objects.filter(year=2015).delete()
    workdays.clear_cache()
    assert add_working_days(D(2015, 9, 30), 1) == D(2015, 10, 8)
    assert CalendarYear.objects.get(year=2015).source == "official"


def test_cache_notices_a_change_made_by_another_process():
    assert not is_working_day(D(2027, 9, 15))
    # Another process loads a notice: the rows change underneath this process's cache.
    CalendarYear.objects.filter(year=2027).update(source="notice", loaded_at=dt.datetime.now(dt.UTC))
    CalendarDay.objects.filter(date=D(2027, 9, 15)).delete()
    assert is_working_day(D(2027, 9, 15))


# --- properties -------------------------------------------------------------------------------

starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=0, max_value=40)


@PROPERTY
@given(starts, st.integers(min_value=1, max_value=40))
def test_result_is_a_later_working_day(start, n):
    result = add_working_days(start, n)
    assert result > start
    assert is_working_day(result)


@PROPERTY
@given(starts, counts)
def test_between_inverts_add(start, n):
    assert working_days_between(start, add_working_days(start, n)) == n


@PROPERTY
@given(starts, counts)
def test_add_is_strictly_monotonic_in_n(start, n):
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@PROPERTY
@given(
    st.dates(min_value=D(2005, 2, 5), max_value=D(2028, 12, 31)), st.integers(min_value=-400, max_value=400)
)
def test_between_matches_counting_day_by_day(a, offset):
    b = a + dt.timedelta(days=offset)
    lo, hi = min(a, b), max(a, b)
    expected = brute_count(lo, hi)
    assert working_days_between(a, b) == (expected if a <= b else -expected)
