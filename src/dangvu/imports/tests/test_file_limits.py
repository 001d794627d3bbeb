"""Hostile files are refused before the workbook is parsed (issue 9): the size once uncompressed, the
number of sheets, the rows and the length of a cell are limits (settings), each with a clear message."""

from __future__ import annotations

import zipfile

import pytest

from dangvu.imports.services import import_workbook
from dangvu.imports.spec import COLUMNS, DANGVIEN, TOCHUC
from dangvu.imports.workbook import open_workbook
from dangvu.members.models import Member

from .test_rules_and_limits import ORGS, member

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
       'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
       'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
       'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="DangVien" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def raw_xlsx(path, rows_xml: str):
    """A one-sheet workbook (DangVien) with the sheet's <sheetData> written as given (inline strings)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                    f'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows_xml}</sheetData></worksheet>')
    return path


def cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def only_error(result) -> str:
    assert not result.written and len(result.errors) == 1, [str(e) for e in result.errors]
    return result.errors[0].message


def test_a_workbook_too_large_once_uncompressed_is_refused_from_its_zip_directory(db, book, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    rows = [member(f"T{i}", name=f"Lò Văn {'A' * 200} {i}") for i in range(2000)]  # ≈ 1.5 MB of XML
    message = only_error(import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows}), dry_run=True))
    assert "uncompressed" in message or "giải nén" in message
    assert "1 MB" in message


def test_a_cell_longer_than_the_limit_is_refused_before_the_sheet_is_parsed(db, book, settings):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    path = book({TOCHUC: ORGS, DANGVIEN: [member("T1", name="Lò Văn " + "A" * 20_000)]})  # a shared string
    message = only_error(import_workbook(path, dry_run=True))
    assert "1.000" in message


def test_an_inline_cell_of_a_sheet_longer_than_the_limit_names_the_sheet(db, tmp_path, settings):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    path = raw_xlsx(tmp_path / "one-cell.xlsx", f'<row r="1">{cell("A1", "x" * 50_000)}</row>')
    message = only_error(import_workbook(path, dry_run=True))
    assert "DangVien" in message and "1.000" in message


def test_too_many_sheets_is_refused(db, book, settings):
    settings.IMPORT_MAX_SHEETS = 3
    sheets = {TOCHUC: ORGS, DANGVIEN: [member("T1")], "A": [["x"]], "B": [["x"]]}
    message = only_error(import_workbook(book(sheets, headers={"A": ["x"], "B": ["x"]}), dry_run=True))
    assert "4" in message and "3" in message


def test_a_sheet_with_more_rows_than_the_limit_is_refused_before_it_is_read(db, book, settings):
    settings.IMPORT_MAX_ROWS = 5
    rows = [member(f"T{i}") for i in range(6)]
    message = only_error(import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows}), dry_run=True))
    assert "DangVien" in message and "5" in message
    settings.IMPORT_MAX_ROWS = 6
    assert not import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows}), dry_run=True).errors


def test_a_row_numbered_past_the_limit_is_refused_even_if_the_sheet_is_tiny(db, tmp_path, settings):
    """Two rows, the second numbered 1,048,576: streamed (never a grid of a million rows), refused at the limit."""
    settings.IMPORT_MAX_ROWS = 1000
    header = "".join(cell(f"{chr(65 + i)}1", c.label) for i, c in enumerate(c for c in COLUMNS[DANGVIEN] if c.required))
    path = raw_xlsx(tmp_path / "far.xlsx", f'<row r="1">{header}</row>'
                                           f'<row r="1048576">{cell("A1048576", "x")}</row>')
    result = import_workbook(path, dry_run=True)
    assert [(e.row, "1.000" in e.message) for e in result.errors] == [(1002, True)]


def test_a_sheet_with_a_far_column_is_streamed_not_held_as_a_grid(db, tmp_path):
    """calamine would hold rows × columns cells: 2 rows and a cell in column XFD go to openpyxl."""
    path = raw_xlsx(tmp_path / "wide.xlsx", f'<row r="1">{cell("A1", "Mã")}</row>'
                                            f'<row r="2">{cell("XFD2", "x")}</row>')
    with open_workbook(path) as wb:
        assert wb.sheets[DANGVIEN].reader == "openpyxl"
        assert len(list(wb.sheets[DANGVIEN].rows())) == 2


def test_rows_are_counted_whole_when_a_row_tag_is_cut_by_the_reading_window(db, tmp_path, settings):
    """The XML is scanned in windows: a `<row` tag split between two windows still counts (the sheet
    held 199,998 rows of 200,001 in the bench's workbook before), so the row limit is exact."""
    from dangvu.imports.limits import Limits, scan_xlsx

    settings.IMPORT_MAX_CELL_CHARS = 100  # windows of 4 × 100 + 1024 bytes: many cuts in 3,000 rows
    rows = "".join(f'<row r="{i}">{cell(f"A{i}", "x" * (i % 7))}</row>' for i in range(1, 3001))
    path = raw_xlsx(tmp_path / "many.xlsx", rows)
    with zipfile.ZipFile(path) as zf:
        extents = scan_xlsx(zf, "many.xlsx", {"DangVien": "xl/worksheets/sheet1.xml"}, Limits.current(), 100_000)
    assert extents["DangVien"].rows == 3000


@pytest.fixture
def csv_folder(tmp_path):
    def make(lines: list[str]):
        folder = tmp_path / "csv"
        folder.mkdir(exist_ok=True)
        (folder / "DangVien.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return folder
    return make


def test_csv_files_have_the_same_limits(db, csv_folder, settings):
    header = "Mã,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Chi bộ"
    settings.IMPORT_MAX_ROWS = 3
    rows = [f"T{i},Lò Văn Minh,01/01/1980,Nam,Thái,01/01/2010,C1" for i in range(5)]
    result = import_workbook(csv_folder([header, *rows]), dry_run=True)
    assert any("3" in e.message and e.row == 5 for e in result.errors), [str(e) for e in result.errors]
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_CELL_CHARS = 1000
    message = only_error(import_workbook(csv_folder([header, "T1," + "A" * 10_000]), dry_run=True))
    assert "DangVien.csv" in message and "1.000" in message
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    message = only_error(import_workbook(csv_folder([header, *rows * 10]), dry_run=True))
    assert "MB" in message


@pytest.mark.parametrize("cell_limit", [None, 2_000_000])
def test_a_name_of_a_million_characters_fails_the_dry_run_as_the_import(db, tmp_path, settings, cell_limit):
    """Refused by the cell limit, or (that limit raised) by the length of the field: the dry run as
    the real import, on SQLite (which does not enforce lengths) as on PostgreSQL; nothing written."""
    if cell_limit:
        settings.IMPORT_MAX_CELL_CHARS = cell_limit
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "ToChuc.csv").write_text("Mã,Tên,Loại,Mã cấp trên\nR,Đảng bộ huyện Thử,Đảng bộ huyện,\n"
                                       "R-X,Đảng bộ xã Thử,Đảng bộ cơ sở,R\nR-C1,Chi bộ thôn Một,Chi bộ trực thuộc,R-X\n",
                                       encoding="utf-8")
    (folder / "DangVien.csv").write_text(
        "Mã,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Ngày vào Đảng,Chi bộ\n"
        f"T1,Lò Văn {'A' * 1_000_000},01/01/1980,Nam,Thái,01/01/2010,R-C1\n", encoding="utf-8")
    dry = import_workbook(folder, dry_run=True)
    real = import_workbook(folder, dry_run=False)
    assert dry.errors and [str(e) for e in real.errors] == [str(e) for e in dry.errors] and not real.written
    assert not Member.objects.exists()
    assert ("255" in dry.errors[0].message) if cell_limit else ("DangVien.csv" in dry.errors[0].message)
