"""The pages of the statistics forms (biểu mẫu thống kê cơ bản, `reports.statforms`): pick the
organization and the period (or day), see the form as printed, download it (xlsx, json).

Views parse the request, call `statforms.build_form`, render. Organizations come from
`organizations_visible_to(user)` (404 outside the scope)."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangvu.accounts.web import scoped_view
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.xlsx import XLSX_TYPE

from . import exporters, inputs, statforms
from .statforms import xlsx as form_xlsx
from .statforms.layout import cell_drill, column_codes, header_cells, leaves
from .views import _org_choices, _organization


def _drill_url(spec, data: dict, row: dict, column: str, labels: dict) -> str:
    """The list of what a cell counts (`reports:figure_list`), with the same filters; "" for no link (a
    ratio, a heading, a zero)."""
    if not row["values"].get(column):
        return ""
    target = cell_drill(spec, data, row, column)
    if target is None:
        return ""
    label = row["label"] if len(labels) <= 1 else f"{row['label']} — {labels[column]}"
    if column == "last_year":
        label = f"{label} ({labels[column]})"
    return f"{reverse('reports:figure_list')}?{urlencode({**target, 'form': spec.number, 'label': label})}"


def _download(data: dict, fmt: str) -> HttpResponse:
    if fmt == "json":
        response = HttpResponse(exporters.to_json(data), content_type="application/json; charset=utf-8")
    else:
        buffer = io.BytesIO()
        form_xlsx.write(data, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{form_xlsx.filename(data, fmt)}"'
    return response


@scoped_view()
def form(request, number: int):
    """`reports:form` — /reports/forms/N/?org=CODE&from=…&to=… (a form of a period; default: this
    year up to today) or &as_of=… (a form of a day; default: today) [&format=json|xlsx]."""
    if number not in statforms.FORMS:
        raise Http404
    spec = statforms.FORMS[number]
    org = _organization(request)
    today = timezone.localdate()
    fmt = (request.GET.get("format") or "").strip().lower()
    texts = {k: (request.GET.get(k) or "").strip() for k in ("from", "to", "as_of")}
    end, start, day = today, dt.date(today.year, 1, 1), today
    shown = {"from": format_date(start), "to": format_date(end), "as_of": format_date(day)}
    data, error, status = None, None, 200
    try:
        if spec.period:
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
            inputs.parse_format(fmt)
        data = statforms.build_form(number, org, date_from=start, date_to=end, as_of=day)
    except DomainError as exc:
        error, status = exc.message, 400
    if data is not None and fmt:
        return _download(data, fmt)
    heads = spec.heads()
    labels = {c.key: str(c.label) for c in leaves(heads) if c.key not in ("number", "label", "ratio")}
    context = {
        "spec": spec,
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
    }
    if data:
        context["rows"] = [{**r, "cells": [(k, r["values"].get(k), _drill_url(spec, data, r, k, labels))
                                           for k in context["value_keys"]]} for r in data["rows"]]
        context["query"] = "&".join(f"{k}={v}" for k, v in (
            [("org", org.code)] + ([("from", data["from"]), ("to", data["to"])] if spec.period
                                   else [("as_of", data["as_of"])])))
    return render(request, "reports/forms/form.html", context, status=status)
