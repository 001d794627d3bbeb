"""The assessment's lists: excellent N years in a row (query, page, xlsx, API, CLI), the names behind
every figure of the assessment report, the rating history of the record pages."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dangvu.assessment.services import record_rating
from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError
from dangvu.members.services import member_record_event
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import organization_establish as est
from dangvu.reports import queries

D = dt.date
EXCELLENT, GOOD = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"


def _rate(subject, labels: dict[int, str]):
    kw = {"organization": subject} if hasattr(subject, "kind") else {"member": subject}
    for year, label in labels.items():
        record_rating(year=year, label=label, source="import", **kw)


@pytest.fixture
def streak(tree, make_member):
    """In X01: An excellent 2021–2025; Bình excellent but good in 2023; Cường excellent 2021–2024 in X01
    then moved to X02 and excellent there in 2025; the cell C01 excellent 2021–2025."""
    with audit_context(source="system"):
        an = make_member(tree["C01"], name="Lò Văn An", made_official_on=D(2016, 5, 19))
        binh = make_member(tree["C01"], name="Lò Văn Bình", made_official_on=D(2016, 5, 19))
        cuong = make_member(tree["C02"], name="Lò Văn Cường", made_official_on=D(2016, 5, 19))
    years = range(2021, 2026)
    _rate(an, {y: EXCELLENT for y in years})
    _rate(binh, {y: GOOD if y == 2023 else "HTXSNV" for y in years})
    _rate(cuong, {y: EXCELLENT for y in range(2021, 2025)})
    with audit_context(source="system"):
        member_record_event(cuong, kind="moved", effective_on=D(2025, 3, 2), cell=tree["X02"])
    _rate(cuong, {2025: EXCELLENT})
    _rate(tree["C01"], {y: EXCELLENT for y in years})
    _rate(tree["C02"], {y: EXCELLENT for y in years if y != 2022})
    return {"an": an, "binh": binh, "cuong": cuong}


def test_the_streak_lists_those_excellent_every_year_where_the_last_rating_was_decided(tree, streak):
    data = queries.excellent_streak(tree["X01"], 2025, 5)
    assert [m["code"] for m in data["members"]] == [streak["an"].code]  # Bình broke it; Cường was rated in X02
    assert data["members"][0]["ratings"] == {str(y): EXCELLENT for y in range(2021, 2026)}
    assert data["members"][0]["rated_in"]["code"] == "C01"
    assert [(o["code"], o["group"]) for o in data["organizations"]] == [("C01", "subordinate_cells")]
    assert data["counts"] == {"members": 1, "organizations": 0, "subordinate_cells": 1}
    # Cường counts where he was rated in 2025, his earlier years wherever they were decided
    assert [m["code"] for m in queries.excellent_streak(tree["X02"], 2025, 5)["members"]] == [streak["cuong"].code]
    assert {m["code"] for m in queries.excellent_streak(tree["H01"], 2024, 3)["members"]} == {
        streak["an"].code, streak["cuong"].code}
    assert len(queries.excellent_streak(tree["X01"], 2025, 1)["members"]) == 2


def test_older_scales_count_only_through_the_rules_mapping(tree):
    """2014–2018 on the 2014 scale: "Trong sạch vững mạnh" counts as excellent (COMMON_KEY says so),
    "Hoàn thành tốt nhiệm vụ" does not; the mapping used is stated."""
    _rate(tree["X01"], {2016: "Trong sạch vững mạnh", 2017: "TSVM tiêu biểu", 2018: "HTXSNV", 2019: "HTXSNV",
                        2020: "HTXSNV"})
    _rate(tree["X02"], {2016: "Trong sạch vững mạnh", 2017: GOOD, 2018: "HTXSNV", 2019: "HTXSNV", 2020: "HTXSNV"})
    data = queries.excellent_streak(tree["H01"], 2020, 5)
    assert [o["code"] for o in data["organizations"]] == ["X01"]
    assert data["organizations"][0]["ratings"]["2016"] == "Trong sạch vững mạnh"
    old = data["counts_as_excellent"][0]
    assert (old["scale"], old["from_year"], old["to_year"]) == ("hd27_2014", 2016, 2017)
    assert {lv["key"]: lv["mapped"] for lv in old["levels"]} == {
        "clean_strong_exemplary": True, "clean_strong": True, "excellent": False}


def test_the_streak_refuses_bad_input(tree):
    for year, years in ((2025, 0), (2025, 31), ("x", 5), (2025, "năm")):
        with pytest.raises(DomainError):
            queries.excellent_streak(tree["X01"], year, years)


def test_the_streak_page_xlsx_api_and_command(client, tree, streak, make_user, tmp_path):
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))
    page = client.get("/reports/excellent-streak/", {"org": "X01", "year": "2025"})
    html = page.content.decode()
    assert page.status_code == 200 and "Lò Văn An" in html and "Lò Văn Bình" not in html
    assert "QĐ 366-QĐ/TW" in html and 'id="streak-mapping"' in html
    assert client.get("/reports/excellent-streak/", {"org": "X01", "year": "2025", "years": "0"}).status_code == 400
    xlsx = client.get("/reports/excellent-streak/", {"org": "X01", "year": "2025", "format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('xuat-sac-5-nam-X01-2025.xlsx"')
    cells = [c.value for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row if c.value]
    assert "Lò Văn An" in cells and "Chi bộ bản Nà Hỳ 1" in cells
    api = client.get("/api/reports/excellent-streak/", {"org": "X01", "year": "2025"})
    assert api.status_code == 200 and api.json()["counts"]["members"] == 1
    assert client.get("/api/reports/excellent-streak/", {"org": "X01", "year": "2025", "years": "99"}).status_code == 400
    out = io.StringIO()
    call_command("report", "excellent-streak", "--org", "X01", "--year", "2025", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["members"][0]["code"] == streak["an"].code
    path = tmp_path / "khen.xlsx"
    call_command("report", "excellent-streak", "--org", "H01", "--year", "2024", "--years", "3", "--format", "xlsx",
                 "--output", str(path), stdout=io.StringIO())
    assert path.read_bytes()[:2] == b"PK"
    with pytest.raises(SystemExit):
        call_command("report", "excellent-streak", "--org", "X01", "--year", "2025", "--years", "abc")


def test_every_figure_lists_the_names_it_counts(client, tree, streak, make_member, make_user):
    with audit_context(source="system"):
        unrated = make_member(tree["C02"], name="Quàng Văn Dũng", made_official_on=D(2016, 5, 19))
        est(code="C03", name="Chi bộ bản Nà Hỳ 3", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
            established_on=D(2012, 1, 1))
    _rate(tree["X01"], {2025: GOOD})
    data = queries.assessment(tree["X01"], 2025)
    for group in ("organizations", "subordinate_cells", "members"):
        figures = {"rated": data[group]["rated"], "not_rated": data[group]["not_rated"], **data[group]["by_rating"]}
        for figure, n in figures.items():
            assert queries.assessment_figure(tree["X01"], 2025, group, figure).count() == n, (group, figure)
    assert data["members"]["not_rated"] == 1 and data["subordinate_cells"]["not_rated"] == 1
    assert [r["code"] for r in queries.assessment_figure(tree["X01"], 2025, "members", "not_rated")] == [unrated.code]
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))
    report = client.get("/reports/assessment/", {"org": "X01", "year": "2025"}).content.decode()
    assert "/reports/assessment/list/?org=X01&amp;year=2025&amp;group=members&amp;figure=not_rated" in report
    page = client.get("/reports/assessment/list/", {"org": "X01", "year": "2025", "group": "members",
                                                    "figure": "excellent"})
    assert page.status_code == 200 and "Lò Văn An" in page.content.decode() and "Lò Văn Bình" in page.content.decode()
    xlsx = client.get("/reports/assessment/list/", {"org": "X01", "year": "2025", "group": "subordinate_cells",
                                                    "figure": "not_rated", "format": "xlsx"})
    cells = [c.value for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row if c.value]
    assert "C03" in cells and "Chi bộ bản Nà Hỳ 3" in cells
    for bad in ({"group": "members", "figure": "weak"}, {"group": "cells", "figure": "rated"},
                {"group": "members", "figure": "rated", "format": "json"}, {"group": "members", "figure": "rated",
                                                                             "year": "abc"}):
        assert client.get("/reports/assessment/list/", {"org": "X01", "year": "2025", **bad}).status_code == 400


def test_the_record_pages_show_the_ratings_across_the_years(client, tree, streak, make_user):
    client.force_login(make_user("bithu", tree["X02"], "secretary"))
    html = client.get(f"/members/{streak['cuong'].code}/", {"tab": "ratings"}).content.decode()
    assert html.count('data-key="excellent"') == 5 and "QĐ 124-QĐ/TW (2023)" in html
    assert 'href="/organizations/X02/"' in html  # 2025, rated in X02: in scope, a link
    assert "Chi bộ bản Nà Hỳ 2" in html and 'href="/organizations/C02/"' not in html  # earlier: outside the scope
    _rate(tree["X02"], {2016: "Trong sạch vững mạnh"})
    org = client.get("/organizations/X02/", {"tab": "ratings"}).content.decode()
    assert "Trong sạch vững mạnh" in org and "HD 27-HD/BTCTW (2014)" in org
