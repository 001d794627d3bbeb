"""Tables of the generated documents (python-docx with the OOXML it lacks): fixed column widths, rows
that repeat as a header or do not split across pages, cell padding, borders and row heights."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

CELL_PAD = Mm(1.2)  # left and right padding inside the cells of lists


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
