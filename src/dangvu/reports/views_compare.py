"""The comparison page (so sánh): a report for two days or two periods side by side, or for the
sub-units of an organization side by side, with its downloads (xlsx, json).

Like the other report pages: parse the request, call one function of `reports.comparison`, render. The
organization comes from the user's scope (`views._organization`: 404 outside it); its sub-units are
those of its subtree, so a commune's user never sees another commune.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.web import scoped_view
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError

from . import comparison, inputs
from .comparison import PERIODS, SUBUNITS, Span
from .views import _org_choices, _organization, export
from .views_figures import drill_url


def _last_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def defaults(today: dt.date) -> dict[str, dt.date]:
    """The days a comparison starts from: this year up to today against the same period last year (days:
    today against the same day last year)."""
    return {"a": _last_year(today), "b": today, "from_a": dt.date(today.year - 1, 1, 1), "to_a": _last_year(today),
            "from_b": dt.date(today.year, 1, 1), "to_b": today, "as_of": today,
            "from": dt.date(today.year, 1, 1), "to": today}


def parse(values, today: dt.date) -> dict:
    """The parameters of a comparison from a query (`values.get`: the page's query, or the API's checked
    parameters): `report`, `mode`, the spans, `sort`, `share`, and the texts to show back in the form. DomainError (with its field) on a bad one."""
    report = (values.get("report") or "snapshot").strip()
    mode = (values.get("mode") or PERIODS).strip()
    comparison.report_spec(report)
    if mode not in comparison.MODES:
        raise DomainError(_("Unknown comparison “%(value)s”.") % {"value": mode}, field="mode")
    period = comparison.report_spec(report)[2]
    days = defaults(today)
    shown = {k: format_date(v) for k, v in days.items()}
    for key in days:
        text = (values.get(key) or "").strip()
        if text:
            shown[key] = text
            days[key] = inputs.parse_day(text, field=key)
            shown[key] = format_date(days[key])
    if mode == PERIODS:
        spans = ((Span(start=days["from_a"], end=days["to_a"]), Span(start=days["from_b"], end=days["to_b"]))
                 if period else (Span(as_of=days["a"]), Span(as_of=days["b"])))
        for span, field in zip(spans, ("from_a", "from_b"), strict=True):
            if span.start is not None and span.start > span.end:
                raise DomainError(_("The period starts on %(start)s, after its end on %(end)s.")
                                  % {"start": format_date(span.start), "end": format_date(span.end)}, field=field)
    else:
        spans = (Span(start=days["from"], end=days["to"]) if period else Span(as_of=days["as_of"]),)
        if period and days["from"] > days["to"]:
            raise DomainError(_("The period starts on %(start)s, after its end on %(end)s.")
                              % {"start": format_date(days["from"]), "end": format_date(days["to"])}, field="from")
    sort = (values.get("sort") or "").strip()
    kept = (values.get("keep_sort") or "").strip() if not sort else ""
    return {"report": report, "mode": mode, "period": period, "spans": spans, "shown": shown,
            "sort": sort or kept, "sort_kept": bool(kept), "share": values.get("share") in (True, "1", "true")}


def run_page(org, p: dict) -> tuple[dict, dict]:
    """The comparison of the page and the parameters it was made with: a sort the form carried over
    (`keep_sort`, from the page before) is dropped when the report chosen now has no such row (another
    report, another organization), rather than refused as a sort asked for by name is."""
    try:
        return run(org, p, drill=True), p
    except DomainError as exc:
        if exc.field != "sort" or not p.get("sort_kept"):
            raise
    p = {**p, "sort": "", "share": False}
    return run(org, p, drill=True), p


def run(org, p: dict, *, drill: bool = False) -> dict:
    """The comparison the parsed parameters `p` ask for (with `drill`, each value's list: the page)."""
    if p["mode"] == PERIODS:
        return comparison.compare_periods(p["report"], org, *p["spans"], drill=drill)
    return comparison.compare_subunits(p["report"], org, p["spans"][0], sort=p["sort"], by_share=p["share"],
                                       drill=drill)


def _query(org, p: dict, **extra) -> str:
    params = {"org": org.code, "report": p["report"], "mode": p["mode"], **{k: p["shown"][k] for k in _span_keys(p)}}
    if p["mode"] == SUBUNITS and p["sort"]:
        params.update(sort=p["sort"], **({"share": "1"} if p["share"] else {}))
    params.update(extra)
    return urlencode({k: v for k, v in params.items() if v != ""})


def _display(data: dict, p: dict, org) -> list[dict]:
    """The rows as the page writes them (numbers in Vietnamese form, each count a link to the list of
    what it counts where the report has one; sub-units: the share beside each count, the label a link
    sorting the sub-units by that row)."""
    rows = []
    for r in data["rows"]:
        cells = []
        for i, value in enumerate(r["values"]):
            share = r["shares"][i] if r["shares"] else None
            column = data["columns"][i]
            url = drill_url(r["drills"][i], f"{r['label']} — {column['label']}") if value else ""
            cells.append({"text": comparison.number_text(value), "share": comparison.percent_text(share), "url": url})
        row = {**r, "cells": cells}
        if data["mode"] == PERIODS:
            row["difference_text"] = comparison.signed_text(r["difference"])
            row["change_text"] = comparison.signed_percent_text(r["change"])
        elif any(v is not None for v in r["values"]):
            by_share = bool(r["shares"])
            row["sort_query"] = _query(org, {**p, "sort": r["key"], "share": by_share})
            row["sorted"] = data.get("sort") == r["key"]
        rows.append(row)
    return rows


def _span_keys(p: dict) -> tuple[str, ...]:
    if p["mode"] == PERIODS:
        return ("from_a", "to_a", "from_b", "to_b") if p["period"] else ("a", "b")
    return ("from", "to") if p["period"] else ("as_of",)


def _export_params(p: dict) -> dict:
    """The parameters of the download (`downloads.compare`): the spans' days as YYYY-MM-DD."""
    days = {}
    for span, names in zip(p["spans"], (("a", "from_a", "to_a"), ("b", "from_b", "to_b")), strict=False):
        if p["mode"] == SUBUNITS:
            names = ("as_of", "from", "to")
        if span.as_of is not None:
            days[names[0]] = span.as_of.isoformat()
        else:
            days[names[1]], days[names[2]] = span.start.isoformat(), span.end.isoformat()
    return {"report": p["report"], "mode": p["mode"], **days, "sort": p["sort"], "share": "1" if p["share"] else ""}


def _span_text(p: dict) -> str:
    return " / ".join(p["shown"][k] for k in _span_keys(p))


@scoped_view()
def compare(request):
    """`reports:compare` — ?org=CODE&report=snapshot|profile|form-N&mode=periods|subunits; periods: &a=…&b=…
    (days) or &from_a=…&to_a=…&from_b=…&to_b=… (periods); sub-units: &as_of=… or &from=…&to=…, [&sort=ROW
    [&share=1]] (or &keep_sort=ROW: the
    form's, kept while the row exists); [&format=xlsx|json]. Dates YYYY-MM-DD or dd/mm/yyyy."""
    org = _organization(request)
    today = timezone.localdate()
    fmt = (request.GET.get("format") or "").strip().lower()
    data, error, status, p = None, None, 200, None
    try:
        if fmt:
            inputs.parse_format(fmt)
        p = parse(request.GET, today)
        if not fmt:
            data, p = run_page(org, p)
    except DomainError as exc:
        error, status = exc.message, 400
    if error is None and fmt:
        title = comparison.title_of(str(comparison.report_spec(p["report"])[1]), p["mode"])
        response, error = export(request, org, "compare", title, _span_text(p),
                                 **_export_params(p), format=fmt)
        if response is not None:
            return response
        status = 400
    if p is None:  # a bad parameter: the form with the defaults, the error above it
        p = {"report": (request.GET.get("report") or "snapshot").strip(),
             "mode": (request.GET.get("mode") or PERIODS).strip(), "period": False,
             "shown": {k: format_date(v) for k, v in defaults(today).items()}, "sort": "", "share": False}
        for key in p["shown"]:
            p["shown"][key] = (request.GET.get(key) or "").strip() or p["shown"][key]
    context = {
        "org": org,
        "org_choices": _org_choices(request.user, org),
        "reports": comparison.reports(),
        "p": p,
        "error": error,
        "data": data,
        "title": comparison.title(data) if data else str(comparison.TITLE),
    }
    if data:
        context.update(rows=_display(data, p, org), heads=comparison.heads(data), query=_query(org, p))
    return render(request, "reports/compare.html", context, status=status)
