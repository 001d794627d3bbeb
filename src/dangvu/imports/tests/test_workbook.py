"""Reading workbooks: xlsx (calamine or openpyxl streaming), CSV folders and zips, sheet names, cells."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from dangvu.imports import workbook
from dangvu.imports.services import import_workbook
from dangvu.imports.spec import DANGVIEN, TOCHUC
from dangvu.imports.values import text
from dangvu.members.models import Member

from .conftest import header

D = dt.date

ORGS = [["R", "Đảng bộ huyện Thử", "Đảng bộ huyện", "", "", "", ""],
        ["R-X", "Chi bộ xã Thử", "Chi bộ cơ sở", "R", "", "", "Xã"]]
MEMBER = ["T1", "Nguyễn Thị Hoa", "02/03/1980", "Nữ", "Kinh", "Không", "2010-01-01", "01/01/2011", "R-X", "", "",
          "", "", "", ""]


def _csv(folder, name, rows, *, bom: bool, sep: str = ","):
    lines = [sep.join(f'"{c}"' if sep in str(c) else str(c) for c in row) for row in rows]
    data = "\n".join(lines) + "\n"
    (folder / name).write_bytes(("\ufeff" if bom else "").encode() + data.encode("utf-8"))


@pytest.mark.parametrize("bom", [True, False])
def test_a_folder_of_csv_files_imports_like_a_workbook(db, tmp_path, bom):
    folder = tmp_path / "csv"
    folder.mkdir()
    _csv(folder, "ToChuc.csv", [header(TOCHUC), *ORGS], bom=bom)
    _csv(folder, "DangVien.csv", [header(DANGVIEN), MEMBER], bom=bom, sep=";")
    result = import_workbook(folder, dry_run=False)
    assert result.errors == [] and result.written
    m = Member.objects.get(code="T1")
    assert m.full_name == "Nguyễn Thị Hoa" and m.birth_date == D(1980, 3, 2) and m.cell.code == "R-X"


def test_a_zip_of_csv_files_is_read_and_a_bad_line_is_located(db, tmp_path):
    path = tmp_path / "data.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("export/to_chuc.csv", "\ufeff" + "\n".join(",".join(r) for r in [header(TOCHUC), *ORGS]))
        bad = list(MEMBER)
        bad[0], bad[4] = "T2", "Việt kiều"
        zf.writestr("export/DangVien.csv", "\n".join(",".join(r) for r in [header(DANGVIEN), MEMBER[:], bad]))
    result = import_workbook(path, dry_run=True)
    assert [(i.sheet, i.row, i.column) for i in result.errors] == [(DANGVIEN, 3, "Dân tộc")]
    assert result.errors[0].sheet == "DangVien"


def test_sheet_names_are_matched_by_folded_text(db, book):
    path = book({TOCHUC: ORGS}, name="ten.xlsx")
    # rename the sheet inside the file to "Tổ chức"
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb[TOCHUC].title = "Tổ chức"
    wb.create_sheet("Ghi chú")
    wb.save(path)
    result = import_workbook(path, dry_run=True)
    assert result.errors == [] and result.counts[TOCHUC].created == 2
    assert [w.message for w in result.warnings if "Ghi chú" in w.message]


def test_big_sheets_are_streamed_with_openpyxl_and_read_the_same(db, book, monkeypatch):
    path = book({TOCHUC: ORGS, DANGVIEN: [MEMBER]})
    small = import_workbook(path, dry_run=True)
    monkeypatch.setattr(workbook, "STREAM_ROWS", 1)
    with workbook.open_workbook(path) as wb:
        assert {s.reader for s in wb.sheets.values()} == {"openpyxl"}
    big = import_workbook(path, dry_run=True)
    assert big.errors == small.errors == []
    assert big.counts == small.counts


def test_cell_values_become_text_like_the_user_typed_them():
    assert text(1.0) == "1" and text(12345678.0) == "12345678" and text(1.5) == "1.5"
    assert text(D(2020, 5, 1)) == "01/05/2020" and text(dt.datetime(2020, 5, 1, 8)) == "01/05/2020"
    assert text(None) == "" and text("  Mã  ") == "Mã"


@pytest.mark.parametrize("name, content, fragment", [
    ("missing.xlsx", None, "missing.xlsx"),
    ("data.txt", b"hello", ".xlsx"),
    ("old.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "broken.xlsx"),
    ("broken.zip", b"nothing", "broken.zip"),
])
def test_unreadable_sources_are_one_clear_error(db, tmp_path, name, content, fragment):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = import_workbook(path, dry_run=True)
    assert len(result.errors) == 1 and not result.written
    assert result.errors[0].sheet == "" and fragment in result.errors[0].message


def test_a_workbook_without_import_sheets_or_rows_is_an_error(db, tmp_path, book):
    import xlsxwriter

    other = tmp_path / "other.xlsx"
    wb = xlsxwriter.Workbook(other)
    wb.add_worksheet("Sheet1").write(0, 0, "x")
    wb.close()
    assert "ToChuc" in import_workbook(other, dry_run=True).errors[0].message
    empty = book({TOCHUC: [], DANGVIEN: []})
    result = import_workbook(empty, dry_run=True)
    assert len(result.errors) == 1 and result.errors[0].row is None


def test_a_csv_file_that_is_not_utf8_is_an_error(db, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "ToChuc.csv").write_bytes(",".join(header(TOCHUC)).encode("latin-1", errors="replace") + b"\n")
    result = import_workbook(folder, dry_run=True)
    assert len(result.errors) == 1 and "UTF-8" in result.errors[0].message
