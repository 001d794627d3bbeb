"""Huy hiệu Đảng: the badge due on an award occasion (party age, badges held, discipline, serious
illness) and its award."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members import history
from dangvu.members.models import Member, MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.services import NO_DECISION, Decision

from .party_age import party_age_start_from

#: The events that decide which badge is due: those awarded, discipline that delays it, and
#: those that make the gaps of the party age.
BADGE_EVENT_KINDS = tuple(dict.fromkeys((E.BADGE_AWARDED, E.DISCIPLINED, *history.GAP_EVENT_KINDS)))


def badge_milestone_error(milestones) -> str:
    """Why a badge milestone is refused: the milestones of the rules in force on the award date."""
    return _("Under the rules in force on the award date, badges mark %(m)s years of party age.") % {
        "m": ", ".join(map(str, milestones))}


def badge_due(member: Member, award_date: dt.date, *, seriously_ill: bool = False) -> int | None:
    """The one Party badge milestone due to `member` on the award occasion `award_date` (None: none),
    from the rules in force on that day: the highest milestone the party age (minus the gaps) reaches,
    above every badge already awarded, unless a discipline decision delays it; a seriously ill member
    may receive it early (rules.badge_early_months)."""
    events = getattr(member, "badge_events", None)  # prefetched by lists (todo.badges_due)
    if events is None:
        events = list(member.events.filter(kind__in=BADGE_EVENT_KINDS))
    return badge_due_from_events(events, award_date, member.admitted_on, seriously_ill=seriously_ill)


def badge_due_from_events(events, award_date: dt.date, admitted_on: dt.date, *, awarded: Iterable[int] = (),
                          seriously_ill: bool = False) -> int | None:
    """`badge_due` on a list of events (pure: the import checks its rows with it): any objects with
    kind, effective_on, value, decision_date and pk holding the member's BADGE_EVENT_KINDS events;
    `awarded` adds badges held without an event on file."""
    awarded = [*(int(e.value) for e in events if e.kind == E.BADGE_AWARDED and e.value.isdigit()), *awarded]
    discipline = [(e.value, e.effective_on) for e in events if e.kind == E.DISCIPLINED]
    return R.badge_due_on(award_date, party_age_start_from(events, admitted_on), history.gaps(events),
                          R.rules_on(award_date), awarded=awarded, discipline=discipline, seriously_ill=seriously_ill)


@transaction.atomic
def award_badge(member: Member, *, milestone: int, award_date: dt.date, seriously_ill: bool = False,
                decision: Decision = NO_DECISION, actor=None) -> MemberEvent:
    """Trao Huy hiệu Đảng: the milestone must be the one due on that award occasion (early for a
    seriously ill member, `seriously_ill`), a milestone of the rules in force on the award date."""
    rules = R.rules_on(award_date)
    if milestone not in rules.badge_milestones:
        raise DomainError(badge_milestone_error(rules.badge_milestones), field="milestone")
    if (award_date.month, award_date.day) not in tuple(rules.badge_award_days):
        days = ", ".join(f"{d:02d}/{m:02d}" for m, d in rules.badge_award_days)
        raise DomainError(_("Badges are awarded on %(days)s.") % {"days": days}, field="award_date")
    due = badge_due(member, award_date, seriously_ill=seriously_ill)
    if due != milestone:
        if due is None:
            message = _("No badge is due to %(name)s on %(day)s.")
        else:
            message = _("The badge due to %(name)s on %(day)s is the %(due)d-year badge.")
        raise DomainError(message % {"name": member.full_name, "day": format_date(award_date), "due": due or 0},
                          field="milestone")
    note = _("Early award: seriously ill.") if seriously_ill and badge_due(member, award_date) != milestone else ""
    return member_record_event(member, kind=E.BADGE_AWARDED, effective_on=award_date, value=str(milestone),
                               decision=decision, note=note, actor=actor, field="award_date")
