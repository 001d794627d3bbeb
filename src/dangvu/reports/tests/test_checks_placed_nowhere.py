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


def _plain_nowhere(root, day) -> set[str]:
    """`placed_nowhere` by hand, as its definition reads: members of the current subtree in the Party that day
    (official or probationary, admitted by then) with no period valid that day and none starting after it, or
    with a period valid that day in a cell that has no period that day."""
    from dangvu.members.models import ACTIVE_STATUSES, Member
    from dangvu.organizations.models import Organization

    def on(p):
        return p.valid_from <= day and (p.valid_to is None or p.valid_to > day)

    alive = {p.organization_id for p in OrganizationPeriod.objects.all() if on(p)}
    inside = {o.pk for o in Organization.objects.all() if o.path.startswith(root.path)}
    found = set()
    for m in Member.objects.filter(cell_id__in=inside):
        periods = list(MemberPeriod.objects.filter(member=m))
        valid = [p for p in periods if on(p)]
        later = [p for p in periods if p.valid_from > day]
        if (m.status in ACTIVE_STATUSES and m.admitted_on <= day and not valid and not later) or any(
                p.cell_id not in alive for p in valid):
            found.add(m.code)
    return found


def test_placed_nowhere_is_its_definition_counted_by_hand(tree, make_member):
    members = {k: make_member(tree["C01" if k != "dead" else "C02"], code=k, admitted_on=D(2018, 1, 1))
               for k in ("placed", "ended", "gap_then_later", "later_only", "dead", "ended_on_the_day", "backwards")}
    make_member(tree["C01"], code="admitted_after", admitted_on=D(2025, 3, 1))
    MemberPeriod.objects.filter(member=members["ended"]).update(valid_to=D(2024, 6, 1))
    MemberPeriod.objects.filter(member=members["ended_on_the_day"]).update(valid_to=DAY)
    MemberPeriod.objects.filter(member=members["later_only"]).update(valid_from=D(2025, 2, 1))
    # a broken period starting after the day and ending before it: a period after the day all the same
    MemberPeriod.objects.filter(member=members["backwards"]).update(valid_from=D(2025, 2, 1), valid_to=D(2024, 3, 1))
    period = MemberPeriod.objects.get(member=members["gap_then_later"])
    MemberPeriod.objects.filter(pk=period.pk).update(valid_to=D(2024, 6, 1))
    period.pk, period.valid_from, period.valid_to = None, D(2025, 1, 1), None
    period.save()
    OrganizationPeriod.objects.filter(organization=tree["C02"]).update(valid_to=D(2024, 6, 1))
    for day in (DAY, D(2024, 5, 31), D(2025, 6, 1)):
        got = {f["subject"] for f in queries.checks(tree["H01"], day)["findings"] if f["code"] == "placed_nowhere"}
        assert got == _plain_nowhere(tree["H01"], day), day
    assert _plain_nowhere(tree["H01"], DAY) == {"ended", "dead", "ended_on_the_day"}
