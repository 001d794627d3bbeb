"""Recorded ratings (xếp loại chất lượng) for the demo district and the synthetic data: every member
and organization rated where it stood at the end of each year, with realistic shares kept within
the rules of that year's regulation (`regulations.assessment_rules`).

Shares, within each group of one deciding organization (the cap's group): members disciplined in
the year "not completed" (the hard limit); of the others about 1.5% "not completed" and 5%
"completed"; of the rest the best (a merit that stays with each member or organization from one
year to the next, plus noise, so that some are excellent several years in a row) "excellent", about
18% of them as far as the cap of the year's rules allows, the others "good". Not rated (as the rules say):
members exempted or suspended at the end of the year or admitted less than `not_rated_min_months` before it
ends, members who left during it, partial committees and the committees above.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import F
from django.db.models.functions import Coalesce

from dangvu import regulations as R
from dangvu.assessment.models import Rating
from dangvu.assessment.services import grassroots_of
from dangvu.core.bulk import instance_factory
from dangvu.members.models import ACTIVE_STATUSES, MemberEvent, MemberEventKind, MemberPeriod
from dangvu.organizations.models import GRASSROOTS_KINDS, OrganizationKind, OrganizationPeriod
from dangvu.regulations.assessment import MEMBER, MEMBERS, ORGANIZATION, ORGANIZATIONS, SUBORDINATE_CELLS

NOT_COMPLETED_SHARE = 0.015
COMPLETED_SHARE = 0.05
EXCELLENT_TARGET = 0.18


def points_ranges(scale: R.Scale) -> dict[str, tuple[int, int]]:
    """Points where the scale has them (QĐ 366): for each level a range inside it, under the threshold of the
    level above (`Level.min_points`): from 2 above its own threshold; the best from its threshold, 7 more; the
    worst from 30 to 2 under the next (90–97, 72–89, 52–69, 30–48 on QĐ 366's scale)."""
    keys = scale.keys()  # best first
    ranges = {}
    for i, key in enumerate(keys):
        low = scale.level(key).min_points
        if i == 0:
            ranges[key] = (low, low + 7)
            continue
        high = scale.level(keys[i - 1]).min_points - 1
        ranges[key] = (30, high - 1) if i == len(keys) - 1 else (low + 2, high)
    return ranges

_new_rating = instance_factory(Rating)


def merit(seed: int, subject: str, pk: int) -> float:
    """A stable merit in [0, 1) of one member or organization (the same every year and every run)."""
    return ((pk * 2654435761 + seed * 40503 + (7 if subject == ORGANIZATION else 0)) % 4294967296) / 4294967296


def group_keys(rng: random.Random, rules: R.AssessmentRules, group: str,
               subjects: list[tuple[int, float, bool]]) -> dict[int, str]:
    """The level of each subject (id, merit, disciplined in the year) of one deciding organization's
    group, within the hard limits and the cap of `rules`."""
    result: dict[int, str] = {}
    rest: list[tuple[float, int]] = []
    for pk, value, disciplined in subjects:
        x = rng.random()
        if disciplined and rules.disciplined_max is not None:
            result[pk] = rules.disciplined_max
        elif x < NOT_COMPLETED_SHARE:
            result[pk] = "not_completed"
        elif x < NOT_COMPLETED_SHARE + COMPLETED_SHARE:
            result[pk] = "completed"
        else:
            rest.append((value + rng.gauss(0, 0.12), pk))
    rest.sort(reverse=True)
    excellent = round(len(rest) * EXCELLENT_TARGET)
    while excellent and not rules.cap_allows(group, len(rest) - excellent, excellent):
        excellent -= 1
    for i, (_value, pk) in enumerate(rest):
        result[pk] = "excellent" if i < excellent else "good"
    return result


def year_ratings(year: int, *, seed: int = 1, root_path: str | None = None,
                 decided_on: dt.date | None = None) -> list[Rating]:
    """Unsaved ratings of `year` for the members and organizations (grassroots organizations,
    subordinate chi bộ) of the tree (under `root_path` when given) as it stood on 31/12, each with
    where it was decided (`rated_in`, `decided_by`, `group`). A bounded number of queries."""
    end = dt.date(year, 12, 31)
    rules = R.assessment_rules(year, {})
    scale = rules.scale
    points_range = points_ranges(scale) if scale.has_points else {}
    rng = random.Random(seed * 1009 + year)
    decided_on = decided_on or dt.date(year, 12, 20)
    orgs = OrganizationPeriod.objects.active_on(end)
    periods = MemberPeriod.objects.active_on(end).filter(status__in=ACTIVE_STATUSES, exempted=False, suspended=False)
    if root_path is not None:
        orgs = orgs.filter(organization__path__startswith=root_path)
        periods = periods.filter(cell__path__startswith=root_path)
    members = list(
        periods.annotate(started=Coalesce(F("member__readmitted_on"), F("member__admitted_on")))
        .filter(started__lte=R.add_months(end, -rules.not_rated_min_months))
        .values_list("member_id", "cell_id"))
    disciplined = set(MemberEvent.objects.filter(kind=MemberEventKind.DISCIPLINED, effective_on__year=year)
                      .values_list("member_id", flat=True))
    org_rows = list(orgs.filter(kind__in=(*GRASSROOTS_KINDS, OrganizationKind.SUBORDINATE_CELL))
                    .values_list("organization_id", "kind", "parent_id"))
    cells = {cell for _m, cell in members} | {o for o, kind, _p in org_rows if kind == OrganizationKind.SUBORDINATE_CELL}
    grassroots = grassroots_of(cells, end)

    groups: dict[tuple[int | None, str], list[tuple[int, float, bool]]] = defaultdict(list)
    placed: dict[tuple[str, int], tuple[int, int | None]] = {}
    for member_id, cell in members:
        decider = grassroots.get(cell)
        groups[(decider, MEMBERS)].append((member_id, merit(seed, MEMBER, member_id), member_id in disciplined))
        placed[(MEMBERS, member_id)] = (cell, decider)
    for org_id, kind, parent_id in org_rows:
        if kind == OrganizationKind.SUBORDINATE_CELL:
            group, decider = SUBORDINATE_CELLS, grassroots.get(org_id)
        else:
            group, decider = ORGANIZATIONS, parent_id
        groups[(decider, group)].append((org_id, merit(seed, ORGANIZATION, org_id), False))
        placed[(group, org_id)] = (org_id, decider)

    result = []
    for (_decider, group), subjects in sorted(groups.items(), key=lambda g: (g[0][0] or 0, g[0][1])):
        subject = MEMBER if group == MEMBERS else ORGANIZATION
        for pk, key in group_keys(rng, rules, group, sorted(subjects)).items():
            level = scale.level(key, subject)
            rated_in, decided_by = placed[(group, pk)]
            points = Decimal(rng.randint(*points_range[key])) if scale.has_points else None
            result.append(_new_rating(
                year=year, member_id=pk if group == MEMBERS else None,
                organization_id=None if group == MEMBERS else pk, scale=scale.code, key=key, label=level.label,
                rated_in_id=rated_in, decided_by_id=decided_by, group=group, points=points,
                decided_on=decided_on if group != ORGANIZATIONS else decided_on + dt.timedelta(days=30),
                source="system"))
    return result
