"""What a province-wide user loads on demand: the organization picker's data (organizations:picker,
organizations:picker_children) and the tree page a level at a time — within the user's scope only."""

import datetime as dt

import pytest
from django.urls import reverse

from dangvu.core.audit import audit_context


@pytest.fixture
def commune_user(tree, make_user, client):
    client.force_login(make_user("capxa", tree["X01"], "viewer"))


def _codes(response):
    assert response.status_code == 200
    return [r["code"] for r in response.json()["results"]]


def test_without_a_query_the_picker_gives_the_top_of_the_scope(tree, make_user, client):
    client.force_login(make_user("huyen", tree["H01"], "viewer"))
    rows = client.get(reverse("organizations:picker")).json()["results"]
    assert rows == [{"code": "H01", "name": "Đảng bộ huyện Mường Lay", "parent": "", "dissolved": False,
                     "children": True}]


def test_children_of_an_organization_in_scope_by_name(tree, commune_user, client):
    assert _codes(client.get(reverse("organizations:picker"))) == ["X01"]
    rows = client.get(reverse("organizations:picker_children", args=["X01"])).json()["results"]
    assert [(r["code"], r["children"], r["parent"]) for r in rows] == [("C01", False, "Đảng bộ xã Nà Hỳ"),
                                                                       ("C02", False, "Đảng bộ xã Nà Hỳ")]
    assert _codes(client.get(reverse("organizations:picker_children", args=["C01"]))) == []


@pytest.mark.parametrize("code", ["H01", "X02", "NOPE"])
def test_children_of_an_organization_outside_the_scope_are_not_found(tree, commune_user, client, code):
    assert client.get(reverse("organizations:picker_children", args=[code])).status_code == 404


def test_search_by_name_without_diacritics_word_beginnings_and_code_within_scope(tree, make_user, client):
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    with audit_context(source="system"):
        organization_establish(code="C09", name="Chi bộ bản Pá Khoang", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                               established_on=dt.date(2013, 1, 1))
    client.force_login(make_user("capxa", tree["X01"], "viewer"))
    url = reverse("organizations:picker")
    assert _codes(client.get(url, {"q": "na hy"})) == ["X01", "C01", "C02"]  # the committee first
    assert _codes(client.get(url, {"q": "Pa KHO"})) == ["C09"]
    assert _codes(client.get(url, {"q": "hoang"})) == []  # a word's beginning, not any part of it
    assert _codes(client.get(url, {"q": "c0"})) == ["C01", "C02", "C09"]
    assert _codes(client.get(url, {"q": "Nà Bủng"})) == []  # X02: outside the scope
    assert _codes(client.get(url, {"q": "X02"})) == []


def test_search_says_when_more_match_than_it_gives(tree, make_user, client, monkeypatch):
    from dangvu.organizations.views import picker

    monkeypatch.setattr(picker, "PICKER_SEARCH_LIMIT", 1)
    client.force_login(make_user("capxa", tree["X01"], "viewer"))
    data = client.get(reverse("organizations:picker"), {"q": "chi bo"}).json()
    assert [r["code"] for r in data["results"]] == ["C01"] and data["more"] is True


def test_member_list_picker_loads_on_demand_and_names_the_choice(tree, commune_user, client):
    html = client.get(reverse("members:list"), {"org": "C02"}).content.decode()
    assert 'data-source="/organizations/picker.json"' in html and "C01" not in html
    assert 'data-label="Chi bộ bản Nà Hỳ 2"' in html and 'value="C02"' in html
    html = client.get(reverse("members:list"), {"org": "X02"}).content.decode()  # outside: not echoed back
    assert 'value="X02"' not in html


def _tree_rows(response):
    assert response.status_code == 200
    return {r["code"]: r for t in response.context["trees"] for r in t["rows"]}


def test_the_tree_page_shows_one_level_below_the_top_and_opens_the_next_on_its_own_page(tree, make_user, client):
    client.force_login(make_user("huyen", tree["H01"], "viewer"))
    response = client.get("/organizations/")
    rows = _tree_rows(response)
    assert set(rows) == {"H01", "X01", "X02"}  # not the cells of X01
    assert rows["X01"]["opens"] and not rows["X02"]["opens"] and not rows["H01"]["opens"]
    assert response.context["trees"][0]["organizations"] == 5 and response.context["trees"][0]["summary"]["code"] == "H01"
    assert 'href="?under=X01"' in response.content.decode()
    under = client.get("/organizations/", {"under": "X01", "as_of": "01/01/2020"})
    assert set(_tree_rows(under)) == {"X01", "C01", "C02"}
    assert 'href="?under=' not in under.content.decode().split("<table")[1]  # cells have nothing under them
    assert 'name="under" value="X01"' in under.content.decode()  # the day form keeps the subtree


def test_the_tree_page_under_an_organization_outside_the_scope_is_not_found(tree, commune_user, client):
    for code in ("H01", "X02", "NOPE"):
        assert client.get("/organizations/", {"under": code}).status_code == 404
    assert set(_tree_rows(client.get("/organizations/", {"under": "C01"}))) == {"C01"}


def test_the_tree_page_warns_about_every_weak_cell_even_those_not_shown(tree, make_user, client, make_member):
    make_member(tree["C02"], made_official_on=dt.date(2016, 5, 19))
    client.force_login(make_user("huyen", tree["H01"], "viewer"))
    response = client.get("/organizations/")
    assert {w["code"] for w in response.context["warnings"]} >= {"C01", "C02"}
    assert all(w["visible"] for w in response.context["warnings"])


def test_search_gives_the_committee_before_the_chi_bo_named_after_it(tree, make_user, client):
    """Typing a commune's name ("na hy") offers the commune's committee first, then its chi bộ (higher
    levels first, each level by name): the committee is what one filters on most, and is not pushed past
    the limit by its own chi bộ."""
    client.force_login(make_user("huyen", tree["H01"], "viewer"))
    assert _codes(client.get(reverse("organizations:picker"), {"q": "na hy"})) == ["X01", "C01", "C02"]
