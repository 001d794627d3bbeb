"""The list of members proposed for a Party badge (danh sách đề nghị tặng Huy hiệu Đảng), landscape."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Cm

from dangvu.lifecycle.document_templates.page import new_document, text_width
from dangvu.lifecycle.document_templates.paragraphs import C, L, body, cell_text, para
from dangvu.lifecycle.document_templates.party_parts import party_header, signature, title
from dangvu.lifecycle.document_templates.table_parts import (
    add_row,
    cell_margins,
    no_split,
    repeat_header,
    table,
)


def badge_list():
    doc = new_document(landscape=True)
    party_header(doc)
    title(doc, "DANH SÁCH", "đảng viên đề nghị tặng Huy hiệu Đảng đợt {{ award }}", before=12)
    width = text_width(doc)
    mm = [9, 44, 22, 60, 24, 24, 44, 17]
    widths = [int(width * w / sum(mm)) for w in mm]
    t = table(doc, widths, grid=True)
    cell_margins(t)
    heads = ["TT", "Họ và tên", "Ngày sinh", "Quê quán", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ",
             "Huy hiệu (năm)"]
    for cell, text in zip(t.rows[0].cells, heads, strict=True):
        cell_text(cell, text, bold=True, size=12, align=C)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    repeat_header(t.rows[0])
    row = add_row(t, widths)
    cell_text(row.cells[0], "{%tr for it in items %}", size=12)
    row = add_row(t, widths)
    no_split(row)
    values = ["{{ it.n }}", "{{ it.name }}", "{{ it.birth }}", "{{ it.home_town }}", "{{ it.admitted }}",
              "{{ it.official }}", "{{ it.cell }}", "{{ it.milestone }}"]
    for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
        cell_text(cell, text, size=12, align=C if i in (0, 2, 4, 5, 7) else L)
    row = add_row(t, widths)
    cell_text(row.cells[0], "{%tr endfor %}", size=12)
    para(doc, "{%p if not items %}")
    body(doc, [("Không có đảng viên đến hạn đề nghị tặng Huy hiệu Đảng đợt này.", "i")], before=6)
    para(doc, "{%p endif %}")
    body(doc, [("Tổng số: ", "b"), ("{{ total }} đồng chí", "b"), ("{{ summary }}.", "")], before=6, first=Cm(0),
         keep=True)
    signature(doc, recipients=["{%p if superior %}", "- {{ superior }} (để đề nghị),", "{%p endif %}",
                               "- Lưu văn phòng cấp ủy."])
    return doc
