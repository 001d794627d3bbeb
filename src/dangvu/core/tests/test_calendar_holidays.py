"""Tests of the public holidays and their compensatory days (pure Python, no database)."""

from datetime import date

import pytest

from dangvu.core.calendar import FixedHoliday, holiday_law, is_working_day, public_holidays, working_days


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
    assert all(holidays_2025[d] == "tet" for d in holiday_law._days(date(2025, 1, 25), date(2025, 2, 2)))
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
    monkeypatch.setattr(holiday_law, "EXTRA_HOLIDAYS", (FixedHoliday("culture", 11, 24, date(2027, 1, 1)),))
    working_days._clear_caches()
    try:
        assert public_holidays(2027)[date(2027, 11, 24)] == "culture"
        assert not is_working_day(date(2027, 11, 24))
        assert "culture" not in public_holidays(2026).values()  # not yet in force
        # 24/11/2029 is a Saturday: compensated on Monday 26/11.
        assert public_holidays(2029)[date(2029, 11, 26)] == "culture_compensatory"
    finally:
        monkeypatch.undo()
        working_days._clear_caches()
    assert is_working_day(date(2027, 11, 24))


def test_public_holidays_returns_a_copy_sorted_by_date():
    holidays = public_holidays(2024)
    assert list(holidays) == sorted(holidays)
    holidays.clear()
    assert public_holidays(2024)


def test_public_holidays_rejects_unsupported_years():
    with pytest.raises(ValueError):
        public_holidays(2101)
