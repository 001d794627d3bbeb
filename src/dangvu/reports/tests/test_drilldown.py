"""Drill-down of the statistics forms and the profile: every cell a form links opens the list of what it
counts, with the same filters — as many rows as the cell's number (the list query against the form's
query), and for some cells against a plain Python count over the records."""

from __future__ import annotations

import io
import re
from html import unescape

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.lifecycle.transfers import transfer_issue
from dangvu.members.models import MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.services import organization_move
from dangvu.reports import queries
from dangvu.reports.queries.assessment_lists import assessment_figure
from dangvu.reports.queries.figure_lists import figure_rows
from dangvu.reports.statforms import FORMS, build_form
from dangvu.reports.statforms.layout import cell_drill

from .flows_helpers import D, F, T, record


@pytest.fixture
def busy(big_tree, make_member):
    """A year of every kind of flow and member work in X01 (2024), a quieter 2023."""
    t = big_tree
    for _ in range(3):
        make_member(t["C01"], made_official_on=D(2016, 5, 19))
    make_member(t["C02"], admitted_on=D(2024, 3, 1), sex="F")
    make_member(t["C02"], admitted_on=D(2023, 3, 1), ethnicity="Thái")
    make_member(t["C01"], admitted_on=D(2010, 5, 1), placed_on=D(2024, 2, 1))  # from outside the database
    mover = make_member(t["X02"], made_official_on=D(2016, 5, 19))
    record(mover, E.MOVED, D(2024, 4, 1), t["C01"])
    leaver = make_member(t["C01"], made_official_on=D(2016, 5, 19), sex="F")
    record(leaver, E.MOVED, D(2024, 5, 1), t["C03"])
    away = make_member(t["C02"], made_official_on=D(2016, 5, 19))
    record(away, E.TRANSFERRED_OUT, D(2024, 9, 1))
    for kind in (E.DIED, E.EXPELLED, E.RESIGNED):
        record(make_member(t["C01"], made_official_on=D(2016, 5, 19)), kind, D(2024, 7, 1))
    probationer = make_member(t["C02"], admitted_on=D(2023, 9, 1))
    record(probationer, E.REMOVED, D(2024, 8, 1))
    a = make_member(t["C01"], made_official_on=D(2016, 5, 19), admitted_on=D(1994, 2, 3), birth_date=D(1960, 1, 1),
                    placed_on=D(2015, 1, 1))
    b = make_member(t["C01"], made_official_on=D(2016, 5, 19), admitted_on=D(1984, 2, 3), birth_date=D(1960, 1, 1),
                    placed_on=D(2015, 1, 1), sex="F")
    record(a, E.BADGE_AWARDED, D(2024, 2, 3), value="30")
    record(b, E.BADGE_AWARDED, D(2024, 2, 3), value="40")
    record(b, E.BADGE_AWARDED, D(2023, 2, 3), value="40")
    record(a, E.CARD_ISSUED, D(2024, 3, 1), value="12345678")
    record(b, E.CARD_ISSUED, D(2020, 3, 1), value="12345679")
    record(b, E.CARD_ISSUED, D(2024, 3, 1), value="12345670")
    record(b, E.EXEMPTED, D(2024, 5, 1), value="age")
    transfer_issue(a, kind="temporary", issued_on=D(2024, 6, 1), destination="Công ty X, Hà Nội", months=6)
    make_member(t["C04"], made_official_on=D(2016, 5, 19), religion="Phật giáo")
    make_member(t["C03"], made_official_on=D(2016, 5, 19))
    return t


def _cells(number, org):
    spec = FORMS[number]
    data = build_form(number, org, year=T.year) if spec.yearly else build_form(number, org, date_from=F, date_to=T,
                                                                                 as_of=T)
    for row in data["rows"]:
        for column, value in row["values"].items():
            target = cell_drill(spec, data, row, column)
            if target is not None:
                yield row, column, value, target


