"""The organizations API: scope, lifecycle actions with their audit, the dated tree, validation."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.contracts.test_api_schema import basic

from dangvu.organizations.models import Organization, OrganizationEvent

PASSWORD = "Mat-khau-an-toan-2026"
D = dt.date


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """HTTP Basic checks the password on every request; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]



@pytest.fixture
def district(tree, make_user):
    """An organizer of the whole district H01."""
    return make_user("bantc.huyen", tree["H01"], "organizer")


@pytest.fixture
def commune(tree, make_user):
    """An organizer of commune X01 only."""
    return make_user("bantc.xa", tree["X01"], "organizer")


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def last_audit(org: Organization, model=Organization) -> LogEntry:
    ct = ContentType.objects.get_for_model(model)
    if model is Organization:
        return LogEntry.objects.filter(content_type=ct, object_id=org.pk).order_by("id").last()
    ids = OrganizationEvent.objects.filter(organization=org).values_list("pk", flat=True)
    return LogEntry.objects.filter(content_type=ct, object_id__in=list(ids)).order_by("id").last()


# --- Scope ------------------------------------------------------------------------------------------


def test_commune_user_sees_only_its_subtree_in_list_detail_events_and_tree(tree, commune):
    api = basic(commune)
    assert codes(api.get("/api/organizations/")) == ["C01", "C02", "X01"]
    assert codes(api.get("/api/organizations/", {"search": "nà bủng"})) == []
    for code in ("H01", "X02"):
        assert api.get(f"/api/organizations/{code}/").status_code == 404
        assert api.get(f"/api/organizations/{code}/events/").status_code == 404
        assert api.get(f"/api/organizations/{code}/tree/").status_code == 404
    assert api.get("/api/organizations/X01/").json()["parent"] == "H01"


def test_actions_on_an_organization_outside_scope_answer_404_and_change_nothing(tree, commune):
    api = basic(commune)
    body = {"effective_on": "2024-01-01", "name": "Chi bộ mới", "kind": "grassroots_committee", "parent": "X01"}
    for path in ("rename", "move", "change-kind", "dissolve", "merge"):
        assert api.post(f"/api/organizations/X02/{path}/", body, format="json").status_code == 404, path
    assert api.patch("/api/organizations/X02/", {"unit_kind": "xa"}, format="json").status_code == 404
    assert OrganizationEvent.objects.filter(organization=tree["X02"]).count() == 1


