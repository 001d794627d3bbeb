"""The import keeps the member search index (members.search) in step: new members, moves by events,
and names corrected by a later workbook."""

from __future__ import annotations

import datetime as dt

from dangvu.imports.services import import_workbook
from dangvu.imports.spec import BIENDONG, DANGVIEN, TOCHUC
from dangvu.members import search
from dangvu.members.models import Member, MemberWord
from dangvu.members.selectors import member_search

from .test_services import _member, _one_cell

D = dt.date


def _rows():
    return sorted(MemberWord.objects.values_list("member_id", "word", "sort_key", "cell_id", "words"))


def test_imported_renamed_and_moved_members_are_found_by_their_current_name_and_cell(db, book):
    first = {TOCHUC: _one_cell(), DANGVIEN: [_member("T1"), _member("T2", name="Nguyễn Thị Hoa")]}
    assert import_workbook(book(first), dry_run=False).written
    assert [m.code for m in member_search(Member.objects.all(), "lo van minh")[:10]] == ["T1"]

    renamed = {DANGVIEN: [_member("T1", name="Lò Văn Toàn")],
               BIENDONG: [["T2", "Chuyển sinh hoạt", D(2015, 3, 1), "R-C2", "", "", ""]]}
    result = import_workbook(book(renamed), dry_run=False)
    assert result.errors == [], result.errors
    assert [m.code for m in member_search(Member.objects.all(), "lo van minh")[:10]] == []
    assert [m.code for m in member_search(Member.objects.all(), "toan")[:10]] == ["T1"]
    assert Member.objects.get(code="T2").cell.code == "R-C2"
    written = _rows()
    search.rebuild_index()
    assert written == _rows()
