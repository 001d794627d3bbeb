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
