"""The chi bộ that issues an official transfer letter to another chi bộ of the system: the member leaves its
scope at once (in transit to the receiving chi bộ), yet its secretary must still hand the letter over —
after the form it lands on a page it may see, and the letter stays its to download until the receipt."""

import datetime as dt

import pytest
from django.utils import timezone

from dangvu.core import documents as core_documents
from dangvu.lifecycle.models import Transfer

D = dt.date


@pytest.fixture
def secretary(tree, make_user, client):
    client.force_login(make_user("bithu_c01", tree["C01"], role="secretary"))


@pytest.fixture
def member(tree, make_member):
    return make_member(tree["C01"], made_official_on=D(2016, 5, 19))


def _issue(client, member):
    return client.post(f"/lifecycle/members/{member.code}/transfer/",
                       {"kind": "official", "issued_on": "01/03/2024", "to_cell": "C02", "letter_number": "15-GGT"})


def test_after_issuing_the_letter_the_sender_lands_on_a_page_it_may_see(client, secretary, member):
    r = _issue(client, member)
    assert r.status_code == 302
    assert client.get(r["Location"]).status_code == 200


def test_the_sender_still_downloads_the_letter_it_issued(client, secretary, member):
    _issue(client, member)
    t = Transfer.objects.get()
    url = f"/lifecycle/documents/events/{t.event_id}/transfer.docx"
    assert client.get(url).status_code == 200
    todo = client.get("/lifecycle/todo/").content.decode()
    assert url in todo  # the to-do row offers the letter
    assert f'href="/members/{member.code}/"' not in todo  # no link to a page now out of scope


@pytest.mark.parametrize("installed", [True, False])
def test_the_letter_s_pdf_is_offered_only_where_libreoffice_can_make_it(client, secretary, member, monkeypatch,
                                                                       installed):
    monkeypatch.setattr(core_documents.shutil, "which", lambda name: "/usr/bin/soffice" if installed else None)
    _issue(client, member)
    t = Transfer.objects.get()
    todo = client.get("/lifecycle/todo/").content.decode()
    assert f"/lifecycle/documents/events/{t.event_id}/transfer.docx" in todo
    assert (f"/lifecycle/documents/events/{t.event_id}/transfer.pdf" in todo) is installed


def test_another_chi_bo_does_not_download_the_letter(client, tree, make_user, member):
    client.force_login(make_user("bithu_c01", tree["C01"], role="secretary"))
    _issue(client, member)
    t = Transfer.objects.get()
    client.force_login(make_user("bithu_x02", tree["X02"], role="secretary"))
    assert client.get(f"/lifecycle/documents/events/{t.event_id}/transfer.docx").status_code == 404


def test_the_member_page_says_the_member_is_on_a_temporary_transfer(client, secretary, tree, make_member):
    """A temporary transfer records no member event: without this line the member's page never said it."""
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    today = timezone.localdate()
    r = client.post(f"/lifecycle/members/{m.code}/transfer/",
                    {"kind": "temporary", "issued_on": today.strftime("%d/%m/%Y"), "purpose": "training", "months": "6",
                     "destination": "Chi bộ lớp Trung cấp lý luận chính trị K12"})
    assert r.status_code == 302
    html = client.get(f"/members/{m.code}/").content.decode()
    until = Transfer.objects.get().until.strftime("%d/%m/%Y")
    assert "Chuyển sinh hoạt đảng tạm thời" in html and "Chi bộ lớp Trung cấp lý luận chính trị K12" in html
    assert until in html


def test_the_decision_given_on_the_transfer_form_is_kept_with_the_letter(client, secretary, member):
    r = client.post(f"/lifecycle/members/{member.code}/transfer/",
                    {"kind": "official", "issued_on": "01/03/2024", "to_cell": "C02", "letter_number": "15-GGT",
                     "decision_number": "88-QĐ/ĐU", "decision_date": "28/02/2024", "issued_by": "Đảng ủy xã Nà Hỳ"})
    assert r.status_code == 302
    event = Transfer.objects.get().event
    assert (event.decision_number, event.decision_date, event.issued_by) == ("88-QĐ/ĐU", D(2024, 2, 28),
                                                                            "Đảng ủy xã Nà Hỳ")
