"""Paragraphs and runs of the generated documents: alignment and spacing, bold/italic/underlined parts,
the body paragraph of HD 36 (justified, first line indented), docxtpl block tags, text in cells."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

INDENT = Cm(1.27)  # first-line indent of body text

C, L, R, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY


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


def para_in(cell, text, *, size=None, bold=False, italic=False):
    p = cell.add_paragraph()
    run(p, text, size=size, bold=bold, italic=italic)
    return p
