"""`report badges` (contracts §1, §3): the members due a Party badge on an award occasion, each once
with the one badge due — on the command line, the web page and the API, within the user's scope."""

import datetime as dt
import io
import json

import jsonschema
import openpyxl
import pytest
from tests.contracts.test_api_schema import basic

from dangvu import cli
from dangvu import regulations as R
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.reports import queries

D = dt.date
AWARD = D(2026, 2, 3)
PASSWORD = "Mat-khau-an-toan-2026"

#: contracts §3 `report badges`, as a JSON Schema (extra keys allowed: contracts grow by adding keys).
CONTRACT = {
    "type": "object",
    "required": ["org", "award_date", "due", "members"],
    "properties": {
        "org": {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}},
        "award_date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "due": {"type": "object", "patternProperties": {r"^\d+$": {"type": "integer", "minimum": 1}},
                "additionalProperties": False},
        "members": {"type": "array", "items": {
            "type": "object", "required": ["code", "name", "milestone"],
            "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "milestone": {"type": "integer"}},
        }},
    },
}


def _member(make_member, cell, name, admitted_on, badges=()):
    """An official member admitted `admitted_on` elsewhere, placed in `cell` since 2012, holding `badges`."""
    m = make_member(cell, name=name, admitted_on=admitted_on, made_official_on=R.add_months(admitted_on, 12),
                    placed_on=D(2012, 1, 1), birth_date=D(1945, 1, 1))
    for years, day in badges:
        member_record_event(m, kind=E.BADGE_AWARDED, effective_on=day, value=str(years))
    return m


@pytest.fixture
def members(tree, make_member):
    return {
        # Hờ A Hồ (NP00226 in the demo): admitted 1968, holds the 45, 50 and 55-year badges: nothing due.
        "ho": _member(make_member, tree["C01"], "Hờ A Hồ", D(1968, 5, 1),
                      [(45, D(2013, 5, 19)), (50, D(2018, 5, 19)), (55, D(2023, 5, 19))]),
        # 46 years, only the 30-year badge: the 45-year badge is due (not the 40-year one).
        "sung": _member(make_member, tree["C02"], "Giàng Thị Sùng", D(1980, 1, 10), [(30, D(2013, 2, 3))]),
        # 30 years on 10/01/2026, never given a badge.
        "van": _member(make_member, tree["C01"], "Quàng Thị Vân", D(1995, 12, 10)),
        # Another commune.
        "minh": _member(make_member, tree["X02"], "Lò Văn Minh", D(1996, 1, 10)),
    }


def test_each_member_is_listed_once_with_the_one_badge_due_never_one_below_a_badge_held(members, tree):
    data = queries.badges(tree["X01"], AWARD)
    jsonschema.validate(data, CONTRACT)
    assert data["org"]["code"] == "X01" and data["award_date"] == "2026-02-03"
    assert sorted((m["code"], m["milestone"]) for m in data["members"]) == sorted(
        [(members["sung"].code, 45), (members["van"].code, 30)])
    assert data["due"] == {"30": 1, "45": 1}
    everyone = queries.badges(tree["H01"], AWARD)
    assert everyone["due"] == {"30": 2, "45": 1} and members["ho"].code not in {m["code"] for m in everyone["members"]}


def test_the_cli_writes_the_contract_json_and_an_xlsx(members, tree, monkeypatch, capsys, tmp_path):
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args):
        try:
            code = cli.main(["report", "badges", *args])
        except SystemExit as exc:
            code = exc.code
        return code, *capsys.readouterr()

    code, out, err = run("--org", "X01", "--award-date", "2026-02-03", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    jsonschema.validate(data, CONTRACT)
    assert data["due"] == {"30": 1, "45": 1}
    path = tmp_path / "badges.xlsx"
    code, out, err = run("--org", "X01", "--award-date", "03/02/2026", "--format", "xlsx", "--output", str(path))
    assert code == 0, err
    cells = [c for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True) for c in row if c is not None]
    assert "Giàng Thị Sùng" in cells and "Hờ A Hồ" not in cells and 45 in cells
    code, out, err = run("--org", "X01", "--format", "json")
    assert code == 1 and "--award-date" in err and "Traceback" not in err
    code, out, err = run("--org", "X01", "--award-date", "2026-02-30")
    assert code == 1 and "Traceback" not in err


