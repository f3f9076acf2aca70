"""Case numbers, the status transition table and working-day deadlines."""

import datetime as dt
import threading

import pytest
from django.db import connections
from hypothesis import given
from hypothesis import strategies as st

from yiwang.cases import deadlines, numbering
from yiwang.cases.status import TERMINAL, TRANSITIONS, CaseStatus, Warning, can_transition


@pytest.mark.django_db
def test_numbers_are_sortable_and_carry_no_personal_data():
    day = dt.date(2026, 11, 24)
    first = numbering.next_number("370812001000", day)
    second = numbering.next_number("370812", day)
    assert first == "37081220261124000001" and second == "37081220261124000002"
    assert first < second < numbering.next_number("370812", dt.date(2026, 11, 25))
    assert len(first) <= 50 and first.isdigit()


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbers_are_unique():
    numbering.next_number("370812", dt.date(2026, 11, 24))  # the counter row exists
    results, errors = [], []

    def worker():
        try:
            for _ in range(10):
                results.append(numbering.next_number("370812", dt.date(2026, 11, 24)))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 40


def test_query_password_is_six_digits():
    assert all(len(p) == 6 and p.isdigit() for p in (numbering.new_query_password() for _ in range(50)))


def test_transition_table_is_closed_and_terminal_states_have_no_exit():
    states = set(CaseStatus.values)
    assert set(TRANSITIONS) == states
    assert all(targets <= states for targets in TRANSITIONS.values())
    assert all(not TRANSITIONS[s] for s in TERMINAL)
    assert can_transition("submitted", "accepted") and not can_transition("delivered", "draft")
    assert not can_transition("decided", "withdrawn")  # no withdrawal after the decision


@pytest.mark.django_db
def test_due_date_counts_working_days_from_the_day_after_acceptance():
    due = deadlines.due_date(dt.date(2026, 9, 30), 1)
    assert due == deadlines.Due(dt.date(2026, 10, 8), False)
    assert deadlines.due_date(dt.date(2026, 9, 30), 1, paused=1).date == dt.date(2026, 10, 9)
    assert deadlines.due_date(dt.date(2026, 12, 28), 5).provisional  # runs into 2027


@pytest.mark.django_db
def test_paused_working_days_and_remaining():
    pauses = [(dt.date(2026, 11, 2), dt.date(2026, 11, 6)), (dt.date(2026, 11, 20), None)]
    assert deadlines.paused_working_days(pauses, today=dt.date(2026, 11, 24)) == 4 + 2
    assert deadlines.remaining_working_days(dt.date(2026, 11, 27), dt.date(2026, 11, 24)) == 3
    assert deadlines.remaining_working_days(dt.date(2026, 11, 24), dt.date(2026, 11, 24)) == 0
    assert deadlines.remaining_working_days(dt.date(2026, 11, 20), dt.date(2026, 11, 24)) == -2


@given(st.integers(min_value=-30, max_value=30))
def test_warning_levels(remaining):
    level = deadlines.warning_level(remaining)
    assert level == (Warning.OVERDUE if remaining < 0 else Warning.WARNING if remaining <= 2 else Warning.NORMAL)
