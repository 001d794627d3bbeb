"""One person, one national ID number (issue 9): unique across the members and the open candidates —
a member and the candidate they came from (or the candidate for their readmission) being the same
person — in the services, the database, the web, the API and the import; the holder named only to a
user who may see them, anyone else given one neutral answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from dangvu.admission.models import Candidate
from dangvu.admission.services import candidate_propose
from dangvu.core.errors import DomainError
from dangvu.imports import samples
from dangvu.imports.services import import_workbook
from dangvu.imports.spec import COLUMNS, DANGVIEN, TOCHUC
from dangvu.members.identity import neutral_message
from dangvu.members.models import Member, MemberStatus
from dangvu.members.services import member_register, member_update_profile

D = dt.date
NUMBER = "001085000777"
#: What a user of commune X02 must never read about the holder in commune X01.
SECRETS = ("Nguyễn Văn An", "Chi bộ bản Nà Hỳ", "Vàng Thị Mai")


@pytest.fixture
def holder(tree, make_member):
    """A member of chi bộ C01 (commune X01) holding NUMBER."""
    return make_member(tree["C01"], name="Nguyễn Văn An", national_id_number=NUMBER)


@pytest.fixture
def x02(tree, make_user):
    return make_user("x02", tree["X02"], "organizer")


@pytest.fixture
def district(tree, make_user):
    return make_user("huyen", tree["H01"], "organizer")


def _refusal(call) -> DomainError:
    with pytest.raises(DomainError) as error:
        call()
    assert error.value.field == "national_id_number"
    return error.value


def _register(cell, actor, code="DV90001", number=NUMBER):
    return member_register(code=code, full_name="Lò Văn Minh", birth_date=D(1990, 1, 1), sex="M", ethnicity="Thái",
                           admitted_on=D(2015, 1, 1), cell=cell, national_id_number=number, actor=actor)


def _propose(cell, actor, number=NUMBER, **kw):
    kw = {"full_name": "Vàng Thị Mai", "birth_date": D(2000, 3, 15), "sex": "F", **kw}
    return candidate_propose(cell=cell, proposed_on=D(2024, 1, 10), ethnicity="Mông", national_id_number=number,
                             actor=actor, **kw)


def test_two_members_cannot_share_a_number_and_the_holder_is_named_only_within_scope(tree, holder, x02, district):
    outside = _refusal(lambda: _register(tree["X02"], x02))
    assert outside.message == neutral_message() and not any(s in outside.message for s in SECRETS)
    inside = _refusal(lambda: _register(tree["C02"], district))
    assert "Nguyễn Văn An" in inside.message and holder.code in inside.message
    other = _register(tree["X02"], x02, code="DV90002", number="001085000778")
    assert _refusal(lambda: member_update_profile(other, national_id_number=NUMBER, actor=x02)).message == outside.message
    assert not Member.objects.filter(code="DV90001").exists()
    member_update_profile(holder, national_id_number=NUMBER, phone="0912000111", actor=district)  # its own number


def test_the_database_refuses_two_members_with_one_number(tree, holder):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(code="DUP", full_name="Lò Văn Minh", given_name="Minh", birth_date=D(1990, 1, 1),
                              sex="M", ethnicity="01", admitted_on=D(2015, 1, 1), cell=tree["C01"],
                              national_id_number=NUMBER)
    Member.objects.filter(pk=holder.pk).update(national_id_number="")
    Member.objects.create(code="BLANK", full_name="Lò Văn Minh", given_name="Minh", birth_date=D(1990, 1, 1), sex="M",
                          ethnicity="01", admitted_on=D(2015, 1, 1), cell=tree["C01"])  # blank numbers repeat


def test_a_candidate_cannot_take_a_members_number_nor_another_candidates(tree, holder, x02, district):
    outside = _refusal(lambda: _propose(tree["X02"], x02))
    assert outside.message == neutral_message() and not any(s in outside.message for s in SECRETS)
    candidate = _propose(tree["C01"], district, number="001300000123")
    again = _refusal(lambda: _propose(tree["X02"], x02, number="001300000123"))
    assert again.message == outside.message  # a member or a candidate: the same answer outside the scope
    named = _refusal(lambda: _propose(tree["C02"], district, number="001300000123"))
    assert "Vàng Thị Mai" in named.message
    # a member cannot take an open candidate's number either
    assert _refusal(lambda: _register(tree["X02"], x02, number="001300000123")).message == outside.message
    with pytest.raises(IntegrityError), transaction.atomic():  # nor the database two open candidacies
        Candidate.objects.create(**{f.attname: getattr(candidate, f.attname) for f in Candidate._meta.concrete_fields
                                    if f.attname != "id"})


def test_the_person_a_candidate_becomes_or_was_is_no_conflict(tree, holder, district):
    """The readmission of a former member keeps the member's number; the candidate admitted keeps theirs
    (the whole admission is run by tests/test_readmission_lifecycle.py and admission's tests)."""
    from dangvu.members.models import MemberEventKind as E
    from dangvu.members.services import member_record_event

    member_record_event(holder, kind=E.RESIGNED, effective_on=D(2020, 1, 1))
    holder.refresh_from_db()
    assert holder.status == MemberStatus.RESIGNED
    c = _propose(tree["C01"], district, former_member=holder, birth_date=holder.birth_date, sex=holder.sex)
    assert c.national_id_number == NUMBER
    member_update_profile(holder, national_id_number=NUMBER, actor=district)
    admitted = _register(tree["C01"], district, code="DV90003", number="001300000999")
    assert admitted.national_id_number == "001300000999"


def test_the_web_form_answers_a_number_held_elsewhere_without_a_name(client, tree, holder, x02):
    client.force_login(x02)
    response = client.post(reverse("admission:candidate_create"), {
        "cell": tree["X02"].pk, "proposed_on": "10/01/2024", "full_name": "Vàng Thị Mai", "birth_date": "15/03/2000",
        "sex": "F", "ethnicity": "01", "national_id_number": NUMBER})
    html = response.content.decode()
    assert response.context["form"].errors["national_id_number"] == [neutral_message()]
    assert "Nguyễn Văn An" not in html and "Nà Hỳ" not in html and not Candidate.objects.exists()


def test_the_api_answers_a_number_held_elsewhere_without_a_name(tree, holder, x02):
    api = APIClient()
    api.force_authenticate(x02)
    response = api.post("/api/members/", {"code": "DV200", "full_name": "Lò Thị Mai", "birth_date": "1990-01-01",
                                          "sex": "F", "ethnicity": "Thái", "admitted_on": "2015-01-01", "cell": "X02",
                                          "national_id_number": NUMBER}, format="json")
    assert response.status_code == 400 and response.json()["national_id_number"] == [neutral_message()]
    assert not any(s in response.content.decode() for s in SECRETS)


HEADERS = {DANGVIEN: [c.label for c in COLUMNS[DANGVIEN] if not c.extra] + ["Số CCCD"]}


def _row(code, number, cell="X02"):
    return [code, "Lò Văn Minh", D(1980, 2, 3), "Nam", "Thái", "Không", D(2015, 1, 1), None, cell, None, "", "", "",
            "", "", number]


def test_the_import_refuses_a_number_twice_in_the_file_or_held_elsewhere(tree, holder, x02, tmp_path):
    path = tmp_path / "wb.xlsx"
    samples.write_workbook(path, {DANGVIEN: [_row("T1", "001085000111"), _row("T2", "001085000111"),
                                             _row("T3", NUMBER)]}, headers=HEADERS)
    result = import_workbook(path, dry_run=True, actor=x02)
    errors = {(i.sheet, i.row, i.column): i.message for i in result.errors}
    assert set(errors) == {(DANGVIEN, 3, "Số CCCD"), (DANGVIEN, 4, "Số CCCD")}
    assert "2" in errors[(DANGVIEN, 3, "Số CCCD")]  # the row of its first use
    assert errors[(DANGVIEN, 4, "Số CCCD")] == neutral_message()
    assert not any(s in m for m in errors.values() for s in SECRETS), errors
    # the command line (no scope) names the holder
    errors = {(i.sheet, i.row, i.column): i.message for i in import_workbook(path, dry_run=True).errors}
    assert "Nguyễn Văn An" in errors[(DANGVIEN, 4, "Số CCCD")]
    # a member's own number is no conflict
    own = tmp_path / "own.xlsx"
    samples.write_workbook(own, {DANGVIEN: [[holder.code, "Nguyễn Văn An", D(1985, 3, 2), "Nam", "Kinh", "Không",
                                             D(2015, 5, 19), None, "C01", None, "", "", "", "", "", NUMBER]]},
                           headers=HEADERS)
    assert import_workbook(own, dry_run=True).errors == []


def test_the_import_refuses_a_number_of_an_open_candidate(tree, district, tmp_path):
    _propose(tree["C01"], district, number="001300000123")
    path = tmp_path / "wb.xlsx"
    samples.write_workbook(path, {TOCHUC: [], DANGVIEN: [_row("T1", "001300000123")]}, headers=HEADERS)
    result = import_workbook(path, dry_run=True, actor=district)
    assert [(i.row, i.column) for i in result.errors] == [(2, "Số CCCD")]
    assert "Vàng Thị Mai" in result.errors[0].message
