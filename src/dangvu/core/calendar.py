"""Vietnam's working-day calendar, for Party deadlines counted in working days.

Many Party rules set deadlines in working days (ngày làm việc), e.g. "the competent committee
decides within 60 working days". A working day is Monday to Friday, except the public holidays
(ngày nghỉ lễ) fixed by the Labour Code and the compensatory days off (nghỉ bù) granted when a
holiday falls on a Saturday or Sunday. Party bodies follow the public-sector schedule: a 5-day
week (Saturday and Sunday off) and the yearly holiday notices for officials.

Holiday rules by year (the regime in force in that year):

* from 2021, Labour Code 2019 (Bộ luật Lao động 45/2019/QH14), Art. 112: New Year (1/1), Tết
  (5 days), Hùng Kings' Day (10/3 lunar), Reunification Day (30/4), International Labour Day
  (1/5), National Day (2/9 plus the day before or after it);
* 2013-2020, Labour Code 2012, Art. 115: the same, but National Day is 2/9 only. Tết has
  5 days from Tết 2013;
* before 2013, Labour Code 1994 (Art. 73): Tết has 4 days (the last day of the lunar year and
  the first 3 days); Hùng Kings' Day only from 2007 (amendment of 2007). These two points are
  recalled, not re-read. Years before 1995, when that code came into force, are an
  approximation. The 5-day week of the public sector (Quyết định 188/1999/QĐ-TTg, from
  02/10/1999) is applied to every year.

Compensatory days: a holiday that falls on a Saturday or Sunday gives a day off on the next
working day (Labour Code 2019, Art. 111(3); Labour Code 2012, Art. 115(3)). Tết days are chosen
by the Prime Minister each year; when the decision is known it is used as is (``DECIDED_TET``),
otherwise the usual rule applies (the last day of the lunar year through day 4 of month 1, weekend
days compensated after the break).

Not modelled: swaps of working days (hoán đổi ngày làm việc), where officials take a weekday
off and work a Saturday instead (e.g. 02/5/2025 off, 26/4/2025 worked). A Saturday is never a
working day here.

Tết and Hùng Kings' Day follow the Vietnamese lunisolar calendar, computed astronomically
(true new moons and the Sun's longitude, J. Meeus' algorithms) for UTC+7, the basis of the
official calendar since 1968; earlier years are computed the same way. It differs from the
Chinese calendar (UTC+8) in some years: Tết 1985 was on 21/01/1985 in Vietnam and on 20/02/1985
in China. Checked for 1930-2100: Tết and Hùng Kings' Day agree with python-holidays' Vietnamese
tables in every year; every day agrees with Hồ Ngọc Đức's algorithm (package lunar-vn) except
4 months whose new moon falls within 2 minutes of midnight (06/1944, 07/1967, 12/2072,
11/2077), none of which moves a holiday. Supported years: 1930-2100.
"""

from __future__ import annotations

import datetime
import math
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "DECIDED_TET",
    "EXTRA_HOLIDAYS",
    "MAX_YEAR",
    "MIN_YEAR",
    "NATIONAL_DAY_ADJACENT",
    "FixedHoliday",
    "add_working_days",
    "is_working_day",
    "public_holidays",
    "working_days_between",
]

MIN_YEAR = 1930
MAX_YEAR = 2100

_TIMEZONE_HOURS = 7  # Vietnam, UTC+7

_date = datetime.date


def _days(start: datetime.date, end: datetime.date) -> tuple[datetime.date, ...]:
    """Every date from start to end, both included."""
    return tuple(start + datetime.timedelta(days=i) for i in range((end - start).days + 1))


# ---------------------------------------------------------------------------------------------
# Data tables. Change them only with a source; call _clear_caches() after changing at run time.
# ---------------------------------------------------------------------------------------------

