"""Documents generated from the records: the five .docx, the administrator's templates, scope, PDF."""

import datetime as dt
import io
import shutil

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document

from dangvu import regulations as R
from dangvu.core import documents as core_documents
from dangvu.lifecycle import documents, services, todo
from dangvu.lifecycle.documents import header
from dangvu.members.models import MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.services import Decision, Vote

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HAS_OFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))


def text_of(content: bytes) -> str:
    """Every paragraph of a .docx, tables included, one per line."""
    doc = Document(io.BytesIO(content))
    lines = []

    def walk(container):
        for p in container.paragraphs:
            lines.append(p.text)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(doc)
    return "\n".join(lines)


@pytest.fixture
def minh(tree, make_member):
    """Admitted in C01 by a decision of the district standing committee, recognised, moved to C02."""
    m = make_member(
        tree["C01"], name="Lò Văn Minh", admitted_on=dt.date(2015, 5, 19), birth_date=dt.date(1985, 3, 2),
        decision=Decision("125-QĐ/HU", dt.date(2015, 5, 4), "Ban Thường vụ Huyện ủy Mường Lay"),
        home_town="xã Nà Hỳ, huyện Mường Lay", residence="bản Nà Hỳ 1, xã Nà Hỳ", occupation="Giáo viên",
    )
    services.recognize_official(m, decided_on=dt.date(2016, 6, 1), vote=Vote(9, 9, 8),
                                decision=Decision("210-QĐ/HU", dt.date(2016, 6, 1), "Ban Thường vụ Huyện ủy Mường Lay"))
    member_record_event(m, kind=E.MOVED, effective_on=dt.date(2020, 9, 2), cell=tree["C02"],
                        decision=Decision("45-GGT/ĐU", dt.date(2020, 8, 28), "Đảng ủy xã Nà Hỳ"))
    m.refresh_from_db()
    return m


def event(member, kind):
    return MemberEvent.objects.select_related("member", "cell").get(member=member, kind=kind)


# ---------------------------------------------------------------------------------------------- dates


def test_the_regulation_in_force_on_the_decision_date_is_cited():
    day = dt.date(2022, 3, 1)
    assert header.regulation_citation(R.rules_on(day), day) == (
        "Quy định số 24-QĐ/TW, ngày 30-7-2021 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng")


def test_committee_and_place_names_are_derived_from_organization_names():
    unit = header.Unit
    assert header.committee_name(unit(1, "Đảng bộ huyện Mường Lay", "district")) == "Huyện ủy Mường Lay"
    assert header.committee_name(unit(1, "Đảng bộ xã Nà Hỳ", "grassroots_committee")) == "Đảng ủy xã Nà Hỳ"
    assert header.committee_name(unit(1, "Chi bộ bản Nà Hỳ 1", "subordinate_cell")) == "Chi bộ bản Nà Hỳ 1"
    assert header.place_of("Đảng ủy xã Nà Hỳ") == "Nà Hỳ"
    assert header.place_of("Huyện ủy Mường Lay") == "Mường Lay"
    assert header.place_of("Chi bộ Trường THCS Nà Bủng") == ""


# ---------------------------------------------------------------------------------------------- the five documents


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


# ---------------------------------------------------------------------------------------------- templates


def _replacement(path, text):
    doc = Document()
    doc.add_paragraph(text)
    doc.save(path)


def test_an_administrators_template_is_used_when_present(minh, settings, tmp_path):
    settings.DANGVU_TEMPLATE_DIR = tmp_path
    _replacement(tmp_path / "member_sheet.docx", "MẪU CỦA TỈNH: {{ m.name }}, {{ m.admitted_on }}")
    assert text_of(documents.member_sheet(minh)) == "MẪU CỦA TỈNH: Lò Văn Minh, ngày 19 tháng 5 năm 2015"
    # The other documents still come from the shipped templates.
    assert "QUYẾT ĐỊNH" in text_of(documents.admission_decision(event(minh, E.ADMITTED)))


def test_a_broken_administrators_template_gives_a_clear_page_not_a_server_error(client, organizer, minh, settings,
                                                                                  tmp_path):
    settings.DANGVU_TEMPLATE_DIR = tmp_path
    (tmp_path / "member_sheet.docx").write_bytes(b"not a docx")
    with pytest.raises(core_documents.DocumentError):
        documents.member_sheet(minh)
    client.force_login(organizer)
    response = client.get(reverse("lifecycle:document_sheet", kwargs={"code": minh.code, "fmt": "docx"}))
    assert response.status_code == 503
    assert "member_sheet.docx" in response.content.decode()


def test_the_shipped_templates_are_the_ones_build_py_makes(tmp_path):
    from dangvu.lifecycle.document_templates import build

    for path in build.build(tmp_path):
        assert text_of(path.read_bytes()) == text_of((documents.SHIPPED_DIR / path.name).read_bytes())


# ---------------------------------------------------------------------------------------------- views


