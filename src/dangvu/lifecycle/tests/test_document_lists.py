"""The badge list and the member sheet generated from the records, always in Vietnamese."""

import datetime as dt

from dangvu import regulations as R
from dangvu.lifecycle import documents, todo
from dangvu.lifecycle.tests.docx_files import event, text_of
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event


def _holder(make_member, cell, name, admitted_on, badges):
    m = make_member(cell, name=name, admitted_on=admitted_on, made_official_on=R.add_months(admitted_on, 12),
                    birth_date=dt.date(1945, 1, 1))
    for years, day in badges:
        member_record_event(m, kind=E.BADGE_AWARDED, effective_on=day, value=str(years))
    return m


def test_the_badge_list_proposes_the_one_badge_due_never_one_below_a_badge_held(organizer, make_member, old_cell):
    """Hờ A Hồ (NP00226 in the demo), admitted 1968, holds the 45, 50 and 55-year badges: he is not proposed
    for the 40-year one in 2026. A member of 46 years who holds only the 30-year badge is proposed for
    the 45-year badge, not the 40-year one, and once."""
    award = dt.date(2026, 2, 3)
    _holder(make_member, old_cell, "Hờ A Hồ", dt.date(1968, 5, 1),
            [(45, dt.date(2013, 5, 19)), (50, dt.date(2018, 5, 19)), (55, dt.date(2023, 5, 19))])
    due = _holder(make_member, old_cell, "Giàng Thị Sùng", dt.date(1980, 1, 10), [(30, dt.date(2010, 2, 3))])
    assert [(it.member, it.milestone) for it in todo.badges_due(organizer, award)] == [(due, 45)]
    text = text_of(documents.badge_list(organizer, award))
    assert "Giàng Thị Sùng" in text and "Hờ A Hồ" not in text
    assert "huy hiệu 45 năm tuổi Đảng: 1" in text and "40 năm" not in text


def test_member_sheet_has_the_profile_and_the_history_of_events(minh):
    text = text_of(documents.member_sheet(minh))
    assert "Mẫu 2-HSĐV" in text and "PHIẾU ĐẢNG VIÊN" in text
    assert "LÒ VĂN MINH" in text
    assert "ngày 02 tháng 3 năm 1985" in text
    assert "ngày 19 tháng 5 năm 2015" in text and "ngày 19 tháng 5 năm 2016" in text
    assert "Số 125-QĐ/HU, ngày 04/05/2015, Ban Thường vụ Huyện ủy Mường Lay" in text
    assert "Chuyển sinh hoạt" in text and "Số 45-GGT/ĐU" in text  # the event's label, from the catalogue
    assert "CHI BỘ BẢN NÀ HỲ 2" in text  # the cell the member is in now
    assert "bản Nà Hỳ 1, xã Nà Hỳ" in text
    assert "bản Nà Hỳ 1, xã Nà Hỳ" not in text_of(documents.member_sheet(minh, personal=False))


def test_documents_are_vietnamese_whatever_the_language_of_the_interface(minh):
    from django.utils import translation

    with translation.override("en"):
        sheet = text_of(documents.member_sheet(minh))
        letter = text_of(documents.transfer_letter(event(minh, E.MOVED)))
    assert "Giới tính: Nam" in sheet
    assert "Male" not in sheet and "Moved to another cell" not in sheet and "Chuyển sinh hoạt" in sheet
    assert "đảng viên chính thức" in letter and "official party member" not in letter
    assert "ngày làm việc kể từ ngày ký" in letter and "working days" not in letter