# The Tết break as decided for officials (cán bộ, công chức, viên chức), weekends included.
# Every entry has exactly 5 weekdays off (no swapped working days in these years).
DECIDED_TET: dict[int, tuple[datetime.date, ...]] = {
    # 23/01 (29 Chạp) - 29/01/2020 (mùng 5), 7 days. socongthuong.daklak.gov.vn, 07/01/2020.
    2020: _days(_date(2020, 1, 23), _date(2020, 1, 29)),
    # 10/02 (29 Chạp) - 16/02/2021, 7 days. sggpnews.org.vn "Vietnam's public holidays in 2021"
    # (09/12/2020), also sggpnews.org.vn "Seven days off for Tet holiday 2021 proposed".
    2021: _days(_date(2021, 2, 10), _date(2021, 2, 16)),
    # 29/01 - 06/02/2022: 5 days of Tết plus the weekends before and after. Công văn
    # 245/VPCP-KGVX, 11/01/2022 (reported by kinhtemoitruong.vn, 12/01/2022).
    2022: _days(_date(2022, 1, 29), _date(2022, 2, 6)),
    # 20/01 (29 Chạp) - 26/01/2023, 7 days. Recalled (no official text at hand); the holiday
    # data file of the SWPSU23/SWP-BE repository lists the same days.
    2023: _days(_date(2023, 1, 20), _date(2023, 1, 26)),
    # 08/02 (29 Chạp) - 14/02/2024, 7 days. VGP, reported by vietnamnet.vn/en "Laborers to enjoy
    # 17 days of holidays in 2024".
    2024: _days(_date(2024, 2, 8), _date(2024, 2, 14)),
    # 25/01 - 02/02/2025, 9 days (weekdays off 27-31/01). Thông báo 6150/TB-BLĐTBXH, 2024.
    2025: _days(_date(2025, 1, 25), _date(2025, 2, 2)),
    # 14/02 (27 Chạp Ất Tỵ) - 22/02/2026 (mùng 6 Bính Ngọ), 9 days (weekdays off 16-20/02).
    # congan.com.vn "Chính thức chốt phương án Tết Nguyên đán Bính Ngọ 2026 nghỉ 9 ngày".
    2026: _days(_date(2026, 2, 14), _date(2026, 2, 22)),
    # Not entered: 2019 (02-10/02, recalled; the usual rule gives the same weekdays off).
    # Before 2019 some years swapped working days, which this module does not model.
}

# From 2021 National Day is 2/9 plus one adjacent day (1/9 or 3/9), decided yearly.
# Years not listed use 3/9.
NATIONAL_DAY_ADJACENT: dict[int, datetime.date] = {
    # 02-05/09/2021. sggpnews.org.vn "Vietnam's public holidays in 2021".
    2021: _date(2021, 9, 3),
    # 01-02/09/2022 (then the weekend). Company notice scon.com.vn "Các ngày nghỉ lễ 2022";
    # python-holidays gives the same day.
    2022: _date(2022, 9, 1),
    # 01-04/09/2023: 1/9 (Friday), 2/9 (Saturday), 4/9 compensatory. Recalled; python-holidays
    # gives the same day.
    2023: _date(2023, 9, 1),
    # 31/08-03/09/2024. btv.org.vn "Lễ Quốc khánh 2/9, người lao động được nghỉ 4 ngày liên tiếp";
    # news.baokhanhhoa.vn "2 days off for the National Day" (2/9 and 3/9).
    2024: _date(2024, 9, 3),
    # 30/08-02/09/2025. Recalled; python-holidays gives the same day.
    2025: _date(2025, 9, 1),
    # 2/9/2026 is a Wednesday; 5 days 29/08-02/09 with 31/08 swapped (swap not modelled).
    # thanhnien.vn 13/01/2026 ("5 ngày dịp Quốc khánh 2.9"); python-holidays 0.109.
    2026: _date(2026, 9, 1),
}


class FixedHoliday(NamedTuple):
    """A public holiday on a fixed solar date, in force from ``since``."""

    key: str
    month: int
    day: int
    since: datetime.date


# Holidays added by law after the Labour Code 2019. Empty for now.
#
# Vietnamese Culture Day (Ngày Văn hóa Việt Nam, 24/11): UNCONFIRMED as a day off. Politburo
# Resolution 80-NQ/TW (07/01/2026) adopted 24/11 as Vietnamese Culture Day "với chủ trương là
# ngày nghỉ, người lao động được hưởng nguyên lương" (a policy, not a law). Government
# Resolution 30/NQ-CP (02/2026) tasks an amendment of Labour Code Art. 112(1) to add it
# (vneconomy.vn, 26/02/2026; vnexpress.net, 17/01/2026); thanhnien.vn (13/01/2026) notes it
# applies once the National Assembly enacts it. No enacted law was found, so it is not a
# holiday here (python-holidays 0.109 already lists it from 2026). When the law is passed, add:
#     FixedHoliday("culture", 11, 24, since=<date the law takes effect>),
EXTRA_HOLIDAYS: tuple[FixedHoliday, ...] = ()


# ---------------------------------------------------------------------------------------------
# Astronomy: new moons and the Sun's longitude (J. Meeus, Astronomical Algorithms, ch. 25, 49)
# ---------------------------------------------------------------------------------------------

