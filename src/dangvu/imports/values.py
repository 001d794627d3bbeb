"""Cell values: text as the user typed it, dates in the accepted range."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dangvu.core.dates import check_past, format_date, parse_date
from dangvu.core.errors import DomainError


def text(v) -> str:
    """A cell as text: numbers typed as codes (1.0) become "1", real dates dd/mm/yyyy."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return format_date(v.date())
    if isinstance(v, dt.date):
        return format_date(v)
    return str(v).strip()


class Dates:
    """parse_date with a cache (the same dates repeat a lot), limited to the range of recorded facts
    (`core.dates.check_past`: every date of a workbook is a fact that has happened)."""

    def __init__(self, today: dt.date):
        self.today = today
        self.cache: dict = {}

    def __call__(self, v) -> dt.date | None:
        try:  # a value seen before, as it comes (a date cell; a text already trimmed)
            found = self.cache[v]
        except (KeyError, TypeError):
            return self._first(v)
        if isinstance(found, DomainError):
            raise found
        return found

    def _first(self, v) -> dt.date | None:
        if v is None or v == "":
            return None
        if isinstance(v, dt.datetime):
            v = v.date()
        key = v.strip() if isinstance(v, str) else v
        if key == "":
            return None
        try:
            found = self.cache[key]
        except (KeyError, TypeError):
            found = self._parse(key)
            try:
                self.cache[key] = found
            except TypeError:  # pragma: no cover - unhashable
                pass
        if isinstance(found, DomainError):
            raise found
        return found

    def _parse(self, v):
        if isinstance(v, (int, float)):
            return DomainError(_("“%(value)s” is not a valid date (use dd/mm/yyyy).") % {"value": text(v)})
        try:
            return check_past(parse_date(v), today=self.today)
        except DomainError as exc:
            return exc
