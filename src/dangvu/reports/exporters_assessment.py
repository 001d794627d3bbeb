"""Output of the assessment's lists: `report excellent-streak` (JSON of contracts §3, a print-ready
workbook) and the names behind a figure of `report assessment` (a plain table), both through
`core.xlsx`."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from dangvu.core.text import file_slug
from dangvu.core.xlsx import write_table
from dangvu.lifecycle.models import TransferKind
from dangvu.members.models import MemberEventKind, MemberStatus
from dangvu.organizations.models import OrganizationKind

from .exporters import ASSESSMENT_GROUP_LABELS, report_sheet, safe_code

STREAK_GROUP_LABELS = {
    "organizations": gettext_lazy("Grassroots party organizations"),
    "subordinate_cells": gettext_lazy("Subordinate party cells"),
}


# --- excellent N years in a row ------------------------------------------------------------------

def streak_title(data: dict | None = None) -> str:
    if data is None:
        return _("Completed tasks excellently several years in a row")
    return _("Completed tasks excellently %(n)s years in a row") % {"n": data["years"]}


def streak_period_text(data: dict) -> str:
    return _("Years %(first)s–%(last)s") % {"first": data["from_year"], "last": data["year"]}


def streak_mapping_text(data: dict) -> list[str]:
    """One sentence per scale of the window: which levels count as excellent (and which by mapping)."""
    lines = []
    for m in data["counts_as_excellent"]:
        labels = "; ".join(f"“{lv['label']}”" + (" " + _("(by the mapping across scales)") if lv["mapped"] else "")
                           for lv in m["levels"])
        lines.append(_("%(first)s–%(last)s, %(regulation)s: %(labels)s.") % {
            "first": m["from_year"], "last": m["to_year"], "regulation": m["regulation"], "labels": labels})
    return lines


def streak_filename(data: dict, extension: str) -> str:
    """xuat-sac-N-nam-CODE-YYYY.ext (ASCII)."""
    return f"xuat-sac-{data['years']}-nam-{safe_code(data['org']['code'])}-{data['year']}.{extension}"


def streak_xlsx(data: dict, path_or_buffer) -> None:
    """The commendation list as a one-sheet, print-ready workbook: members, then the grassroots
    organizations and subordinate chi bộ, each with the rating of every year as written; the mapping
    across scales under it."""
    years = [str(y) for y in range(data["from_year"], data["year"] + 1)]
    heads = (_("No."), _("Full name"), _("Code"), _("Rated in"), *years)
    with report_sheet(path_or_buffer, streak_title(data), data["org"]["name"], streak_period_text(data),
                      item_width=30, heads=heads, landscape=len(years) > 2) as sheet:
        ws, f, last = sheet.ws, sheet.f, sheet.last
        ws.set_column(3, 3, 30)
        ws.set_column(4, 3 + len(years), 22)
        r = 4
        sections = [(_("Party members"), [(m["name"], m["code"], m["rated_in"]["name"], m["ratings"])
                                          for m in data["members"]])]
        for key, title in STREAK_GROUP_LABELS.items():
            sections.append((str(title), [(o["name"], o["code"], o["decided_by"]["name"] or "", o["ratings"])
                                          for o in data["organizations"] if o["group"] == key]))
        for numeral, (title, rows) in zip(("I", "II", "III"), sections, strict=True):
            r += 1
            ws.merge_range(r, 0, r, last, f"{numeral}. {title} ({len(rows)})", f["section"])
            for n, (name, code, place, ratings) in enumerate(rows, 1):
                r += 1
                ws.write_number(r, 0, n, f["blank"])
                ws.write(r, 1, name, f["label"][1])
                ws.write(r, 2, code, f["blank"])
                ws.write(r, 3, place, f["blank"])
                for col, y in enumerate(years, 4):
                    ws.write(r, col, ratings.get(y, ""), f["blank"])
        r += 1
        ws.merge_range(r, 0, r, last, _("Counted as excellent:"), f["note"])
        for line in streak_mapping_text(data):
            r += 1
            ws.merge_range(r, 0, r, last, line, f["note"])
        sheet.finish(r)


# --- the names behind a figure -----------------------------------------------------------------------

#: The titles of form 6's rows of one kind of organization (`queries.assessment.KIND_GROUPS`).
KIND_GROUP_LABELS = {
    "grassroots_committees": pgettext_lazy("statistics form", "Grassroots party committees"),
    "grassroots_cells": pgettext_lazy("statistics form", "Grassroots party cells"),
    "partial_committees": pgettext_lazy("statistics form", "Partial party committees"),
}


def group_title(group: str) -> str:
    return str({**dict(ASSESSMENT_GROUP_LABELS), **KIND_GROUP_LABELS}[group])


def figure_title(group: str, figure_label: str, year: int) -> str:
    return _("%(group)s — %(figure)s, %(year)s") % {"group": group_title(group), "figure": figure_label, "year": year}


def figure_filename(org_code: str, year: int, group: str, figure_label: str) -> str:
    """xep-loai-CODE-YYYY-<group>-<figure>.xlsx, the group and the figure in Vietnamese without marks."""
    return f"xep-loai-{safe_code(org_code)}-{year}-{file_slug(group_title(group), 24)}-{file_slug(figure_label)}.xlsx"


def figure_xlsx(rows, buffer, *, title: str, group: str, not_rated: bool) -> int:
    """The whole list of a figure (`queries.assessment_figure`) as a plain table; the number of rows."""
    members = group == "members"
    place = (_("Party cell at the end of the year") if not_rated else _("Rated in")) if members else (
        _("Directly superior organization") if not_rated else _("Decided by"))
    heads = [(_("No."), 6), (_("Code"), 14), (_("Full name") if members else _("Name"), 32), (place, 34)]
    if not_rated:
        heads += [(_("Exempted"), 10), (_("Suspended"), 10)] if members else []
    else:
        heads += [(_("Rating as written"), 30), (_("Points"), 8), (_("Decided on"), 12)]

    def values(n, row):
        out = [n, row["code"], row["title"], row["place"] or ""]
        if not_rated:
            return out + ([_("Yes") if row["is_exempted"] else "", _("Yes") if row["is_suspended"] else ""]
                          if members else [])
        decided = row["decided"]
        return out + [row["label_text"], float(row["score"]) if row["score"] is not None else None,
                      decided if isinstance(decided, dt.date) else None]

    return write_table(buffer, sheet=group_title(group), title=title, heads=heads,
                       rows=(values(n, row) for n, row in enumerate(rows.iterator(chunk_size=2000), 1)))


def list_xlsx(rows, buffer, *, title: str, sheet: str, subject: str, place: str, detail: str, date: str,
              detail_of) -> int:
    """The whole list behind a figure of another report (`queries.figure_lists`) as a plain table, the same
    layout as `figure_xlsx`: No., code, name, `place`, `detail` (`detail_of(row)`), `date` (left out when
    ""); the number of rows."""
    heads = [(_("No."), 6), (_("Code"), 14), (_("Full name") if subject == "member" else _("Name"), 32), (place, 34),
             (detail, 30), *([(date, 12)] if date else [])]
    return write_table(buffer, sheet=sheet, title=title, heads=heads, rows=(
        [n, row["code"], row["title"], row["place"] or "", detail_of(row),
         *([row["decided"] if isinstance(row["decided"], dt.date) else None] if date else [])]
        for n, row in enumerate(rows.iterator(chunk_size=2000), 1)))


__all__ = ["figure_filename", "list_xlsx", "figure_title", "figure_xlsx", "streak_filename", "streak_mapping_text",
           "streak_period_text", "streak_title", "streak_xlsx"]


#: The words of a drill-down list's detail column (`list_detail`).
_LIST_LABELS = {"status": dict(MemberStatus.choices), "event": dict(MemberEventKind.choices),
                "organization": dict(OrganizationKind.choices), "transfer": dict(TransferKind.choices)}


def list_detail(row: dict) -> str:
    """The row's status, event, kind of organization or of transfer, in words."""
    return str(_LIST_LABELS.get(row.get("label_kind"), {}).get(row["label_text"], row["label_text"] or ""))


def list_headings(subject: str, source: str, figure: str) -> tuple[str, str, str]:
    """The headings of a drill-down list's place, detail and date columns: an organization's date is its
    establishment; members listed by their status on a day have none (""), the column is left out."""
    place = _("Party cell") if subject == "member" else _("Directly superior organization")
    events = source == "period" and figure not in ("members_start", "members_end")
    detail = _("Kind") if subject == "organization" else (_("Event") if events else _("Status"))
    date = _("Established on") if subject == "organization" else (_("Date") if events else "")
    return str(place), str(detail), str(date)