_JDN_OFFSET = 1721425  # Julian Day Number (at noon) = date.toordinal() + _JDN_OFFSET
_SYNODIC_MONTH = 29.530588861
_RAD = math.pi / 180


def _jdn(day: datetime.date) -> int:
    return day.toordinal() + _JDN_OFFSET


def _from_jdn(jdn: int) -> datetime.date:
    return datetime.date.fromordinal(jdn - _JDN_OFFSET)


def _delta_t_days(jd: float) -> float:
    """TT - UT in days (Espenak & Meeus polynomials, 1920-2150)."""
    y = 2000 + (jd - 2451545.0) / 365.25
    if y < 1941:
        t = y - 1920
        seconds = 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    elif y < 1961:
        t = y - 1950
        seconds = 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    elif y < 1986:
        t = y - 1975
        seconds = 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    elif y < 2005:
        t = y - 2000
        seconds = (
            63.86
            + 0.3345 * t
            - 0.060374 * t**2
            + 0.0017275 * t**3
            + 0.000651814 * t**4
            + 0.00002373599 * t**5
        )
    elif y < 2050:
        t = y - 2000
        seconds = 62.92 + 0.32217 * t + 0.005589 * t**2
    else:
        seconds = -20 + 32 * ((y - 1820) / 100) ** 2 - 0.5628 * (2150 - y)
    return seconds / 86400


# Periodic terms of the true new moon: (coefficient, power of E, multiples of M, M', F, Omega).
_NEW_MOON_TERMS = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)

# Planetary arguments (degrees: constant, rate per lunation k) and their coefficients (days).
_PLANETARY_TERMS = (
    (299.77, 0.107408, 0.000325),
    (251.88, 0.016321, 0.000165),
    (251.83, 26.651886, 0.000164),
    (349.42, 36.412478, 0.000126),
    (84.66, 18.206239, 0.000110),
    (141.74, 53.303771, 0.000062),
    (207.14, 2.453732, 0.000060),
    (154.84, 7.306860, 0.000056),
    (34.52, 27.261239, 0.000047),
    (207.19, 0.121824, 0.000042),
    (291.34, 1.844379, 0.000040),
    (161.72, 24.198154, 0.000037),
    (239.56, 25.513099, 0.000035),
    (331.55, 3.592518, 0.000023),
)


def _new_moon_jde(k: int) -> float:
    """Julian Ephemeris Day of the k-th new moon after 6 January 2000 (k may be negative)."""
    t = k / 1236.85
    jde = 2451550.09766 + _SYNODIC_MONTH * k + 0.00015437 * t**2 - 0.000000150 * t**3 + 0.00000000073 * t**4
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    sun_anomaly = (2.5534 + 29.10535670 * k - 0.0000014 * t**2 - 0.00000011 * t**3) * _RAD
    moon_anomaly = (
        201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4
    ) * _RAD
    latitude_arg = (
        160.7108 + 390.67050284 * k - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4
    ) * _RAD
    node = (124.7746 - 1.56375588 * k + 0.0020672 * t**2 + 0.00000215 * t**3) * _RAD
    for coefficient, e_power, m, mp, f, om in _NEW_MOON_TERMS:
        angle = m * sun_anomaly + mp * moon_anomaly + f * latitude_arg + om * node
        jde += coefficient * e**e_power * math.sin(angle)
    planetary_a1 = 299.77 + 0.107408 * k - 0.009173 * t**2
    for index, (constant, rate, coefficient) in enumerate(_PLANETARY_TERMS):
        argument = planetary_a1 if index == 0 else constant + rate * k
        jde += coefficient * math.sin(argument * _RAD)
    return jde


def _new_moon_day(k: int, tz: float) -> int:
    """Julian Day Number of the local civil day on which the k-th new moon falls."""
    jde = _new_moon_jde(k)
    jd_ut = jde - _delta_t_days(jde)
    return math.floor(jd_ut + 0.5 + tz / 24)


def _sun_longitude(jd_ut: float) -> float:
    """Apparent geocentric longitude of the Sun in degrees, 0 <= value < 360."""
    jde = jd_ut + _delta_t_days(jd_ut)
    t = (jde - 2451545.0) / 36525
    mean_longitude = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    anomaly = (357.52911 + 35999.05029 * t - 0.0001537 * t**2) * _RAD
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * math.sin(anomaly)
        + (0.019993 - 0.000101 * t) * math.sin(2 * anomaly)
        + 0.000289 * math.sin(3 * anomaly)
    )
    node = (125.04 - 1934.136 * t) * _RAD
    apparent = mean_longitude + centre - 0.00569 - 0.00478 * math.sin(node)
    return apparent % 360


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
    day = _jdn(_date(year, 12, 17))  # the solstice falls on 21, 22 or 23 December
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


