"""Member lifecycle actions (nghiệp vụ đảng viên) checked against the rules in force on their date.

Each action is one transaction: it checks the rule set of `rules.rules_on(day)`, then records one
member event (biến động) through `members.services.member_record_event`, which replays the member's
history and audits the write. A refusal raises `DomainError` (a `rules.RuleViolation` when a Party
rule refuses) with a Vietnamese reason, and nothing is written.

Modules: `recognition` (and the card), `badges`, `party_age`, `discipline` (and its cases), `suspension`
(of party activities, and its lifting), `exits` (exemption, removal, resignation, death, restoration),
`checks` (shared by the actions).
"""

from __future__ import annotations

from .badges import BADGE_EVENT_KINDS, award_badge, badge_due, badge_due_from_events, badge_milestone_error
from .discipline import (
    close_discipline_case,
    discipline,
    discipline_forms_offered,
    open_case,
    open_discipline_case,
)
from .exits import (
    REMOVAL_GROUNDS,
    end_exemption,
    exempt,
    record_death,
    removal_ground_labels,
    remove,
    resign,
    restore_membership,
)
from .party_age import PartyAge, party_age, party_age_start, party_age_start_from
from .recognition import issue_card, recognize_official
from .suspension import lift_suspension, suspend

__all__ = [
    "BADGE_EVENT_KINDS",
    "PartyAge",
    "REMOVAL_GROUNDS",
    "award_badge",
    "badge_due",
    "badge_due_from_events",
    "badge_milestone_error",
    "close_discipline_case",
    "discipline",
    "discipline_forms_offered",
    "end_exemption",
    "exempt",
    "issue_card",
    "lift_suspension",
    "open_case",
    "open_discipline_case",
    "party_age",
    "party_age_start",
    "party_age_start_from",
    "recognize_official",
    "record_death",
    "removal_ground_labels",
    "remove",
    "resign",
    "restore_membership",
    "suspend",
]
