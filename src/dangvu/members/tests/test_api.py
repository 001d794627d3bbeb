"""The members API: scope, personal data, audit of the API user, validation, pagination, search."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from tests.contracts.test_api_schema import basic

from dangvu.members.models import Member, MemberEvent

PASSWORD = "Mat-khau-an-toan-2026"
D = dt.date



@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """HTTP Basic checks the password on every request; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(tree, make_member):
    """Members of commune X01 (cells C01, C02) and one of X02, another grassroots organization."""
    return {
        "an": make_member(tree["C01"], name="Nguyễn Văn An", made_official_on=D(2016, 5, 19),
                          national_id_number="001085000001", phone="0912345678", residence="Bản Nà Hỳ"),
        "hoa": make_member(tree["C02"], name="Đặng Thị Hoa", sex="F", ethnicity="Thái"),
        "minh": make_member(tree["X02"], name="Lò Văn Minh", ethnicity="Thái", national_id_number="001085000009"),
    }


@pytest.fixture
def organizer(tree, make_user):
    return make_user("bantc.x01", tree["X01"], "organizer")


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def audit_entries(model, obj_pk):
    ct = ContentType.objects.get_for_model(model)
    return LogEntry.objects.filter(content_type=ct, object_id=obj_pk).order_by("id")


# --- Scope ------------------------------------------------------------------------------------------


def test_commune_user_cannot_see_another_communes_member_by_list_detail_search_events_or_tree(
    tree, people, organizer
):
    api = basic(organizer)
    minh = people["minh"].code
    assert sorted(codes(api.get("/api/members/"))) == sorted([people["an"].code, people["hoa"].code])
    assert codes(api.get("/api/members/", {"search": "minh"})) == []
    assert codes(api.get("/api/members/", {"search": minh})) == []
    assert api.get(f"/api/members/{minh}/").status_code == 404
    assert api.get(f"/api/members/{minh}/events/").status_code == 404
    assert api.get("/api/organizations/X02/tree/").status_code == 404
    assert api.get("/api/organizations/H01/tree/").status_code == 404
    tree_codes = [n["code"] for n in api.get("/api/organizations/X01/tree/").json()["nodes"]]
    assert tree_codes == ["X01", "C01", "C02"]
    # Filters naming an organization outside scope are field errors, not a way to probe.
    assert api.get("/api/members/", {"cell": "X02"}).status_code == 400
    assert api.get("/api/members/", {"org": "H01"}).status_code == 400


def test_actions_on_a_member_outside_scope_answer_404_and_change_nothing(tree, people, organizer):
    api = basic(organizer)
    minh = people["minh"]
    before = MemberEvent.objects.filter(member=minh).count()
    assert api.patch(f"/api/members/{minh.code}/", {"occupation": "Giáo viên"}, format="json").status_code == 404
    body = {"on": "2024-01-01", "ground": "long_medical_treatment"}
    assert api.post(f"/api/lifecycle/members/{minh.code}/exempt/", body, format="json").status_code == 404
    assert api.post(f"/api/lifecycle/members/{minh.code}/death/", body, format="json").status_code == 404
    assert MemberEvent.objects.filter(member=minh).count() == before
    minh.refresh_from_db()
    assert minh.occupation == "" and not minh.exempted


def test_cell_outside_scope_is_a_field_error_on_register_and_an_unknown_one_on_transfer(tree, people, organizer):
    api = basic(organizer)
    body = {"code": "DV9", "full_name": "Vàng A Sử", "birth_date": "1990-01-01", "sex": "M",
            "ethnicity": "Mông", "admitted_on": "2015-01-01", "cell": "X02"}
    response = api.post("/api/members/", body, format="json")
    assert response.status_code == 400 and "cell" in response.json()
    response = api.post(f"/api/lifecycle/members/{people['an'].code}/transfer/",
                        {"kind": "official", "issued_on": "2024-01-01", "to_cell": "KHONGCO"}, format="json")
    assert response.status_code == 400 and "to_cell" in response.json()
    assert not Member.objects.filter(code="DV9").exists()
    assert Member.objects.get(pk=people["an"].pk).cell == tree["C01"]