# ---------------------------------------------------------------------------------------------
# Holidays
# ---------------------------------------------------------------------------------------------


def _legal_days(year: int) -> tuple[list[tuple[datetime.date, str]], frozenset[datetime.date]]:
    """The holidays named by law in `year`, and the days whose compensation is already decided."""
    days: list[tuple[datetime.date, str]] = [(_date(year, 1, 1), "new_year")]
    decided: frozenset[datetime.date] = frozenset()

    if year in DECIDED_TET:
        decided = frozenset(DECIDED_TET[year])
        days += [(day, "tet") for day in DECIDED_TET[year]]
    else:
        new_year = _lunar_new_year(year)
        first_days = 4 if year >= 2013 else 3  # Labour Code 2012: 5 days; 1994: 4 days
        tet_start = new_year - datetime.timedelta(days=1)  # last day of the lunar year
        days += [(day, "tet") for day in _days(tet_start, new_year + datetime.timedelta(first_days - 1))]

    if year >= 2007:  # Labour Code 1994 as amended in 2007
        days.append((_lunar_to_solar(year, 3, 10), "hung_kings"))
    days.append((_date(year, 4, 30), "reunification"))
    days.append((_date(year, 5, 1), "labour"))
    days.append((_date(year, 9, 2), "national"))
    if year >= 2021:  # Labour Code 2019: 2 days
        days.append((NATIONAL_DAY_ADJACENT.get(year, _date(year, 9, 3)), "national"))
    for extra in EXTRA_HOLIDAYS:
        day = _date(year, extra.month, extra.day)
        if day >= extra.since:
            days.append((day, extra.key))
    return days, decided


@lru_cache(maxsize=256)
def _holidays_with_spill(year: int) -> tuple[tuple[datetime.date, str], ...]:
    """Holidays of `year` and their compensatory days, which may spill into the next year."""
    legal, decided = _legal_days(year)
    off: dict[datetime.date, str] = {}
    for day, key in sorted(legal, key=lambda item: item[0]):
        off.setdefault(day, key)
    for day, key in sorted(legal, key=lambda item: item[0]):
        if day.weekday() < 5 or day in decided:
            continue
        substitute = day + datetime.timedelta(days=1)
        while substitute.weekday() >= 5 or substitute in off:
            substitute += datetime.timedelta(days=1)
        off[substitute] = f"{key}_compensatory"
    return tuple(sorted(off.items()))


@lru_cache(maxsize=256)
def _days_off(year: int) -> frozenset[datetime.date]:
    return frozenset(public_holidays(year))


def public_holidays(year: int) -> dict[datetime.date, str]:
    """Every day off by law in `year`: holidays and compensatory days (nghỉ bù).

    Keys: ``new_year``, ``tet``, ``hung_kings``, ``reunification``, ``labour``, ``national``
    (and the key of any entry of EXTRA_HOLIDAYS); a compensatory day has the key of its holiday
    followed by ``_compensatory``. Days falling on a weekend are included. Sorted by date.
    """
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    result = {day: key for day, key in _holidays_with_spill(year) if day.year == year}
    if year > MIN_YEAR:
        for day, key in _holidays_with_spill(year - 1):
            if day.year == year:
                result.setdefault(day, key)
    return dict(sorted(result.items()))


def _clear_caches() -> None:
    """Forget computed holidays; call after changing DECIDED_TET and the other tables."""
    _holidays_with_spill.cache_clear()
    _days_off.cache_clear()


def is_working_day(day: datetime.date) -> bool:
    """True when `day` is Monday to Friday and neither a public holiday nor a compensatory day."""
    return day.weekday() < 5 and day not in _days_off(day.year)


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """Last day of a period of `n` working days counted from the day after `day`.

    The day of the event itself is not counted; counting starts on the next day (Civil Code
    2015, Art. 147(2)). The result is the n-th working day after `day`, so a deadline "within
    n working days of D" ends at the end of ``add_working_days(D, n)``. ``n = 0`` returns
    `day` unchanged; for n >= 1 the result is always a working day. Raises ValueError for n < 0.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    current = day
    remaining = n
    one_day = datetime.timedelta(days=1)
    while remaining:
        current += one_day
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Number of working days in the interval (start, end]: `start` excluded, `end` included.

    0 when end <= start. ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    count = 0
    current = start
    one_day = datetime.timedelta(days=1)
    while current < end:
        current += one_day
        if is_working_day(current):
            count += 1
    return count
