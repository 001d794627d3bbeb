"""Report output: JSON (contracts §3) and a formatted XLSX workbook, from the dict of a query.

`snapshot_rows` is the one place that labels the snapshot's figures and computes the shares of
the total shown next to them; the web page and the workbook both use it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from contextlib import contextmanager
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


def safe_code(code: str) -> str:
    """An organization's code as a safe ASCII part of a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", code).strip("._") or "org"


def snapshot_filename(data: dict, extension: str) -> str:
    """A safe ASCII file name: bao-cao-so-luong-CODE-YYYY-MM-DD.ext."""
    return f"bao-cao-so-luong-{safe_code(data['org']['code'])}-{data['as_of']}.{extension}"


def snapshot_xlsx(data: dict, path_or_buffer) -> None:
    """Write the snapshot as a one-sheet, print-ready workbook: organizations, then members with their
    share of the members."""
    rows = snapshot_rows(data)
    with report_sheet(path_or_buffer, snapshot_title(), data["org"]["name"], as_of_text(data), item_width=48,
                      heads=(_("No."), _("Item"), _("Number"), _("Share of members"))) as sheet:
        r = sheet.sections(4, [("I", _("Party organizations"), rows["organizations"]),
                               ("II", _("Party members"), rows["members"])], share=True, numbered_level=0)
        sheet.finish(r)


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


#: The row of a report sheet's column headings (0-based); the rows of the report start under it.
HEAD_ROW = 4


@dataclass
class ReportSheet:
    """The sheet of a one-table report (`report_sheet`): `ws` (XlsxWriter), its formats `f`, the index of
    its last column; the body writes its rows under HEAD_ROW, then `finish`."""

    workbook: object
    ws: object
    f: dict
    last: int
    landscape: bool = False

    def section(self, r: int, numeral: str, title: str) -> None:
        """A section's heading row: its numeral and title, the other cells shaded."""
        self.ws.write(r, 0, numeral, self.f["section"])
        self.ws.write(r, 1, title, self.f["section"])
        for col in range(2, self.last + 1):
            self.ws.write_blank(r, col, None, self.f["section_blank"])

    def sections(self, r: int, sections, *, share: bool, numbered_level: int | None = None) -> int:
        """Write `sections` — (numeral, title, rows: items with `label`, `value`, `level` and, with `share`,
        `share`, a fraction or None) — from the row after `r`: number, label, count [, share]. The items at
        `numbered_level` are numbered within their section. Returns the last row written."""
        f, ws = self.f, self.ws
        for numeral, title, items in sections:
            r += 1
            self.section(r, numeral, title)
            n = 0
            for item in items:
                r += 1
                if item.level == numbered_level:
                    n += 1
                    ws.write_number(r, 0, n, f["blank"])
                else:
                    ws.write_blank(r, 0, None, f["blank"])
                ws.write(r, 1, item.label, f["label"][item.level])
                ws.write_number(r, 2, item.value, f["count"][item.level])
                if share and item.share is None:
                    ws.write_blank(r, 3, None, f["blank"])
                elif share:
                    ws.write_number(r, 3, item.share, f["pct"])
        return r

    def finish(self, r: int) -> None:
        """The source line two rows under `r`, and the print set-up: A4 (landscape when asked), fitted to the
        page width and running onto as many pages as the rows need, the heading row repeated on each."""
        ws = self.ws
        ws.merge_range(r + 2, 0, r + 2, self.last, _("Source: Đảng vụ, generated on %(day)s.")
                       % {"day": format_date(timezone.localdate())}, self.f["note"])
        ws.set_paper(9)  # A4
        if self.landscape:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(HEAD_ROW)
        ws.center_horizontally()


