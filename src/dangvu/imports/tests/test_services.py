"""import_workbook: validation with sheet/row/column, all-or-nothing, idempotency, audit, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry

from dangvu.assessment.models import Rating
from dangvu.imports.services import import_workbook
from dangvu.imports.spec import BIENDONG, DANGVIEN, TOCHUC, XEPLOAI
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.models import Organization

D = dt.date


def where(issues) -> set[tuple]:
    return {(i.sheet, i.row, i.column) for i in issues}


def table_sizes() -> tuple:
    return (Organization.objects.count(), Member.objects.count(), MemberEvent.objects.count(),
            MemberPeriod.objects.count(), Rating.objects.count(), LogEntry.objects.count())


def test_valid_sample_is_imported_with_its_history(db, sample_paths):
    result = import_workbook(sample_paths[0], dry_run=False)
    assert result.errors == [] and result.written
    assert {k: (c.rows, c.created) for k, c in result.counts.items()} == {
        TOCHUC: (4, 4), DANGVIEN: (10, 10), BIENDONG: (9, 9), XEPLOAI: (8, 8)}
    m = Member.objects.get(code="MAU-0006")  # admitted elsewhere, placed in the new commune, moved in 2026
    assert m.cell.code == "MAU-C2" and m.status == "official" and m.card_number == "01234570"
    assert list(m.events.values_list("kind", "effective_on")) == [
        (E.ADMITTED, D(2008, 12, 22)), (E.MADE_OFFICIAL, D(2009, 12, 22)), (E.TRANSFERRED_IN, D(2025, 7, 1)),
        (E.CARD_ISSUED, D(2025, 7, 1)), (E.MOVED, D(2026, 3, 1))]
    assert Member.objects.get(code="MAU-0007").status == "transferred_out"
    assert Member.objects.get(code="MAU-0005").status == "official"  # admitted there, official, card issued
    assert Member.objects.get(code="MAU-0005").card_number == "01234573"
    assert Member.objects.get(code="MAU-0004").cell.code == "MAU-C2"  # moved on the day the cell closed
    closed = Organization.objects.get(code="MAU-C3")
    assert closed.dissolved_on == D(2026, 3, 1)
    root = Organization.objects.get(code="MAU")
    assert (root.kind, root.unit_kind, root.established_on) == ("grassroots_committee", "xa", D(2025, 7, 1))
    assert Rating.objects.get(year=2025, member__code="MAU-0002").key == "excellent"
    assert Rating.objects.get(year=2025, member__code="MAU-0002").scale == "qd366_2025"


def test_importing_the_same_workbook_twice_changes_nothing(db, sample_paths):
    assert import_workbook(sample_paths[0], dry_run=False).written
    before = table_sizes()
    second = import_workbook(sample_paths[0], dry_run=False)
    assert second.errors == []
    assert table_sizes() == before
    assert all(c.created == 0 and c.updated == 0 and c.unchanged == c.rows for c in second.counts.values())


def test_dry_run_writes_nothing_and_reports_what_would_change(db, sample_paths):
    before = table_sizes()
    result = import_workbook(sample_paths[0], dry_run=True)
    assert result.errors == [] and not result.written
    assert result.counts[DANGVIEN].created == 10
    assert result.samples[DANGVIEN]["created"][0].startswith("MAU-0001")
    assert table_sizes() == before


def test_every_bad_row_of_the_error_sample_is_reported_and_nothing_is_written(db, sample_paths):
    before = table_sizes()
    result = import_workbook(sample_paths[1], dry_run=False)
    assert not result.written
    assert table_sizes() == before
    assert where(result.errors) == {
        (TOCHUC, 6, "Loại"),  # unknown Loại
        (TOCHUC, 7, "Mã cấp trên"),  # unknown parent code
        (TOCHUC, 8, "Mã"),  # duplicate code
        (DANGVIEN, 4, "Ngày sinh"),  # bad date
        (DANGVIEN, 12, "Chi bộ"),  # member placed in a đảng bộ
        (DANGVIEN, 13, "Chi bộ"),  # unknown cell
        (DANGVIEN, 14, "Mã"),  # duplicate code
        (DANGVIEN, 15, "Số thẻ đảng viên"),  # probationary member with a card
        (BIENDONG, 11, "Mã đảng viên"),  # unknown member
        (BIENDONG, 12, "Loại"),  # Khai trừ of a probationary member
        (BIENDONG, 13, "Loại"),  # unknown event kind
        (XEPLOAI, 10, "Xếp loại"),  # label not in that year's scale
    }
    messages = {(i.sheet, i.row): i.message for i in result.errors}
    assert "Chi bộ thôn" in messages[(TOCHUC, 6)]
    assert "MAU-X9" in messages[(TOCHUC, 7)]
    assert "31/02/1979" in messages[(DANGVIEN, 4)]
    assert "MAU-C9" in messages[(DANGVIEN, 13)]
    assert "MAU-0099" in messages[(BIENDONG, 11)]


def _one_cell(extra_orgs=()):
    return [["R", "Đảng bộ huyện Thử", "Đảng bộ huyện", "", None, None, ""],
            ["R-X", "Đảng bộ xã Thử", "Đảng bộ cơ sở", "R", None, None, "Xã"],
            ["R-C1", "Chi bộ thôn Một", "Chi bộ trực thuộc", "R-X", None, None, ""],
            ["R-C2", "Chi bộ thôn Hai", "Chi bộ trực thuộc", "R-X", None, None, ""], *extra_orgs]


ADMITTED, OFFICIAL = D(2010, 1, 1), D(2011, 1, 1)


def _member(code="T1", cell="R-C1", admitted=ADMITTED, official=OFFICIAL, card="", placed=None, **kw):
    row = [code, kw.get("name", "Lò Văn Minh"), kw.get("birth", D(1980, 2, 3)), kw.get("sex", "Nam"),
           kw.get("ethnicity", "Thái"), kw.get("religion", "Không"), admitted, official, cell, placed, card,
           "", "", "", kw.get("occupation", "")]
    return row


def test_missing_required_column_is_an_error_naming_it(db, book):
    headers = {DANGVIEN: ["Mã", "Họ và tên", "Giới tính", "Dân tộc", "Ngày vào Đảng", "Chi bộ"]}
    path = book({DANGVIEN: [["T1", "Lò Văn Minh", "Nam", "Thái", D(2010, 1, 1), "R-C1"]]}, headers=headers)
    result = import_workbook(path, dry_run=False)
    assert [(i.sheet, i.row, i.column) for i in result.errors] == [(DANGVIEN, 1, "Ngày sinh")]
    assert "Ngày sinh" in result.errors[0].message
    assert Member.objects.count() == 0


def test_closing_a_cell_that_still_has_members_that_day_is_an_error_on_its_row(db, book):
    orgs = _one_cell()
    orgs[3][5] = D(2020, 1, 1)  # R-C2 dissolved on 01/01/2020 …
    path = book({TOCHUC: orgs, DANGVIEN: [_member("T1", "R-C2"), _member("T2", "R-C1")],
                 BIENDONG: [["T2", "Chuyển sinh hoạt", D(2019, 6, 1), "R-C2", "", "", ""]]})  # … with T1, T2 in it
    result = import_workbook(path, dry_run=False)
    assert where(result.errors) == {(TOCHUC, 5, "Ngày giải thể")}
    assert "2 " in result.errors[0].message
    assert Organization.objects.count() == 0


def test_a_cell_can_close_once_its_members_moved_away(db, book):
    orgs = _one_cell()
    orgs[3][5] = D(2020, 1, 1)
    path = book({TOCHUC: orgs, DANGVIEN: [_member("T1", "R-C2")],
                 BIENDONG: [["T1", "Chuyển sinh hoạt", D(2019, 12, 31), "R-C1", "", "5-QĐ", ""]]})
    result = import_workbook(path, dry_run=False)
    assert result.errors == [] and result.written
    assert Organization.objects.get(code="R-C2").dissolved_on == D(2020, 1, 1)
    ev = MemberEvent.objects.get(member__code="T1", kind=E.MOVED)
    assert ev.cell.code == "R-C1" and ev.decision_number == "5-QĐ"


def test_dissolving_a_committee_with_living_children_is_an_error(db, book):
    orgs = _one_cell()
    orgs[1][5] = D(2021, 1, 1)  # R-X closes while R-C1 and R-C2 still exist
    result = import_workbook(book({TOCHUC: orgs}), dry_run=True)
    assert where(result.errors) == {(TOCHUC, 3, "Ngày giải thể")}


def test_events_are_applied_in_date_order_whatever_the_row_order(db, book):
    path = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1")], BIENDONG: [
        ["T1", "Từ trần", D(2022, 3, 1), "", "", "", ""],
        ["T1", "Kỷ luật", D(2015, 3, 1), "", "cảnh cáo", "", ""],
        ["T1", "Chuyển sinh hoạt", D(2014, 3, 1), "R-C2", "", "", ""],
    ]})
    result = import_workbook(path, dry_run=False)
    assert result.errors == []
    m = Member.objects.get(code="T1")
    assert m.status == "died" and m.cell.code == "R-C2"
    assert MemberEvent.objects.get(member=m, kind=E.DISCIPLINED).value == "warning"  # stored as the key of the form


def test_an_event_that_breaks_the_rules_is_reported_on_its_row(db, book):
    path = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1", official=None)], BIENDONG: [
        ["T1", "Cấp thẻ", D(2011, 3, 1), "", "123", "", ""],  # a probationary member gets no card
    ]})
    result = import_workbook(path, dry_run=False)
    assert where(result.errors) == {(BIENDONG, 2, "Loại")}
    assert Member.objects.count() == 0


@pytest.mark.parametrize("row, column", [
    (["T1", "Trao huy hiệu", D(2020, 1, 1), "", "25", "", ""], "Giá trị"),
    (["T1", "Kỷ luật", D(2020, 1, 1), "", "Phê bình", "", ""], "Giá trị"),
    (["T1", "Chuyển sinh hoạt", D(2020, 1, 1), "", "", "", ""], "Đến tổ chức"),
    (["T1", "Chuyển sinh hoạt", D(2020, 1, 1), "R-X", "", "", ""], "Đến tổ chức"),
    (["T1", "Chuyển sinh hoạt", "2020-13-01", "R-C2", "", "", ""], "Ngày"),
])
def test_bad_event_cells_are_reported_on_their_column(db, book, row, column):
    result = import_workbook(book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1")], BIENDONG: [row]}), dry_run=True)
    assert where(result.errors) == {(BIENDONG, 2, column)}


def test_a_restoration_and_a_readmission_are_imported_on_the_member_record(db, book):
    events = [
        ["T1", "Khai trừ", D(2015, 3, 1), "", "", "", ""],
        ["T1", "Khôi phục đảng tịch", D(2016, 3, 1), "R-C2", "", "12-QĐ/TU", ""],
        ["T2", "Xóa tên", D(2015, 3, 1), "", "", "", ""],
        ["T2", "kết nạp lại", D(2019, 6, 1), "R-C2", "", "7-QĐ/HU", ""],
    ]
    path = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1"), _member("T2")], BIENDONG: events})
    result = import_workbook(path, dry_run=False)
    assert result.errors == [] and result.counts[BIENDONG].created == 4
    restored, readmitted = Member.objects.get(code="T1"), Member.objects.get(code="T2")
    assert (restored.status, restored.cell.code, restored.ended_on, restored.readmitted_on) == (
        "official", "R-C2", None, None)
    assert MemberEvent.objects.get(member=restored, kind=E.RESTORED).decision_number == "12-QĐ/TU"
    assert (readmitted.status, readmitted.cell.code, readmitted.admitted_on, readmitted.readmitted_on) == (
        "probationary", "R-C2", ADMITTED, D(2019, 6, 1))
    assert Member.objects.count() == 2  # no new record for the readmission
    again = import_workbook(path, dry_run=False)  # the same workbook changes nothing
    assert again.errors == [] and again.counts[BIENDONG].created == 0


@pytest.mark.parametrize("kind", ["Khôi phục đảng tịch", "Kết nạp lại"])
def test_a_restoration_or_readmission_needs_the_cell_and_an_ended_membership(db, book, kind):
    no_cell = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1")], BIENDONG: [
        ["T1", "Xóa tên", D(2015, 3, 1), "", "", "", ""], ["T1", kind, D(2019, 6, 1), "", "", "", ""]]})
    assert where(import_workbook(no_cell, dry_run=True).errors) == {(BIENDONG, 3, "Đến tổ chức")}
    still_member = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1")], BIENDONG: [
        ["T1", kind, D(2019, 6, 1), "R-C2", "", "", ""]]})
    result = import_workbook(still_member, dry_run=False)
    assert where(result.errors) == {(BIENDONG, 2, "Loại")} and Member.objects.count() == 0


def test_dates_may_be_text_in_both_formats_and_codes_may_be_numbers(db, book):
    orgs = _one_cell() + [["7", "Chi bộ thôn Bảy", "Chi bộ trực thuộc", "R-X", "01/01/2000", None, ""]]
    path = book({TOCHUC: orgs, DANGVIEN: [_member(1001, cell=7, admitted="2010-01-01", official="01/01/2011")]})
    result = import_workbook(path, dry_run=False)
    assert result.errors == [] and set(result.counts) == {TOCHUC, DANGVIEN}  # only the sheets present
    m = Member.objects.get(code="1001")
    assert m.cell.code == "7" and m.admitted_on == D(2010, 1, 1) and m.made_official_on == D(2011, 1, 1)


def test_a_member_row_that_differs_from_the_database_updates_the_profile_with_audit(db, book):
    base = {TOCHUC: _one_cell(), DANGVIEN: [_member("T1", occupation="Nông dân")]}
    assert import_workbook(book(base), dry_run=False).written
    changed = {TOCHUC: _one_cell(), DANGVIEN: [_member("T1", occupation="Giáo viên", name="lò  văn minh")]}
    result = import_workbook(book(changed), dry_run=False)
    assert result.errors == [] and result.counts[DANGVIEN].updated == 1
    m = Member.objects.get(code="T1")
    assert m.occupation == "Giáo viên" and m.full_name == "Lò Văn Minh"
    entry = LogEntry.objects.filter(object_pk=str(m.pk), action=LogEntry.Action.UPDATE).get()
    assert entry.changes == {"occupation": ["Nông dân", "Giáo viên"]}
    assert entry.additional_data == {"source": "import"}


def test_a_member_row_whose_admission_differs_from_the_database_is_an_error(db, book):
    assert import_workbook(book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1")]}), dry_run=False).written
    result = import_workbook(book({DANGVIEN: [_member("T1", admitted=D(2009, 1, 1))]}), dry_run=False)
    assert where(result.errors) == {(DANGVIEN, 2, "Ngày vào Đảng")}


def test_official_date_added_later_becomes_an_event(db, book):
    assert import_workbook(book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1", official=None)]}), dry_run=False).written
    result = import_workbook(book({DANGVIEN: [_member("T1", official=D(2011, 1, 1), card="999")]}), dry_run=False)
    assert result.errors == [] and result.counts[DANGVIEN].updated == 1
    m = Member.objects.get(code="T1")
    assert m.status == "official" and m.card_number == "999"


def test_an_organization_row_that_differs_from_the_database_is_an_error(db, book):
    assert import_workbook(book({TOCHUC: _one_cell()}), dry_run=False).written
    orgs = _one_cell()
    orgs[2][1] = "Chi bộ thôn Mới"
    result = import_workbook(book({TOCHUC: orgs}), dry_run=False)
    assert where(result.errors) == {(TOCHUC, 4, "Tên")}


def test_events_and_ratings_may_refer_to_records_already_in_the_database(db, book, tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    path = book({BIENDONG: [[m.code, "Chuyển sinh hoạt", D(2020, 1, 1), "C02", "", "", ""]],
                 XEPLOAI: [[2020, m.code, "Hoàn thành tốt nhiệm vụ"], [2020, "X01", "HTXSNV"]]})
    result = import_workbook(path, dry_run=False)
    assert result.errors == []
    m.refresh_from_db()
    assert m.cell == tree["C02"]
    assert Rating.objects.get(organization=tree["X01"], year=2020).label == "HTXSNV"
    assert Rating.objects.get(organization=tree["X01"], year=2020).key == "excellent"


def test_historical_rating_over_the_cap_is_kept_with_a_warning(db, book):
    """Decided ratings over the cap on excellent ratings (domain-rules §7.4) are imported as recorded,
    each year's group with one warning on its first row."""
    cells = [f"R-C{i}" for i in (1, 2)]
    members = [_member(f"T{n}", cell=cells[n % 2]) for n in range(1, 9)]
    ratings = [[2023, "T1", "Hoàn thành xuất sắc nhiệm vụ"], [2023, "T2", "Hoàn thành xuất sắc nhiệm vụ"],
               [2023, "T3", "Không hoàn thành nhiệm vụ"], [2023, "T4", "Hoàn thành tốt nhiệm vụ"],
               [2023, "T5", "Hoàn thành xuất sắc nhiệm vụ"],
               [2024, "T1", "Hoàn thành tốt nhiệm vụ"], [2024, "T2", "Hoàn thành xuất sắc nhiệm vụ"],
               [2024, "T3", "Hoàn thành nhiệm vụ"], *[[2024, f"T{n}", "Hoàn thành tốt nhiệm vụ"] for n in (4, 5, 6)]]
    path = book({TOCHUC: _one_cell(), DANGVIEN: members, XEPLOAI: ratings})
    result = import_workbook(path, dry_run=False)
    assert result.written
    cap = [w for w in result.warnings if w.sheet == XEPLOAI]
    # 2023: 3 excellent for 1 good; 2024: 1 excellent for 4 good (the base is those rated good only,
    # domain-rules §7.7)
    assert [w.row for w in cap] == [2, 8] and "2023" in cap[0].message and "Đảng bộ xã Thử" in cap[0].message
    assert cap[0].column == "Xếp loại"
    assert Rating.objects.filter(year=2023, key="excellent").count() == 3
    again = import_workbook(path, dry_run=True)  # members from the database: the same warning
    assert [w.message for w in again.warnings] == [w.message for w in result.warnings]


