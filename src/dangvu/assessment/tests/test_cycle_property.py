"""Property: whatever the sequence of decisions, the ratings stored never exceed the cap on "excellent"
nor a hard limit under the scale in force; a decision is accepted exactly when the rules, applied
independently here to the state it would leave, allow it; a refused one changes nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu import regulations as R
from dangvu.assessment.models import Rating
from dangvu.assessment.services import RatingDecision, cycle_open, ratings_decide
from dangvu.core.errors import DomainError
from dangvu.members.services import member_record_event

D = dt.date
KEYS = ("excellent", "good", "completed", "not_completed")
RANK = {k: i for i, k in enumerate(KEYS)}


def _allowed(rules, state: dict, disciplined: set, points: dict) -> bool:
    """The rules of domain-rules §7, written again: the cap over the members' group, discipline, points."""
    counts = Counter(state.values())
    if not rules.cap_allows(R.GROUPS[2], counts["good"], counts["excellent"]):
        return False
    for i, key in state.items():
        if i in disciplined and RANK[key] < RANK["not_completed"]:
            return False
        if rules.scale.has_points and RANK[key] < RANK[rules.scale.level_for_points(points[i]).key]:
            return False
    return True


decision = st.tuples(st.integers(0, 9), st.sampled_from(KEYS), st.integers(0, 100))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.sampled_from([2018, 2020, 2024, 2025]), disciplined=st.sets(st.integers(0, 9), max_size=3),
       batches=st.lists(st.lists(decision, min_size=1, max_size=8, unique_by=lambda d: d[0]), min_size=1, max_size=8))
def test_no_sequence_of_decisions_exceeds_the_cap_or_a_hard_limit(tree, rated, year, disciplined, batches):
    members = rated["members"]
    rules = R.assessment_rules(year)
    with transaction.atomic():
        cycle = rated["cycles"].get(("X01", year)) or cycle_open(organization=tree["X01"], year=year,
                                                                  opened_on=D(year, 11, 1))
        for i in disciplined:
            member_record_event(members[i], kind="disciplined", effective_on=D(year, 3, 1), value="reprimand")
        state: dict[int, str] = {}
        points: dict[int, int] = {}
        for batch in batches:
            new_state = {**state, **{i: key for i, key, _p in batch}}
            new_points = {**points, **{i: p for i, _k, p in batch}}
            want = _allowed(rules, new_state, disciplined, new_points)
            try:
                ratings_decide(cycle=cycle, decided_on=D(year, 12, 20), decisions=[
                    RatingDecision(member=members[i], key=key, points=p if rules.scale.has_points else None)
                    for i, key, p in batch])
                accepted = True
            except DomainError as exc:
                accepted = False
                assert exc.field in ("key",), exc.message
            assert accepted == want, (batch, state)
            if accepted:
                state, points = new_state, new_points
            stored = dict(Rating.objects.filter(year=year).values_list("member_id", "key"))
            assert stored == {members[i].pk: key for i, key in state.items()}
            assert _allowed(rules, state, disciplined, points)
        transaction.set_rollback(True)
