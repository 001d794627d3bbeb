"""The import against the Party's rules of each date (warnings: history is kept as recorded), the
age counted in months as registration counts it, and the limits (lengths, dates) the database and
the forms apply: the dry run as strict as the real import."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.imports.services import import_workbook
from dangvu.imports.spec import BIENDONG, DANGVIEN, TOCHUC, XEPLOAI
from dangvu.members.models import Member

D = dt.date


def where(issues) -> set[tuple]:
    return {(i.sheet, i.row, i.column) for i in issues}


ORGS = [["R", "Đảng bộ huyện Thử", "Đảng bộ huyện", "", None, None, ""],
        ["R-X", "Đảng bộ xã Thử", "Đảng bộ cơ sở", "R", None, None, "Xã"],
        ["R-C1", "Chi bộ thôn Một", "Chi bộ trực thuộc", "R-X", None, None, ""]]


ADMITTED, OFFICIAL, BIRTH = D(2010, 1, 1), D(2011, 1, 1), D(1980, 2, 3)


def member(code="T1", admitted=ADMITTED, official=OFFICIAL, birth=BIRTH, name="Lò Văn Minh", cell="R-C1", card=""):
    return [code, name, birth, "Nam", "Thái", "Không", admitted, official, cell, None, card, "", "", "", ""]


def event(kind, day, code="T1", target="", value="", decision=""):
    return [code, kind, day, target, value, decision, ""]


# --- the rules of each date, as warnings ------------------------------------------------------


def test_an_official_date_before_probation_ends_is_kept_with_a_warning(db, book):
    rows = [member("T1", admitted=D(2020, 1, 10), official=D(2020, 6, 1)),
            member("T2", admitted=D(2020, 1, 10), official=D(2021, 1, 10)),  # exactly 12 months: fine
            member("T3", admitted=D(2020, 1, 10), official=None)]
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows,
                                   BIENDONG: [event("Công nhận chính thức", D(2020, 12, 1), code="T3")]}),
                             dry_run=False)
    assert result.written and result.errors == []
    assert where(result.warnings) == {(DANGVIEN, 2, "Ngày chính thức"), (BIENDONG, 2, "Ngày")}
    assert all("10/01/2021" in w.message for w in result.warnings)  # the end of probation, by the rules
    assert Member.objects.get(code="T1").made_official_on == D(2020, 6, 1)  # history kept as recorded


def test_an_admission_above_the_maximum_age_is_kept_with_a_warning(db, book):
    rows = [member("T1", birth=D(1950, 1, 1), admitted=D(2015, 1, 1), official=D(2016, 1, 1)),  # 65
            member("T2", birth=D(1955, 1, 1), admitted=D(2015, 1, 1), official=D(2016, 1, 1))]  # exactly 60
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows}), dry_run=False)
    assert result.written and result.errors == []
    assert where(result.warnings) == {(DANGVIEN, 2, "Ngày vào Đảng")}


@pytest.mark.parametrize(("admitted", "refused"), [(D(2026, 2, 28), False), (D(2026, 2, 27), True)])
def test_the_minimum_age_is_counted_in_months_as_registration_counts_it(db, book, tree, admitted, refused):
    """Born 29/02/2008: 18 years (216 months) on 28/02/2026 by the rules' month count."""
    from dangvu.core.errors import DomainError
    from dangvu.members.services import member_register

    row = member("T1", birth=D(2008, 2, 29), admitted=admitted, official=None)
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: [row]}), dry_run=True)
    assert where(result.errors) == ({(DANGVIEN, 2, "Ngày vào Đảng")} if refused else set())
    kw = {"code": "R1", "full_name": "Lò Văn Minh", "birth_date": D(2008, 2, 29), "sex": "M", "ethnicity": "Thái",
          "admitted_on": admitted, "cell": tree["C01"]}
    if refused:
        with pytest.raises(DomainError) as exc:
            member_register(**kw)
        assert exc.value.code == "admission.too_young" and exc.value.field == "admitted_on"
    else:
        assert member_register(**kw).admitted_on == admitted


def test_a_rating_for_a_member_exempted_that_year_is_kept_with_a_warning(db, book):
    rows = [member("T1", birth=D(1950, 1, 1), admitted=D(1980, 1, 1), official=D(1981, 1, 1)),
            member("T2", birth=D(1950, 1, 1), admitted=D(1980, 1, 1), official=D(1981, 1, 1))]
    events = [event("Miễn sinh hoạt", D(2021, 3, 1))]
    ratings = [[2022, "T1", "Hoàn thành tốt nhiệm vụ"], [2020, "T1", "Hoàn thành tốt nhiệm vụ"],
               [2022, "T2", "Hoàn thành tốt nhiệm vụ"]]
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows, BIENDONG: events, XEPLOAI: ratings}), dry_run=False)
    assert result.written and result.errors == []
    assert where(result.warnings) == {(XEPLOAI, 2, "Mã")}
    # the same for a member already in the database (its stored periods)
    again = import_workbook(book({XEPLOAI: [[2023, "T1", "Hoàn thành nhiệm vụ"]]}), dry_run=True)
    assert where(again.warnings) == {(XEPLOAI, 2, "Mã")} and again.errors == []


