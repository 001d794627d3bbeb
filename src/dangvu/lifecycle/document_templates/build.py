"""Build the shipped .docx templates of the generated documents (python-docx).

    .venv/bin/python src/dangvu/lifecycle/document_templates/build.py

writes the five templates next to this file. They are docxtpl templates: Jinja placeholders
(``{{ m.name }}``), paragraph blocks (``{%p if … %}``) and table-row loops (``{%tr for … %}``);
the variables are listed in README.md beside this file.

The look follows the Party's rules for its documents (HD 36-HD/VPTW, 03/4/2018): A4, margins top
and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the heading "ĐẢNG CỘNG SẢN VIỆT NAM"
top right (bold 15 pt, a rule under it), the issuing body top left (its superior body above it in
plain capitals, itself in bold capitals, a star under it, then the number), the place and date in
italics under the heading, the kind of document in bold capitals and its subject in bold, body
text 14 pt justified with a first-line indent, the signature block "T/M …" right and "Nơi nhận:"
(underlined; the list in 12 pt) left.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
BODY_PT = 14
INDENT = Cm(1.27)  # first-line indent of body text
CELL_PAD = Mm(1.2)  # left and right padding inside the cells of lists
C, L, R, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY


# ---------------------------------------------------------------------------------------------
# Page, styles and small helpers


def new_document(*, landscape: bool = False):
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = section.footer_distance = Mm(10)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    # The document's language is Vietnamese (spell checking, hyphenation).
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    for name in ("Table Grid",):
        doc.styles[name].font.name = FONT
    return doc


def text_width(doc) -> int:
    s = doc.sections[0]
    return s.page_width - s.left_margin - s.right_margin


def fmt(p, *, align=None, before=0, after=0, indent=None, first=None, line=None, keep=False):
    pf = p.paragraph_format
    if align is not None:
        p.alignment = align
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if indent is not None:
        pf.left_indent = indent
    if first is not None:
        pf.first_line_indent = first
    if line is not None:
        pf.line_spacing = line
    if keep:
        pf.keep_with_next = True
    return p


def run(p, text, *, bold=False, italic=False, underline=False, size=None):
    r = p.add_run(text)
    r.bold, r.italic, r.underline = bold or None, italic or None, underline or None
    if size:
        r.font.size = Pt(size)
    return r


def para(container, text="", *, size=None, bold=False, italic=False, underline=False, **kw):
    p = container.add_paragraph()
    if text:
        run(p, text, bold=bold, italic=italic, underline=underline, size=size)
    return fmt(p, **kw)


def rich(container, parts, **kw):
    """A paragraph of (text, style) parts; style is a string of b/i/u letters."""
    p = container.add_paragraph()
    for text, style in parts:
        run(p, text, bold="b" in style, italic="i" in style, underline="u" in style, size=kw.get("size"))
    kw.pop("size", None)
    return fmt(p, **kw)


def body(container, parts, *, first=INDENT, after=6, align=J, **kw):
    """A body paragraph: justified, first line indented, 6 pt after (HD 36)."""
    if isinstance(parts, str):
        parts = [(parts, "")]
    return rich(container, parts, first=first, after=after, align=align, line=1.1, **kw)


def tag(container, text):
    """A paragraph holding only a docxtpl block tag ({%p … %}); docxtpl removes the paragraph."""
    return para(container, text)


def cell_text(cell, text="", **kw):
    """Write into a table cell's first (empty) paragraph."""
    p = cell.paragraphs[0]
    if text:
        run(p, text, bold=kw.pop("bold", False), italic=kw.pop("italic", False),
            underline=kw.pop("underline", False), size=kw.pop("size", None))
    return fmt(p, **kw)


def table(container, widths, *, grid=False, align=WD_TABLE_ALIGNMENT.CENTER):
    t = container.add_table(rows=1, cols=len(widths))
    if grid:
        t.style = container.styles["Table Grid"] if hasattr(container, "styles") else "Table Grid"
    t.alignment = align
    t.autofit = False
    set_widths(t, widths)
    return t


def set_widths(t, widths):
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w / 635)))  # EMU → twips
    for row in t.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
    tbl_pr = t._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def add_row(t, widths):
    row = t.add_row()
    for cell, w in zip(row.cells, widths, strict=True):
        cell.width = w
    return row


def repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def no_split(row):
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def cell_margins(t, *, left=CELL_PAD, right=CELL_PAD):
    tbl_pr = t._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, value in (("left", left), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(value / 635)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)


def cell_border(cell, size=6):
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tc_pr.append(borders)


def row_height(row, height):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:trHeight")
    el.set(qn("w:val"), str(int(height / 635)))
    el.set(qn("w:hRule"), "atLeast")
    tr_pr.append(el)


# ---------------------------------------------------------------------------------------------
# The parts every Party document shares


