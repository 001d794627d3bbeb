"""The dashboard (bảng điều khiển): its trends and weakest units counted two ways on a generated tree with
history — by the dashboard's queries and by a plain Python count over the same records — and the page:
key figures with their change, charts fed by json_script (no inline script), drill-down links, a
number of queries that grows neither with the members nor with the years."""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangvu.assessment.models import Rating
from dangvu.assessment.services import record_rating
from dangvu.core.audit import audit_context
from dangvu.members.models import MemberEvent, MemberPeriod, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.models import OrganizationPeriod
from dangvu.organizations.services import organization_establish, organization_move
from dangvu.reports import queries
from dangvu.reports.queries import trends as T
from dangvu.reports.queries.snapshot import dashboard_figures

D = dt.date
LABELS = ("HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "KHTNV")


@pytest.fixture
def history(tree, make_member):
    """The shared tree plus X03 (a commune, 2012) and C03 (its cell); C02 moves from X01 to X03 in mid-2023.
    40 members admitted 2016…this year in random cells, some made official, moved, died, transferred out;
    women and ethnic minorities at random; the members of 2021…last year rated where they were placed."""
    rng = random.Random(11)
    today = timezone.localdate()
    with audit_context(source="system"):
        x3 = organization_establish(code="X03", name="Đảng bộ xã Mường Tùng", kind=K.GRASSROOTS_COMMITTEE,
                                    parent=tree["H01"], established_on=D(2012, 1, 1))
        c3 = organization_establish(code="C03", name="Chi bộ bản Mường Tùng", kind=K.SUBORDINATE_CELL, parent=x3,
                                    established_on=D(2012, 1, 1))
        organization_move(tree["C02"], parent=x3, effective_on=D(2023, 7, 1))
    cells = [tree["C01"], tree["C02"], tree["X02"], c3]
    members = []
    for i in range(40):
        admitted = D(2016, 1, 1) + dt.timedelta(days=rng.randrange((today - D(2016, 1, 1)).days - 30))
        official = admitted + dt.timedelta(days=365) if admitted + dt.timedelta(days=400) < today and rng.random() < .8 else None
        m = make_member(rng.choice(cells), name=f"Đảng viên {i}", admitted_on=admitted, made_official_on=official,
                        sex=rng.choice("MF"), ethnicity=rng.choice(("Kinh", "Thái", "Mông")))
        day = admitted
        if rng.random() < .4:
            day = day + dt.timedelta(days=rng.randrange(30, 900))
            if day < today:
                member_record_event(m, kind=E.MOVED, effective_on=day,
                                    cell=rng.choice([c for c in cells if c.pk != m.cell_id]))
        if rng.random() < .2:
            day = day + dt.timedelta(days=rng.randrange(30, 900))
            if day < today:
                member_record_event(m, kind=rng.choice((E.DIED, E.TRANSFERRED_OUT)), effective_on=day)
        members.append(m)
    for year in range(2021, today.year):
        end = D(year, 12, 31)
        for p in MemberPeriod.objects.filter(valid_from__lte=end).exclude(valid_to__lte=end).select_related("member"):
            if p.status in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY):
                record_rating(year=year, label=rng.choice(LABELS), member=p.member, source="import")
    return {**tree, "X03": x3, "C03": c3, "members": members}


def _subtree(root_id: int, day: dt.date) -> set[int]:
    """Plain Python: the organizations under `root_id` as the tree stood on `day`."""
    parent = {p.organization_id: p.parent_id for p in OrganizationPeriod.objects.all()
              if p.valid_from <= day and (p.valid_to is None or p.valid_to > day)}
    found, grew = {root_id} if root_id in parent else set(), True
    while grew:
        more = {o for o, p in parent.items() if p in found} - found
        found |= more
        grew = bool(more)
    return found


def _placed(day: dt.date, subtree: set[int]) -> list[MemberPeriod]:
    return [p for p in MemberPeriod.objects.select_related("member")
            if p.valid_from <= day and (p.valid_to is None or p.valid_to > day) and p.cell_id in subtree]


