"""The votes of an admission: two thirds of the cell's official members, the committee's, failed votes."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.admission import services as C
from dangvu.admission.models import CandidateStage, StepKind
from dangvu.admission.tests.candidate_steps import D, propose, refused, to_dossier

pytestmark = pytest.mark.django_db

St = CandidateStage
K = StepKind


def test_cell_vote_needs_two_thirds_of_official_members_not_of_those_present(tree, introducers):
    c = propose(tree["C01"])
    to_dossier(c, introducers)
    vote = lambda v: lambda: C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=v)  # noqa: E731
    exc = refused(c, vote(C.Vote(6, 6, 3)), code="vote.below_threshold", field="votes_for")
    assert "2/3" in exc.message
    refused(c, vote(C.Vote(9, 6, 5)), code="vote.below_threshold")  # 5 of 6 present, but 5 of 9 members
    refused(c, vote(C.Vote(7, 7, 4)), code="vote.below_threshold")  # 4/7 < 2/3
    refused(c, vote(C.Vote(5, 4, 5)), field="votes_present")  # more in favour than present
    C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(7, 6, 4, excluded=1))  # exempted left out: 4/6
    step = c.steps.get(kind=K.CELL_VOTE)
    assert (step.votes_due, step.votes_excluded, step.votes_present, step.votes_for) == (7, 1, 6, 4)


def test_exactly_two_thirds_passes_and_the_committee_needs_two_thirds_of_its_members(tree, introducers):
    c = propose(tree["C01"])
    to_dossier(c, introducers)
    C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(9, 7, 6))
    refused(c, lambda: C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 5)),
            code="vote.below_threshold", field="votes_for")
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 6, 6))
    assert c.stage == St.COMMITTEE_APPROVED


def test_a_failed_vote_is_recorded_as_a_rejection_and_three_call_for_a_referral(tree, introducers):
    c = propose(tree["C01"])
    to_dossier(c, introducers)
    refused(c, lambda: C.candidate_reject(c, on=D(2024, 4, 20), reason="x", vote=C.Vote(6, 6, 5)),
            field="votes_for")  # the vote passes: not a rejection
    for n, day in enumerate((D(2024, 4, 20), D(2024, 5, 20), D(2024, 6, 20)), start=1):
        step = C.candidate_reject(c, on=day, reason="Chưa đủ phiếu", vote=C.Vote(6, 6, 3))
        assert (c.stage, step.passed, step.payload["failed_votes"]) == (St.SYMPATHIZER, False, n)
        assert bool(step.payload.get("referral_due")) is (n >= 3)
        C.candidate_complete_dossier(c, on=day + dt.timedelta(days=5))


def test_the_registry_suggests_leaving_out_the_exempted_and_the_suspended_members(tree, make_member):
    """A chi bộ vote's figures from the registry: the official members of the cell that day, those exempted or
    suspended from activities left out of the count once each (the rules' `vote_denominator_excludes`)."""
    from dangvu.admission.selectors import cell_vote_counts
    from dangvu.members.services import member_record_event

    ms = [make_member(tree["C01"], made_official_on=D(2016, 5, 19), birth_date=D(1950, 1, 1)) for _i in range(5)]
    member_record_event(ms[0], kind="exempted", effective_on=D(2023, 1, 2), value="age")
    member_record_event(ms[1], kind="suspended", effective_on=D(2024, 3, 1), value="investigation")
    member_record_event(ms[2], kind="exempted", effective_on=D(2023, 1, 2), value="age")
    member_record_event(ms[2], kind="suspended", effective_on=D(2024, 3, 1), value="prosecution")
    assert cell_vote_counts(tree["C01"], D(2024, 4, 20)) == {"official": 5, "exempted": 2, "suspended": 2,
                                                             "excluded": 3}
    assert cell_vote_counts(tree["C01"], D(2024, 2, 1))["excluded"] == 2  # not suspended yet
