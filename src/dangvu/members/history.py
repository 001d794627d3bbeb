"""Replay a member's events into effective-dated periods, checking every transition.

This is the rule engine of the registry: pure functions over event-like objects (anything with
`kind`, `effective_on`, `cell_id`, `value` and `decision_date`), used alike by the services (one member at a
time), by imports and by the demo generator (many members in memory), so that the derived
periods are always the same whatever wrote the events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError

from .models import MemberEventKind as E
from .models import MemberStatus as S

#: Order of events that take effect on the same day.
SAME_DAY_ORDER = {
    E.ADMITTED: 0, E.TRANSFERRED_IN: 1, E.MADE_OFFICIAL: 2, E.MOVED: 3, E.EXEMPTED: 4, E.EXEMPTION_ENDED: 4,
    E.SUSPENSION_LIFTED: 4, E.SUSPENDED: 5,  # a suspension lifted and a new one the same day: the lift first
    E.DISCIPLINED: 5, E.CARD_ISSUED: 5, E.BADGE_AWARDED: 5,
    E.TRANSFERRED_OUT: 9, E.REMOVED: 9, E.EXPELLED: 9, E.RESIGNED: 9, E.DIED: 9,
    E.RESTORED: 10,  # annuls an ending, even one of the same day
}
ENDING = {E.REMOVED: S.REMOVED, E.EXPELLED: S.EXPELLED, E.RESIGNED: S.RESIGNED, E.DIED: S.DIED}

# The member's events are actions of the one status machine (regulations.machine): each event is
# allowed where the machine has a transition from the member's stage.
A, ST = R.Action, R.Stage
#: event kind → action of the machine (ADMITTED, REMOVED and DISCIPLINED depend on the state: `_action`).
_ACTIONS = {
    E.MADE_OFFICIAL: A.MAKE_OFFICIAL, E.TRANSFERRED_IN: A.TRANSFER, E.MOVED: A.TRANSFER, E.TRANSFERRED_OUT: A.TRANSFER,
    E.EXEMPTED: A.EXEMPT, E.EXEMPTION_ENDED: A.END_EXEMPTION, E.SUSPENDED: A.SUSPEND,
    E.SUSPENSION_LIFTED: A.LIFT_SUSPENSION, E.CARD_ISSUED: A.ISSUE_CARD,
    E.BADGE_AWARDED: A.AWARD_BADGE, E.EXPELLED: A.DISCIPLINE_EXPULSION, E.RESIGNED: A.RESIGN, E.DIED: A.DIE,
    E.RESTORED: A.RESTORE,
}
#: disciplinary form key (MemberEvent.value of DISCIPLINED) → action: the forms that keep the member in
#: the Party (khai trừ is its own event, EXPELLED).
DISCIPLINE_ACTIONS = {form: action for action, form in R.DISCIPLINE_ACTIONS.items()
                      if R.TRANSITIONS[ST.OFFICIAL][action] == ST.OFFICIAL}

_ENDED_STAGES = {S.EXPELLED: ST.EXPELLED, S.RESIGNED: ST.RESIGNED, S.DIED: ST.DIED}


def stage_of(status: str | None, *, exempted: bool, readmitted_on, made_official_on) -> R.Stage | None:
    """The stage of the status machine a member's recorded fields show (Member or State); None for a
    status the machine does not know (transferred out: outside this database, still a member)."""
    if status == S.PROBATIONARY:
        return ST.READMITTED if readmitted_on else ST.PROBATIONARY
    if status == S.OFFICIAL:
        return ST.EXEMPTED if exempted else ST.OFFICIAL
    if status == S.REMOVED:
        return ST.REMOVED if made_official_on else ST.PROBATION_REMOVED
    return _ENDED_STAGES.get(status)


@dataclass
class State:
    """Where a member stands after some events."""

    status: str | None = None  # probationary / official while a member; an ending status after
    cell_id: int | None = None  # None while admitted elsewhere or after a transfer out
    last_cell_id: int | None = None
    exempted: bool = False
    suspended_on: dt.date | None = None  # the start of the suspension of party activities in force, if any
    admitted_on: dt.date | None = None  # the first admission
    party_age_start: dt.date | None = None  # the day party age counts from (R.party_age_start of the first admission)
    readmitted_on: dt.date | None = None  # the readmission that began the current membership, if any
    made_official_on: dt.date | None = None
    ended_on: dt.date | None = None
    status_before_ending: str | None = None  # what a restoration returns the member to
    card_number: str = ""
    badges: list[int] = field(default_factory=list)
    #: Where the member stands in the one status machine (regulations.machine): each event moves it
    #: along a transition of the machine; before the first admission, the ceremony is next.
    stage: R.Stage = R.Stage.ADMISSION_DECIDED

    @property
    def is_member(self) -> bool:
        return self.status in (S.PROBATIONARY, S.OFFICIAL)

    @property
    def suspended(self) -> bool:
        """Suspended from party activities (đình chỉ sinh hoạt đảng)."""
        return self.suspended_on is not None

    @property
    def membership_started_on(self) -> dt.date | None:
        """The ceremony of the current membership: probation counts from it."""
        return self.readmitted_on or self.admitted_on

    @property
    def current_status(self) -> str:
        if self.is_member and self.cell_id is None and self.last_cell_id is not None:
            return S.TRANSFERRED_OUT
        return self.status or S.PROBATIONARY


@dataclass
class Period:
    cell_id: int
    status: str
    exempted: bool
    valid_from: dt.date
    valid_to: dt.date | None = None
    suspended: bool = False


def sort_events(events):
    return sorted(events, key=lambda e: (e.effective_on, SAME_DAY_ORDER[e.kind], getattr(e, "pk", None) or 0))


def _refuse(message: str, ev) -> DomainError:
    return DomainError(
        _("%(event)s on %(day)s: %(reason)s") % {"event": E(ev.kind).label, "day": format_date(ev.effective_on), "reason": message},
        field="kind",
    )


def _action(state: State, ev) -> R.Action | None:
    k = ev.kind
    if k == E.ADMITTED:
        return A.HOLD_CEREMONY if state.status is None else A.READMIT
    if k == E.REMOVED:
        return A.REMOVE_FROM_PROBATION if state.status == S.PROBATIONARY else A.REMOVE
    if k == E.DISCIPLINED:
        return DISCIPLINE_ACTIONS.get(ev.value)
    return _ACTIONS[k]


def _next_stage(state: State, ev) -> R.Stage:
    """The stage the status machine reaches by the event's action, or DomainError when the machine has
    no such transition from the member's stage."""
    action = _action(state, ev)
    if action is None:  # a disciplinary form that is no discipline event
        forms = ", ".join(str(R.DISCIPLINE_FORM_LABELS[f]) for f in DISCIPLINE_ACTIONS)
        raise _refuse(_("the disciplinary form must be one of: %(forms)s.") % {"forms": forms}, ev)
    target = R.TRANSITIONS[state.stage].get(action)
    if target is None:
        try:
            R.apply(state.stage, action)
        except R.RuleViolation as exc:
            raise _refuse(exc.message, ev) from None
    return target


