"""Dates as Vietnamese users write them (dd/mm/yyyy) and the sentinels of effective dating."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.calendar import MAX_YEAR
from dangvu.core.errors import DomainError

#: "Since ever": an organization with no establishment date existed before anything we report on.
BEGINNING = dt.date(1900, 1, 1)


def parse_date(value, *, field: str | None = None) -> dt.date | None:
    """Parse dd/mm/yyyy, yyyy-mm-dd, or an Excel/Python date. Empty → None; bad → DomainError."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DomainError(_("“%(value)s” is not a valid date (use dd/mm/yyyy).") % {"value": text}, field=field)


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`: the largest n with add_months(start, n) <= end (0 if none)."""
    if end <= start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    # add_months(start, n) is in end's month, on start's day or on the month's last day when shorter:
    # after `end` when start's day is later than end's and end is not that last day
    if start.day > end.day and end.day < _month_days(end.year, end.month):
        n -= 1
    return n


def _month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


#: The earliest date a recorded fact may carry (births, admissions, establishments, events): one range
#: for every form, API and import (`check_past`).
EARLIEST = BEGINNING


def check_past(day: dt.date | None, *, field: str | None = None, today: dt.date | None = None) -> dt.date | None:
    """`day` when it lies in the range of recorded facts, EARLIEST … today (a fact dated in the future
    would change today's state before it happens); DomainError otherwise. None passes."""
    if day is None:
        return None
    if day < EARLIEST:
        raise DomainError(_("%(day)s is outside the accepted dates (%(earliest)s to today).") % {
            "day": format_date(day), "earliest": format_date(EARLIEST)}, field=field)
    return check_not_future(day, field=field, today=today)


def check_not_future(day: dt.date | None, *, field: str | None = None, today: dt.date | None = None) -> dt.date | None:
    """`day` when it is not after today (`today`, default the local date); DomainError (code `date.future`)
    otherwise: what has not happened yet is not recorded as a fact. None passes."""
    latest = today or timezone.localdate()
    if day is not None and day > latest:
        raise DomainError(_("The date %(day)s cannot be after today (%(today)s).") % {
            "day": format_date(day), "today": format_date(latest)}, field=field, code="date.future")
    return day


#: The last day a date asked about may be (the day of a report, of a tree, an award occasion): the end of
#: the working-day calendar (`core.calendar`) less a year, so that no time limit counted from it leaves the calendar.
LATEST = dt.date(MAX_YEAR - 1, 12, 31)


def check_day(day: dt.date | None, *, field: str | None = None) -> dt.date | None:
    """`day` when it lies in the range of days the application answers for, EARLIEST … LATEST;
    DomainError otherwise. None passes."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise DomainError(_("%(day)s is outside the accepted dates (%(earliest)s to %(latest)s).") % {
            "day": format_date(day), "earliest": format_date(EARLIEST), "latest": format_date(LATEST)}, field=field)
    return day
