"""The lifecycle API (one endpoint per action, the to-do lists): in the schema, answers that match it,
refusals as field errors, scope and roles."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.contracts.test_api_schema import _fast_passwords, basic, check, schema  # noqa: F401 (fixtures)

D = dt.date
ACTIONS = ("recognize", "card", "badge", "transfer", "transfer-in", "discipline", "open-discipline-case",
           "close-discipline-case", "suspend", "lift-suspension", "exempt", "end-exemption", "remove", "resign",
           "death", "restore")


def test_every_lifecycle_action_is_in_the_schema_with_a_summary(schema):  # noqa: F811
    for name in ACTIONS:
        operation = schema["paths"][f"/api/lifecycle/members/{{code}}/{name}/"]["post"]
        assert operation.get("summary"), name
    assert "get" in schema["paths"]["/api/lifecycle/todo/"]
    assert schema["paths"]["/api/lifecycle/members/{code}/party-age/"]["get"].get("summary")


@pytest.fixture
def people(tree, make_member, make_user):
    return {
        "probationer": make_member(tree["C01"], name="Lò Thị Xuân", admitted_on=D(2024, 3, 15), sex="F",
                                   birth_date=D(1995, 2, 1)),
        "official": make_member(tree["C01"], name="Nguyễn Văn An", made_official_on=D(2016, 5, 19)),
        "organizer": make_user("bantc", tree["H01"], "organizer"),
        "viewer": make_user("xem", tree["H01"], "viewer"),
        "outsider": make_user("xakhac", tree["X02"], "organizer"),
    }


def test_recognition_through_the_api_matches_the_schema_and_sets_the_official_date(schema, people):  # noqa: F811
    api = basic(people["organizer"])
    url = f"/api/lifecycle/members/{people['probationer'].code}/recognize/"
    r = api.post(url, {"decided_on": "2025-04-02", "due": 9, "present": 9, "votes_for": 8,
                       "decision_number": "123-QĐ/ĐU"}, format="json")
    assert r.status_code == 201, r.content
    check(schema, "/api/lifecycle/members/{code}/recognize/", r.json(), method="post", status="201")
    assert r.json()["kind"] == "made_official" and r.json()["effective_on"] == "2025-03-15"


def test_a_refused_action_is_a_400_naming_the_field_and_changes_nothing(people):
    from dangvu.members.models import MemberEvent

    api = basic(people["organizer"])
    m = people["probationer"]
    events = MemberEvent.objects.count()
    r = api.post(f"/api/lifecycle/members/{m.code}/recognize/",
                 {"decided_on": "2025-03-01", "due": 9, "present": 9, "votes_for": 8}, format="json")
    assert r.status_code == 400 and "decided_on" in r.json()  # before the 12 months of probation
    r = api.post(f"/api/lifecycle/members/{m.code}/discipline/", {"form": "expulsion", "decided_on": "2025-01-02"},
                 format="json")
    assert r.status_code == 400 and "form" in r.json()
    r = api.post(f"/api/lifecycle/members/{people['official'].code}/card/", {"number": "123", "issued_on": "2020-01-06"},
                 format="json")
    assert r.status_code == 400 and "number" in r.json()
    m.refresh_from_db()
    people["official"].refresh_from_db()
    assert m.status == "probationary" and people["official"].card_number == ""
    assert MemberEvent.objects.count() == events


def test_lifecycle_actions_need_a_writing_role_and_the_member_in_scope(people):
    code = people["official"].code
    body = {"number": "01234567", "issued_on": "2020-01-06"}
    assert basic(people["viewer"]).post(f"/api/lifecycle/members/{code}/card/", body, format="json").status_code == 403
    assert basic(people["outsider"]).post(f"/api/lifecycle/members/{code}/card/", body, format="json").status_code == 404
    assert basic(people["organizer"]).post(f"/api/lifecycle/members/{code}/card/", body, format="json").status_code == 201


def test_the_todo_api_matches_its_schema(schema, people):  # noqa: F811
    r = basic(people["viewer"]).get("/api/lifecycle/todo/")
    assert r.status_code == 200
    check(schema, "/api/lifecycle/todo/", r.json())
    assert [c["code"] for c in r.json()["cards"]] == [people["official"].code]


def test_the_discipline_endpoint_asks_for_the_protections_and_refuses(schema, people):  # noqa: F811
    from dangvu.members.models import MemberEvent

    body = schema["paths"]["/api/lifecycle/members/{code}/discipline/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "conditions" in schema["components"]["schemas"][ref]["properties"]
    api = basic(people["organizer"])
    m = people["official"]
    r = api.post(f"/api/lifecycle/members/{m.code}/discipline/",
                 {"form": "warning", "decided_on": "2025-01-02", "conditions": ["seriously_ill"]}, format="json")
    assert r.status_code == 400 and "conditions" in r.json()
    assert not MemberEvent.objects.filter(member=m, kind="disciplined").exists()
    r = api.post(f"/api/lifecycle/members/{m.code}/discipline/", {"form": "warning", "decided_on": "2025-01-02"},
                 format="json")
    assert r.status_code == 201 and r.json()["value"] == "warning"


def test_the_badge_endpoint_refuses_a_milestone_the_rules_of_the_award_date_do_not_have(people):
    api = basic(people["organizer"])
    r = api.post(f"/api/lifecycle/members/{people['official'].code}/badge/",
                 {"milestone": 35, "award_date": "2026-02-03"}, format="json")
    assert r.status_code == 400 and "milestone" in r.json()


def test_the_api_says_which_actions_a_member_allows(schema, people):  # noqa: F811
    api = basic(people["organizer"])
    r = api.get(f"/api/lifecycle/members/{people['probationer'].code}/actions/")
    assert r.status_code == 200
    check(schema, "/api/lifecycle/members/{code}/actions/", r.json())
    assert "recognize" in r.json()["actions"] and "card" not in r.json()["actions"]
    assert basic(people["viewer"]).get(f"/api/lifecycle/members/{people['probationer'].code}/actions/").json() == {
        "actions": []}
    assert basic(people["outsider"]).get(f"/api/lifecycle/members/{people['probationer'].code}/actions/").status_code == 404


@pytest.mark.parametrize("issued_on", ["2101-01-05", "2099-06-01"])
def test_a_transfer_dated_in_the_future_or_past_the_calendar_is_a_400_not_a_500(people, issued_on):
    """A transfer letter dated after today is refused by its field (it would change today's state before it
    happens); 2101 is also past the holiday calendar, which raised a server error before the date was checked."""
    from dangvu.lifecycle.models import Transfer

    api = basic(people["organizer"])
    r = api.post(f"/api/lifecycle/members/{people['official'].code}/transfer/",
                 {"kind": "official", "issued_on": issued_on, "destination": "Đảng bộ tỉnh khác", "letter_number": "1"},
                 format="json")
    assert r.status_code == 400 and "issued_on" in r.json(), r.content
    assert not Transfer.objects.exists()


def test_a_suspension_and_its_lifting_through_the_api(schema, people, tree, make_user):  # noqa: F811
    """Đình chỉ sinh hoạt đảng: the decision, the reason and the planned end in; the event out, as the schema
    says; a refusal is a 400 naming the field; the inspectors (UBKT) may, a viewer may not."""
    from dangvu.members.models import MemberEvent

    m = people["official"]
    url = f"/api/lifecycle/members/{m.code}/suspend/"
    body = schema["paths"]["/api/lifecycle/members/{code}/suspend/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"on", "reason", "note", "planned_end", "decision_number", "decision_date", "issued_by"} <= set(
        schema["components"]["schemas"][ref]["properties"])
    api = basic(people["organizer"])
    assert api.post(url, {"on": "2024-03-11", "reason": "other"}, format="json").json().keys() == {"note"}
    r = api.post(url, {"on": "2024-03-11", "reason": "investigation", "planned_end": "2024-03-01"}, format="json")
    assert r.status_code == 400 and "planned_end" in r.json()
    assert basic(people["viewer"]).post(url, {"on": "2024-03-11", "reason": "investigation"},
                                        format="json").status_code == 403
    assert basic(people["outsider"]).post(url, {"on": "2024-03-11", "reason": "investigation"},
                                          format="json").status_code == 404
    r = api.post(url, {"on": "2024-03-11", "reason": "prosecution", "planned_end": "2024-12-31",
                       "decision_number": "312-QĐ/UBKTHU", "decision_date": "2024-03-08",
                       "issued_by": "Ủy ban Kiểm tra Huyện ủy", "note": "Khởi tố vụ án"}, format="json")
    assert r.status_code == 201, r.content
    check(schema, "/api/lifecycle/members/{code}/suspend/", r.json(), method="post", status="201")
    assert (r.json()["kind"], r.json()["value"], r.json()["decision_number"]) == (
        "suspended", "prosecution", "312-QĐ/UBKTHU")
    member = api.get(f"/api/members/{m.code}/").json()
    assert member["suspended"] is True
    actions = api.get(f"/api/lifecycle/members/{m.code}/actions/").json()["actions"]
    assert "lift-suspension" in actions and "suspend" not in actions
    r = api.post(url, {"on": "2024-05-01", "reason": "investigation"}, format="json")
    assert r.status_code == 400 and "on" in r.json()  # suspended already
    lift = f"/api/lifecycle/members/{m.code}/lift-suspension/"
    r = api.post(lift, {"on": "2024-03-11"}, format="json")
    assert r.status_code == 400 and "on" in r.json()  # not after the start
    inspector = make_user("ubkt", tree["H01"], "inspector")
    r = basic(inspector).post(lift, {"on": "2025-01-20", "decision_number": "27-QĐ/UBKTHU"}, format="json")
    assert r.status_code == 201, r.content
    check(schema, "/api/lifecycle/members/{code}/lift-suspension/", r.json(), method="post", status="201")
    assert api.get(f"/api/members/{m.code}/").json()["suspended"] is False
    assert MemberEvent.objects.filter(member=m, kind__in=("suspended", "suspension_lifted")).count() == 2

