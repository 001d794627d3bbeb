"""Days off and working days (ngày làm việc): the holidays of a year with their compensatory days (nghỉ
bù), whether a day is a working day, and deadlines counted in working days."""

from __future__ import annotations

import datetime
from functools import lru_cache

from dangvu.core.calendar.holiday_law import _legal_days
from dangvu.core.calendar.lunar import MAX_YEAR, MIN_YEAR


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
