"""`report flows` on every output: the lists behind the figures, the command line, the web page, the API
and the workbook; a restructuring across the boundary on each."""

import io
import json

import openpyxl
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu import cli
from dangvu.core.errors import DomainError
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_readmit, member_record_event
from dangvu.organizations.services import Decision, organization_move
from dangvu.reports import exporters
from dangvu.reports.queries import FLOW_KEYS, FLOW_LIST_KEYS, flow_members, flows, flows_unexplained

from .flows_helpers import D, F, T, figures, listed, record

URL = "/reports/flows/"
API = "/api/reports/flows/"
CONTRACT_KEYS = {"org", "from", "to", *FLOW_KEYS, "badges_awarded"}


# --- The lists behind the figures ----------------------------------------------------------------


@pytest.fixture
def year(big_tree, make_member):
    """A year with one of every flow, for the lists."""
    t = big_tree
    old = {"admitted_on": D(1984, 1, 1), "made_official_on": D(1985, 1, 1), "birth_date": D(1960, 1, 1),
           "placed_on": D(2012, 1, 1)}
    people = {
        "admitted": make_member(t["C01"], name="Lò Văn Nạp", admitted_on=D(2024, 2, 1)),
        "made_official": make_member(t["C01"], name="Lường Thị Chính", admitted_on=D(2023, 2, 1),
                                     made_official_on=D(2024, 2, 1), sex="F"),
        "moved_in": make_member(t["C03"], name="Quàng Văn Đến", made_official_on=D(2016, 5, 19)),
        "arrived": make_member(t["C04"], name="Cà Văn Về", admitted_on=D(2005, 1, 1), placed_on=D(2024, 3, 3)),
        "moved_out": make_member(t["C02"], name="Tòng Văn Đi", made_official_on=D(2016, 5, 19)),
        "left": make_member(t["C02"], name="Lù Văn Chuyển", made_official_on=D(2016, 5, 19)),
        "inside": make_member(t["C01"], name="Điêu Văn Trong", made_official_on=D(2016, 5, 19)),
        "old": make_member(t["C04"], name="Vì Văn Già", **old),
    }
    for kind, name in ((E.DIED, "Mùa A Mất"), (E.REMOVED, "Giàng A Xóa"), (E.EXPELLED, "Sùng A Trừ"),
                       (E.RESIGNED, "Vàng A Xin")):
        m = make_member(t["C02"], name=name, made_official_on=D(2016, 5, 19))
        record(m, kind, D(2024, 5, 5))
        people[kind.value] = m
    record(people["moved_in"], E.MOVED, D(2024, 4, 4), t["C01"])
    record(people["moved_out"], E.MOVED, D(2024, 4, 4), t["X02"])
    record(people["left"], E.TRANSFERRED_OUT, D(2024, 6, 6))
    record(people["inside"], E.MOVED, D(2024, 7, 7), t["C04"])
    record(people["old"], E.CARD_ISSUED, D(2024, 8, 8), value="01234567")
    record(people["old"], E.BADGE_AWARDED, D(2024, 8, 8), value="40")
    # removed before the year (a decrease of 2023), restored in it
    people["restored"] = make_member(t["C02"], name="Hà Văn Phục", made_official_on=D(2016, 5, 19))
    record(people["restored"], E.REMOVED, D(2023, 3, 3))
    member_record_event(people["restored"], kind=E.RESTORED, effective_on=D(2024, 9, 9), cell=t["C01"],
                        decision=Decision("15-QĐ/HU", D(2024, 9, 1)))
    return people


def test_each_figure_has_its_list_of_events_and_members(big_tree, year):
    x1 = big_tree["X01"]
    data = flows(x1, F, T)
    assert {k: data[k] for k in FLOW_KEYS} == {
        "admitted": 1, "made_official": 1, "transferred_in": 2, "transferred_out": 2, "died": 1, "removed": 1,
        "expelled": 1, "resigned": 1, "cards_issued": 1, "restored": 1}
    assert data["badges_awarded"] == {"40": 1}
    assert flows_unexplained(data) == 0
    for key in FLOW_LIST_KEYS:
        events = list(flow_members(x1, F, T, key))
        expected = sum(data["badges_awarded"].values()) if key == "badges_awarded" else data[key]
        assert len(events) == expected, key
    names = {key: {e.member.full_name for e in flow_members(x1, F, T, key)} for key in FLOW_LIST_KEYS}
    assert names["transferred_in"] == {"Quàng Văn Đến", "Cà Văn Về"}
    assert names["transferred_out"] == {"Tòng Văn Đi", "Lù Văn Chuyển"}
    assert names["died"] == {"Mùa A Mất"} and names["expelled"] == {"Sùng A Trừ"}
    assert names["restored"] == {"Hà Văn Phục"}
    assert "Điêu Văn Trong" not in set().union(*names.values())  # moved inside the subtree


