"""Optimistic concurrency of the member profile (issue 9): a form or an API write made over a version
that has moved on saves nothing and says what changed; a save writes only the fields changed."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from dangvu.core.errors import DomainError, EditConflict
from dangvu.members import services
from dangvu.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(tree, make_user):
    return make_user("orgh", tree["H01"], "organizer")


@pytest.fixture
def other(tree, make_user):
    return make_user("orgh2", tree["H01"], "organizer")


def audit_count(member) -> int:
    return LogEntry.objects.get_for_object(member).count()


class _FormValues(HTMLParser):
    """The values a browser posts for each form of a page: inputs, selected options."""

    def __init__(self):
        super().__init__()
        self.forms, self._select = [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            self.forms[-1][a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
            self.forms[-1].setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1][self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_data(response) -> dict:
    """What the browser posts with the profile form as rendered (the form that has the version)."""
    parser = _FormValues()
    parser.feed(response.content.decode())
    (values,) = [f for f in parser.forms if "version" in f]
    values.pop("csrfmiddlewaretoken", None)
    return values


# --- the service -----------------------------------------------------------------------------------


def test_two_saves_of_different_fields_from_two_stale_copies_are_both_kept(tree, make_member):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân", home_town="Mường Lay")
    first, second = Member.objects.get(pk=m.pk), Member.objects.get(pk=m.pk)
    services.member_update_profile(first, occupation="Giáo viên")
    services.member_update_profile(second, home_town="Điện Biên")
    m.refresh_from_db()
    assert (m.occupation, m.home_town) == ("Giáo viên", "Điện Biên")
    assert m.version == 3


def test_a_save_over_a_version_that_moved_on_writes_nothing(tree, make_member):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân")
    opened = Member.objects.get(pk=m.pk)
    services.member_update_profile(Member.objects.get(pk=m.pk), version=opened.version, occupation="Giáo viên")
    entries = audit_count(m)
    with pytest.raises(EditConflict) as exc:
        services.member_update_profile(opened, version=opened.version, home_town="Điện Biên")
    assert exc.value.current.occupation == "Giáo viên" and exc.value.current.version == 2
    m.refresh_from_db()
    assert (m.occupation, m.home_town, m.version) == ("Giáo viên", "", 2)
    assert audit_count(m) == entries


def test_a_refused_correction_does_not_move_the_version(tree, make_member):
    m = make_member(tree["C01"], name="Nguyễn Văn An")
    with pytest.raises(DomainError) as exc:
        services.member_update_profile(m, version=1, birth_date=dt.date(2010, 1, 1))  # too young at admission
    assert exc.value.field == "birth_date"
    m.refresh_from_db()
    assert m.version == 1


# --- the web form ----------------------------------------------------------------------------------


def test_a_stale_form_shows_what_changed_saves_nothing_then_saves_the_users_own_change(
        client, tree, make_member, organizer, other):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân", home_town="Mường Lay")
    url = reverse("members:edit", args=[m.code])
    client.force_login(organizer)
    stale = form_data(client.get(url))  # opened by the first user

    client.force_login(other)  # the second user saves meanwhile
    theirs = form_data(client.get(url))
    theirs["occupation"] = "Giáo viên"
    assert client.post(url, theirs).status_code == 302

    client.force_login(organizer)
    entries = audit_count(m)
    mine = dict(stale, home_town="Điện Biên")  # the first user changes another field, on the old form
    response = client.post(url, mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="edit-conflict"' in html
    assert response.context["conflict"]["fields"] == [
        {"label": "Nghề nghiệp", "opened": "Nông dân", "theirs": "Giáo viên", "yours": "Nông dân"}]
    m.refresh_from_db()
    assert (m.occupation, m.home_town, m.version) == ("Giáo viên", "Mường Lay", 2)  # nothing saved
    assert audit_count(m) == entries

    # the form shown again holds their change and the user's own, over the new version: save it
    again = form_data(response)
    assert (again["occupation"], again["home_town"], again["version"]) == ("Giáo viên", "Điện Biên", "2")
    response = client.post(url, again)
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.occupation, m.home_town, m.version) == ("Giáo viên", "Điện Biên", 3)
    last = LogEntry.objects.get_for_object(m).order_by("id").last()
    assert set(last.changes_dict) == {"home_town"} and last.actor == organizer


def test_a_form_writes_only_the_fields_changed_on_it(client, tree, make_member, organizer):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân")
    url = reverse("members:edit", args=[m.code])
    client.force_login(organizer)
    data = form_data(client.get(url))
    data["occupation"] = "Giáo viên"
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    updates = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('UPDATE "members_member" SET') and "occupation" in q["sql"]]
    assert len(updates) == 1 and "full_name" not in updates[0] and "home_town" not in updates[0]


# --- the API (contracts §4) ------------------------------------------------------------------------


@pytest.fixture
def api(organizer):
    client = APIClient()
    client.force_authenticate(organizer)
    return client


def test_detail_carries_an_etag_and_a_stale_if_match_answers_412_changing_nothing(api, tree, make_member):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân")
    url = f"/api/members/{m.code}/"
    etag = api.get(url).headers["ETag"]
    assert etag == '"1"'

    ok = api.patch(url, {"occupation": "Giáo viên"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok.headers["ETag"] == '"2"' == api.get(url).headers["ETag"]

    entries = audit_count(m)
    stale = api.patch(url, {"home_town": "Điện Biên"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "edit_conflict" and stale.json()["detail"]
    m.refresh_from_db()
    assert (m.occupation, m.home_town, m.version) == ("Giáo viên", "", 2)
    assert audit_count(m) == entries
    assert api.patch(url, {"home_town": "Điện Biên"}, format="json", HTTP_IF_MATCH='"7", "2"').status_code == 200
    assert api.patch(url, {"home_town": "Sơn La"}, format="json", HTTP_IF_MATCH="*").status_code == 200


def test_a_write_without_if_match_proceeds_and_writes_only_the_given_fields(api, tree, make_member):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân", home_town="Mường Lay")
    url = f"/api/members/{m.code}/"
    with CaptureQueriesContext(connection) as queries:
        response = api.patch(url, {"occupation": "Giáo viên"}, format="json")
    assert response.status_code == 200, response.content
    updates = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('UPDATE "members_member" SET') and "occupation" in q["sql"]]
    assert len(updates) == 1 and "home_town" not in updates[0] and "full_name" not in updates[0]
    m.refresh_from_db()
    assert (m.occupation, m.home_town) == ("Giáo viên", "Mường Lay")


def test_the_schema_documents_if_match_etag_and_412(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/members/{code}/", "/api/organizations/{code}/"):
        patch = schema["paths"][path]["patch"]
        assert "If-Match" in {p["name"] for p in patch["parameters"] if p["in"] == "header"}
        assert "412" in patch["responses"] and "ETag" in patch["responses"]["200"]["headers"]
        assert "ETag" in schema["paths"][path]["get"]["responses"]["200"]["headers"]


def test_a_correction_by_import_moves_the_version_on(tree, make_member):
    from dangvu.members.bulk import bulk_update_profiles

    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân")
    bulk_update_profiles([(m.pk, {"occupation": "Nông dân"}, {"occupation": "Giáo viên"})])
    with pytest.raises(EditConflict):  # a form opened before the import
        services.member_update_profile(m, version=1, home_town="Điện Biên")
    m.refresh_from_db()
    assert (m.occupation, m.home_town, m.version) == ("Giáo viên", "", 2)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's in-memory test database fails a second "
                    "writer at once instead of waiting (the file database of settings waits: BEGIN IMMEDIATE, timeout)")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_over_the_same_version_one_wins_the_other_conflicts(tree, make_member):
    """Two threads, each on its own database connection, save over version 1 at the same moment:
    whatever the interleaving, exactly one is written (the check is the UPDATE itself)."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connections

    m = make_member(tree["C01"], name="Nguyễn Văn An")
    start = Barrier(2)

    def save(field: str) -> str:
        try:
            stale = Member.objects.get(pk=m.pk)
            start.wait()
            services.member_update_profile(stale, version=1, **{field: "Điện Biên"})
            return "saved"
        except EditConflict:
            return "conflict"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(save, ["home_town", "place_of_birth"]))
    assert outcomes == ["conflict", "saved"]
    m.refresh_from_db()
    assert m.version == 2 and sorted([m.home_town, m.place_of_birth]) == ["", "Điện Biên"]