def test_rating_errors(db, book):
    path = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1")], XEPLOAI: [
        [2009, "T1", "Hoàn thành tốt nhiệm vụ"],  # before admission
        [2016, "T1", "Trong sạch vững mạnh"],  # an organization-only label
        [2020, "NOPE", "Hoàn thành nhiệm vụ"],  # unknown code
        [2020, "T1", "Hoàn thành nhiệm vụ"],
        [2020, "T1", "Hoàn thành tốt nhiệm vụ"],  # rated twice
        ["năm ngoái", "T1", "Hoàn thành nhiệm vụ"],
    ]})
    result = import_workbook(path, dry_run=True)
    assert where(result.errors) == {(XEPLOAI, 2, "Năm"), (XEPLOAI, 3, "Xếp loại"), (XEPLOAI, 4, "Mã"),
                                    (XEPLOAI, 6, "Mã"), (XEPLOAI, 7, "Năm")}


def test_a_changed_rating_is_updated(db, book):
    base = {TOCHUC: _one_cell(), DANGVIEN: [_member("T1")], XEPLOAI: [[2020, "T1", "Hoàn thành nhiệm vụ"]]}
    assert import_workbook(book(base), dry_run=False).written
    result = import_workbook(book({XEPLOAI: [[2020, "T1", "Hoàn thành tốt nhiệm vụ"]]}), dry_run=False)
    assert result.counts[XEPLOAI].updated == 1
    assert Rating.objects.get(member__code="T1", year=2020).key == "good"