def test_the_web_page_lists_the_badges_due_in_scope_and_answers_404_outside(members, tree, make_user, client):
    client.force_login(make_user("xa1", tree["X01"], "organizer"))
    page = client.get("/reports/badges/", {"org": "X01", "award_date": "03/02/2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Giàng Thị Sùng" in html and "Quàng Thị Vân" in html and "Hờ A Hồ" not in html
    assert f'data-code="{members["minh"].code}"' not in html
    assert client.get("/reports/badges/", {"org": "X02", "award_date": "03/02/2026"}).status_code == 404
    assert client.get("/reports/badges/", {"org": "X01", "award_date": "31/02/2026"}).status_code == 400
    download = client.get("/reports/badges/", {"org": "X01", "award_date": "2026-02-03", "format": "xlsx"})
    assert download.status_code == 200 and "de-nghi-huy-hieu-X01-2026-02-03.xlsx" in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert "Quàng Thị Vân" in [c for row in sheet.iter_rows(values_only=True) for c in row]


def test_the_api_answers_the_contract_json_within_scope(members, tree, make_user, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = make_user("xa1", tree["X01"], "organizer")
    api = basic(user)
    response = api.get("/api/reports/badges/", {"org": "X01", "award_date": "2026-02-03"})
    assert response.status_code == 200
    jsonschema.validate(response.json(), CONTRACT)
    assert response.json()["due"] == {"30": 1, "45": 1}
    assert api.get("/api/reports/badges/", {"org": "X02", "award_date": "2026-02-03"}).status_code == 404
    assert api.get("/api/reports/badges/", {"org": "X01", "award_date": "03/02"}).status_code == 400


def test_the_report_lists_what_the_member_by_member_rule_lists(members, tree, make_member):
    """The report reads values (no model objects); its members and order are those of the to-do list,
    which applies the rule to each member object — here with a discipline delay too."""
    from dangvu.lifecycle import services
    from dangvu.lifecycle.todo import badges_due_among
    from dangvu.members.selectors import members_in_subtree

    _member(make_member, tree["C02"], "Quàng Văn Tư", D(1995, 12, 10))  # admitted the day Quàng Thị Vân was
    delayed = _member(make_member, tree["C02"], "Lò Thị Hoa", D(1990, 12, 1))
    services.discipline(delayed, form="warning", decided_on=D(2025, 9, 1))
    for day in (AWARD, D(2027, 2, 3)):
        expected = [(i.member.code, i.member.full_name, i.milestone, i.member.cell.code)
                    for i in badges_due_among(members_in_subtree(tree["H01"]), day)]
        rows = queries.badges(tree["H01"], day)["members"]
        assert [(r["code"], r["name"], r["milestone"], r["cell"]["code"]) for r in rows] == expected
    assert delayed.code not in {r["code"] for r in queries.badges(tree["H01"], AWARD)["members"]}
    assert delayed.code in {r["code"] for r in queries.badges(tree["H01"], D(2027, 2, 3))["members"]}


def test_the_web_page_shows_the_members_a_page_at_a_time(members, tree, make_user, client, monkeypatch):
    from dangvu.reports import views

    monkeypatch.setattr(views, "BADGES_PAGE_SIZE", 2)
    client.force_login(make_user("huyen1", tree["H01"], "organizer"))
    query = {"org": "H01", "award_date": "03/02/2026"}
    first = client.get("/reports/badges/", query).content.decode()
    second = client.get("/reports/badges/", {**query, "page": 2}).content.decode()
    codes = [m["code"] for m in queries.badges(tree["H01"], AWARD)["members"]]
    assert len(codes) == 3
    assert [c for c in codes if f'data-code="{c}"' in first] == codes[:2]
    assert [c for c in codes if f'data-code="{c}"' in second] == codes[2:]
    assert '<td class="num">3</td>' in second and "page=2" in first


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "01/01/1000"])
def test_an_award_date_outside_the_accepted_dates_is_a_message_not_a_server_error(
        day, members, tree, make_user, client, monkeypatch, capsys):
    client.force_login(make_user("xa1", tree["X01"], "organizer"))
    for query in ({"org": "X01", "award_date": day}, {"org": "X01", "award_date": day, "format": "xlsx"}):
        page = client.get("/reports/badges/", query)
        assert page.status_code == 400
        assert "ngoài khoảng ngày" in page.content.decode()
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    capsys.readouterr()
    try:
        code = cli.main(["report", "badges", "--org", "X01", "--award-date", day, "--format", "json"])
    except SystemExit as exc:
        code = exc.code
    assert code == 1 and "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(("day", "nearest"), [
    (D(2026, 2, 3), None), (D(2026, 11, 7), None), (D(2026, 2, 13), D(2026, 2, 3)), (D(2026, 1, 1), D(2026, 2, 3)),
    (D(2026, 12, 31), D(2027, 2, 3)), (D(2026, 12, 1), D(2026, 11, 7))])
def test_the_nearest_regular_award_occasion_of_a_day_off_the_rules(day, nearest):
    assert R.nearest_award_occasion(day, R.rules_on(day)) == nearest


def test_a_day_off_the_award_occasions_is_listed_with_a_notice_naming_the_nearest_one(
        members, tree, make_user, client, monkeypatch, capsys, settings):
    """The rules award badges on 3/2, 19/5, 2/9 and 7/11 (`badge_award_days`); another day may be an occasion
    a committee decides, so it is not refused: the page says so and links the nearest regular occasion, the JSON
    adds `warnings` (contracts §3: keys may be added), the command line says it on stderr."""
    from html import unescape

    client.force_login(make_user("xa1", tree["X01"], "organizer"))
    page = client.get("/reports/badges/", {"org": "X01", "award_date": "13/02/2026"})
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert 'id="badges-occasion-notice"' in html and "13/02/2026" in html and "03/02/2026" in html
    assert "/reports/badges/?org=X01&award_date=2026-02-03" in html  # the nearest regular occasion, one click
    assert "Giàng Thị Sùng" in html  # still the list the committee asked for
    download = client.get("/reports/badges/", {"org": "X01", "award_date": "2026-02-13", "format": "xlsx"})
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert any("03/02/2026" in c for c in cells)  # the notice under the list
    regular = client.get("/reports/badges/", {"org": "X01", "award_date": "03/02/2026"}).content.decode()
    assert 'id="badges-occasion-notice"' not in regular

    data = queries.badges(tree["X01"], D(2026, 2, 13))
    jsonschema.validate(data, CONTRACT)
    assert [(w["code"], w["nearest"]) for w in data["warnings"]] == [("award_date_not_regular", "2026-02-03")]
    assert queries.badges(tree["X01"], AWARD)["warnings"] == []

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    answer = basic(make_user("xa2", tree["X01"], "organizer")).get(
        "/api/reports/badges/", {"org": "X01", "award_date": "2026-02-13"}).json()
    assert answer["warnings"][0]["nearest"] == "2026-02-03"

    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    capsys.readouterr()
    try:
        code = cli.main(["report", "badges", "--org", "X01", "--award-date", "2026-02-13", "--format", "json"])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["warnings"][0]["code"] == "award_date_not_regular"
    assert "03/02/2026" in err
