"""The report files a user downloads (tệp xuất báo cáo), each built by one function of the organization
and the request's parameters: the same function makes the file at once (a small scope) and in the
background worker (`jobs`, a large scope), so both give the same file.

A builder takes the organization and the parameters already checked by the page (dates as
YYYY-MM-DD, the format) and the user who asked (the scope of the member and to-do lists), calls one
report query, writes the file and returns a `File`; `step("write")` tells the job's progress that the
figures are computed. Add a download by writing its builder and
listing it in `BUILDERS` (its key is the job's `kind`).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.dates import format_date
from dangvu.core.text import file_slug
from dangvu.core.xlsx import XLSX_TYPE
from dangvu.organizations.models import Organization

from . import exporters, sheets, statforms, summary
from . import exporters_assessment as ex
from . import queries as q

JSON_TYPE = "application/json; charset=utf-8"
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class File:
    content: bytes
    filename: str
    content_type: str


Step = Callable[[str], None]


def _none(_stage: str) -> None:
    return None


def _day(params: dict, key: str) -> dt.date:
    return dt.date.fromisoformat(params[key])


def _report(data: dict, fmt: str, write_xlsx, filename) -> File:
    """The JSON or the workbook of a report's dict."""
    if fmt == "json":
        return File(exporters.to_json(data).encode("utf-8"), filename(data, "json"), JSON_TYPE)
    buffer = io.BytesIO()
    write_xlsx(data, buffer)
    return File(buffer.getvalue(), filename(data, "xlsx"), XLSX_TYPE)


