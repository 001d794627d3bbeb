"""Members suspended from party activities (đình chỉ sinh hoạt đảng) on the assessment's reference day are not
rated, where the exempted ones are handled: the decision and the chi bộ's proposals refuse them, the sheet says
why, the progress and the to-do do not count them among those to rate."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.assessment import selectors
from dangvu.assessment.services import (
    Proposal,
    RatingDecision,
    RowRefusals,
    cell_reviews_record,
    ratings_decide,
)
from dangvu.core.errors import DomainError
from dangvu.members.services import member_record_event

D = dt.date
VOTE = {"comment": "Chi bộ thống nhất", "votes_due": 6, "votes_present": 6}


def _suspend(member, on, lifted=None):
    member_record_event(member, kind="suspended", effective_on=on, value="investigation")
    if lifted:
        member_record_event(member, kind="suspension_lifted", effective_on=lifted)


def test_a_member_suspended_on_the_reference_day_is_not_rated_with_the_reason(rated, tree):
    cycle, members = rated["cycles"][("X01", 2024)], rated["members"]
    _suspend(members[0], D(2024, 9, 1))
    _suspend(members[1], D(2024, 2, 1), lifted=D(2024, 6, 1))  # lifted before the year's end: rated
    with pytest.raises(DomainError) as exc:
        ratings_decide(cycle=cycle, decided_on=D(2024, 12, 20), decisions=[RatingDecision(member=members[0], key="good")])
    assert exc.value.code == "assessment.not_rated_suspended" and exc.value.field == "member"
    [rating] = ratings_decide(cycle=cycle, decided_on=D(2024, 12, 20),
                              decisions=[RatingDecision(member=members[1], key="good")])
    assert rating.key == "good"
    with pytest.raises(RowRefusals) as exc:
        cell_reviews_record(cycle=cycle, cell=tree["C01"], effective_on=D(2024, 12, 1),
                            proposals=[Proposal(member=members[0], key="good", votes_for=6)], **VOTE)
    assert exc.value.rows[0][0].code == "assessment.not_rated_suspended"
    sheet = selectors.cell_sheet(cycle, tree["C01"], D(2024, 12, 2))
    reasons = {row.member.pk: row.not_rated for row in sheet.rows}
    assert "đình chỉ sinh hoạt" in reasons[members[0].pk] and reasons[members[1].pk] is None


def test_a_suspension_begun_after_the_reference_day_does_not_count(rated, tree):
    cycle, m = rated["cycles"][("X01", 2024)], rated["members"][0]
    _suspend(m, D(2025, 1, 10))
    sheet = selectors.cell_sheet(cycle, tree["C01"], D(2024, 12, 2))
    assert next(r for r in sheet.rows if r.member == m).not_rated is None


def test_the_progress_and_the_to_do_leave_the_suspended_out_of_those_to_rate(rated, tree, make_user):
    user = make_user("bantochuc", tree["H01"])
    members = rated["members"]
    before = {g.code: (g.members, g.to_rate) for g in selectors.progress(user, 2024, D(2024, 12, 2))}
    due_before = {d.cycle.pk: d.members_pending for d in selectors.cycles_due(user, D(2024, 12, 2))}
    _suspend(members[0], D(2024, 9, 1))
    after = {g.code: (g.members, g.to_rate) for g in selectors.progress(user, 2024, D(2024, 12, 2))}
    assert after["X01"] == (before["X01"][0], before["X01"][1] - 1)
    cycle = rated["cycles"][("X01", 2024)]
    due = {d.cycle.pk: d.members_pending for d in selectors.cycles_due(user, D(2024, 12, 2))}
    assert due[cycle.pk] == due_before[cycle.pk] - 1
