"""`report checks`: `placed_nowhere`, the members counted by no report on the day (no placement, or a
placement in a cell that does not exist that day), each linked to the member's page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangvu.members.models import MemberPeriod
from dangvu.organizations.models import OrganizationPeriod
from dangvu.reports import queries

D = dt.date
DAY = D(2024, 12, 31)


def test_members_without_placement_or_in_a_dissolved_cell_are_found(tree, make_member):
    placed = make_member(tree["C01"], name="Lò Văn Có", admitted_on=D(2018, 1, 1))
    unplaced = make_member(tree["C01"], name="Lò Văn Mất", admitted_on=D(2018, 1, 1))
    in_dead_cell = make_member(tree["C02"], name="Lò Văn Chết", admitted_on=D(2018, 1, 1))
    # the records broken as an import or a hand-edited history can leave them (the services refuse it)
    MemberPeriod.objects.filter(member=unplaced).update(valid_to=D(2024, 6, 1))
    OrganizationPeriod.objects.filter(organization=tree["C02"]).update(valid_to=D(2024, 6, 1))
    data = queries.checks(tree["H01"], DAY)
    found = {f["subject"] for f in data["findings"] if f["code"] == "placed_nowhere"}
    assert found == {unplaced.code, in_dead_cell.code}
    assert placed.code not in found
    assert data["counts"]["placed_nowhere"] == 2
    # before the breakage nobody was placed nowhere
    assert not [f for f in queries.checks(tree["H01"], D(2024, 1, 1))["findings"] if f["code"] == "placed_nowhere"]
    # an organization whose current subtree does not hold them does not list them
    assert not [f for f in queries.checks(tree["X02"], DAY)["findings"] if f["code"] == "placed_nowhere"]


def test_the_checks_page_links_a_member_placed_nowhere_to_the_member(client, tree, make_member, make_user):
    lost = make_member(tree["C01"], name="Lò Văn Mất", admitted_on=D(2018, 1, 1))
    MemberPeriod.objects.filter(member=lost).update(valid_to=D(2024, 6, 1))
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    response = client.get(reverse("reports:checks"), {"org": "H01", "as_of": "31/12/2024"})
    assert response.status_code == 200
    assert reverse("members:detail", args=[lost.code]) in response.content.decode()