def apply(state: State, ev) -> State:
    """The state after `ev`, or DomainError when the rules do not allow `ev` in `state`: the status
    machine of the rules (regulations.machine) decides which events a member's stage allows; the
    placement in cells, dates and values are checked here."""
    stage = _next_stage(state, ev)
    k = ev.kind
    s = State.__new__(State)  # a copy (dataclass __init__ with keywords cost most of a replay)
    s.__dict__.update(state.__dict__)
    s.badges = list(state.badges)
    s.stage = stage
    day = ev.effective_on
    if k == E.RESTORED:
        if ev.cell_id is None:
            raise _refuse(_("the cell the member returns to is required."), ev)
        s.status, s.cell_id, s.exempted, s.ended_on = s.status_before_ending or S.OFFICIAL, ev.cell_id, False, None
        s.suspended_on = None
    elif k == E.ADMITTED:
        s.status, s.cell_id, s.exempted, s.ended_on = S.PROBATIONARY, ev.cell_id, False, None
        s.suspended_on = None
        if not s.admitted_on:
            s.party_age_start = R.party_age_start(ev.decision_date, day)
        s.readmitted_on = day if s.admitted_on else None
        s.admitted_on = s.admitted_on or day
        s.made_official_on = None
        s.card_number = ""  # the old card was withdrawn on leaving: a readmitted member gets a new one
    elif k == E.MADE_OFFICIAL:
        if s.membership_started_on and day <= s.membership_started_on:
            raise _refuse(_("the official date must come after the admission date."), ev)
        s.status, s.made_official_on = S.OFFICIAL, day
    elif k == E.TRANSFERRED_IN:
        if s.cell_id is not None:
            raise _refuse(_("the member is already placed in a cell of this database; use a move."), ev)
        if ev.cell_id is None:
            raise _refuse(_("the receiving cell is required."), ev)
        s.cell_id = ev.cell_id
    elif s.cell_id is None:
        raise _refuse(_("the member is not placed in a cell of this database."), ev)
    elif k == E.MOVED:
        if ev.cell_id is None:
            raise _refuse(_("the destination cell is required."), ev)
        if ev.cell_id == s.cell_id:
            raise _refuse(_("the member is already in that cell."), ev)
        s.cell_id = ev.cell_id
    elif k == E.TRANSFERRED_OUT:  # a transfer keeps the member's standing (an exemption, a suspension too)
        s.cell_id = None
    elif k == E.EXEMPTED:
        s.exempted = True
    elif k == E.EXEMPTION_ENDED:
        s.exempted = False
    elif k in (E.SUSPENDED, E.SUSPENSION_LIFTED):
        lifting = k == E.SUSPENSION_LIFTED
        refusals = R.suspension_check(s.suspended_on, day, lifting=lifting)
        if refusals:
            raise _refuse(refusals[0].text, ev)
        s.suspended_on = None if lifting else day
    elif k == E.CARD_ISSUED:
        if not (ev.value or "").strip():
            raise _refuse(_("the card number is required."), ev)
        s.card_number = ev.value.strip()
    elif k == E.BADGE_AWARDED:
        milestones = R.rules_on(day).badge_milestones
        value = str(ev.value).strip()
        years = int(value) if value.isdigit() else None
        if years not in milestones:
            raise _refuse(_("the badge milestone must be one of %(m)s years.") % {"m": ", ".join(map(str, milestones))}, ev)
        s.badges.append(years)
    elif k in ENDING:
        s.status_before_ending = s.status
        s.status, s.cell_id, s.exempted, s.ended_on = ENDING[k], None, False, day
        s.suspended_on = None  # leaving the Party ends a suspension
    if s.cell_id is not None:
        s.last_cell_id = s.cell_id
    return s


