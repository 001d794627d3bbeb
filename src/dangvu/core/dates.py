"""Dates as Vietnamese users write them (dd/mm/yyyy) and the sentinels of effective dating."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

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
    if add_months(start, n) > end:
        n -= 1
    return n