def test_every_written_row_is_audited_with_source_import_and_actor(db, h01_samples, tree, make_user):
    admin = make_user("quantri", tree["H01"], role="admin")
    result = import_workbook(h01_samples[0], dry_run=False, actor=admin)
    assert result.written
    entries = LogEntry.objects.filter(additional_data__source="import")
    assert entries.exclude(actor=admin).count() == 0
    by_model = {}
    for e in entries.select_related("content_type"):
        created = (e.additional_data.get("created") or {})
        if e.object_id is None:  # the batch of new members and their events: one entry, listing them
            assert e.content_type.model == "member" and e.action == LogEntry.Action.CREATE
            assert e.timestamp == Member.objects.get(pk=created["members.member"][0]).created_at
            by_model.setdefault("member", set()).update(created["members.member"])
            by_model.setdefault("memberevent", set()).update(created["members.memberevent"])
        else:
            assert not created
            by_model.setdefault(e.content_type.model, set()).add(e.object_id)
    assert len(by_model["member"]) == Member.objects.count() == 10
    assert by_model["memberevent"] == set(MemberEvent.objects.values_list("pk", flat=True))
    assert len(by_model["rating"]) == Rating.objects.count() == 8
    assert {o.pk for o in Organization.objects.filter(code__startswith="MAU")} <= by_model["organization"]
    assert MemberEvent.objects.filter(recorded_by=admin).count() == MemberEvent.objects.count()


