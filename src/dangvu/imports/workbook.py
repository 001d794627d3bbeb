"""Reading the import workbook: an .xlsx file, a folder of CSV files, or a .zip of CSV files.

Each sheet is read as rows of raw cell values with the row number the user sees in Excel
(first row = 1). Sheets are recognised by name with `core.text.fold_key` (`DangVien`, `Đảng viên`,
`dang_vien.csv` …); CSV files are UTF-8 (a byte-order mark is allowed), separated by commas,
semicolons or tabs.

Before anything parses a sheet, the file is checked against the limits of `limits` (size once
uncompressed, sheets, rows, cell length), which also finds what each sheet really holds. Small
sheets are read with python-calamine (fast, but it holds the whole sheet as a grid in memory);
sheets of more than `STREAM_ROWS` rows, or with a row numbered past it or a cell past column AZ,
are streamed with openpyxl in read-only mode, which keeps memory flat (reference/performance-measurements.md §4, §8).
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from dangvu.core.errors import DomainError
from dangvu.core.text import fold_key

from .limits import Extent, LimitError, Limits, scan_xlsx
from .spec import IGNORED_SHEETS, SHEET_ORDER, sheet_for

STREAM_ROWS = 100_000
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


class WorkbookError(DomainError):
    """The file as a whole cannot be imported (missing, unreadable, wrong type, no known sheet)."""


@dataclass
class SheetSource:
    sheet: str  # canonical name (ToChuc, DangVien, BienDong, XepLoai)
    written: str  # the sheet's name, or the CSV file's name, as in the source
    rows_estimate: int | None
    _open: object = field(repr=False, default=None)
    reader: str = ""
    #: rows() can be read again at little cost (a grid held in memory, a CSV file read again); a
    #: sheet streamed with openpyxl cannot (it would be parsed again)
    rereadable: bool = False
    _release: object = field(repr=False, default=None)

    def rows(self) -> Iterator[tuple[int, list]]:
        """(row number as in Excel, list of cell values) for every row, empty ones included."""
        return self._open()

    def release(self) -> None:
        """The rows will not be read again: free what was kept to read them again."""
        if self._release is not None:
            self._release()


@dataclass
class Workbook:
    sheets: dict[str, SheetSource]
    unknown: list[str]  # names of sheets (or CSV files) that are not import sheets
    kind: str  # xlsx | csv
    _closers: list = field(default_factory=list, repr=False)

    def close(self) -> None:
        for c in self._closers:
            try:
                c()
            except Exception:  # pragma: no cover - best effort
                pass
        self._closers.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_workbook(source, *, name: str | None = None) -> Workbook:
    """Open `source`: a path (file or folder) or a binary file-like object (give `name` for its type)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise WorkbookError(_("File or folder not found: %(path)s") % {"path": path})
        if path.is_dir():
            return _open_csv_folder(path)
        suffix = path.suffix.lower()
        name = path.name
    else:
        name = name or getattr(source, "name", "") or ""
        suffix = Path(name).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _open_xlsx(source, name)
    if suffix == ".zip":
        return _open_csv_zip(source, name)
    if suffix == ".csv":
        return _open_single_csv(source, name)
    if suffix == ".xls":
        raise WorkbookError(_("%(name)s is an old Excel 97-2003 file; save it as an Excel workbook (.xlsx).") % {"name": name})
    raise WorkbookError(
        _("%(name)s cannot be imported: use an Excel workbook (.xlsx), a folder of CSV files or a .zip of CSV files.")
        % {"name": name or "?"}
    )


def _unreadable(name: str) -> WorkbookError:
    return WorkbookError(_("%(name)s cannot be read: it is not a valid Excel workbook (.xlsx).") % {"name": name})


