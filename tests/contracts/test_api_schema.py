"""Contracts §4: the API is described by a valid OpenAPI 3 schema, real responses match it, and the
docs pages are served without any CDN."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import re

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

PASSWORD = "Mat-khau-an-toan-2026"
D = dt.date


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _to_json_schema(node, strict: bool = True):
    """OpenAPI 3.0 schema objects → JSON Schema: `nullable` becomes a null alternative and, when
    `strict`, objects with declared properties refuse undeclared ones (no undocumented keys)."""
    if isinstance(node, list):
        return [_to_json_schema(n, strict) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v, strict) for k, v in node.items()}
    if strict and out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def check(schema: dict, path: str, data, method: str = "get", status: str = "200", strict: bool = True) -> None:
    """Validate `data` against the response schema of `method path` (components resolved)."""
    spec = schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    document = {
        "components": {"schemas": _to_json_schema(copy.deepcopy(schema["components"]["schemas"]), strict)},
        "$defs": {"response": _to_json_schema(copy.deepcopy(spec), strict)},
        "$ref": "#/$defs/response",
    }
    validator = jsonschema.Draft202012Validator(document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(data), key=str)
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def basic(user) -> APIClient:
    """An API client of `user` by HTTP Basic; admins and organizers, whom Basic is refused (the password
    alone skips their second factor), by their API token instead."""
    from rest_framework.authtoken.models import Token

    from dangvu.accounts.services import requires_two_factor

    client = APIClient()
    if requires_two_factor(user):
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    else:
        client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode())
    return client


# --- The schema -------------------------------------------------------------------------------------


def test_generated_schema_is_valid_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_documents_every_endpoint_of_the_contract(schema):
    expected = {
        "/api/organizations/": {"get", "post"},
        "/api/organizations/{code}/": {"get", "patch"},
        "/api/organizations/{code}/rename/": {"post"},
        "/api/organizations/{code}/move/": {"post"},
        "/api/organizations/{code}/change-kind/": {"post"},
        "/api/organizations/{code}/dissolve/": {"post"},
        "/api/organizations/{code}/merge/": {"post"},
        "/api/organizations/{code}/events/": {"get"},
        "/api/organizations/{code}/tree/": {"get"},
        "/api/members/": {"get", "post"},
        "/api/members/{code}/": {"get", "patch"},
        "/api/members/{code}/events/": {"get"},
        "/api/lifecycle/members/{code}/transfer/": {"post"},
        "/api/lifecycle/members/{code}/transfer-in/": {"post"},
        "/api/lifecycle/members/{code}/exempt/": {"post"},
        "/api/lifecycle/members/{code}/end-exemption/": {"post"},
        "/api/lifecycle/members/{code}/suspend/": {"post"},
        "/api/lifecycle/members/{code}/lift-suspension/": {"post"},
        "/api/lifecycle/members/{code}/death/": {"post"},
        "/api/lifecycle/members/{code}/open-discipline-case/": {"post"},
        "/api/lifecycle/members/{code}/close-discipline-case/": {"post"},
        "/api/reports/badges/": {"get"},
        "/api/token/": {"post"},
    }
    for path, methods in expected.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), (path, set(schema["paths"][path]))
    assert not [p for p in schema["paths"] if p.startswith("/api/members/{code}/") and p != "/api/members/{code}/events/"
                and p != "/api/members/{code}/"], "member events are recorded by the lifecycle actions only"
    assert "post" not in schema["paths"]["/api/members/{code}/events/"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary") or operation.get("description"), (method, path)
    schemes = schema["components"]["securitySchemes"]
    assert {"basicAuth", "cookieAuth", "tokenAuth"} <= set(schemes)
    member_params = {p["name"] for p in schema["paths"]["/api/members/"]["get"]["parameters"]}
    assert {"search", "cell", "org", "status", "sex", "ethnicity", "exempted", "suspended", "page",
            "page_size"} <= member_params
    org_params = {p["name"] for p in schema["paths"]["/api/organizations/"]["get"]["parameters"]}
    assert {"search", "kind", "parent", "as_of", "page"} <= org_params


def test_personal_fields_are_optional_in_the_member_schema(schema):
    member = schema["components"]["schemas"]["Member"]
    personal = {"national_id_number", "residence", "current_address", "phone"}
    assert personal <= set(member["properties"])
    assert personal.isdisjoint(member.get("required", []))


def _logged_in(tree, make_user) -> APIClient:
    client = APIClient()
    client.force_login(make_user("xem", tree["H01"], "viewer"))
    return client


def test_schema_endpoint_serves_openapi_3_to_a_login(tree, make_user):
    assert APIClient().get("/api/schema/", {"format": "json"}).status_code in (401, 403)
    response = _logged_in(tree, make_user).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_their_assets_locally(tree, make_user, path):
    client = _logged_in(tree, make_user)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/drf_spectacular_sidecar/") or a.startswith("/api/") for a in assets), assets
    assert "cdn" not in html.lower() and "https://" not in html
    for asset in assets:
        if asset.startswith("/api/"):  # Swagger UI's own script, beside the page (no inline script)
            assert client.get(asset).status_code == 200, asset
        if asset.startswith("/static/"):
            served = APIClient().get(asset)
            assert served.status_code == 200, asset
            if hasattr(served, "streaming_content"):  # read to the end: the test client then closes the file
                b"".join(served.streaming_content)  # (response.close() would end the test's database connection)


# --- Real responses against the schema -------------------------------------------------------------


@pytest.fixture
def populated(tree, make_member, make_user):
    from dangvu.members.services import member_record_event
    from dangvu.organizations.services import Decision

    an = make_member(tree["C01"], name="Nguyễn Văn An", made_official_on=D(2016, 5, 19),
                     national_id_number="001085000001", phone="0912345678")
    member_record_event(an, kind="moved", effective_on=D(2020, 1, 1), cell=tree["C02"], decision=Decision("3-QĐ"))
    make_member(tree["X02"], name="Đặng Thị Hoa", sex="F")
    return {
        "an": an,
        "organizer": make_user("bantc", tree["H01"], "organizer"),
        "viewer": make_user("xem", tree["H01"], "viewer"),
    }


@pytest.mark.parametrize("who", ["organizer", "viewer"])
def test_read_responses_match_their_schema(schema, populated, who):
    api = basic(populated[who])
    code = populated["an"].code
    reads = [
        ("/api/members/", "/api/members/", {}),
        ("/api/members/", "/api/members/", {"search": "nguyen", "page_size": 1}),
        ("/api/members/{code}/", f"/api/members/{code}/", {}),
        ("/api/members/{code}/events/", f"/api/members/{code}/events/", {}),
        ("/api/organizations/", "/api/organizations/", {}),
        ("/api/organizations/{code}/", "/api/organizations/H01/", {}),
        ("/api/organizations/{code}/", "/api/organizations/X01/", {}),
        ("/api/organizations/{code}/events/", "/api/organizations/C01/events/", {}),
        ("/api/organizations/{code}/tree/", "/api/organizations/H01/tree/", {"as_of": "2020-06-01"}),
    ]
    for template, url, params in reads:
        response = api.get(url, params)
        assert response.status_code == 200, url
        check(schema, template, response.json())
    assert api.get(f"/api/members/{code}/").json().get("phone") == ("0912345678" if who == "organizer" else None)


def test_write_responses_match_their_schema(schema, populated):
    api = basic(populated["organizer"])
    code = populated["an"].code
    writes = [
        ("/api/members/", "/api/members/", {"code": "DV9", "full_name": "Vàng A Sử", "birth_date": "1990-01-01",
                                            "sex": "M", "ethnicity": "Mông", "admitted_on": "2015-01-01",
                                            "cell": "C01"}, "201"),
        ("/api/lifecycle/members/{code}/card/", f"/api/lifecycle/members/{code}/card/",
         {"number": "12345678", "issued_on": "2021-01-01"}, "201"),
        ("/api/lifecycle/members/{code}/exempt/", f"/api/lifecycle/members/{code}/exempt/",
         {"on": "2022-01-01", "ground": "long_medical_treatment"}, "201"),
        ("/api/lifecycle/members/{code}/open-discipline-case/", f"/api/lifecycle/members/{code}/open-discipline-case/",
         {"opened_on": "2023-01-02", "authority": "Chi bộ", "violation": "Vi phạm"}, "201"),
        ("/api/lifecycle/members/{code}/close-discipline-case/", f"/api/lifecycle/members/{code}/close-discipline-case/",
         {"closed_on": "2023-02-02"}, "200"),
        ("/api/organizations/", "/api/organizations/", {"code": "C09", "name": "Chi bộ 9", "kind": "subordinate_cell",
                                                        "parent": "X01", "established_on": "2020-01-01"}, "201"),
        ("/api/organizations/{code}/rename/", "/api/organizations/C09/rename/",
         {"name": "Chi bộ Chín", "effective_on": "2021-01-01"}, "200"),
    ]
    for template, url, body, status in writes:
        response = api.post(url, body, format="json")
        assert response.status_code == int(status), (url, response.content)
        check(schema, template, response.json(), method="post", status=status)
    response = api.patch(f"/api/members/{code}/", {"occupation": "Kỹ sư"}, format="json")
    check(schema, "/api/members/{code}/", response.json(), method="patch")


def test_report_snapshot_matches_its_schema_and_contract(schema, populated):
    api = basic(populated["organizer"])
    response = api.get("/api/reports/snapshot/", {"org": "H01", "as_of": "2024-12-31"})
    assert response.status_code == 200, response.content
    data = response.json()
    check(schema, "/api/reports/snapshot/", data, strict=False)  # §3: keys may be added
    assert data["org"]["code"] == "H01" and data["as_of"] == "2024-12-31"
    assert data["members"]["total"] == 2 and data["organizations"]["subordinate_cells"] == 2


def test_report_flows_matches_its_schema_and_contract(schema, populated, make_member, make_user, tree):
    from dangvu.members.services import member_record_event

    params = {p["name"]: p for p in schema["paths"]["/api/reports/flows/"]["get"]["parameters"]}
    assert {"org", "from", "to"} <= set(params) and all(params[k]["required"] for k in ("org", "from", "to"))
    old = make_member(tree["C02"], admitted_on=D(1984, 1, 1), made_official_on=D(1985, 1, 1), birth_date=D(1960, 1, 1),
                      placed_on=D(2012, 1, 1))
    member_record_event(old, kind="badge_awarded", effective_on=D(2024, 2, 3), value="40")
    member_record_event(populated["an"], kind="moved", effective_on=D(2024, 6, 1), cell=tree["X02"])
    api = basic(populated["organizer"])
    response = api.get("/api/reports/flows/", {"org": "X01", "from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200, response.content
    data = response.json()
    check(schema, "/api/reports/flows/", data, strict=False)  # §3: keys may be added
    assert data["org"]["code"] == "X01" and (data["from"], data["to"]) == ("2024-01-01", "2024-12-31")
    assert data["transferred_out"] == 1 and data["transferred_in"] == 0 and data["badges_awarded"] == {"40": 1}
    contract = {"admitted", "made_official", "transferred_in", "transferred_out", "died", "removed", "expelled",
                "resigned", "cards_issued", "badges_awarded"}
    assert contract <= set(data)
    assert api.get("/api/reports/flows/", {"org": "X01", "from": "2024-12-31", "to": "2024-01-01"}).status_code == 400
    outsider = basic(make_user("chibo_x02", tree["X02"], "secretary"))
    assert outsider.get("/api/reports/flows/", {"org": "X01", "from": "2024-01-01",
                                                "to": "2024-12-31"}).status_code == 404


def test_report_badges_matches_its_schema_and_contract(schema, populated, make_member, make_user, tree):
    from dangvu.members.services import member_record_event

    params = {p["name"]: p for p in schema["paths"]["/api/reports/badges/"]["get"]["parameters"]}
    assert {"org", "award_date"} <= set(params) and all(params[k]["required"] for k in ("org", "award_date"))
    old = make_member(tree["C02"], admitted_on=D(1984, 1, 1), made_official_on=D(1985, 1, 1), birth_date=D(1960, 1, 1),
                      placed_on=D(2012, 1, 1))
    member_record_event(old, kind="badge_awarded", effective_on=D(2014, 2, 3), value="30")
    api = basic(populated["organizer"])
    response = api.get("/api/reports/badges/", {"org": "X01", "award_date": "2024-02-03"})
    assert response.status_code == 200, response.content
    data = response.json()
    check(schema, "/api/reports/badges/", data, strict=False)  # §3: keys may be added
    assert data["org"]["code"] == "X01" and data["award_date"] == "2024-02-03"
    assert data["due"] == {"40": 1}
    assert [(m["code"], m["name"], m["milestone"]) for m in data["members"]] == [(old.code, old.full_name, 40)]
    outsider = basic(make_user("chibo_x02", tree["X02"], "secretary"))
    assert outsider.get("/api/reports/badges/", {"org": "X01", "award_date": "2024-02-03"}).status_code == 404

