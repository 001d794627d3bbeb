"""Writes the organizations API refuses: bad input (400 with the field, nothing written), roles that may
not write (403)."""

from __future__ import annotations

import pytest
from tests.contracts.test_api_schema import basic

from dangvu.organizations.models import Organization, OrganizationEvent


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
