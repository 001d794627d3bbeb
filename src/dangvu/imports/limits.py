"""Limits on what an import reads (giới hạn tệp nhập): the uncompressed size, the sheets, the rows
and the length of a cell, checked before a workbook is parsed and while it is read, so that a
hostile file (a zip bomb, one cell of hundreds of megabytes, millions of rows) is refused with a
clear message and little memory. The values are settings (README, configuration).

An .xlsx file is first checked from its zip directory (the uncompressed sizes of its parts, which
Python's zipfile enforces as it reads), then each XML part is streamed once in windows of
`4 × IMPORT_MAX_CELL_CHARS` bytes: a window without any `<` is a cell (or a tag) longer than the
limit, refused before any parser holds it. The same pass counts the rows of each sheet and notes a
row numbered 100,000 or more or a cell past column AZ, so that the reader is chosen on what the
sheet really holds, not on its declared `<dimension>`. (A row numbered past the row limit in a
sparse sheet is refused while the sheet is read: `reading`.)
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dangvu.core.errors import DomainError

# A row numbered 100,000 or more or a cell past column AZ: none in most sheets, so cheap to look for
# (the pattern starts with a literal, searched at C speed, and the search stops at the first match).
_SPARSE = re.compile(rb'r="(?:[A-Za-z]*\d{6,}"|(?:[B-Zb-z][A-Za-z]|[A-Za-z]{3,})\d)')
_TAIL = 256  # bytes of the previous window kept, so that a tag split by a window is still seen


class LimitError(DomainError):
    """The file goes past one of the limits: refused before (or while) it is read."""


@dataclass(frozen=True)
class Limits:
    uncompressed_bytes: int
    sheets: int
    rows: int
    cell_chars: int

    @classmethod
    def current(cls) -> Limits:
        return cls(settings.IMPORT_MAX_UNCOMPRESSED_BYTES, settings.IMPORT_MAX_SHEETS, settings.IMPORT_MAX_ROWS,
                   settings.IMPORT_MAX_CELL_CHARS)

    def check_size(self, total: int, name: str) -> None:
        if total > self.uncompressed_bytes:
            raise LimitError(_(
                "%(name)s holds %(size)s MB of data once uncompressed; at most %(limit)s MB can be imported at "
                "once. Split it into several workbooks.") % {
                "name": name, "size": _mb(total), "limit": _mb(self.uncompressed_bytes)})

    def check_sheets(self, n: int, name: str) -> None:
        if n > self.sheets:
            raise LimitError(_("%(name)s has %(n)s sheets; a workbook to import has at most %(limit)s.") % {
                "name": name, "n": n, "limit": self.sheets})

    def rows_error(self, sheet: str) -> str:
        return _("The sheet %(sheet)s has more than %(limit)s rows; split it into several workbooks.") % {
            "sheet": sheet, "limit": number_format(self.rows, force_grouping=True)}

    def cell_error(self, where: str) -> LimitError:
        return LimitError(_("%(where)s holds a cell of more than %(limit)s characters; a cell holds at most "
                            "%(limit)s characters.") % {
            "where": where, "limit": number_format(self.cell_chars, force_grouping=True)})


def _mb(n: int) -> str:
    return number_format(round(n / (1024 * 1024)), force_grouping=True)


@dataclass
class Extent:
    """What a sheet's XML really holds: its rows (its row tags) and, while they are few, whether a row
    is numbered 100,000 or more or a cell lies past column AZ (`sparse`: a grid far larger than its cells)."""

    rows: int = 0
    sparse: bool = False


def scan_xlsx(zf: zipfile.ZipFile, name: str, sheet_parts: dict[str, str], limits: Limits,
              grid_rows: int) -> dict[str, Extent]:
    """Check an .xlsx file against `limits` before its sheets are parsed (LimitError otherwise; the
    caller has checked the total size) and return the extent of each sheet (`sparse` looked for only
    while a sheet has at most `grid_rows` rows). `sheet_parts`: sheet name → its part in the zip."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    limits.check_sheets(len(sheet_parts), name)
    sheet_of = {part: sheet for sheet, part in sheet_parts.items()}
    window = 4 * limits.cell_chars + 1024  # UTF-8: at most 4 bytes a character, and the cell's tag
    extents: dict[str, Extent] = {}
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue  # pictures and the like: never parsed, counted in the size above
        sheet = sheet_of.get(info.filename)
        extent = extents[sheet] = Extent() if sheet else None
        tail = b""
        with zf.open(info) as f:
            while chunk := f.read(window):
                if len(chunk) == window and b"<" not in chunk:
                    raise limits.cell_error(_("The sheet %(sheet)s") % {"sheet": sheet} if sheet else name)
                if extent is None:
                    continue
                text = tail + chunk
                # rows may leave out their number; a tag cut by the window starts in the tail's last 3 bytes
                extent.rows += text.count(b"<row", max(len(tail) - 3, 0))
                if extent.rows > limits.rows + 1:  # the header and the rows allowed
                    raise LimitError(limits.rows_error(sheet))
                if not extent.sparse and extent.rows <= grid_rows:
                    extent.sparse = bool(_SPARSE.search(text))
                tail = chunk[-_TAIL:]
    return extents
