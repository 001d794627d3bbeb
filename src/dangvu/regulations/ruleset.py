"""The rule set (bộ quy tắc): every parameter of the member lifecycle under one regulation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from dangvu.core.dates import format_date

if TYPE_CHECKING:
    from django.utils.functional import Promise


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"  # ngày làm việc: see core.calendar
    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True)
class Deadline:
    """A time limit (thời hạn): `amount` `unit`s counted from the event named by `counted_from`."""

    amount: int
    unit: Unit
    counted_from: str

    def __post_init__(self):
        object.__setattr__(self, "unit", Unit(self.unit))
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 0:
            raise ValueError("a deadline amount is a whole number >= 0")


@dataclass(frozen=True)
class AdmissionDocument:
    """One paper of the admission file (hồ sơ kết nạp), with its form code (mẫu) when it has one.

    `condition`: "always", "union_introduces" (Youth Union or trade union introduces) or
    "partial_committee" (a đảng ủy bộ phận exists between the chi bộ and the đảng ủy cơ sở).
    """

    key: str
    form_code: str
    name_vi: str
    condition: str = "always"
    variants: tuple[str, ...] = ()
    label: Any = field(default="", compare=False, hash=False)


@dataclass(frozen=True)
class RuleSet:
    """Every parameter of the member lifecycle under one regulation, from `effective_from` on."""

    # Identity
    code: str
    title: str
    issued_on: dt.date
    effective_from: dt.date
    confirmed: bool  # False: the regulation itself is known only from secondary sources
    related_documents: tuple[str, ...]
    # Admission (kết nạp)
    min_age_months: int
    max_age_months: int
    over_max_age_approver: str
    over_max_age_conditions: tuple[str, ...]
    min_education: str
    min_education_exceptions: tuple[str, ...]
    introducers_required: int
    introducer_must_be_official: bool
    introducer_min_months_with_applicant: int
    introducer_min_official_months: int
    union_introducers: tuple[str, ...]  # each replaces one member introducer
    awareness_certificate_valid_months: int
    required_documents: tuple[AdmissionDocument, ...]
    member_documents: tuple[AdmissionDocument, ...]  # filled in after the ceremony
    admission_decided_by: str
    admission_delegation_allowed: bool
    vote_threshold: Fraction  # of the chi bộ's official members
    committee_vote_threshold: Fraction  # of the đảng ủy cơ sở's members
    vote_denominator_excludes: tuple[str, ...]
    failed_votes_before_referral: int
    # Time limits
    deadline_decide_admission: Deadline
    deadline_hold_ceremony: Deadline
    deadline_member_biography: Deadline
    deadline_recognition_cell: Deadline
    deadline_recognition_decision: Deadline
    deadline_transfer: Deadline
    deadline_transfer_report: Deadline
    deadline_discipline_appeal: Deadline
    # Probation (dự bị)
    probation_months: int
    # Readmission (kết nạp lại)
    readmission_wait_months: int
    readmission_wait_after_expunged_months: int
    readmission_max_times: int
    readmission_barred: tuple[str, ...]
    readmission_hardship_exception: tuple[str, ...]
    # Party age (tuổi đảng)
    party_age_from: str
    party_age_gap_reasons: tuple[str, ...]
    # Badge (Huy hiệu Đảng)
    badge_milestones: tuple[int, ...]
    badge_award_days: tuple[tuple[int, int], ...]  # (month, day)
    badge_award_rule: str
    badge_early_months: tuple[tuple[int, int], ...]  # (from milestone, months early) for serious illness
    badge_posthumous_early_months: int
    badge_delay_months: Mapping[str, int] = field(hash=False)  # disciplinary form → months
    badge_for_exempted: bool
    # Discipline (kỷ luật)
    discipline_forms: Mapping[str, tuple[str, ...]] = field(hash=False)  # member status → forms
    discipline_cell_forms: tuple[str, ...]  # forms the chi bộ itself decides
    discipline_protected: tuple[str, ...]
    discipline_lapse_months: int
    discipline_lapse_excluded: tuple[str, ...]
    discipline_limitation_months: Mapping[str, int | None] = field(hash=False)  # None: no limit
    discipline_limitation_exempt: tuple[str, ...]
    # Exemption from activities (miễn sinh hoạt)
    exemption_min_age_months: Mapping[str, int] = field(hash=False)  # by sex, "M" / "F"
    exemption_min_treatment_months: int
    temporary_exemption_grounds: tuple[str, ...]
    # Transfers (chuyển sinh hoạt)
    temporary_transfer_work_months: tuple[int, int]  # [min, max)
    temporary_transfer_training_months: tuple[int, int]  # [min, max]
    transfer_blocked_during_discipline: bool
    # Removal (xóa tên)
    removal_unpaid_dues_months: int  # in a year
    removal_no_progress_months: int
    removal_consecutive_failed_years: int
    # Party organizations (tổ chức đảng)
    cell_min_official_members: int  # a chi bộ (cơ sở or trực thuộc) needs this many official members
    grassroots_committee_min_members: int  # from this many members a grassroots organization is a đảng bộ cơ sở
    # Provenance
    # field → where the text reads it: lazy translations, str() them to show
    sources: Mapping[str, str | Promise] = field(default_factory=dict, hash=False, compare=False)
    unconfirmed: frozenset[str] = frozenset()
    overridden: tuple[str, ...] = ()

    def __post_init__(self):
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping) and not isinstance(value, MappingProxyType):
                object.__setattr__(self, f.name, MappingProxyType(dict(value)))
            elif isinstance(value, list):
                object.__setattr__(self, f.name, _tuple(value))

    def __str__(self) -> str:
        return f"{self.code} ({format_date(self.effective_from)})"


def _tuple(value):
    return tuple(_tuple(v) if isinstance(v, list) else v for v in value)


#: Fields that describe the regulation itself, not a rule.
IDENTITY_FIELDS = ("code", "title", "issued_on", "effective_from", "confirmed", "related_documents")
META_FIELDS = ("sources", "unconfirmed", "overridden")
PARAMETER_FIELDS = tuple(
    f.name for f in dataclasses.fields(RuleSet) if f.name not in IDENTITY_FIELDS + META_FIELDS
)
DEADLINE_KEYS = tuple(name.removeprefix("deadline_") for name in PARAMETER_FIELDS if name.startswith("deadline_"))

