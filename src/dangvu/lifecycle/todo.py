"""What needs doing (việc cần làm) across a user's scope, computed from the events when asked —
never from a status refreshed by a scheduled job.

Each list is one set-based query over the members in scope that narrows the candidates (dates
compared in SQL); the per-member rule (probation end, badge due) is then applied to that short list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce

from dangvu import regulations as R
from dangvu.accounts.selectors import scope_q
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.selectors import members_visible_to

from .models import DisciplineCase
from .selectors import open_candidates
from .services import BADGE_EVENT_KINDS, badge_due
from .transfers import transfers_in_transit

#: How far ahead the to-do page looks for probations ending, and for candidates' steps falling due.
PROBATION_HORIZON_DAYS = 60
CANDIDATE_HORIZON_DAYS = 30


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


def probations_ending(user, today: dt.date, horizon_days: int = PROBATION_HORIZON_DAYS) -> list[ProbationItem]:
    """Probationary members whose 12 months (from the ceremony of the current membership) end within `horizon_days` or have already ended (not yet
    recognised), soonest first; `overdue` once the chi bộ's time limit after the end has passed."""
    latest_admission = R.add_months(today + dt.timedelta(days=horizon_days), -12)
    qs = (members_visible_to(user).filter(status=MemberStatus.PROBATIONARY)
          .annotate(started_on=Coalesce("readmitted_on", "admitted_on"))  # a readmission restarts probation
          .filter(started_on__lte=latest_admission).select_related("cell").order_by("started_on", "sort_key"))
    items = []
    for m in qs:
        rules = R.rules_on(m.started_on)
        ends = R.probation_end(m.started_on, rules)
        limit = R.deadline(ends, "recognition_cell", rules)
        items.append(ProbationItem(member=m, ends_on=ends, cell_deadline=limit, overdue=today > limit))
    return items


def badges_due(user, award_date: dt.date) -> list[BadgeItem]:
    """Members in scope due a Party badge on `award_date`: those whose party age may reach a milestone
    by then (admitted or decided on or before award date − milestone years: gaps only delay it) without that
    badge yet, checked one by one against the rules (gaps, discipline delays, badges already given)
    from their prefetched events."""
    milestones = R.rules_on(award_date).badge_milestones
    reach = Q()
    for years in milestones:
        awarded = MemberEvent.objects.filter(member=OuterRef("pk"), kind=E.BADGE_AWARDED, value=str(years))
        by = R.add_months(award_date, -12 * years)
        # party age counts from the admission decision (services.party_age_start), which precedes the ceremony
        decided = MemberEvent.objects.filter(member=OuterRef("pk"), kind=E.ADMITTED, decision_date__lte=by)
        reach |= (Q(admitted_on__lte=by) | Exists(decided)) & ~Exists(awarded)
    qs = (members_visible_to(user).filter(status__in=ACTIVE_STATUSES).filter(reach)
          .select_related("cell").order_by("admitted_on", "sort_key")
          .prefetch_related(Prefetch("events", MemberEvent.objects.filter(kind__in=BADGE_EVENT_KINDS),
                                     to_attr="badge_events")))
    items = []
    for m in qs:
        due = badge_due(m, award_date)
        if due is not None:
            items.append(BadgeItem(member=m, milestone=due))
    return items


def cards_not_issued(user):
    """Official members in scope without a party card."""
    return (members_visible_to(user).filter(status=MemberStatus.OFFICIAL, card_number="")
            .select_related("cell").order_by("made_official_on", "sort_key"))


def candidate_steps_due(user, today: dt.date, horizon_days: int = CANDIDATE_HORIZON_DAYS):
    """Open candidates whose next step (chi bộ vote, decision, ceremony, ...) is due within
    `horizon_days` or overdue, the most urgent first."""
    return (open_candidates(user).filter(due_on__lte=today + dt.timedelta(days=horizon_days))
            .select_related("cell", "owner_org", "assignee").order_by("due_on", "sort_key", "id"))


def open_discipline_cases(user):
    """Discipline cases still open against members in scope, the oldest first."""
    return (DisciplineCase.objects.filter(closed_on__isnull=True).filter(scope_q(user, "member__cell__"))
            .select_related("member", "member__cell").order_by("opened_on", "id"))


#: The to-do lists, in the order the page shows them.
TODO_KEYS = ("candidates", "transfers", "discipline_cases", "probations", "badges", "cards")


def todo_list(user, today: dt.date, key: str):
    """The whole to-do list `key` (one of TODO_KEYS) for `user` on `today`, the most urgent first: a
    queryset, or a list for those the rules check member by member (probations, badges)."""
    if key == "candidates":
        return candidate_steps_due(user, today)
    if key == "transfers":
        return transfers_in_transit(user, today)
    if key == "discipline_cases":
        return open_discipline_cases(user)
    if key == "probations":
        return probations_ending(user, today)
    if key == "badges":
        return badges_due(user, next_award_date(today))
    if key == "cards":
        return cards_not_issued(user)
    raise KeyError(key)


def _overdue(key: str, rows, today: dt.date) -> int:
    """How many items of a list are past their time limit (0 for lists without one)."""
    if key == "candidates":
        return rows.filter(due_on__lt=today).count()
    if key == "transfers":
        return rows.filter(report_by__lt=today).count()
    if key == "probations":
        return sum(1 for it in rows if it.overdue)
    return 0


#: The lists with a time limit, and those counted in SQL: the dashboard's figures (the badges due are
#: checked member by member, which the landing page of a province should not wait for).
DASHBOARD_KEYS = ("candidates", "transfers", "discipline_cases", "probations", "cards")


def todo_counts(user, today: dt.date, lists: dict | None = None, keys=TODO_KEYS) -> dict[str, dict[str, int]]:
    """For each to-do list of `keys`, how many items it has (`total`) and how many are overdue
    (`overdue`): the figures of the to-do page and of the dashboard's warnings. `lists` reuses lists
    already built."""
    lists = lists or {}
    result = {}
    for key in keys:
        rows = lists[key] if key in lists else todo_list(user, today, key)
        total = len(rows) if isinstance(rows, list) else rows.count()
        result[key] = {"total": total, "overdue": _overdue(key, rows, today) if total else 0}
    return result


def todo(user, today: dt.date, limit: int | None = None) -> dict:
    """Everything the to-do page shows for `user` on `today`: each list (its first `limit` items when
    given) and `counts` (`todo_counts`) of the whole lists."""
    lists = {key: todo_list(user, today, key) for key in TODO_KEYS}
    counts = todo_counts(user, today, lists)
    return {
        "today": today,
        "award_date": next_award_date(today),
        "counts": counts,
        **{key: list(rows[:limit] if limit is not None else rows) for key, rows in lists.items()},
        "cards_count": counts["cards"]["total"],
    }
