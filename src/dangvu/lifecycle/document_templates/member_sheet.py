"""The member's record sheet (phiếu đảng viên, Mẫu 2-HSĐV)."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.shared import Mm

from dangvu.lifecycle.document_templates.page import new_document, text_width
from dangvu.lifecycle.document_templates.paragraphs import C, J, L, cell_text, fmt, para, rich, run
from dangvu.lifecycle.document_templates.party_parts import party_header, title
from dangvu.lifecycle.document_templates.table_parts import (
    add_row,
    cell_border,
    cell_margins,
    no_split,
    repeat_header,
    row_height,
    table,
)


def member_sheet():
    doc = new_document()
    width = text_width(doc)
    party_header(doc, number=False, form_code="Mẫu 2-HSĐV", left_lines=[
        ("{%p for line in header_lines %}", False),
        ("{{ line|upper }}", False),
        ("{%p endfor %}", False),
        ("{{ issuer|upper }}", True),
    ])
    title(doc, "PHIẾU ĐẢNG VIÊN", None, before=14)
    rich(doc, [("Số lý lịch đảng viên: ", ""), ("{{ m.biography_number }}", "b"), ("     Số thẻ đảng viên: ", ""),
               ("{{ m.card_number }}", "b")], align=C, after=10)

    # Photo box and the first particulars side by side.
    widths = [Mm(32), width - Mm(32)]
    t = table(doc, widths, align=WD_TABLE_ALIGNMENT.LEFT)
    row_height(t.rows[0], Mm(40))
    photo, right = t.rows[0].cells
    cell_border(photo)
    photo.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    cell_text(photo, "Ảnh 3×4", italic=True, size=12, align=C)
    items_right = [
        [("1. Họ và tên đang dùng: ", ""), ("{{ m.name|upper }}", "b")],
        [("2. Tên gọi khác: ", ""), ("{{ m.other_names }}", "")],
        [("3. Giới tính: ", ""), ("{{ m.sex }}", "")],
        [("4. Sinh ", ""), ("{{ m.birth_date }}", "")],
        [("5. Nơi sinh: ", ""), ("{{ m.place_of_birth }}", "")],
        [("6. Quê quán: ", ""), ("{{ m.home_town }}", "")],
    ]
    first = True
    for parts in items_right:
        p = right.paragraphs[0] if first else right.add_paragraph()
        first = False
        for text, style in parts:
            run(p, text, bold="b" in style)
        fmt(p, indent=Mm(3), after=3)

    items = [
        [("7. Nơi thường trú: ", ""), ("{{ m.residence }}", "")],
        [("8. Nơi ở hiện nay: ", ""), ("{{ m.current_address }}", "")],
        [("9. Số định danh cá nhân (CCCD): ", ""), ("{{ m.national_id }}", "")],
        [("10. Dân tộc: ", ""), ("{{ m.ethnicity }}", ""), ("; tôn giáo: ", ""), ("{{ m.religion }}", "")],
        [("11. Nghề nghiệp hiện nay: ", ""), ("{{ m.occupation }}", "")],
        [("12. Trình độ: giáo dục phổ thông ", ""), ("{{ m.general_education }}", ""),
         ("; chuyên môn, nghiệp vụ: ", ""), ("{{ m.qualification }}", ""),
         ("; lý luận chính trị: ", ""), ("{{ m.political_theory }}", "")],
        [("13. Ngày vào Đảng: ", ""), ("{{ m.admitted_on }}", ""), (", tại ", ""), ("{{ admission_cell }}", "")],
        [("14. Ngày chính thức: ", ""), ("{{ m.made_official_on }}", ""), (", tại ", ""),
         ("{{ official_cell }}", "")],
        [("15. Hiện sinh hoạt tại: ", ""), ("{{ m.cell }}", ""), ("; ", ""), ("{{ m.status }}", "")],
        [("16. Miễn công tác và sinh hoạt đảng: ", ""), ("{{ exempted }}", "")],
        [("17. Huy hiệu Đảng: ", ""), ("{{ badges }}", "")],
        [("18. Kỷ luật: ", ""), ("{{ discipline }}", "")],
    ]
    for parts in items:
        rich(doc, parts, after=3, align=J, before=3 if parts is items[0] else 0)

    para(doc, "19. Quá trình sinh hoạt đảng (biến động)", bold=False, before=6, after=4, keep=True)
    mm = [8, 24, 36, 38, 56]
    widths = [int(width * w / sum(mm)) for w in mm]
    t = table(doc, widths, grid=True)
    cell_margins(t)
    for cell, text in zip(t.rows[0].cells, ["TT", "Ngày", "Biến động", "Chi bộ, nội dung", "Quyết định"],
                          strict=True):
        cell_text(cell, text, bold=True, size=12, align=C)
    repeat_header(t.rows[0])
    row = add_row(t, widths)
    cell_text(row.cells[0], "{%tr for ev in events %}", size=12)
    row = add_row(t, widths)
    no_split(row)
    for i, (cell, text) in enumerate(zip(row.cells, ["{{ ev.n }}", "{{ ev.date }}", "{{ ev.kind }}",
                                                      "{{ ev.content }}", "{{ ev.decision }}"], strict=True)):
        cell_text(cell, text, size=12, align=C if i < 2 else L)
    row = add_row(t, widths)
    cell_text(row.cells[0], "{%tr endfor %}", size=12)

    # Certification (left) and the declarant (right).
    widths = [int(width * 0.46), width - int(width * 0.46)]
    t = table(doc, widths)
    no_split(t.rows[0])
    left, right = t.rows[0].cells
    cell_text(left, "XÁC NHẬN CỦA CẤP ỦY", bold=True, align=C, before=30)
    p = left.add_paragraph()
    run(p, "{{ represent }}", bold=True)
    fmt(p, align=C)
    p = left.add_paragraph()
    run(p, "{{ signer_title }}", bold=True)
    fmt(p, align=C)
    cell_text(right, "{{ place }}, {{ date }}", italic=True, align=C, before=12)
    p = right.add_paragraph()
    run(p, "NGƯỜI KHAI", bold=True)
    fmt(p, align=C)
    p = right.add_paragraph()
    run(p, "(Ký, ghi rõ họ và tên)", italic=True, size=12)
    fmt(p, align=C)
    for _ in range(3):
        right.add_paragraph()
    p = right.add_paragraph()
    run(p, "{{ m.name }}", bold=True)
    fmt(p, align=C)
    return doc
