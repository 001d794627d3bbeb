"""Candidates refused for their file and the order of the steps (each refusal with its reason, nothing
changed): the file complete and checked, the awareness certificate, dates, the member code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangvu.admission import selectors as S
from dangvu.admission import services as C
from dangvu.admission.models import CandidateStage, StepKind
from dangvu.admission.tests.candidate_steps import (
    D,
    fill_file,
    propose,
    refused,
    to_cell_approved,
    to_sympathizer,
)
from dangvu.organizations.services import Decision

pytestmark = pytest.mark.django_db

St = CandidateStage
K = StepKind


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


def test_a_document_without_a_form_code_is_named_by_its_label_not_its_key(tree):
    """The certificate of the awareness course has no form code: 'Đã ghi: awareness_certificate …' was shown."""
    from django.utils import translation

    c = propose(tree["C01"])
    to_sympathizer(c)
    with translation.override("vi"):
        doc = C.candidate_record_document(c, key="awareness_certificate", received_on=D(2024, 3, 5))
        assert str(doc) == "giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng 05/03/2024"
        doc = C.candidate_record_document(c, key="1-KNĐ", received_on=D(2024, 3, 6))
        assert str(doc) == "1-KNĐ 06/03/2024"
