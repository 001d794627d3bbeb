"""Candidates refused for who they are (each refusal with its reason, nothing changed): the age, the
introducers, the waiting time of a readmission."""

from __future__ import annotations

import pytest

from dangvu.admission import selectors as S
from dangvu.admission import services as C
from dangvu.admission.models import Candidate, CandidateStage
from dangvu.admission.tests.candidate_steps import D, propose, refused, to_dossier, to_sympathizer
from dangvu.core.errors import DomainError
from dangvu.members.services import member_record_event

pytestmark = pytest.mark.django_db

St = CandidateStage


def test_applicant_aged_17_years_11_months_is_refused_at_the_cell_vote(tree, introducers):
    c = propose(tree["C01"], birth_date=D(2006, 5, 10))
    to_dossier(c, introducers)
    exc = refused(c, lambda: C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 5)),
                  code="admission.too_young")
    assert "17" in exc.message and "11" in exc.message and "QĐ 24-QĐ/TW" in exc.message
    C.candidate_cell_vote(c, on=D(2024, 5, 10), vote=C.Vote(5, 5, 5))  # 18 full years that day
    assert c.stage == St.CELL_APPROVED


def test_applicant_over_60_needs_the_approval_of_the_competent_level(tree, introducers):
    c = propose(tree["C01"], birth_date=D(1963, 1, 1))
    to_dossier(c, introducers)
    refused(c, lambda: C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 5)), code="admission.too_old")
    step = C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 5), over_max_age_approved=True)
    assert step.payload == {"over_max_age_approved": True}


def test_probationary_introducer_is_refused(tree, introducers, make_member):
    newcomer = make_member(tree["C01"], name="Lường Văn Mới", admitted_on=D(2023, 6, 1))
    c = propose(tree["C01"])
    to_sympathizer(c)
    exc = refused(c, lambda: C.candidate_record_introducers(
        c, on=D(2024, 3, 20), introducers=[C.IntroducerInput(introducers[0], 24), C.IntroducerInput(newcomer, 24)]),
        code="admission.introducer_not_official", field="introducers")
    assert "2" in exc.message


def test_introducers_must_know_the_applicant_12_months_or_be_one_member_and_a_union(tree, introducers):
    c = propose(tree["C01"])
    to_sympathizer(c)
    refused(c, lambda: C.candidate_record_introducers(
        c, on=D(2024, 3, 20), introducers=[C.IntroducerInput(introducers[0], 24), C.IntroducerInput(introducers[1], 8)]),
        code="admission.introducer_short_acquaintance", field="introducers")
    refused(c, lambda: C.candidate_record_introducers(
        c, on=D(2024, 3, 20), introducers=[C.IntroducerInput(introducers[0], 24)], union_introducer="trade_union_committee",
        youth_union_at_unit=True), code="admission.union_introducer_not_allowed")
    refused(c, lambda: C.candidate_record_introducers(
        c, on=D(2024, 3, 20), introducers=[C.IntroducerInput(introducers[0], 24)]), code="admission.introducer_count")
    step = C.candidate_record_introducers(c, on=D(2024, 3, 20), introducers=[C.IntroducerInput(introducers[0], 24)],
                                          union_introducer="youth_union_committee", applicant_in_youth_union=True)
    on_file = S.current_documents(c)
    assert step.payload["union_introducer"] == "youth_union_committee"
    assert on_file["introduction"].form_code == "3A-KNĐ" and "union_resolution" in on_file


def test_an_introducer_who_left_the_party_since_is_refused_at_the_vote(tree, introducers):
    c = propose(tree["C01"])
    to_dossier(c, introducers)
    member_record_event(introducers[1], kind="died", effective_on=D(2024, 4, 17))
    refused(c, lambda: C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 5)),
            code="admission.introducer_not_official")


def test_readmission_checks_the_waiting_time_on_the_day_of_the_vote(tree, introducers, make_member):
    former = make_member(tree["C01"], name="Tòng Văn Cũ", admitted_on=D(2013, 1, 5), made_official_on=D(2014, 1, 5))
    with pytest.raises(DomainError) as info:  # a member still in the Party is not readmitted
        propose(tree["C01"], former_member=introducers[0])
    assert info.value.field == "former_member" and not Candidate.objects.exists()
    member_record_event(former, kind="removed", effective_on=D(2022, 1, 1))
    c = propose(tree["C01"], full_name="Tòng Văn Cũ", former_member=former)
    to_dossier(c, introducers)
    exc = refused(c, lambda: C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 5)),
                  code="readmission.too_soon")
    assert "01/01/2025" in exc.message
