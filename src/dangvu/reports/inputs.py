"""Parsing the parameters of a report (shared by the command line and the web views)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from dangvu.core.dates import check_day
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization

FORMATS = ("json", "xlsx")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_VN = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_day(text: str | None, *, field: str = "as_of") -> dt.date:
    """A report date: YYYY-MM-DD or dd/mm/yyyy, nothing else, in the range of days the application
    answers for (`core.dates.check_day`, as the API's `DayField(future=True)`); DomainError otherwise."""
    value = (text or "").strip()
    if not value:
        raise DomainError(_("Enter a date (YYYY-MM-DD or dd/mm/yyyy)."), field=field)
    iso, vn = _ISO.match(value), _VN.match(value)
    if iso:
        y, m, d = (int(g) for g in iso.groups())
    elif vn:
        d, m, y = (int(g) for g in vn.groups())
    else:
        raise DomainError(
            _("“%(value)s” is not a date in the form YYYY-MM-DD or dd/mm/yyyy.") % {"value": value}, field=field
        )
    try:
        day = dt.date(y, m, d)
    except ValueError:
        raise DomainError(_("“%(value)s” is not a valid date.") % {"value": value}, field=field)
    return check_day(day, field=field)


def parse_format(text: str | None, *, formats: tuple[str, ...] = FORMATS) -> str:
    """One of `formats` (the first when none is given); DomainError otherwise."""
    value = (text or formats[0]).strip().lower()
    if value not in formats:
        raise DomainError(
            _("Unknown format “%(value)s”; use one of: %(formats)s.") % {"value": text, "formats": ", ".join(formats)},
            field="format",
        )
    return value


def organization_by_code(code: str | None, queryset=None) -> Organization:
    """The organization with this code (within `queryset` when given); DomainError otherwise."""
    value = (code or "").strip()
    if not value:
        raise DomainError(_("Enter the organization code (--org)."), field="org")
    qs = Organization.objects.all() if queryset is None else queryset
    org = qs.filter(code=value).first()
    if org is None:
        raise DomainError(_("No organization has code %(code)s.") % {"code": value}, field="org")
    return org
