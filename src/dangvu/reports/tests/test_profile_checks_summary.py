"""`report profile`, `report checks`, `report summary` (contracts §1, §3): the figures and the rules they
follow, the command line (exit codes, files), the pages and the API."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest
from django.db import connections

from dangvu import cli
from dangvu import regulations as R
from dangvu.lifecycle.services import party_age
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_readmit, member_record_event
from dangvu.organizations.services import Decision
from dangvu.reports import queries, summary
from dangvu.reports.queries.profile import band_keys

D = dt.date
DAY = D(2024, 12, 31)


@pytest.fixture
def people(tree, make_member):
    """Five members of H01 on DAY with varied profiles; one readmitted after a gap, one with an
    admission decision dated before the ceremony."""
    ms = [
        make_member(tree["C01"], name="Lò Thị Mai", sex="F", ethnicity="Thái", birth_date=D(1995, 6, 1),
                    admitted_on=D(2018, 1, 10), made_official_on=D(2019, 1, 10), card_number="12345678",
                    general_education="12/12", political_theory_level="so_cap", religion="Công giáo"),
        make_member(tree["C01"], name="Sùng A Páo", ethnicity="Mông", birth_date=D(1960, 1, 1),
                    admitted_on=D(2012, 1, 1), made_official_on=D(2013, 1, 1), card_number="22345678",
                    general_education="9/12", political_theory_level="trung_cap"),
        make_member(tree["C02"], name="Nguyễn Văn An", birth_date=D(1984, 12, 31), admitted_on=D(2023, 3, 1)),
        make_member(tree["X02"], name="Cà Văn Lại", birth_date=D(1970, 5, 5), admitted_on=D(2012, 2, 1),
                    made_official_on=D(2013, 2, 1), card_number="32345678"),
        make_member(tree["X02"], name="Vì Văn Sớm", birth_date=D(1975, 5, 5), admitted_on=D(2014, 12, 31),
                    made_official_on=D(2015, 12, 31), decision=Decision("5-QĐ/HU", D(2014, 12, 20))),
    ]
    member_record_event(ms[3], kind=E.REMOVED, effective_on=D(2016, 1, 1))
    member_readmit(ms[3], on=D(2019, 1, 1), cell=tree["X02"])
    return ms


def test_every_breakdown_adds_up_to_the_total_and_has_the_contract_keys(people, tree):
    data = queries.profile(tree["H01"], DAY)
    assert data["org"] == {"code": "H01", "name": "Đảng bộ huyện Mường Lay"} and data["as_of"] == "2024-12-31"
    members = data["members"]
    assert set(members) == {"total", *queries.BREAKDOWNS}
    assert members["total"] == 5
    for key in queries.BREAKDOWNS:
        assert sum(members[key].values()) == 5, key
    assert members["by_sex"] == {"male": 4, "female": 1}
    assert members["by_ethnicity"] == {"Kinh": 3, "Mông": 1, "Thái": 1}  # keyed by the Vietnamese name
    assert members["by_religion"] == {"Không": 4, "Công giáo": 1}
    assert members["by_education"] == {"12/12": 1, "9/12": 1, "unknown": 3}
    assert members["by_political_theory"] == {"Sơ cấp": 1, "Trung cấp": 1, "unknown": 3}
    assert list(members["by_age_band"]) == ["18-30", "31-35", "36-40", "41-45", "46-50", "51-55", "56-60", "61+"]
    # 29, 64, 40 (born 31/12/1984: 40 that very day), 54, 49
    assert {k: v for k, v in members["by_age_band"].items() if v} == {"18-30": 1, "36-40": 1, "46-50": 1, "51-55": 1,
                                                                     "61+": 1}


def test_party_age_bands_follow_the_rule_of_the_regulations(people, tree):
    """Gaps left out (the readmitted member: 12 years 11 months less 3 years out → under 10) and the
    decision date counted (admitted 31/12/2014 by a decision of 20/12/2014: 10 years on 31/12/2024, and
    already on 20/12/2024 by the decision)."""
    by_band = queries.profile(tree["H01"], DAY)["members"]["by_party_age_band"]
    assert list(by_band) == ["<10", "10-19", "20-29", "30-39", "40+"]
    expected: dict[str, int] = dict.fromkeys(by_band, 0)
    for m in people:
        years = party_age(m, DAY).years
        expected[band_keys((0, 10, 20, 30, 40))[min(years // 10, 4)]] += 1
    assert by_band == expected
    assert party_age(people[3], DAY).years == 9  # the gap is left out: 12 years in the records
    assert by_band == {"<10": 3, "10-19": 2, "20-29": 0, "30-39": 0, "40+": 0}
    day = D(2024, 12, 20)  # 10 years from the decision, not yet from the ceremony
    assert party_age(people[4], day).years == 10
    assert queries.profile(tree["H01"], day)["members"]["by_party_age_band"]["10-19"] == 2


def test_bands_come_from_the_settings(people, tree, settings):
    settings.DANGVU_REPORT_AGE_BANDS = "18,41"
    settings.DANGVU_REPORT_PARTY_AGE_BANDS = [0, 5]
    members = queries.profile(tree["H01"], DAY)["members"]
    assert members["by_age_band"] == {"18-40": 2, "41+": 3}
    assert members["by_party_age_band"] == {"<5": 1, "5+": 4}


def test_a_day_the_organization_did_not_exist_is_an_error(tree):
    from dangvu.core.errors import DomainError

    for query in (queries.profile, queries.checks):
        with pytest.raises(DomainError):
            query(tree["X01"], D(2000, 1, 1))


def test_checks_find_cells_below_the_minimum_probations_overdue_and_missing_cards(people, tree):
    data = queries.checks(tree["H01"], DAY)
    assert data["org"]["code"] == "H01" and data["as_of"] == "2024-12-31"
    found = {(f["code"], f["subject"]) for f in data["findings"]}
    # C01 has 2 official, C02 none, X02 1 (the readmitted member is probationary again): all under 3
    assert {s for c, s in found if c == "cell_below_minimum"} == {"C01", "C02", "X02"}
    # admitted 01/03/2023: probation ended 01/03/2024, the cell's 30 working days long past
    assert {s for c, s in found if c == "probation_overdue"} == {people[2].code, people[3].code}
    assert {s for c, s in found if c == "card_missing"} == {people[4].code}
    assert data["counts"] == {"cell_below_minimum": 3, "probation_overdue": 2, "card_missing": 1}
    assert all(f["message"] for f in data["findings"])


def test_the_minimum_of_a_cell_comes_from_the_rules(people, tree, monkeypatch):
    original = R.rules_on
    monkeypatch.setattr(R, "rules_on", lambda day, *a, **kw: dataclasses.replace(
        original(day, *a, **kw), cell_min_official_members=2))
    cells = {f["subject"] for f in queries.checks(tree["H01"], DAY)["findings"] if f["code"] == "cell_below_minimum"}
    assert cells == {"C02", "X02"}


def test_a_probation_within_its_time_limit_is_no_finding(people, tree):
    day = D(2024, 3, 5)  # probation ended 01/03/2024: the cell still has 30 working days
    codes = {(f["code"], f["subject"]) for f in queries.checks(tree["H01"], day)["findings"]}
    assert ("probation_overdue", people[2].code) not in codes


def test_ratings_over_the_cap_are_findings(people, tree):
    from dangvu.assessment.services import record_rating

    for m in people[:2]:
        record_rating(year=2024, label="Hoàn thành xuất sắc nhiệm vụ", source="import", member=m)
    data = queries.checks(tree["H01"], DAY)
    assert data["assessment_year"] == 2024
    assert data["counts"].get("excellent_over_cap") == 1


def test_numbers_and_percentages_in_vietnamese_form_from_the_counts():
    assert summary.number(2260) == "2.260" and summary.number(1154) == "1.154" and summary.number(7) == "7"
    assert summary.percent(560, 2260) == "24,8%"  # 24.778…
    assert summary.percent(1, 8) == "12,5%" and summary.percent(1, 3) == "33,3%" and summary.percent(0, 5) == "0,0%"
    assert summary.percent(3, 0) == ""


def test_the_summary_writes_the_figures_of_the_snapshot(people, tree, monkeypatch):
    snap = {"org": {"code": "H01", "name": "Đảng bộ huyện A"}, "as_of": "2024-12-31",
            "organizations": {"grassroots": 41, "grassroots_committees": 17, "grassroots_cells": 24,
                              "partial_committees": 0, "subordinate_cells": 146},
            "members": {"total": 2260, "official": 2200, "probationary": 60, "female": 560, "ethnic_minority": 1000,
                        "religious": 12, "exempted": 0}}
    monkeypatch.setattr(queries, "snapshot", lambda org, day: snap)
    text = summary.summary(tree["H01"], DAY)["text"]
    assert text.startswith("Tính đến ngày 31/12/2024, Đảng bộ huyện A có 41 tổ chức cơ sở đảng, trong đó "
                           "17 đảng bộ cơ sở, 24 chi bộ cơ sở; 146 chi bộ trực thuộc; 2.260 đảng viên")
    assert "560 đảng viên nữ (chiếm 24,8%)" in text and "1.000 đảng viên là người dân tộc thiểu số (chiếm 44,2%)" in text


def test_the_summary_of_a_year_adds_the_flows_and_the_ratings(people, tree):
    data = summary.summary(tree["H01"], DAY, 2024)
    assert set(data) == {"org", "as_of", "text", "year"} and data["year"] == 2024
    assert "Năm 2024, kết nạp 0 đảng viên mới" in data["text"]
    assert "5 đảng viên" in data["text"]


# --- the command line ----------------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch, capsys):
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def _run(*args):
        try:
            code = cli.main(["report", *args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.mark.parametrize("report", ["profile", "checks", "summary"])
def test_the_command_answers_a_bad_code_or_date_with_a_vietnamese_message_and_1(run, people, report):
    for args, fragment in ((["--org", "NOPE", "--as-of", "2024-12-31"], "NOPE"),
                           (["--org", "H01", "--as-of", "31-12-2024"], "31-12-2024"),
                           (["--org", "X01", "--as-of", "2000-01-01"], "không tồn tại")):
        code, out, err = run(report, *args)
        assert code == 1, (args, out, err)
        assert err.startswith("Lỗi: ") and fragment in err and "Traceback" not in err


def test_the_command_writes_the_profile_and_the_checks_as_json(run, people):
    code, out, err = run("profile", "--org", "H01", "--as-of", "2024-12-31", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["members"]["total"] == 5
    code, out, err = run("checks", "--org", "H01", "--as-of", "31/12/2024")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"org", "as_of", "counts", "findings"}
    assert set(data["findings"][0]) >= {"code", "subject", "message"}


def test_the_command_writes_xlsx_with_text_as_text(run, people, tmp_path):
    people[0].full_name = "=HYPERLINK(1)"
    people[0].save()
    for report in ("profile", "checks"):
        path = tmp_path / f"{report}.xlsx"
        code, _out, err = run(report, "--org", "H01", "--as-of", "2024-12-31", "--format", "xlsx", "--output", str(path))
        assert code == 0, err
        ws = openpyxl.load_workbook(path).active
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        assert "Đảng bộ huyện Mường Lay" in [c.value for c in cells]
        assert all(c.data_type != "f" for c in cells)
    code, _out, err = run("checks", "--org", "H01", "--as-of", "2024-12-31", "--format", "xlsx")
    assert code == 1 and "--output" in err


def test_the_command_writes_the_summary_as_text_json_and_docx(run, people, tmp_path):
    code, out, err = run("summary", "--org", "H01", "--as-of", "2024-12-31")
    assert code == 0, err
    assert out.startswith("Tính đến ngày 31/12/2024, Đảng bộ huyện Mường Lay có")
    code, out, err = run("summary", "--org", "H01", "--as-of", "2024-12-31", "--year", "2024", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["text"].startswith("Tính đến ngày")
    path = tmp_path / "s.docx"
    code, _out, err = run("summary", "--org", "H01", "--as-of", "2024-12-31", "--format", "docx", "--output", str(path))
    assert code == 0, err
    assert "Đảng bộ huyện Mường Lay có" in zipfile.ZipFile(path).read("word/document.xml").decode()
    code, _out, err = run("summary", "--org", "H01", "--format", "xlsx")
    assert code == 1 and "xlsx" in err


# --- the pages and the API -----------------------------------------------------------------------------


@pytest.fixture
def organizer(make_user, tree, client):
    user = make_user("tochuc", tree["H01"], "organizer")
    client.force_login(user)
    return user


def test_the_pages_show_the_reports_with_their_downloads(client, organizer, people):
    html = client.get("/reports/profile/", {"org": "H01", "as_of": "31/12/2024"}).content.decode()
    assert 'data-key="by_ethnicity.Thái"' in html and "format=xlsx" in html
    assert 'data-key="empty"' not in html
    empty = client.get("/reports/profile/", {"org": "H01", "as_of": "01/01/1990"}).content.decode()
    assert "không có đảng viên nào" in empty and 'data-key="by_sex.' not in empty  # no empty tables
    html = client.get("/reports/checks/", {"org": "H01", "as_of": "2024-12-31"}).content.decode()
    assert f'href="/lifecycle/members/{people[4].code}/card/"' in html
    assert 'href="/organizations/C02/"' in html
    response = client.get("/reports/summary/", {"org": "H01", "as_of": "2024-12-31", "year": "2024"})
    html = response.content.decode()
    assert "data-copy-target" in html and "format=docx" in html and "Tính đến ngày 31/12/2024" in html
    response = client.get("/reports/summary/", {"org": "H01", "as_of": "2024-12-31", "format": "docx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.get("/reports/profile/", {"org": "H01", "as_of": "2024-12-31", "format": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active["A1"].value
    response = client.get("/reports/checks/", {"org": "H01", "as_of": "2024-12-31", "format": "json"})
    assert json.loads(response.content)["counts"]["card_missing"] == 1
    assert client.get("/reports/profile/", {"org": "H01", "as_of": "tomorrow"}).status_code == 400


def test_the_api_answers_with_the_contract(client, organizer, people):
    data = client.get("/api/reports/profile/", {"org": "H01", "as_of": "2024-12-31"}).json()
    assert data["members"]["total"] == 5 and sum(data["members"]["by_sex"].values()) == 5
    data = client.get("/api/reports/checks/", {"org": "H01", "as_of": "2024-12-31"}).json()
    assert data["counts"]["card_missing"] == 1
    data = client.get("/api/reports/summary/", {"org": "H01", "as_of": "2024-12-31", "year": 2024}).json()
    assert set(data) >= {"org", "as_of", "text"}
    assert client.get("/api/reports/profile/", {"org": "NOPE"}).status_code == 404


def test_a_card_held_before_leaving_the_party_is_no_card_after_readmission(tree, make_member, make_user):
    """The card is withdrawn on leaving (the record clears it at readmission): a readmitted member, official
    again, without a new card is `card_missing`, as the to-do's cards to issue count them; a new card clears it."""
    from dangvu.lifecycle.todo import cards_not_issued

    m = make_member(tree["C01"], name="Lèo Thị Lả", sex="F", birth_date=D(1970, 3, 3), admitted_on=D(2013, 1, 9),
                    made_official_on=D(2014, 1, 9), card_number="11003586")
    member_record_event(m, kind=E.REMOVED, effective_on=D(2018, 7, 11))
    member_readmit(m, on=D(2021, 11, 15), cell=tree["C01"])
    member_record_event(m, kind=E.MADE_OFFICIAL, effective_on=D(2022, 11, 15))
    found = {f["subject"] for f in queries.checks(tree["H01"], DAY)["findings"] if f["code"] == "card_missing"}
    assert m.code in found
    todo = {x.code for x in cards_not_issued(make_user("bantochuc", tree["H01"], "organizer"))}
    assert m.code in todo
    member_record_event(m, kind=E.CARD_ISSUED, effective_on=D(2023, 3, 1), value="61000999")
    found = {f["subject"] for f in queries.checks(tree["H01"], DAY)["findings"] if f["code"] == "card_missing"}
    assert m.code not in found


def test_the_api_documents_the_default_bands_the_report_uses():
    """The help of the API's band breakdowns lists the default bands from the report's own defaults, all of
    them, in Vietnamese by default."""
    from django.utils import translation

    from dangvu.reports.api_as_of import _ProfileMembersSerializer
    from dangvu.reports.queries.profile import DEFAULT_AGE_BANDS, DEFAULT_PARTY_AGE_BANDS, band_keys

    fields = _ProfileMembersSerializer().fields
    with translation.override("vi"):
        age, party_age = str(fields["by_age_band"].help_text), str(fields["by_party_age_band"].help_text)
    assert age.startswith("Theo nhóm tuổi đời") and age.endswith("mặc định " + ", ".join(band_keys(DEFAULT_AGE_BANDS)) + ").")
    assert party_age.endswith("mặc định " + ", ".join(band_keys(DEFAULT_PARTY_AGE_BANDS)) + ").")