def test_a_scoped_user_may_only_touch_their_subtree(db, book, tree, make_user):
    secretary = make_user("bithu", tree["X01"], role="secretary")
    orgs = [["C03", "Chi bộ bản Nà Hỳ 3", "Chi bộ trực thuộc", "X01", D(2015, 1, 1), None, ""],
            ["C04", "Chi bộ bản Mới", "Chi bộ trực thuộc", "H01", D(2015, 1, 1), None, ""],  # parent outside scope
            ["X9", "Đảng bộ xã khác", "Đảng bộ cơ sở", "", None, None, ""]]  # a new root
    members = [_member("S1", cell="C03", admitted=D(2015, 5, 5), official=None),
               _member("S2", cell="X02")]  # X02 is outside the scope
    result = import_workbook(book({TOCHUC: orgs, DANGVIEN: members}), dry_run=True, actor=secretary)
    assert where(result.errors) == {(TOCHUC, 3, "Mã cấp trên"), (TOCHUC, 4, "Mã cấp trên"),
                                    (DANGVIEN, 3, "Chi bộ")}
    ok = import_workbook(book({TOCHUC: orgs[:1], DANGVIEN: members[:1]}), dry_run=False, actor=secretary)
    assert ok.errors == [] and Member.objects.get(code="S1").cell.code == "C03"


