"""The organization list of the API: filters, pages, a query count that does not grow with the page."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.contracts.test_api_schema import basic

from dangvu.organizations.tests.api.answers import D, codes


def test_list_filters_by_kind_parent_search_and_day(tree, district):
    from dangvu.organizations.services import organization_establish

    organization_establish(code="C03", name="Chi bộ bản Đán", kind="subordinate_cell", parent=tree["X01"],
                           established_on=D(2022, 1, 1))
    api = basic(district)
    assert codes(api.get("/api/organizations/", {"kind": "subordinate_cell"})) == ["C01", "C02", "C03"]
    assert codes(api.get("/api/organizations/", {"parent": "X01"})) == ["C01", "C02", "C03"]
    assert codes(api.get("/api/organizations/", {"search": "na hy"})) == ["C01", "C02", "X01"]
    assert codes(api.get("/api/organizations/", {"search": "ban dan"})) == ["C03"]
    assert codes(api.get("/api/organizations/", {"search": "x02"})) == ["X02"]
    assert codes(api.get("/api/organizations/", {"as_of": "2015-01-01", "parent": "X01"})) == ["C01", "C02"]
    assert codes(api.get("/api/organizations/", {"as_of": "2005-01-01"})) == ["H01"]
    response = api.get("/api/organizations/", {"as_of": "2015-02-30"})
    assert response.status_code == 400 and "as_of" in response.json()
    assert api.get("/api/organizations/", {"kind": "galaxy"}).status_code == 400


def test_list_is_paginated(tree, district):
    api = basic(district)
    page = api.get("/api/organizations/", {"page_size": 2}).json()
    assert page["count"] == 5 and [r["code"] for r in page["results"]] == ["C01", "C02"] and page["next"]
    page = api.get("/api/organizations/", {"page_size": 2, "page": 3}).json()
    assert [r["code"] for r in page["results"]] == ["X02"] and page["next"] is None


def test_list_query_count_does_not_grow_with_the_page(tree, district):
    from dangvu.organizations.services import organization_establish

    api = basic(district)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/organizations/").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(6):
        organization_establish(code=f"C1{i}", name=f"Chi bộ {i}", kind="subordinate_cell", parent=tree["X01"],
                               established_on=D(2013, 1, 1))
    assert count() == small
