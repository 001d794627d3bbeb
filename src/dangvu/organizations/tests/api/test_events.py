"""The API's events of an organization agree with the web history: what a change changed from is read from the
periods (not a stale payload), and the organizations an event names are named as they were on its day
(`organizations.selectors.names_on`)."""

from __future__ import annotations

import datetime as dt

from tests.contracts.test_api_schema import basic

from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import organization_establish, organization_move, organization_rename

D = dt.date


def _events(user, code) -> dict:
    return {(e["kind"], e["effective_on"]): e for e in basic(user).get(f"/api/organizations/{code}/events/").json()}


def test_a_rename_tells_the_name_just_before_it_even_when_an_earlier_one_was_recorded_afterwards(tree, district):
    organization_rename(tree["C01"], name="Chi bộ bản C", effective_on=D(2024, 1, 1))
    organization_rename(tree["C01"], name="Chi bộ bản B", effective_on=D(2022, 1, 1))  # recorded afterwards
    events = _events(district, "C01")
    assert events[("renamed", "2024-01-01")]["payload"]["old_name"] == "Chi bộ bản B"
    assert events[("renamed", "2022-01-01")]["payload"]["old_name"] == "Chi bộ bản Nà Hỳ 1"


def test_the_organizations_an_event_names_are_named_as_they_were_on_its_day(tree, district):
    x3 = organization_establish(code="X03", name="Đảng bộ xã Ba", kind=K.GRASSROOTS_COMMITTEE, parent=tree["H01"],
                                established_on=D(2012, 1, 1))
    organization_move(tree["C02"], parent=x3, effective_on=D(2020, 1, 1))
    organization_rename(tree["X01"], name="Đảng bộ xã Mới Đổi Tên", effective_on=D(2021, 1, 1))
    organization_rename(x3, name="Đảng bộ xã Ba Mới", effective_on=D(2022, 1, 1))
    events = _events(district, "C02")
    assert events[("established", "2012-01-01")]["names"] == {"parent_id": "Đảng bộ xã Nà Hỳ"}
    assert events[("moved", "2020-01-01")]["names"] == {"parent_id": "Đảng bộ xã Ba",
                                                        "old_parent_id": "Đảng bộ xã Nà Hỳ"}