def test_a_readmission_counts_as_an_admission_of_its_period(big_tree, make_member):
    m = make_member(big_tree["C02"], name="Lò Văn Lại", made_official_on=D(2016, 5, 19))
    record(m, E.REMOVED, D(2020, 3, 3))
    member_readmit(m, on=D(2024, 6, 6), cell=big_tree["C01"], decision=Decision("7-QĐ/HU", D(2024, 6, 1)))
    x1 = big_tree["X01"]
    assert figures(x1) == {"admitted": 1}
    assert listed(x1, "admitted") == [(m.code, E.ADMITTED, D(2024, 6, 6))]
    data = flows(x1, F, T)
    assert (data["members_start"], data["members_end"], flows_unexplained(data)) == (0, 1, 0)
    assert figures(x1, D(2020, 1, 1), D(2020, 12, 31)) == {"removed": 1}


def test_the_list_says_where_the_member_was_before_and_after(big_tree, year):
    moved_in = flow_members(big_tree["X01"], F, T, "transferred_in").get(member=year["moved_in"])
    assert (moved_in.kind, moved_in.cell_before, moved_in.cell_after) == (E.MOVED, "Chi bộ bản Mường Tùng",
                                                                         "Chi bộ bản Nà Hỳ 1")
    died = flow_members(big_tree["X01"], F, T, "died").get()
    assert (died.cell_before, died.cell_after) == ("Chi bộ bản Nà Hỳ 2", None)
    arrived = flow_members(big_tree["X01"], F, T, "transferred_in").get(member=year["arrived"])
    assert (arrived.kind, arrived.cell_before, arrived.cell_after) == (E.TRANSFERRED_IN, None, "Chi bộ tổ 4")


def test_the_lists_are_in_date_order(big_tree, year):
    days = [e.effective_on for e in flow_members(big_tree["X01"], F, T, "transferred_in")]
    assert len(days) >= 2 and len(set(days)) >= 2 and days == sorted(days)


def test_an_unknown_figure_has_no_list(tree):
    with pytest.raises(DomainError):
        flow_members(tree["H01"], F, T, "members_end")


