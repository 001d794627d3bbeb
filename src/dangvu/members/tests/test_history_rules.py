"""Property tests of the replay engine: no sequence of events reaches an impossible state."""

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.members.history import _action, apply, replay, sort_events, stage_of
from dangvu.members.models import MemberEventKind as E
from dangvu.members.models import MemberStatus as S

START = dt.date(2010, 1, 1)
CELLS = [1, 2, 3]


def ev(kind, day, cell=None, value=""):
    return SimpleNamespace(kind=kind, effective_on=day, cell_id=cell, value=value, pk=None, decision_date=None)


event_strategy = st.tuples(
    st.sampled_from(list(E.values)),
    st.integers(min_value=0, max_value=5000),
    st.sampled_from([None, *CELLS]),
    st.sampled_from(["", "reprimand", "warning", "dismissal", "expulsion", "Cảnh cáo", "12345678", "30", "40", "7"]),
)


def build(raw):
    return [ev(k, START + dt.timedelta(days=d), c, v) for k, d, c, v in raw]


def check_invariants(periods, state):
    for a, b in zip(periods, periods[1:], strict=False):
        assert a.valid_to is not None and a.valid_to <= b.valid_from, "periods overlap or are unordered"
    assert all(p.valid_to is None or p.valid_from < p.valid_to for p in periods), "empty period"
    open_periods = [p for p in periods if p.valid_to is None]
    assert len(open_periods) <= 1
    if open_periods:
        assert state.is_member and state.cell_id == open_periods[0].cell_id
        assert open_periods[0].status == state.status
    if state.status in (S.DIED, S.REMOVED, S.EXPELLED, S.RESIGNED):
        assert not open_periods and state.cell_id is None and state.ended_on is not None
    if state.status == S.OFFICIAL:
        assert state.made_official_on is not None and state.admitted_on < state.made_official_on
        assert state.membership_started_on < state.made_official_on  # after a readmission: official again later
    if state.readmitted_on is not None:
        assert state.admitted_on < state.readmitted_on
    for p in periods:
        assert p.status in (S.PROBATIONARY, S.OFFICIAL)
    if open_periods:
        assert open_periods[0].suspended == state.suspended
    if not state.is_member:
        assert not state.suspended, "a suspension outlived the membership"


@settings(max_examples=300, deadline=None)
@given(st.lists(event_strategy, max_size=12))
def test_any_accepted_sequence_gives_consistent_periods(raw):
    events = [ev(E.ADMITTED, START, 1), *build(raw)]
    try:
        periods, state = replay(events)
    except DomainError:
        return
    check_invariants(periods, state)


@settings(max_examples=200, deadline=None)
@given(st.lists(event_strategy, max_size=10))
def test_refused_event_leaves_state_unchanged(raw):
    state = replay([ev(E.ADMITTED, START, 1)])[1]
    for e in build(raw):
        before = state.__dict__.copy()
        try:
            state = apply(state, e)
        except DomainError:
            assert state.__dict__ == before


def _same(stage):
    return R.Stage.PROBATIONARY if stage == R.Stage.READMITTED else stage  # the same transitions


def _recorded_stage(state):
    return stage_of(state.status, exempted=state.exempted, readmitted_on=state.readmitted_on,
                    made_official_on=state.made_official_on)


@settings(max_examples=300, deadline=None)
@given(st.lists(event_strategy, max_size=12))
def test_the_replay_follows_the_one_status_machine_of_the_rules(raw):
    """Every event the replay accepts is a transition of regulations.machine from the member's stage, and
    the member's recorded status (what pages and lists read) is the stage the machine reaches."""
    state = replay([ev(E.ADMITTED, START, 1)])[1]
    for e in build(raw):
        stage, action = state.stage, _action(state, e)
        try:
            state = apply(state, e)
        except DomainError:
            continue
        assert action in R.TRANSITIONS[stage], (stage, action)  # accepted only where the machine allows it
        assert state.stage == R.TRANSITIONS[stage][action]
        assert _same(_recorded_stage(state)) == _same(state.stage), (e.kind, stage, state)
    for stage in R.Stage:
        if stage not in R.MEMBER_STAGES:
            continue
        assert (R.Action.DISCIPLINE_EXPULSION in R.TRANSITIONS[stage]) == (stage in (R.Stage.OFFICIAL, R.Stage.EXEMPTED))


def test_probationary_member_cannot_be_expelled_or_dismissed():
    periods, state = replay([ev(E.ADMITTED, START, 1)])
    with pytest.raises(DomainError):
        apply(state, ev(E.EXPELLED, START + dt.timedelta(days=30)))
    with pytest.raises(DomainError):
        apply(state, ev(E.DISCIPLINED, START + dt.timedelta(days=30), value="dismissal"))


