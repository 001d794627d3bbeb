"""Candidates for admission: the whole path to an admitted member, each refusal (nothing changed),
votes, deadlines in working days, the overdue list, the web pages, the API against its schema, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dangvu.admission import selectors as S
from dangvu.admission import services as C
from dangvu.admission.models import Candidate, CandidateDocument, CandidateStage, CandidateStep, StepKind
from dangvu.core.calendar import add_working_days
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEvent, MemberEventKind
from dangvu.members.services import member_record_event
from dangvu.organizations.services import Decision

pytestmark = pytest.mark.django_db

D = dt.date
PASSWORD = "Mat-khau-an-toan-2026"
St = CandidateStage
K = StepKind


def propose(cell, **kw) -> Candidate:
    kw.setdefault("full_name", "Vàng Thị Mai")
    kw.setdefault("birth_date", D(2000, 3, 15))
    kw.setdefault("sex", "F")
    kw.setdefault("ethnicity", "Mông")
    kw.setdefault("proposed_on", D(2024, 1, 10))
    return C.candidate_propose(cell=cell, **kw)


def to_sympathizer(c, *, course_on=None, on=None):
    course_on, on = course_on or D(2024, 2, 20), on or D(2024, 3, 1)
    C.candidate_record_course(c, issued_on=course_on, certificate_number="12/CN", issued_by="Trung tâm chính trị")
    C.candidate_accept_sympathizer(c, on=on)


def fill_file(c, people, *, on=None):
    on = on or D(2024, 3, 5)
    C.candidate_record_document(c, key="1-KNĐ", received_on=on)
    C.candidate_record_document(c, key="biography", received_on=on + dt.timedelta(days=5))
    C.candidate_record_background_check(c, on=on + dt.timedelta(days=20), result="clear", checked_by="Chi ủy")
    C.candidate_record_introducers(c, on=on + dt.timedelta(days=25),
                                   introducers=[C.IntroducerInput(p, 24) for p in people])
    C.candidate_record_comments(c, on=on + dt.timedelta(days=30), from_organizations="Đoàn xã: tốt",
                                from_residence="Chi bộ bản: tốt")


def to_dossier(c, people):
    to_sympathizer(c)
    fill_file(c, people)
    C.candidate_complete_dossier(c, on=D(2024, 4, 15))


def to_cell_approved(c, people):
    to_dossier(c, people)
    C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 4))


def snapshot(c: Candidate) -> tuple:
    """Everything a refusal must leave unchanged."""
    c.refresh_from_db()
    return (c.stage, c.stage_since, c.due_on, c.next_step, c.owner_org_id, c.steps.count(), c.documents.count(),
            Member.objects.count(), MemberEvent.objects.count(), LogEntry.objects.count())


def refused(c, call, *, code=None, field=None) -> DomainError:
    before = snapshot(c)
    with pytest.raises(DomainError) as info:
        call()
    assert snapshot(c) == before, "a refusal changed something"
    if code is not None:
        assert info.value.code == code, (info.value.code, info.value.message)
    if field is not None:
        assert info.value.field == field, (info.value.field, info.value.message)
    return info.value


# --- The whole path ----------------------------------------------------------------------------------


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
        D(2024, 6, 20), "125-QĐ/HU", D(2024, 6, 3), "Đảng bộ huyện Mường Lay")
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
    assert on_file["committee_resolution"].held_by == "Đảng bộ xã Nà Hỳ"
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


# --- Refusals (each with its reason; nothing changed) --------------------------------------------------


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


def test_the_file_must_be_complete_and_the_background_check_clear(tree, introducers):
    c = propose(tree["C01"])
    to_sympathizer(c)
    refused(c, lambda: C.candidate_record_background_check(c, on=D(2024, 3, 10), result="clear"), field="result")
    C.candidate_record_document(c, key="2-KNĐ", received_on=D(2024, 3, 5), held_by="Chi ủy chi bộ bản Nà Hỳ 1")
    C.candidate_record_background_check(c, on=D(2024, 3, 10), result="issues")
    exc = refused(c, lambda: C.candidate_complete_dossier(c, on=D(2024, 4, 15)), code="admission.document_missing")
    assert "1-KNĐ" in exc.message and "5-KNĐ" in exc.message and "03/2024" in exc.message
    refused(c, lambda: C.candidate_record_document(c, key="6-KNĐ", received_on=D(2024, 3, 6)), field="key")
    # Who holds what: a later row hands the paper on; the checklist shows the latest.
    C.candidate_record_document(c, key="2-KNĐ", received_on=D(2024, 3, 20), held_by="Văn phòng Đảng ủy xã")
    assert S.current_documents(c)["biography"].held_by == "Văn phòng Đảng ủy xã"
    assert c.documents.filter(key="biography").count() == 2


def test_an_expired_certificate_stops_the_file_until_a_new_course(tree, introducers):
    c = propose(tree["C01"], proposed_on=D(2019, 1, 10))
    to_sympathizer(c, course_on=D(2019, 3, 1), on=D(2019, 4, 1))
    assert c.certificate_expires_on == D(2024, 2, 29)
    fill_file(c, introducers)
    refused(c, lambda: C.candidate_complete_dossier(c, on=D(2024, 4, 15)), code="admission.certificate_expired")
    refused(c, lambda: C.candidate_record_course(c, issued_on=D(2024, 1, 10)), field="issued_on")
    C.candidate_record_course(c, issued_on=D(2024, 3, 10))
    assert c.stage == St.AWARENESS_COURSE_DONE and c.certificate_expires_on == D(2029, 3, 9)
    expired = c.steps.get(kind=K.CERTIFICATE_EXPIRED)
    assert (expired.effective_on, expired.stage_before, expired.stage_after) == (
        D(2024, 3, 1), St.SYMPATHIZER, St.OUTSTANDING_MASS)


def test_steps_out_of_order_or_in_the_future_are_refused(tree, introducers):
    c = propose(tree["C01"])
    refused(c, lambda: C.candidate_accept_sympathizer(c, on=D(2024, 3, 1)))  # no course yet
    to_sympathizer(c)
    future = timezone.localdate() + dt.timedelta(days=1)
    refused(c, lambda: C.candidate_record_comments(c, on=future, from_organizations="x", from_residence="y"),
            field="effective_on")
    refused(c, lambda: C.candidate_decide(c, decision=Decision("9-QĐ", D(2024, 5, 1))))  # before the chi bộ vote


def test_decision_dated_before_the_cell_vote_is_refused(tree, introducers):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    exc = refused(c, lambda: C.candidate_committee_vote(c, on=D(2024, 4, 18), vote=C.Vote(9, 9, 9)),
                  field="effective_on")
    assert "20/04/2024" in exc.message
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    exc = refused(c, lambda: C.candidate_decide(c, decision=Decision("9-QĐ", D(2024, 4, 19))), field="decision_date")
    assert "20/04/2024" in exc.message  # names the chi bộ vote, the first step it would precede
    refused(c, lambda: C.candidate_decide(c, decision=Decision("", D(2024, 6, 1))), field="decision_number")


def test_ceremony_with_a_member_code_already_used_is_refused_and_no_member_is_created(tree, introducers):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)))
    refused(c, lambda: C.candidate_hold_ceremony(c, on=D(2024, 6, 20), member_code=introducers[0].code),
            field="member_code")
    refused(c, lambda: C.candidate_hold_ceremony(c, on=D(2024, 6, 1), member_code="KN9"), field="effective_on")


def test_readmission_checks_the_waiting_time_on_the_day_of_the_vote(tree, introducers, make_member):
    former = make_member(tree["C01"], name="Tòng Văn Cũ", admitted_on=D(2013, 1, 5), made_official_on=D(2014, 1, 5))
    with pytest.raises(DomainError) as info:  # a member still in the Party is not readmitted
        propose(tree["C01"], former_member=introducers[0])
    assert info.value.field == "former_member" and not Candidate.objects.exists()
    member_record_event(former, kind="removed", effective_on=D(2022, 1, 1))
    c = propose(tree["C01"], full_name="Tòng Văn Cũ", birth_date=D(1980, 1, 1), former_member=former)
    to_dossier(c, introducers)
    exc = refused(c, lambda: C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 5)),
                  code="readmission.too_soon")
    assert "01/01/2025" in exc.message


# --- Votes -----------------------------------------------------------------------------------------------


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


# --- Deadlines in working days ---------------------------------------------------------------------------


def test_time_limits_are_counted_in_working_days_without_holidays(tree, introducers):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    # 60 working days from the chi bộ resolution, skipping 30/4 and 1/5.
    assert c.due_on == D(2024, 7, 16) == add_working_days(D(2024, 4, 20), 60)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    assert c.due_on == D(2024, 7, 16)
    other = propose(tree["C02"], full_name="Lò Thị Năm")
    to_dossier(other, introducers)
    C.candidate_cell_vote(other, on=D(2024, 12, 2), vote=C.Vote(5, 5, 5))
    C.candidate_committee_vote(other, on=D(2024, 12, 20), vote=C.Vote(9, 9, 9))
    C.candidate_decide(other, decision=Decision("7-QĐ/HU", D(2025, 1, 17)), received_on=D(2025, 1, 20))
    # 30 working days from receiving the decision, skipping Tết 2025 (25/01–02/02): 10/03, not 03/03.
    assert other.due_on == D(2025, 3, 10)
    assert other.steps.get(kind=K.DECISION).regulation == "QĐ 24-QĐ/TW"


def test_a_decision_after_the_time_limit_needs_the_reason_and_is_flagged_late(tree, introducers):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    exc = refused(c, lambda: C.candidate_decide(c, decision=Decision("9-QĐ", D(2024, 7, 17))),
                  code="deadline.passed", field="late_reason")
    assert "16/07/2024" in exc.message and "60" in exc.message
    step = C.candidate_decide(c, decision=Decision("9-QĐ", D(2024, 7, 17)), late_reason="Chờ thẩm tra bổ sung")
    assert (step.late, step.due_on, step.payload["late_reason"]) == (True, D(2024, 7, 16), "Chờ thẩm tra bổ sung")


def test_a_ceremony_after_the_time_limit_needs_the_reason_and_is_flagged_late(tree, introducers):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)), received_on=D(2024, 6, 5))
    assert c.due_on == D(2024, 7, 17)
    refused(c, lambda: C.candidate_hold_ceremony(c, on=D(2024, 7, 18), member_code="KN1"), code="deadline.passed")
    step = C.candidate_hold_ceremony(c, on=D(2024, 7, 18), member_code="KN1", late_reason="Mưa lũ")
    assert step.late and Member.objects.filter(code="KN1").exists()


# --- Overdue, board, assignment --------------------------------------------------------------------------


def test_overdue_list_shows_pending_steps_past_their_due_date_within_scope(tree, introducers, make_user):
    late = propose(tree["C01"])
    to_cell_approved(late, introducers)  # decision due 16/07/2024: overdue now
    fresh = propose(tree["C02"], full_name="Lò Thị Năm")  # nothing due yet
    organizer = make_user("bantc", tree["H01"], "organizer")
    today = timezone.localdate()
    assert list(S.overdue_candidates(organizer, today)) == [late]
    board = S.candidate_board(organizer, today)
    assert (board["total"], board["overdue"]) == (2, 1)
    columns = {col["stage"]: [c.pk for c in col["candidates"]] for col in board["columns"]}
    assert columns[St.CELL_APPROVED] == [late.pk] and columns[St.OUTSTANDING_MASS] == [fresh.pk]
    other = make_user("bt.c02", tree["C02"], "secretary")
    assert list(S.overdue_candidates(other, today)) == []
    assert S.overdue_candidates(organizer, D(2024, 7, 16)).count() == 0  # on the due day itself: not yet


def test_the_pending_step_can_be_assigned_to_someone_who_can_record_it(tree, introducers, make_user):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    committee_secretary = make_user("bt.x01", tree["X01"], "secretary")
    cell_secretary = make_user("bt.c01", tree["C01"], "secretary")
    refused(c, lambda: C.candidate_assign(c, user=cell_secretary), field="user")
    step = C.candidate_assign(c, user=committee_secretary)
    assert c.assignee == committee_secretary and step.owner_user == committee_secretary
    assert committee_secretary in S.assignable_users(c) and cell_secretary not in S.assignable_users(c)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    assert c.assignee is None  # a stage change ends the assignment


def test_todo_lists_a_candidate_whose_step_is_overdue_with_who_must_act(tree, make_user):
    organizer = make_user("bantochuc", tree["H01"], role="organizer")
    today = timezone.localdate()
    c = C.candidate_propose(cell=tree["C01"], proposed_on=dt.date(2020, 12, 1), full_name="Vàng Thị Mai",
                            birth_date=dt.date(2000, 3, 15), sex="F", ethnicity="Mông")
    C.candidate_record_course(c, issued_on=dt.date(2021, 1, 5), certificate_number="12/CN", issued_by="Trung tâm")
    c.refresh_from_db()
    due = list(S.candidate_steps_due(organizer, today))
    assert [x.pk for x in due] == [c.pk] and due[0].due_on < today
    assert (due[0].owner_org, due[0].owner_role) == (tree["C01"], "secretary")
    assert not S.candidate_steps_due(organizer, dt.date(2021, 1, 6), horizon_days=30).exists()
