"""Files out (issue 9): every spreadsheet the site and the command line write holds the user's text as
text. Names beginning with = + - @ are refused where they are entered; names stored before that rule
(or by another program) still leave as text, never as a live formula in the reader's spreadsheet."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from dangvu import cli
from dangvu.core.errors import DomainError
from dangvu.core.text import check_name_text
from dangvu.members.models import Member
from dangvu.organizations.models import Organization, OrganizationPeriod

D = dt.date
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)"]
YEAR = f"{dt.date.today().year}"


def _stored_as(formula: str, tree, make_member) -> Member:
    """The district, a cell and an official member without a card named `formula` in the database."""
    for org in (tree["H01"], tree["C01"]):
        Organization.objects.filter(pk=org.pk).update(name=f"{formula} {org.code}")
        OrganizationPeriod.objects.filter(organization=org).update(name=f"{formula} {org.code}")
    member = make_member(tree["C01"], admitted_on=D(1995, 12, 10), made_official_on=D(1996, 12, 10),
                         placed_on=D(2012, 1, 1), birth_date=D(1960, 1, 1))
    Member.objects.filter(pk=member.pk).update(full_name=f"{formula} Lò Văn Ẩn")
    return member


WEB_EXPORTS = {
    "snapshot": ("/reports/snapshot/", {"org": "H01", "as_of": "2024-12-31", "format": "xlsx"}),
    "flows": ("/reports/flows/", {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", "format": "xlsx"}),
    "badges": ("/reports/badges/", {"org": "H01", "award_date": f"{YEAR}-02-03", "format": "xlsx"}),
    "members": ("/members/export.xlsx", {}),
    "todo-cards": ("/lifecycle/todo/cards/", {"format": "xlsx"}),
    "import-template": ("/imports/template.xlsx", {}),
    "import-sample": ("/imports/sample.xlsx", {}),  # names no organization but by its code
}


def _cells(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def _assert_text(cells, formula: str, *, expected: bool = True) -> None:
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    hits = [c for c in cells if isinstance(c.value, str) and formula in c.value]
    assert all(c.data_type == "s" for c in hits)
    if expected:
        assert hits, f"{formula} is not in the workbook"


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("export", sorted(WEB_EXPORTS))
def test_every_web_export_writes_names_as_text(export, formula, client, tree, make_member, make_user):
    _stored_as(formula, tree, make_member)
    client.force_login(make_user("bantochuc", tree["H01"], "admin"))
    url, params = WEB_EXPORTS[export]
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    _assert_text(_cells(content), formula, expected=export != "import-sample")


CLI_REPORTS = {
    "snapshot": ["snapshot", "--org", "H01", "--as-of", "2024-12-31"],
    "flows": ["flows", "--org", "H01", "--from", "2024-01-01", "--to", "2024-12-31"],
    "badges": ["badges", "--org", "H01", "--award-date", f"{YEAR}-02-03"],
}


@pytest.mark.parametrize("formula", FORMULAS)
@pytest.mark.parametrize("report", sorted(CLI_REPORTS))
def test_every_command_line_report_writes_names_as_text(report, formula, tree, make_member, tmp_path, monkeypatch,
                                                        capsys):
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    _stored_as(formula, tree, make_member)
    path = tmp_path / "out.xlsx"
    try:
        code = cli.main(["report", *CLI_REPORTS[report], "--format", "xlsx", "--output", str(path)])
    except SystemExit as exc:
        code = exc.code
    assert code == 0, capsys.readouterr().err
    _assert_text(_cells(path.read_bytes()), formula)


@pytest.mark.parametrize("name", [*FORMULAS, " =1+2", "\t@x"])
def test_a_name_beginning_like_a_formula_is_refused(name):
    with pytest.raises(DomainError) as error:
        check_name_text(name, field="name")
    assert error.value.field == "name"


@pytest.mark.parametrize("name", ["Lò Văn Ẩn", "Chi bộ 1 - Bản Nà Hỳ", "", None])
def test_other_names_pass(name):
    check_name_text(name, field="name")


# --- refused where they are entered: web forms, API, import ---------------------------------------

def _errors(response) -> dict:
    return response.context["form"].errors


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_web_forms_refuse_a_formula_name_on_its_field(formula, client, tree, make_user, make_member):
    from django.urls import reverse

    from dangvu.admission.models import Candidate

    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    establish = client.post("/organizations/X01/establish/", {
        "code": "C03", "name": formula, "kind": "subordinate_cell", "established_on": "15/03/2025"})
    rename = client.post("/organizations/C01/rename/", {"name": f"{formula} Chi bộ", "effective_on": "15/03/2025"})
    member = client.post("/members/new/", {
        "code": "DV90001", "full_name": f"{formula} Lò Văn Minh", "birth_date": "05/06/1990", "sex": "M",
        "ethnicity": "03", "admitted_on": "19/05/2015", "cell": tree["C01"].pk})
    edit = client.post(f"/members/{make_member(tree['C01']).code}/edit/", {
        "full_name": "Lò Văn Minh", "birth_date": "05/06/1990", "sex": "M", "ethnicity": "03", "other_names": formula})
    candidate = client.post(reverse("admission:candidate_create"), {
        "cell": tree["C01"].pk, "proposed_on": "10/01/2024", "full_name": f"{formula} Vàng Thị Mai",
        "birth_date": "15/03/2000", "sex": "F", "ethnicity": "01"})
    for response, field in ((establish, "name"), (rename, "name"), (member, "full_name"), (edit, "other_names"),
                            (candidate, "full_name")):
        assert response.status_code in (200, 400), response.request["PATH_INFO"]
        assert any("=, +, -" in e for e in _errors(response).get(field, [])), (response.request["PATH_INFO"],
                                                                                _errors(response))
    assert not Organization.objects.filter(code="C03").exists() and not Member.objects.filter(code="DV90001").exists()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_api_refuses_a_formula_name_on_its_field(formula, tree, make_user):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_user("bantochuc", tree["H01"], "organizer"))
    answers = {
        "name": api.post("/api/organizations/", {"code": "C09", "name": formula, "kind": "subordinate_cell",
                                                 "parent": "X01"}, format="json"),
        "full_name": api.post("/api/members/", {"code": "DV200", "full_name": f"{formula} Lò Thị Mai",
                                                "birth_date": "1990-01-01", "sex": "F", "ethnicity": "Thái",
                                                "admitted_on": "2015-01-01", "cell": "C01"}, format="json"),
    }
    candidate = api.post("/api/candidates/", {"cell": "C01", "proposed_on": "2024-01-10", "full_name": formula,
                                              "birth_date": "2000-03-15", "sex": "F", "ethnicity": "Mông"},
                         format="json")
    rename = api.post("/api/organizations/C01/rename/", {"name": formula, "effective_on": "2024-01-01"}, format="json")
    for field, response in [*answers.items(), ("full_name", candidate), ("name", rename)]:
        assert response.status_code == 400 and field in response.json(), response.content


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_import_refuses_a_formula_name_on_its_row(formula, db, tmp_path):
    from dangvu.imports import samples
    from dangvu.imports.services import import_workbook
    from dangvu.imports.spec import DANGVIEN, TOCHUC

    orgs = [["R", "Đảng bộ huyện Thử", "Đảng bộ huyện", "", None, None, ""],
            ["R-C1", formula, "Chi bộ trực thuộc", "R", None, None, ""]]
    member = ["T1", f"{formula} Lò Văn Minh", D(1980, 2, 3), "Nam", "Thái", "Không", D(2010, 1, 1), None, "R",
              None, "", "", "", "", ""]
    path = tmp_path / "wb.xlsx"
    samples.write_workbook(path, {TOCHUC: orgs, DANGVIEN: [member]})
    result = import_workbook(path, dry_run=True)
    assert {(i.sheet, i.row, i.column) for i in result.errors} >= {(TOCHUC, 3, "Tên"), (DANGVIEN, 2, "Họ và tên")}
    assert all(i.message for i in result.errors)
