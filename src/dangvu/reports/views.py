"""Report pages: the landing dashboard, the "as of" snapshot report and the flows report of a period
(each with JSON/XLSX download).

Views parse the request, call one query of `reports.queries`, render. Every organization comes
from `organizations_visible_to(user)`: outside the user's scope it does not exist (404).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.selectors import organizations_visible_to, primary_assignment
from dangvu.accounts.web import scoped_view
from dangvu.assessment.services import check_year
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.i18n import int_text
from dangvu.lifecycle.todo import next_award_date
from dangvu.members.selectors import members_visible_to
from dangvu.organizations.models import OrganizationKind

from . import downloads, exporters, inputs, jobs, queries, views_dashboard

#: Events shown per page of a flows list.
FLOW_LIST_PAGE_SIZE = 50
#: Members per page of the badges report (a province may have tens of thousands due; the Excel has all).
BADGES_PAGE_SIZE = 100


def _scope_root(user):
    assignment = primary_assignment(user)
    return assignment.organization if assignment else None


def file_response(file: downloads.File) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def export(request, org, kind: str, title: str, detail: str, **params) -> tuple[HttpResponse | None, str | None]:
    """A report's file (`downloads`): at once over a small scope; over a large one a background job
    (`jobs`) and the user sent to "My exports". Returns (response, None), or (None, the message) when
    the report refuses (e.g. the organization did not exist on that day)."""
    try:
        result = jobs.export(request.user, org, kind, params, title=f"{title} — {org.name} ({detail})")
    except DomainError as exc:
        return None, exc.message
    if isinstance(result, downloads.File):
        return file_response(result), None
    request.session["export_jobs"] = True
    messages.info(request, _("“%(title)s” covers many members: the file is being prepared in the background "
                             "and will be offered here when ready.") % {"title": result.title})
    return redirect("reports:exports"), None


def _organization(request):
    """The organization of `?org=CODE` (default: the user's scope root) among those the user may see;
    404 otherwise."""
    root = _scope_root(request.user)
    code = (request.GET.get("org") or "").strip() or (root.code if root else "")
    org = organizations_visible_to(request.user).filter(code=code).select_related("parent").first() if code else None
    if org is None:
        raise Http404(_("No organization has code %(code)s.") % {"code": code})
    return org


def _org_choices(user, selected) -> list[dict]:
    """Organizations the user may report on, in tree order with their depth (chi bộ trực thuộc are
    left out to keep the list short, except the one selected; they are reached from their page)."""
    rows = list(
        organizations_visible_to(user)
        .exclude(kind=OrganizationKind.SUBORDINATE_CELL)
        .values("id", "parent_id", "code", "name", "dissolved_on")
    )
    if selected is not None and all(r["id"] != selected.pk for r in rows):
        rows.append({"id": selected.pk, "parent_id": selected.parent_id, "code": selected.code, "name": selected.name,
                     "dissolved_on": selected.dissolved_on})
    ids = {r["id"] for r in rows}
    children: dict[int | None, list[dict]] = {}
    for r in rows:
        children.setdefault(r["parent_id"] if r["parent_id"] in ids else None, []).append(r)
    result: list[dict] = []
    stack = [(r, 0) for r in sorted(children.get(None, []), key=lambda r: r["code"], reverse=True)]
    while stack:
        row, depth = stack.pop()
        result.append({**row, "depth": depth, "indent": "\u2003" * depth})
        stack.extend((c, depth + 1) for c in sorted(children.get(row["id"], []), key=lambda r: r["code"], reverse=True))
    return result


@scoped_view()
def snapshot(request):
    """`reports:snapshot` — ?org=CODE&as_of=YYYY-MM-DD (or dd/mm/yyyy) [&format=json|xlsx] [&partial=1]."""
    user = request.user
    org = _organization(request)
    today = timezone.localdate()
    as_of_text = (request.GET.get("as_of") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    partial = request.GET.get("partial") == "1"
    data, error, status, day, day_ok = None, None, 200, today, True
    try:
        if as_of_text:
            day_ok = False
            day = inputs.parse_day(as_of_text)
            day_ok = True
        if fmt:
            inputs.parse_format(fmt)
    except DomainError as exc:
        error, status = exc.message, 400
    if error is None and fmt:
        response, error = export(request, org, "snapshot", exporters.snapshot_title(), format_date(day),
                                 as_of=day.isoformat(), format=fmt)
        if response is not None:
            return response
        status = 400
    if error is None:
        try:
            data = queries.snapshot(org, day)
        except DomainError as exc:  # the organization did not exist on that day
            error, status = exc.message, 200
    context = {
        "org": org,
        "day": day,
        "as_of_value": format_date(day) if day_ok else as_of_text,
        "is_today": day == today,
        "data": data,
        "rows": exporters.snapshot_rows(data) if data else None,
        "title": exporters.snapshot_title(),
        "error": error,
        "partial": partial,
    }
    if partial:  # htmx swaps only successful responses: the error is shown inside the fragment
        return render(request, "reports/_snapshot.html", context)
    context["org_choices"] = _org_choices(user, org)
    return render(request, "reports/snapshot.html", context, status=status)


@scoped_view()
def flows(request):
    """`reports:flows` — ?org=CODE&from=…&to=… (YYYY-MM-DD or dd/mm/yyyy; default: this year up to
    today) [&format=json|xlsx] [&partial=1] [&list=FIGURE[&milestone=N][&page=N]]: the flows of a
    period, each figure linking to the list of the events behind it (`queries.flow_members`)."""
    user = request.user
    org = _organization(request)
    today = timezone.localdate()
    from_text = (request.GET.get("from") or "").strip()
    to_text = (request.GET.get("to") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    partial = request.GET.get("partial") == "1"
    list_key = (request.GET.get("list") or "").strip()
    milestone_text = (request.GET.get("milestone") or "").strip()
    data, error, status = None, None, 200
    end, end_ok = today, True
    start, start_ok = dt.date(today.year, 1, 1), True
    milestone = None
    try:
        if to_text:
            end_ok = False
            end = inputs.parse_day(to_text, field="to")
            end_ok = True
            start = dt.date(end.year, 1, 1)
        if from_text:
            start_ok = False
            start = inputs.parse_day(from_text, field="from")
            start_ok = True
        if fmt:
            inputs.parse_format(fmt)
        if list_key and list_key not in queries.FLOW_LIST_KEYS:
            raise DomainError(_("Unknown figure “%(key)s”.") % {"key": list_key}, field="list")
        if milestone_text:
            if not milestone_text.isdigit():
                raise DomainError(_("“%(value)s” is not a badge milestone.") % {"value": milestone_text}, field="milestone")
            milestone = int(milestone_text)
    except DomainError as exc:
        error, status = exc.message, 400
    if error is None and fmt:
        response, error = export(request, org, "flows", exporters.flows_title(),
                                 f"{format_date(start)} – {format_date(end)}",
                                 **{"from": start.isoformat(), "to": end.isoformat(), "format": fmt})
        if response is not None:
            return response
        status = 400
    if error is None:
        try:
            data = queries.flows(org, start, end)
        except DomainError as exc:  # the period is reversed (400) or the organization did not exist then
            error, status = exc.message, (200 if exc.field == "org" else 400)
    context = {
        "org": org,
        "from_value": format_date(start) if start_ok else from_text,
        "to_value": format_date(end) if end_ok else to_text,
        "this_year": {"from": format_date(dt.date(today.year, 1, 1)), "to": format_date(today)},
        "last_year": {"from": format_date(dt.date(today.year - 1, 1, 1)),
                      "to": format_date(dt.date(today.year - 1, 12, 31))},
        "data": data,
        "title": exporters.flows_title(),
        "error": error,
        "partial": partial,
    }
    if data is not None:
        query = urlencode({"org": org.code, "from": data["from"], "to": data["to"]})
        context.update({
            "query": query,
            "sections": exporters.flows_sections(data),
            "period": exporters.period_text(data),
            "identity": exporters.flows_identity_text(data),
            "unexplained": exporters.flows_unexplained_text(data),
        })
        if list_key:
            context.update(_flow_list(request, org, start, end, list_key, milestone, context["sections"], query))
    if partial:  # htmx swaps only successful responses: the error is shown inside the fragment
        return render(request, "reports/_flows.html", context)
    context["org_choices"] = _org_choices(user, org)
    return render(request, "reports/flows.html", context, status=status)


def _flow_list(request, org, start, end, key, milestone, sections, query) -> dict:
    """One page of the events behind a figure, with links to the members the user may open."""
    events = queries.flow_members(org, start, end, key, milestone)
    page = Paginator(events, FLOW_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    visible = set(members_visible_to(request.user).filter(pk__in={e.member_id for e in rows}).values_list("pk", flat=True))
    for e in rows:
        e.member_visible = e.member_id in visible
    label = next((r.label for s in sections for r in s.rows if r.list_key == key and r.milestone == milestone),
                 next(r.label for s in sections for r in s.rows if r.list_key == key))
    list_query = urlencode({"list": key, **({"milestone": milestone} if milestone is not None else {})})
    return {
        "flow_list": {"key": key, "milestone": milestone, "label": label, "page": page, "rows": rows,
                      "page_range": page.paginator.get_elided_page_range(page.number),
                      "query": f"{query}&{list_query}"},
    }


#: Subordinate organizations listed on the dashboard (the organizations page lists them all).
DASHBOARD_CHILDREN_SHOWN = 100


@scoped_view()
def dashboard(request):
    """The landing page: the user's root organization today (stats, children, warnings, events)."""
    root = _scope_root(request.user)
    today = timezone.localdate()
    if root is None:
        return render(request, "reports/dashboard.html", {"root": None, "today": today})
    data = queries.dashboard(request.user, root, today)
    detail_url = reverse("organizations:detail", args=["CODE"]).replace("CODE", "{}")
    # a province has over a thousand children: the first ones here, all of them on the tree page
    data["children_total"], data["children"] = len(data["children"]), data["children"][:DASHBOARD_CHILDREN_SHOWN]
    for c in data["children"]:  # links and numbers prepared once here
        c["url"] = detail_url.format(quote(c["code"]))
        c.update({f"{k}_text": int_text(c[k]) for k in ("cells", "members", "official", "probationary")})
    context = {"root": root, "today": today, **data}
    if data["snapshot"]:
        context["rows"] = exporters.snapshot_rows(data["snapshot"])
        context["stats"] = _stats(data["snapshot"])
        trend_rows = views_dashboard.trend_rows(root.code, today, data["trends"])
        context.update(key_figures=views_dashboard.key_figures(root.code, today, data["trends"]["days"]),
                       trend_rows=trend_rows, chart_data=views_dashboard.chart_data(trend_rows),
                       chart_figures=views_dashboard.chart_figures(trend_rows),
                       unit_lists=views_dashboard.unit_lists(data["units"]))
    return render(request, "reports/dashboard.html", context)


def _stats(snap: dict) -> list[dict]:
    m, o = snap["members"], snap["organizations"]
    total = m["total"]

    def share(n):
        return round(n * 100 / total, 1) if total else None

    return [
        {"label": _("Party members"), "value": total},
        {"label": _("Official members"), "value": m["official"], "percent": share(m["official"])},
        {"label": _("Probationary members"), "value": m["probationary"], "percent": share(m["probationary"])},
        {"label": _("Women"), "value": m["female"], "percent": share(m["female"]), "emphasis": "percent"},
        {"label": _("Ethnic minorities"), "value": m["ethnic_minority"], "percent": share(m["ethnic_minority"]),
         "emphasis": "percent"},
        {"label": _("Grassroots party organizations"), "value": o["grassroots"]},
        {"label": _("Party cells (chi bộ)"), "value": o["grassroots_cells"] + o["subordinate_cells"]},
    ]


@scoped_view()
def badges(request):
    """`reports:badges` — ?org=CODE&award_date=… (YYYY-MM-DD or dd/mm/yyyy; default: the next award
    occasion) [&format=json|xlsx]: the members of the subtree due a Party badge on that occasion."""
    org = _organization(request)
    day_text = (request.GET.get("award_date") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    data, error, status = None, None, 200
    day, day_ok = next_award_date(timezone.localdate()), True
    try:
        if day_text:
            day_ok = False
            day = inputs.parse_day(day_text, field="award_date")
            day_ok = True
        if fmt:
            inputs.parse_format(fmt)
    except DomainError as exc:
        error, status = exc.message, 400
    if error is None and fmt:
        response, error = export(request, org, "badges", exporters.badges_title(), format_date(day),
                                 award_date=day.isoformat(), format=fmt)
        if response is not None:
            return response
        status = 400
    if error is None:
        data = queries.badges(org, day)
    context = {
        "org": org,
        "award_date_value": format_date(day) if day_ok else day_text,
        "data": data,
        "title": exporters.badges_title(),
        "occasion": exporters.award_date_text(data) if data else "",
        "error": error,
        "org_choices": _org_choices(request.user, org),
    }
    if data:
        page = Paginator(data["members"], BADGES_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, page_range=page.paginator.get_elided_page_range(page.number),
                       query=urlencode({"org": org.code, "award_date": data["award_date"]}))
        # a day off the rules' award occasions: said, with the nearest regular occasion one click away
        context["occasion_warnings"] = [
            {**w, "nearest_text": format_date(dt.date.fromisoformat(w["nearest"])),
             "url": reverse("reports:badges") + "?" + urlencode({"org": org.code, "award_date": w["nearest"]})}
            for w in data["warnings"]]
    return render(request, "reports/badges.html", context, status=status)


@scoped_view()
def assessment(request):
    """`reports:assessment` — ?org=CODE&year=YYYY (default: last year) [&format=json|xlsx]: the ratings of
    that year in the subtree by level, with the rules the recorded ratings break."""
    org = _organization(request)
    year_text = (request.GET.get("year") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    data, error, status = None, None, 200
    year = timezone.localdate().year - 1
    try:
        if year_text:
            year = check_year(year_text)
        if fmt:
            inputs.parse_format(fmt)
            response, message = export(request, org, "assessment", exporters.assessment_title(), str(year),
                                       year=year, format=fmt)
            if response is not None:
                return response
            raise DomainError(message)
        data = queries.assessment(org, year)
    except DomainError as exc:
        error, status = exc.message, 400
    context = {
        "org": org,
        "year_value": year_text or year,
        "data": data,
        "title": exporters.assessment_title(),
        "subtitle": exporters.year_text(data) if data else "",
        "sections": [(key, title, rows) for (key, _label), (title, rows) in zip(
            exporters.ASSESSMENT_GROUP_LABELS, exporters.assessment_sections(data), strict=True)] if data else [],
        "query": urlencode({"org": org.code, "year": data["year"]}) if data else "",
        "error": error,
        "org_choices": _org_choices(request.user, org),
    }
    return render(request, "reports/assessment.html", context, status=status)
