"""Issue 9: every date entering the API is checked against the supported range (core.dates) before it
reaches the working-day calendar or the database: out of range is a 400 on its field, never a 500,
and the schema says which dates are accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.core.api import DAY_PATTERN
from tests.contracts.test_api_schema import _fast_passwords, basic, schema  # noqa: F401 (fixtures)
from tests.contracts.test_lifecycle_api import people  # noqa: F401 (fixture)

D = dt.date


def test_a_transfer_dated_before_the_working_day_calendar_is_a_400_not_a_500(people):  # noqa: F811
    """1925 is a past day (a fact may be dated so) but before the holiday calendar (1930-2100), from which
    the report-by deadline of the letter is counted in working days: that raised a server error."""
    from dangvu.lifecycle.models import Transfer

    r = basic(people["organizer"]).post(
        f"/api/lifecycle/members/{people['official'].code}/transfer/",
        {"kind": "official", "issued_on": "1925-03-02", "destination": "Đảng bộ tỉnh khác"}, format="json")
    assert r.status_code == 400, r.content
    assert not Transfer.objects.exists()


@pytest.mark.parametrize("url", [
    "/api/reports/snapshot/?org={org}&as_of=0001-01-01",
    "/api/reports/snapshot/?org={org}&as_of=9999-12-31",
    "/api/reports/flows/?org={org}&from=0001-01-01&to=9999-12-31",
    "/api/reports/badges/?org={org}&award_date=9999-02-03",
    "/api/organizations/{org}/tree/?as_of=9999-12-31",
    "/api/organizations/?as_of=0001-01-01",
])
def test_a_day_asked_about_outside_the_supported_range_is_a_400_on_its_field(people, tree, url):  # noqa: F811
    r = basic(people["organizer"]).get(url.format(org=tree["H01"].code))
    assert r.status_code == 400, r.content
    assert set(r.json()) & {"as_of", "from", "to", "award_date"}, r.json()


@pytest.mark.parametrize("action, data", [
    ("death", {"on": "9999-12-31"}),
    ("exempt", {"on": "0001-01-01"}),
    ("open-discipline-case", {"opened_on": "2999-01-01", "authority": "UBKT", "violation": "x"}),
])
def test_an_action_dated_outside_the_supported_range_is_a_400_on_its_field(people, action, data):  # noqa: F811
    from dangvu.members.models import MemberEvent

    events = MemberEvent.objects.count()
    r = basic(people["organizer"]).post(f"/api/lifecycle/members/{people['official'].code}/{action}/", data,
                                        format="json")
    assert r.status_code == 400 and next(iter(data)) in r.json(), r.content
    assert MemberEvent.objects.count() == events


def test_the_schema_gives_input_days_their_range_and_strict_inputs_no_other_key(schema):  # noqa: F811
    rename = schema["components"]["schemas"]["RenameRequest"]
    assert rename["properties"]["effective_on"]["pattern"] == DAY_PATTERN
    assert rename["additionalProperties"] is False
    import re

    assert re.match(DAY_PATTERN, "1900-01-01") and re.match(DAY_PATTERN, "2099-12-31")
    assert not re.match(DAY_PATTERN, "1899-12-31") and not re.match(DAY_PATTERN, "2100-01-01")
