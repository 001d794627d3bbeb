"""Candidates for admission: the whole path from outstanding mass to admitted member, and a grassroots
cell's (its vote goes to the decision)."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from dangvu.admission import selectors as S
from dangvu.admission import services as C
from dangvu.admission.models import Candidate, CandidateDocument, CandidateStage, CandidateStep, StepKind
from dangvu.admission.tests.candidate_steps import (
    D,
    fill_file,
    propose,
    refused,
    to_cell_approved,
    to_sympathizer,
)
from dangvu.core.calendar import add_working_days
from dangvu.members.models import Member, MemberEventKind
from dangvu.organizations.services import Decision

pytestmark = pytest.mark.django_db

St = CandidateStage
K = StepKind


def test_whole_path_from_outstanding_mass_to_admitted_member(tree, introducers):
    c = propose(tree["C01"], national_id_number="001300000123", occupation="Giáo viên", phone="0912000111")
    assert (c.stage, c.next_step, c.owner_org, c.owner_role) == (St.OUTSTANDING_MASS, K.AWARENESS_COURSE,
                                                                 tree["C01"], "secretary")
    to_sympathizer(c)
    assert c.stage == St.SYMPATHIZER and c.certificate_expires_on == D(2029, 2, 19)
    assert c.due_on == D(2029, 2, 19)  # until the chi bộ votes, the certificate's validity is the limit
    fill_file(c, introducers)
    C.candidate_complete_dossier(c, on=D(2024, 4, 15))
    C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 4))
    assert (c.stage, c.next_step, c.owner_org, c.owner_role) == (St.CELL_APPROVED, K.COMMITTEE_VOTE, tree["X01"],
                                                                 "secretary")
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 8, 7))
    assert (c.next_step, c.owner_org, c.owner_role) == (K.DECISION, tree["H01"], "organizer")
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)), received_on=D(2024, 6, 5))
    assert (c.stage, c.next_step, c.owner_org) == (St.ADMISSION_DECIDED, K.CEREMONY, tree["C01"])
    step = C.candidate_hold_ceremony(c, on=D(2024, 6, 20), member_code="KN0001")

    member = Member.objects.get(code="KN0001")
    assert c.member == member and c.stage == St.ADMITTED and c.next_step == "" and c.due_on is None
    assert (member.full_name, member.cell, member.status, member.admitted_on) == (
        "Vàng Thị Mai", tree["C01"], "probationary", D(2024, 6, 20))
    assert (member.national_id_number, member.occupation, member.phone, member.ethnicity) == (
        "001300000123", "Giáo viên", "0912000111", c.ethnicity)
    admitted = member.events.get(kind=MemberEventKind.ADMITTED)
    assert (admitted.effective_on, admitted.decision_number, admitted.decision_date, admitted.issued_by) == (
        D(2024, 6, 20), "125-QĐ/HU", D(2024, 6, 3), "Huyện ủy Mường Lay")  # the committee
    assert step.payload["member_biography_due"] == add_working_days(D(2024, 6, 20), 30).isoformat()

    # Every step is its own row, in order, with the rules of its date; nothing was overwritten.
    kinds = list(c.steps.order_by("effective_on", "id").values_list("kind", "stage_after"))
    assert [k for k, _ in kinds] == [
        K.PROPOSED, K.AWARENESS_COURSE, K.SYMPATHIZER, K.BACKGROUND_CHECK, K.INTRODUCERS, K.COMMENTS,
        K.DOSSIER_COMPLETE, K.CELL_VOTE, K.COMMITTEE_VOTE, K.DECISION, K.CEREMONY]
    assert [s for _, s in kinds][-1] == St.ADMITTED
    assert set(c.steps.values_list("regulation", flat=True)) == {"QĐ 24-QĐ/TW"}
    vote = c.steps.get(kind=K.CELL_VOTE)
    assert (vote.votes_due, vote.votes_present, vote.votes_for, vote.passed) == (5, 5, 4, True)
    # The admission file: every document with its date and holder.
    on_file = S.current_documents(c)
    assert {"awareness_certificate", "application", "biography", "introduction", "comments_summary",
            "cell_resolution", "committee_resolution", "admission_decision"} <= set(on_file)
    assert on_file["committee_resolution"].held_by == "Đảng ủy xã Nà Hỳ"
    assert all(row["record"] is not None for row in S.checklist(c, D(2024, 6, 20)))
    # Audited: the candidate, its steps and documents.
    for model in (Candidate, CandidateStep, CandidateDocument):
        assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).exists()


def test_a_grassroots_cell_goes_from_its_vote_to_the_decision(tree, make_member):
    people = [make_member(tree["X02"], name="Hà Văn Ba", made_official_on=D(2016, 5, 19)),
              make_member(tree["X02"], name="Hà Văn Tư", made_official_on=D(2016, 5, 19))]
    c = propose(tree["X02"])
    to_cell_approved(c, people)
    assert (c.next_step, c.owner_org) == (K.DECISION, tree["H01"])
    refused(c, lambda: C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9)))
    refused(c, lambda: C.candidate_decide(c, decision=Decision("1-QĐ", D(2024, 5, 2)), delegated=True),
            field="delegated")
    C.candidate_decide(c, decision=Decision("1-QĐ", D(2024, 5, 2)))
    assert c.stage == St.ADMISSION_DECIDED
