"""The rating sheet of the organizations a cycle's committee decides (bảng xếp loại tổ chức đảng): a
grassroots organization's committee rates its subordinate chi bộ (and partial committees), a superior
committee its grassroots organizations (and the committees directly under it) — domain-rules §7.6.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from dangvu import regulations as R
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization, OrganizationKind
from dangvu.organizations.selectors import tree_as_of
from dangvu.regulations.assessment import GROUP_NAMES, ORGANIZATION, OTHER, SUBORDINATE_CELLS, percent

from .models import AssessmentCycle, Rating
from .selectors import assessment_day, format_number

#: Committees above grassroots: their rating is decided by the organization directly above.
_ABOVE_GRASSROOTS = (OrganizationKind.DISTRICT, OrganizationKind.PROVINCIAL)


@dataclass
class OrgRow:
    """One organization on the sheet: its code, name, kind and group, the number of units directly
    under it on the reference day (None: it has none), the rating decided."""

    id: int
    code: str
    name: str
    kind: str
    group: str
    units: int | None = None
    decided_key: str = ""
    decided_points: Decimal | None = None
    decided_label: str = ""
    organization: Organization | None = None


@dataclass
class GroupCap:
    """The cap on "excellent" in one group of the sheet, over the ratings decided so far."""

    group: str
    good: int
    excellent: int
    allowed: int | None

    @property
    def name(self) -> str:
        return str(GROUP_NAMES[self.group])

    @property
    def over(self) -> bool:
        return self.allowed is not None and self.excellent > self.allowed


@dataclass
class OrgSheet:
    cycle: AssessmentCycle
    day: dt.date
    rules: R.AssessmentRules
    rows: list[OrgRow] = field(default_factory=list)
    caps: list[GroupCap] = field(default_factory=list)

    @property
    def scale(self) -> R.Scale:
        return self.rules.scale

    @property
    def levels(self) -> list[R.Level]:
        return [lv for lv in self.scale.levels if ORGANIZATION in lv.subjects]

    @property
    def cap_text(self) -> str:
        return percent(self.rules.excellent_cap_ratio) if self.rules.excellent_cap_ratio is not None else ""


def _decider(row: dict, rows: dict[int, dict]) -> int | None:
    """Whose committee decides the rating of the organization of `row` (as
    `services.ratings.deciding_organization`, over the rows of one subtree)."""
    if R.group_of(row["kind"]) not in (SUBORDINATE_CELLS, OTHER) or row["kind"] in _ABOVE_GRASSROOTS:
        return row["parent_id"]
    org = rows.get(row["parent_id"])
    while org is not None and org["kind"] not in GRASSROOTS_KINDS:
        org = rows.get(org["parent_id"])
    return org["id"] if org is not None else None


def organization_sheet(cycle: AssessmentCycle, day: dt.date | None = None) -> OrgSheet:
    """The organizations whose rating `cycle`'s committee decides, as the tree stood on the reference
    day, in tree order, with their units and the ratings decided, and the cap of each group. Four
    queries whatever the size of the subtree."""
    ref = assessment_day(cycle.year, day)
    rules = R.assessment_rules(cycle.year)
    tree = tree_as_of(cycle.organization_id, ref)
    by_id = {r["id"]: r for r in tree}
    units: dict[int, int] = {}
    for r in tree:
        if r["parent_id"] in by_id:
            units[r["parent_id"]] = units.get(r["parent_id"], 0) + 1
    rows = [OrgRow(r["id"], r["code"], r["name"], r["kind"], R.group_of(r["kind"]), units.get(r["id"]))
            for r in tree if r["id"] != cycle.organization_id and _decider(r, by_id) == cycle.organization_id]
    index = {row.id: row for row in rows}
    for org in Organization.objects.filter(pk__in=index):
        index[org.pk].organization = org
    for rating in Rating.objects.filter(year=cycle.year, organization_id__in=index).only(
            "organization_id", "key", "points"):
        row = index[rating.organization_id]
        row.decided_key, row.decided_points = rating.key, rating.points
        level = rules.scale.level(rating.key, ORGANIZATION) if rating.key else None
        text = level.label if level else rating.key
        row.decided_label = f"{text} ({format_number(rating.points)})" if rating.points is not None else text
    caps = []
    groups = sorted({row.group for row in rows} & set(rules.excellent_cap_groups))
    if rules.excellent_cap_ratio is not None and groups:
        counts = {c["group"]: c for c in Rating.objects.filter(
            year=cycle.year, decided_by=cycle.organization, group__in=groups).values("group").annotate(
            good=Count("id", filter=Q(key="good")), excellent=Count("id", filter=Q(key="excellent"))).order_by()}
        for group in groups:
            c = counts.get(group, {"good": 0, "excellent": 0})
            base = rules.cap_base(c["good"], c["excellent"])
            caps.append(GroupCap(group, c["good"], c["excellent"], int(rules.excellent_cap_ratio * base)))
    return OrgSheet(cycle=cycle, day=ref, rules=rules, rows=rows, caps=caps)
