"""DangVien read in two passes where the server writes while Python reads on (PostgreSQL: its codes
and cells first, each row parsed as the checks take it, so that the first members are written while the
next rows are read): the same result as one pass. The tests force the two passes on either database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from dangvu.imports import check_members, services, writing
from dangvu.imports.services import import_workbook
from dangvu.imports.spec import BIENDONG, DANGVIEN, TOCHUC
from dangvu.members.models import Member

D = dt.date
HEADERS = {DANGVIEN: ["Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Đảng", "Ngày chính thức",
                      "Chi bộ", "Số CCCD"]}
ORGS = [["R", "Đảng bộ huyện Thử", "Đảng bộ huyện", "", None, None, ""],
        ["R-X", "Đảng bộ xã Thử", "Đảng bộ cơ sở", "R", None, None, "Xã"],
        ["R-C1", "Chi bộ thôn Một", "Chi bộ trực thuộc", "R-X", None, None, ""]]


BIRTH, ADMITTED, OFFICIAL = D(1980, 2, 3), D(2010, 1, 1), D(2011, 1, 1)


def _member(code, birth=BIRTH, admitted=ADMITTED, official=OFFICIAL, cell="R-C1", nid=""):
    return [code, "Lò Văn Minh", birth, "Nam", "Thái", admitted, official, cell, nid]


def _troubled() -> dict:
    """Rows with every kind of issue, spread so that each chunk of a few rows holds some."""
    rows = []
    for i in range(1, 31):
        code = f"T{i:02d}"
        if i % 7 == 0:
            rows.append(_member(code, birth="31/02/1980"))  # an error of the row itself (reading)
        elif i % 9 == 0:
            rows.append(_member(code, admitted=D(2015, 1, 1), official=D(2014, 1, 1)))  # the replay refuses it
        elif i % 5 == 0:
            rows.append(_member(code, birth=D(1940, 1, 1)))  # admitted over 60: a warning while reading
        elif i % 11 == 0:
            rows.append(_member(code, cell="R-NONE"))  # no such cell
        elif i in (4, 13):
            rows.append(_member(code, nid="001080000001"))  # the same national ID number twice
        else:
            rows.append(_member(code))
    rows.append(_member("T11"))  # a code used again: its first row (no such cell) is not checked further
    rows.append(_member("T03", birth="01/13/1980"))  # used again, and a bad date
    events = [["T02", "Cấp thẻ", D(2012, 1, 1), "", "123", "", ""],  # not 8 digits: a warning
              ["T02", "Cấp thẻ", D(2012, 1, 1), "", "123", "", ""],  # the same event twice: a warning
              ["NOBODY", "Từ trần", D(2020, 1, 1), "", "", "", ""],  # no such member
              ["T06", "Chuyển sinh hoạt", D(2020, 1, 1), "R-NONE", "", "", ""]]  # no such cell
    return {TOCHUC: ORGS, DANGVIEN: rows, BIENDONG: events}


def _import(path, monkeypatch, *, two_passes: bool) -> tuple:
    """The outcome of importing `path` (rolled back after), DangVien read in two passes or in one
    (as on SQLite, in a dry run, or from a sheet streamed with openpyxl)."""
    monkeypatch.setattr(services, "writes_behind", lambda: two_passes)
    with transaction.atomic():
        result = import_workbook(path, dry_run=False)
        transaction.set_rollback(True)
    return (result.errors, result.warnings, result.errors_more, result.warnings_more, result.counts, result.samples,
            result.written)


@pytest.mark.parametrize("cap", [1, 3, 8, 200])
def test_the_issues_are_the_same_whether_dangvien_is_read_in_one_pass_or_two(db, book, settings, monkeypatch, cap):
    settings.IMPORT_MAX_ISSUES = cap
    monkeypatch.setattr(check_members, "FIRST_ROWS", 2)
    monkeypatch.setattr(check_members, "CHUNK_ROWS", 3)
    path = book(_troubled(), headers=HEADERS)
    two = _import(path, monkeypatch, two_passes=True)
    assert two == _import(path, monkeypatch, two_passes=False)
    errors, warnings = two[0], two[1]
    assert len(errors) == min(cap, 15) and two[2] == 15 - len(errors)  # 15 errors in all (listed or counted)
    assert len(warnings) == min(cap, 11) and two[3] == 11 - len(warnings)  # and 11 warnings
    assert Member.objects.count() == 0


def test_warnings_past_the_cap_are_the_same_whether_dangvien_is_read_in_one_pass_or_two(db, book, settings,
                                                                                          monkeypatch):
    settings.IMPORT_MAX_ISSUES = 4
    monkeypatch.setattr(check_members, "FIRST_ROWS", 2)
    monkeypatch.setattr(check_members, "CHUNK_ROWS", 2)
    rows = [_member(f"T{i}", birth=D(1940, 1, 1) if i % 2 else D(1980, 1, 1)) for i in range(1, 13)]
    events = [[f"T{i}", "Cấp thẻ", D(2012, 1, 1), "", "123", "", ""] for i in range(2, 13, 2)]
    events.append(events[-1])  # the same event twice: a warning of the BienDong checks, made before the members'
    path = book({TOCHUC: ORGS, DANGVIEN: rows, BIENDONG: events}, headers=HEADERS)
    two = _import(path, monkeypatch, two_passes=True)
    assert two[6] and not two[0] and len(two[1]) == 4 and two[3] == 13 - 4  # written; 6 + 6 + 1 warnings
    assert _import(path, monkeypatch, two_passes=False) == two


def test_the_first_members_are_written_before_the_last_rows_are_read(db, book, monkeypatch):
    from dangvu.imports import reading

    parsed, written_when = [], []
    real_parse, real_write = reading._Reader._member_row, writing.MemberWriter._write
    monkeypatch.setattr(reading._Reader, "_member_row", lambda self, n, c: (parsed.append(n), real_parse(self, n, c))[1])
    monkeypatch.setattr(writing.MemberWriter, "_write",
                        lambda self, chunk: (written_when.append(len(parsed)), real_write(self, chunk)))
    monkeypatch.setattr(services, "writes_behind", lambda: True)
    monkeypatch.setattr(check_members, "FIRST_ROWS", 2)
    monkeypatch.setattr(check_members, "CHUNK_ROWS", 2)
    monkeypatch.setattr(writing.MemberWriter, "FIRST", 2)
    monkeypatch.setattr(writing, "CHUNK_MEMBERS", 2)
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: [_member(f"T{i}") for i in range(1, 11)]}, headers=HEADERS),
                             dry_run=False)
    assert result.written and Member.objects.count() == 10
    assert len(parsed) == 10 and written_when[0] < 10  # written while rows were still to be read


_CELLS = st.one_of(st.none(), st.text(alphabet=" \t\nxĐ", max_size=3), st.integers(), st.floats(allow_nan=False),
                   st.booleans(), st.dates())


@given(st.lists(_CELLS, max_size=5))
def test_a_row_is_blank_as_the_text_of_its_cells_reads_it(cells):
    """The first pass skips the same rows as the second (`reading._blank` against `values.text`)."""
    from dangvu.imports.reading import _blank
    from dangvu.imports.values import text

    assert _blank(cells) == (not any(text(v) for v in cells))
