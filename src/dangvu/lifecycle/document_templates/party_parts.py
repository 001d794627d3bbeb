"""The parts every Party document shares (HD 36): the header (issuing body, "ĐẢNG CỘNG SẢN VIỆT NAM",
place and date), the title, the signature block with "Nơi nhận", and a member's particulars."""

from __future__ import annotations

from docx.shared import Cm, Mm

from dangvu.lifecycle.document_templates.page import text_width
from dangvu.lifecycle.document_templates.paragraphs import C, L, R, body, cell_text, fmt, para, para_in, run
from dangvu.lifecycle.document_templates.table_parts import no_split, table


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


def member_lines(doc, lines):
    """Label: value lines of a member's particulars, indented; the first value (the name) in bold."""
    for i, (label, value) in enumerate(lines):
        body(doc, [(label, ""), (value, "b" if i == 0 else "")], first=Cm(0), indent=Cm(1.27), after=2, align=L)