def test_header_variants_are_the_same_column(db, book):
    headers = ["MA", "ho_va_ten", "NGAY SINH", "giới tính", "Dan toc", "Ngày vào đảng", "chi-bo"]
    path = book({TOCHUC: _one_cell(), DANGVIEN: [["T1", "Lò Văn Minh", D(1980, 1, 1), "nam", "thai",
                                                 D(2010, 1, 1), "R-C1"]]}, headers={DANGVIEN: headers})
    result = import_workbook(path, dry_run=False)
    assert result.errors == [] and Member.objects.get(code="T1").ethnicity == "03"


def test_unknown_columns_are_ignored_with_a_warning(db, book):
    headers = {TOCHUC: ["Mã", "Tên", "Loại", "Mã cấp trên", "Ngày thành lập", "Ngày giải thể", "Loại hình", "Bí thư"]}
    rows = [r + ["Nguyễn Văn A"] for r in _one_cell()]
    result = import_workbook(book({TOCHUC: rows}, headers=headers), dry_run=True)
    assert result.errors == []
    assert where(result.warnings) == {(TOCHUC, 1, "Bí thư")}


def test_the_committed_samples_are_the_generated_ones(tmp_path):
    from pathlib import Path

    from dangvu.imports.samples import write_samples

    docs = Path(__file__).resolve().parents[4] / "docs" / "samples"
    for fresh in write_samples(tmp_path):
        assert (docs / fresh.name).read_bytes() == fresh.read_bytes(), f"regenerate docs/samples/{fresh.name}"


