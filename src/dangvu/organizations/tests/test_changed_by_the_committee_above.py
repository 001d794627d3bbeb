"""An organization is changed (renamed, moved, its kind changed, dissolved, merged, split) by the committee
directly above it (Điều lệ Đảng): a commune's secretary changes its chi bộ, not the commune itself, and
establishes under it; the administrator may change the organization of his own scope."""

from __future__ import annotations

import datetime as dt

from rest_framework.test import APIClient

from dangvu.organizations.models import Organization

D = dt.date


def test_a_secretary_changes_the_cells_under_him_not_his_own_committee(client, tree, make_user):
    secretary = make_user("bithu_x01", tree["X01"], "secretary")
    client.force_login(secretary)
    own = client.get("/organizations/X01/").content.decode()
    assert "/organizations/X01/rename/" not in own and "/organizations/X01/establish/" in own
    assert client.get("/organizations/X01/rename/").status_code == 403
    refused = client.post("/organizations/X01/rename/", {"name": "Đảng bộ xã Mới", "effective_on": "01/01/2024"})
    assert refused.status_code == 403 and "cấp ủy cấp trên trực tiếp" in refused.content.decode()
    assert Organization.objects.get(code="X01").name == tree["X01"].name
    assert "/organizations/C01/rename/" in client.get("/organizations/C01/").content.decode()
    r = client.post("/organizations/C01/rename/", {"name": "Chi bộ bản Một mới", "effective_on": "01/01/2024"})
    assert r.status_code == 302
    api = APIClient()
    api.force_authenticate(secretary)
    r = api.post("/api/organizations/X01/rename/", {"name": "Đảng bộ xã Mới", "effective_on": "2024-01-01"},
                 format="json")
    assert r.status_code == 403 and "cấp ủy cấp trên trực tiếp" in r.json()["detail"]
    r = api.post("/api/organizations/C02/merge/", {"sources": ["X01"], "effective_on": "2024-01-01"}, format="json")
    assert r.status_code in (400, 403) and Organization.objects.get(code="X01").dissolved_on is None


def test_the_committee_above_and_the_administrator_change_it(client, tree, make_user):
    client.force_login(make_user("bantochuc_h01", tree["H01"], "organizer"))
    assert "/organizations/X01/rename/" in client.get("/organizations/X01/").content.decode()
    assert client.get("/organizations/X01/rename/").status_code == 200
    assert "/organizations/H01/rename/" not in client.get("/organizations/H01/").content.decode()
    client.force_login(make_user("quantri", tree["H01"], "admin"))
    assert client.get("/organizations/H01/rename/").status_code == 200
