"""Report pages of an organization on a day: the profile of the membership, the checks of the records
and the drafted summary paragraph (each with its downloads: JSON and Excel; the summary JSON and .docx).

Like the other report pages (`views`): parse the request, call one query, render; the organization
comes from the user's scope (`views._organization`: 404 outside it).
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.web import scoped_view
from dangvu.assessment.services import check_year
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError

from . import exporters, inputs, queries, sheets, summary
from .views import _org_choices, _organization, export

#: Findings per page of the checks report (the Excel has all).
CHECKS_PAGE_SIZE = 100


def _as_of_request(request, formats=inputs.FORMATS) -> dict:
    """The parameters every page here takes: the organization (`?org=`), the day (`?as_of=`, today by
    default; YYYY-MM-DD or dd/mm/yyyy) and the download format (`?format=`), with the error of a bad one."""
    org = _organization(request)
    today = timezone.localdate()
    text = (request.GET.get("as_of") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    params = {"org": org, "day": today, "as_of_value": format_date(today), "fmt": fmt, "error": None, "status": 200}
    try:
        if text:
            params["as_of_value"] = text
            params["day"] = inputs.parse_day(text)
            params["as_of_value"] = format_date(params["day"])
        if fmt:
            inputs.parse_format(fmt, formats=formats)
    except DomainError as exc:
        params.update(error=exc.message, status=400)
    return params


def _export(request, p: dict, kind: str, title: str, **params):
    """The download asked by `?format=` (`views.export`), or None (the page; with the report's
    message in `p` when it refused)."""
    if p["error"] is not None or not p["fmt"] or p["fmt"] == "text":
        return None
    response, error = export(request, p["org"], kind, title, format_date(p["day"]),
                             as_of=p["day"].isoformat(), format=p["fmt"], **params)
    if error is not None:
        p.update(error=error, status=400)
    return response


def _page(request, template: str, p: dict, context: dict):
    context = {"org": p["org"], "as_of_value": p["as_of_value"], "error": p["error"],
               "org_choices": _org_choices(request.user, p["org"]), **context}
    return render(request, template, context, status=p["status"])


@scoped_view()
def profile(request):
    """`reports:profile` — ?org=CODE&as_of=… [&format=json|xlsx]: the membership on that day by sex, age,
    party age, ethnicity, religion, general education and political theory."""
    p = _as_of_request(request)
    data = None
    if response := _export(request, p, "profile", sheets.profile_title()):
        return response
    if p["error"] is None:
        try:
            data = queries.profile(p["org"], p["day"])
        except DomainError as exc:  # the organization did not exist that day
            p.update(error=exc.message, status=200)
    sections = sheets.profile_sections(data) if data else []
    if data:  # drill-down: each count → the members it counts (`reports:figure_list`, source profile)
        base = {"org": p["org"].code, "source": "profile", "as_of": data["as_of"]}
        list_url = reverse("reports:figure_list")
        sections = [(key, title, [dataclasses.replace(r, url=f"{list_url}?{urlencode({**base, 'breakdown': key, 'key': r.key, 'label': f'{title}: {r.label}'})}" if r.value else "") for r in rows])
                    for key, title, rows in sections]
        total_url = f"{list_url}?{urlencode({**base, 'breakdown': 'total', 'key': '', 'label': _('Total party members')})}"
    else:
        total_url = ""
    return _page(request, "reports/profile.html", p, {
        "data": data, "title": sheets.profile_title(), "subtitle": exporters.as_of_text(data) if data else "",
        "sections": sections, "total_url": total_url})


def _fix_url(finding: dict) -> str:
    """The page where the record behind a finding is put right."""
    code, subject = finding["code"], finding["subject"]
    if code == "cell_below_minimum":
        return reverse("organizations:detail", args=[subject])
    if code == "probation_overdue":
        return reverse("lifecycle:member_action", args=[subject, "recognize"])
    if code == "card_missing":
        return reverse("lifecycle:member_action", args=[subject, "card"])
    if code == "placed_nowhere":  # the member's record: its placement (a move, a transfer) is put right there
        return reverse("members:detail", args=[subject])
    return f"{reverse('reports:assessment')}?{urlencode({'org': subject, 'year': finding.get('year', '')})}"


@scoped_view()
def checks(request):
    """`reports:checks` — ?org=CODE&as_of=… [&format=json|xlsx] [&page=N]: what in the records of the
    subtree breaks a rule or does not add up on that day, each finding linking to the record to fix."""
    p = _as_of_request(request)
    data = None
    if response := _export(request, p, "checks", sheets.checks_title()):
        return response
    if p["error"] is None:
        try:
            data = queries.checks(p["org"], p["day"])
        except DomainError as exc:
            p.update(error=exc.message, status=200)
    context = {"data": data, "title": sheets.checks_title(), "subtitle": exporters.as_of_text(data) if data else ""}
    if data is not None:
        page = Paginator(data["findings"], CHECKS_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [{**f, "label": sheets.check_label(f["code"]), "url": _fix_url(f)} for f in page.object_list]
        context.update(page=page, rows=rows, page_range=page.paginator.get_elided_page_range(page.number),
                       counts=[(sheets.check_label(code), n) for code, n in data["counts"].items()],
                       query=urlencode({"org": p["org"].code, "as_of": data["as_of"]}))
    return _page(request, "reports/checks.html", p, context)


@scoped_view()
def summary_page(request):
    """`reports:summary` — ?org=CODE&as_of=…[&year=YYYY] [&format=json|docx]: the drafted paragraph, to
    copy or download as a .docx."""
    p = _as_of_request(request, formats=summary.FORMATS)
    year_text = (request.GET.get("year") or "").strip()
    data = year = None
    try:
        year = check_year(year_text) if year_text else None
    except DomainError as exc:
        if p["error"] is None:
            p.update(error=exc.message, status=400)
    if response := _export(request, p, "summary", summary.summary_title(), year=year):
        return response
    if p["error"] is None:
        try:
            data = summary.summary(p["org"], p["day"], year)
        except DomainError as exc:
            p.update(error=exc.message, status=400 if p["fmt"] or exc.field == "year" else 200)
    if data is not None and p["fmt"] == "text":
        return HttpResponse(data["text"], content_type="text/plain; charset=utf-8")
    query = urlencode({"org": p["org"].code, **({"as_of": data["as_of"]} if data else {}),
                       **({"year": year_text} if year_text else {})})
    return _page(request, "reports/summary.html", p, {
        "data": data, "title": summary.summary_title(), "year_value": year_text, "query": query,
        "subtitle": exporters.as_of_text(data) if data else ""})