def _params(target):
    params = dict(target)
    for key in ("as_of", "from", "to"):
        if key in params:
            params[key] = D.fromisoformat(params[key])
    return params


@pytest.mark.parametrize("number", [n for n in sorted(FORMS) if FORMS[n].drill is not None])
@pytest.mark.parametrize("code", ["H01", "X01", "C01"])
def test_every_linked_cell_lists_as_many_rows_as_its_number(busy, number, code):
    org = busy[code]
    checked = 0
    for row, column, value, target in _cells(number, org):
        if target.get("list") == "reports:assessment_list":  # form 6: the assessment's own lists
            rows = assessment_figure(org, target["year"], target["group"], target["figure"])
        else:
            rows, _subject = figure_rows(org, target["source"], _params(target))
        assert rows.count() == value, (number, code, row["key"], column, target)
        checked += 1
    assert checked >= 5  # many cells link; a zero links too (an empty list)


def test_the_counts_that_link_cover_every_count_but_the_reorganized(busy):
    data = build_form(1, busy["H01"], date_from=F, date_to=T)
    assert {r["key"] for r in data["rows"] if cell_drill(FORMS[1], data, r, "current") is None} == {
        "reorganized_in", "reorganized_out"}


def test_lists_agree_with_a_plain_count_over_the_records(busy):
    x01 = busy["X01"]
    # form 1, admitted in 2024: ADMITTED events of the period whose member was placed in X01's cells that day
    cells = {busy["C01"].pk, busy["C02"].pk, busy["C04"].pk, busy["P01"].pk, x01.pk}
    admitted = [e for e in MemberEvent.objects.filter(kind=E.ADMITTED) if F <= e.effective_on <= T
                and any(p.cell_id in cells and p.valid_from <= e.effective_on
                        and (p.valid_to is None or p.valid_to > e.effective_on)
                        for p in MemberPeriod.objects.filter(member_id=e.member_id))]
    rows, _s = figure_rows(x01, "period", {"from": F, "to": T, "figure": "admitted"})
    assert sorted(r["code"] for r in rows) == sorted(e.member.code for e in admitted) and len(admitted) == 1
    # profile, women on 31/12/2024 under H01: every member period of the day, counted in Python
    women = [p for p in MemberPeriod.objects.select_related("member") if p.valid_from <= T
             and (p.valid_to is None or p.valid_to > T) and p.member.sex == "F"]
    rows, _s = figure_rows(busy["H01"], "profile", {"as_of": T, "breakdown": "by_sex", "key": "female"})
    assert {r["code"] for r in rows} == {p.member.code for p in women}
    assert rows.count() == queries.profile(busy["H01"], T)["members"]["by_sex"]["female"] == len(women)


@pytest.mark.parametrize("breakdown", ["total", *queries.BREAKDOWNS])
def test_every_profile_count_lists_its_members(busy, breakdown):
    members = queries.profile(busy["H01"], T)["members"]
    groups = {"": members["total"]} if breakdown == "total" else members[breakdown]
    for key, n in groups.items():
        rows, subject = figure_rows(busy["H01"], "profile", {"as_of": T, "breakdown": breakdown, "key": key})
        assert subject == "member" and rows.count() == n, (breakdown, key)


