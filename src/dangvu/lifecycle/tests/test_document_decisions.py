"""The decisions and letters generated from the records: the regulation cited, the names of the bodies,
the admission and recognition decisions, the transfer letters."""

import datetime as dt

from django.utils import timezone

from dangvu import regulations as R
from dangvu.core import documents as core_documents
from dangvu.lifecycle import documents, todo
from dangvu.lifecycle.documents import header
from dangvu.lifecycle.tests.docx_files import event, text_of
from dangvu.members.models import MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.selectors import committee_name
from dangvu.organizations.services import Decision


def test_the_regulation_in_force_on_the_decision_date_is_cited():
    day = dt.date(2022, 3, 1)
    assert header.regulation_citation(R.rules_on(day), day) == (
        "Quy định số 24-QĐ/TW, ngày 30-7-2021 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng")


def test_committee_and_place_names_are_derived_from_organization_names():
    unit = header.Unit
    assert committee_name(unit(1, "Đảng bộ huyện Mường Lay", "district")) == "Huyện ủy Mường Lay"
    assert committee_name(unit(1, "Đảng bộ xã Nà Hỳ", "grassroots_committee")) == "Đảng ủy xã Nà Hỳ"
    assert committee_name(unit(1, "Chi bộ bản Nà Hỳ 1", "subordinate_cell")) == "Chi bộ bản Nà Hỳ 1"
    assert header.place_of("Đảng ủy xã Nà Hỳ") == "Nà Hỳ"
    assert header.place_of("Huyện ủy Mường Lay") == "Mường Lay"
    assert header.place_of("Chi bộ Trường THCS Nà Bủng") == ""


def test_the_decider_is_the_superior_committee_or_since_2025_the_commune_committee_under_the_province():
    unit = header.Unit
    cell, commune = unit(1, "Chi bộ bản Nà Hỳ 1", "subordinate_cell"), unit(2, "Đảng bộ xã Nà Hỳ", "grassroots_committee")
    district, province = unit(3, "Đảng bộ huyện Nậm Pồ", "district"), unit(4, "Đảng bộ tỉnh Điện Biên", "provincial")
    assert header.decider([cell, commune, district, province], "superior_standing_committee") == (2, True)  # Huyện ủy
    # no district level: not the tỉnh ủy, but the đảng ủy xã, the directly superior level in its area
    assert header.decider([cell, commune, province], "superior_standing_committee") == (1, True)
    heading = header.heading([cell, commune, province], 1, standing=True)
    assert heading["issuer_body"] == "Ban Thường vụ Đảng ủy xã Nà Hỳ" and heading["superior"] == "Đảng bộ tỉnh Điện Biên"
    assert header.decider([cell, commune, province], "provincial_standing_committee") == (2, True)


def test_a_decision_recorded_as_issued_by_a_party_organization_speaks_as_its_committee():
    """The admission service records the deciding organization ("Đảng bộ xã Nà Hỳ") when the user writes no
    body: the document speaks for its committee — its standing committee when the rules say so — never for the
    đảng bộ as a whole ("ĐẢNG BỘ XÃ NÀ HỲ QUYẾT ĐỊNH", "T/M ĐẢNG ỦY" for a decision of the Ban Thường vụ)."""
    unit = header.Unit
    cell, commune = unit(1, "Chi bộ bản Nà Hỳ 1", "subordinate_cell"), unit(2, "Đảng bộ xã Nà Hỳ", "grassroots_committee")
    province = unit(4, "Đảng bộ tỉnh Điện Biên", "provincial")
    units = [cell, commune, province]
    written = header.heading(units, 1, issued_by="Đảng bộ xã Nà Hỳ", standing=True)
    assert written == header.heading(units, 1, standing=True)
    assert written["issuer"] == "Đảng ủy xã Nà Hỳ" and written["represent"] == "T/M BAN THƯỜNG VỤ"
    # the committee itself, written out, still decides as the committee (a delegated đảng ủy)
    committee = header.heading(units, 1, issued_by="Đảng ủy xã Nà Hỳ", standing=True)
    assert committee["issuer_body"] == "Đảng ủy xã Nà Hỳ" and committee["represent"] == "T/M ĐẢNG ỦY"
    # "Ban Thường vụ" alone: the standing committee of the decider, not a board whose head signs in person
    bare = header.heading(units, 1, issued_by="Ban Thường vụ", standing=True)
    assert bare == header.heading(units, 1, standing=True)
    assert header.heading(units, 1, issued_by="ban thường vụ", standing=False)["represent"] == "T/M BAN THƯỜNG VỤ"
    # an organization written that is not the rules' decider: its own committee
    other = header.heading(units, 2, issued_by="Đảng bộ xã Nà Hỳ", standing=True)
    assert other["issuer_body"] == "Đảng ủy xã Nà Hỳ" and other["superior"] == "Đảng bộ tỉnh Điện Biên"