def test_organizations_outside_scope_in_the_input_are_field_errors(tree, commune):
    api = basic(commune)
    body = {"code": "C09", "name": "Chi bộ 9", "kind": "subordinate_cell", "parent": "H01"}
    response = api.post("/api/organizations/", body, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    response = api.post("/api/organizations/C01/move/", {"parent": "X02", "effective_on": "2024-01-01"}, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    response = api.post("/api/organizations/C01/merge/", {"sources": ["X02"], "effective_on": "2024-01-01"},
                        format="json")
    assert response.status_code == 400 and "sources" in response.json()
    assert api.get("/api/organizations/", {"parent": "H01"}).status_code == 400
    assert not Organization.objects.filter(code="C09").exists()


def test_tree_of_a_past_day_leaves_out_organizations_now_outside_scope(tree, district, make_user):
    from dangvu.organizations.services import organization_establish, organization_move

    x3 = organization_establish(code="X03", name="Đảng bộ xã Mới", kind="grassroots_committee", parent=tree["H01"],
                                established_on=D(2012, 1, 1))
    organization_move(tree["C02"], parent=x3, effective_on=D(2020, 1, 1))
    api = basic(make_user("bantc.x01b", tree["X01"], "organizer"))
    past = api.get("/api/organizations/X01/tree/", {"as_of": "2019-06-01"}).json()
    assert [n["code"] for n in past["nodes"]] == ["X01", "C01"]  # C02 was there, but is no longer in scope
    wide = basic(district).get("/api/organizations/X01/tree/", {"as_of": "2019-06-01"}).json()
    assert [n["code"] for n in wide["nodes"]] == ["X01", "C01", "C02"]


# --- Lists -----------------------------------------------------------------------------------------


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


# --- Writes ----------------------------------------------------------------------------------------


def test_establish_is_audited_as_the_basic_auth_user(tree, commune):
    body = {"code": "C05", "name": "Chi bộ bản Huổi Lếch", "kind": "subordinate_cell", "parent": "X01",
            "established_on": "2024-03-01", "decision_number": "45-QĐ/ĐU", "decision_date": "2024-02-20",
            "issued_by": "Đảng ủy xã Nà Hỳ"}
    response = basic(commune).post("/api/organizations/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["code"], data["parent"], data["kind"], data["established_on"]) == (
        "C05", "X01", "subordinate_cell", "2024-03-01")
    org = Organization.objects.get(code="C05")
    event = org.events.get()
    assert (event.decision_number, event.issued_by, event.recorded_by) == ("45-QĐ/ĐU", "Đảng ủy xã Nà Hỳ", commune)
    for entry in (last_audit(org), last_audit(org, OrganizationEvent)):
        assert entry.actor == commune and entry.additional_data == {"source": "api"}
    assert basic(commune).get("/api/organizations/C05/").status_code == 200


def test_update_changes_only_undated_details(tree, commune):
    api = basic(commune)
    response = api.patch("/api/organizations/C01/", {"unit_kind": "thon_ban", "admin_unit_code": ""}, format="json")
    assert response.status_code == 200 and response.json()["unit_kind"] == "thon_ban"
    assert last_audit(tree["C01"]).actor == commune
    for body, field in [({"name": "Tên mới"}, "name"), ({"parent": "C02"}, "parent"), ({"unit_kind": "moon"}, "unit_kind"),
                        ({"admin_unit_code": "99999"}, "admin_unit_code"), ({"code": "Z"}, "code")]:
        response = api.patch("/api/organizations/C01/", body, format="json")
        assert response.status_code == 400 and field in response.json(), (body, response.content)
    c1 = Organization.objects.get(pk=tree["C01"].pk)
    assert (c1.name, c1.parent, c1.code) == ("Chi bộ bản Nà Hỳ 1", tree["X01"], "C01")


def test_rename_move_and_change_kind_are_dated_actions(tree, district):
    api = basic(district)
    response = api.post("/api/organizations/C01/rename/", {"name": "Chi bộ bản Nà Hỳ Một", "effective_on": "2020-01-01",
                                                            "decision_number": "1-QĐ"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Chi bộ bản Nà Hỳ Một"
    assert last_audit(tree["C01"], OrganizationEvent).actor == district
    response = api.post("/api/organizations/X02/change-kind/", {"kind": "grassroots_committee",
                                                                "effective_on": "2021-01-01"}, format="json")
    assert response.status_code == 200 and response.json()["kind"] == "grassroots_committee"
    response = api.post("/api/organizations/C02/move/", {"parent": "X02", "effective_on": "2022-01-01"}, format="json")
    assert response.status_code == 200 and response.json()["parent"] == "X02"
    before = api.get("/api/organizations/H01/tree/", {"as_of": "2019-12-31"}).json()["nodes"]
    assert [(n["code"], n["parent"], n["depth"]) for n in before] == [
        ("H01", None, 0), ("X01", "H01", 1), ("C01", "X01", 2), ("C02", "X01", 2), ("X02", "H01", 1)]
    assert before[2]["name"] == "Chi bộ bản Nà Hỳ 1"
    after = api.get("/api/organizations/H01/tree/", {"as_of": "2022-01-01"}).json()
    assert after["as_of"] == "2022-01-01"
    assert [(n["code"], n["parent"]) for n in after["nodes"]] == [
        ("H01", None), ("X01", "H01"), ("C01", "X01"), ("X02", "H01"), ("C02", "X02")]
    assert after["nodes"][2]["name"] == "Chi bộ bản Nà Hỳ Một"
    events = api.get("/api/organizations/C02/events/").json()
    assert [e["kind"] for e in events] == ["established", "moved"]
    assert events[1]["recorded_by"] == district.username


def test_subtree_tree_names_the_parent_of_its_root(tree, commune):
    nodes = basic(commune).get("/api/organizations/X01/tree/", {"as_of": "2015-01-01"}).json()["nodes"]
    assert nodes[0] == {"code": "X01", "name": "Đảng bộ xã Nà Hỳ", "kind": "grassroots_committee", "parent": "H01",
                        "depth": 0}


def test_tree_before_the_organization_existed_is_empty_and_bad_day_is_400(tree, commune):
    api = basic(commune)
    assert api.get("/api/organizations/X01/tree/", {"as_of": "2000-01-01"}).json()["nodes"] == []
    response = api.get("/api/organizations/X01/tree/", {"as_of": "01/01/2015x"})
    assert response.status_code == 400 and "as_of" in response.json()


def test_dissolve_is_refused_while_members_remain_then_allowed(tree, commune, make_member):
    api = basic(commune)
    m = make_member(tree["C02"])
    response = api.post("/api/organizations/C02/dissolve/", {"effective_on": "2024-01-01"}, format="json")
    assert response.status_code == 400 and "effective_on" in response.json()
    assert Organization.objects.get(code="C02").dissolved_on is None
    assert api.post(f"/api/lifecycle/members/{m.code}/transfer/", {"kind": "official", "to_cell": "C01",
                                                                   "issued_on": "2023-12-01"},
                    format="json").status_code == 201
    response = api.post("/api/organizations/C02/dissolve/", {"effective_on": "2024-01-01", "decision_number": "9-QĐ"},
                        format="json")
    assert response.status_code == 200 and response.json()["dissolved_on"] == "2024-01-01"
    assert last_audit(tree["C02"], OrganizationEvent).actor == commune
    assert codes(api.get("/api/organizations/", {"as_of": "2024-01-01", "kind": "subordinate_cell"})) == ["C01"]


def test_merge_moves_members_of_the_sources_into_the_target(tree, commune, make_member):
    api = basic(commune)
    m = make_member(tree["C02"])
    response = api.post("/api/organizations/C01/merge/", {"sources": ["C02"], "effective_on": "2024-06-01",
                                                          "decision_number": "7-QĐ/ĐU"}, format="json")
    assert response.status_code == 200, response.content
    assert Organization.objects.get(code="C02").dissolved_on == D(2024, 6, 1)
    m.refresh_from_db()
    assert m.cell == tree["C01"]
    moved = m.events.get(kind="moved")
    assert moved.decision_number == "7-QĐ/ĐU" and moved.recorded_by == commune
    response = api.post("/api/organizations/C01/merge/", {"sources": ["C01"], "effective_on": "2024-07-01"},
                        format="json")
    assert response.status_code == 400 and "target" in response.json()


@pytest.mark.parametrize(("path", "body", "field"), [
    ("rename", {"name": "Mới"}, "effective_on"),
    ("rename", {"name": "", "effective_on": "2020-01-01"}, "name"),
    ("rename", {"name": "Chi bộ bản Nà Hỳ 1", "effective_on": "2020-01-01"}, "name"),
    ("rename", {"name": "Mới", "effective_on": "2000-01-01"}, "effective_on"),  # not yet established
    ("rename", {"name": "Mới", "effective_on": "2020-31-12"}, "effective_on"),
    ("rename", {"name": ["Mới"], "effective_on": "2020-01-01"}, "name"),
    ("move", {"parent": "X01", "effective_on": "2020-01-01"}, "parent"),  # already there
    ("move", {"parent": "C02", "effective_on": "2020-01-01"}, "parent"),  # a cell cannot hold a cell
    ("move", {"parent": None, "effective_on": "2020-01-01"}, "parent"),
    ("move", {"parent": "NOWHERE", "effective_on": "2020-01-01"}, "parent"),
    ("change-kind", {"kind": "subordinate_cell", "effective_on": "2020-01-01"}, "kind"),
    ("change-kind", {"kind": "planet", "effective_on": "2020-01-01"}, "kind"),
    ("change-kind", {"kind": "grassroots_cell", "effective_on": "2020-01-01"}, "parent"),  # wrong level under X01
    ("dissolve", {"effective_on": "2020-01-01", "decision_date": 5}, "decision_date"),
    ("dissolve", {"effective_on": "2020-01-01", "reason": "x"}, "reason"),
    ("merge", {"sources": [], "effective_on": "2020-01-01"}, "sources"),
    ("merge", {"sources": "C02", "effective_on": "2020-01-01"}, "sources"),
    ("merge", {"sources": [{"code": "C02"}], "effective_on": "2020-01-01"}, "sources"),
])
def test_bad_action_input_is_400_with_the_field_key_and_writes_nothing(tree, district, path, body, field):
    before = OrganizationEvent.objects.count()
    response = basic(district).post(f"/api/organizations/C01/{path}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert OrganizationEvent.objects.count() == before


@pytest.mark.parametrize(("change", "field"), [
    ({"code": ""}, "code"),
    ({"code": "C" * 40}, "code"),
    ({"code": "C01"}, "code"),  # taken
    ({"name": "  "}, "name"),
    ({"kind": "moon"}, "kind"),
    ({"kind": "district"}, "parent"),  # a district cannot sit under a grassroots committee
    ({"parent": None}, "parent"),
    ({"established_on": "2010-01-01"}, "parent"),  # X01 did not exist yet
    ({"established_on": "mai"}, "established_on"),
    ({"unit_kind": "moon"}, "unit_kind"),
    ({"admin_unit_code": "abc"}, "admin_unit_code"),
    ({"dissolved_on": "2030-01-01"}, "dissolved_on"),
])
def test_establish_with_bad_input_is_400_with_the_field_key(tree, district, change, field):
    body = {"code": "C07", "name": "Chi bộ 7", "kind": "subordinate_cell", "parent": "X01", "established_on": "2015-01-01",
            **change}
    response = basic(district).post("/api/organizations/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Organization.objects.filter(code="C07").exists()


@pytest.mark.parametrize("role", ["viewer", "inspector"])
def test_roles_without_write_get_403_on_every_write(tree, make_user, role):
    api = basic(make_user(f"ro.{role}", tree["H01"], role))
    before = OrganizationEvent.objects.count()
    body = {"code": "C07", "name": "Chi bộ 7", "kind": "subordinate_cell", "parent": "X01",
            "effective_on": "2020-01-01", "sources": ["C02"]}
    assert api.post("/api/organizations/", body, format="json").status_code == 403
    assert api.patch("/api/organizations/C01/", {"unit_kind": "xa"}, format="json").status_code == 403
    for path in ("rename", "move", "change-kind", "dissolve", "merge"):
        assert api.post(f"/api/organizations/C01/{path}/", body, format="json").status_code == 403, path
    assert OrganizationEvent.objects.count() == before
    assert api.get("/api/organizations/C01/").status_code == 200
