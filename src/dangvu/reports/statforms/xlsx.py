"""A statistics form as printed (XlsxWriter through `core.xlsx`): the committee's header lines
(the committee above, the organization), "Biểu số N-BTCTW", the title and the period, the header
under merged cells with the line of column codes, the rows, the signature block ("Người lập biểu"
and the title configured), A4 landscape: a form of one page on paper fitted to one page, a longer one
to the page width with the header rows repeated on every page (`FormSpec.pages`). Text is always written
as text, never a formula."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dangvu.core.dates import format_date
from dangvu.core.xlsx import workbook as new_workbook

from . import config, form_spec
from .layout import column_codes, header_cells, leaves

FONT = {"font_name": "Times New Roman", "font_size": 12}


def period_text(data: dict) -> str:
    if "year" in data:
        return _("(Year %(year)s)") % {"year": data["year"]}
    if "as_of" in data:
        return _("(As of %(day)s)") % {"day": format_date(dt.date.fromisoformat(data["as_of"]))}
    return _("(From %(start)s to %(end)s)") % {"start": format_date(dt.date.fromisoformat(data["from"])),
                                              "end": format_date(dt.date.fromisoformat(data["to"]))}


def filename(data: dict, fmt: str) -> str:
    day = data.get("to") or data.get("as_of") or data.get("year")
    return f"bieu-{data['form']['number']}-btctw-{data['org']['code']}-{day}.{fmt}"


#: Times New Roman 12 pt bold: about 6.6 pt a character; a wrapped line 16 pt high.
_CHAR_PT, _LINE_PT = 6.6, 16


def _head_heights(grid, widths: list[float]) -> list[float]:
    """The height (points) of each header row, enough for its labels wrapped in their (merged) cells:
    LibreOffice and Excel size no row under a merged cell, so a long label ran over its borders. A
    label's lines are estimated from its length and the width of its columns (a column of width w is
    about 7w + 5 pixels), with a little slack for the words wrapped whole; a label spanning several rows
    shares its height among them."""
    heights = [_LINE_PT + 2] * len(grid)
    for cells in grid:
        for cell in cells:
            width_pt = sum((widths[c] * 7 + 5) * 0.75 for c in range(cell.col, cell.col + cell.colspan))
            per_line = max(1, int(width_pt / _CHAR_PT))
            lines = -(-int(len(cell.label) * 1.15) // per_line)
            need = (lines * _LINE_PT + 4) / cell.rowspan
            for row in range(cell.row, cell.row + cell.rowspan):
                heights[row] = max(heights[row], need)
    return heights


def write(data: dict, buffer) -> None:
    spec = form_spec(data["form"]["number"])
    heads = spec.header(data.get("year"))
    columns = leaves(heads)
    last = len(columns) - 1
    wb = new_workbook(buffer)
    try:
        add = wb.add_format
        f = {
            "superior": add({**FONT, "align": "center"}),
            "org": add({**FONT, "bold": True, "align": "center"}),
            "code": add({**FONT, "bold": True, "align": "right"}),
            "guide": add({**FONT, "italic": True, "font_size": 10, "align": "right"}),
            "title": add({**FONT, "bold": True, "font_size": 14, "align": "center", "valign": "vcenter",
                          "text_wrap": True}),
            "period": add({**FONT, "italic": True, "align": "center"}),
            "head": add({**FONT, "bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True}),
            "codes": add({**FONT, "italic": True, "font_size": 10, "align": "center", "border": 1}),
            "number": [add({**FONT, "border": 1, "align": "center", "bold": level == 0}) for level in (0, 1, 2)],
            "label": [add({**FONT, "border": 1, "indent": level, "bold": level == 0, "text_wrap": True,
                           "italic": level == 2}) for level in (0, 1, 2)],
            "count": [add({**FONT, "border": 1, "num_format": "#,##0", "bold": level == 0}) for level in (0, 1, 2)],
            "ratio": add({**FONT, "border": 1, "num_format": "0.0"}),
            "blank": add({**FONT, "border": 1}),
            "note": add({**FONT, "italic": True, "font_size": 10, "text_wrap": True, "valign": "top"}),
            "sign_title": add({**FONT, "bold": True, "align": "center"}),
            "sign_hint": add({**FONT, "italic": True, "font_size": 10, "align": "center"}),
            "place": add({**FONT, "italic": True, "align": "center"}),
        }
        title = str(spec.title).upper()
        wb.set_properties({"title": f"{_('Form %(code)s') % {'code': spec.code}}: {spec.title}", "subject": data["org"]["name"],
                           "author": "Đảng vụ"})
        ws = wb.add_worksheet(spec.code)
        for col, c in enumerate(columns):
            ws.set_column(col, col, c.width)
        left_end = max(1, last // 2 - 1)
        right_start = left_end + 1
        ws.merge_range(0, 0, 0, left_end, data["superior"].upper(), f["superior"])
        ws.merge_range(1, 0, 1, left_end, data["org"]["name"].upper(), f["org"])
        ws.merge_range(0, right_start, 0, last, _("Form no. %(code)s") % {"code": spec.code}, f["code"])
        ws.merge_range(1, right_start, 1, last, _("Under guidance 11-HD/BTCTW"), f["guide"])
        ws.set_row(3, 36)
        ws.merge_range(3, 0, 3, last, title, f["title"])
        ws.merge_range(4, 0, 4, last, period_text(data), f["period"])
        top = 6
        grid = header_cells(heads)
        for cells in grid:
            for cell in cells:
                r, c = top + cell.row, cell.col
                if cell.rowspan > 1 or cell.colspan > 1:
                    ws.merge_range(r, c, r + cell.rowspan - 1, c + cell.colspan - 1, cell.label, f["head"])
                else:
                    ws.write_string(r, c, cell.label, f["head"])
        for i, height in enumerate(_head_heights(grid, [c.width for c in columns])):
            ws.set_row(top + i, height)
        r = top + len(grid)
        for col, code in enumerate(column_codes(columns)):
            ws.write_string(r, col, code, f["codes"])
        ws.repeat_rows(top, r)
        for row in data["rows"]:
            r += 1
            level = min(row["level"], 2)
            for col, c in enumerate(columns):
                if c.key == "number":
                    ws.write_string(r, col, row["number"], f["number"][level])
                elif c.key == "label":
                    ws.write_string(r, col, row["label"], f["label"][level])
                else:
                    value = row["values"].get(c.key)
                    if value is None:
                        ws.write_blank(r, col, None, f["blank"])
                    else:
                        ws.write_number(r, col, value, f["ratio"] if c.ratio else f["count"][level])
        note = spec.note_for(data.get("year"))
        if note:
            r += 2
            ws.set_row(r, 32)
            ws.merge_range(r, 0, r, last, note, f["note"])
        r += 2
        ws.merge_range(r, right_start, r, last, _("…, day … month … year …"), f["place"])
        r += 1
        ws.merge_range(r, 0, r, left_end, _("Prepared by"), f["sign_title"])
        ws.merge_range(r, right_start, r, last, config.signer_title().upper(), f["sign_title"])
        r += 1
        ws.merge_range(r, 0, r, left_end, _("(Signature, full name)"), f["sign_hint"])
        ws.merge_range(r, right_start, r, last, _("(Signature, full name, seal)"), f["sign_hint"])
        ws.set_landscape()
        ws.set_paper(9)  # A4
        # a form of one page on paper on one page; a longer one fitted to the width, as many pages down as its
        # rows need, the header rows repeated (above) and the pages numbered
        ws.fit_to_pages(1, spec.pages)
        if spec.pages != 1:
            ws.set_footer("&R&9&P/&N")
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.center_horizontally()
        ws.print_area(0, 0, r, last)
    finally:
        wb.close()