def test_a_rating_for_a_member_suspended_at_the_year_s_end_is_kept_with_a_warning(db, book):
    """A suspension of party activities (đình chỉ sinh hoạt đảng), imported or recorded by its action: the
    periods of a member suspended at the end of a year make a rating of that year a warning."""
    rows = [member("T1"), member("T2"), member("T3")]
    events = [event("Đình chỉ sinh hoạt", D(2022, 6, 1), value="Đang bị điều tra"),
              event("Thôi đình chỉ sinh hoạt", D(2023, 3, 1)),
              event("Đình chỉ sinh hoạt", D(2022, 6, 1), code="T3", value="Lý do khác")[:-1] + ["Đang bị xem xét"]]
    ratings = [[2022, "T1", "Hoàn thành tốt nhiệm vụ"], [2021, "T1", "Hoàn thành tốt nhiệm vụ"],
               [2022, "T2", "Hoàn thành tốt nhiệm vụ"]]
    path = book({TOCHUC: ORGS, DANGVIEN: rows, BIENDONG: events, XEPLOAI: ratings})
    result = import_workbook(path, dry_run=False)
    assert result.written and result.errors == []
    assert where(result.warnings) == {(XEPLOAI, 2, "Mã")} and "đình chỉ" in result.warnings[0].message
    assert import_workbook(path, dry_run=False).counts[BIENDONG].unchanged == 3  # imported again: nothing new
    t1, t3 = Member.objects.get(code="T1"), Member.objects.get(code="T3")
    assert [(e.kind, e.value) for e in t1.events.filter(kind__in=("suspended", "suspension_lifted"))] == [
        ("suspended", "investigation"), ("suspension_lifted", "")]
    assert [(p.valid_from, p.suspended) for p in t1.periods.order_by("valid_from")][-2:] == [
        (D(2022, 6, 1), True), (D(2023, 3, 1), False)]
    assert t3.events.get(kind="suspended").note == "Đang bị xem xét"
    # a rating for a member the database holds suspended at that year's end
    again = import_workbook(book({XEPLOAI: [[2022, "T3", "Hoàn thành nhiệm vụ"]]}), dry_run=True)
    assert where(again.warnings) == {(XEPLOAI, 2, "Mã")} and again.errors == []


def test_a_suspension_s_terms_and_history_are_checked_as_the_suspension_service_checks_them(db, book):
    """The reason is one of the rules' (or "Lý do khác" written out in Ghi chú); a lifting needs a suspension;
    a member suspended already cannot be suspended again."""
    rows = [member(code) for code in ("T1", "T2", "T3", "T4", "T5")]
    events = [event("Đình chỉ sinh hoạt", D(2022, 6, 1), code="T1", value="Bị nghi ngờ"),
              event("Đình chỉ sinh hoạt", D(2022, 6, 1), code="T2", value="Lý do khác"),
              event("Thôi đình chỉ sinh hoạt", D(2022, 6, 1), code="T3"),
              event("Đình chỉ sinh hoạt", D(2022, 6, 1), code="T4", value="Đang bị truy tố"),
              event("Đình chỉ sinh hoạt", D(2022, 7, 1), code="T4", value="investigation"),
              event("Đình chỉ sinh hoạt", D(2022, 7, 1), code="T5", value="Under prosecution")]
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows, BIENDONG: events}), dry_run=True)
    assert where(result.errors) == {(BIENDONG, 2, "Giá trị"), (BIENDONG, 3, "Ghi chú"), (BIENDONG, 4, "Loại"),
                                    (BIENDONG, 6, "Loại")}
    messages = {e.row: e.message for e in result.errors}
    assert "Đang bị điều tra" in messages[2] and "không bị đình chỉ" in messages[4] and "01/06/2022" in messages[6]


def test_the_badge_check_leaves_out_the_years_outside_the_party(db, book):
    """Admitted 1985, removed from the list 1995, readmitted 2005: 30 years of party age are reached
    in 2025, not in 2015; a 30-year badge in 2020 was not due (kept, with a warning)."""
    rows = [member("T1", birth=D(1960, 1, 1), admitted=D(1985, 1, 1), official=D(1986, 1, 1))]
    events = [event("Xóa tên", D(1995, 1, 1)), event("Kết nạp lại", D(2005, 1, 1), target="R-C1"),
              event("Công nhận chính thức", D(2006, 1, 1)), event("Trao huy hiệu", D(2020, 5, 19), value="30")]
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows, BIENDONG: events}), dry_run=True)
    assert result.errors == []
    assert where(result.warnings) == {(BIENDONG, 5, "Giá trị")}


