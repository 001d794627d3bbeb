"""`report assessment` (contracts §1, §3): the seed figures from recorded ratings, where a rating counts,
the warnings, the outputs and the number of queries."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from dangvu.assessment.services import RatingDecision, cycle_open, ratings_decide, record_rating
from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError
from dangvu.lifecycle.services import discipline
from dangvu.members.services import member_record_event
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import organization_establish as est
from dangvu.reports.queries import assessment

D = dt.date


def _district(code: str, n: int, established_on=None):
    with audit_context(source="system"):
        district = est(code=code, name=f"Đảng bộ huyện {code}", kind=K.DISTRICT, established_on=established_on)
        units = [est(code=f"{code}-{i:02d}", name=f"Đảng bộ xã {code} {i}", kind=K.GRASSROOTS_COMMITTEE, parent=district,
                     established_on=established_on) for i in range(n)]
    return district, units


def _rate(year, subjects_and_labels):
    for subject, label in subjects_and_labels:
        kw = {"organization": subject} if hasattr(subject, "kind") else {"member": subject}
        record_rating(year=year, label=label, source="import", **kw)


def test_a_district_on_the_four_level_scale(db):
    """Nậm Pồ 2018: "50% tổ chức đảng đạt ... [xuất sắc]; hoàn thành tốt nhiệm vụ 45%; hoàn thành nhiệm vụ 5%"."""
    district, units = _district("NP", 20, D(2012, 1, 1))
    _rate(2018, zip(units, ["HTXSNV"] * 10 + ["HTTNV"] * 9 + ["HTNV"], strict=True))
    data = assessment(district, 2018)
    assert data["organizations"] == {
        "rated": 20, "by_rating": {"excellent": 10, "good": 9, "completed": 1, "not_completed": 0},
        "percent": {"excellent": 50.0, "good": 45.0, "completed": 5.0, "not_completed": 0.0}, "not_rated": 0}
    assert data["members"]["rated"] == 0 and data["subordinate_cells"]["rated"] == 0
    assert data["scale"]["code"] == "qd132_2018" and data["warnings"] == []
    assert assessment(units[0], 2018)["organizations"]["rated"] == 1  # a grassroots organization counts itself


def test_a_town_in_2004_on_the_older_scale(db):
    """Lai Châu 2004: "85,7% trong sạch vững mạnh, 14,3% hoàn thành nhiệm vụ"."""
    town, units = _district("LC", 7)
    _rate(2004, zip(units, ["Trong sạch vững mạnh"] * 6 + ["Hoàn thành nhiệm vụ"], strict=True))
    data = assessment(town, 2004)
    assert data["organizations"]["by_rating"] == {"clean_strong_exemplary": 0, "clean_strong": 6, "good": 0,
                                                  "completed": 1, "weak": 0}
    assert data["organizations"]["percent"]["clean_strong"] == 85.7
    assert data["organizations"]["percent"]["completed"] == 14.3
    assert data["scale"]["common_keys"]["clean_strong"] == "excellent"  # the mapping across scales, stated
    assert list(data["members"]["by_rating"]) == ["excellent", "good", "completed", "not_completed"]


def test_a_communes_cells_and_members(tree, make_member):
    """Mường Mô 2020: "3 chi bộ hoàn thành xuất sắc nhiệm vụ; hơn 14% đảng viên hoàn thành xuất sắc"."""
    with audit_context(source="system"):
        cells = [tree["C01"], tree["C02"]] + [
            est(code=f"C1{i}", name=f"Chi bộ bản {i}", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                established_on=D(2012, 1, 1)) for i in range(3)]
        members = [make_member(cells[i % 5], made_official_on=D(2016, 5, 19)) for i in range(49)]
    _rate(2020, zip(cells, ["HTXSNV"] * 3 + ["HTTNV"] * 2, strict=True))
    _rate(2020, zip(members, ["HTXSNV"] * 7 + ["HTTNV"] * 38 + ["HTNV"] * 4, strict=True))
    data = assessment(tree["X01"], 2020)
    assert data["subordinate_cells"]["by_rating"]["excellent"] == 3
    assert data["members"]["rated"] == 49 and data["members"]["percent"]["excellent"] == 14.3
    assert data["warnings"] == []
    district = assessment(tree["H01"], 2020)
    assert district["members"] == data["members"] and district["organizations"]["rated"] == 0


def test_a_rating_counts_where_it_was_decided_and_the_broken_rules_are_listed(tree, make_member):
    ms = [make_member(tree["C01"], made_official_on=D(2016, 5, 19)) for _i in range(4)]
    with audit_context(source="system"):
        cycle = cycle_open(organization=tree["X01"], year=2024, opened_on=D(2024, 11, 1))
        ratings_decide(cycle=cycle, decided_on=D(2024, 12, 20),
                       decisions=[RatingDecision(member=m, key="good") for m in ms[:3]])
    record_rating(year=2024, label="HTXSNV", member=ms[3], source="import")  # imported: 1 for 3 good, kept
    member_record_event(ms[0], kind="moved", effective_on=D(2025, 2, 1), cell=tree["C02"])
    discipline(ms[1], form="reprimand", decided_on=D(2024, 6, 1))  # recorded after the decision
    data = assessment(tree["C01"], 2024)
    assert data["members"]["rated"] == 4  # ms[0] still counts in C01, where they were rated
    assert assessment(tree["C02"], 2024)["members"]["rated"] == 0
    codes = {(w["code"], w["org"], w["group"]) for w in data["warnings"]}
    assert codes == {("excellent_over_cap", "X01", "members"), ("disciplined_above_limit", "C01", "members")}
    assert all(w["message"] for w in data["warnings"])


def test_suspended_members_count_among_those_not_rated_and_a_rating_of_one_is_a_warning(tree, make_member):
    from dangvu.lifecycle.services import lift_suspension, suspend
    from dangvu.reports.queries.assessment_lists import assessment_figure

    ms = [make_member(tree["C01"], made_official_on=D(2016, 5, 19)) for _i in range(4)]
    _rate(2024, [(ms[0], "HTTNV"), (ms[1], "HTTNV")])
    suspend(ms[1], on=D(2024, 10, 1), reason="prosecution")  # rated, then suspended by the year's end: a warning
    suspend(ms[2], on=D(2024, 10, 1), reason="investigation")  # not rated: suspended
    suspend(ms[3], on=D(2024, 2, 1), reason="investigation")
    lift_suspension(ms[3], on=D(2024, 5, 1))  # lifted before the year's end: simply not rated
    data = assessment(tree["C01"], 2024)
    assert (data["members"]["rated"], data["members"]["not_rated"]) == (2, 2)
    assert [(w["code"], w["org"]) for w in data["warnings"]] == [("suspended_rated", "C01")]
    assert "1" in data["warnings"][0]["message"]
    rows = {r["code"]: r for r in assessment_figure(tree["C01"], 2024, "members", "not_rated")}
    assert set(rows) == {ms[2].code, ms[3].code}
    assert rows[ms[2].code]["is_suspended"] and not rows[ms[3].code]["is_suspended"]


def test_a_year_the_organization_did_not_exist_is_an_error(tree):
    with pytest.raises(DomainError) as exc:
        assessment(tree["X01"], 2010)
    assert exc.value.field == "year"


def test_the_number_of_queries_does_not_grow_with_the_ratings(tree, make_member, django_assert_max_num_queries):
    ms = [make_member(tree["C01" if i % 2 else "C02"], made_official_on=D(2016, 5, 19)) for i in range(12)]
    _rate(2024, [(m, "HTTNV") for m in ms] + [(tree["C01"], "HTTNV"), (tree["X01"], "HTXSNV")])
    # the name, the counts, those not rated (2), the cap (2), discipline, exemptions, suspensions; PostgreSQL reads
    # the subtree first
    with django_assert_max_num_queries(10):
        assessment(tree["H01"], 2024)


def test_the_command_writes_json_and_xlsx(tree, make_member, tmp_path):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    _rate(2024, [(m, "Hoàn thành tốt nhiệm vụ")])
    out = io.StringIO()
    call_command("report", "assessment", "--org", "H01", "--year", "2024", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["org"]["code"] == "H01" and data["members"]["by_rating"]["good"] == 1 and data["warnings"] == []
    path = tmp_path / "xep-loai.xlsx"
    call_command("report", "assessment", "--org", "H01", "--year", "2024", "--format", "xlsx", "--output", str(path),
                 stdout=io.StringIO())
    cells = [c.value for row in load_workbook(path).active.iter_rows() for c in row if c.value is not None]
    assert "Đảng bộ huyện Mường Lay" in cells and "Hoàn thành tốt nhiệm vụ" in cells and 1 in cells


def test_the_page_and_the_api(client, tree, make_member, make_user):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    _rate(2024, [(m, "HTTNV"), (tree["X01"], "HTXSNV")])
    user = make_user("bantochuc", tree["H01"])
    client.force_login(user)
    page = client.get("/reports/assessment/", {"org": "H01", "year": "2024"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hoàn thành tốt nhiệm vụ" in html and ("100,0%" in html or "100.0%" in html)
    assert client.get("/reports/assessment/", {"org": "H01", "year": "hai nghìn"}).status_code == 400
    xlsx = client.get("/reports/assessment/", {"org": "H01", "year": "2024", "format": "xlsx"})
    assert xlsx["Content-Disposition"].endswith('xep-loai-H01-2024.xlsx"')
    api = client.get("/api/reports/assessment/", {"org": "H01", "year": "2024"})
    assert api.status_code == 200 and api.json()["organizations"]["by_rating"]["excellent"] == 1
    assert client.get("/api/reports/assessment/", {"org": "H01", "year": "1800"}).status_code == 400
    assert client.get("/api/reports/assessment/", {"org": "X01", "year": "2005"}).status_code == 400  # not yet established


def test_a_year_with_nothing_rated_shows_no_percentages(client, tree, make_user):
    """Nothing rated: the shares are left blank, not "0,0%" of nobody."""
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    html = client.get("/reports/assessment/", {"org": "H01", "year": "2024"}).content.decode()
    assert "Hoàn thành tốt nhiệm vụ" in html and "0,0%" not in html
    xlsx = client.get("/reports/assessment/", {"org": "H01", "year": "2024", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
