"""Report output: JSON (contracts §3) and a formatted XLSX workbook, from the dict of a query.

`snapshot_rows` is the one place that labels the snapshot's figures and computes the shares of
the total shown next to them; the web page and the workbook both use it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.dates import format_date


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
    import xlsxwriter

    if hasattr(path_or_buffer, "write"):
        workbook = xlsxwriter.Workbook(path_or_buffer, {"in_memory": True})
    else:
        workbook = xlsxwriter.Workbook(os.fspath(path_or_buffer))
    try:
        _write_snapshot_sheet(workbook, data)
    finally:
        workbook.close()


def _write_snapshot_sheet(workbook, data: dict) -> None:
    rows = snapshot_rows(data)
    font = {"font_name": "Times New Roman", "font_size": 12}
    f_title = workbook.add_format({**font, "bold": True, "font_size": 14, "align": "center", "valign": "vcenter", "text_wrap": True})
    f_org = workbook.add_format({**font, "bold": True, "align": "center"})
    f_date = workbook.add_format({**font, "italic": True, "align": "center"})
    f_head = workbook.add_format({**font, "bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#F2DCDB", "text_wrap": True})
    f_section = workbook.add_format({**font, "bold": True, "border": 1, "bg_color": "#F2F2F2"})
    f_section_blank = workbook.add_format({**font, "border": 1, "bg_color": "#F2F2F2"})
    f_label = [workbook.add_format({**font, "border": 1, "indent": level, "bold": level == 0}) for level in (0, 1, 2)]
    f_count = [workbook.add_format({**font, "border": 1, "num_format": "#,##0", "bold": level == 0}) for level in (0, 1, 2)]
    f_pct = workbook.add_format({**font, "border": 1, "num_format": "0.0%"})
    f_blank = workbook.add_format({**font, "border": 1})
    f_note = workbook.add_format({**font, "italic": True, "font_size": 10, "font_color": "#595959"})

    ws = workbook.add_worksheet(_("Report")[:31])
    workbook.set_properties({"title": snapshot_title(), "subject": data["org"]["name"], "author": "Đảng vụ"})
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 48)
    ws.set_column(2, 3, 16)
    ws.set_row(0, 36)
    ws.merge_range(0, 0, 0, 3, snapshot_title(), f_title)
    ws.merge_range(1, 0, 1, 3, data["org"]["name"], f_org)
    ws.merge_range(2, 0, 2, 3, as_of_text(data), f_date)

    r = 4
    ws.set_row(r, 30)
    for col, text in enumerate((_("No."), _("Item"), _("Number"), _("Share of members"))):
        ws.write(r, col, text, f_head)
    sections = (("I", _("Party organizations"), rows["organizations"]), ("II", _("Party members"), rows["members"]))
    for numeral, title, items in sections:
        r += 1
        ws.write(r, 0, numeral, f_section)
        ws.write(r, 1, title, f_section)
        ws.write_blank(r, 2, None, f_section_blank)
        ws.write_blank(r, 3, None, f_section_blank)
        n = 0
        for item in items:
            r += 1
            if item.level == 0:
                n += 1
                ws.write_number(r, 0, n, f_blank)
            else:
                ws.write_blank(r, 0, None, f_blank)
            ws.write(r, 1, item.label, f_label[item.level])
            ws.write_number(r, 2, item.value, f_count[item.level])
            if item.share is None:
                ws.write_blank(r, 3, None, f_blank)
            else:
                ws.write_number(r, 3, item.share, f_pct)
    r += 2
    ws.merge_range(r, 0, r, 3, _("Source: Đảng vụ, generated on %(day)s.") % {"day": format_date(timezone.localdate())}, f_note)
    ws.fit_to_pages(1, 1)
    ws.set_paper(9)  # A4
    ws.center_horizontally()
