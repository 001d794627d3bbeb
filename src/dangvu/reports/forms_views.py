"""The pages of the statistics forms (biểu mẫu thống kê cơ bản, `reports.statforms`): pick the
organization and the period (or day), see the form as printed, download it (xlsx, json).

Views parse the request, call `statforms.build_form`, render. Organizations come from
`organizations_visible_to(user)` (404 outside the scope)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from dangvu.accounts.web import scoped_view
from dangvu.assessment.services import check_year
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError

from . import inputs, statforms
from .statforms import xlsx as form_xlsx
from .statforms.layout import cell_drill, column_codes, header_cells, leaves
from .views import _org_choices, _organization, export
from .views_figures import drill_url

#: The downloads of a form: its workbook and its PDF as printed, its JSON.
FORMATS = ("xlsx", "pdf", "json")


def _drill_url(spec, data: dict, row: dict, column: str, labels: dict) -> str:
    """The list of what a cell counts, with the same filters; "" for no link (a ratio, a heading, a zero)."""
    target = cell_drill(spec, data, row, column) if row["values"].get(column) else None
    if target is None:
        return ""
    label = row["label"] if len(labels) <= 1 else f"{row['label']} — {labels[column]}"
    return drill_url(target, label, spec.number)


@scoped_view()
def form(request, number: int):
    """`reports:form` — /reports/forms/N/?org=CODE&from=…&to=… (a form of a period; default: this
    year up to today), &as_of=… (a form of a day; default: today) or &year=YYYY (a form of a year;
    default: last year) [&format=json|xlsx]."""
    if number not in statforms.FORMS:
        raise Http404
    spec = statforms.FORMS[number]
    org = _organization(request)
    today = timezone.localdate()
    fmt = (request.GET.get("format") or "").strip().lower()
    texts = {k: (request.GET.get(k) or "").strip() for k in ("from", "to", "as_of", "year")}
    end, start, day, year = today, dt.date(today.year, 1, 1), today, today.year - 1
    shown = {"from": format_date(start), "to": format_date(end), "as_of": format_date(day), "year": str(year)}
    data, error, status = None, None, 200
    try:
        if spec.yearly:
            if texts["year"]:
                shown["year"] = texts["year"]
                year = check_year(texts["year"])
        elif spec.period:
            if texts["to"]:
                shown["to"] = texts["to"]
                end = inputs.parse_day(texts["to"], field="to")
                shown["to"], start = format_date(end), dt.date(end.year, 1, 1)
                shown["from"] = format_date(start)
            if texts["from"]:
                shown["from"] = texts["from"]
                start = inputs.parse_day(texts["from"], field="from")
                shown["from"] = format_date(start)
        elif texts["as_of"]:
            shown["as_of"] = texts["as_of"]
            day = inputs.parse_day(texts["as_of"])
            shown["as_of"] = format_date(day)
        if fmt:
            inputs.parse_format(fmt, formats=FORMATS)
            if spec.yearly:
                dates, detail = {"year": year}, str(year)
            else:
                dates = ({"from": start.isoformat(), "to": end.isoformat()} if spec.period
                         else {"as_of": day.isoformat()})
                detail = " – ".join(format_date(dt.date.fromisoformat(d)) for d in dates.values())
            response, message = export(request, org, "form", f"{spec.code}: {spec.title}", detail,
                                       number=number, format=fmt, **dates)
            if response is not None:
                return response
            raise DomainError(message)
        data = statforms.build_form(number, org, date_from=start, date_to=end, as_of=day, year=year)
    except DomainError as exc:
        error, status = exc.message, 400
    year = data["year"] if data and spec.yearly else year
    heads = spec.header(year)
    labels = {c.key: str(c.label) for c in leaves(heads) if c.key not in ("number", "label", "ratio")}
    context = {
        "spec": spec,
        "note": spec.note_for(year),
        "forms": statforms.FORMS.values(),
        "org": org,
        "shown": shown,
        "data": data,
        "error": error,
        "org_choices": _org_choices(request.user, org),
        "header_rows": header_cells(heads),
        "codes": column_codes(leaves(heads)),
        "value_keys": [c.key for c in leaves(heads) if c.key not in ("number", "label")],
        "period": form_xlsx.period_text(data) if data else "",
        "this_year": {"from": format_date(dt.date(today.year, 1, 1)), "to": format_date(today)},
        "last_year": {"from": format_date(dt.date(today.year - 1, 1, 1)),
                      "to": format_date(dt.date(today.year - 1, 12, 31))},
        "year_end": format_date(dt.date(today.year - 1, 12, 31)),
        "years": {"last": today.year - 1, "this": today.year},
    }
    if data:
        ratios = {c.key for c in leaves(heads) if c.ratio}
        context["rows"] = [{**r, "cells": [(k, r["values"].get(k), _drill_url(spec, data, r, k, labels), k in ratios)
                                           for k in context["value_keys"]]} for r in data["rows"]]
        dates = ([("year", data["year"])] if spec.yearly else [("from", data["from"]), ("to", data["to"])]
                 if spec.period else [("as_of", data["as_of"])])
        context["query"] = "&".join(f"{k}={v}" for k, v in [("org", org.code), *dates])
    return render(request, "reports/forms/form.html", context, status=status)
