"""Annual quality assessment (đánh giá, xếp loại chất lượng): the rating scales by period and the rules
of each assessment regulation — the cap on "excellent", the hard limits, who is not rated (domain-rules §7).

Scales (`SCALES`, `scale_for(year)`): a year is rated on the scale in force for it.

| scale code   | years       | regulation                                      | keys |
|--------------|-------------|-------------------------------------------------|------|
| `hd27_2014`  | up to 2017  | HD 27-HD/BTCTW (2014)                            | organizations: `clean_strong_exemplary`, `clean_strong`, `good`, `completed`, `weak`; members: `excellent`, `good`, `completed`, `not_completed` |
| `qd132_2018` | 2018–2022   | QĐ 132-QĐ/TW (2018), HD 16 (2018), HD 21 (2019)  | `excellent`, `good`, `completed`, `not_completed` |
| `qd124_2023` | 2023–2024   | QĐ 124-QĐ/TW (2023), HD 25-HD/BTCTW (2023)        | same four |
| `qd366_2025` | 2025 onward | QĐ 366-QĐ/TW (2025), HD 43-HD/BTCTW (2025)        | same four, with points: ≥ 90, 70, 50, below 50 |

Labels are matched by folded text (case, diacritics, spaces and punctuation ignored), so
`Hoàn thành xuất sắc nhiệm vụ`, `HOAN THANH XUAT SAC NHIEM VU` and `HTXSNV` are the same label.
UNCONFIRMED: the member labels of the 2014 scale ("đủ tư cách, …") are recalled, accepted as
aliases only; the years before 2014 are rated on the 2014 scale (the older guides are not encoded).

Across scales, every level has a `COMMON_KEYS` key (the four levels of 2018 on): an explicit table
(`COMMON_KEY`), by rank — a correspondence the software draws, not a rule of any text (reports
that span years say so). The four-level scales map to themselves.

Rules (`AssessmentRules`, one per assessment regulation, keyed by the first year it rates;
`assessment_rules(year)` gives the rules for a year's assessment): the cap on "excellent" (ratio,
whether the base counts the excellent, which groups it binds, always within each deciding
organization), the hard limits, who is not rated, the majority of the chi bộ's vote on the rating it
proposes for each member (`proposal_majority`: more than half of the members due to vote, the
Statute's Article 10, UNCONFIRMED as the rule of that vote). Each field cites domain-rules; the UNCONFIRMED ones
(`unconfirmed`) an administrator may set in the rules file (`core.rule_settings`), e.g.
``excellent_cap_ratio = 0.25`` or ``excellent_cap_groups = ["members", "organizations"]``.

Modules: `groups` (what is rated, the groups counted), `scales`, `rules` (the fields of a regulation's
rules), `by_regulation` (each regulation's), `in_force` (a year's, with the settings), `limits` (the
rules applied to ratings).
"""

from __future__ import annotations

from .by_regulation import ASSESSMENT_REGULATIONS, ASSESSMENT_UNCONFIRMED_FIELDS
from .groups import (
    GROUP_NAMES,
    GROUPS,
    MEMBER,
    MEMBERS,
    ORGANIZATION,
    ORGANIZATIONS,
    OTHER,
    SUBORDINATE_CELLS,
    group_of,
)
from .in_force import assessment_rules
from .limits import cap_refusal, limit_refusals, not_rated_reason, percent, proposal_vote_refusal
from .rules import ADMITTED_RECENTLY, EXEMPTED, SUSPENDED, AssessmentRules
from .scales import (
    COMMON_KEY,
    COMMON_KEYS,
    KEY_NAMES,
    SCALES,
    SCALES_BY_CODE,
    Level,
    Scale,
    common_key,
    scale_for,
)

__all__ = [
    "ADMITTED_RECENTLY",
    "ASSESSMENT_REGULATIONS",
    "ASSESSMENT_UNCONFIRMED_FIELDS",
    "AssessmentRules",
    "COMMON_KEY",
    "COMMON_KEYS",
    "EXEMPTED",
    "GROUPS",
    "GROUP_NAMES",
    "KEY_NAMES",
    "Level",
    "MEMBER",
    "MEMBERS",
    "ORGANIZATION",
    "ORGANIZATIONS",
    "OTHER",
    "SCALES",
    "SCALES_BY_CODE",
    "SUBORDINATE_CELLS",
    "SUSPENDED",
    "Scale",
    "assessment_rules",
    "cap_refusal",
    "common_key",
    "group_of",
    "limit_refusals",
    "not_rated_reason",
    "percent",
    "proposal_vote_refusal",
    "scale_for",
]