@pytest.mark.parametrize("code", ["H01", "X01", "X03"])
def test_trends_equal_a_plain_python_count_of_the_records(history, code):
    root, today = history[code], timezone.localdate()
    data = T.trends(root.pk, today)
    days = sorted(data["days"])
    assert days[-1] == today and T.same_day_last_year(today) in days and D(today.year - 1, 12, 31) in days
    assert len([d for d in days if (d.month, d.day) == (12, 31)]) == T.TREND_YEARS
    for day in days:
        subtree = _subtree(root.pk, day)
        placed = _placed(day, subtree)
        assert data["days"][day]["members"] == {
            "total": len(placed),
            "official": sum(p.status == MemberStatus.OFFICIAL for p in placed),
            "probationary": sum(p.status == MemberStatus.PROBATIONARY for p in placed),
            "female": sum(p.member.sex == "F" for p in placed),
            "ethnic_minority": sum(p.member.ethnicity != "01" for p in placed),
            "religious": sum(bool(p.member.religion) for p in placed),
            "exempted": sum(p.exempted for p in placed),
        }, day
        kinds = [p.kind for p in OrganizationPeriod.objects.filter(organization_id__in=subtree)
                 if p.valid_from <= day and (p.valid_to is None or p.valid_to > day)]
        orgs = data["days"][day]["organizations"]
        assert orgs["grassroots"] == sum(k in (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL) for k in kinds)
        assert orgs["cells"] == sum(k in (K.GRASSROOTS_CELL, K.SUBORDINATE_CELL) for k in kinds)
    assert sum(data["days"][today]["members"].values()) > 0
    for year, n in data["admitted"].items():
        expected = 0
        for e in MemberEvent.objects.filter(kind=E.ADMITTED, effective_on__year=year, effective_on__lte=today):
            subtree = _subtree(root.pk, e.effective_on)
            expected += any(p.member_id == e.member_id for p in _placed(e.effective_on, subtree))
        assert n == expected, year
    assert sum(data["admitted"].values()) > 0
    for year, groups in data["ratings"].items():
        subtree = _subtree(root.pk, D(year, 12, 31))
        expected: dict = {}
        for r in Rating.objects.filter(year=year):
            if r.rated_in_id in subtree:
                expected.setdefault(r.group, {}).setdefault(r.key, 0)
                expected[r.group][r.key] += 1
        assert groups == expected, year
    assert any(data["ratings"].values())


def test_trends_equal_the_snapshot_flows_and_assessment_reports(history):
    for code in ("H01", "X01", "X03", "C02"):
        org, today = history[code], timezone.localdate()
        data = T.trends(org.pk, today)
        for day, figures in data["days"].items():
            snap = queries.snapshot(org, day)
            assert figures["members"] == snap["members"], (code, day)
            assert {k: v for k, v in figures["organizations"].items() if k != "cells"} == snap["organizations"]
        for year, n in data["admitted"].items():
            assert n == queries.flows(org, D(year, 1, 1), min(D(year, 12, 31), today))["admitted"], (code, year)
        for year, groups in data["ratings"].items():
            report = queries.assessment(org, year)
            for group in ("organizations", "subordinate_cells", "members"):
                assert {k: n for k, n in report[group]["by_rating"].items() if n} == groups.get(group, {}), (code, year)


def test_trends_take_one_statement_whatever_the_years(history, django_assert_num_queries):
    today = timezone.localdate()
    statements = 2 if connection.vendor == "postgresql" else 1  # PostgreSQL reads the subtree's pieces first
    for years in (2, 6, 10):
        with django_assert_num_queries(statements):
            data = T.trends(history["H01"].pk, today, years)
        assert len([d for d in data["days"] if (d.month, d.day) == (12, 31)]) == years


def test_weakest_units_are_the_checks_and_assessment_figures_of_each_child(history, make_member):
    from dangvu.lifecycle import todo

    today = timezone.localdate()
    root = history["H01"]
    for _ in range(2):  # overdue probations in X03's cell
        make_member(history["C03"], admitted_on=todo.R.add_months(today, -15), birth_date=D(1990, 1, 1))
    _snap, children, warnings = dashboard_figures(root, today)
    year = today.year - 1
    units = T.weakest_units(root, today, children, warnings, year)
    for child in children:
        org = next(o for o in history.values() if getattr(o, "pk", None) == child["id"])
        counts = queries.checks(org, today)["counts"]
        below = next((r["cells_below"] for r in units["cells_below"] if r["id"] == child["id"]), 0)
        overdue = next((r["probations_overdue"] for r in units["probations_overdue"] if r["id"] == child["id"]), 0)
        assert below == counts.get("cell_below_minimum", 0), child["code"]
        assert overdue == counts.get("probation_overdue", 0), child["code"]
        rated = next((r for r in units["lowest_rated"] if r["id"] == child["id"]), None)
        report = queries.assessment(org, year)["members"]
        if report["rated"]:
            assert rated["rated"] == report["rated"]
            assert rated["good"] == report["by_rating"]["excellent"] + report["by_rating"]["good"]
        else:
            assert rated is None
    assert any(r["probations_overdue"] >= 2 for r in units["probations_overdue"])
    shares = [r["good_share"] for r in units["lowest_rated"]]
    assert shares == sorted(shares) and shares