def test_cards_only_for_official_members_and_badges_only_on_milestones():
    _, state = replay([ev(E.ADMITTED, START, 1)])
    with pytest.raises(DomainError):
        apply(state, ev(E.CARD_ISSUED, START + dt.timedelta(days=10), value="12345678"))
    _, state = replay([ev(E.ADMITTED, START, 1), ev(E.MADE_OFFICIAL, START + dt.timedelta(days=366))])
    assert apply(state, ev(E.CARD_ISSUED, START + dt.timedelta(days=400), value="12345678")).card_number == "12345678"
    with pytest.raises(DomainError):
        apply(state, ev(E.BADGE_AWARDED, START + dt.timedelta(days=400), value="7"))
    assert apply(state, ev(E.BADGE_AWARDED, START + dt.timedelta(days=400), value="30")).badges == [30]


def test_no_event_after_death():
    _, state = replay([ev(E.ADMITTED, START, 1), ev(E.DIED, START + dt.timedelta(days=5))])
    with pytest.raises(DomainError):
        apply(state, ev(E.MOVED, START + dt.timedelta(days=6), 2))


def test_same_day_move_replaces_the_period_started_that_day():
    periods, _ = replay([ev(E.ADMITTED, START, 1), ev(E.MOVED, START, 2)])
    assert [(p.cell_id, p.valid_from, p.valid_to) for p in periods] == [(2, START, None)]


def test_transfer_out_ends_placement_and_transfer_in_resumes():
    def d(n):
        return START + dt.timedelta(days=n)

    periods, state = replay([ev(E.ADMITTED, START, 1), ev(E.TRANSFERRED_OUT, d(100)), ev(E.TRANSFERRED_IN, d(200), 3)])
    assert [(p.cell_id, p.valid_from, p.valid_to) for p in periods] == [(1, START, d(100)), (3, d(200), None)]
    assert state.current_status == S.PROBATIONARY


def test_a_readmission_keeps_the_first_admission_and_restarts_probation():
    _periods, state = replay([ev(E.ADMITTED, START, 1), ev(E.MADE_OFFICIAL, dt.date(2011, 1, 1)),
                              ev(E.RESIGNED, dt.date(2015, 1, 1)), ev(E.ADMITTED, dt.date(2020, 1, 1), 2)])
    assert (state.status, state.admitted_on, state.readmitted_on, state.made_official_on, state.cell_id) == (
        S.PROBATIONARY, START, dt.date(2020, 1, 1), None, 2)
    with pytest.raises(DomainError):  # official only after the probation of the readmission began
        replay([ev(E.ADMITTED, START, 1), ev(E.REMOVED, dt.date(2015, 1, 1)), ev(E.ADMITTED, dt.date(2020, 1, 1), 2),
                ev(E.MADE_OFFICIAL, dt.date(2020, 1, 1))])


@pytest.mark.parametrize("before", [S.PROBATIONARY, S.OFFICIAL])
@pytest.mark.parametrize("ending", [E.REMOVED, E.EXPELLED])
def test_a_restoration_returns_the_status_held_before_into_the_given_cell(before, ending):
    events = [ev(E.ADMITTED, START, 1)]
    if before == S.OFFICIAL:
        events.append(ev(E.MADE_OFFICIAL, dt.date(2011, 1, 1)))
    elif ending == E.EXPELLED:
        return  # a probationary member is removed from the list, never expelled
    events += [ev(ending, dt.date(2015, 1, 1)), ev(E.RESTORED, dt.date(2016, 1, 1), 3)]
    periods, state = replay(events)
    assert (state.status, state.cell_id, state.ended_on, state.readmitted_on) == (before, 3, None, None)
    assert (periods[-1].cell_id, periods[-1].valid_from, periods[-1].valid_to) == (3, dt.date(2016, 1, 1), None)


@pytest.mark.parametrize("events", [
    [ev(E.RESTORED, START, 1)],  # never admitted
    [ev(E.ADMITTED, START, 1), ev(E.RESTORED, dt.date(2012, 1, 1), 1)],  # a member
    [ev(E.ADMITTED, START, 1), ev(E.RESIGNED, dt.date(2011, 1, 1)), ev(E.RESTORED, dt.date(2012, 1, 1), 1)],
    [ev(E.ADMITTED, START, 1), ev(E.DIED, dt.date(2011, 1, 1)), ev(E.RESTORED, dt.date(2012, 1, 1), 1)],
    [ev(E.ADMITTED, START, 1), ev(E.REMOVED, dt.date(2011, 1, 1)), ev(E.RESTORED, dt.date(2012, 1, 1))],  # no cell
])
def test_a_restoration_is_refused_unless_removed_or_expelled_with_a_cell(events):
    with pytest.raises(DomainError):
        replay(events)


def test_gaps_run_from_each_ending_to_the_readmission_and_a_restoration_is_none():
    from dangvu.members.history import gaps

    events = [ev(E.ADMITTED, START, 1), ev(E.REMOVED, dt.date(2011, 1, 1)), ev(E.RESTORED, dt.date(2012, 1, 1), 1),
              ev(E.RESIGNED, dt.date(2013, 1, 1)), ev(E.ADMITTED, dt.date(2017, 1, 1), 1),
              ev(E.REMOVED, dt.date(2019, 1, 1))]
    assert gaps(events) == [(dt.date(2013, 1, 1), dt.date(2017, 1, 1)), (dt.date(2019, 1, 1), None)]
    assert gaps(events[:3]) == []