def test_a_member_left_in_a_cell_that_ended_earlier_in_the_database_is_an_error(db, book, tree):
    from dangvu.members.restructuring import organization_dissolve

    organization_dissolve(tree["C02"], effective_on=D(2020, 1, 1))
    path = book({BIENDONG: [], DANGVIEN: [_member("T1", cell="C02", admitted=D(2015, 1, 1), official=None)]})
    result = import_workbook(path, dry_run=True)
    assert where(result.errors) == {(DANGVIEN, 2, "Chi bộ")}
    assert "01/01/2020" in result.errors[0].message


def test_a_new_organization_under_a_younger_parent_needs_its_date(db, book, tree):
    path = book({TOCHUC: [["C05", "Chi bộ bản Nà Hỳ 5", "Chi bộ trực thuộc", "X01", None, None, ""]]})
    result = import_workbook(path, dry_run=True)
    assert where(result.errors) == {(TOCHUC, 2, "Ngày thành lập")}
    assert "01/01/2012" in result.errors[0].message


def test_the_member_page_history_shows_who_imported_the_member_and_its_events(db, h01_samples, tree, make_user):
    from django.utils.translation import gettext as _

    from dangvu.members.change_log import audit_history

    admin = make_user("quantri2", tree["H01"], role="admin")
    assert import_workbook(h01_samples[0], dry_run=False, actor=admin).written
    m = Member.objects.get(code="MAU-0006")
    rows = audit_history(m, show_personal=True)
    assert len(rows) == 1 + m.events.count()  # the profile and each event created by the import
    assert {r["who"] for r in rows} == {"quantri2"} and {str(r["source"]) for r in rows} == {str(_("Import"))}
    assert all(r["action"] == "create" and r["changes"] for r in rows)
    subjects = [str(r["subject"]) for r in rows]
    assert subjects[-1] == str(_("Profile"))  # newest first: the events come before the member's own row
    assert sum("01/07/2025" in s for s in subjects) == 2  # transferred in, card issued
    transfer = next(r for r in rows if str(E.TRANSFERRED_IN.label) in str(r["subject"]))
    cell_label = str(MemberEvent._meta.get_field("cell").verbose_name)
    assert {c["field"]: c["after"] for c in transfer["changes"]}[cell_label] == Organization.objects.get(code="MAU-C3").name  # placed there first