# --- lengths and dates ------------------------------------------------------------------------


def test_text_longer_than_its_column_is_an_error_in_the_dry_run(db, book):
    long_name = "Lò " + "A" * 10_000
    orgs = [*ORGS, ["R-C2", "Chi bộ " + "B" * 300, "Chi bộ trực thuộc", "R-X", None, None, ""]]
    rows = [member("T1", name=long_name), member("T2", card="1" * 20), member("T3")]
    events = [event("Kỷ luật", D(2015, 1, 1), code="T3", value="Khiển trách", decision="Q" * 65)]
    ratings = [[2015, "T3" + "9" * 40, "Hoàn thành tốt nhiệm vụ"]]
    sheets = {TOCHUC: orgs, DANGVIEN: rows, BIENDONG: events, XEPLOAI: ratings}
    dry = import_workbook(book(sheets), dry_run=True)
    assert where(dry.errors) == {(TOCHUC, 5, "Tên"), (DANGVIEN, 2, "Họ và tên"), (DANGVIEN, 3, "Số thẻ đảng viên"),
                                 (BIENDONG, 2, "Số quyết định"), (XEPLOAI, 2, "Mã")}
    assert any("255" in i.message for i in dry.errors)
    real = import_workbook(book(sheets), dry_run=False)
    assert [str(i) for i in real.errors] == [str(i) for i in dry.errors] and not real.written


def test_dates_outside_the_range_of_recorded_facts_are_errors(db, book):
    future = dt.date.today() + dt.timedelta(days=30)
    orgs = [*ORGS, ["R-C2", "Chi bộ thôn Hai", "Chi bộ trực thuộc", "R-X", D(2030, 1, 1), None, ""]]
    rows = [member("T1"), member("T2", birth="31/12/1899")]  # text: Excel has no dates before 1900
    events = [event("Chuyển sinh hoạt", future, target="R-C1")]
    result = import_workbook(book({TOCHUC: orgs, DANGVIEN: rows, BIENDONG: events}), dry_run=True)
    assert where(result.errors) == {(TOCHUC, 5, "Ngày thành lập"), (DANGVIEN, 3, "Ngày sinh"), (BIENDONG, 2, "Ngày")}
    messages = {(i.sheet, i.column): i.message for i in result.errors}
    assert "01/01/1900" in messages[DANGVIEN, "Ngày sinh"], messages  # before the range
    for key in ((TOCHUC, "Ngày thành lập"), (BIENDONG, "Ngày")):  # after today: said so, as the forms say it
        assert "không được sau ngày hôm nay" in messages[key], messages


# --- the rules of registration and of the member actions, row by row --------------------------


def test_a_date_before_the_admission_is_an_error_that_says_so_at_its_column(db, book):
    rows = [member("T1", admitted=D(2020, 5, 10), official=D(2019, 1, 1)), member("T2")]
    events = [event("Xin ra khỏi Đảng", D(2005, 1, 1), code="T2")]
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows, BIENDONG: events}), dry_run=True)
    assert where(result.errors) == {(DANGVIEN, 2, "Ngày chính thức"), (BIENDONG, 2, "Ngày")}
    assert {i.message for i in result.errors} == {"Ngày 01/01/2019 trước ngày vào Đảng (10/05/2020).",
                                                  "Ngày 01/01/2005 trước ngày vào Đảng (01/01/2010)."}


def test_a_card_number_of_a_member_row_not_of_eight_digits_is_kept_with_a_warning(db, book):
    rows = [member("T1", card="abcdefgh"), member("T2", card="01234567")]
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: rows}), dry_run=False)
    assert result.written and result.errors == []
    assert where(result.warnings) == {(DANGVIEN, 2, "Số thẻ đảng viên")}
    assert "Số thẻ đảng viên phải gồm đúng 8 chữ số" in result.warnings[0].message


def test_a_violation_after_the_discipline_is_an_error_at_its_column(db, book):
    headers = {BIENDONG: ["Mã đảng viên", "Loại", "Ngày", "Giá trị", "Ngày vi phạm"]}
    events = [["T1", "Kỷ luật", D(2020, 3, 1), "Khiển trách", D(2020, 6, 1)],
              ["T1", "Kỷ luật", D(2021, 3, 1), "Khiển trách", D(2021, 3, 1)]]
    result = import_workbook(book({TOCHUC: ORGS, DANGVIEN: [member("T1")], BIENDONG: events}, headers=headers),
                             dry_run=True)
    assert where(result.errors) == {(BIENDONG, 2, "Ngày vi phạm")}
    assert "01/06/2020" in result.errors[0].message and "01/03/2020" in result.errors[0].message
