"""dangvu synth: the generated organization has the requested size and consistent history."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from dangvu.demo.synth import plan_tree
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberPeriod
from dangvu.members.services import rebuild
from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationKind, OrganizationPeriod


def _walk(node):
    yield node
    for c in node.children:
        yield from _walk(c)


@pytest.mark.django_db
def test_synth_generates_exactly_n_members_with_one_open_period_per_active_member():
    out = io.StringIO()
    call_command("synth", "--members", "2000", "--seed", "3", stdout=out)
    assert "SYN3" in out.getvalue()
    assert Member.objects.count() == 2000
    open_periods = Counter(MemberPeriod.objects.filter(valid_to__isnull=True).values_list("member_id", flat=True))
    active = set(Member.objects.filter(status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    assert set(open_periods) == active and set(open_periods.values()) == {1}
    assert len(active) > 1800
    # the stored periods are exactly those the services derive from the events
    stored = defaultdict(list)
    for p in MemberPeriod.objects.order_by("member_id", "valid_from"):
        stored[p.member_id].append((p.cell_id, p.status, p.exempted, p.valid_from, p.valid_to))
    for member in Member.objects.order_by("?")[:50]:
        rebuild(member)
        assert [(p.cell_id, p.status, p.exempted, p.valid_from, p.valid_to)
                for p in member.periods.order_by("valid_from")] == stored[member.pk]


@pytest.mark.django_db
def test_synth_organizations_have_an_established_event_and_one_open_period_each():
    call_command("synth", "--members", "2000", "--seed", "4", stdout=io.StringIO())
    orgs = Organization.objects.filter(code__startswith="SYN4")
    assert orgs.filter(parent__isnull=True).get().kind == OrganizationKind.PROVINCIAL
    assert OrganizationEvent.objects.filter(organization__in=orgs, kind="established").count() == orgs.count()
    periods = Counter(OrganizationPeriod.objects.filter(organization__in=orgs, valid_to__isnull=True)
                      .values_list("organization_id", flat=True))
    assert len(periods) == orgs.count() and set(periods.values()) == {1}
    for p in OrganizationPeriod.objects.filter(organization__in=orgs).select_related("organization"):
        assert (p.parent_id, p.kind, p.name) == (p.organization.parent_id, p.organization.kind, p.organization.name)
    # members sit in cells only
    assert not Member.objects.exclude(cell__kind__in=("subordinate_cell", "grassroots_cell")).exists()


@pytest.mark.django_db
def test_synth_refuses_the_same_seed_twice_and_bad_sizes():
    call_command("synth", "--members", "50", "--seed", "5", stdout=io.StringIO())
    for args in (["--members", "50", "--seed", "5"], ["--members", "0"]):
        err = io.StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("synth", *args, stdout=io.StringIO(), stderr=err)
        assert exc.value.code == 1 and "Lỗi:" in err.getvalue()
    assert Member.objects.count() == 50


def test_synth_tree_is_shaped_like_a_province_and_regions_above_300k():
    province = plan_tree(200_000, 1)
    communes = [c for c in province.children if c.kind == OrganizationKind.GRASSROOTS_COMMITTEE]
    sizes = [sum(cell.size for cell in c.children) for c in communes]
    assert all(300 <= s <= 3300 for s in sizes) and 1000 <= sum(sizes) / len(sizes) <= 3000
    cells = [n for n in _walk(province) if n.kind in (OrganizationKind.SUBORDINATE_CELL, OrganizationKind.GRASSROOTS_CELL)]
    assert sum(c.size for c in cells) == 200_000
    assert 15 <= 200_000 / len(cells) <= 30
    national = plan_tree(1_000_000, 1)
    assert [r.kind for r in national.children] == [OrganizationKind.DISTRICT] * 5
    assert sum(c.size for c in _walk(national)) == 1_000_000
