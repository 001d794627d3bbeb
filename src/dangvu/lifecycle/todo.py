"""What needs doing (việc cần làm) across a user's scope, computed from the events when asked —
never from a status refreshed by a scheduled job.

Each list is one set-based query over the members in scope that narrows the candidates (dates
compared in SQL); the per-member rule (probation end, badge due) is then applied to that short list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from dangvu import regulations as R
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.selectors import members_visible_to

from .selectors import discipline_cases_visible_to
from .services import BADGE_EVENT_KINDS, badge_due, badge_due_from_events

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
    """The next badge award occasion (`badge_award_days` of the rules in force) on or after `today`."""
    days = R.rules_on(today).badge_award_days
    candidates = [dt.date(y, m, d) for y in (today.year, today.year + 1) for m, d in days]
    return min(c for c in candidates if c >= today)


def last_award_date(today: dt.date) -> dt.date:
    """The latest badge award occasion (`badge_award_days` of the rules in force) on or before `today`: the
    award a badge form records (an award is recorded once it has taken place)."""
    days = R.rules_on(today).badge_award_days
    candidates = [dt.date(y, m, d) for y in (today.year - 1, today.year) for m, d in days]
    return max(c for c in candidates if c <= today)


def _probations(user, today: dt.date, horizon_days: int) -> QuerySet[Member]:
    """Probationary members in scope whose probation (from the ceremony of the current membership)
    may end within `horizon_days`, with `started_on`: started at least the shortest probation of any regulation
    before the horizon (`probation_dates` then applies the rules of each start)."""
    shortest = min(rules.probation_months for rules in R.REGULATIONS)
    latest_admission = R.add_months(today + dt.timedelta(days=horizon_days), -shortest)
    return (members_visible_to(user).filter(status=MemberStatus.PROBATIONARY)
            .annotate(started_on=Coalesce("readmitted_on", "admitted_on"))  # a readmission restarts probation
            .filter(started_on__lte=latest_admission))


def probation_dates(started_on: dt.date) -> tuple[dt.date, dt.date]:
    """(end of probation, the chi bộ's deadline to consider the recognition) for a start day: the deadline
    after which the recognition needs a reason for the delay (`services.recognize_official`)."""
    rules = R.rules_on(started_on)
    return R.probation_end(started_on, rules), R.recognition_deadline(started_on, rules)


def probations_ending(user, today: dt.date, horizon_days: int = PROBATION_HORIZON_DAYS) -> list[ProbationItem]:
    """Probationary members whose probation (from the ceremony of the current membership) ends within `horizon_days` or has already ended (not yet
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


#: The badge-related kinds other than an admission. A member with none of them on file and at most
#: one admission (most members) is due exactly the badge the start of the party age reaches.
_OTHER_BADGE_KINDS = tuple(kind for kind in BADGE_EVENT_KINDS if kind != E.ADMITTED)


def _reached(limits, start) -> Case:
    """The highest milestone a party age starting on `start` (a field, an annotation or a Q per limit
    day) reaches by the award occasion without gaps (R.badge_start_limits, highest first); 0: none."""
    whens = [When(start(last) if callable(start) else Q(**{f"{start}__lte": last}), then=Value(years))
             for years, last in limits]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _badge_candidates(members: QuerySet[Member], award_date: dt.date) -> QuerySet[Member]:
    """Of `members`, those who may be due a Party badge on `award_date`, in the order of the lists
    (admission, then name): one statement, one pass over their badge-related events (joined and
    grouped per member), with no index on the kind.

    Per member: the earliest admission decision, the highest badge held, whether anything else is on
    file (a second admission, a gap, a discipline, a badge). Candidates are the current members whose
    earliest possible start of party age (admission or any admission decision: gaps only delay it)
    reaches a milestone above every badge held. `plain_due` is the badge due to a member with only
    one admission on file (as services.badge_due: from the admission decision when it precedes the
    ceremony); 0 when none is due; None for the others, to whose events the rule is applied."""
    rules = R.rules_on(award_date)
    limits = R.badge_start_limits(award_date, rules)
    admission = Q(badge_events__kind=E.ADMITTED)
    held = Case(*[When(badge_events__kind=E.BADGE_AWARDED, badge_events__value=str(years), then=Value(years))
                  for years in rules.badge_milestones], default=Value(0), output_field=IntegerField())
    plain = Q(admissions__lte=1, others=0)
    youngest = limits[-1][1]  # the latest start of a party age that reaches the first milestone
    decided_early = MemberEvent.objects.filter(member=OuterRef("pk"), kind=E.ADMITTED, decision_date__lte=youngest)
    return (members.filter(status__in=ACTIVE_STATUSES)
            .filter(Q(admitted_on__lte=youngest) | Exists(decided_early))
            .annotate(badge_events=FilteredRelation("events", condition=Q(events__kind__in=BADGE_EVENT_KINDS,
                                                                             events__cancelled_at__isnull=True)))
            .annotate(decided=Min("badge_events__decision_date", filter=admission),
                      ceremony=Min("badge_events__effective_on", filter=admission),
                      admissions=Count("badge_events", filter=admission),
                      others=Count("badge_events", filter=Q(badge_events__kind__in=_OTHER_BADGE_KINDS)),
                      held=Max(held))
            .annotate(reach=_reached(limits, lambda last: Q(admitted_on__lte=last) | Q(decided__lte=last)),
                      party_age_from=Case(When(decided__lte=F("ceremony"), then=F("decided")),
                                          default=F("admitted_on")))
            .annotate(plain_due=Case(When(plain, then=_reached(limits, "party_age_from")), default=None,
                                     output_field=IntegerField()))
            .filter(reach__gt=F("held"))
            .order_by("admitted_on", "sort_key", "pk"))


def _events_of(member_ids: list[int]) -> dict[int, list[MemberEvent]]:
    """The badge-related events of these members (one query), by member."""
    events: dict[int, list] = {}
    for e in MemberEvent.objects.filter(member_id__in=member_ids, kind__in=BADGE_EVENT_KINDS):
        events.setdefault(e.member_id, []).append(e)
    return events


def badges_due_among(members: QuerySet[Member], award_date: dt.date) -> list[BadgeItem]:
    """Of `members`, those due a Party badge on the award occasion `award_date`, each with the one
    badge due (services.badge_due: the highest milestone reached, above every badge held).

    One query narrows the candidates and settles those with only an admission on file
    (`_badge_candidates`); the rule is applied to the others from their events (one more query,
    only when there are such candidates: gaps, discipline delays, badges held)."""
    candidates = list(_badge_candidates(members, award_date).select_related("cell"))
    others = _events_of([m.pk for m in candidates if m.plain_due is None])
    items = []
    for m in candidates:
        if m.plain_due is None:
            m.badge_events = others.get(m.pk, [])
        due = m.plain_due if m.plain_due is not None else badge_due(m, award_date)
        if due:
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
    "name"}} — from values, without building model objects (a province has tens of thousands of
    candidates): one query, and one more for the events of the candidates with more than an
    admission on file."""
    rows = list(_badge_candidates(members, award_date)
                .values_list("pk", "code", "full_name", "admitted_on", "cell__code", "cell__name", "plain_due"))
    events: dict[int, list[_BadgeEvent]] = {}
    rest = [r[0] for r in rows if r[6] is None]
    if rest:
        for member_id, *fields in (MemberEvent.objects.filter(member_id__in=rest, kind__in=BADGE_EVENT_KINDS)
                                   .values_list("member_id", "pk", "kind", "effective_on", "value", "decision_date")):
            events.setdefault(member_id, []).append(_BadgeEvent(*fields))
    out = []
    for pk, code, name, admitted_on, cell_code, cell_name, plain_due in rows:
        due = plain_due if plain_due is not None else badge_due_from_events(events.get(pk, ()), award_date, admitted_on)
        if due:
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
