"""The assessment's list pages: the names behind a figure of the assessment report (drill-down, with
its .xlsx) and the list for commendation of those rated excellent N years in a row (JSON/XLSX).

Views parse the request, call one query of `reports.queries`, render. Every organization comes from
`organizations_visible_to(user)` (404 outside the scope); a member or organization of a list links to
its page only when the user may open it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.selectors import organizations_visible_to
from dangvu.accounts.web import scoped_view
from dangvu.assessment.services import check_year
from dangvu.core.errors import DomainError
from dangvu.members.selectors import members_visible_to

from . import exporters_assessment as ex
from . import inputs, queries
from .views import _org_choices, _organization, export

#: Names per page of a figure's list (the Excel has all).
FIGURE_PAGE_SIZE = 100
#: Members per page of the excellent-streak list.
STREAK_PAGE_SIZE = 100


def _visible(user, rows, subject: str) -> set[int]:
    """The ids of `rows` the user may open (members or organizations of the scope): one query."""
    ids = {r["subject_id"] if "subject_id" in r else r["id"] for r in rows}
    if not ids:
        return set()
    qs = members_visible_to(user) if subject == "member" else organizations_visible_to(user)
    return set(qs.filter(pk__in=ids).values_list("pk", flat=True))


@scoped_view()
def assessment_list(request):
    """`reports:assessment_list` — ?org=CODE&year=YYYY&group=organizations|subordinate_cells|members
    &figure=rated|<level>|not_rated|<a sub-figure of form 6> [&format=xlsx] [&page=N]: the names a figure of the assessment
    report counts, with the same filters."""
    org = _organization(request)
    year_text = (request.GET.get("year") or "").strip()
    group = (request.GET.get("group") or "").strip()
    figure = (request.GET.get("figure") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    rows, error, year = None, None, timezone.localdate().year - 1
    try:
        year = check_year(year_text) if year_text else year
        if fmt and inputs.parse_format(fmt) != "xlsx":
            raise DomainError(_("This list is downloaded as xlsx only."), field="format")
        rows = queries.assessment_figure(org, year, group, figure)
    except DomainError as exc:
        error = exc.message
    if rows is not None and fmt == "xlsx":
        label = queries.figure_label(year, group, figure)
        response, error = export(request, org, "assessment_figure", ex.figure_title(group, label, year), str(year),
                                 year=year, group=group, figure=figure)
        if response is not None:
            return response
        rows = None
    query = urlencode({"org": org.code, "year": year, "group": group, "figure": figure})
    context = {"org": org, "year": year, "group": group, "figure": figure, "error": error,
               "report_query": urlencode({"org": org.code, "year": year}), "query": query}
    if rows is None:
        return render(request, "reports/assessment_list.html", context, status=400)
    label = queries.figure_label(year, group, figure)
    title = ex.figure_title(group, label, year)
    page = Paginator(rows, FIGURE_PAGE_SIZE).get_page(request.GET.get("page"))
    page_rows = list(page.object_list)
    subject = "member" if group == "members" else "organization"
    visible = _visible(request.user, page_rows, subject)
    for r in page_rows:
        r["visible"] = r["subject_id"] in visible
    context.update({"title": title, "label": label, "page": page, "rows": page_rows, "subject": subject,
                    "not_rated": figure in queries.NOT_RATED_FIGURES,
                    "page_range": page.paginator.get_elided_page_range(page.number)})
    return render(request, "reports/assessment_list.html", context)


@scoped_view()
def excellent_streak(request):
    """`reports:excellent_streak` — ?org=CODE&year=YYYY (default: last year)&years=N (default 5)
    [&format=json|xlsx] [&page=N]: those rated excellent in each of the N years ending then."""
    org = _organization(request)
    year_text = (request.GET.get("year") or "").strip()
    years_text = (request.GET.get("years") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    data, error, status = None, None, 200
    try:
        if fmt:
            inputs.parse_format(fmt)
        year, years = queries.check_streak(year_text or timezone.localdate().year - 1,
                                           years_text or queries.STREAK_DEFAULT_YEARS)
        if fmt:
            response, message = export(request, org, "excellent_streak", ex.streak_title(),
                                       f"{year - years + 1}–{year}", year=year, years=years, format=fmt)
            if response is not None:
                return response
            raise DomainError(message)
        data = queries.excellent_streak(org, year, years)
    except DomainError as exc:
        error, status = exc.message, 400
    context = {
        "org": org,
        "year_value": year_text or timezone.localdate().year - 1,
        "years_value": years_text or queries.STREAK_DEFAULT_YEARS,
        "data": data,
        "title": ex.streak_title(data) if data else ex.streak_title(),
        "error": error,
        "org_choices": _org_choices(request.user, org),
    }
    if data:
        page = Paginator(data["members"], STREAK_PAGE_SIZE).get_page(request.GET.get("page"))
        members = list(page.object_list)
        visible_members = set(members_visible_to(request.user).filter(
            code__in=[m["code"] for m in members]).values_list("code", flat=True))
        visible_orgs = set(organizations_visible_to(request.user).filter(
            code__in=[o["code"] for o in data["organizations"]]
            + [m["rated_in"]["code"] for m in members]).values_list("code", flat=True))
        year_keys = [str(y) for y in range(data["from_year"], data["year"] + 1)]
        context.update({
            "page": page, "page_range": page.paginator.get_elided_page_range(page.number),
            "members": [{**m, "visible": m["code"] in visible_members,
                         "rated_in_visible": m["rated_in"]["code"] in visible_orgs,
                         "labels": [m["ratings"].get(y, "") for y in year_keys]} for m in members],
            "organizations": [{**o, "visible": o["code"] in visible_orgs,
                               "group_label": ex.STREAK_GROUP_LABELS.get(o["group"], o["group"]),
                               "labels": [o["ratings"].get(y, "") for y in year_keys]}
                              for o in data["organizations"]],
            "year_keys": year_keys,
            "period": ex.streak_period_text(data),
            "mapping": ex.streak_mapping_text(data),
            "query": urlencode({"org": org.code, "year": data["year"], "years": data["years"]}),
        })
    return render(request, "reports/excellent_streak.html", context, status=status)
