"""Writes through the organizations API: establishment and corrections audited as the caller, the dated
actions, the tree of a day, dissolution and merge."""

from __future__ import annotations

from tests.contracts.test_api_schema import basic

from dangvu.organizations.models import Organization, OrganizationEvent
from dangvu.organizations.tests.api.answers import D, codes, last_audit


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
