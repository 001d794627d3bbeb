"""Downloading the generated documents: .docx attachments, scope, wrong addresses, PDF with or without
LibreOffice, the links on the member and to-do pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core import documents as core_documents
from dangvu.lifecycle import todo
from dangvu.lifecycle.tests.docx_files import DOCX, HAS_OFFICE, event, text_of
from dangvu.members.models import MemberEventKind as E


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
