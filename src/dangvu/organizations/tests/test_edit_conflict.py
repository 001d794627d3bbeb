"""Optimistic concurrency of an organization's details (issue 9, contracts §4): ETag, If-Match → 412,
and writes of only the fields changed, including by the dated actions over an older instance."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from rest_framework.test import APIClient

from dangvu.core.errors import EditConflict
from dangvu.organizations import services
from dangvu.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tree, make_user):
    client = APIClient()
    client.force_authenticate(make_user("bantc.huyen", tree["H01"], "organizer"))
    return client


def test_detail_carries_an_etag_a_stale_if_match_answers_412_and_none_proceeds(api, tree):
    url = "/api/organizations/X01/"
    etag = api.get(url).headers["ETag"]
    ok = api.patch(url, {"unit_kind": "phuong"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok.headers["ETag"] != etag and ok.headers["ETag"] == api.get(url).headers["ETag"]

    entries = LogEntry.objects.get_for_object(tree["X01"]).count()
    stale = api.patch(url, {"admin_unit_code": ""}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["code"] == "edit_conflict"
    assert LogEntry.objects.get_for_object(tree["X01"]).count() == entries
    assert Organization.objects.get(code="X01").unit_kind == "phuong"

    assert api.patch(url, {"unit_kind": "xa"}, format="json").status_code == 200  # no If-Match: as before
    assert Organization.objects.get(code="X01").unit_kind == "xa"


def test_two_stale_copies_keep_both_corrections_and_a_stale_version_is_refused(tree):
    first, second = Organization.objects.get(code="X01"), Organization.objects.get(code="X01")
    services.organization_update_details(first, unit_kind="phuong")
    services.organization_update_details(second, admin_unit_code="")
    with pytest.raises(EditConflict):
        services.organization_update_details(second, unit_kind="co_quan", version=1)
    org = Organization.objects.get(code="X01")
    assert (org.unit_kind, org.version) == ("phuong", 3)


def test_a_dated_action_over_an_older_instance_keeps_a_correction_of_the_details(tree):
    stale = Organization.objects.get(code="X01")
    services.organization_update_details(Organization.objects.get(code="X01"), unit_kind="phuong")
    services.organization_rename(stale, name="Đảng bộ phường Nà Hỳ", effective_on=dt.date(2020, 1, 1))
    org = Organization.objects.get(code="X01")
    assert (org.name, org.unit_kind) == ("Đảng bộ phường Nà Hỳ", "phuong")