# --- BienDong rows checked against the rules of their date: warnings, the history kept -------------


def _rule_warnings(result) -> dict:
    assert result.errors == [] and result.written, result.errors
    return {(i.sheet, i.row, i.column): i.message for i in result.warnings}


def test_an_exemption_on_age_grounds_of_a_member_under_the_age_is_kept_with_a_warning(db, book):
    path = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1", birth=D(1980, 2, 3)), _member("T2", birth=D(1950, 1, 1))],
                 BIENDONG: [["T1", "Miễn sinh hoạt", D(2020, 1, 1), "", "", "", ""],
                            ["T2", "Miễn sinh hoạt", D(2020, 1, 1), "", "", "", ""]]})
    warnings = _rule_warnings(import_workbook(path, dry_run=False))
    assert set(warnings) == {(BIENDONG, 2, "Ngày")}
    assert "60" in warnings[(BIENDONG, 2, "Ngày")] and "QĐ 29" in warnings[(BIENDONG, 2, "Ngày")]
    assert Member.objects.get(code="T1").exempted


def test_a_badge_that_was_not_the_one_due_is_kept_with_a_warning(db, book):
    path = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1"), _member("T2", admitted=D(1979, 1, 1),
                                                                        official=D(1980, 1, 1), birth=D(1950, 1, 1))],
                 BIENDONG: [["T1", "Trao huy hiệu", D(2020, 2, 3), "", "30", "", ""],  # 10 years of party age
                            ["T2", "Trao huy hiệu", D(2009, 2, 3), "", "30", "", ""],  # due
                            ["T2", "Kỷ luật", D(2018, 9, 2), "", "Cảnh cáo", "", ""],
                            ["T2", "Trao huy hiệu", D(2019, 2, 3), "", "40", "", ""]]})  # delayed by the warning
    warnings = _rule_warnings(import_workbook(path, dry_run=False))
    assert set(warnings) == {(BIENDONG, 2, "Giá trị"), (BIENDONG, 5, "Giá trị")}
    assert MemberEvent.objects.filter(kind=E.BADGE_AWARDED).count() == 3


def test_a_card_number_that_is_not_eight_digits_is_kept_with_a_warning(db, book):
    path = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1")],
                 BIENDONG: [["T1", "Cấp thẻ", D(2012, 1, 1), "", "123456", "", ""],
                            ["T1", "Cấp thẻ", D(2013, 1, 1), "", "01234567", "", ""]]})
    warnings = _rule_warnings(import_workbook(path, dry_run=False))
    assert set(warnings) == {(BIENDONG, 2, "Giá trị")} and "8" in warnings[(BIENDONG, 2, "Giá trị")]
    assert MemberEvent.objects.filter(kind=E.CARD_ISSUED, value="123456").exists()  # kept as recorded


def test_a_discipline_after_the_limitation_period_is_kept_with_a_warning(db, book):
    headers = {BIENDONG: ["Mã đảng viên", "Loại", "Ngày", "Giá trị", "Ngày vi phạm"]}
    path = book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1"), _member("T2")],
                 BIENDONG: [["T1", "Kỷ luật", D(2020, 3, 1), "Khiển trách", D(2014, 1, 1)],  # 5 years for a reprimand
                            ["T2", "Kỷ luật", D(2020, 3, 1), "Cảnh cáo", D(2014, 1, 1)],  # 10 years for a warning
                            ["T2", "Cấp thẻ", D(2021, 3, 1), "01234567", D(2014, 1, 1)]]},  # not a discipline
                headers=headers)
    warnings = _rule_warnings(import_workbook(path, dry_run=False))
    assert set(warnings) == {(BIENDONG, 2, "Giá trị"), (BIENDONG, 4, "Ngày vi phạm")}
    assert "01/01/2019" in warnings[(BIENDONG, 2, "Giá trị")]
    assert MemberEvent.objects.filter(kind=E.DISCIPLINED).count() == 2