def test_the_form_page_links_its_cells_and_the_list_page_counts_and_exports_them(busy, client, make_user):
    client.force_login(make_user("bantochuc", busy["H01"], "organizer"))
    page = client.get(reverse("reports:form", args=[7]), {"org": "X01", "from": "01/01/2024", "to": "31/12/2024"})
    html = page.content.decode()
    assert reverse("reports:figure_list") in html
    url = next(part.split('"')[0] for part in html.split('href="')[1:] if "figure=cards_first" in part)
    listing = client.get(url.replace("&amp;", "&"))
    assert listing.status_code == 200
    assert "(1)" in listing.content.decode()
    xlsx = client.get(url.replace("&amp;", "&") + "&format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.max_row - 3 == 1
    profile = client.get(reverse("reports:profile"), {"org": "H01", "as_of": "31/12/2024"}).content.decode()
    assert "source=profile" in profile and "breakdown=by_sex" in profile


@pytest.mark.parametrize(("number", "query"), [(2, {"from": "01/01/2024", "to": "31/12/2024"}),
                                               (4, {"as_of": "31/12/2024"})])
def test_every_count_of_forms_2_and_4_on_the_page_opens_a_list_of_as_many_names(busy, make_member, client, make_user,
                                                                               settings, number, query):
    settings.DANGVU_FORMS_OCCUPATION_ROWS = "1"  # "other occupations": the list leaves out the one with a row
    for occupation in ("Nông dân", "Nông dân", "Giáo viên", "Bộ đội"):
        make_member(busy["C01"], admitted_on=D(2024, 6, 1), occupation=occupation, religion="Công giáo", sex="F")
    client.force_login(make_user("bantochuc", busy["H01"], "organizer"))
    html = client.get(reverse("reports:form", args=[number]), {"org": "X01", **query}).content.decode()
    links = re.findall(r'<td class="num"><a href="([^"]+)"[^>]*>([\d.]+)</a></td>', html)
    counts = re.findall(r'<td class="num">([\d.]+)</td>', html)  # counts left without a link: none but zeros
    assert links and all(n == "0" for n in counts), counts
    for href, n in links:
        listing = client.get(unescape(href)).content.decode()
        assert f'<span class="muted">({n})</span>' in listing, href
    other = next(unescape(href) for href, _n in links if "key=occupation_other" in href) if number == 2 else None
    if other:
        assert "exclude=N%C3%B4ng+d%C3%A2n" in other
        ws = openpyxl.load_workbook(io.BytesIO(client.get(other + "&format=xlsx").content)).active
        assert ws.max_row - 3 == 2  # Giáo viên and Bộ đội, not the farmers


def test_a_list_is_a_fixed_number_of_statements_whatever_the_members(busy, make_member, client, make_user):
    client.force_login(make_user("bantochuc", busy["H01"], "organizer"))
    urls = [(reverse("reports:figure_list"), {"org": "H01", "source": "profile", "as_of": "2024-12-31",
                                               "breakdown": "by_sex", "key": "male"}),
            (reverse("reports:figure_list"), {"org": "H01", "source": "period", "from": "2024-01-01",
                                               "to": "2024-12-31", "figure": "admitted,transferred_in"}),
            (reverse("reports:figure_list"), {"org": "H01", "source": "unit_kind", "as_of": "2024-12-31",
                                               "unit_kinds": "xa", "column": "members"}),
            (reverse("reports:figure_list"), {"org": "H01", "source": "period", "from": "2024-01-01",
                                               "to": "2024-12-31", "figure": "admitted", "key": "education_unknown"}),
            (reverse("reports:figure_list"), {"org": "H01", "source": "ethnicity_religion", "as_of": "2024-12-31",
                                               "key": "ethnicity_01", "column": "female"})]

    def count():
        counts = []
        for url, query in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, query).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    before = count()
    for _i in range(8):
        make_member(busy["C01"], admitted_on=D(2024, 6, 1))
    assert count() == before


@pytest.mark.parametrize("query", [{"source": "nothing"}, {"source": "profile", "breakdown": "by_height"},
                                   {"source": "period", "figure": "flown"}, {"source": "snapshot", "figure": "x.y"},
                                   {"source": "period", "figure": "admitted", "from": "2024-13-01"},
                                   {"source": "unit_kind", "column": "bees"},
                                   {"source": "period", "figure": "admitted", "key": "height_2m"},
                                   {"source": "period", "figure": "died", "key": "female"},
                                   {"source": "ethnicity_religion", "key": "ethnicity_01", "column": "bees"},
                                   {"source": "ethnicity_religion", "key": "planet_mars", "column": "members"},
                                   {"source": "profile", "breakdown": "by_sex", "format": "pdf"}])
