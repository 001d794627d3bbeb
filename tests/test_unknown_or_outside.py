"""One answer for "outside your scope" and "does not exist" (issue 9): every lookup by code a user types —
the receiving chi bộ of a transfer (form and API), the codes of an import, a party card number held —
answers a code outside the user's scope exactly as a code nobody has, and names no one outside it."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from dangvu.imports import samples
from dangvu.imports.services import import_workbook
from dangvu.imports.spec import BIENDONG, DANGVIEN, TOCHUC, XEPLOAI
from dangvu.lifecycle.services import issue_card
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import organization_close, organization_establish

D = dt.date
NOBODY = "ZZ404"


@pytest.fixture
def x02(tree, make_user):
    """An organizer of X02 (a grassroots chi bộ under the district), outside X01 and its cells."""
    return make_user("x02", tree["X02"], "organizer")


@pytest.fixture
def gone(tree):
    """A chi bộ of commune X01 dissolved in 2020: no destination, and not in the scope of X02."""
    cell = organization_establish(code="C09", name="Chi bộ bản Cũ", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                                  established_on=D(2012, 1, 1))
    return organization_close(cell, effective_on=D(2020, 1, 1))


def _same(message: str, code: str) -> str:
    return message.replace(code, "CODE")


# --- the receiving chi bộ of a transfer --------------------------------------------------------------


def _form_error(client, member, code) -> str:
    response = client.post(f"/lifecycle/members/{member.code}/transfer/", {
        "kind": "official", "issued_on": "01/03/2024", "to_cell": code})
    assert response.status_code == 200
    return response.context["form"].errors["to_cell"][0]


@pytest.mark.parametrize("code", ["X01", "C09", "H01"])
def test_the_transfer_form_answers_an_organization_outside_the_scope_as_an_unknown_code(code, client, tree, x02,
                                                                                        make_member, gone):
    member = make_member(tree["X02"])
    client.force_login(x02)
    answer = _form_error(client, member, code)
    assert answer == _form_error(client, member, NOBODY)
    assert not any(name in answer for name in ("Nà Hỳ", "Cũ", "Mường Lay"))


def test_a_chi_bo_of_another_commune_still_receives_a_transfer(client, tree, x02, make_member):
    member = make_member(tree["X02"])
    client.force_login(x02)
    response = client.post(f"/lifecycle/members/{member.code}/transfer/", {
        "kind": "official", "issued_on": "01/03/2024", "to_cell": "C01"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.cell_id == tree["C01"].pk


@pytest.mark.parametrize("code", ["X01", "C09", "H01"])
def test_the_transfer_api_answers_an_organization_outside_the_scope_as_an_unknown_code(code, tree, x02, make_member,
                                                                                       gone):
    member = make_member(tree["X02"])
    api = APIClient()
    api.force_authenticate(x02)

    def answer(to_cell):
        response = api.post(f"/api/lifecycle/members/{member.code}/transfer/",
                            {"kind": "official", "issued_on": "2024-03-01", "to_cell": to_cell}, format="json")
        assert response.status_code == 400
        return response.json()

    assert answer(code) == answer(NOBODY)


def test_within_the_scope_the_refusal_says_why(client, tree, make_user, make_member, gone):
    member = make_member(tree["C01"])
    client.force_login(make_user("bantochucxa", tree["X01"], "organizer"))
    assert "Cũ" in _form_error(client, member, "C09")  # dissolved: said, with its name


# --- the codes of an import ------------------------------------------------------------------------


def _errors(tmp_path, sheets, actor) -> dict:
    path = tmp_path / f"wb{len(list(tmp_path.iterdir()))}.xlsx"
    samples.write_workbook(path, sheets)
    return {(i.sheet, i.row, i.column): i.message for i in import_workbook(path, dry_run=True, actor=actor).errors}


def _member_row(code, cell):
    return [code, "Lò Văn Minh", D(1980, 2, 3), "Nam", "Thái", "Không", D(2015, 1, 1), None, cell, None, "", "", "",
            "", ""]


def test_every_import_code_outside_the_scope_answers_as_an_unknown_code(tmp_path, tree, x02, make_member):
    other = make_member(tree["C01"], name="Nguyễn Văn Khác")
    cases = [  # (sheet, column, rows for a code) — each asked with a code outside the scope and with NOBODY
        (TOCHUC, "Mã cấp trên", lambda c: [["N1", "Chi bộ mới", "Chi bộ trực thuộc", c, None, None, ""]], "X01"),
        (DANGVIEN, "Chi bộ", lambda c: [_member_row("N1", c)], "C01"),
        (BIENDONG, "Mã đảng viên", lambda c: [[c, "Từ trần", D(2024, 1, 1), "", "", "", ""]], other.code),
        (XEPLOAI, "Mã", lambda c: [[2023, c, "Hoàn thành tốt nhiệm vụ"]], other.code),
        (XEPLOAI, "Mã", lambda c: [[2023, c, "Hoàn thành tốt nhiệm vụ"]], "X01"),
    ]
    for sheet, column, rows, outside in cases:
        out = _errors(tmp_path, {sheet: rows(outside)}, x02)
        none = _errors(tmp_path, {sheet: rows(NOBODY)}, x02)
        assert list(out) == list(none) == [(sheet, 2, column)], (sheet, out, none)
        assert _same(out[(sheet, 2, column)], outside) == _same(none[(sheet, 2, column)], NOBODY), (sheet, out, none)
        assert "Khác" not in out[(sheet, 2, column)] and "Nà Hỳ" not in out[(sheet, 2, column)]


# --- a party card number held -----------------------------------------------------------------------


def test_a_card_number_held_outside_the_scope_names_no_one(tree, x02, make_member, make_user):
    holder = make_member(tree["C01"], name="Nguyễn Văn Khác", made_official_on=D(2016, 5, 19))
    issue_card(holder, number="12345678", issued_on=D(2020, 1, 1))
    mine = make_member(tree["X02"], made_official_on=D(2016, 5, 19))
    with pytest.raises(Exception) as outside:
        issue_card(mine, number="12345678", issued_on=D(2024, 1, 1), actor=x02)
    assert "Khác" not in str(outside.value) and holder.code not in str(outside.value)
    with pytest.raises(Exception) as inside:
        issue_card(mine, number="12345678", issued_on=D(2024, 1, 1), actor=make_user("huyen", tree["H01"]))
    assert "Khác" in str(inside.value)