def test_the_dashboard_page_shows_changes_charts_and_drill_downs(client, make_user, history):
    client.force_login(make_user("xem", history["H01"], "viewer"))
    response = client.get("/")
    html = response.content.decode()
    today = timezone.localdate()
    figures = {f["label"]: f for f in response.context["key_figures"]}
    trends = T.trends(history["H01"].pk, today)
    now, before = trends["days"][today]["members"], trends["days"][T.same_day_last_year(today)]["members"]
    assert figures["Đảng viên"]["value"] == now["total"] and figures["Đảng viên"]["change"] == now["total"] - before["total"]
    assert figures["Đảng viên"]["url"] == "/members/?org=H01"
    assert figures["Đảng viên nữ"]["url"] == "/members/?org=H01&sex=F"
    assert "so với cùng kỳ năm trước" in html
    # the charts' data in a JSON script element, the only script without src
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in s or 'type="application/json"' in s for s in scripts)
    chart = json.loads(re.search(r'<script id="dashboard-chart-data" type="application/json">(.*?)</script>', html,
                                 re.S).group(1))
    assert set(chart["charts"]) == {"members", "admitted", "shares", "levels"}
    assert chart["charts"]["members"]["series"][0]["data"][-1] == now["total"]
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/dashboard-charts.js" in html
    for key in ("members", "admitted", "shares", "levels"):
        assert f'id="chart-{key}"' in html
    # every point links to the list or report it counts
    year = today.year - 1
    assert f"/reports/flows/?org=H01&amp;from={year}-01-01&amp;to={year}-12-31&amp;list=admitted" in html
    assert f"/reports/snapshot/?org=H01&amp;as_of={year}-12-31" in html
    assert f"/reports/assessment/list/?org=H01&amp;year={year}&amp;group=members&amp;figure=excellent" in html
    assert 'id="dashboard-weakest"' in html and "/reports/checks/?org=" in html


def test_the_dashboard_of_a_commune_counts_only_that_commune(client, make_user, history):
    client.force_login(make_user("xem_xa", history["X01"], "viewer"))
    html = client.get("/").content.decode()
    today = timezone.localdate()
    chart = json.loads(re.search(r'<script id="dashboard-chart-data" type="application/json">(.*?)</script>', html,
                                 re.S).group(1))
    assert chart["charts"]["members"]["series"][0]["data"][-1] == queries.snapshot(history["X01"], today)["members"]["total"]
    assert "org=H01" not in html and "org=X03" not in html and "Mường Tùng" not in html


def test_the_dashboard_queries_do_not_grow_with_the_members(client, make_user, history, make_member):
    client.force_login(make_user("xem", history["H01"], "viewer"))
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    for i in range(15):
        make_member(history["C01"] if i % 2 else history["C03"], admitted_on=D(2019 + i % 6, 3, 1))
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_organization_figures_open_lists_of_as_many_organizations(client, make_user, history):
    """"Grassroots party organizations" and "Party cells" each open the list of the organizations they count
    (not the whole tree, where every kind is listed)."""
    client.force_login(make_user("xem", history["H01"], "viewer"))
    figures = {f["label"]: f for f in client.get("/").context["key_figures"]}
    for label in ("Tổ chức cơ sở đảng", "Chi bộ"):
        figure = figures[label]
        assert figure["url"].startswith("/reports/figures/"), figure["url"]
        page = client.get(figure["url"])
        assert page.status_code == 200
        assert page.context["page"].paginator.count == figure["value"], label
        html = page.content.decode()
        assert "<th scope=\"col\">Ngày thành lập</th>" in html  # the organizations' date is their establishment
    members = client.get("/reports/figures/", {"org": "H01", "source": "snapshot", "figure": "members.female",
                                               "as_of": "2024-12-31"}).content.decode()
    assert "<th scope=\"col\">Ngày</th>" not in members  # members listed by their status on a day: no date column
