"""Tests of the lunisolar calendar under the working-day calendar: Tết, Hùng Kings' Day, leap months
(pure Python, no database)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu.core import calendar
from dangvu.core.calendar import public_holidays
from dangvu.core.calendar.lunar import _lunar_to_solar


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