def party_header(doc, *, number=True, left_lines=None, form_code=None):
    """Issuing body left, "ĐẢNG CỘNG SẢN VIỆT NAM" and place/date right (HD 36, ô 1–4)."""
    width = text_width(doc)
    left_w = int(width * 0.49)
    widths = [left_w, width - left_w]
    if form_code:
        para(doc, form_code, size=12, italic=True, align=R)
    t = table(doc, widths)
    left, right = t.rows[0].cells
    first = left.paragraphs[0]
    if left_lines is None:
        fmt(first, align=C)
        run(first, "{%p if superior %}")
        p = left.add_paragraph()
        run(p, "{{ superior|upper }}")
        fmt(p, align=C)
        fmt(left.add_paragraph("{%p endif %}"), align=C)
        p = left.add_paragraph()
        run(p, "{{ issuer|upper }}", bold=True)
        fmt(p, align=C)
    else:
        fmt(first, align=C)
        run(first, left_lines[0][0], bold=left_lines[0][1])
        for text, bold in left_lines[1:]:
            p = left.add_paragraph()
            run(p, text, bold=bold)
            fmt(p, align=C)
    fmt(left.add_paragraph("*"), align=C)
    if number:
        p = left.add_paragraph()
        run(p, "Số {{ number }}")
        fmt(p, align=C)
    p = right.paragraphs[0]
    run(p, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline=True, size=15)
    fmt(p, align=C)
    p = right.add_paragraph()
    run(p, "{{ place }}, {{ date }}", italic=True)
    fmt(p, align=C, before=14)
    return t


def title(doc, kind, subject=None, *, before=18):
    para(doc, kind, bold=True, size=16, align=C, before=before, keep=True)
    if subject:
        para(doc, subject, bold=True, align=C, keep=True)
    para(doc, "-----", align=C, after=12, keep=True)


def signature(doc, *, recipients, left_title=None):
    """"Nơi nhận" left (12 pt list), "T/M …" / title / name right."""
    width = text_width(doc)
    left_w = int(width * 0.46)
    widths = [left_w, width - left_w]
    t = table(doc, widths)
    no_split(t.rows[0])
    left, right = t.rows[0].cells
    if left_title:
        cell_text(left, left_title, bold=True, align=C)
        fmt(left.add_paragraph("{{ represent_left }}"), align=C)
    else:
        p = left.paragraphs[0]
        run(p, "Nơi nhận:", bold=True, italic=True, underline=True, size=12)
        fmt(p, before=12)
        for line in recipients:
            fmt(para_in(left, line, size=12), indent=Mm(0))
    p = right.paragraphs[0]
    run(p, "{{ represent }}", bold=True)
    fmt(p, align=C, before=12)
    p = right.add_paragraph()
    run(p, "{{ signer_title }}", bold=True)
    fmt(p, align=C)
    for _ in range(4):
        right.add_paragraph()
    p = right.add_paragraph()
    run(p, "{{ signer_name }}", bold=True)
    fmt(p, align=C)
    return t


def para_in(cell, text, *, size=None, bold=False, italic=False):
    p = cell.add_paragraph()
    run(p, text, size=size, bold=bold, italic=italic)
    return p


def member_lines(doc, lines):
    """Label: value lines of a member's particulars, indented; the first value (the name) in bold."""
    for i, (label, value) in enumerate(lines):
        body(doc, [(label, ""), (value, "b" if i == 0 else "")], first=Cm(0), indent=Cm(1.27), after=2, align=L)


# ---------------------------------------------------------------------------------------------
# The five documents


