"""Property tests of the replay engine: no sequence of events reaches an impossible state."""

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu.core.errors import DomainError
from dangvu.members.history import BADGE_MILESTONES, apply, replay
from dangvu.members.models import MemberEventKind as E
from dangvu.members.models import MemberStatus as S

START = dt.date(2010, 1, 1)
CELLS = [1, 2, 3]


def ev(kind, day, cell=None, value=""):
    return SimpleNamespace(kind=kind, effective_on=day, cell_id=cell, value=value, pk=None)


event_strategy = st.tuples(
    st.sampled_from(list(E.values)),
    st.integers(min_value=0, max_value=5000),
    st.sampled_from([None, *CELLS]),
    st.sampled_from(["", "Khiển trách", "Cảnh cáo", "Cách chức", "12345678", "30", "40", "7"]),
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
    for p in periods:
        assert p.status in (S.PROBATIONARY, S.OFFICIAL)


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


def test_probationary_member_cannot_be_expelled_or_dismissed():
    periods, state = replay([ev(E.ADMITTED, START, 1)])
    with pytest.raises(DomainError):
        apply(state, ev(E.EXPELLED, START + dt.timedelta(days=30)))
    with pytest.raises(DomainError):
        apply(state, ev(E.DISCIPLINED, START + dt.timedelta(days=30), value="Cách chức"))


def test_cards_only_for_official_members_and_badges_only_on_milestones():
    _, state = replay([ev(E.ADMITTED, START, 1)])
    with pytest.raises(DomainError):
        apply(state, ev(E.CARD_ISSUED, START + dt.timedelta(days=10), value="12345678"))
    _, state = replay([ev(E.ADMITTED, START, 1), ev(E.MADE_OFFICIAL, START + dt.timedelta(days=366))])
    assert apply(state, ev(E.CARD_ISSUED, START + dt.timedelta(days=400), value="12345678")).card_number == "12345678"
    with pytest.raises(DomainError):
        apply(state, ev(E.BADGE_AWARDED, START + dt.timedelta(days=400), value="7"))
    assert 30 in BADGE_MILESTONES


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
