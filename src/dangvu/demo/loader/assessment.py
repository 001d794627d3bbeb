"""The demo's assessment: the recorded ratings of 2021–2025 (`demo.ratings`) and the 2026 cycle opened
in two grassroots organizations, part of its steps done."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from dangvu.members.models import MemberEvent
from dangvu.organizations import services as org_services
from dangvu.organizations.models import Organization

from .. import plan as demo_plan
from .suspensions import suspend_in_cycle

#: The years of the demo's recorded ratings.
RATING_YEARS = (2021, 2022, 2023, 2024, 2025)
#: The year of the demo's open assessment.
CYCLE_YEAR = 2026


def write_ratings(years=RATING_YEARS) -> int:
    """The ratings of `years` (`demo.ratings.year_ratings`), each year written by the assessment's bulk
    service (audited, source "system")."""
    from dangvu.assessment.services import ratings_write_many

    from ..ratings import year_ratings

    n = 0
    for year in years:
        ratings = year_ratings(year, seed=demo_plan.SEED)
        ratings_write_many(ratings, [], source="system")
        n += len(ratings)
    return n


def _cycle_members(org: Organization, day: dt.date, year: int) -> list:
    """The members the cycle of `org` rates on `day` (placed in its chi bộ, neither exempted nor suspended, admitted
    200 days before and at least the year's `not_rated_min_months`, not disciplined in the year), in name order, with
    their chi bộ."""
    from django.db.models import Exists, OuterRef

    from dangvu import regulations as R
    from dangvu.members.models import ACTIVE_STATUSES, MemberEventKind, MemberPeriod

    admitted_by = min(day - dt.timedelta(days=200), R.add_months(day, -R.assessment_rules(year).not_rated_min_months))
    disciplined = MemberEvent.objects.filter(member=OuterRef("member"), kind=MemberEventKind.DISCIPLINED,
                                             effective_on__year=year)
    return [p for p in MemberPeriod.objects.active_on(day).filter(
        cell__path__startswith=org.path, status__in=ACTIVE_STATUSES, exempted=False, suspended=False,
        member__admitted_on__lte=admitted_by, member__readmitted_on__isnull=True,
    ).exclude(Exists(disciplined)).select_related("member").order_by("member__sort_key")]


def write_cycles(today: dt.date) -> int:
    """The 2026 assessment opened in two grassroots organizations (one commune committee, one chi bộ cơ
    sở), through the cycle's services: in the first, one member suspended from party activities before it
    opened (`suspensions.suspend_in_cycle`), self-assessments of most members, the chi bộ's review of half
    and the decision on a quarter; in the second only the opening and a few
    self-assessments. Skipped outside 2026–2027 (the steps must fall in the year or early the next)."""
    from dangvu import regulations as R
    from dangvu.assessment import services as A
    from dangvu.organizations.models import OrganizationKind

    year = CYCLE_YEAR
    rules = R.assessment_rules(year)
    excellent_from = rules.scale.level("excellent").min_points  # the score of "excellent"
    if today.year not in (year, year + 1):
        return 0
    last = min(today, dt.date(year + 1, 1, 10))
    opened = max(dt.date(year, 1, 2), min(last, dt.date(year, 11, 16)))
    open_now = Organization.objects.filter(dissolved_on__isnull=True, code__startswith="NP-")
    commune = next((o for o in open_now.filter(kind=OrganizationKind.GRASSROOTS_COMMITTEE).order_by("code")
                    if 40 <= len(_cycle_members(o, opened, year)) <= 160), None)
    cell = open_now.filter(kind=OrganizationKind.GRASSROOTS_CELL).order_by("code").first()
    done = 0
    for org, share in ((commune, 1.0), (cell, 0.3)):
        if org is None:
            continue
        if share == 1.0:  # one of its members suspended before it opened: not rated, the sheet says why
            suspend_in_cycle(_cycle_members(org, opened, year), opened)
        cycle = A.cycle_open(organization=org, year=year, opened_on=opened)
        done += 1
        members = _cycle_members(org, opened, year)
        step_day = min(last, opened + dt.timedelta(days=7))
        scored = members[: int(len(members) * 0.8 * share)]
        points = {p.member_id: 72 + (p.member_id * 7919) % 24 for p in scored}
        for p in scored:
            A.self_assessment_record(cycle=cycle, member=p.member, effective_on=step_day, points=points[p.member_id],
                                     form="2C" if p.member_id % 3 else "2A")
        if share < 1:
            continue
        review_day = min(last, opened + dt.timedelta(days=14))
        reviewed = scored[: len(scored) // 2]
        per_cell: dict[int, int] = defaultdict(int)
        for p in members:
            per_cell[p.cell_id] += 1
        for p in reviewed:
            due = per_cell[p.cell_id]
            present = due - 1 if due > 2 else due  # one member absent, the majority kept in a small chi bộ
            key = "excellent" if points[p.member_id] >= excellent_from else "good"
            A.cell_review_record(cycle=cycle, member=p.member, effective_on=review_day, key=key,
                                 comment="Chi bộ nhất trí với tự đánh giá của đồng chí.", votes_due=due,
                                 votes_present=present, votes_for=present)
        decided = reviewed[: len(reviewed) // 2]
        good = [p for p in decided if points[p.member_id] < excellent_from]
        excellent = [p for p in decided if points[p.member_id] >= excellent_from]
        if rules.excellent_cap_ratio is not None:  # within the cap on "excellent": a share of those rated good
            excellent = excellent[: int(rules.excellent_cap_ratio * len(good))]
        A.ratings_decide(
            cycle=cycle, decided_on=min(last, opened + dt.timedelta(days=21)),
            decision=org_services.Decision(f"{year % 100}-QĐ/ĐU", min(last, opened + dt.timedelta(days=21)),
                                           "Ban Thường vụ Đảng ủy"),
            decisions=[A.RatingDecision(member=p.member, key="excellent" if p in excellent else "good",
                                        points=points[p.member_id] if p in excellent
                                        else min(points[p.member_id], excellent_from - 1))
                       for p in good + excellent])
    return done