def admission_decision():
    doc = new_document()
    party_header(doc)
    title(doc, "QUYẾT ĐỊNH", "kết nạp{{ ' lại' if readmission }} đảng viên")
    body(doc, "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    body(doc, "- Căn cứ {{ regulation }};")
    body(doc, "- Xét đề nghị của {{ proposers }} về việc kết nạp{{ ' lại' if readmission }} đảng viên,")
    para(doc, "{{ issuer_body|upper }} QUYẾT ĐỊNH", bold=True, align=C, before=6, after=12, keep=True)
    body(doc, [("Điều 1. ", "b"), ("Kết nạp{{ ' lại' if readmission }} vào Đảng Cộng sản Việt Nam:", "")])
    member_lines(doc, [
        ("Đồng chí: ", "{{ m.name }}"),
        ("Sinh {{ m.birth_date }}; giới tính: ", "{{ m.sex }}"),
        ("Dân tộc: {{ m.ethnicity }}; tôn giáo: ", "{{ m.religion }}"),
        ("Quê quán: ", "{{ m.home_town }}"),
        ("Nơi thường trú: ", "{{ m.residence }}"),
        ("Nghề nghiệp: ", "{{ m.occupation }}"),
        ("Sinh hoạt tại: ", "{{ cell }}, {{ grassroots }}."),
    ])
    body(doc, [("Điều 2. ", "b"), ("Thời gian dự bị của đồng chí {{ m.name }} là {{ probation_months }} tháng, "
                                  "tính từ ngày chi bộ tổ chức lễ kết nạp.", "")], before=6)
    body(doc, [("Điều 3. ", "b"), ("{{ cell }}, các cơ quan có liên quan và đồng chí {{ m.name }} "
                                  "chịu trách nhiệm thi hành quyết định này.", "")])
    signature(doc, recipients=["- Như Điều 3,", "{%p if superior %}", "- {{ superior }} (để báo cáo),",
                               "{%p endif %}", "- Lưu hồ sơ đảng viên."])
    return doc


def recognition_decision():
    doc = new_document()
    party_header(doc)
    title(doc, "QUYẾT ĐỊNH", "công nhận đảng viên chính thức")
    body(doc, "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    body(doc, "- Căn cứ {{ regulation }};")
    doc.add_paragraph("{%p if admission_ref %}")
    body(doc, "- Căn cứ {{ admission_ref }} về việc kết nạp đảng viên;")
    doc.add_paragraph("{%p endif %}")
    body(doc, "- Xét đề nghị của {{ proposers }} về việc công nhận đảng viên chính thức,")
    para(doc, "{{ issuer_body|upper }} QUYẾT ĐỊNH", bold=True, align=C, before=6, after=12, keep=True)
    body(doc, [("Điều 1. ", "b"), ("Công nhận đồng chí ", ""), ("{{ m.name }}", "b"),
               (", sinh {{ m.birth_date }}, quê quán {{ m.home_town }}, vào Đảng {{ m.admitted_on }}, "
                "sinh hoạt tại {{ cell }}, {{ grassroots }}, là ", ""),
               ("đảng viên chính thức kể từ {{ official_on }}", "b"), (".", "")])
    body(doc, [("Điều 2. ", "b"), ("Tuổi đảng của đồng chí {{ m.name }} được tính từ {{ party_age_from }}.", "")])
    body(doc, [("Điều 3. ", "b"), ("{{ cell }}, các cơ quan có liên quan và đồng chí {{ m.name }} "
                                  "chịu trách nhiệm thi hành quyết định này.", "")])
    signature(doc, recipients=["- Như Điều 3,", "{%p if superior %}", "- {{ superior }} (để báo cáo),",
                               "{%p endif %}", "- Lưu hồ sơ đảng viên."])
    return doc


def transfer_letter():
    doc = new_document()
    party_header(doc)
    title(doc, "GIẤY GIỚI THIỆU", "sinh hoạt đảng ({{ transfer_kind }})")
    body(doc, "{{ issuer }} trân trọng giới thiệu:")
    member_lines(doc, [
        ("Đồng chí: ", "{{ m.name }}"),
        ("Sinh {{ m.birth_date }}; giới tính: ", "{{ m.sex }}"),
        ("Dân tộc: {{ m.ethnicity }}; tôn giáo: ", "{{ m.religion }}"),
        ("Quê quán: ", "{{ m.home_town }}"),
        ("Là ", "{{ status }}; vào Đảng {{ m.admitted_on }}; chính thức {{ m.made_official_on }}."),
        ("Số thẻ đảng viên: ", "{{ m.card_number }}; số lý lịch đảng viên: {{ m.biography_number }}."),
        ("Đang sinh hoạt tại: ", "{{ from_cell }}, {{ from_grassroots }}."),
    ])
    body(doc, [("Được chuyển đến sinh hoạt đảng tại: ", ""), ("{{ destination }}", "b"), (".", "")], before=6)
    body(doc, "Đề nghị tổ chức đảng nơi đến tiếp nhận, quản lý và phân công đồng chí sinh hoạt đảng theo quy định.")
    body(doc, [("Đồng chí {{ m.name }} phải xuất trình giấy giới thiệu này với tổ chức đảng nơi đến ", ""),
               ("chậm nhất {{ deadline }}", "b"),
               (" ({{ deadline_rule }}). Giấy giới thiệu có giá trị đến hết ngày đó.", "")])
    signature(doc, recipients=["- Như trên,", "- Đồng chí {{ m.name }},", "- Lưu hồ sơ, văn phòng cấp ủy."])
    return doc


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


TEMPLATES = {
    "admission_decision.docx": admission_decision,
    "recognition_decision.docx": recognition_decision,
    "transfer_letter.docx": transfer_letter,
    "badge_list.docx": badge_list,
    "member_sheet.docx": member_sheet,
}


def build(target: Path = HERE) -> list[Path]:
    written = []
    for name, make in TEMPLATES.items():
        doc = make()
        core = doc.core_properties
        core.author, core.title, core.comments = "Đảng vụ", name.removesuffix(".docx"), "build.py"
        path = target / name
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
