"""The member list: current members by default, former ones by their standing; sortable columns; one
filter for the page, its export and the API."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from dangvu.members import filters
from dangvu.members.api import MemberViewSet
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event

D = dt.date


def names(html: str) -> list[str]:
    return re.findall(r'<a href="/members/[^/]+/"><strong>([^<]+)</strong></a>', html)


@pytest.fixture
def organizer(tree, make_user, client):
    user = make_user("orgh", tree["H01"], "organizer")
    client.force_login(user)
    return user


@pytest.fixture
def people(tree, make_member):
    """Two current members, and one transferred out, one deceased, one expelled (former members)."""
    made = {}
    for key, name, cell, admitted in (("an", "Nguyễn Văn An", "C02", D(2001, 3, 1)), ("binh", "Lò Thị Bình", "C01", D(1999, 5, 1)),
                                      ("cuong", "Vàng A Cường", "X02", D(2005, 1, 1)), ("dung", "Hà Văn Dũng", "C01", D(1990, 1, 1)),
                                      ("em", "Giàng Thị Em", "C02", D(2010, 1, 1))):
        made[key] = make_member(tree[cell], name=name, admitted_on=admitted, made_official_on=D(admitted.year + 1, 6, 1),
                                birth_date=D(1960, 1, 1), placed_on=D(2012, 1, 1))
    member_record_event(made["cuong"], kind=E.TRANSFERRED_OUT, effective_on=D(2024, 3, 1), value="Tỉnh Lai Châu")
    member_record_event(made["dung"], kind=E.DIED, effective_on=D(2024, 4, 1))
    member_record_event(made["em"], kind=E.EXPELLED, effective_on=D(2024, 5, 1), value="expelled")
    return made


def test_the_list_shows_current_members_by_default(client, organizer, people):
    assert names(client.get(reverse("members:list")).content.decode()) == ["Nguyễn Văn An", "Lò Thị Bình"]


@pytest.mark.parametrize(("status", "expected"), [
    ("transferred_out", ["Vàng A Cường"]),
    ("died", ["Hà Văn Dũng"]),
    ("left", ["Giàng Thị Em"]),
    ("all", ["Nguyễn Văn An", "Lò Thị Bình", "Vàng A Cường", "Hà Văn Dũng", "Giàng Thị Em"]),
])
def test_former_members_are_shown_by_their_standing(client, organizer, people, status, expected):
    html = client.get(reverse("members:list"), {"status": status}).content.decode()
    assert names(html) == expected


@pytest.mark.parametrize(("sort", "expected"), [
    ("name", ["an", "binh", "cuong", "dung", "em"]),
    ("-name", ["em", "dung", "cuong", "binh", "an"]),
    ("admitted_on", ["dung", "binh", "an", "cuong", "em"]),
    ("-admitted_on", ["em", "cuong", "an", "binh", "dung"]),
    ("cell", ["binh", "dung", "an", "em", "cuong"]),  # Chi bộ bản Nà Hỳ 1, 2, Chi bộ Trường THCS
    ("status", ["dung", "em", "an", "binh", "cuong"]),  # died, expelled, official, transferred_out
    ("code", ["an", "binh", "cuong", "dung", "em"]),
])
def test_columns_sort_the_list(client, organizer, people, sort, expected):
    html = client.get(reverse("members:list"), {"status": "all", "sort": sort}).content.decode()
    assert names(html) == [people[k].full_name for k in expected]


def test_a_column_heading_sorts_by_it_then_the_other_way(client, organizer, people):
    html = client.get(reverse("members:list"), {"status": "all"}).content.decode()
    assert 'href="?status=all&amp;sort=admitted_on"' in html
    html = client.get(reverse("members:list"), {"status": "all", "sort": "admitted_on"}).content.decode()
    assert 'href="?status=all&amp;sort=-admitted_on"' in html and 'aria-sort="ascending"' in html


def test_sorting_keeps_the_number_of_queries(client, organizer, people, make_member, tree):
    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("members:list"), params).status_code == 200
        return len(ctx.captured_queries)

    before = {s: count({"sort": s}) for s in ("name", "-admitted_on", "cell")}
    for _ in range(5):
        make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    assert {s: count({"sort": s}) for s in ("name", "-admitted_on", "cell")} == before


def test_the_export_follows_the_same_filter(client, organizer, people):
    from io import BytesIO

    from openpyxl import load_workbook

    def sheet(params=None):
        response = client.get(reverse("members:export"), params or {})
        return load_workbook(BytesIO(response.content)).active

    ws = sheet()
    assert sorted(r[1] for r in ws.iter_rows(min_row=2, values_only=True)) == ["Lò Thị Bình", "Nguyễn Văn An"]
    ws = sheet({"status": "died"})
    assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["Hà Văn Dũng"]


def test_the_api_uses_the_same_filter(organizer, people):
    assert MemberViewSet.filterset_class is filters.MemberFilter
    api = APIClient()
    api.force_authenticate(organizer)

    def codes(params=None):
        return [r["code"] for r in api.get("/api/members/", params or {}).json()["results"]]

    assert codes() == [people["an"].code, people["binh"].code]
    assert codes({"status": "transferred_out"}) == [people["cuong"].code]
    assert len(codes({"status": "all"})) == 5
    assert codes({"status": "all", "sort": "-admitted_on"})[0] == people["em"].code
    assert api.get("/api/members/", {"status": "nobody"}).status_code == 400


def test_a_row_shows_the_member_as_the_list_writes_it(client, organizer, tree, make_member):
    """Link, dates dd/mm/yyyy, the labels of sex, ethnicity and standing, the exemption; "—" while probationary."""
    official = make_member(tree["C01"], name="Lò Văn Thái", ethnicity="Thái", birth_date=D(1970, 2, 3),
                           admitted_on=D(1995, 4, 5), made_official_on=D(1996, 4, 5), placed_on=D(2012, 1, 1))
    member_record_event(official, kind=E.EXEMPTED, effective_on=D(2024, 1, 1), value="age")
    make_member(tree["C02"], name="Nguyễn Thị Hoa", sex="F", admitted_on=D(2026, 1, 2))
    rows = re.findall(r"<tr>(.*?)</tr>", client.get(reverse("members:list")).content.decode(), re.S)[1:]
    cells = [[" ".join(re.sub(r"<[^>]+>", " ", td).split()) for td in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
             for r in rows]
    assert cells == [  # in Vietnamese order: Hoa, Thái
        [cells[0][0], "Nguyễn Thị Hoa", "02/03/1985", "Nữ", "Kinh", "Chi bộ bản Nà Hỳ 2", "Dự bị", "02/01/2026", "—"],
        [official.code, "Lò Văn Thái", "03/02/1970", "Nam", "Thái", "Chi bộ bản Nà Hỳ 1", "Chính thức Miễn sinh hoạt",
         "05/04/1995", "05/04/1996"],
    ]
    assert f'<a href="/members/{official.code}/"><strong>Lò Văn Thái</strong></a>' in rows[1]


@pytest.mark.parametrize(("org", "queries"), [("H01", 6), ("X01", 6)])
def test_the_list_page_takes_a_fixed_number_of_queries(client, tree, make_user, people, org, queries,
                                                      django_assert_num_queries):
    """Session, user, roles, whether the scope is everything (asked once), the capped count, the page."""
    client.force_login(make_user("staff", tree[org], "secretary"))
    with django_assert_num_queries(queries):
        assert client.get(reverse("members:list")).status_code == 200


def test_a_commune_scope_is_a_subquery_of_its_cells(tree, make_user):
    """No join on the organizations' paths: PostgreSQL reads a commune's members cell by cell."""
    from dangvu.members.selectors import members_visible_to

    sql = str(members_visible_to(make_user("xa-staff", tree["X01"], "secretary")).query)
    assert "JOIN" not in sql and '"cell_id" IN (SELECT' in sql


def test_a_select_is_made_once_for_each_value_and_language(monkeypatch):
    from django import forms
    from django.utils import translation

    from dangvu.members.forms import PlainSelect
    from dangvu.members.models import Sex

    made = []
    render = forms.Select.render
    monkeypatch.setattr(PlainSelect, "_made", {})
    monkeypatch.setattr(forms.Select, "render", lambda self, *args, **kw: made.append(args) or render(self, *args, **kw))
    widget = PlainSelect(choices=[("", "—"), *Sex.choices])
    male = widget.render("sex", "M", {"id": "id_sex"})
    assert widget.render("sex", "M", {"id": "id_sex"}) == male and len(made) == 1
    assert '<option value="M" selected>Nam</option>' in male and 'id="id_sex"' in male
    female = widget.render("sex", "F", {"id": "id_sex"})
    assert '<option value="F" selected>Nữ</option>' in female and len(made) == 2
    with translation.override("en"):
        assert '<option value="M" selected>Male</option>' in widget.render("sex", "M", {"id": "id_sex"})
    assert len(made) == 3


def test_the_suspended_members_are_filtered_and_marked_in_the_list_the_export_and_the_api(client, organizer, people):
    """The list's filter of a suspension of party activities (đình chỉ sinh hoạt đảng), like the exemption's."""
    from io import BytesIO

    from openpyxl import load_workbook

    member_record_event(people["binh"], kind=E.SUSPENDED, effective_on=D(2024, 3, 11), value="investigation")
    assert names(client.get(reverse("members:list"), {"suspended": "true"}).content.decode()) == ["Lò Thị Bình"]
    assert names(client.get(reverse("members:list"), {"suspended": "false"}).content.decode()) == ["Nguyễn Văn An"]
    page = client.get(reverse("members:list")).content.decode()
    assert page.count("badge-suspended") == 1 and 'name="suspended"' in page
    ws = load_workbook(BytesIO(client.get(reverse("members:export"), {"suspended": "true"}).content)).active
    head = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["Lò Thị Bình"] and rows[0][head.index("Đình chỉ sinh hoạt")] == "Có"
    api = APIClient()
    api.force_authenticate(organizer)
    results = api.get("/api/members/", {"suspended": "true"}).json()["results"]
    assert [(r["code"], r["suspended"]) for r in results] == [(people["binh"].code, True)]


@pytest.mark.parametrize("query, shown", [("", False), ("?page=1", False), ("?sort=-admitted_on", False),
                                          ("?search=an", True), ("?status=dead", True), ("?org=C01&page=1", True)])
def test_clear_is_offered_only_when_a_filter_is_set(client, organizer, people, query, shown):
    html = client.get("/members/" + query).content.decode()
    assert ('href="/members/">Xóa lọc</a>' in html) is shown
