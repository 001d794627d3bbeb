"""The cycle's API: one endpoint per step, scoped, refusals as field errors with nothing written."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dangvu.assessment.models import AssessmentCycle, Rating


@pytest.fixture
def api(tree, make_user):
    def _api(role="organizer", org="X01"):
        client = APIClient()
        client.force_authenticate(make_user(f"u_{role}_{org}", tree[org], role))
        return client
    return _api


def test_the_steps_through_the_api(api, rated, tree):
    client = api()
    ms = [m.code for m in rated["members"]]
    cycle = client.post("/api/assessment/cycles/", {"organization": "X01", "year": 2023, "opened_on": "2023-11-01"},
                        format="json")
    assert cycle.status_code == 201 and cycle.json()["organization"] == "X01"
    pk = rated["cycles"][("X01", 2024)].pk
    assert client.get("/api/assessment/cycles/").json()["count"] == 3  # X01's three; not the district's
    step = client.post(f"/api/assessment/cycles/{pk}/self-assessment/", {
        "member": ms[0], "effective_on": "2024-11-20", "key": "good", "form": "2B"}, format="json")
    assert step.status_code == 201 and step.json()["kind"] == "self_assessment"
    bad = client.post(f"/api/assessment/cycles/{pk}/cell-review/", {
        "member": ms[0], "effective_on": "2024-12-01", "key": "good", "comment": "Tốt",
        "votes_due": 9, "votes_present": 10, "votes_for": 8}, format="json")
    assert bad.status_code == 400 and "votes_present" in bad.json()
    ok = client.post(f"/api/assessment/cycles/{pk}/cell-review/", {
        "member": ms[0], "effective_on": "2024-12-01", "key": "good", "comment": "Tốt",
        "votes_due": 9, "votes_present": 9, "votes_for": 8}, format="json")
    assert ok.status_code == 201 and ok.json()["votes_for"] == 8
    assert client.post(f"/api/assessment/cycles/{pk}/residence-comment/", {
        "member": ms[1], "effective_on": "2024-11-25", "comment": "Gương mẫu"}, format="json").status_code == 201
    over = client.post(f"/api/assessment/cycles/{pk}/decide/", {"decided_on": "2024-12-20", "decisions": [
        {"member": ms[0], "key": "excellent"}, {"member": ms[1], "key": "good"}]}, format="json")
    assert over.status_code == 400 and "key" in over.json() and not Rating.objects.exists()
    decided = client.post(f"/api/assessment/cycles/{pk}/decide/", {
        "decided_on": "2024-12-20", "decision_number": "15-QĐ/ĐU",
        "decisions": [{"member": code, "key": "good"} for code in ms[:5]] + [{"member": ms[5], "key": "excellent"}]},
        format="json")
    assert decided.status_code == 201 and [s["key"] for s in decided.json()] == ["good"] * 5 + ["excellent"]
    assert decided.json()[0]["decision_number"] == "15-QĐ/ĐU" and Rating.objects.count() == 6


def test_roles_and_scope(api, rated):
    viewer = api("viewer")
    pk = rated["cycles"][("X01", 2024)].pk
    assert viewer.get(f"/api/assessment/cycles/{pk}/").status_code == 200
    assert viewer.post(f"/api/assessment/cycles/{pk}/residence-comment/", {
        "member": rated["members"][0].code, "effective_on": "2024-11-25", "comment": "x"}, format="json").status_code == 403
    district = rated["cycles"][("H01", 2024)].pk
    assert api().get(f"/api/assessment/cycles/{district}/").status_code == 404  # above the user's scope
    other = api("organizer", "X02")
    assert other.post(f"/api/assessment/cycles/{pk}/decide/", {"decided_on": "2024-12-20", "decisions": []},
                      format="json").status_code == 404
    count = AssessmentCycle.objects.count()
    assert other.post("/api/assessment/cycles/", {"organization": "X01", "year": 2023, "opened_on": "2023-11-01"},
                      format="json").status_code == 400
    assert AssessmentCycle.objects.count() == count


def test_the_cycles_are_listed_by_year_and_a_year_that_is_not_a_number_is_a_field_error(api, rated):
    client = api()
    by_year = client.get("/api/assessment/cycles/", {"year": 2025}).json()
    assert [c["year"] for c in by_year["results"]] == [2025] and by_year["count"] == 1
    bad = client.get("/api/assessment/cycles/", {"year": "abc"})
    assert bad.status_code == 400 and bad.json()["year"] == ["Nhập một số."]