def test_admission_decision_names_the_member_the_decision_and_its_date_in_words(minh):
    text = text_of(documents.admission_decision(event(minh, E.ADMITTED)))
    assert "Lò Văn Minh" in text
    assert "Số 125-QĐ/HU" in text
    assert "Mường Lay, ngày 04 tháng 5 năm 2015" in text
    assert "sinh ngày 02 tháng 3 năm 1985" in text.lower()
    assert "BAN THƯỜNG VỤ HUYỆN ỦY MƯỜNG LAY QUYẾT ĐỊNH" in text
    assert "HUYỆN ỦY MƯỜNG LAY" in text and "T/M BAN THƯỜNG VỤ" in text
    assert "Chi bộ bản Nà Hỳ 1, Đảng bộ xã Nà Hỳ" in text
    # 2015 is before the first regulation encoded (QĐ 29, 2016): cited without a number.
    assert "Căn cứ Quy định của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;" in text and "29-QĐ/TW" not in text
    assert "bản Nà Hỳ 1, xã Nà Hỳ" in text  # residence, for a user who may see it


def test_the_decision_of_a_readmission_says_ket_nap_lai(minh):
    from dangvu.members.services import member_readmit

    assert "kết nạp lại" not in text_of(documents.admission_decision(event(minh, E.ADMITTED))).lower()
    member_record_event(minh, kind=E.REMOVED, effective_on=dt.date(2021, 1, 4))
    member_readmit(minh, on=dt.date(2025, 3, 3), cell=minh.cell)
    again = MemberEvent.objects.filter(member=minh, kind=E.ADMITTED).order_by("effective_on").last()
    text = text_of(documents.admission_decision(again))
    assert "về việc kết nạp lại đảng viên" in text and "Kết nạp lại vào Đảng Cộng sản Việt Nam" in text


def test_personal_data_is_left_out_for_users_who_may_not_see_it(minh):
    text = text_of(documents.admission_decision(event(minh, E.ADMITTED), personal=False))
    assert "Lò Văn Minh" in text and "bản Nà Hỳ 1, xã Nà Hỳ" not in text


def test_recognition_decision_gives_the_official_date_and_the_admission_decision(minh):
    text = text_of(documents.recognition_decision(event(minh, E.MADE_OFFICIAL)))
    assert "Lò Văn Minh" in text and "Số 210-QĐ/HU" in text
    assert "ngày 01 tháng 6 năm 2016" in text
    assert "đảng viên chính thức kể từ ngày 19 tháng 5 năm 2016" in text
    assert "Quyết định số 125-QĐ/HU, ngày 04-5-2015 của Ban Thường vụ Huyện ủy Mường Lay" in text
    assert "Tuổi đảng của đồng chí Lò Văn Minh được tính từ ngày 04 tháng 5 năm 2015" in text


def test_transfer_letter_between_cells_gives_both_cells_and_the_reporting_deadline(minh):
    issued = dt.date(2020, 8, 28)
    deadline = R.deadline(issued, "transfer_report", R.rules_on(issued))
    text = text_of(documents.transfer_letter(event(minh, E.MOVED)))
    assert "Lò Văn Minh" in text and "Số 45-GGT/ĐU" in text
    assert "Nà Hỳ, ngày 28 tháng 8 năm 2020" in text
    assert "Chi bộ bản Nà Hỳ 1, Đảng bộ xã Nà Hỳ" in text  # from
    assert "Chi bộ bản Nà Hỳ 2, Đảng bộ xã Nà Hỳ" in text  # to
    assert "(nội bộ)" in text
    assert f"chậm nhất {core_documents.vietnamese_date(deadline)}" in text
    assert "ĐẢNG ỦY XÃ NÀ HỲ" in text and "T/M ĐẢNG ỦY" in text


def test_transfer_letter_out_of_the_database_takes_the_destination_from_the_note(minh):
    member_record_event(minh, kind=E.TRANSFERRED_OUT, effective_on=dt.date(2024, 3, 1),
                        note="Đảng bộ phường Him Lam <Khối A & B>, tỉnh Điện Biên", decision=Decision("12-GGT/ĐU"))
    text = text_of(documents.transfer_letter(event(minh, E.TRANSFERRED_OUT)))
    assert "Đảng bộ phường Him Lam <Khối A & B>, tỉnh Điện Biên" in text  # escaped into the XML, read back
    assert "Chi bộ bản Nà Hỳ 2" in text and "(chính thức)" in text
    assert "ngày 01 tháng 3 năm 2024" in text  # no decision date: issued on the day of the event


def test_badge_list_lists_the_members_due_in_scope(tree, organizer, make_member, old_cell):
    award = dt.date(2025, 2, 3)
    due = make_member(old_cell, name="Quàng Thị Vân", admitted_on=dt.date(1995, 1, 10),
                      made_official_on=dt.date(1996, 1, 10), birth_date=dt.date(1970, 4, 5))
    make_member(tree["C01"], name="Lường Văn Trẻ", admitted_on=dt.date(2015, 5, 19))
    assert [it.member for it in todo.badges_due(organizer, award)] == [due]
    text = text_of(documents.badge_list(organizer, award))
    assert "Quàng Thị Vân" in text and "Lường Văn Trẻ" not in text
    assert "đợt 03/02/2025" in text and "10/01/1995" in text
    assert "huy hiệu 30 năm tuổi Đảng: 1" in text
    assert core_documents.vietnamese_date(timezone.localdate()) in text
    assert "HUYỆN ỦY MƯỜNG LAY" in text