def test_user_without_current_role_sees_nothing(tree, people, make_user):
    from dangvu.accounts.models import RoleAssignment

    user = make_user("nobody", tree["X01"], "organizer")
    RoleAssignment.objects.filter(user=user).update(valid_from=D(2020, 1, 1), valid_to=D(2021, 1, 1))
    api = basic(user)
    assert codes(api.get("/api/members/")) == []
    assert api.get(f"/api/members/{people['an'].code}/").status_code == 404


def test_anonymous_caller_is_refused(people):
    assert APIClient().get("/api/members/").status_code in (401, 403)
    assert APIClient().get(f"/api/members/{people['an'].code}/").status_code in (401, 403)


# --- Personal data and write permission -------------------------------------------------------------


PERSONAL = {"national_id_number", "residence", "current_address", "phone"}


@pytest.mark.parametrize(("role", "sees"), [("admin", True), ("organizer", True), ("inspector", False),
                                            ("secretary", False), ("viewer", False)])
def test_personal_data_is_serialized_only_for_roles_allowed_to_see_it(tree, people, make_user, role, sees):
    api = basic(make_user(f"u.{role}", tree["X01"], role))
    detail = api.get(f"/api/members/{people['an'].code}/").json()
    row = next(r for r in api.get("/api/members/").json()["results"] if r["code"] == people["an"].code)
    for data in (detail, row):
        assert (PERSONAL <= set(data)) is sees
        assert (PERSONAL & set(data) == set()) is not sees
    if sees:
        assert detail["national_id_number"] == "001085000001" and detail["phone"] == "0912345678"


