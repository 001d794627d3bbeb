"""Basic statistics forms (biểu mẫu thống kê cơ bản, HD 11-HD/BTCTW) that a committee sends upward,
in their printed layout: one registry of forms, each a query (set-based, a fixed number of
statements whatever the scope) and a row layout. Add a form by writing its module (a `build`
function and a `SPEC`) and listing it in `FORMS`.

The dict of a form (JSON of the API and the command line, drawn by the web page and the workbook):
`form` {number, code, title}, `org` {code, name}, `superior` (the parent's name), `from`/`to` and
`last_year` {from, to} (forms of a period), `as_of` (forms of a day) or `year` (forms of a year),
`columns` [{key, label, ratio (a percentage column)}],
`rows` [{key, number, label, level, values {column key: count | ratio | null}}].
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dangvu.assessment.services import check_year
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization

from . import form1, form2, form4, form5, form6, form7
from .layout import FormSpec

FORMS: dict[int, FormSpec] = {spec.number: spec for spec in (form1.SPEC, form2.SPEC, form4.SPEC, form5.SPEC,
                                                            form6.SPEC, form7.SPEC)}


def form_spec(number) -> FormSpec:
    """The form of that number; DomainError (field "number") for one the system does not make."""
    try:
        spec = FORMS.get(int(str(number).strip()))
    except ValueError:
        spec = None
    if spec is None:
        raise DomainError(_("Unknown form “%(number)s”; the forms are: %(forms)s.")
                          % {"number": number, "forms": ", ".join(map(str, FORMS))}, field="number")
    return spec


def build_form(number, org: Organization, *, date_from: dt.date | None = None, date_to: dt.date | None = None,
               as_of: dt.date | None = None, year: int | str | None = None) -> dict:
    """The form `number` for `org`: over the period [date_from, date_to] (both included) for a form
    of a period, on `as_of` for a form of a day, for `year` for a form of a year."""
    spec = form_spec(number)
    if spec.yearly:
        if year is None:
            raise DomainError(_("Form %(number)s covers a year: give the year.") % {"number": spec.number},
                              field="year")
        return spec.build(org, year=check_year(year))
    if spec.period:
        if date_from is None or date_to is None:
            raise DomainError(_("Form %(number)s covers a period: give its first and last day.")
                              % {"number": spec.number}, field="from" if date_from is None else "to")
        return spec.build(org, date_from=date_from, date_to=date_to)
    if as_of is None:
        raise DomainError(_("Form %(number)s counts on a day: give the day.") % {"number": spec.number},
                          field="as_of")
    return spec.build(org, as_of=as_of)


__all__ = ["FORMS", "FormSpec", "build_form", "form_spec"]