# --- xlsx -------------------------------------------------------------------------------------


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the zip (e.g. xl/worksheets/sheet1.xml)."""
    try:
        wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out: dict[str, str] = {}
    for sh in wb.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sh.get(f"{{{_NS['r']}}}id"), "")
        out[sh.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _extents(zf: zipfile.ZipFile, name: str) -> dict[str, Extent]:
    """Check the file against the limits (limits.scan_xlsx) before anything parses its sheets."""
    limits = Limits.current()
    try:
        limits.check_size(sum(i.file_size for i in zf.infolist()), name)  # before workbook.xml is parsed
        return scan_xlsx(zf, name, _sheet_parts(zf), limits, grid_rows=STREAM_ROWS)
    except LimitError as exc:
        raise WorkbookError(exc.message) from exc


def _cell(v):
    return "" if v is None else v


def _open_xlsx(source, name: str) -> Workbook:
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, (str, Path)):
            with zipfile.ZipFile(source) as zf:
                extents = _extents(zf, name)
            cwb = CalamineWorkbook.from_path(str(source))
        else:
            source.seek(0)
            with zipfile.ZipFile(source) as zf:
                extents = _extents(zf, name)
            source.seek(0)
            cwb = CalamineWorkbook.from_filelike(source)
        sheet_names = list(cwb.sheet_names)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, zlib.error) as exc:
        raise _unreadable(name) from exc
    except Exception as exc:  # calamine's own errors (CalamineError, XmlError, ...)
        raise _unreadable(name) from exc

    wb = Workbook(sheets={}, unknown=[], kind="xlsx")
    opened: list = []

    grids: dict = {}  # sheet name → calamine's grid of it, kept while it may be read again

    def calamine_rows(written: str):
        def gen():
            try:
                sheet = grids.get(written) or grids.setdefault(written, cwb.get_sheet_by_name(written))
                rows = sheet.iter_rows()
            except Exception as exc:
                raise _unreadable(name) from exc
            yield from enumerate(rows, start=1)
        return gen

    def openpyxl_rows(written: str):
        def gen():
            from openpyxl import load_workbook

            try:
                if isinstance(source, (str, Path)):
                    owb = load_workbook(str(source), read_only=True, data_only=True)
                else:
                    source.seek(0)
                    owb = load_workbook(source, read_only=True, data_only=True)
            except Exception as exc:
                raise _unreadable(name) from exc
            opened.append(owb)
            ws = owb[written]
            ws.reset_dimensions()  # do not trust the declared size: read to the end
            try:
                rows = enumerate(ws.iter_rows(values_only=True), start=1)
                while True:
                    try:
                        i, row = next(rows)
                    except StopIteration:
                        break
                    except Exception as exc:  # a damaged sheet inside a readable file
                        raise _unreadable(name) from exc
                    yield i, [_cell(v) for v in row]
            finally:
                owb.close()
        return gen

    for written in sheet_names:
        canonical = sheet_for(written)
        if canonical is None:
            if fold_key(written) not in IGNORED_SHEETS:
                wb.unknown.append(written)
            continue
        if canonical in wb.sheets:
            wb.unknown.append(written)  # a second sheet for the same data: reported, not read
            continue
        extent = extents.get(written)
        # calamine holds the whole sheet as a grid (rows × columns): only for sheets known to be small that way
        big = extent is None or extent.rows > STREAM_ROWS or extent.sparse
        wb.sheets[canonical] = SheetSource(
            canonical, written, extent and extent.rows, openpyxl_rows(written) if big else calamine_rows(written),
            "openpyxl" if big else "calamine", rereadable=not big, _release=lambda w=written: grids.pop(w, None),
        )
    wb._closers.append(lambda: [o.close() for o in opened])
    wb._closers.append(grids.clear)
    return _checked(wb, name)


def _checked(wb: Workbook, name: str) -> Workbook:
    if not wb.sheets:
        raise WorkbookError(
            _("%(name)s has none of the sheets %(sheets)s.") % {"name": name, "sheets": ", ".join(SHEET_ORDER)}
        )
    wb.sheets = {k: wb.sheets[k] for k in SHEET_ORDER if k in wb.sheets}
    return wb


# --- CSV --------------------------------------------------------------------------------------


def _sniff(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(open_text, written: str):
    def gen():
        f = open_text()
        try:
            try:
                first = f.readline(4 * Limits.current().cell_chars + 1)
            except UnicodeDecodeError as exc:
                raise WorkbookError(_("%(name)s is not a UTF-8 text file.") % {"name": written}) from exc
            # the csv module's own bound on a field (process-wide) at least our bound on a line
            csv.field_size_limit(max(csv.field_size_limit(), 4 * Limits.current().cell_chars))
            reader = csv.reader(_lines(f, first, written), delimiter=_sniff(first))
            i = 0
            try:
                for i, row in enumerate(reader, start=1):
                    yield i, row
            except UnicodeDecodeError as exc:
                raise WorkbookError(
                    _("%(name)s is not a UTF-8 text file (row %(row)d).") % {"name": written, "row": i + 1}
                ) from exc
            except csv.Error as exc:
                raise WorkbookError(
                    _("%(name)s cannot be read as CSV (row %(row)d): %(error)s")
                    % {"name": written, "row": i + 1, "error": exc}
                ) from exc
        finally:
            f.close()
    return gen


def _lines(f, first: str, written: str):
    """The lines of a CSV file, each read with a bound (a line as long as the file is refused as it
    is read, not held whole)."""
    limits = Limits.current()
    longest = 4 * limits.cell_chars  # a few long cells on one line
    line = first
    while line:
        if len(line) > longest:
            raise WorkbookError(limits.cell_error(written).message)
        yield line
        line = f.readline(longest + 1)


def _csv_workbook(entries: list[tuple[str, object]], name: str) -> Workbook:
    """entries: (file name, opener returning a text stream)."""
    wb = Workbook(sheets={}, unknown=[], kind="csv")
    for fname, opener in sorted(entries):
        stem = Path(fname).stem
        canonical = sheet_for(stem)
        if canonical is None or canonical in wb.sheets:
            if fold_key(stem) not in IGNORED_SHEETS:
                wb.unknown.append(fname)
            continue
        wb.sheets[canonical] = SheetSource(canonical, fname, None, _csv_rows(opener, fname), "csv", rereadable=True)
    return _checked(wb, name)


def _check_size(total: int, name: str) -> None:
    try:
        Limits.current().check_size(total, name)
    except LimitError as exc:
        raise WorkbookError(exc.message) from exc


def _open_csv_folder(path: Path) -> Workbook:
    files = [p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv"]
    _check_size(sum(p.stat().st_size for p in files), path.name)
    entries = [(p.name, lambda p=p: open(p, encoding="utf-8-sig", newline="")) for p in files]
    return _csv_workbook(entries, path.name)


def _open_single_csv(source, name: str) -> Workbook:
    if isinstance(source, (str, Path)):
        _check_size(Path(source).stat().st_size, name)
        opener = lambda: open(source, encoding="utf-8-sig", newline="")  # noqa: E731
    else:
        data = source.read(Limits.current().uncompressed_bytes + 1)
        _check_size(len(data), name)
        opener = lambda: io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")  # noqa: E731
    return _csv_workbook([(Path(name).name, opener)], name)


def _open_csv_zip(source, name: str) -> Workbook:
    try:
        zf = zipfile.ZipFile(source)
        infos = [i for i in zf.infolist() if not i.is_dir() and i.filename.lower().endswith(".csv")
                 and not Path(i.filename).name.startswith(("._", "~$"))]
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookError(_("%(name)s cannot be read: it is not a valid .zip file.") % {"name": name}) from exc
    try:
        _check_size(sum(i.file_size for i in infos), name)  # zipfile reads no more than these sizes
    except WorkbookError:
        zf.close()
        raise
    entries = []
    for info in infos:
        def opener(info=info):
            return io.TextIOWrapper(zf.open(info), encoding="utf-8-sig", newline="")
        entries.append((Path(info.filename).name, opener))
    wb = _csv_workbook(entries, name)
    wb._closers.append(zf.close)
    return wb
