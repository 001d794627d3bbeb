import datetime as dt
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event

D = dt.date
URL = "/reports/snapshot/"


@pytest.fixture
def organizer(make_user, tree, client):
    user = make_user("tochuc", tree["H01"], "organizer")
    client.force_login(user)
    return user


@pytest.fixture
def people(tree, make_member):
    a = make_member(tree["C01"], made_official_on=D(2016, 5, 19), sex="F", ethnicity="Thái")
    b = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    c = make_member(tree["X02"], sex="F")
    return [a, b, c]


def test_urls_are_named_as_agreed():
    assert reverse("dashboard") == "/"
    assert reverse("reports:dashboard") == "/"
    assert reverse("reports:snapshot") == URL


def test_anonymous_users_are_sent_to_the_login_page(client, tree):
    for url in ("/", URL):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_snapshot_page_shows_counts_and_shares(client, organizer, people, tree):
    response = client.get(URL, {"org": "X01", "as_of": "2024-12-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đảng bộ xã Nà Hỳ" in html
    assert 'name="as_of" value="31/12/2024"' in html  # the form shows dates as dd/mm/yyyy
    assert 'data-key="members.female"' in html
    assert "50,0%" in html  # 1 woman of 2 members
    assert "100,0%" in html
    assert response.context["data"]["members"]["total"] == 2


def test_snapshot_accepts_a_vietnamese_date(client, organizer, people):
    response = client.get(URL, {"org": "H01", "as_of": "31/12/2024"})
    assert response.status_code == 200
    assert response.context["data"]["as_of"] == "2024-12-31"


def test_a_report_of_a_day_to_come_says_its_figures_are_not_final(client, organizer, people):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    notice = "Ngày này chưa đến"
    assert notice in client.get(URL, {"org": "H01", "as_of": tomorrow.isoformat()}).content.decode()
    assert notice not in client.get(URL, {"org": "H01", "as_of": timezone.localdate().isoformat()}).content.decode()
    flows = client.get("/reports/flows/", {"org": "H01", "from": "01/01/2026", "to": tomorrow.strftime("%d/%m/%Y")})
    assert notice in flows.content.decode()


def test_snapshot_defaults_to_the_scope_root_and_today(client, organizer, people):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["data"]["org"]["code"] == "H01"
    assert response.context["data"]["as_of"] == timezone.localdate().isoformat()
    assert response.context["data"]["members"]["total"] == 3


def test_numbers_use_vietnamese_format(client, organizer, tree, monkeypatch):
    from dangvu.reports import queries

    big = {"org": {"code": "H01", "name": "Đảng bộ huyện Mường Lay"}, "as_of": "2024-12-31",
           "organizations": {"grassroots": 35, "grassroots_committees": 12, "grassroots_cells": 23,
                             "partial_committees": 1, "subordinate_cells": 1154},
           "members": {"total": 3120, "official": 2950, "probationary": 170, "female": 774,
                       "ethnic_minority": 1210, "religious": 95, "exempted": 61}}
    monkeypatch.setattr(queries, "snapshot", lambda org, day: big)
    html = client.get(URL, {"org": "H01", "as_of": "2024-12-31"}).content.decode()
    assert "1.154" in html and "3.120" in html
    assert "24,8%" in html  # 774 / 3120


def test_an_organization_outside_the_scope_does_not_exist(client, make_user, tree, people):
    client.force_login(make_user("chibo", tree["X02"], "secretary"))
    for params in ({"org": "X01"}, {"org": "H01", "format": "json"}, {"org": "C01", "format": "xlsx"},
                   {"org": "C01", "partial": "1"}, {"org": "NOPE"}):
        assert client.get(URL, params).status_code == 404, params
    assert client.get(URL, {"org": "X02"}).status_code == 200


def test_partial_renders_only_the_report_fragment(client, organizer, people):
    response = client.get(URL, {"org": "X01", "as_of": "2024-12-31", "partial": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="snapshot-report"' in html
    assert "<html" not in html and "<form" not in html
    assert "format=xlsx" in html and "format=json" not in html  # JSON is for the API, not a download for people


def test_json_download_is_the_contract_json(client, organizer, people, tree):
    from dangvu.reports.queries import snapshot

    response = client.get(URL, {"org": "H01", "as_of": "2024-12-31", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content.decode("utf-8")) == snapshot(tree["H01"], D(2024, 12, 31))


def test_xlsx_download_opens(client, organizer, people):
    response = client.get(URL, {"org": "H01", "as_of": "2024-12-31", "format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Đảng bộ huyện Mường Lay" in values and 3 in values


@pytest.mark.parametrize("bad", ["2024-13-45", "hôm nay", "12.31.2024"])
def test_a_bad_date_is_a_clear_error_not_a_500(client, organizer, people, bad):
    response = client.get(URL, {"org": "H01", "as_of": bad})
    assert response.status_code == 400
    assert response.context["error"] and bad in response.context["error"]
    html = response.content.decode()
    assert 'class="alert alert-error"' in html
    assert f'name="as_of" value="{bad}"' in html  # what the user typed stays in the box
    assert client.get(URL, {"org": "H01", "as_of": bad, "format": "json"}).status_code == 400


def test_an_unknown_format_is_a_clear_error(client, organizer, people):
    response = client.get(URL, {"org": "H01", "as_of": "2024-12-31", "format": "pdf"})
    assert response.status_code == 400
    assert "pdf" in response.context["error"]


def test_a_day_before_the_organization_existed_shows_a_message(client, organizer, people):
    response = client.get(URL, {"org": "X01", "as_of": "2011-12-31"})
    assert response.status_code == 200
    assert "31/12/2011" in response.context["error"]
    assert response.context["data"] is None
    assert client.get(URL, {"org": "X01", "as_of": "2011-12-31", "partial": "1"}).status_code == 200
    assert client.get(URL, {"org": "X01", "as_of": "2011-12-31", "format": "xlsx"}).status_code == 400


def test_the_org_picker_lists_organizations_in_scope(client, make_user, tree, people):
    client.force_login(make_user("capxa", tree["X01"], "organizer"))
    response = client.get(URL)
    codes = [o["code"] for o in response.context["org_choices"]]
    assert codes == ["X01"]  # subordinate cells are reached from their page, H01/X02 are outside
    response = client.get(URL, {"org": "C01"})
    assert [o["code"] for o in response.context["org_choices"]] == ["X01", "C01"]


def _more_members(make_member, tree, n):
    for i in range(n):
        m = make_member(tree["C02"], made_official_on=D(2016, 5, 19) if i % 2 else None)
        if i % 3 == 0:
            member_record_event(m, kind=E.MOVED, effective_on=D(2020, 1, 1), cell=tree["X02"])


@pytest.mark.parametrize("path, params", [(URL, {"org": "H01", "as_of": "2024-12-31"}),
                                          (URL, {"org": "H01", "as_of": "2024-12-31", "partial": "1"}),
                                          (URL, {"org": "H01", "as_of": "2024-12-31", "format": "json"}),
                                          ("/", {})])
def test_query_count_does_not_grow_with_members(client, organizer, people, make_member, tree, path, params):
    client.get(path, params)  # warm up (session, content types…)
    with CaptureQueriesContext(connection) as before:
        assert client.get(path, params).status_code == 200
    _more_members(make_member, tree, 12)
    with CaptureQueriesContext(connection) as after:
        assert client.get(path, params).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


def test_dashboard_shows_stats_children_warnings_and_recent_events(client, organizer, people, tree):
    a = people[0]
    member_record_event(a, kind=E.MOVED, effective_on=D(2024, 3, 1), cell=tree["C02"])
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    snap = response.context["snapshot"]
    assert snap["org"]["code"] == "H01" and snap["members"]["total"] == 3
    assert snap["as_of"] == timezone.localdate().isoformat()
    stats = {s["label"]: s for s in response.context["stats"]}
    assert len(stats) == 7
    assert "66,7%" in html  # 2 women of 3
    children = {c["code"]: c for c in response.context["children"]}
    assert (children["X01"]["members"], children["X02"]["members"]) == (2, 1)
    warned = {w["code"] for w in response.context["warnings"]}
    assert warned == {"C01", "C02", "X02"}  # every cell has fewer than 3 official members
    events = response.context["events"]
    assert events[0].member == a and events[0].kind == E.MOVED
    assert f"/members/{a.code}/" in html
    assert len(events) <= 10


def test_dashboard_lists_only_events_in_scope(client, make_user, tree, people):
    client.force_login(make_user("chibo", tree["X02"], "secretary"))
    response = client.get("/")
    assert {e.member.code for e in response.context["events"]} == {people[2].code}
    assert response.context["snapshot"]["members"]["total"] == 1
    assert response.context["children"] == []


def test_dashboard_shows_at_most_ten_recent_events(client, organizer, tree, make_member):
    for _ in range(6):
        make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    assert len(client.get("/").context["events"]) == 10


def test_dashboard_without_a_role_says_so(client, tree, django_user_model):
    user = django_user_model.objects.create_user("norole", password="x-Mat-khau-2026")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["root"] is None
    assert 'class="alert alert-info"' in response.content.decode()


def test_dashboard_warns_of_the_overdue_figures_of_the_todo_page(client, make_user, tree, make_member):
    from dangvu.lifecycle import todo, worklist

    for _ in range(3):  # the cell has its 3 official members: no warning of its own
        make_member(tree["X02"], made_official_on=D(2016, 5, 19))
    today = timezone.localdate()
    make_member(tree["X02"], admitted_on=todo.R.add_months(today, -14), birth_date=D(1990, 1, 1))
    user = make_user("chibo", tree["X02"], "secretary")
    client.force_login(user)
    response = client.get("/")
    html = response.content.decode().split('id="dashboard-warnings"')[1]
    assert response.context["todo"] == worklist.todo_counts(user, today, keys=worklist.DASHBOARD_KEYS)
    assert response.context["todo"]["probations"] == worklist.todo_counts(user, today)["probations"]  # the to-do page's
    assert response.context["todo"]["probations"] == {"total": 1, "overdue": 1}
    assert "No warnings" not in html and "Không có cảnh báo" not in html
    assert "1 quyết định công nhận đảng viên chính thức quá hạn" in html and "/lifecycle/todo/probations/" in html


def test_dashboard_lists_the_first_children_and_links_to_all_of_them(client, organizer, people, tree, monkeypatch):
    """A province has over a thousand children: the landing page lists the first, counts them all and
    sends to the organizations page for the rest."""
    from dangvu.reports import views

    monkeypatch.setattr(views, "DASHBOARD_CHILDREN_SHOWN", 1)
    response = client.get("/")
    assert [c["code"] for c in response.context["children"]] == ["X01"] and response.context["children_total"] == 2
    html = response.content.decode()
    assert "· X02</div>" not in html and "· X01</div>" in html and '<p class="small"><a href="/organizations/">' in html
    monkeypatch.setattr(views, "DASHBOARD_CHILDREN_SHOWN", 100)
    response = client.get("/")
    assert len(response.context["children"]) == 2 and "· X02</div>" in response.content.decode()
