"""The Party's rules (quy định của Đảng) of a party member's life (vòng đời đảng viên), by regulation and effective date.

Pure Python: no database. Every number the Party's regulations fix (ages, introducers, time
limits, thresholds, badge milestones, disciplinary forms and their effects) is a field of a
frozen `RuleSet`; `REGULATIONS` holds one rule set per regulation implementing the Statute
(Quy định thi hành Điều lệ Đảng) in the order they took effect, and `rules_on(day)` gives the
set in force on a day, so that an admission of 2019 is checked against the rules of 2019.

Lineage (shared/docs/domain-rules.md §0): QĐ 29-QĐ/TW (25/7/2016) → QĐ 24-QĐ/TW (30/7/2021)
→ QĐ 232-QĐ/TW (20/01/2025, amends QĐ 24) → QĐ 294-QĐ/TW (issued 26/5/2025, in force
01/7/2025) → QĐ 20-QĐ/TW (08/4/2026) → QĐ 208-QĐ/TW (26/7/2026). The two 2026 regulations are
themselves UNCONFIRMED (no official text found); their rule sets repeat QĐ 294 except where the
doc reports a change, and carry ``confirmed=False``. Each rule set also lists the companion
documents (guidance, discipline regulations) in force during its period; where the doc quotes a
number only from such a document, `sources` says so.

What the doc marks UNCONFIRMED, gives from a secondary source, or cites only for another
regulation than the one in force is listed per rule set in `RuleSet.unconfirmed`, and for the
whole module in `UNCONFIRMED_FIELDS` (field → why). An administrator can override exactly those
(`rules_on(day, overrides)`); the Statute's own numbers (Điều lệ Đảng, not amended since 2011)
and numbers the doc reads in the regulation in force cannot be overridden.

The annual quality assessment (`assessment`): rating scales by period, the cap on "excellent",
the hard limits and who is not rated, per assessment regulation and year (`assessment_rules`).

Then the functions that apply the rules (ages in months, introducers, documents, votes,
probation, deadlines in working days, readmission, party age, badges, discipline, suspension,
exemption, temporary transfer) and the status machine of a person from outstanding mass to member and
beyond (`TRANSITIONS`, `apply`, `replay_actions`). Refusals carry a stable `code`, an English
message marked for translation and the params that fill it.

The package imports only `dangvu.core`: it sits below every domain app.
"""

from dangvu.core.dates import add_months, months_between

from .admission import (
    MAX_VOTERS,
    Introducer,
    admission_age_check,
    admission_documents_check,
    age_in_months,
    introducers_check,
    required_documents,
    vote_denominator,
    vote_passes,
)
from .assessment import (
    ASSESSMENT_REGULATIONS,
    ASSESSMENT_UNCONFIRMED_FIELDS,
    COMMON_KEY,
    COMMON_KEYS,
    GROUP_NAMES,
    GROUPS,
    KEY_NAMES,
    SCALES,
    AssessmentRules,
    Level,
    Scale,
    assessment_rules,
    cap_refusal,
    common_key,
    group_of,
    limit_refusals,
    not_rated_reason,
    proposal_vote_refusal,
    scale_for,
)
from .badges import (
    award_date_for,
    badge_due_on,
    badge_early_months,
    badge_start_limits,
    milestone_reached_on,
    nearest_award_occasion,
    next_badge,
)
from .citations import (
    QD_20,
    QD_24,
    QD_29,
    QD_208,
    QD_232,
    QD_294,
)
from .discipline import (
    REMOVAL_GROUNDS,
    allowed_discipline_forms,
    decided_by_cell,
    discipline_authority_check,
    discipline_check,
    discipline_lapses_on,
    exemption_check,
    limitation_expires_on,
    removal_ground_labels,
    suspension_check,
    suspension_terms_check,
    temporary_exemption_check,
    temporary_transfer_check,
    transfer_discipline_check,
    violation_date_check,
)
from .in_force import (
    QD20_2026,
    QD24_2021,
    QD29_2016,
    QD208_2026,
    QD232_2025,
    QD294_2025,
    REGULATIONS,
    UNCONFIRMED_FIELDS,
    rules_on,
)
from .labels import (
    AUTHORITY_LABELS,
    COUNTED_FROM_LABELS,
    DISCIPLINE_FORM_LABELS,
    DISCIPLINE_FORM_NAMES_VI,
    EXEMPTION_GROUND_LABELS,
    MEMBER_STATUS_LABELS,
    PROTECTED_CONDITION_LABELS,
    READMISSION_BAR_LABELS,
    RULE_LABELS,
    RULE_VALUE_LABELS,
    SUSPENSION_REASON_LABELS,
    TRANSFER_PURPOSE_LABELS,
    UNIT_LABELS,
)
from .machine import (
    ACTION_LABELS,
    DISCIPLINE_ACTIONS,
    ENDED_STAGES,
    MEMBER_STAGES,
    STAGE_LABELS,
    TRANSITIONS,
    Action,
    Stage,
    apply,
    replay_actions,
)
from .membership import (
    CARD_NUMBER_DIGITS,
    card_number_check,
    deadline,
    official_date,
    probation_end,
    readmission_check,
    recognition_check,
    recognition_deadline,
    recognition_decision_late_check,
    recognition_late_check,
)
from .party_age import (
    Gap,
    party_age_days,
    party_age_months,
    party_age_start,
    party_age_years,
)
from .refusals import (
    MonthsSpan,
    Refusal,
    RuleViolation,
    raise_refusals,
)
from .ruleset import (
    DEADLINE_KEYS,
    IDENTITY_FIELDS,
    META_FIELDS,
    PARAMETER_FIELDS,
    AdmissionDocument,
    Deadline,
    RuleSet,
    Unit,
)