def snapshot(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    data = q.snapshot(org, _day(params, "as_of"))
    step("write")
    return _report(data, params["format"], exporters.snapshot_xlsx, exporters.snapshot_filename)


def flows(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    data = q.flows(org, _day(params, "from"), _day(params, "to"))
    step("write")
    return _report(data, params["format"], exporters.flows_xlsx, exporters.flows_filename)


def badges(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    data = q.badges(org, _day(params, "award_date"))
    step("write")
    return _report(data, params["format"], exporters.badges_xlsx, exporters.badges_filename)


def assessment(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    data = q.assessment(org, int(params["year"]))
    step("write")
    return _report(data, params["format"], exporters.assessment_xlsx, exporters.assessment_filename)


def profile(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    data = q.profile(org, _day(params, "as_of"))
    step("write")
    return _report(data, params["format"], sheets.profile_xlsx, sheets.profile_filename)


def checks(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    data = q.checks(org, _day(params, "as_of"))
    step("write")
    return _report(data, params["format"], sheets.checks_xlsx, sheets.checks_filename)


def summary_file(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    year = params.get("year")
    data = summary.summary(org, _day(params, "as_of"), int(year) if year else None)
    step("write")
    if params["format"] == "docx":
        return File(summary.summary_docx(org, data), summary.summary_filename(data), summary.DOCX_TYPE)
    return File(exporters.to_json(data).encode("utf-8"), summary.summary_filename(data, "json"), JSON_TYPE)


def form(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    from .statforms import pdf as form_pdf
    from .statforms import xlsx as form_xlsx

    dates = {k: _day(params, key) for k, key in (("date_from", "from"), ("date_to", "to"), ("as_of", "as_of"))
             if params.get(key)}
    if params.get("year"):
        dates["year"] = int(params["year"])
    data = statforms.build_form(int(params["number"]), org, **dates)
    step("write")
    fmt = params["format"]
    if fmt == "pdf":
        return File(form_pdf.render(data), form_xlsx.filename(data, "pdf"), PDF_TYPE)
    return _report(data, fmt, form_xlsx.write, form_xlsx.filename)


def assessment_figure(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    year, group, figure = int(params["year"]), params["group"], params["figure"]
    rows = q.assessment_figure(org, year, group, figure)
    step("write")
    title = ex.figure_title(group, q.figure_label(year, group, figure), year)
    buffer = io.BytesIO()
    ex.figure_xlsx(rows, buffer, title=f"{title} — {org.name}", group=group, not_rated=figure in q.NOT_RATED_FIGURES)
    return File(buffer.getvalue(), ex.figure_filename(org.code, year, group, q.figure_label(year, group, figure)),
                XLSX_TYPE)


def excellent_streak(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    data = q.excellent_streak(org, int(params["year"]), int(params["years"]))
    step("write")
    return _report(data, params["format"], ex.streak_xlsx, ex.streak_filename)


def compare(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    """The comparison (`comparison`): `report`, `mode`, the spans as `a`/`b` (days) or `from_a`…`to_b`
    (periods), or `as_of` / `from`, `to` for the sub-units, `sort` and `share`."""
    from . import comparison
    from .comparison import PERIODS, Span

    def span(day: str = "", start: str = "", end: str = "") -> Span:
        if day:
            return Span(as_of=_day(params, day))
        return Span(start=_day(params, start), end=_day(params, end))

    report, mode = params["report"], params["mode"]
    if mode == PERIODS:
        first, second = ((span(start="from_a", end="to_a"), span(start="from_b", end="to_b")) if params.get("from_a")
                         else (span("a"), span("b")))
        data = comparison.compare_periods(report, org, first, second)
    else:
        data = comparison.compare_subunits(report, org, span("as_of") if params.get("as_of") else span(
            start="from", end="to"), sort=params.get("sort", ""), by_share=bool(params.get("share")))
    step("write")
    if params["format"] == "json":
        return File(exporters.to_json(data).encode("utf-8"), comparison.filename(data, "json"), JSON_TYPE)
    return File(comparison.xlsx(data), comparison.filename(data, "xlsx"), XLSX_TYPE)


def figure_list(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    """The names behind one figure of the profile, the snapshot or a statistics form (`figure_lists`)."""
    from .queries import figure_lists

    source = params["source"]
    dates = {k: _day(params, k) for k in ("as_of", "from", "to") if params.get(k)}
    rows, subject = figure_lists.figure_rows(org, source, {**params, **dates})
    step("write")
    label = (params.get("label") or "")[:200] or str(_("Figure"))
    when = (format_date(dates["as_of"]) if "as_of" in dates else
            f"{format_date(dates['from'])} – {format_date(dates['to'])}")
    place, detail, date = ex.list_headings(subject, source, params.get("figure") or "")
    buffer = io.BytesIO()
    ex.list_xlsx(rows, buffer, title=f"{label} — {org.name} — {when}", sheet=label[:31], subject=subject,
                 place=place, detail=detail, date=date,
                 detail_of=ex.list_detail)
    days = "-".join(d.isoformat() for d in dates.values())
    name = "-".join(p for p in ("danh-sach", exporters.safe_code(org.code), file_slug(label), days) if p)
    return File(buffer.getvalue(), f"{name}.xlsx", XLSX_TYPE)


def member_list(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    """The member list as the page filtered it (`members.selectors.member_list`; `params["criteria"]` its
    values, the organizations by code), in `user`'s scope, with the personal columns if the user may see
    them."""
    from dangvu.accounts.permissions import Action, can
    from dangvu.members import export
    from dangvu.members.selectors import member_list as filtered
    from dangvu.members.selectors import members_visible_to

    criteria = dict(params["criteria"])
    for key in ("org", "cell"):  # codes checked in the user's scope by the page
        criteria[key] = Organization.objects.filter(code=criteria[key]).first() if criteria.get(key) else None
    members = filtered(members_visible_to(user).select_related("cell"), **criteria)
    step("write")
    content = export.member_list_xlsx(members, personal=can(user, Action.PERSONAL_DATA))
    return File(content, export.filename(timezone.localdate()), XLSX_TYPE)


def todo_list(org: Organization, params: dict, step: Step = _none, user=None) -> File:
    """One whole to-do list of `user` (`lifecycle.worklist.todo_list`, `params["key"]`) on today."""
    from dangvu.lifecycle import todo, todo_export, worklist

    today, key, overdue_only = timezone.localdate(), params["key"], bool(params.get("overdue"))
    award_date = todo.next_award_date(today)
    rows = worklist.todo_list(user, today, key, overdue_only)
    step("write")
    buffer = io.BytesIO()
    todo_export.todo_xlsx(key, rows, buffer, award_date=award_date, overdue_only=overdue_only)
    return File(buffer.getvalue(), todo_export.filename(key, today, overdue_only, award_date=award_date), XLSX_TYPE)


#: kind → builder. A job's `kind` is one of these keys.
BUILDERS: dict[str, Callable[..., File]] = {
    "snapshot": snapshot,
    "flows": flows,
    "badges": badges,
    "assessment": assessment,
    "profile": profile,
    "checks": checks,
    "summary": summary_file,
    "form": form,
    "assessment_figure": assessment_figure,
    "excellent_streak": excellent_streak,
    "compare": compare,
    "figure_list": figure_list,
    "member_list": member_list,
    "todo_list": todo_list,
}


def build(kind: str, org: Organization, params: dict, step: Step = _none, user=None) -> File:
    return BUILDERS[kind](org, params, step, user)
