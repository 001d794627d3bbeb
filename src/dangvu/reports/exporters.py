"""Report output: JSON (contracts §3) and a formatted XLSX workbook, from the dict of a query.

`snapshot_rows` is the one place that labels the snapshot's figures and computes the shares of
the total shown next to them; the web page and the workbook both use it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.xlsx import workbook as new_workbook

from .queries import FLOW_DECREASES, FLOW_INCREASES, FLOW_REORGANIZED, flows_unexplained


def to_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@dataclass(frozen=True)
class Row:
    """One figure of a report: its label, its value, its indent level and, for member figures,
    its share of the total number of members (a fraction, None when not applicable)."""

    key: str
    label: str
    value: int
    level: int = 0
    share: float | None = None
    url: str = ""  # the list of what it counts (drill-down), when the page links it

    @property
    def percent(self) -> float | None:
        return None if self.share is None else round(self.share * 100, 1)


ORGANIZATION_LABELS = (
    ("grassroots", gettext_lazy("Grassroots party organizations"), 0),
    ("grassroots_committees", gettext_lazy("Grassroots party committees"), 1),
    ("grassroots_cells", gettext_lazy("Grassroots party cells"), 1),
    ("partial_committees", gettext_lazy("Partial party committees"), 0),
    ("subordinate_cells", gettext_lazy("Subordinate party cells"), 0),
)
MEMBER_LABELS = (
    ("total", gettext_lazy("Total party members"), 0),
    ("official", gettext_lazy("Official members"), 1),
    ("probationary", gettext_lazy("Probationary members"), 1),
    ("female", gettext_lazy("Women"), 1),
    ("ethnic_minority", gettext_lazy("Ethnic minorities"), 1),
    ("religious", gettext_lazy("Religious followers"), 1),
    ("exempted", gettext_lazy("Exempted from activities"), 1),
)


def snapshot_rows(data: dict) -> dict[str, list[Row]]:
    """The snapshot's figures, labelled, with the members' shares of the total."""
    orgs, members = data["organizations"], data["members"]
    total = members["total"]
    return {
        "organizations": [Row(k, str(label), orgs[k], level) for k, label, level in ORGANIZATION_LABELS],
        "members": [
            Row(k, str(label), members[k], level, (members[k] / total) if total else None)
            for k, label, level in MEMBER_LABELS
        ],
    }


def snapshot_title() -> str:
    return _("Report on the number of party organizations and party members")


def as_of_text(data: dict) -> str:
    return _("As of %(day)s") % {"day": format_date(dt.date.fromisoformat(data["as_of"]))}


def snapshot_filename(data: dict, extension: str) -> str:
    """A safe ASCII file name: bao-cao-so-luong-CODE-YYYY-MM-DD.ext."""
    code = re.sub(r"[^A-Za-z0-9._-]+", "_", data["org"]["code"]).strip("._") or "org"
    return f"bao-cao-so-luong-{code}-{data['as_of']}.{extension}"


def snapshot_xlsx(data: dict, path_or_buffer) -> None:
    """Write the snapshot as a one-sheet, print-ready workbook (XlsxWriter)."""
    workbook = new_workbook(path_or_buffer)
    try:
        _write_snapshot_sheet(workbook, data)
    finally:
        workbook.close()


def _formats(workbook) -> dict:
    """The cell formats of the report sheets (Times New Roman 12, as printed administrative forms)."""
    font = {"font_name": "Times New Roman", "font_size": 12}
    add = workbook.add_format
    return {
        "title": add({**font, "bold": True, "font_size": 14, "align": "center", "valign": "vcenter", "text_wrap": True}),
        "org": add({**font, "bold": True, "align": "center"}),
        "date": add({**font, "italic": True, "align": "center"}),
        "head": add({**font, "bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#F2DCDB",
                     "text_wrap": True}),
        "section": add({**font, "bold": True, "border": 1, "bg_color": "#F2F2F2"}),
        "section_blank": add({**font, "border": 1, "bg_color": "#F2F2F2"}),
        "label": [add({**font, "border": 1, "indent": level, "bold": level == 0}) for level in (0, 1, 2)],
        "count": [add({**font, "border": 1, "num_format": "#,##0", "bold": level == 0}) for level in (0, 1, 2)],
        "pct": add({**font, "border": 1, "num_format": "0.0%"}),
        "blank": add({**font, "border": 1}),
        "note": add({**font, "italic": True, "font_size": 10, "font_color": "#595959", "text_wrap": True}),
    }


def _finish_sheet(ws, f: dict, r: int, last_col: int) -> None:
    ws.merge_range(r, 0, r, last_col, _("Source: Đảng vụ, generated on %(day)s.") % {"day": format_date(timezone.localdate())},
                   f["note"])
    ws.fit_to_pages(1, 1)
    ws.set_paper(9)  # A4
    ws.center_horizontally()


def _report_sheet(workbook, f: dict, title: str, org_name: str, when: str, *, item_width: int, heads: tuple):
    """The sheet of a one-table report: title, organization and day/period lines, the header row (row 4)."""
    last = len(heads) - 1
    ws = workbook.add_worksheet(_("Report")[:31])
    workbook.set_properties({"title": title, "subject": org_name, "author": "Đảng vụ"})
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, item_width)
    ws.set_column(2, last, 16)
    ws.set_row(0, 36)
    ws.merge_range(0, 0, 0, last, title, f["title"])
    ws.merge_range(1, 0, 1, last, org_name, f["org"])
    ws.merge_range(2, 0, 2, last, when, f["date"])
    ws.set_row(4, 30)
    for col, text in enumerate(heads):
        ws.write(4, col, text, f["head"])
    return ws


def _write_snapshot_sheet(workbook, data: dict) -> None:
    rows = snapshot_rows(data)
    f = _formats(workbook)
    ws = _report_sheet(workbook, f, snapshot_title(), data["org"]["name"], as_of_text(data), item_width=48,
                       heads=(_("No."), _("Item"), _("Number"), _("Share of members")))
    r = 4
    sections = (("I", _("Party organizations"), rows["organizations"]), ("II", _("Party members"), rows["members"]))
    for numeral, title, items in sections:
        r += 1
        ws.write(r, 0, numeral, f["section"])
        ws.write(r, 1, title, f["section"])
        ws.write_blank(r, 2, None, f["section_blank"])
        ws.write_blank(r, 3, None, f["section_blank"])
        n = 0
        for item in items:
            r += 1
            if item.level == 0:
                n += 1
                ws.write_number(r, 0, n, f["blank"])
            else:
                ws.write_blank(r, 0, None, f["blank"])
            ws.write(r, 1, item.label, f["label"][item.level])
            ws.write_number(r, 2, item.value, f["count"][item.level])
            if item.share is None:
                ws.write_blank(r, 3, None, f["blank"])
            else:
                ws.write_number(r, 3, item.share, f["pct"])
    _finish_sheet(ws, f, r + 2, 3)


# --- report flows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowRow:
    """One figure of the flows report. `list_key` (and `milestone`) name the list of events behind
    it (`queries.flow_members`); None for the counts of members and the subtotals."""

    key: str
    label: str
    value: int
    level: int = 0
    list_key: str | None = None
    milestone: int | None = None


@dataclass(frozen=True)
class FlowSection:
    numeral: str
    title: str
    rows: list[FlowRow]


INCREASE_LABELS = (
    ("admitted", gettext_lazy("Admitted")),
    ("transferred_in", gettext_lazy("Transferred in")),
    ("restored", gettext_lazy("Membership restored")),
    ("reorganized_in", gettext_lazy("Came with their organization (restructuring)")),
)
DECREASE_LABELS = (
    ("transferred_out", gettext_lazy("Transferred out")),
    ("reorganized_out", gettext_lazy("Left with their organization (restructuring)")),
    ("died", gettext_lazy("Deceased")),
    ("removed", gettext_lazy("Removed from the Party")),
    ("expelled", gettext_lazy("Expelled")),
    ("resigned", gettext_lazy("Left the Party")),
)
OTHER_LABELS = (
    ("made_official", gettext_lazy("Made official members")),
    ("cards_issued", gettext_lazy("Party cards issued")),
)


def flows_sections(data: dict) -> list[FlowSection]:
    """The flows figures as the usual form lays them out (A start, B increases, C decreases, D end),
    then the other changes of the period (made official, cards, badges by milestone)."""

    def rows(labels):  # keys added later: 0; the restructuring has no list of events behind it
        return [FlowRow(k, str(label), data.get(k, 0), 1, None if k in FLOW_REORGANIZED else k) for k, label in labels]

    increases, decreases = rows(INCREASE_LABELS), rows(DECREASE_LABELS)
    badges = data["badges_awarded"]
    other = [FlowRow(k, str(label), data[k], 0, k) for k, label in OTHER_LABELS]
    other.append(FlowRow("badges_awarded", _("Party badges awarded"), sum(badges.values()), 0, "badges_awarded"))
    other += [
        FlowRow(f"badges_awarded.{m}", _("%(years)s-year badge") % {"years": m}, n, 1, "badges_awarded", int(m))
        for m, n in badges.items()
    ]
    start, end = format_date(_day_before(data["from"])), format_date(dt.date.fromisoformat(data["to"]))
    return [
        FlowSection("A", _("Party members at the start of the period"), [
            FlowRow("members_start", _("Party members on %(day)s") % {"day": start}, data["members_start"]),
        ]),
        FlowSection("B", _("Increases"), [
            FlowRow("increases", _("Total increases"), sum(r.value for r in increases)), *increases,
        ]),
        FlowSection("C", _("Decreases"), [
            FlowRow("decreases", _("Total decreases"), sum(r.value for r in decreases)), *decreases,
        ]),
        FlowSection("D", _("Party members at the end of the period"), [
            FlowRow("members_end", _("Party members on %(day)s") % {"day": end}, data["members_end"]),
        ]),
        FlowSection("E", _("Other changes in the period"), other),
    ]


def _day_before(iso: str) -> dt.date:
    day = dt.date.fromisoformat(iso)
    return day - dt.timedelta(days=1) if day > dt.date.min else day


def _number(n: int) -> str:
    return number_format(n, force_grouping=True)


def flows_identity_text(data: dict) -> str:
    """The identity of contracts §3 with the figures: end = start + increases − decreases."""
    increases = sum(data.get(k, 0) for k in FLOW_INCREASES)
    decreases = sum(data.get(k, 0) for k in FLOW_DECREASES)
    return _("Members at the end = at the start + increases − decreases: %(end)s = %(start)s + %(inc)s − %(dec)s") % {
        "end": _number(data["members_end"]), "start": _number(data["members_start"]), "inc": _number(increases),
        "dec": _number(decreases)}


def flows_unexplained_text(data: dict) -> str | None:
    """A note when the figures do not add up to the change in the number of members (a cell ended
    while members were still placed in it, which the services refuse); None when they do."""
    n = flows_unexplained(data)
    if not n:
        return None
    return _(
        "The number of members changed by %(n)s more than the figures explain: a party cell ended while members "
        "were still placed in it."
    ) % {"n": ("+" if n > 0 else "-") + _number(abs(n))}


def flows_title() -> str:
    return _("Report on changes in party membership")


def period_text(data: dict) -> str:
    return _("From %(start)s to %(end)s") % {
        "start": format_date(dt.date.fromisoformat(data["from"])), "end": format_date(dt.date.fromisoformat(data["to"]))}


def flows_filename(data: dict, extension: str) -> str:
    """A safe ASCII file name: bao-cao-bien-dong-CODE-FROM-TO.ext."""
    code = re.sub(r"[^A-Za-z0-9._-]+", "_", data["org"]["code"]).strip("._") or "org"
    return f"bao-cao-bien-dong-{code}-{data['from']}-{data['to']}.{extension}"


def flows_xlsx(data: dict, path_or_buffer) -> None:
    """Write the flows report as a one-sheet, print-ready workbook (XlsxWriter)."""
    workbook = new_workbook(path_or_buffer)
    try:
        _write_flows_sheet(workbook, data)
    finally:
        workbook.close()


def _write_flows_sheet(workbook, data: dict) -> None:
    f = _formats(workbook)
    ws = _report_sheet(workbook, f, flows_title(), data["org"]["name"], period_text(data), item_width=56,
                       heads=(_("No."), _("Item"), _("Number")))
    r = 4
    for section in flows_sections(data):
        r += 1
        ws.write(r, 0, section.numeral, f["section"])
        ws.write(r, 1, section.title, f["section"])
        ws.write_blank(r, 2, None, f["section_blank"])
        n = 0
        for item in section.rows:
            r += 1
            if item.level == 1:
                n += 1
                ws.write_number(r, 0, n, f["blank"])
            else:
                ws.write_blank(r, 0, None, f["blank"])
            ws.write(r, 1, item.label, f["label"][item.level])
            ws.write_number(r, 2, item.value, f["count"][item.level])
    r += 2
    ws.set_row(r, 32)
    ws.merge_range(r, 0, r, 2, flows_identity_text(data), f["note"])
    note = flows_unexplained_text(data)
    if note:
        r += 1
        ws.set_row(r, 48)
        ws.merge_range(r, 0, r, 2, note, f["note"])
    _finish_sheet(ws, f, r + 2, 2)


# --- report badges ---------------------------------------------------------------------------------


def badges_title() -> str:
    return _("Members proposed for the Party badge")


def award_date_text(data: dict) -> str:
    return _("Award occasion of %(day)s") % {"day": format_date(dt.date.fromisoformat(data["award_date"]))}


def badges_filename(data: dict, extension: str) -> str:
    """A safe ASCII file name: de-nghi-huy-hieu-CODE-YYYY-MM-DD.ext."""
    code = re.sub(r"[^A-Za-z0-9._-]+", "_", data["org"]["code"]).strip("._") or "org"
    return f"de-nghi-huy-hieu-{code}-{data['award_date']}.{extension}"


def badges_xlsx(data: dict, path_or_buffer) -> None:
    """Write the badge proposal list as a one-sheet, print-ready workbook (XlsxWriter): the count by
    milestone, then one row per member."""
    workbook = new_workbook(path_or_buffer)
    try:
        f = _formats(workbook)
        ws = _report_sheet(workbook, f, badges_title(), data["org"]["name"], award_date_text(data), item_width=36,
                           heads=(_("No."), _("Full name"), _("Member code"), _("Party cell"), _("Badge (years)")))
        ws.set_column(3, 3, 36)
        r = 4
        for n, member in enumerate(data["members"], 1):
            r += 1
            ws.write_number(r, 0, n, f["blank"])
            ws.write(r, 1, member["name"], f["label"][1])
            ws.write(r, 2, member["code"], f["blank"])
            ws.write(r, 3, member["cell"]["name"], f["blank"])
            ws.write_number(r, 4, member["milestone"], f["count"][1])
        for years, count in data["due"].items():
            r += 1
            ws.merge_range(r, 0, r, 3, _("%(years)s-year badge") % {"years": years}, f["label"][0])
            ws.write_number(r, 4, count, f["count"][0])
        _finish_sheet(ws, f, r + 2, 4)
    finally:
        workbook.close()


# --- report assessment -------------------------------------------------------------------------------

ASSESSMENT_GROUP_LABELS = (
    ("organizations", gettext_lazy("Grassroots party organizations")),
    ("subordinate_cells", gettext_lazy("Subordinate party cells")),
    ("members", gettext_lazy("Party members")),
)


def assessment_title() -> str:
    return _("Results of the quality assessment and rating")


def year_text(data: dict) -> str:
    return _("Year %(year)s — %(regulation)s") % {"year": data["year"], "regulation": data["scale"]["regulation"]}


def assessment_sections(data: dict) -> list[tuple[str, list[Row]]]:
    """Each group's title and its rows (the number rated, then each level with its share of them, then
    the number not rated)."""
    sections = []
    for key, title in ASSESSMENT_GROUP_LABELS:
        group = data[key]
        rows = [Row("rated", _("Rated"), group["rated"])]
        rows += [Row(level, str(R.KEY_NAMES[level]), n, 1, n / group["rated"] if group["rated"] else None)
                 for level, n in group["by_rating"].items()]
        rows.append(Row("not_rated", _("Not rated"), group.get("not_rated", 0)))
        sections.append((str(title), rows))
    return sections


def assessment_filename(data: dict, extension: str) -> str:
    """A safe ASCII file name: xep-loai-CODE-YYYY.ext."""
    code = re.sub(r"[^A-Za-z0-9._-]+", "_", data["org"]["code"]).strip("._") or "org"
    return f"xep-loai-{code}-{data['year']}.{extension}"


def assessment_xlsx(data: dict, path_or_buffer) -> None:
    """Write the assessment report as a one-sheet, print-ready workbook (XlsxWriter): each group by
    level with its percentages, then the rules the recorded ratings break."""
    workbook = new_workbook(path_or_buffer)
    try:
        f = _formats(workbook)
        ws = _report_sheet(workbook, f, assessment_title(), data["org"]["name"], year_text(data), item_width=48,
                           heads=(_("No."), _("Item"), _("Number"), _("Share of those rated")))
        r = 4
        for numeral, (title, rows) in zip(("I", "II", "III"), assessment_sections(data), strict=True):
            r += 1
            ws.write(r, 0, numeral, f["section"])
            ws.write(r, 1, title, f["section"])
            ws.write_blank(r, 2, None, f["section_blank"])
            ws.write_blank(r, 3, None, f["section_blank"])
            for row in rows:
                r += 1
                ws.write_blank(r, 0, None, f["blank"])
                ws.write(r, 1, row.label, f["label"][row.level])
                ws.write_number(r, 2, row.value, f["count"][row.level])
                if row.share is None:
                    ws.write_blank(r, 3, None, f["blank"])
                else:
                    ws.write_number(r, 3, row.share, f["pct"])
        for warning in data["warnings"]:
            r += 1
            ws.merge_range(r, 0, r, 3, f"{warning['org']}: {warning['message']}", f["note"])
        _finish_sheet(ws, f, r + 2, 3)
    finally:
        workbook.close()