def test_the_rule_warnings_read_nothing_row_by_row(db, book, tree, make_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    members = [make_member(tree["C01"], admitted_on=D(2012, 1, 1), made_official_on=D(2013, 1, 1)) for _ in range(2)]

    def rows(n):
        return [[m.code, "Cấp thẻ", D(2014 + i, 1, 1), "", "1234", "", ""] for m in members[:n] for i in range(n)]

    counts = []
    for n in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            result = import_workbook(book({BIENDONG: rows(n)}), dry_run=True)
        assert len(result.warnings) == n * n
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("late_error", ["member", "closing", "rating"])
def test_an_error_found_after_members_were_written_rolls_back_everything(db, book, monkeypatch, late_error):
    """Members are written chunk by chunk as they pass; an error found later (a later member, a cell
    closing, a rating) still leaves nothing written."""
    from dangvu.imports import writing

    monkeypatch.setattr(writing, "CHUNK_MEMBERS", 1)
    monkeypatch.setattr(writing.MemberWriter, "FIRST", 1)
    writes = []
    real_write = writing.MemberWriter._write
    monkeypatch.setattr(writing.MemberWriter, "_write", lambda self, chunk: (writes.append(chunk), real_write(self, chunk)))
    orgs = _one_cell()
    members = [_member(f"T{i}") for i in range(1, 5)]
    sheets = {TOCHUC: orgs, DANGVIEN: members}
    if late_error == "member":
        members.append(_member("T9", admitted=D(2015, 1, 1), official=D(2014, 1, 1)))  # official before admitted
    elif late_error == "closing":
        orgs[2][5] = D(2020, 1, 1)  # R-C1 closes while T1…T4 are in it
    else:
        sheets[XEPLOAI] = [[2020, "T1", "Không có nhãn này"]]
    before = table_sizes()
    dry = import_workbook(book(sheets), dry_run=True)
    result = import_workbook(book(sheets), dry_run=False)
    assert result.errors and not result.written
    assert len(writes) >= 3  # members had been written before the error was found
    assert table_sizes() == before
    assert [i.message for i in result.errors] == [i.message for i in dry.errors]  # the same errors as a dry run


def test_a_member_code_that_cannot_be_an_address_is_an_error_on_its_row(db, book):
    before = table_sizes()
    result = import_workbook(book({TOCHUC: _one_cell(), DANGVIEN: [_member("T1"), _member("new"), _member("a/b")]}),
                             dry_run=False)
    assert where(result.errors) == {(DANGVIEN, 3, "Mã"), (DANGVIEN, 4, "Mã")}
    assert not result.written and table_sizes() == before


def test_a_member_code_differing_only_in_capitals_is_an_error_on_its_row(db, book, tree, make_member):
    make_member(tree["C01"], code="NP00226")
    result = import_workbook(book({DANGVIEN: [_member("np00226", cell="C01", admitted=D(2015, 1, 1), official=None),
                                              _member("T1", cell="C01", admitted=D(2015, 1, 1), official=None),
                                              _member("t1", cell="C01", admitted=D(2015, 1, 1), official=None)]}),
                             dry_run=False)
    assert where(result.errors) == {(DANGVIEN, 2, "Mã"), (DANGVIEN, 4, "Mã")}
    assert "NP00226" in result.errors[0].message and "T1" in result.errors[1].message
    assert list(Member.objects.values_list("code", flat=True)) == ["NP00226"]


def test_an_organization_code_differing_only_in_capitals_is_an_error_on_its_row(db, book, tree):
    path = book({TOCHUC: [["c05", "Chi bộ bản Năm", "Chi bộ trực thuộc", "X01", D(2015, 1, 1), None, ""],
                          ["x01", "Đảng bộ xã Nà Hỳ Hai", "Đảng bộ cơ sở", "H01", D(2015, 1, 1), None, ""],
                          ["C05", "Chi bộ bản Năm B", "Chi bộ trực thuộc", "X01", D(2015, 1, 1), None, ""]]})
    result = import_workbook(path, dry_run=False)
    assert not result.written
    assert (TOCHUC, 3, "Mã") in where(result.errors) and "X01" in result.errors[0].message
    assert not Organization.objects.filter(code__in=["c05", "x01", "C05"]).exists()

