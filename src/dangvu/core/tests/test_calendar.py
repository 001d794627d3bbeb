"""Tests of the working-day calendar (pure Python, no database)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu.core import calendar
from dangvu.core.calendar import (
    FixedHoliday,
    _lunar_to_solar,
    add_working_days,
    is_working_day,
    public_holidays,
    working_days_between,
)

# ----------------------------------------------------------------------------- lunar calendar


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, date(2019, 2, 5)),
        (2020, date(2020, 1, 25)),
        (2021, date(2021, 2, 12)),
        (2022, date(2022, 2, 1)),
        (2023, date(2023, 1, 22)),
        (2024, date(2024, 2, 10)),
        (2025, date(2025, 1, 29)),
        (2026, date(2026, 2, 17)),
    ],
)
def test_lunar_new_year_matches_known_tet_dates(year, expected):
    assert _lunar_to_solar(year, 1, 1) == expected


@pytest.mark.parametrize(
    ("year", "vietnam", "china"),
    [
        (1985, date(1985, 1, 21), date(1985, 2, 20)),  # a whole month apart
        (1968, date(1968, 1, 29), date(1968, 1, 30)),  # Tết Mậu Thân
        (2007, date(2007, 2, 17), date(2007, 2, 18)),
    ],
)
def test_lunar_new_year_uses_vietnam_time_zone_not_china(year, vietnam, china):
    assert _lunar_to_solar(year, 1, 1) == vietnam
    assert _lunar_to_solar(year, 1, 1, tz=8) == china


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2024, date(2024, 4, 18)), (2025, date(2025, 4, 7)), (2026, date(2026, 4, 26))],
)
def test_hung_kings_day_is_tenth_day_of_third_lunar_month(year, expected):
    assert _lunar_to_solar(year, 3, 10) == expected
    assert public_holidays(year)[expected] == "hung_kings"


def test_leap_months_are_found():
    assert _lunar_to_solar(2020, 4, 1, leap=True) == date(2020, 5, 23)
    assert _lunar_to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    assert _lunar_to_solar(2025, 6, 1, leap=True) == date(2025, 7, 25)


def test_lunar_to_solar_rejects_dates_that_do_not_exist():
    with pytest.raises(ValueError):
        _lunar_to_solar(2024, 2, 1, leap=True)  # 2024 has no leap month 2
    with pytest.raises(ValueError):
        _lunar_to_solar(1929, 1, 1)
    with pytest.raises(ValueError):
        _lunar_to_solar(2101, 1, 1)
    month_length = (_lunar_to_solar(2024, 2, 1) - _lunar_to_solar(2024, 1, 1)).days
    assert month_length in (29, 30)
    if month_length == 29:
        with pytest.raises(ValueError):
            _lunar_to_solar(2024, 1, 30)


def test_month_twelve_belongs_to_the_lunar_year_before_tet():
    # Month 12 of lunar year 2024 (tháng Chạp Giáp Thìn) ends the day before Tết 2025.
    month_12 = _lunar_to_solar(2024, 12, 1)
    assert (date(2025, 1, 29) - month_12).days in (29, 30)
    assert (month_12 - _lunar_to_solar(2024, 11, 1)).days in (29, 30)


@given(st.integers(min_value=calendar.MIN_YEAR, max_value=calendar.MAX_YEAR))
@settings(max_examples=60, deadline=None)
def test_every_supported_year_has_tet_between_20_january_and_20_february(year):
    assert date(year, 1, 20) <= _lunar_to_solar(year, 1, 1) <= date(year, 2, 20)


# ----------------------------------------------------------------------------- holidays


def test_compensatory_days_follow_weekend_holidays_2022():
    holidays = public_holidays(2022)
    # 30/4 Saturday and 1/5 Sunday: off on Monday 2/5 and Tuesday 3/5.
    assert holidays[date(2022, 4, 30)] == "reunification"
    assert holidays[date(2022, 5, 1)] == "labour"
    assert holidays[date(2022, 5, 2)] == "reunification_compensatory"
    assert holidays[date(2022, 5, 3)] == "labour_compensatory"
    # Hùng Kings' Day 10/4/2022 was a Sunday.
    assert holidays[date(2022, 4, 11)] == "hung_kings_compensatory"
    assert not is_working_day(date(2022, 5, 2))
    assert not is_working_day(date(2022, 5, 3))
    assert is_working_day(date(2022, 5, 4))


def test_compensatory_day_skips_days_already_off_2023():
    holidays = public_holidays(2023)
    # 29/4 Sat (Hùng Kings), 30/4 Sun, 1/5 Mon: compensation on Tue 2/5 and Wed 3/5.
    assert holidays[date(2023, 5, 2)] == "hung_kings_compensatory"
    assert holidays[date(2023, 5, 3)] == "reunification_compensatory"
    # 1/9 Fri + 2/9 Sat: compensation on Mon 4/9. New Year on a Sunday: Mon 2/1.
    assert holidays[date(2023, 9, 4)] == "national_compensatory"
    assert holidays[date(2023, 1, 2)] == "new_year_compensatory"


def test_national_day_has_two_days_from_2021_and_one_before():
    assert [d for d, k in public_holidays(2024).items() if k == "national"] == [
        date(2024, 9, 2),
        date(2024, 9, 3),
    ]
    assert [d for d, k in public_holidays(2019).items() if k == "national"] == [date(2019, 9, 2)]
    assert is_working_day(date(2019, 9, 3))
    # 2/9/2018 was a Sunday: compensated on Monday 3/9.
    assert public_holidays(2018)[date(2018, 9, 3)] == "national_compensatory"
    # An unknown future year uses the day after.
    assert public_holidays(2027)[date(2027, 9, 3)] == "national"


def test_decided_tet_breaks_are_used_as_announced():
    holidays_2025 = public_holidays(2025)
    assert all(holidays_2025[d] == "tet" for d in calendar._days(date(2025, 1, 25), date(2025, 2, 2)))
    assert not any(is_working_day(date(2025, 1, day)) for day in range(27, 32))
    assert is_working_day(date(2025, 1, 24))
    assert is_working_day(date(2025, 2, 3))
    assert not any(is_working_day(date(2026, 2, day)) for day in range(16, 21))
    assert is_working_day(date(2026, 2, 13))
    assert is_working_day(date(2026, 2, 23))


@pytest.mark.parametrize("year", range(2013, 2101))
def test_tet_gives_exactly_five_weekdays_off_from_2013(year):
    tet_days = [d for d, k in public_holidays(year).items() if k.startswith("tet")]
    assert sum(1 for d in tet_days if d.weekday() < 5) == 5


def test_tet_had_four_days_before_2013():
    # Tết 2012 was Monday 23/1: the eve (Sunday 22/1) and 23-25/1, compensated on Thursday 26/1.
    tet_days = sorted(d for d, k in public_holidays(2012).items() if k.startswith("tet"))
    assert tet_days == [date(2012, 1, d) for d in (22, 23, 24, 25, 26)]
    assert is_working_day(date(2012, 1, 27))


def test_hung_kings_day_is_a_holiday_only_from_2007():
    assert "hung_kings" not in public_holidays(2006).values()
    assert "hung_kings" in public_holidays(2007).values()


def test_vietnamese_culture_day_is_not_a_holiday_until_enacted():
    # Resolution 80-NQ/TW (2026) announced it; no law makes it a day off yet.
    assert is_working_day(date(2026, 11, 24))


def test_extra_holidays_table_adds_a_fixed_date_holiday(monkeypatch):
    monkeypatch.setattr(calendar, "EXTRA_HOLIDAYS", (FixedHoliday("culture", 11, 24, date(2027, 1, 1)),))
    calendar._clear_caches()
    try:
        assert public_holidays(2027)[date(2027, 11, 24)] == "culture"
        assert not is_working_day(date(2027, 11, 24))
        assert "culture" not in public_holidays(2026).values()  # not yet in force
        # 24/11/2029 is a Saturday: compensated on Monday 26/11.
        assert public_holidays(2029)[date(2029, 11, 26)] == "culture_compensatory"
    finally:
        monkeypatch.undo()
        calendar._clear_caches()
    assert is_working_day(date(2027, 11, 24))


def test_public_holidays_returns_a_copy_sorted_by_date():
    holidays = public_holidays(2024)
    assert list(holidays) == sorted(holidays)
    holidays.clear()
    assert public_holidays(2024)


def test_public_holidays_rejects_unsupported_years():
    with pytest.raises(ValueError):
        public_holidays(2101)


# ----------------------------------------------------------------------------- working days


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