def test_a_bad_figure_is_a_message_not_an_error_page(tree, client, make_user, query):
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    response = client.get(reverse("reports:figure_list"), {"org": "H01", **query})
    assert response.status_code == 400 and 'class="alert alert-error"' in response.content.decode()


def test_the_list_of_a_commune_user_holds_only_the_commune(busy, client, make_user):
    client.force_login(make_user("bantochucxa", busy["X01"], "organizer"))
    url = reverse("reports:figure_list")
    assert client.get(url, {"org": "H01", "source": "profile", "breakdown": "total"}).status_code == 404
    response = client.get(url, {"org": "X01", "source": "profile", "as_of": "2024-12-31", "breakdown": "total"})
    assert response.status_code == 200 and busy["C03"].name not in response.content.decode()


def test_a_move_of_an_organization_leaves_the_totals_unlinked_not_wrong(busy):
    organization_move(busy["C02"], parent=busy["X03"], effective_on=D(2024, 10, 1))  # with its members
    data = build_form(1, busy["X01"], date_from=F, date_to=T)
    # members who left with their organization are no member's event: the total C is not linked
    assert {r["key"] for r in data["rows"] if cell_drill(FORMS[1], data, r, "current") is None} == {
        "reorganized_in", "reorganized_out", "decrease"}
    data = build_form(1, busy["X03"], date_from=F, date_to=T)
    assert {r["key"] for r in data["rows"] if cell_drill(FORMS[1], data, r, "current") is None} == {
        "reorganized_in", "reorganized_out", "increase"}
    for code in ("X01", "X03"):  # and every linked cell still lists its number
        for number in (1, 5):
            for _row, _col, value, target in _cells(number, busy[code]):
                assert figure_rows(busy[code], target["source"], _params(target))[0].count() == value


@pytest.mark.parametrize("code", ["H01", "X01"])
def test_every_snapshot_count_lists_as_many_rows(busy, code):
    snap = queries.snapshot(busy[code], T)
    for group in ("organizations", "members"):
        for key, n in snap[group].items():
            rows, subject = figure_rows(busy[code], "snapshot", {"as_of": T, "figure": f"{group}.{key}"})
            assert rows.count() == n, (group, key)
            assert subject == ("organization" if group == "organizations" else "member")


def test_the_snapshot_page_links_its_counts_to_their_lists(busy, client, make_user):
    client.force_login(make_user("bantochuc", busy["H01"], "organizer"))
    html = client.get(reverse("reports:snapshot"), {"org": "X01", "as_of": "31/12/2024"}).content.decode()
    url = next(part.split('"')[0] for part in html.split('href="')[1:] if "figure=members.female" in part)
    listing = client.get(url.replace("&amp;", "&"))
    n = queries.snapshot(busy["X01"], T)["members"]["female"]
    assert listing.status_code == 200 and f"({n})" in listing.content.decode()


def test_a_list_of_last_year_names_its_column_once(busy, client, make_user):
    """The list behind a count of the column "same period last year" is titled "row — Cùng kỳ năm trước",
    not "row — Cùng kỳ năm trước (Cùng kỳ năm trước)"."""
    from urllib.parse import parse_qs, urlsplit

    client.force_login(make_user("bantochuc", busy["H01"], "organizer"))
    page = client.get(reverse("reports:form", args=[1]), {"org": "H01", "from": "01/01/2025", "to": "31/12/2025"})
    labels = [parse_qs(urlsplit(unescape(part.split('"')[0])).query).get("label", [""])[0]
              for part in page.content.decode().split('href="')[1:] if "source=period" in part]
    last_year = [label for label in labels if "Cùng kỳ năm trước" in label]
    assert last_year and all(label.count("Cùng kỳ năm trước") == 1 for label in last_year), last_year
