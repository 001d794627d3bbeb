"""The time limits of an admission, in working days without holidays: a late decision or ceremony needs
its reason and is flagged."""

from __future__ import annotations

import pytest

from dangvu.admission import services as C
from dangvu.admission.models import StepKind
from dangvu.admission.tests.candidate_steps import D, propose, refused, to_cell_approved, to_dossier
from dangvu.core.calendar import add_working_days
from dangvu.members.models import Member
from dangvu.organizations.services import Decision

pytestmark = pytest.mark.django_db

K = StepKind


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
