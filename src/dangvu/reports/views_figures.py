"""Drill-down of the profile and the statistics forms: the members or organizations behind one figure
(`queries.figure_lists`), paged, with its .xlsx — the list page, paging and workbook of the assessment's
figures (`views_assessment.assessment_list`, `reports/assessment_list.html`, `exporters_assessment`).

Parse the request, call `figure_lists.figure_rows`, render. The organization comes from the user's scope
(`views._organization`: 404 outside it); every row is in its subtree; a name links to its page only when
the user may open it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.web import scoped_view
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError

from . import exporters, inputs, sheets, statforms
from . import exporters_assessment as ex
from .queries import figure_lists
from .views import _organization, export
from .views_assessment import FIGURE_PAGE_SIZE, _visible

#: The parameters of a figure passed on (beside `org`, the dates and `source`).
FIGURE_PARAMS = ("breakdown", "key", "figure", "milestone", "unit_kinds", "column", "form", "label")
#: The most texts `exclude` takes (form 2's "other occupations": the occupations with a row of their own).
MAX_EXCLUDED = 100


def drill_url(target: dict | None, label: str, form: int | None = None) -> str:
    """The URL of the list a figure counts (`target`: `statforms.layout.cell_drill`'s parameters): this
    page (`reports:figure_list`) with the figure's label (and its form: the link back), or a list of its own
    (`list`: the assessment's); "" for none."""
    if target is None:
        return ""
    params = dict(target)
    name = params.pop("list", None)
    if name is not None:  # a list of its own: its parameters only
        return f"{reverse(name)}?{urlencode(params)}"
    params.update({"label": label, **({"form": form} if form else {})})
    return f"{reverse('reports:figure_list')}?{urlencode(params, doseq=True)}"


def _dates(request, source: str) -> dict:
    today = timezone.localdate()
    if source == "period":
        end = inputs.parse_day(request.GET.get("to") or today.isoformat(), field="to")
        start = inputs.parse_day(request.GET.get("from") or end.replace(month=1, day=1).isoformat(), field="from")
        return {"from": start, "to": end}
    return {"as_of": inputs.parse_day(request.GET.get("as_of") or today.isoformat())}


def _back(org, source: str, dates: dict, params: dict) -> tuple[str, str]:
    """The report the figure belongs to: its URL and its title."""
    day_query = {k: v.isoformat() for k, v in dates.items()}
    if source == "profile":
        return f"{reverse('reports:profile')}?{urlencode({'org': org.code, **day_query})}", sheets.profile_title()
    number = params.get("form") or ""
    if number.isdigit() and int(number) in statforms.FORMS:
        spec = statforms.FORMS[int(number)]
        return (f"{reverse('reports:form', args=[spec.number])}?{urlencode({'org': org.code, **day_query})}",
                _("Form %(code)s") % {"code": spec.code})
    return f"{reverse('reports:snapshot')}?{urlencode({'org': org.code, **day_query})}", exporters.snapshot_title()


@scoped_view()
def figure_list(request):
    """`reports:figure_list` — ?org=CODE&source=profile|snapshot|period|unit_kind|ethnicity_religion with the
    figure's parameters (`as_of` or `from`/`to`; `breakdown`&`key`, `figure`[&`milestone`][&`key`[&`exclude`…]],
    `unit_kinds`&`column`, `key`&`column`)
    [&label=…][&form=N] [&format=xlsx] [&page=N]: the names one figure counts, with the same filters."""
    org = _organization(request)
    source = (request.GET.get("source") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    params = {k: (request.GET.get(k) or "").strip() for k in FIGURE_PARAMS}
    exclude = [text.strip()[:255] for text in request.GET.getlist("exclude")[:MAX_EXCLUDED] if text.strip()]
    rows, error, dates = None, None, {}
    try:
        if source not in figure_lists.SOURCES:
            raise DomainError(_("Unknown figure “%(key)s”.") % {"key": source}, field="source")
        dates = _dates(request, source)
        if fmt and inputs.parse_format(fmt) != "xlsx":
            raise DomainError(_("This list is downloaded as xlsx only."), field="format")
        rows, subject = figure_lists.figure_rows(org, source, {**params, **dates, "exclude": exclude})
    except DomainError as exc:
        error = exc.message
    query = urlencode({"org": org.code, "source": source, **{k: v.isoformat() for k, v in dates.items()},
                       **{k: v for k, v in params.items() if v}, **({"exclude": exclude} if exclude else {})},
                      doseq=True)
    when = (format_date(dates["as_of"]) if "as_of" in dates else
            f"{format_date(dates['from'])} – {format_date(dates['to'])}" if dates else "")
    back_url, back_label = _back(org, source, dates, params) if dates else ("", "")
    label = params["label"][:200] or _("Figure")
    context = {"org": org, "error": error, "query": query, "generic": True, "list_url": reverse("reports:figure_list"),
               "back_url": back_url, "back_label": back_label, "label": label, "title": f"{label} — {when}",
               "description": when}
    if rows is None:
        return render(request, "reports/assessment_list.html", context, status=400)
    place, detail_label, date_label = ex.list_headings(subject, source, params["figure"])
    if fmt == "xlsx":
        response, error = export(request, org, "figure_list", label, when, source=source,
                                 **{k: v.isoformat() for k, v in dates.items()}, **params,
                                 **({"exclude": exclude} if exclude else {}))
        if response is not None:
            return response
        context["error"] = error
        return render(request, "reports/assessment_list.html", context, status=400)
    page = Paginator(rows, FIGURE_PAGE_SIZE).get_page(request.GET.get("page"))
    page_rows = list(page.object_list)
    visible = _visible(request.user, page_rows, subject)
    for r in page_rows:
        r["visible"] = r["subject_id"] in visible
        r["detail"] = ex.list_detail(r)
    context.update({"page": page, "rows": page_rows, "subject": subject, "place_label": place,
                    "detail_label": detail_label, "date_label": date_label, "page_range": page.paginator.get_elided_page_range(page.number)})
    return render(request, "reports/assessment_list.html", context)