__all__ = [
    "ASSESSMENT_REGULATIONS",
    "ASSESSMENT_UNCONFIRMED_FIELDS",
    "AssessmentRules",
    "CARD_NUMBER_DIGITS",
    "COMMON_KEY",
    "COMMON_KEYS",
    "GROUPS",
    "GROUP_NAMES",
    "KEY_NAMES",
    "Level",
    "SCALES",
    "Scale",
    "assessment_rules",
    "cap_refusal",
    "common_key",
    "group_of",
    "limit_refusals",
    "not_rated_reason",
    "proposal_vote_refusal",
    "scale_for",
    "ACTION_LABELS",
    "AUTHORITY_LABELS",
    "Action",
    "AdmissionDocument",
    "DEADLINE_KEYS",
    "DISCIPLINE_ACTIONS",
    "DISCIPLINE_FORM_LABELS",
    "DISCIPLINE_FORM_NAMES_VI",
    "COUNTED_FROM_LABELS",
    "RULE_LABELS",
    "RULE_VALUE_LABELS",
    "UNIT_LABELS",
    "Deadline",
    "ENDED_STAGES",
    "EXEMPTION_GROUND_LABELS",
    "Gap",
    "IDENTITY_FIELDS",
    "Introducer",
    "MEMBER_STAGES",
    "MEMBER_STATUS_LABELS",
    "META_FIELDS",
    "MonthsSpan",
    "PARAMETER_FIELDS",
    "PROTECTED_CONDITION_LABELS",
    "QD208_2026",
    "QD20_2026",
    "QD232_2025",
    "QD24_2021",
    "QD294_2025",
    "QD29_2016",
    "QD_20",
    "QD_208",
    "QD_232",
    "QD_24",
    "QD_29",
    "QD_294",
    "READMISSION_BAR_LABELS",
    "REMOVAL_GROUNDS",
    "REGULATIONS",
    "Refusal",
    "RuleSet",
    "RuleViolation",
    "STAGE_LABELS",
    "SUSPENSION_REASON_LABELS",
    "Stage",
    "TRANSFER_PURPOSE_LABELS",
    "TRANSITIONS",
    "UNCONFIRMED_FIELDS",
    "Unit",
    "add_months",
    "admission_age_check",
    "admission_documents_check",
    "age_in_months",
    "allowed_discipline_forms",
    "apply",
    "award_date_for",
    "badge_due_on",
    "badge_early_months",
    "badge_start_limits",
    "card_number_check",
    "deadline",
    "decided_by_cell",
    "discipline_authority_check",
    "discipline_check",
    "discipline_lapses_on",
    "exemption_check",
    "introducers_check",
    "limitation_expires_on",
    "removal_ground_labels",
    "milestone_reached_on",
    "nearest_award_occasion",
    "months_between",
    "next_badge",
    "official_date",
    "party_age_days",
    "party_age_start",
    "party_age_months",
    "party_age_years",
    "probation_end",
    "raise_refusals",
    "readmission_check",
    "recognition_check",
    "recognition_deadline",
    "recognition_decision_late_check",
    "recognition_late_check",
    "replay_actions",
    "required_documents",
    "rules_on",
    "suspension_check",
    "suspension_terms_check",
    "temporary_exemption_check",
    "temporary_transfer_check",
    "transfer_discipline_check",
    "violation_date_check",
    "vote_denominator",
    "MAX_VOTERS",
    "vote_passes",
]
