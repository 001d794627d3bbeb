"""Tuổi đảng: the party age on a day, from the first admission decision minus the periods outside the
Party."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dangvu import regulations as R
from dangvu.members import history
from dangvu.members.models import Member, MemberStatus
from dangvu.members.models import MemberEventKind as E


@dataclass(frozen=True)
class PartyAge:
    """Tuổi đảng on a day: whole years (and whole months, what a member of less than a year is shown),
    counted from the first admission minus the gaps."""

    years: int
    months: int
    since: dt.date
    gaps: tuple[R.Gap, ...]
    on: dt.date

    @property
    def gap_periods(self) -> list[dict]:
        return [{"start": start, "end": end} for start, end in self.gaps]


def party_age_start(member: Member, events) -> dt.date:
    """The day the party age counts from (rules.party_age_from, domain-rules §3): the date in the
    first admission decision; without a decision date on file, the first admission (`admitted_on`).
    `events`: the member's events (any list holding its ADMITTED events)."""
    return party_age_start_from(events, member.admitted_on)


def party_age_start_from(events, admitted_on: dt.date) -> dt.date:
    """party_age_start on a list of events (pure), `admitted_on` without an admission decision date."""
    first = min((e for e in events if e.kind == E.ADMITTED), key=lambda e: (e.effective_on, e.pk or 0), default=None)
    return R.party_age_start(first.decision_date if first is not None else None, admitted_on)


def party_age(member: Member, on: dt.date) -> PartyAge:
    """The member's party age on `on` (not after the death, when the member died): from the first
    admission decision (`party_age_start`) minus the periods outside the Party (`history.gaps`: from a
    removal, expulsion or resignation to the readmission; none for a restored membership)."""
    events = list(member.events.filter(kind__in=history.GAP_EVENT_KINDS))
    if member.status == MemberStatus.DIED and member.ended_on:
        on = min(on, member.ended_on)
    gaps = tuple(history.gaps(events))
    start = party_age_start(member, events)
    months = R.party_age_months(start, on, gaps)
    return PartyAge(months // 12, months, start, gaps, on)