# --- Command line ----------------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch, capsys):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test transaction open

    def _run(*args):
        try:
            code = cli.main(["report", *args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def assert_user_error(result, *fragments):
    code, out, err = result
    assert code == 1, (code, out, err)
    assert err.startswith("Lỗi: ") or "\nLỗi: " in err
    assert "Traceback" not in err and "Traceback" not in out
    for fragment in fragments:
        assert fragment in err, (fragment, err)


ARGS = ("flows", "--org", "H01", "--from", "2024-01-01", "--to", "2024-12-31")


def test_cli_writes_the_contract_json_to_stdout(run, big_tree, year):
    code, out, err = run(*ARGS, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert CONTRACT_KEYS <= set(data)
    assert data == flows(big_tree["H01"], F, T)
    assert data["org"]["code"] == "H01" and data["from"] == "2024-01-01" and data["to"] == "2024-12-31"
    assert data["admitted"] == 1 and data["transferred_out"] == 1 and data["badges_awarded"] == {"40": 1}


def test_cli_accepts_vietnamese_dates_and_writes_json_to_a_file(run, big_tree, year, tmp_path):
    path = tmp_path / "flows.json"
    code, out, err = run("flows", "--org", "X01", "--from", "01/01/2024", "--to", "31/12/2024", "--output", str(path))
    assert code == 0, err
    assert str(path) in out
    assert json.loads(path.read_text(encoding="utf-8")) == flows(big_tree["X01"], F, T)


def test_cli_writes_an_xlsx_workbook(run, big_tree, year, tmp_path):
    path = tmp_path / "flows.xlsx"
    code, _, err = run(*ARGS, "--format", "xlsx", "--output", str(path))
    assert code == 0, err
    ws = openpyxl.load_workbook(path).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Đảng bộ huyện Mường Lay" in values
    assert any(isinstance(v, str) and "01/01/2024" in v and "31/12/2024" in v for v in values)
    labels = {ws.cell(row=c.row, column=2).value: c.value for row in ws.iter_rows(min_col=3, max_col=3) for c in row
              if isinstance(c.value, int)}
    assert labels["Kết nạp"] == 1
    assert labels["Chuyển đi"] == 1  # out of the database; the move to X02 stays inside H01


@pytest.mark.parametrize("args, fragment", [
    (("flows", "--org", "ZZ9", "--from", "2024-01-01", "--to", "2024-12-31"), "ZZ9"),
    (("flows", "--from", "2024-01-01", "--to", "2024-12-31"), "--org"),
    (("flows", "--org", "H01", "--to", "2024-12-31"), "--from"),
    (("flows", "--org", "H01", "--from", "2024-01-01"), "--to"),
    (("flows", "--org", "H01", "--from", "2024-13-01", "--to", "2024-12-31"), "2024-13-01"),
    (("flows", "--org", "H01", "--from", "2024-01-01", "--to", "31/02/2024"), "31/02/2024"),
    (("flows", "--org", "H01", "--from", "hôm qua", "--to", "2024-12-31"), "hôm qua"),
    (("flows", "--org", "H01", "--from", "2024-12-31", "--to", "2024-01-01"), "31/12/2024"),
    (("flows", "--org", "X01", "--from", "2010-01-01", "--to", "2011-12-31"), "31/12/2011"),
    (("flows", "--org", "H01", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "pdf"), "pdf"),
    (("flows", "--org", "H01", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "xlsx"), "--output"),
    (("flows", "--org", "H01", "--from"), "--from"),
    (("flows", "--org", "H01", "--since", "2024-01-01"), "--since"),
])
def test_cli_bad_input_is_a_clear_user_error(run, tree, args, fragment):
    result = run(*args)
    assert_user_error(result, fragment)
    assert result[1] == ""


def test_cli_writes_nothing_on_a_user_error(run, tree, tmp_path):
    path = tmp_path / "flows.xlsx"
    assert_user_error(run("flows", "--org", "H01", "--from", "2024-12-31", "--to", "2024-01-01", "--format", "xlsx",
                          "--output", str(path)))
    assert not path.exists()


def test_cli_help_no_longer_calls_flows_or_assessment_unsupported(run):
    code, out, _ = run("--help")
    assert code == 0
    flows_line = next(line for line in out.splitlines() if line.strip().startswith("flows"))
    assert "chưa hỗ trợ" not in flows_line
    assessment_line = next(line for line in out.splitlines() if line.strip().startswith("assessment"))
    assert "chưa hỗ trợ" not in assessment_line


# --- Web page --------------------------------------------------------------------------------------


@pytest.fixture
def organizer(make_user, big_tree, client):
    user = make_user("tochuc", big_tree["H01"], "organizer")
    client.force_login(user)
    return user


def test_flows_url_is_named():
    assert reverse("reports:flows") == URL


def test_page_shows_the_figures_each_linking_to_its_list(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "X01", "from": "01/01/2024", "to": "31/12/2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="from" value="01/01/2024"' in html and 'name="to" value="31/12/2024"' in html
    assert response.context["data"] == flows(big_tree["X01"], F, T)
    assert 'data-key="transferred_out"' in html and 'data-key="badges_awarded.40"' in html
    assert "org=X01&amp;from=2024-01-01&amp;to=2024-12-31&amp;list=transferred_out#flow-list" in html
    assert "list=badges_awarded&amp;milestone=40#flow-list" in html
    assert "format=xlsx" in html and "format=json" not in html
    assert "Từ 01/01/2024 đến 31/12/2024" in html


def test_page_defaults_to_the_scope_root_and_this_year(client, organizer, big_tree):
    response = client.get(URL)
    today = timezone.localdate()
    assert response.status_code == 200
    data = response.context["data"]
    assert data["org"]["code"] == "H01"
    assert (data["from"], data["to"]) == (D(today.year, 1, 1).isoformat(), today.isoformat())


def test_page_lists_the_members_behind_a_figure(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "list": "transferred_in"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="flow-list"' in html
    assert "Quàng Văn Đến" in html and "Cà Văn Về" in html and "Tòng Văn Đi" not in html
    assert f"/members/{year['moved_in'].code}/" in html
    badges = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "list": "badges_awarded",
                              "milestone": "40"})
    assert [e.member.full_name for e in badges.context["flow_list"]["rows"]] == ["Vì Văn Già"]


def test_members_outside_the_scope_are_listed_without_a_link(client, make_user, big_tree, year):
    client.force_login(make_user("capxa", big_tree["X01"], "organizer"))
    response = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "list": "transferred_out"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tòng Văn Đi" in html  # moved out to X02, outside this user's scope now
    assert f"/members/{year['moved_out'].code}/" not in html
    assert f"/members/{year['left'].code}/" in html  # transferred out of the database: held by C02 still


def test_an_organization_outside_the_scope_does_not_exist(client, make_user, big_tree, year):
    client.force_login(make_user("chibo", big_tree["X02"], "secretary"))
    base = {"from": "2024-01-01", "to": "2024-12-31"}
    for params in ({"org": "X01"}, {"org": "H01", "format": "json"}, {"org": "C01", "format": "xlsx"},
                   {"org": "C01", "partial": "1"}, {"org": "X01", "list": "transferred_out"}, {"org": "NOPE"}):
        assert client.get(URL, {**base, **params}).status_code == 404, params
    assert client.get(URL, {**base, "org": "X02"}).status_code == 200


@pytest.mark.parametrize("params, fragment", [
    ({"from": "2024-13-45"}, "2024-13-45"),
    ({"to": "hôm nay"}, "hôm nay"),
    ({"from": "31/12/2024", "to": "01/01/2024"}, "31/12/2024"),
    ({"format": "pdf"}, "pdf"),
    ({"list": "everything"}, "everything"),
    ({"list": "badges_awarded", "milestone": "ba mươi"}, "ba mươi"),
])
def test_bad_input_is_a_clear_error_not_a_500(client, organizer, big_tree, params, fragment):
    response = client.get(URL, {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", **params})
    assert response.status_code == 400
    assert fragment in response.context["error"]
    html = response.content.decode()
    assert 'class="alert alert-error"' in html
    if "from" in params:
        assert f'name="from" value="{params["from"]}"' in html  # what the user typed stays in the box
    if "format" not in params:
        assert client.get(URL, {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", **params,
                                "format": "json"}).status_code == 400


def test_a_period_before_the_organization_existed_shows_a_message(client, organizer, big_tree):
    response = client.get(URL, {"org": "X01", "from": "2010-01-01", "to": "2011-12-31"})
    assert response.status_code == 200
    assert "31/12/2011" in response.context["error"] and response.context["data"] is None
    assert client.get(URL, {"org": "X01", "from": "2010-01-01", "to": "2011-12-31", "format": "xlsx"}).status_code == 400


def test_json_download_is_the_contract_json(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="bao-cao-bien-dong-H01-2024-01-01-2024-12-31.json"' in response["Content-Disposition"]
    assert json.loads(response.content.decode("utf-8")) == flows(big_tree["H01"], F, T)


def test_xlsx_download_opens(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", "format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Đảng bộ huyện Mường Lay" in values


def test_partial_renders_only_the_report_fragment(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "partial": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="flows-report"' in html and "<html" not in html and "<form" not in html


def test_the_dashboard_and_the_snapshot_link_to_the_flows(client, organizer, big_tree):
    assert f"{URL}?org=H01" in client.get("/").content.decode()
    html = client.get("/reports/snapshot/", {"org": "X01", "as_of": "2024-06-30", "partial": "1"}).content.decode()
    assert f"{URL}?org=X01&amp;from=2024-01-01&amp;to=2024-06-30" in html


@pytest.mark.parametrize("params", [{}, {"list": "transferred_in"}, {"format": "json"}])
def test_query_count_does_not_grow_with_members(client, organizer, big_tree, make_member, params):
    query = {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", **params}
    make_member(big_tree["C01"], admitted_on=D(2005, 1, 1), placed_on=D(2024, 1, 5))  # one in each list
    client.get(URL, query)  # warm up (session, content types…)
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL, query).status_code == 200
    for i in range(6):
        m = make_member(big_tree["C01"], admitted_on=D(2005, 1, 1), placed_on=D(2024, 2, 1 + i))
        record(m, E.MOVED, D(2024, 6, 1), big_tree["C04"])
    with CaptureQueriesContext(connection) as after:
        assert client.get(URL, query).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


# --- API ----------------------------------------------------------------------------------------------


@pytest.fixture
def api(organizer):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(organizer)
    return client


def test_api_answers_the_contract_json(api, big_tree, year):
    response = api.get(API, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200
    assert response.json() == flows(big_tree["X01"], F, T)


def test_api_is_scoped(make_user, big_tree, year):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user("chibo", big_tree["X02"], "secretary"))
    for code in ("X01", "H01", "NOPE"):
        assert client.get(API, {"org": code, "from": "2024-01-01", "to": "2024-12-31"}).status_code == 404
    assert client.get(API, {"org": "X02", "from": "2024-01-01", "to": "2024-12-31"}).status_code == 200
    assert APIClient().get(API, {"org": "X02", "from": "2024-01-01", "to": "2024-12-31"}).status_code in (401, 403)


@pytest.mark.parametrize("params, field", [
    ({"from": "2024-13-01"}, "from"),
    ({"to": None}, "to"),
    ({"from": "2024-12-31", "to": "2024-01-01"}, "from"),
    ({"org": "X01", "from": "2010-01-01", "to": "2011-12-31"}, "org"),
])
def test_api_bad_input_is_a_400_with_the_field(api, big_tree, params, field):
    query = {k: v for k, v in {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", **params}.items() if v}
    response = api.get(API, query)
    assert response.status_code == 400
    assert field in response.json()


# --- Workbook -------------------------------------------------------------------------------------


def test_xlsx_lays_out_start_increases_decreases_end_and_other_changes(tmp_path):
    data = {"org": {"code": "H01", "name": "Đảng bộ huyện Mường Lay"}, "from": "2024-01-01", "to": "2024-12-31",
            "admitted": 171, "made_official": 158, "transferred_in": 40, "transferred_out": 33, "died": 12,
            "removed": 2, "expelled": 1, "resigned": 0, "cards_issued": 150, "badges_awarded": {"30": 25, "40": 14},
            "members_start": 3000, "members_end": 3163}
    path = tmp_path / "flows.xlsx"
    exporters.flows_xlsx(data, path)
    ws = openpyxl.load_workbook(path).active
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(1, ws.max_row + 1)]
    numbers = [c for _, _, c in rows if isinstance(c, int)]
    assert numbers == [3000, 211, 171, 40, 0, 0, 48, 33, 0, 12, 2, 1, 0, 3163, 158, 150, 39, 25, 14]  # restored, reorganized: 0
    assert [a for a, _, _ in rows if a in ("A", "B", "C", "D", "E")] == ["A", "B", "C", "D", "E"]
    assert any(b and "31/12/2023" in b for _, b, _ in rows)  # members on the day before the period
    assert not any(b and "+" in str(b) for _, b, _ in rows)  # the figures add up: no note
    assert exporters.flows_filename(data, "xlsx") == "bao-cao-bien-dong-H01-2024-01-01-2024-12-31.xlsx"
    odd = {**data, "members_end": 3170}
    exporters.flows_xlsx(odd, path)
    ws = openpyxl.load_workbook(path).active
    assert any("+7" in str(c.value) for row in ws.iter_rows() for c in row if c.value)


# --- The restructuring across the boundary, on every output ---------------------------------------


@pytest.fixture
def carried(big_tree, make_member):
    """Two members of C02 carried from X01 to X03 with their cell on 01/06/2024; one admitted in X03."""
    for _ in range(2):
        make_member(big_tree["C02"], made_official_on=D(2016, 5, 19))
    make_member(big_tree["C03"], admitted_on=D(2024, 3, 1))
    organization_move(big_tree["C02"], parent=big_tree["X03"], effective_on=D(2024, 6, 1))
    return big_tree


def _adds_up(data):
    return data["members_end"] == (data["members_start"] + data["admitted"] + data["transferred_in"]
                                   + data["restored"] + data["reorganized_in"] - data["transferred_out"]
                                   - data["reorganized_out"] - data["died"] - data["removed"] - data["expelled"]
                                   - data["resigned"])


def test_the_page_shows_the_restructuring_and_the_identity(client, organizer, carried):
    html = client.get(URL, {"org": "X03", "from": "01/01/2024", "to": "31/12/2024"}).content.decode()
    row = html.split('data-key="reorganized_in"')[1].split("</tr>")[0]
    assert ">2<" in row.replace("<strong>", "").replace("</strong>", "")
    assert "3 = 0 + 3 − 0" in html.split('data-key="identity"')[1].split("</p>")[0]
    assert 'data-key="unexplained"' not in html


def test_the_xlsx_shows_the_restructuring_and_the_identity(client, organizer, carried):
    response = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[1]: row[2] for row in ws.iter_rows(values_only=True) if row[1]}
    assert values["Chuyển đi theo tổ chức (sắp xếp tổ chức)"] == 2
    assert any("0 = 2 + 0 − 2" in str(row[0]) for row in ws.iter_rows(values_only=True))


def test_the_api_json_has_the_keys_and_adds_up(api, carried):
    for code in ("X01", "X03", "H01"):
        data = api.get(API, {"org": code, "from": "2024-01-01", "to": "2024-12-31"}).json()
        assert _adds_up(data), (code, data)
    x1 = api.get(API, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31"}).json()
    assert (x1["reorganized_in"], x1["reorganized_out"]) == (0, 2)
