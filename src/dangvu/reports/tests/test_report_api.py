"""The report API (/api/reports/…): every report is one `api.ReportView` — its query checked by one
serializer (400 with the field), the organization looked up in the caller's scope (404 outside it), its
JSON answered, and its schema declared once from the same attributes."""

import datetime as dt

import pytest
from django.urls import get_resolver

from dangvu.reports.api import ReportView

#: Each report's parameters beside `org`.
QUERIES = {
    "api-report-snapshot": {"as_of": "2024-12-31"},
    "api-report-flows": {"from": "2024-01-01", "to": "2024-12-31"},
    "api-report-badges": {"award_date": "2024-12-31"},
    "api-report-assessment": {"year": "2024"},
    "api-report-profile": {"as_of": "2024-12-31"},
    "api-report-checks": {"as_of": "2024-12-31"},
    "api-report-summary": {"as_of": "2024-12-31", "year": "2024"},
    "api-report-excellent-streak": {"year": "2024", "years": "2"},
    **{f"api-report-form-{n}": {"from": "2024-01-01", "to": "2024-12-31", "as_of": "2024-12-31", "year": "2024"}
       for n in (1, 2, 4, 5, 6, 7)},
}


def _routes():
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if str(p.pattern) == "api/")
    return {p.name: (f"/api/{p.pattern}", p.callback.view_class) for p in api.url_patterns
            if (getattr(p, "name", None) or "").startswith("api-report-") and p.name != "api-report-compare"}


def test_every_report_of_the_api_is_a_report_view_with_a_query_serializer():
    routes = _routes()
    assert set(routes) == set(QUERIES)
    for name, (_url, view) in routes.items():
        assert issubclass(view, ReportView), name
        assert "org" in view.query().fields and view.answer is not None and str(view.summary), name
        assert view.get is ReportView.get  # one way to answer, not one per report


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_report_answers_its_json_400_on_a_bad_parameter_and_404_outside_the_scope(tree, make_member, client,
                                                                                    make_user, name):
    make_member(tree["C01"], admitted_on=dt.date(2024, 3, 1))
    client.force_login(make_user("bantochucxa", tree["X01"], "organizer"))
    url, _view = _routes()[name]
    answer = client.get(url, {"org": "X01", **QUERIES[name]})
    assert answer.status_code == 200 and answer.json()["org"]["code"] == "X01"
    assert client.get(url, {"org": "X02", **QUERIES[name]}).status_code == 404  # another commune
    assert client.get(url, {"org": "NOPE", **QUERIES[name]}).status_code == 404
    bad = client.get(url, {**QUERIES[name]})  # no organization
    assert bad.status_code == 400 and "org" in bad.json()