@contextmanager
def report_sheet(path_or_buffer, title: str, org_name: str, when: str, *, item_width: int, heads,
                 landscape: bool = False):
    """A one-table report as a one-sheet, print-ready workbook (XlsxWriter through `core.xlsx`: text always
    written as text): the title, the organization, the day or period, the heading row `heads` (the first
    two columns the number and the item, `item_width` wide). Yields the `ReportSheet`; the workbook is
    closed on exit. Every report's workbook but the statistics forms (`statforms.xlsx`) is one of these."""
    workbook = new_workbook(path_or_buffer)
    try:
        f = _formats(workbook)
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
        ws.set_row(HEAD_ROW, 30)
        for col, text in enumerate(heads):
            ws.write(HEAD_ROW, col, text, f["head"])
        yield ReportSheet(workbook, ws, f, last, landscape)
    finally:
        workbook.close()


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
    return f"bao-cao-bien-dong-{safe_code(data['org']['code'])}-{data['from']}-{data['to']}.{extension}"


def flows_xlsx(data: dict, path_or_buffer) -> None:
    """Write the flows report as a one-sheet, print-ready workbook: the sections of `flows_sections`, then
    the identity of the figures (and a note when they do not add up)."""
    with report_sheet(path_or_buffer, flows_title(), data["org"]["name"], period_text(data), item_width=56,
                      heads=(_("No."), _("Item"), _("Number"))) as sheet:
        r = sheet.sections(4, [(s.numeral, s.title, s.rows) for s in flows_sections(data)], share=False,
                           numbered_level=1)
        r += 2
        sheet.ws.set_row(r, 32)
        sheet.ws.merge_range(r, 0, r, 2, flows_identity_text(data), sheet.f["note"])
        note = flows_unexplained_text(data)
        if note:
            r += 1
            sheet.ws.set_row(r, 48)
            sheet.ws.merge_range(r, 0, r, 2, note, sheet.f["note"])
        sheet.finish(r)


# --- report badges ---------------------------------------------------------------------------------


def badges_title() -> str:
    return _("Members proposed for the Party badge")


def award_date_text(data: dict) -> str:
    return _("Award occasion of %(day)s") % {"day": format_date(dt.date.fromisoformat(data["award_date"]))}


def badges_filename(data: dict, extension: str) -> str:
    """A safe ASCII file name: de-nghi-huy-hieu-CODE-YYYY-MM-DD.ext."""
    return f"de-nghi-huy-hieu-{safe_code(data['org']['code'])}-{data['award_date']}.{extension}"


def badges_xlsx(data: dict, path_or_buffer) -> None:
    """Write the badge proposal list as a one-sheet, print-ready workbook: one row per member, then the
    count by milestone."""
    with report_sheet(path_or_buffer, badges_title(), data["org"]["name"], award_date_text(data), item_width=36,
                      heads=(_("No."), _("Full name"), _("Member code"), _("Party cell"), _("Badge (years)"))) as sheet:
        ws, f = sheet.ws, sheet.f
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
        for warning in data.get("warnings", ()):  # a day off the rules' award occasions
            r += 1
            ws.merge_range(r, 0, r, 4, warning["message"], f["note"])
        sheet.finish(r)


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
    return f"xep-loai-{safe_code(data['org']['code'])}-{data['year']}.{extension}"


def assessment_xlsx(data: dict, path_or_buffer) -> None:
    """Write the assessment report as a one-sheet, print-ready workbook: each group by level with its
    percentages, then the rules the recorded ratings break."""
    with report_sheet(path_or_buffer, assessment_title(), data["org"]["name"], year_text(data), item_width=48,
                      heads=(_("No."), _("Item"), _("Number"), _("Share of those rated"))) as sheet:
        r = sheet.sections(4, [(numeral, title, rows) for numeral, (title, rows)
                               in zip(("I", "II", "III"), assessment_sections(data), strict=True)], share=True)
        for warning in data["warnings"]:
            r += 1
            sheet.ws.merge_range(r, 0, r, 3, f"{warning['org']}: {warning['message']}", sheet.f["note"])
        sheet.finish(r)
