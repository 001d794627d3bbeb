"""Comparison (so sánh) of a report for two days or periods and for the sub-units side by side: every
compared figure is the figure of the report itself; the sub-units come from one grouped statement."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import organization_establish
from dangvu.reports import comparison, queries, statforms, views_compare
from dangvu.reports.comparison import PERIODS, SUBUNITS, Span

D = dt.date
DAY1, DAY2 = D(2023, 12, 31), D(2024, 12, 31)


@pytest.fixture
def people(tree, make_member):
    """Members in X01 (C01, C02) and X02, women and minorities unevenly, some joining in 2024, one leaving."""
    ms = [
        make_member(tree["C01"], name="Lò Thị Mai", sex="F", ethnicity="Thái", admitted_on=D(2015, 1, 10),
                    made_official_on=D(2016, 1, 10), card_number="12345678", religion="Công giáo",
                    general_education="12/12", political_theory_level="so_cap"),
        make_member(tree["C01"], name="Sùng A Páo", ethnicity="Mông", birth_date=D(1960, 1, 1), admitted_on=D(2012, 1, 1),
                    made_official_on=D(2013, 1, 1)),
        make_member(tree["C02"], name="Lường Thị Hoa", sex="F", ethnicity="Thái", admitted_on=D(2024, 3, 1)),
        make_member(tree["X02"], name="Cà Văn Lại", birth_date=D(1970, 5, 5), admitted_on=D(2012, 2, 1),
                    made_official_on=D(2013, 2, 1)),
        make_member(tree["X02"], name="Vì Thị Sen", sex="F", admitted_on=D(2014, 12, 31), made_official_on=D(2015, 12, 31)),
        make_member(tree["X02"], name="Quàng Văn Đi", admitted_on=D(2016, 5, 1), made_official_on=D(2017, 5, 1)),
    ]
    member_record_event(ms[5], kind=E.DIED, effective_on=D(2024, 6, 1))
    return ms


def _current_only(spec):
    """A form with the columns this period / same period last year / (%): compared on "this period"."""
    from dangvu.reports.statforms.layout import leaves

    return {c.key for c in leaves(spec.heads())} - {"number", "label"} == {"current", "last_year", "ratio"}


def _column(data, key):
    i = next(i for i, c in enumerate(data["columns"]) if c["key"] == key)
    return {r["key"]: r["values"][i] for r in data["rows"]}


def test_two_days_of_the_snapshot_equal_the_snapshot_of_each_day_with_the_difference(people, tree):
    data = comparison.compare_periods("snapshot", tree["H01"], Span(as_of=DAY1), Span(as_of=DAY2))
    assert data["mode"] == PERIODS
    for key, day in (("first", DAY1), ("second", DAY2)):
        snap = queries.snapshot(tree["H01"], day)
        values = _column(data, key)
        for group in ("organizations", "members"):
            for k, n in snap[group].items():
                assert values[f"{group}.{k}"] == n, (key, group, k)
    total = next(r for r in data["rows"] if r["key"] == "members.total")
    assert total["values"] == [5, 5] and total["difference"] == 0  # one admitted, one died
    female = next(r for r in data["rows"] if r["key"] == "members.female")
    assert female["values"] == [2, 3] and female["difference"] == 1 and female["change"] == 50.0


def test_two_days_of_the_profile_equal_the_profile_of_each_day(people, tree):
    data = comparison.compare_periods("profile", tree["H01"], Span(as_of=DAY1), Span(as_of=DAY2))
    for key, day in (("first", DAY1), ("second", DAY2)):
        members = queries.profile(tree["H01"], day)["members"]
        values = _column(data, key)
        assert values["total"] == members["total"]
        for breakdown in queries.BREAKDOWNS:
            for k, n in members[breakdown].items():
                assert values[f"{breakdown}.{k}"] == n, (key, breakdown, k)


def _build(number, org, span):
    """The form alone over the span (a form of a year: the year of the span's day)."""
    if statforms.FORMS[number].yearly:
        return statforms.build_form(number, org, year=span.day.year)
    return statforms.build_form(number, org, date_from=span.start, date_to=span.end, as_of=span.as_of)


@pytest.mark.parametrize("number", sorted(statforms.FORMS))
def test_two_periods_of_a_form_equal_the_form_of_each_period(people, tree, number):
    spec = statforms.FORMS[number]
    spans = ((Span(start=D(2023, 1, 1), end=DAY1), Span(start=D(2024, 1, 1), end=DAY2)) if spec.period
             else (Span(as_of=DAY1), Span(as_of=DAY2)))
    data = comparison.compare_periods(f"form-{number}", tree["H01"], *spans)
    for key, span in zip(("first", "second"), spans, strict=True):
        form = _build(number, tree["H01"], span)
        values = _column(data, key)
        for row in form["rows"]:
            if _current_only(spec):
                assert values[row["key"]] == row["values"]["current"], (key, row["key"])
            else:
                for col, n in row["values"].items():
                    assert values[f"{row['key']}.{col}"] == n, (key, row["key"], col)


def test_the_sub_units_equal_the_snapshot_and_profile_of_each_child(people, tree):
    for report in ("snapshot", "profile"):
        data = comparison.compare_subunits(report, tree["H01"], Span(as_of=DAY2))
        assert data["mode"] == SUBUNITS
        assert [c["key"] for c in data["columns"]] == ["total", "X01", "X02"]
        for code in ("H01", "X01", "X02"):
            values = _column(data, "total" if code == "H01" else code)
            if report == "snapshot":
                snap = queries.snapshot(tree[code], DAY2)
                expected = {f"{g}.{k}": n for g in ("organizations", "members") for k, n in snap[g].items()}
            else:
                members = queries.profile(tree[code], DAY2)["members"]
                expected = {"total": members["total"],
                            **{f"{b}.{k}": n for b in queries.BREAKDOWNS for k, n in members[b].items()}}
            for k, n in expected.items():
                assert values.get(k, 0) == n, (report, code, k)


@pytest.mark.parametrize("number", sorted(statforms.FORMS))
def test_the_sub_units_of_a_form_equal_the_form_of_each_child(people, tree, number):
    spec = statforms.FORMS[number]
    span = Span(start=D(2024, 1, 1), end=DAY2) if spec.period else Span(as_of=DAY2)
    data = comparison.compare_subunits(f"form-{number}", tree["H01"], span)
    for code in ("X01", "X02"):
        form = _build(number, tree[code], span)
        values = _column(data, code)
        for row in form["rows"]:
            if _current_only(spec):
                assert values[row["key"]] == row["values"]["current"]
            else:
                for col, n in row["values"].items():
                    assert values[f"{row['key']}.{col}"] == n, (code, row["key"], col)


def test_sorting_the_sub_units_by_the_share_of_women(people, tree):
    data = comparison.compare_subunits("snapshot", tree["H01"], Span(as_of=DAY2), sort="members.female", by_share=True)
    # X01: 2 women of 3 (66,7%); X02: 1 of 2 (50%)
    assert [c["key"] for c in data["columns"]] == ["total", "X01", "X02"]
    female = next(r for r in data["rows"] if r["key"] == "members.female")
    assert female["shares"] == [60.0, 66.7, 50.0]
    data = comparison.compare_subunits("snapshot", tree["H01"], Span(as_of=DAY2), sort="members.official")
    assert [c["key"] for c in data["columns"]] == ["total", "X01", "X02"]  # 2 official each: by code
    data = comparison.compare_subunits("snapshot", tree["H01"], Span(as_of=DAY2), sort="members.probationary")
    assert [c["key"] for c in data["columns"]] == ["total", "X01", "X02"]
    data = comparison.compare_subunits("snapshot", tree["H01"], Span(as_of=DAY1), sort="members.total")
    assert [c["key"] for c in data["columns"]] == ["total", "X02", "X01"]  # 3 against 2 at the end of 2023


def test_the_sub_units_query_count_does_not_grow_with_members_or_sub_units(people, tree, make_member,
                                                                         django_assert_max_num_queries):
    """Snapshot and profile by sub-unit: a fixed number of statements, however many members and sub-units."""
    def count(report):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            comparison.compare_subunits(report, tree["H01"], Span(as_of=DAY2))
        return len(ctx.captured_queries)

    before = {r: count(r) for r in ("snapshot", "profile")}
    for i in range(4):
        x = organization_establish(code=f"XN{i}", name=f"Chi bộ mới {i}", kind=K.GRASSROOTS_CELL, parent=tree["H01"],
                                   established_on=D(2012, 1, 1))
        for _j in range(3):
            make_member(x, admitted_on=D(2020, 1, 1))
    after = {r: count(r) for r in ("snapshot", "profile")}
    assert after == before
    with django_assert_max_num_queries(8):
        comparison.compare_subunits("snapshot", tree["H01"], Span(as_of=DAY2))
    with django_assert_max_num_queries(10):
        comparison.compare_subunits("profile", tree["H01"], Span(as_of=DAY2))


def test_a_form_by_sub_unit_costs_a_fixed_number_of_statements_per_sub_unit(people, tree, make_member):
    """Forms 1, 5, 7 take one root per build: O(sub-units) statements, never O(members)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            comparison.compare_subunits("form-1", tree["H01"], Span(start=D(2024, 1, 1), end=DAY2))
        return len(ctx.captured_queries)

    two = count()
    for _j in range(5):
        make_member(tree["X02"], admitted_on=D(2024, 2, 1))
    assert count() == two  # more members: the same
    organization_establish(code="XN9", name="Chi bộ mới", kind=K.GRASSROOTS_CELL, parent=tree["H01"],
                           established_on=D(2012, 1, 1))
    three = count()
    per_unit = three - two
    assert 0 < per_unit <= 12
    assert three == two + per_unit


def test_numbers_are_written_the_vietnamese_way():
    assert comparison.number_text(1154) == "1.154"
    assert comparison.number_text(24.8) == "24,8"
    assert comparison.percent_text(24.8) == "24,8%"
    assert comparison.signed_text(-1154) == "−1.154"
    assert comparison.signed_text(3) == "+3"
    assert [comparison.signed_percent_text(v) for v in (3.2, -9.1, 0.0, 0.04)] == ["+3,2%", "−9,1%", "0,0%", "0,0%"]


def test_the_workbook_holds_the_compared_figures(people, tree):
    data = comparison.compare_subunits("snapshot", tree["H01"], Span(as_of=DAY2))
    ws = openpyxl.load_workbook(io.BytesIO(comparison.xlsx(data))).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert any(r[0] == "Tính đến ngày 31/12/2024" for r in cells[:4])  # the day said as the reports say it
    total = next(r for r in cells if r[1] == "Tổng số đảng viên" or r[1] == "Total party members")
    assert total[2:8] == [5, None, 3, None, 2, None]


def test_the_page_the_workbook_and_the_api_show_the_comparison(people, tree, client, make_user):
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    url = reverse("reports:compare")
    response = client.get(url, {"org": "H01", "report": "snapshot", "mode": "subunits", "as_of": "31/12/2024",
                                "sort": "members.female", "share": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đảng bộ xã Nà Hỳ" in html and "66,7%" in html and "▼" in html
    response = client.get(url, {"org": "H01", "report": "snapshot", "mode": "periods", "a": "31/12/2023",
                                "b": "31/12/2024"})
    assert response.status_code == 200 and "+1" in response.content.decode() and "50,0%" in response.content.decode()
    response = client.get(url, {"org": "H01", "report": "form-1", "mode": "subunits", "from": "01/01/2024",
                                "to": "31/12/2024", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    name = response["Content-Disposition"].split('filename="')[1]
    assert name.startswith("so-sanh-") and "-don-vi-truc-thuoc-H01.xlsx" in name, name  # Vietnamese, no mode key
    openpyxl.load_workbook(io.BytesIO(response.content))
    api = client.get("/api/reports/compare/", {"org": "H01", "report": "profile", "mode": "periods",
                                                "a": "2023-12-31", "b": "2024-12-31"})
    assert api.status_code == 200
    assert api.json()["rows"][0] == {**api.json()["rows"][0], "key": "total", "values": [5, 5]}


@pytest.mark.parametrize("query", [
    {"report": "nothing"}, {"mode": "sideways"}, {"a": "32/13/2024"}, {"report": "form-1", "from_a": "2024-12-31",
                                                                         "to_a": "2024-01-01"},
    {"mode": "subunits", "sort": "members.nothing"}, {"format": "pdf"},
])
def test_bad_parameters_answer_a_vietnamese_message_not_an_error_page(tree, client, make_user, query):
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    response = client.get(reverse("reports:compare"), {"org": "H01", **query}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert 'class="alert alert-error"' in response.content.decode()
    api = client.get("/api/reports/compare/", {"org": "H01", **{k: v for k, v in query.items() if k != "format"}})
    assert api.status_code in (400, 200)
    if query.get("format") is None:
        assert api.status_code == 400


def test_a_commune_user_compares_only_inside_the_commune(people, tree, client, make_user):
    client.force_login(make_user("bantochucxa", tree["X01"], "organizer"))
    url = reverse("reports:compare")
    assert client.get(url, {"org": "H01", "mode": "subunits"}).status_code == 404
    assert client.get(url, {"org": "X02", "mode": "periods"}).status_code == 404
    assert client.get("/api/reports/compare/", {"org": "H01", "mode": "subunits"}).status_code == 404
    response = client.get(url, {"mode": "subunits"})
    html = response.content.decode()
    assert response.status_code == 200 and "Chi bộ bản Nà Hỳ 1" in html and "Trường THCS" not in html


_LINK = re.compile(r'<td class="num"><a href="([^"]+)"[^>]*>([\d.,]+)</a>')
_QUERIES = {PERIODS: ({"a": "31/12/2023", "b": "31/12/2024"},
                      {"from_a": "01/01/2023", "to_a": "31/12/2023", "from_b": "01/01/2024", "to_b": "31/12/2024"}),
            SUBUNITS: ({"as_of": "31/12/2024"}, {"from": "01/01/2024", "to": "31/12/2024"})}


@pytest.mark.parametrize("mode", [PERIODS, SUBUNITS])
@pytest.mark.parametrize("report", ["snapshot", "profile", *(f"form-{n}" for n in statforms.FORMS)])
def test_every_compared_count_opens_the_list_of_as_many_names(people, tree, client, make_user, make_member, report,
                                                              mode):
    from dangvu.assessment.services import record_rating
    from dangvu.core.audit import audit_context

    make_member(tree["X02"], name="Lò Văn Tâm", admitted_on=D(2023, 6, 1), occupation="Giáo viên")
    make_member(tree["X02"], name="Lò Thị Thu", admitted_on=D(2024, 6, 1), sex="F")
    for member, day, number in ((people[1], D(2023, 3, 1), "11111111"), (people[1], D(2024, 3, 1), "22222222"),
                                (people[3], D(2024, 4, 1), "33333333")):  # member work (form 7) in both years
        member_record_event(member, kind=E.CARD_ISSUED, effective_on=day, value=number)
    with audit_context(source="system"):
        record_rating(year=2024, label="Hoàn thành tốt nhiệm vụ", member=people[0])
        record_rating(year=2024, label="Hoàn thành tốt nhiệm vụ", organization=tree["X02"])
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    spec = comparison.report_spec(report)
    query = {"org": "H01", "report": report, "mode": mode, **_QUERIES[mode][spec[2]]}
    html = client.get(reverse("reports:compare"), query).content.decode()
    links = _LINK.findall(html)
    p = views_compare.parse(query, D(2026, 1, 1))
    data = views_compare.run(tree["H01"], p, drill=True)
    expected = [(r["key"], i) for r in data["rows"] for i, v in enumerate(r["values"]) if v and r["drills"][i]]
    assert len(links) == len(expected) > 0
    if report in ("snapshot", "profile"):  # every count of these reports has its list
        assert all(r["drills"][i] for r in data["rows"] for i, v in enumerate(r["values"]) if v)
    columns = {c["key"] for c in data["columns"]}
    assert len(columns) == (2 if mode == PERIODS else 3)
    assert {i for _key, i in expected} == set(range(len(columns)))  # each column links: both days, every unit
    for href, number in links:
        listing = client.get(unescape(href)).content.decode()
        assert f'<span class="muted">({number})</span>' in listing, (report, mode, href)


def test_two_periods_of_form_2_align_each_occupation_by_its_name(tree, make_member):
    make_member(tree["C01"], admitted_on=D(2023, 5, 1), occupation="Giáo viên")
    make_member(tree["C01"], admitted_on=D(2024, 5, 1), occupation="Nông dân")
    data = comparison.compare_periods("form-2", tree["H01"], Span(start=D(2023, 1, 1), end=DAY1),
                                      Span(start=D(2024, 1, 1), end=DAY2))
    occupations = {r["label"]: r["values"] for r in data["rows"] if r["key"].startswith("occupation:")}
    assert occupations == {"Giáo viên": [1, 0], "Nông dân": [0, 1]}


def test_changing_the_report_of_a_sorted_comparison_keeps_the_sort_only_where_the_row_exists(people, tree, client,
                                                                                            make_user):
    """The form of a page sorted by a row carries that row; choosing another report (whose rows differ) and
    submitting shows that report unsorted, not an error naming a row key."""
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    url = reverse("reports:compare")
    sorted_page = client.get(url, {"org": "H01", "report": "snapshot", "mode": "subunits", "as_of": "31/12/2024",
                                   "sort": "members.female", "share": "1"}).content.decode()
    form = sorted_page.split("<main", 1)[1].split("<form", 1)[1].split("</form>", 1)[0]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert hidden.get("sort") is None and hidden.get("keep_sort") == "members.female", hidden
    submitted = {"org": "H01", "mode": "subunits", "as_of": "31/12/2024", **hidden}
    other = client.get(url, {**submitted, "report": "profile"}, HTTP_ACCEPT_LANGUAGE="vi")
    html = other.content.decode().split("<main", 1)[1]
    assert other.status_code == 200 and "members.female" not in html and "alert-error" not in html
    same = client.get(url, {**submitted, "report": "snapshot"}).content.decode()
    assert "▼" in same and "66,7%" in same


def test_statistics_forms_are_named_bieu_as_on_their_pages(people, tree, client, make_user):
    """A statistics form is a "Biểu" (Biểu số 1-BTCTW), not a "Mẫu" (a document template): in the comparison's
    choice of reports, its downloads, and the link back from a form's list."""
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    with translation.override("vi"):
        names = {key: str(label) for key, label, _period in comparison.reports()}
        assert names["form-1"].startswith("Biểu 1-BTCTW"), names["form-1"]
    listing = client.get(reverse("reports:figure_list"), {"org": "H01", "source": "period", "figure": "admitted",
                                                          "from": "2024-01-01", "to": "2024-12-31", "form": "1"},
                         HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "‹ Biểu 1-BTCTW" in listing and "Mẫu 1-BTCTW" not in listing