@pytest.mark.parametrize("path", ["/api/members/", "/api/members/{code}/", "/api/members/{code}/events/"])
def test_browsable_api_pages_do_not_leak_personal_data(people, make_user, tree, path):
    client = APIClient()
    client.force_login(make_user("bithu.html", tree["X01"], "secretary"))
    response = client.get(path.format(code=people["an"].code), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Văn An" in html or "DV" in html
    assert "001085000001" not in html and "0912345678" not in html and "Bản Nà Hỳ" not in html


def test_secretary_may_write_but_not_personal_data(tree, people, make_user):
    api = basic(make_user("bithu", tree["X01"], "secretary"))
    an = people["an"]
    response = api.patch(f"/api/members/{an.code}/", {"phone": "0900000000"}, format="json")
    assert response.status_code == 400 and "phone" in response.json()
    response = api.patch(f"/api/members/{an.code}/", {"occupation": "Nông dân"}, format="json")
    assert response.status_code == 200 and "phone" not in response.json()
    an.refresh_from_db()
    assert an.phone == "0912345678" and an.occupation == "Nông dân"


@pytest.mark.parametrize("role", ["viewer", "inspector"])
def test_roles_without_write_get_403_and_nothing_changes(tree, people, make_user, role):
    api = basic(make_user(f"ro.{role}", tree["X01"], role))
    an = people["an"]
    n_members, n_events = Member.objects.count(), MemberEvent.objects.count()
    body = {"code": "DV9", "full_name": "Vàng A Sử", "birth_date": "1990-01-01", "sex": "M",
            "ethnicity": "Mông", "admitted_on": "2015-01-01", "cell": "C01"}
    assert api.post("/api/members/", body, format="json").status_code == 403
    assert api.patch(f"/api/members/{an.code}/", {"occupation": "X"}, format="json").status_code == 403
    for path in ("exempt/", "death/", "transfer/", "end-exemption/", "transfer-in/"):
        body = {"on": "2024-01-01", "kind": "official", "issued_on": "2024-01-01", "to_cell": "C02"}
        assert api.post(f"/api/lifecycle/members/{an.code}/{path}", body, format="json").status_code == 403, path
    assert (Member.objects.count(), MemberEvent.objects.count()) == (n_members, n_events)
    assert api.get(f"/api/members/{an.code}/").status_code == 200


def test_put_and_delete_are_not_allowed(people, organizer):
    api = basic(organizer)
    an = people["an"].code
    assert api.put(f"/api/members/{an}/", {"occupation": "X"}, format="json").status_code == 405
    assert api.delete(f"/api/members/{an}/").status_code == 405
    assert Member.objects.filter(code=an).exists()


# --- Writes and their audit -------------------------------------------------------------------------


def test_register_via_basic_auth_is_audited_as_the_api_user(tree, organizer):
    api = basic(organizer)
    body = {"code": "DV100", "full_name": "vàng a sử", "birth_date": "1990-01-01", "sex": "M", "ethnicity": "Mông",
            "admitted_on": "2015-01-01", "made_official_on": "2016-01-01", "cell": "C01", "phone": "0911111111",
            "decision_number": "12-QĐ/ĐU", "decision_date": "2014-12-20", "issued_by": "Đảng ủy xã"}
    response = api.post("/api/members/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["full_name"] == "Vàng A Sử" and data["status"] == "official" and data["cell"] == "C01"
    assert data["ethnicity"] == "08" and data["phone"] == "0911111111"
    member = Member.objects.get(code="DV100")
    admitted = member.events.get(kind="admitted")
    assert (admitted.decision_number, admitted.recorded_by) == ("12-QĐ/ĐU", organizer)
    entry = audit_entries(Member, member.pk).first()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == organizer and entry.additional_data == {"source": "api"}


def test_profile_update_is_audited_as_the_api_user(people, organizer):
    an = people["an"]
    response = basic(organizer).patch(f"/api/members/{an.code}/", {"full_name": "nguyễn văn ân", "religion": "Không"},
                                      format="json")
    assert response.status_code == 200, response.content
    assert response.json()["full_name"] == "Nguyễn Văn Ân" and response.json()["given_name"] == "Ân"
    entry = audit_entries(Member, an.pk).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == organizer and entry.additional_data == {"source": "api"}
    assert "full_name" in entry.changes_dict


def test_events_are_read_here_and_recorded_only_by_the_lifecycle_actions(tree, people, organizer):
    an = people["an"]
    api = basic(organizer)
    assert api.post(f"/api/members/{an.code}/events/", {"kind": "moved", "effective_on": "2020-01-01", "cell": "C02"},
                    format="json").status_code == 405
    for path in ("transfer-out", "move", "exempt", "end-exemption", "died"):
        assert api.post(f"/api/members/{an.code}/{path}/", {"effective_on": "2020-01-01"}, format="json").status_code \
            == 404, path
    body = {"kind": "official", "issued_on": "2020-01-01", "to_cell": "C02", "letter_number": "5-QĐ/ĐU",
            "note": "Theo nguyện vọng"}
    response = api.post(f"/api/lifecycle/members/{an.code}/transfer/", body, format="json")
    assert response.status_code == 201, response.content
    event = MemberEvent.objects.get(member=an, kind="moved")
    assert event.recorded_by == organizer and event.decision_number == "5-QĐ/ĐU"
    entry = audit_entries(MemberEvent, event.pk).get()
    assert entry.actor == organizer and entry.additional_data == {"source": "api"}
    assert Member.objects.get(pk=an.pk).cell == tree["C02"]
    timeline = api.get(f"/api/members/{an.code}/events/").json()
    assert [e["kind"] for e in timeline] == ["admitted", "made_official", "moved"]
    assert timeline[-1]["cell"] == "C02" and timeline[-1]["recorded_by"] == organizer.username


def test_the_lifecycle_actions_record_every_kind_of_event_the_members_api_used_to(tree, people, organizer):
    api = basic(organizer)
    an, hoa = people["an"].code, people["hoa"].code

    def post(code, path, **body):
        response = api.post(f"/api/lifecycle/members/{code}/{path}/", body, format="json")
        assert response.status_code == 201, (path, response.content)
        return response.json()

    assert post(an, "exempt", on="2021-01-01", ground="long_medical_treatment")["kind"] == "exempted"
    assert Member.objects.get(code=an).exempted is True
    assert post(an, "end-exemption", on="2022-01-01")["kind"] == "exemption_ended"
    moved = post(an, "transfer", kind="official", issued_on="2023-01-01", to_cell="C02")
    assert moved["to_cell"] == "C02"
    assert api.post(f"/api/lifecycle/transfers/{moved['id']}/receive/", {"received_on": "2023-02-01"},
                    format="json").status_code == 200
    assert post(an, "transfer", kind="official", issued_on="2024-01-01", destination="Tỉnh khác")["kind"] == "official"
    assert Member.objects.get(code=an).status == "transferred_out"
    assert api.get(f"/api/members/{an}/").status_code == 200  # still held by its last cell
    assert post(an, "transfer-in", on="2025-01-01", to_cell="C01")["kind"] == "transferred_in"
    assert Member.objects.get(code=an).status == "official"
    assert post(hoa, "death", on="2024-02-01")["kind"] == "died"
    assert Member.objects.get(code=hoa).status == "died"


def test_token_obtained_at_api_token_authenticates_and_is_the_audit_actor(people, organizer):
    from dangvu.accounts.services import recovery_codes_issue

    client = APIClient()
    otp = recovery_codes_issue(user=organizer)[0]  # an organizer gives a code of the second factor too
    response = client.post("/api/token/", {"username": organizer.username, "password": PASSWORD, "otp": otp},
                           format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    an = people["an"]
    assert client.patch(f"/api/members/{an.code}/", {"occupation": "Kỹ sư"}, format="json").status_code == 200
    entry = audit_entries(Member, an.pk).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == organizer and entry.additional_data == {"source": "api"}
    bad = APIClient().post("/api/token/", {"username": organizer.username, "password": "sai"}, format="json")
    assert bad.status_code == 400


def test_session_login_works_for_the_api(people, organizer):
    client = APIClient()
    client.force_login(organizer)
    assert codes(client.get("/api/members/"))


# --- Validation -------------------------------------------------------------------------------------

GOOD = {"code": "DV200", "full_name": "Lò Thị Mai", "birth_date": "1990-01-01", "sex": "F", "ethnicity": "Thái",
        "admitted_on": "2015-01-01", "cell": "C01"}


@pytest.mark.parametrize(("change", "field"), [
    ({"birth_date": 123}, "birth_date"),
    ({"birth_date": "31/02/1990"}, "birth_date"),
    ({"birth_date": "1990-02-30"}, "birth_date"),
    ({"birth_date": None}, "birth_date"),
    ({"admitted_on": "hôm qua"}, "admitted_on"),
    ({"sex": "X"}, "sex"),
    ({"sex": ["M"]}, "sex"),
    ({"ethnicity": "Sao Hỏa"}, "ethnicity"),
    ({"cell": "KHONGCO"}, "cell"),
    ({"cell": 12345}, "cell"),
    ({"cell": {"code": "C01"}}, "cell"),
    ({"cell": "X01"}, "cell"),  # a committee, not a cell
    ({"full_name": "An"}, "full_name"),
    ({"full_name": "x" * 300}, "full_name"),
    ({"code": "D" * 40}, "code"),
    ({"code": ""}, "code"),
    ({"code": "DV\x00"}, "code"),
    ({"national_id_number": "12345"}, "national_id_number"),
    ({"national_id_number": "1234567890123"}, "national_id_number"),
    ({"admitted_on": "2005-01-01"}, "admitted_on"),  # under 18
    ({"placed_on": "2014-01-01"}, "placed_on"),
    ({"card_number": "123456"}, "card_number"),  # not official
    ({"status": "official"}, "status"),
    ({"hobby": "chess"}, "hobby"),
    ({"political_theory_level": "phd"}, "political_theory_level"),
])
def test_register_with_bad_input_is_400_with_the_field_key_and_writes_nothing(tree, organizer, change, field):
    response = basic(organizer).post("/api/members/", {**GOOD, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Member.objects.filter(code__startswith="DV2").exists()
    assert not Member.objects.filter(full_name="Lò Thị Mai").exists()


def test_register_with_a_duplicate_code_is_400(people, organizer):
    response = basic(organizer).post("/api/members/", {**GOOD, "code": people["an"].code}, format="json")
    assert response.status_code == 400 and "code" in response.json()


@pytest.mark.parametrize("body", [[1, 2], "text", 42])
def test_register_with_a_body_that_is_not_an_object_is_400(tree, organizer, body):
    response = basic(organizer).post("/api/members/", body, format="json")
    assert response.status_code == 400


def test_malformed_json_is_400(tree, organizer):
    response = basic(organizer).post("/api/members/", "{not json", content_type="application/json")
    assert response.status_code == 400


EXEMPT = {"on": "2020-01-01", "ground": "long_medical_treatment"}


@pytest.mark.parametrize(("path", "body", "field"), [
    ("exempt", {"ground": "long_medical_treatment"}, "on"),
    ("exempt", {**EXEMPT, "on": "2020-13-01"}, "on"),
    ("death", {"on": "2090-01-01"}, "on"),  # after today: refused by the service, at the input
    ("death", {"on": (dt.date.today() + dt.timedelta(days=13)).isoformat()}, "on"),  # soon, yet not happened
    ("exempt", {**EXEMPT, "decision_date": "2090-01-01"}, "decision_date"),
    ("transfer", {"kind": "official", "issued_on": "2020-01-01"}, "to_cell"),
    ("transfer", {"kind": "official", "issued_on": "2020-01-01", "to_cell": "NOPE"}, "to_cell"),
    ("transfer", {"kind": "official", "issued_on": "2020-01-01", "to_cell": "C01"}, "to_cell"),  # already there
    ("exempt", {**EXEMPT, "on": "2010-01-01"}, "on"),  # before admission
    ("discipline", {"form": "fine", "decided_on": "2020-01-01"}, "form"),
    ("badge", {"milestone": 7, "award_date": "2020-02-03"}, "milestone"),
    ("exempt", {**EXEMPT, "decision_date": "hôm nay"}, "decision_date"),
    ("exempt", {**EXEMPT, "decision_number": "x" * 100}, "decision_number"),
    ("exempt", {**EXEMPT, "member": "DV00002"}, "member"),
])
def test_recording_a_bad_event_is_400_with_the_field_key_and_writes_nothing(people, organizer, path, body, field):
    an = people["an"]
    before = list(MemberEvent.objects.filter(member=an).values_list("id", flat=True))
    response = basic(organizer).post(f"/api/lifecycle/members/{an.code}/{path}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert list(MemberEvent.objects.filter(member=an).values_list("id", flat=True)) == before


def test_profile_update_refuses_placement_fields_and_bad_values(people, organizer):
    api = basic(organizer)
    an = people["an"]
    for body, field in [({"cell": "C02"}, "cell"), ({"status": "died"}, "status"), ({"birth_date": "2010-01-01"},
                        "birth_date"), ({"sex": 1}, "sex"), ({"code": "NEW"}, "code")]:
        response = api.patch(f"/api/members/{an.code}/", body, format="json")
        assert response.status_code == 400 and field in response.json(), (body, response.content)
    an.refresh_from_db()
    assert (an.cell.code, an.status, an.birth_date, an.code) == ("C01", "official", D(1985, 3, 2), people["an"].code)


@pytest.mark.parametrize("query", [{"status": "zombie"}, {"sex": "X"}, {"exempted": "maybe"}, {"ethnicity": "99"},
                                   {"cell": "NOPE"}, {"page": "abc"}, {"page": "999"}, {"page_size": "x"}])
def test_bad_list_parameters_never_give_a_500(people, organizer, query):
    response = basic(organizer).get("/api/members/", query)
    assert response.status_code in (200, 400, 404), response.content


# --- Lists: filters, search, pagination, order, query count -----------------------------------------


def test_search_ignores_diacritics_and_case(people, organizer):
    api = basic(organizer)
    assert codes(api.get("/api/members/", {"search": "nguyen van an"})) == [people["an"].code]
    assert codes(api.get("/api/members/", {"search": "NGUYỄN VĂN AN"})) == [people["an"].code]
    assert codes(api.get("/api/members/", {"search": "dang"})) == [people["hoa"].code]
    assert codes(api.get("/api/members/", {"search": people["hoa"].code})) == [people["hoa"].code]


def test_filters_by_cell_subtree_status_sex_ethnicity_and_exemption(tree, people, make_user):
    from dangvu.members.services import member_record_event

    member_record_event(people["an"], kind="exempted", effective_on=D(2020, 1, 1))  # official members only
    api = basic(make_user("huyen", tree["H01"], "organizer"))
    an, hoa, minh = people["an"].code, people["hoa"].code, people["minh"].code
    assert codes(api.get("/api/members/", {"cell": "C01"})) == [an]
    assert sorted(codes(api.get("/api/members/", {"org": "X01"}))) == sorted([an, hoa])
    assert sorted(codes(api.get("/api/members/", {"org": "H01"}))) == sorted([an, hoa, minh])
    assert codes(api.get("/api/members/", {"status": "official"})) == [an]
    assert codes(api.get("/api/members/", {"sex": "F"})) == [hoa]
    assert sorted(codes(api.get("/api/members/", {"ethnicity": "03"}))) == sorted([hoa, minh])  # Thái
    assert codes(api.get("/api/members/", {"exempted": "true"})) == [an]
    assert codes(api.get("/api/members/", {"org": "X01", "sex": "M"})) == [an]


def test_list_is_paginated_and_ordered_by_given_name_the_vietnamese_way(tree, make_member, organizer):
    names = ["Trần Văn Bình", "Nguyễn Thị Ánh", "Lê Văn An", "Phạm Thị Đào", "Hoàng Văn Ân"]
    for name in names:
        make_member(tree["C01"], name=name)
    api = basic(organizer)
    first = api.get("/api/members/", {"page_size": 2}).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"] and first["previous"] is None
    everything = []
    page = 1
    while True:
        data = api.get("/api/members/", {"page_size": 2, "page": page}).json()
        everything += [r["full_name"] for r in data["results"]]
        if not data["next"]:
            break
        page += 1
    # Given name first; letters before tones (a < ă < â), đ after d.
    assert everything == ["Lê Văn An", "Nguyễn Thị Ánh", "Hoàng Văn Ân", "Trần Văn Bình", "Phạm Thị Đào"]


def _count_queries(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_member_list_query_count_does_not_grow_with_the_page(tree, make_member, organizer):
    api = basic(organizer)
    make_member(tree["C01"], name="Nguyễn Văn An")
    small = _count_queries(api, "/api/members/")
    for i in range(8):
        make_member(tree["C01" if i % 2 else "C02"], name=f"Lò Văn Minh{chr(97 + i)}")
    assert _count_queries(api, "/api/members/") == small
    assert _count_queries(api, "/api/members/", {"search": "lo van"}) == small


def test_member_events_query_count_does_not_grow_with_the_events(tree, make_member, organizer):
    from dangvu.members.services import member_record_event

    api = basic(organizer)
    m = make_member(tree["C01"], made_official_on=D(2016, 1, 1))
    small = _count_queries(api, f"/api/members/{m.code}/events/")
    for year, cell in [(2018, "C02"), (2019, "C01"), (2020, "C02")]:
        member_record_event(m, kind="moved", effective_on=D(year, 1, 1), cell=tree[cell])
    assert _count_queries(api, f"/api/members/{m.code}/events/") == small


def test_api_requests_leave_no_audit_context_behind(people, organizer):
    from django.db.models.signals import pre_save

    api = basic(organizer)
    api.get("/api/members/")  # warm up
    before = len(pre_save.receivers)
    for i in range(3):
        assert api.patch(f"/api/members/{people['an'].code}/", {"occupation": f"Nghề {i}"},
                         format="json").status_code == 200
        assert api.get("/api/members/").status_code == 200
    assert len(pre_save.receivers) == before


def test_register_with_a_code_differing_only_in_capitals_is_400_naming_the_existing_one(people, organizer):
    existing = people["an"].code  # DV00001
    response = basic(organizer).post("/api/members/", {**GOOD, "code": existing.lower()}, format="json")
    assert response.status_code == 400 and existing in str(response.json()["code"]), response.json()
    assert not Member.objects.filter(code=existing.lower()).exists()