def test_downloads_are_docx_attachments(client, organizer, minh):
    client.force_login(organizer)
    urls = [
        reverse("lifecycle:document_sheet", kwargs={"code": minh.code, "fmt": "docx"}),
        reverse("lifecycle:document_event", kwargs={"pk": event(minh, E.ADMITTED).pk, "kind": "admission", "fmt": "docx"}),
        reverse("lifecycle:document_event", kwargs={"pk": event(minh, E.MADE_OFFICIAL).pk, "kind": "recognition",
                                                    "fmt": "docx"}),
        reverse("lifecycle:document_event", kwargs={"pk": event(minh, E.MOVED).pk, "kind": "transfer", "fmt": "docx"}),
        reverse("lifecycle:document_badges", kwargs={"day": "19-05-2025", "fmt": "docx"}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == DOCX
        assert response["Content-Disposition"].startswith("attachment;") and ".docx" in response["Content-Disposition"]
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text_of(response.content)


def test_a_viewer_in_scope_may_download(client, tree, make_user, minh):
    client.force_login(make_user("chixem", tree["X01"], role="viewer"))
    response = client.get(reverse("lifecycle:document_sheet", kwargs={"code": minh.code, "fmt": "docx"}))
    assert response.status_code == 200
    assert "Lò Văn Minh".upper() in text_of(response.content)
    assert "bản Nà Hỳ 1, xã Nà Hỳ" not in text_of(response.content)  # a viewer sees no personal data


def test_documents_outside_the_users_scope_are_404(client, tree, make_user, minh):
    client.force_login(make_user("xakhac", tree["X02"]))
    assert client.get(reverse("lifecycle:document_sheet", kwargs={"code": minh.code, "fmt": "docx"})).status_code == 404
    for kind, ev_kind in (("admission", E.ADMITTED), ("recognition", E.MADE_OFFICIAL), ("transfer", E.MOVED)):
        url = reverse("lifecycle:document_event", kwargs={"pk": event(minh, ev_kind).pk, "kind": kind, "fmt": "docx"})
        assert client.get(url).status_code == 404


def test_wrong_kind_format_or_date_is_404(client, organizer, minh):
    client.force_login(organizer)
    admitted = event(minh, E.ADMITTED).pk
    assert client.get(f"/lifecycle/documents/events/{admitted}/transfer.docx").status_code == 404
    assert client.get(f"/lifecycle/documents/events/{admitted}/other.docx").status_code == 404
    assert client.get(f"/lifecycle/documents/events/{admitted}/admission.odt").status_code == 404
    assert client.get("/lifecycle/documents/badges/31-02-2025.docx").status_code == 404


def test_anonymous_users_are_sent_to_login(client, minh):
    response = client.get(reverse("lifecycle:document_sheet", kwargs={"code": minh.code, "fmt": "docx"}))
    assert response.status_code == 302 and "login" in response["Location"]


def test_pdf_without_libreoffice_says_so_and_offers_the_docx(client, organizer, minh, monkeypatch):
    monkeypatch.setattr(core_documents.shutil, "which", lambda name: None)
    client.force_login(organizer)
    pk = event(minh, E.ADMITTED).pk
    response = client.get(reverse("lifecycle:document_event", kwargs={"pk": pk, "kind": "admission", "fmt": "pdf"}))
    assert response.status_code == 503
    page = response.content.decode()
    assert _("PDF needs LibreOffice installed on the server; download the .docx instead.") in page
    assert reverse("lifecycle:document_event", kwargs={"pk": pk, "kind": "admission", "fmt": "docx"}) in page


@pytest.mark.skipif(not HAS_OFFICE, reason="LibreOffice (soffice) is not installed")
def test_pdf_is_made_with_libreoffice_when_installed(client, organizer, minh):
    client.force_login(organizer)
    response = client.get(reverse("lifecycle:document_sheet", kwargs={"code": minh.code, "fmt": "pdf"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_member_page_links_the_sheet_and_the_documents_of_its_events(client, organizer, minh):
    client.force_login(organizer)
    page = client.get(reverse("members:detail", kwargs={"code": minh.code})).content.decode()
    assert reverse("lifecycle:document_sheet", kwargs={"code": minh.code, "fmt": "docx"}) in page
    for kind, ev_kind in (("admission", E.ADMITTED), ("recognition", E.MADE_OFFICIAL), ("transfer", E.MOVED)):
        url = reverse("lifecycle:document_event", kwargs={"pk": event(minh, ev_kind).pk, "kind": kind, "fmt": "docx"})
        assert url in page


@pytest.mark.parametrize("installed", [False, True])
def test_pdf_links_are_offered_only_where_libreoffice_can_make_them(client, organizer, minh, make_member, old_cell,
                                                                    monkeypatch, installed):
    monkeypatch.setattr(core_documents.shutil, "which", lambda name: "/usr/bin/soffice" if installed else None)
    award = todo.next_award_date(timezone.localdate())
    make_member(old_cell, name="Quàng Thị Vân", admitted_on=R.add_months(award, -12 * 30),
                made_official_on=R.add_months(award, -12 * 29), birth_date=dt.date(1960, 4, 5))
    client.force_login(organizer)
    member_page = client.get(reverse("members:detail", kwargs={"code": minh.code})).content.decode()
    todo_page = client.get(reverse("lifecycle:todo")).content.decode()
    pdf = reverse("lifecycle:document_event", kwargs={"pk": event(minh, E.ADMITTED).pk, "kind": "admission", "fmt": "pdf"})
    badges_pdf = reverse("lifecycle:document_badges", kwargs={"day": award.strftime("%d-%m-%Y"), "fmt": "pdf"})
    assert (pdf in member_page, badges_pdf in todo_page) == (installed, installed)
    assert core_documents.pdf_available() is installed


def test_todo_page_links_the_badge_list(client, organizer, make_member, old_cell):
    award = todo.next_award_date(timezone.localdate())
    make_member(old_cell, name="Quàng Thị Vân", admitted_on=R.add_months(award, -12 * 30),
                made_official_on=R.add_months(award, -12 * 29), birth_date=dt.date(1960, 4, 5))
    client.force_login(organizer)
    page = client.get(reverse("lifecycle:todo")).content.decode()
    assert reverse("lifecycle:document_badges", kwargs={"day": award.strftime("%d-%m-%Y"), "fmt": "docx"}) in page
