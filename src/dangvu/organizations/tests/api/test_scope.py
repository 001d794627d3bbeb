"""The organizations API within the caller's scope: lists, details, events and trees; actions and inputs
outside it."""

from __future__ import annotations

from tests.contracts.test_api_schema import basic

from dangvu.organizations.models import Organization, OrganizationEvent
from dangvu.organizations.tests.api.answers import D, codes


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
