"""Candidates for admission (người vào Đảng): one function per step, each one transaction.

quần chúng ưu tú → lớp bồi dưỡng nhận thức về Đảng (certificate) → cảm tình đảng → the admission
file (documents 1-KNĐ …, background check, introducers, comments) → chi bộ vote → đảng ủy cơ sở
vote → admission decision → lễ kết nạp, when the candidate becomes a member
(`members.services.member_register`, in the same transaction; a readmission, kết nạp lại, is
recorded on the former member's own record by `members.services.member_readmit`).

Every step checks the rule set in force on its own date (`regulations.rules_on(day)`), so that a 2019
admission is checked against the rules of 2019, and is written as one `CandidateStep` row (never
updated) with the regulation, the votes, the decision, the owner and due date it had, and who
recorded it. A refusal raises `DomainError` (a `regulations.RuleViolation` when a Party rule refuses)
with every reason, and nothing is written. The cached columns of `Candidate` (stage, pending
step, owner, due date) are updated here and only here.
"""

from dangvu.organizations.services import Vote

from .decision import (
    candidate_assign,
    candidate_cell_vote,
    candidate_close,
    candidate_committee_vote,
    candidate_complete_dossier,
    candidate_decide,
    candidate_hold_ceremony,
    candidate_reject,
)
from .proposal import (
    BACKGROUND_RESULTS,
    STEP_DOCUMENTS,
    UNION_INTRODUCERS,
    IntroducerInput,
    candidate_accept_sympathizer,
    candidate_propose,
    candidate_record_background_check,
    candidate_record_comments,
    candidate_record_course,
    candidate_record_document,
    candidate_record_introducers,
)

__all__ = [
    "BACKGROUND_RESULTS", "STEP_DOCUMENTS", "UNION_INTRODUCERS", "IntroducerInput", "Vote",
    "candidate_accept_sympathizer", "candidate_assign", "candidate_cell_vote", "candidate_close",
    "candidate_committee_vote", "candidate_complete_dossier", "candidate_decide", "candidate_hold_ceremony",
    "candidate_propose", "candidate_record_background_check", "candidate_record_comments",
    "candidate_record_course", "candidate_record_document", "candidate_record_introducers", "candidate_reject",
]
