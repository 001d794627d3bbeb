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
    "api-report-compare": {"report": "snapshot", "mode": "periods", "a": "2023-12-31", "b": "31/12/2024"},
}


def _routes():
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if str(p.pattern) == "api/")
    return {p.name: (f"/api/{p.pattern}", p.callback.view_class) for p in api.url_patterns
            if (getattr(p, "name", None) or "").startswith("api-report-")}


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


def test_the_comparison_declares_its_parameters_like_the_other_reports():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/reports/compare/"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    days = ("a", "b", "from_a", "to_a", "from_b", "to_b", "as_of", "from", "to")
    assert set(params) == {"org", "report", "mode", "sort", "share", *days}
    assert [n for n, p in params.items() if p.get("required")] == ["org"]
    assert (params["mode"]["schema"]["type"], params["mode"]["schema"]["enum"]) == ("string", ["periods", "subunits"])
    assert params["share"]["schema"] == {"type": "boolean"}
    assert all(params[n]["schema"] == {"type": "string"} for n in ("report", "sort", *days))
    assert set(operation["responses"]) == {"200", "400", "404"}
    # its columns and rows are components of their own, beside those of the statistics forms (not one name for both)
    components = schema["components"]["schemas"]
    assert [c["properties"]["columns"]["items"]["$ref"].rsplit("/", 1)[1] for c in (
        components["Compare"], components["Form"])] == ["_CompareColumn", "_Column"]
    assert "name" in components["_CompareColumn"]["properties"] and "ratio" in components["_Column"]["properties"]


def test_the_comparison_answers_its_json_and_a_vietnamese_400(tree, make_member, client, make_user):
    make_member(tree["C01"], admitted_on=dt.date(2024, 3, 1))
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    url = "/api/reports/compare/"
    data = client.get(url, {"org": "H01", "mode": "subunits", "as_of": "2024-12-31", "sort": "members.total",
                            "share": "1"}).json()
    assert [c["key"] for c in data["columns"]] == ["total", "X01", "X02"] and data["mode"] == "subunits"
    bad = client.get(url, {"org": "H01", "mode": "sideways"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert bad.status_code == 400 and bad.json() == {"mode": ["Không có kiểu so sánh “sideways”."]}
    bad = client.get(url, {"org": "H01", "a": "32/13/2024"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert bad.status_code == 400 and list(bad.json()) == ["a"]
