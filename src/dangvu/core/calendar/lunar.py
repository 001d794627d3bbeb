"""The Vietnamese lunisolar calendar (âm lịch) for UTC+7: the months of a lunar year from the new moons
and the principal terms, a lunar date as a solar one, Tết (the lunar new year); years 1930-2100."""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import NamedTuple

from dangvu.core.calendar.astronomy import _SYNODIC_MONTH, _from_jdn, _jdn, _new_moon_day, _sun_longitude

MIN_YEAR = 1930
MAX_YEAR = 2100

_TIMEZONE_HOURS = 7  # Vietnam, UTC+7


def _principal_term(jdn: int, tz: float) -> int:
    """Index (0-11) of the 30-degree arc of solar longitude at the local midnight opening day jdn.

    A lunar month contains a principal term (trung khí) when this index changes between its
    first day and the first day of the next month.
    """
    return int(_sun_longitude(jdn - 0.5 - tz / 24) // 30)


def _month_start_on_or_before(jdn: int, tz: float) -> tuple[int, int]:
    """(k, first day) of the lunar month containing the day jdn."""
    k = round((jdn - 2451550.1) / _SYNODIC_MONTH)
    while _new_moon_day(k, tz) > jdn:
        k -= 1
    while _new_moon_day(k + 1, tz) <= jdn:
        k += 1
    return k, _new_moon_day(k, tz)


def _winter_solstice_day(year: int, tz: float) -> int:
    """Local day (JDN) in December of `year` on which the Sun reaches longitude 270 degrees."""
    day = _jdn(datetime.date(year, 12, 17))  # the solstice falls on 21, 22 or 23 December
    while _principal_term(day + 1, tz) < 9:
        day += 1
    return day


class _LunarMonth(NamedTuple):
    number: int  # 1-12
    leap: bool
    first_day: int  # JDN
    length: int  # 29 or 30


@lru_cache(maxsize=512)
def _months_around(year: int, tz: float = _TIMEZONE_HOURS) -> tuple[_LunarMonth, ...]:
    """The lunar months from month 11 of lunar year year-1 up to, excluding, month 11 of year.

    Month 11 is the month that contains the winter solstice. Between two such months there are
    12 or 13 months; with 13, the first month after month 11 without a principal term is a leap
    month and repeats the number of the month before it.
    """
    k_start, _ = _month_start_on_or_before(_winter_solstice_day(year - 1, tz), tz)
    k_end, _ = _month_start_on_or_before(_winter_solstice_day(year, tz), tz)
    starts = [_new_moon_day(k, tz) for k in range(k_start, k_end + 1)]
    count = len(starts) - 1
    leap_index = None
    if count == 13:
        for index in range(1, count):
            if _principal_term(starts[index], tz) == _principal_term(starts[index + 1], tz):
                leap_index = index
                break
    months = []
    number = 11
    for index in range(count):
        leap = index == leap_index
        if index and not leap:
            number = number % 12 + 1
        months.append(_LunarMonth(number, leap, starts[index], starts[index + 1] - starts[index]))
    return tuple(months)


def _lunar_to_solar(
    year: int, month: int, day: int, leap: bool = False, *, tz: float = _TIMEZONE_HOURS
) -> datetime.date:
    """Solar date of a date of the Vietnamese lunar calendar (lunar year, month 1-12, day 1-30).

    ``leap`` selects the leap month (tháng nhuận) that repeats ``month``. ``tz`` is for
    comparison with the Chinese calendar (8) only. Raises ValueError for a date that does
    not exist or a year outside 1930-2100.
    """
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"lunar year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    if not 1 <= month <= 12 or not 1 <= day <= 30:
        raise ValueError(f"invalid lunar date {day}/{month}/{year}")
    # Months 11 and 12 of lunar year Y lie between the solstices of Y and Y+1.
    months = _months_around(year + 1 if month >= 11 else year, tz)
    for lunar_month in months:
        if lunar_month.number == month and lunar_month.leap == leap:
            if day > lunar_month.length:
                raise ValueError(f"lunar month {month}/{year} has {lunar_month.length} days")
            return _from_jdn(lunar_month.first_day + day - 1)
    raise ValueError(f"lunar year {year} has no leap month {month}")


def _lunar_new_year(year: int) -> datetime.date:
    return _lunar_to_solar(year, 1, 1)
