"""What needs doing (việc cần làm) across a user's scope, computed from the events when asked —
never from a status refreshed by a scheduled job.

Each list is one set-based query over the members in scope that narrows the candidates (dates
compared in SQL); the per-member rule (probation end, badge due) is then applied to that short list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from dangvu import regulations as R
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.selectors import members_visible_to

from .selectors import discipline_cases_visible_to
from .services import BADGE_EVENT_KINDS, badge_due, badge_due_from_events, party_age_start_from

#: How far ahead the to-do page looks for probations ending.
PROBATION_HORIZON_DAYS = 60


@dataclass
class ProbationItem:
    member: Member
    ends_on: dt.date  # the official date under the rules
    cell_deadline: dt.date  # the chi bộ must consider the recognition by then (working days)
    overdue: bool


@dataclass
class BadgeItem:
    member: Member
    milestone: int


def next_award_date(today: dt.date) -> dt.date:
    """The next badge award occasion (3/2, 19/5, 2/9, 7/11) on or after `today`."""
    days = R.rules_on(today).badge_award_days
    candidates = [dt.date(y, m, d) for y in (today.year, today.year + 1) for m, d in days]
    return min(c for c in candidates if c >= today)


def _probations(user, today: dt.date, horizon_days: int) -> QuerySet[Member]:
    """Probationary members in scope whose probation (from the ceremony of the current membership)
    may end within `horizon_days`, with `started_on`."""
    latest_admission = R.add_months(today + dt.timedelta(days=horizon_days), -12)
    return (members_visible_to(user).filter(status=MemberStatus.PROBATIONARY)
            .annotate(started_on=Coalesce("readmitted_on", "admitted_on"))  # a readmission restarts probation
            .filter(started_on__lte=latest_admission))


def probation_dates(started_on: dt.date) -> tuple[dt.date, dt.date]:
    """(end of probation, the chi bộ's deadline to consider the recognition) for a start day."""
    rules = R.rules_on(started_on)
    ends = R.probation_end(started_on, rules)
    return ends, R.deadline(ends, "recognition_cell", rules)


def probations_ending(user, today: dt.date, horizon_days: int = PROBATION_HORIZON_DAYS) -> list[ProbationItem]:
    """Probationary members whose 12 months (from the ceremony of the current membership) end within `horizon_days` or have already ended (not yet
    recognised), soonest first; `overdue` once the chi bộ's time limit after the end has passed."""
    items = []
    for m in _probations(user, today, horizon_days).select_related("cell").order_by("started_on", "sort_key"):
        ends, limit = probation_dates(m.started_on)
        items.append(ProbationItem(member=m, ends_on=ends, cell_deadline=limit, overdue=today > limit))
    return items


def probation_counts(user, today: dt.date, horizon_days: int = PROBATION_HORIZON_DAYS) -> dict[str, int]:
    """How many items `probations_ending` has ("total") and how many are overdue ("overdue"), from
    one grouped query (members per start day), the rule applied once per day."""
    total = overdue = 0
    for started_on, n in (_probations(user, today, horizon_days).order_by().values("started_on")
                          .annotate(n=Count("pk")).values_list("started_on", "n")):
        total += n
        overdue += n if today > probation_dates(started_on)[1] else 0
    return {"total": total, "overdue": overdue}


def badges_due(user, award_date: dt.date) -> list[BadgeItem]:
    """Members in scope due a Party badge on `award_date` (`badges_due_among`)."""
    return badges_due_among(members_visible_to(user), award_date)


def _badge_candidates(members: QuerySet[Member], award_date: dt.date) -> QuerySet[Member]:
    """Of `members`, those who may be due a Party badge on `award_date` (one set-based filter):
    current members whose party age may reach a milestone by then (admitted or decided on or before
    award date − milestone years: gaps only delay it) and who hold no badge of that milestone or
    higher; in the order of the lists (admission, then name)."""
    milestones = R.rules_on(award_date).badge_milestones
    reach = Q()
    for years in milestones:
        higher = [str(m) for m in milestones if m >= years]
        held = MemberEvent.objects.filter(member=OuterRef("pk"), kind=E.BADGE_AWARDED, value__in=higher)
        by = R.add_months(award_date, -12 * years)
        # party age counts from the admission decision (services.party_age_start), which precedes the ceremony
        decided = MemberEvent.objects.filter(member=OuterRef("pk"), kind=E.ADMITTED, decision_date__lte=by)
        reach |= (Q(admitted_on__lte=by) | Exists(decided)) & ~Exists(held)
    return members.filter(status__in=ACTIVE_STATUSES).filter(reach).order_by("admitted_on", "sort_key")


def badges_due_among(members: QuerySet[Member], award_date: dt.date) -> list[BadgeItem]:
    """Of `members`, those due a Party badge on the award occasion `award_date`, each with the one
    badge due (services.badge_due: the highest milestone reached, above every badge held).

    One query narrows the candidates (`_badge_candidates`); the rule is then applied to each from its
    prefetched events (gaps, discipline delays, badges held)."""
    qs = (_badge_candidates(members, award_date).select_related("cell")
          .prefetch_related(Prefetch("events", MemberEvent.objects.filter(kind__in=BADGE_EVENT_KINDS),
                                     to_attr="badge_events")))
    items = []
    for m in qs:
        due = badge_due(m, award_date)
        if due is not None:
            items.append(BadgeItem(member=m, milestone=due))
    return items


class _BadgeEvent(NamedTuple):
    """The fields of a MemberEvent that services.badge_due_from_events reads."""

    pk: int
    kind: str
    effective_on: dt.date
    value: str
    decision_date: dt.date | None


def badge_rows_due_among(members: QuerySet[Member], award_date: dt.date) -> list[dict]:
    """`badges_due_among` as plain rows for reports — {"code", "name", "milestone", "cell": {"code",
    "name"}} — from two queries of values (the candidates, then their badge events), without building
    model objects: a province has tens of thousands of candidates."""
    rows = list(_badge_candidates(members, award_date)
                .values_list("pk", "code", "full_name", "admitted_on", "cell__code", "cell__name"))
    events: dict[int, list[_BadgeEvent]] = {}
    for member_id, *fields in (MemberEvent.objects.filter(member_id__in=[r[0] for r in rows], kind__in=BADGE_EVENT_KINDS)
                               .values_list("member_id", "pk", "kind", "effective_on", "value", "decision_date")):
        events.setdefault(member_id, []).append(_BadgeEvent(*fields))
    out = []
    # With admissions only on file (no gap, discipline or badge held: most members), the badge due
    # depends on nothing but the day party age starts: the rule runs once per such day.
    plain: dict[dt.date, int | None] = {}
    for pk, code, name, admitted_on, cell_code, cell_name in rows:
        own = events.get(pk, ())
        if all(e.kind == E.ADMITTED for e in own):
            start = party_age_start_from(own, admitted_on)
            if start not in plain:
                plain[start] = badge_due_from_events(own, award_date, admitted_on)
            due = plain[start]
        else:
            due = badge_due_from_events(own, award_date, admitted_on)
        if due is not None:
            out.append({"code": code, "name": name, "milestone": due, "cell": {"code": cell_code, "name": cell_name}})
    return out


def cards_not_issued(user):
    """Official members in scope without a party card."""
    return (members_visible_to(user).filter(status=MemberStatus.OFFICIAL, card_number="")
            .select_related("cell").order_by("made_official_on", "sort_key"))


def open_discipline_cases(user):
    """Discipline cases still open against members in scope, the oldest first."""
    return (discipline_cases_visible_to(user).filter(closed_on__isnull=True)
            .select_related("member", "member__cell").order_by("opened_on", "id"))
