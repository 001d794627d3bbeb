"""Tests of working days and deadlines counted in working days (pure Python, no database)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu.core.calendar import add_working_days, is_working_day, public_holidays, working_days_between


def test_weekends_are_not_working_days():
    assert is_working_day(date(2024, 3, 1))  # Friday
    assert not is_working_day(date(2024, 3, 2))  # Saturday
    assert not is_working_day(date(2024, 3, 3))  # Sunday


def test_add_working_days_examples():
    assert add_working_days(date(2025, 1, 24), 0) == date(2025, 1, 24)
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)  # across Tết 2025
    assert add_working_days(date(2024, 3, 1), 1) == date(2024, 3, 4)  # Friday -> Monday
    assert add_working_days(date(2024, 3, 2), 1) == date(2024, 3, 4)  # from a Saturday
    with pytest.raises(ValueError):
        add_working_days(date(2024, 3, 1), -1)


def test_working_days_between_counts_start_excluded_end_included():
    # January 2025: 2-3, 6-10, 13-17, 20-24 (27-31 is Tết).
    assert working_days_between(date(2025, 1, 1), date(2025, 1, 31)) == 17
    assert working_days_between(date(2024, 3, 1), date(2024, 3, 1)) == 0
    assert working_days_between(date(2024, 3, 1), date(2024, 3, 4)) == 1
    assert working_days_between(date(2024, 3, 4), date(2024, 3, 1)) == 0


dates = st.dates(min_value=date(1995, 1, 1), max_value=date(2097, 12, 31))
counts = st.integers(min_value=0, max_value=300)


@given(dates, st.integers(min_value=1, max_value=300))
@settings(deadline=None)
def test_add_working_days_lands_on_a_working_day(day, n):
    assert is_working_day(add_working_days(day, n))


@given(dates, counts)
@settings(deadline=None)
def test_working_days_between_inverts_add_working_days(day, n):
    assert working_days_between(day, add_working_days(day, n)) == n


@given(dates, counts, counts)
@settings(deadline=None)
def test_adding_n_then_m_equals_adding_n_plus_m(day, n, m):
    assert add_working_days(add_working_days(day, n), m) == add_working_days(day, n + m)


@given(dates, counts, counts)
@settings(deadline=None)
def test_add_working_days_is_strictly_increasing_in_n(day, n, m):
    low, high = sorted((n, m))
    if low == high:
        assert add_working_days(day, low) == add_working_days(day, high)
    else:
        assert add_working_days(day, low) < add_working_days(day, high)


@given(st.integers(min_value=1995, max_value=2099))
@settings(deadline=None)
def test_ten_working_days_across_tet_span_more_than_fourteen_calendar_days(year):
    first_tet_day = min(d for d, k in public_holidays(year).items() if k.startswith("tet"))
    start = first_tet_day - timedelta(days=1)
    assert (add_working_days(start, 10) - start).days > 14