def gaps(events) -> list[tuple[dt.date, dt.date | None]]:
    """The periods outside the Party (khoảng thời gian không sinh hoạt đảng) that the events show,
    as [start, end) with end None while still outside: from each removal, expulsion or resignation
    to the readmission (ADMITTED) that follows. A restoration (khôi phục đảng tịch) annuls the
    ending: that interval is no gap (party age is continuous). A death is no gap either. Any
    subset of the events holding those kinds will do (see `GAP_EVENT_KINDS`)."""
    out: list[tuple[dt.date, dt.date | None]] = []
    start = None
    for ev in sort_events(e for e in events if e.kind in GAP_EVENT_KINDS):
        if ev.kind in (E.REMOVED, E.EXPELLED, E.RESIGNED):
            start = ev.effective_on
        elif ev.kind == E.ADMITTED and start is not None:
            out.append((start, ev.effective_on))
            start = None
        elif ev.kind == E.RESTORED:
            start = None
    if start is not None:
        out.append((start, None))
    return out


#: The event kinds `gaps` reads.
GAP_EVENT_KINDS = (E.ADMITTED, E.REMOVED, E.EXPELLED, E.RESIGNED, E.RESTORED)


def before_admission(day: dt.date, admitted_on: dt.date, *, field: str = "kind") -> DomainError:
    """The refusal of a member's event dated before the first admission (`admitted_on`)."""
    return DomainError(_("The date %(day)s is before the admission to the Party (%(admitted)s).")
                       % {"day": format_date(day), "admitted": format_date(admitted_on)},
                       field=field, code="date.before_admission")


def replay(events) -> tuple[list[Period], State]:
    """Apply events in order; return the periods they define and the final state. An event dated before the
    first admission on file is refused as such (`before_admission`), not as a step the member's stage lacks."""
    events = sort_events(events)
    first = next((ev.effective_on for ev in events if ev.kind == E.ADMITTED), None)
    if first is not None and events[0].effective_on < first:
        exc = before_admission(events[0].effective_on, first)
        exc.event = events[0]  # lets bulk callers point at the row that holds the event
        raise exc
    state = State()
    periods: list[Period] = []
    key_before = None  # (cell, status, exempted, suspended) while placed in a cell as a member, else None
    for ev in events:
        try:
            state = apply(state, ev)
        except DomainError as exc:
            exc.event = ev  # lets bulk callers point at the row that holds the event
            raise
        key_after = ((state.cell_id, state.status, state.exempted, state.suspended)
                     if state.cell_id and state.is_member else None)
        if key_before == key_after:
            continue
        if periods and periods[-1].valid_to is None and key_before is not None:
            if periods[-1].valid_from == ev.effective_on:
                periods.pop()  # a same-day change replaces the period that started that day
            else:
                periods[-1].valid_to = ev.effective_on
        if key_after is not None:
            periods.append(Period(state.cell_id, state.status, state.exempted, ev.effective_on,
                                  suspended=state.suspended))
        key_before = key_after
    return periods, state