# --- Suspension of party activities (đình chỉ sinh hoạt đảng) ---------------------------------------

#: Events that set (SUSPENDED) or clear the suspension: lifting it, leaving the Party, a new membership.
_CLEARS_SUSPENSION = {E.SUSPENSION_LIFTED, E.REMOVED, E.EXPELLED, E.RESIGNED, E.DIED, E.ADMITTED, E.RESTORED}
suspension_strategy = st.tuples(
    st.sampled_from([E.SUSPENDED, E.SUSPENSION_LIFTED, E.SUSPENDED, E.SUSPENSION_LIFTED, E.MADE_OFFICIAL, E.MOVED,
                     E.EXEMPTED, E.EXEMPTION_ENDED, E.TRANSFERRED_OUT, E.TRANSFERRED_IN, E.EXPELLED, E.RESTORED,
                     E.RESIGNED, E.ADMITTED]),
    st.integers(min_value=0, max_value=3000),
    st.sampled_from([None, *CELLS]),
    st.just(""),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(suspension_strategy, max_size=12))
def test_a_suspension_is_carried_by_the_periods_as_its_events_say(raw):
    """In any sequence the replay accepts, every period is suspended exactly when, by its first day, the
    last of the events setting or clearing a suspension was a suspension; a suspension is never recorded
    over another one, and is lifted only after the day it began."""
    events = [ev(E.ADMITTED, START, 1), *build(raw)]
    try:
        periods, state = replay(events)
    except DomainError:
        return
    check_invariants(periods, state)
    ordered = sort_events(events)
    since = None
    for e in ordered:
        if e.kind == E.SUSPENDED:
            assert since is None, "suspended twice"
            since = e.effective_on
        elif e.kind == E.SUSPENSION_LIFTED:
            assert since is not None and e.effective_on > since
            since = None
        elif e.kind in _CLEARS_SUSPENSION:
            since = None
    assert state.suspended == (since is not None)

    def suspended_on(day):
        flag = False
        for e in ordered:
            if e.effective_on > day:
                break
            if e.kind == E.SUSPENDED:
                flag = True
            elif e.kind in _CLEARS_SUSPENSION:
                flag = False
        return flag

    for p in periods:
        assert p.suspended == suspended_on(p.valid_from), (p, raw)


def test_a_suspension_and_its_lifting_make_periods_read_as_of_any_day():
    def d(n):
        return START + dt.timedelta(days=n)

    periods, state = replay([ev(E.ADMITTED, START, 1), ev(E.SUSPENDED, d(100), value="investigation"),
                             ev(E.MOVED, d(150), 2), ev(E.SUSPENSION_LIFTED, d(200))])
    assert [(p.cell_id, p.valid_from, p.valid_to, p.suspended) for p in periods] == [
        (1, START, d(100), False), (1, d(100), d(150), True), (2, d(150), d(200), True), (2, d(200), None, False)]
    assert not state.suspended and state.suspended_on is None


@pytest.mark.parametrize("events", [
    [ev(E.SUSPENSION_LIFTED, dt.date(2012, 1, 1))],  # not suspended
    [ev(E.SUSPENDED, dt.date(2012, 1, 1)), ev(E.SUSPENDED, dt.date(2012, 6, 1))],  # suspended already
    [ev(E.SUSPENDED, dt.date(2012, 1, 1)), ev(E.SUSPENSION_LIFTED, dt.date(2012, 1, 1))],  # lifted the same day
    [ev(E.SUSPENDED, dt.date(2012, 1, 1)), ev(E.SUSPENSION_LIFTED, dt.date(2011, 6, 1))],  # lifted before
    [ev(E.RESIGNED, dt.date(2011, 1, 1)), ev(E.SUSPENDED, dt.date(2012, 1, 1))],  # not a member any more
    [ev(E.TRANSFERRED_OUT, dt.date(2011, 1, 1)), ev(E.SUSPENDED, dt.date(2012, 1, 1))],  # not placed here
])
def test_a_suspension_is_refused_against_the_history(events):
    with pytest.raises(DomainError):
        replay([ev(E.ADMITTED, START, 1), *events])


def test_leaving_the_party_ends_a_suspension_and_a_restoration_does_not_bring_it_back():
    events = [ev(E.ADMITTED, START, 1), ev(E.MADE_OFFICIAL, dt.date(2011, 1, 1)), ev(E.SUSPENDED, dt.date(2012, 1, 1)),
              ev(E.EXPELLED, dt.date(2012, 6, 1)), ev(E.RESTORED, dt.date(2013, 1, 1), 2)]
    assert not replay(events[:4])[1].suspended
    periods, state = replay(events)
    assert not state.suspended and not periods[-1].suspended
    assert [p.suspended for p in periods] == [False, False, True, False]
