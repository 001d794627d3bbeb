"""The rules of a party member's life (vòng đời đảng viên), by regulation and effective date.

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

Then the functions that apply the rules (ages in months, introducers, documents, votes,
probation, deadlines in working days, readmission, party age, badges, discipline, exemption,
temporary transfer) and the status machine of a person from outstanding mass to member and
beyond (`TRANSITIONS`, `apply`, `replay_actions`). Refusals carry a stable `code`, an English
message marked for translation and the params that fill it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dangvu.core.errors import DomainError
from dangvu.lifecycle.calendar import add_working_days

# --------------------------------------------------------------------------------------------
# Refusals


class MonthsSpan(int):
    """A number of months that reads as "17 years 11 months" in the active language."""

    def __str__(self) -> str:
        years, months = divmod(int(self), 12)
        parts = []
        if years or not months:
            parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
        if months:
            parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
        return " ".join(parts)


def _display(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    return value


_join_labels = lazy(lambda *labels: ", ".join(str(label) for label in labels), str)


@dataclass(frozen=True)
class Refusal:
    """Why the rules refuse something: a stable `code`, a translatable message, its params."""

    code: str
    message: Any  # a gettext_lazy string with %(name)s placeholders
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        """The message in the active language, with dates as dd/mm/yyyy."""
        return str(self.message) % {key: _display(value) for key, value in self.params.items()}

    def __str__(self) -> str:
        return self.text


class RuleViolation(DomainError):
    """An action the rules do not allow. `code`, `refusal` and `refusals` say why."""

    def __init__(self, refusal: Refusal, *, refusals: Sequence[Refusal] = (), field: str | None = None):
        self.refusal = refusal
        self.refusals = tuple(refusals) or (refusal,)
        self.params = refusal.params
        super().__init__(refusal.text, field=field, code=refusal.code)


def raise_refusals(refusals: Sequence[Refusal], *, field: str | None = None) -> None:
    """Raise a RuleViolation for the first refusal (carrying all of them); do nothing if none."""
    if refusals:
        raise RuleViolation(refusals[0], refusals=refusals, field=field)


_MESSAGES: dict[str, Any] = {
    "admission.too_young": _(
        "The applicant is %(age)s old; the minimum is %(minimum)s (counted in months) under %(regulation)s."
    ),
    "admission.too_old": _(
        "The applicant is %(age)s old; above %(maximum)s an admission needs the approval of the "
        "%(approver)s under %(regulation)s."
    ),
    "admission.introducer_count": _(
        "%(required)s introducers are required under %(regulation)s; %(given)s given."
    ),
    "admission.introducer_not_official": _(
        "Introducer %(number)s is not an official member; introducers must be official members under "
        "%(regulation)s."
    ),
    "admission.introducer_short_acquaintance": _(
        "Introducer %(number)s has worked or lived with the applicant for %(months)s months; at least "
        "%(minimum)s months are required under %(regulation)s."
    ),
    "admission.introducer_too_new": _(
        "Introducer %(number)s has been an official member for %(months)s months; at least %(minimum)s "
        "months are required under %(regulation)s."
    ),
    "admission.union_introducer_not_allowed": _(
        "An introduction by the %(union)s is not accepted here: %(reason)s"
    ),
    "admission.document_missing": _("The admission file lacks the %(document)s %(form)s."),
    "admission.certificate_expired": _(
        "The political-awareness course certificate of %(issued)s expired on %(expired)s (valid "
        "%(months)s months under %(regulation)s)."
    ),
    "recognition.before_probation_end": _(
        "Probation ends on %(end)s, %(months)s months after the admission ceremony of %(ceremony)s; "
        "official recognition cannot be considered on %(day)s."
    ),
    "readmission.limit_reached": _(
        "A person can be readmitted only %(maximum)s time(s) under %(regulation)s."
    ),
    "readmission.barred": _("A person who %(reason)s cannot be readmitted under %(regulation)s."),
    "readmission.too_soon": _(
        "Readmission is possible %(months)s months after leaving the Party, i.e. from %(earliest)s, "
        "under %(regulation)s."
    ),
    "readmission.too_soon_after_expunged": _(
        "Readmission is possible %(months)s months after the criminal record was expunged, i.e. from "
        "%(earliest)s, under %(regulation)s."
    ),
    "vote.invalid_counts": _(
        "The vote counts do not add up: %(due)s members due, %(excluded)s excluded, %(present)s present, "
        "%(votes_for)s in favour."
    ),
    "discipline.not_a_member": _("Only a party member can be disciplined; the person is %(status)s."),
    "discipline.form_not_allowed": _(
        "%(form)s is not a disciplinary form for a %(status)s under %(regulation)s; allowed: %(allowed)s."
    ),
    "discipline.protected": _("No disciplinary action may be taken while the member is %(condition)s."),
    "discipline.time_barred": _(
        "The limitation period for a violation warranting %(form)s ended on %(expired)s; the sanction "
        "cannot be applied."
    ),
    "exemption.too_young": _(
        "Exemption on grounds of age starts at %(minimum)s; the member is %(age)s old."
    ),
    "exemption.health": _(
        "Exemption on grounds of age also needs poor health: at least %(minimum)s months of treatment or "
        "a medical record."
    ),
    "exemption.not_voluntary": _("Exemption on grounds of age is granted only on the member's own request."),
    "transfer.too_short": _(
        "A temporary transfer for %(purpose)s lasts at least %(minimum)s months under %(regulation)s."
    ),
    "transfer.too_long": _(
        "%(months)s months is longer than a temporary transfer for %(purpose)s allows under %(regulation)s; "
        "use an official transfer."
    ),
    "transfer.discipline_case_open": _(
        "A discipline case against the member has been open since %(opened)s; under %(regulation)s a member "
        "under inspection or discipline is not transferred until the case is closed."
    ),
    "party_age.invalid_gap": _("A period outside the Party cannot end (%(end)s) before it starts (%(start)s)."),
    "lifecycle.after_death": _("Nothing can follow the death of the member (%(action)s)."),
    "lifecycle.not_a_member": _("%(action)s is not possible: the person is no longer in the Party (%(state)s)."),
    "lifecycle.not_allowed": _("%(action)s is not possible for a person who is %(state)s."),
    "lifecycle.readmitted_too_often": _("A person can be readmitted only %(maximum)s time(s)."),
    "rules.override_not_allowed": _(
        "The setting %(setting)s cannot be overridden: it comes from the text of the Statute or of "
        "%(regulation)s."
    ),
    "rules.override_invalid": _("The value given for the setting %(setting)s is not valid: %(value)s."),
    "rules.unknown_deadline": _("There is no time limit called %(key)s."),
}


def _refusal(code: str, **params: Any) -> Refusal:
    return Refusal(code, _MESSAGES[code], MappingProxyType(params))


def _violation(code: str, *, field: str | None = None, **params: Any) -> RuleViolation:
    return RuleViolation(_refusal(code, **params), field=field)


# --------------------------------------------------------------------------------------------
# Labels (English msgids; Vietnamese terms are in the catalogue and in the docstrings)

AUTHORITY_LABELS = {
    "provincial_standing_committee": _("standing committee of the provincial-level party committee"),
    "superior_standing_committee": _("standing committee of the committee directly above the grassroots"),
    "grassroots_standing_committee": _("standing committee of the grassroots party committee"),
}
DISCIPLINE_FORM_LABELS = {
    "reprimand": _("reprimand"),
    "warning": _("warning"),
    "dismissal": _("dismissal from posts"),
    "expulsion": _("expulsion"),
}
#: Vietnamese names of the forms as written in decisions (and in MemberEvent.value).
DISCIPLINE_FORM_NAMES_VI = {
    "reprimand": "Khiển trách",
    "warning": "Cảnh cáo",
    "dismissal": "Cách chức",
    "expulsion": "Khai trừ",
}
PROTECTED_CONDITION_LABELS = {
    "pregnant": _("pregnant"),
    "caring_for_child_under_12_months": _("caring for a child under 12 months"),
    "seriously_ill": _("seriously ill"),
}
READMISSION_BAR_LABELS = {
    "quit": _("quit the Party"),
    "resigned": _("asked to leave the Party"),
    "caused_serious_disunity": _("caused serious disunity"),
    "corruption_conviction": _("was convicted of corruption"),
    "serious_crime_conviction": _("was convicted of a serious or very serious crime"),
}
TRANSFER_PURPOSE_LABELS = {"work": _("work or stay"), "training": _("a training course")}
#: Grounds of exemption (miễn sinh hoạt): on age (QĐ on Điều lệ Điều 7), and the temporary ones of
#: `RuleSet.temporary_exemption_grounds`.
EXEMPTION_GROUND_LABELS = {
    "age": _("Old age and poor health (on request)"),
    "long_medical_treatment": _("Temporary: long medical treatment"),
    "abroad_without_party_organisation": _("Temporary: abroad without a party organization"),
    "maternity_leave": _("Temporary: maternity leave"),
    "mobile_work": _("Temporary: mobile work under a year"),
}
MEMBER_STATUS_LABELS = {
    "probationary": _("probationary member"),
    "official": _("official member"),
}

# --------------------------------------------------------------------------------------------
# Rule set


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"  # ngày làm việc: see lifecycle.calendar
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
    # Provenance
    sources: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
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
        return f"{self.code} ({self.effective_from:%d/%m/%Y})"


def _tuple(value):
    return tuple(_tuple(v) if isinstance(v, list) else v for v in value)


#: Fields that describe the regulation itself, not a rule.
IDENTITY_FIELDS = ("code", "title", "issued_on", "effective_from", "confirmed", "related_documents")
META_FIELDS = ("sources", "unconfirmed", "overridden")
PARAMETER_FIELDS = tuple(
    f.name for f in dataclasses.fields(RuleSet) if f.name not in IDENTITY_FIELDS + META_FIELDS
)
DEADLINE_KEYS = tuple(name.removeprefix("deadline_") for name in PARAMETER_FIELDS if name.startswith("deadline_"))

# --------------------------------------------------------------------------------------------
# The regulations and what the doc says about each parameter

QD_29 = "QĐ 29-QĐ/TW"
QD_24 = "QĐ 24-QĐ/TW"
QD_232 = "QĐ 232-QĐ/TW"
QD_294 = "QĐ 294-QĐ/TW"
QD_20 = "QĐ 20-QĐ/TW"
QD_208 = "QĐ 208-QĐ/TW"
_ALL = frozenset({QD_29, QD_24, QD_232, QD_294, QD_20, QD_208})
_FROM_24 = frozenset({QD_24, QD_232})  # QĐ 232 amends QĐ 24: what QĐ 24 says holds under both
_24_TO_294 = frozenset({QD_24, QD_232, QD_294})
_29_TO_294 = frozenset({QD_29, QD_24, QD_232, QD_294})

#: field → (where the doc reads it, the regulations that citation covers). `_ALL` = the Statute
#: (Điều lệ Đảng, 2011, not amended by Congresses XII–XIV), which binds every rule set.
_CITATIONS: dict[str, tuple[str, frozenset[str]]] = {
    "min_age_months": ("Điều lệ Đảng, Điều 1; QĐ 24-QĐ/TW 2021, pt 1.1 (domain-rules §2.1)", _ALL),
    "max_age_months": ("QĐ 24-QĐ/TW 2021, pt 1.1; kept in QĐ 232, QĐ 294 (domain-rules §2.1)", _24_TO_294),
    "over_max_age_approver": (
        "QĐ 24-QĐ/TW 2021, pt 1.1: over 60 only in special cases, decided by the provincial-level "
        "committee; HD 01-HD/TW 2021: written consent of its BTV (domain-rules §2.1)",
        _24_TO_294,
    ),
    "over_max_age_conditions": ("HD 01-HD/TW, 28/9/2021 (domain-rules §2.1)", _FROM_24),
    "min_education": (
        "QĐ 24-QĐ/TW 2021, pt 1.2: lower secondary (THCS); QĐ 24 dropped the word 'tương đương', so "
        "QĐ 29 read 'THCS or equivalent' (domain-rules §2.1)",
        frozenset({QD_29, QD_24, QD_232}),
    ),
    "min_education_exceptions": ("QĐ 24-QĐ/TW 2021, pt 1.2 (domain-rules §2.1)", frozenset()),
    "introducers_required": ("Điều lệ Đảng, Điều 4; QĐ 24-QĐ/TW, pt 3.2.1 (domain-rules §2.3 item 4)", _ALL),
    "introducer_must_be_official": ("Điều lệ Đảng, Điều 4 (domain-rules §2.3 item 4)", _ALL),
    "introducer_min_months_with_applicant": (
        "Điều lệ Đảng, Điều 4; QĐ 24-QĐ/TW, pt 3.2.1 (domain-rules §2.3 item 4)",
        _ALL,
    ),
    "introducer_min_official_months": ("quiz bank (domain-rules §2.3 item 4)", frozenset()),
    "union_introducers": (
        "one official member plus the BCH of the grassroots Youth Union (Youth Union members) or of the "
        "grassroots trade union (where there is no Youth Union), form 3A-KNĐ (domain-rules §2.3 item 4)",
        _ALL,
    ),
    "awareness_certificate_valid_months": (
        "HD 06-HD/TW 2025, pt 5.4 according to a quiz bank; older texts say 5 years (domain-rules §2.3 item 1)",
        frozenset(),
    ),
    "required_documents": (
        "HD 12-HD/BTCTW, 18/01/2022, Part II.1.1 and appendices; the code 7-KNĐ of the review report is "
        "inferred from the numbering, the doc gives none (domain-rules §2.3)",
        frozenset(),
    ),
    "member_documents": ("HD 12-HD/BTCTW, 18/01/2022 (domain-rules §2.3 item 11, §12)", _24_TO_294),
    "admission_decided_by": (
        "QĐ 29/QĐ 24: BTV of the committee directly above the TCCSĐ; after 2025 that level is the đảng ủy "
        "xã/phường/đặc khu or a committee under the tỉnh ủy (domain-rules §2.4 item 3)",
        _29_TO_294,
    ),
    "admission_delegation_allowed": (
        "QĐ 29/QĐ 24: a đảng ủy cơ sở delegated to admit decides with ≥ 2/3 (domain-rules §2.4 item 3)",
        _29_TO_294,
    ),
    "vote_threshold": ("Điều lệ Đảng, Điều 4: ≥ 2/3 of the chi bộ's official members (domain-rules §2.4)", _ALL),
    "committee_vote_threshold": ("Điều lệ Đảng, Điều 4: ≥ 2/3 of committee members (domain-rules §2.4)", _ALL),
    "vote_denominator_excludes": (
        "QĐ 24/294, pt 9.3.2: members exempted from activities etc.; the exact list is UNCONFIRMED "
        "(domain-rules §2.4, §6)",
        frozenset(),
    ),
    "failed_votes_before_referral": (
        "three votes without the majority → report to the superior committee; earlier notes, clause "
        "UNCONFIRMED (domain-rules §3)",
        frozenset(),
    ),
    "deadline_decide_admission": (
        "QĐ 29 → QĐ 24 → QĐ 232/294: 60 working days from the chi bộ resolution (domain-rules §2.4 item 4)",
        _29_TO_294,
    ),
    "deadline_hold_ceremony": (
        "QĐ 24-QĐ/TW: within 30 working days of receiving the decision; QĐ 208 keeps it (UNCONFIRMED) "
        "(domain-rules §2.4 item 5)",
        _FROM_24,
    ),
    "deadline_member_biography": (
        "HD 12-HD/BTCTW 2022: party member's biography within 30 working days of the ceremony "
        "(domain-rules §2.4 item 6)",
        _24_TO_294,
    ),
    "deadline_recognition_cell": (
        "QĐ 24/294: the chi bộ considers recognition within 30 working days of the end of probation "
        "(domain-rules §3; §2.4 item 4 cites QĐ 29 → QĐ 24 → QĐ 232/294)",
        _29_TO_294,
    ),
    "deadline_recognition_decision": (
        "QĐ 24/294: the committee decides within 30 working days of the chi bộ resolution (domain-rules §3, "
        "§2.4 item 4)",
        _29_TO_294,
    ),
    "deadline_transfer": (
        "QĐ 24-QĐ/TW 2021, pt 6.3; QĐ 294: within 60 working days of the transfer decision or change of "
        "residence (domain-rules §5)",
        _24_TO_294,
    ),
    "deadline_transfer_report": (
        "QĐ 24-QĐ/TW 2021, pt 6.3; QĐ 294: present the letter within 30 working days of its issue "
        "(domain-rules §5)",
        _24_TO_294,
    ),
    "deadline_discipline_appeal": (
        "QĐ 296-QĐ/TW 2025, Điều 25: within 1 month (30 days) of receiving the decision; exact wording "
        "UNCONFIRMED (domain-rules §9.3)",
        frozenset(),
    ),
    "probation_months": ("Điều lệ Đảng, Điều 5: 12 months from the admission ceremony (domain-rules §3)", _ALL),
    "readmission_wait_months": (
        "QĐ 232-QĐ/TW 2025 and QĐ 294: no earlier than 36 months after leaving; QĐ 208 also (UNCONFIRMED) "
        "(domain-rules §2.2)",
        frozenset({QD_232, QD_294}),
    ),
    "readmission_wait_after_expunged_months": (
        "QĐ 232-QĐ/TW 2025 and QĐ 294: 60 months after the record of a less serious crime is expunged "
        "(domain-rules §2.2)",
        frozenset({QD_232, QD_294}),
    ),
    "readmission_max_times": ("QĐ 232-QĐ/TW 2025 and QĐ 294: only once (domain-rules §2.2)", frozenset({QD_232, QD_294})),
    "readmission_barred": (
        "QĐ 232-QĐ/TW 2025 and QĐ 294: never readmitted (domain-rules §2.2)",
        frozenset({QD_232, QD_294}),
    ),
    "readmission_hardship_exception": (
        "QĐ 232-QĐ/TW 2025 and QĐ 294: except in extreme family hardship (domain-rules §2.2)",
        frozenset({QD_232, QD_294}),
    ),
    "party_age_from": (
        "QĐ 24/294, pt on Điều 5: from the date in the admission decision; QĐ 208 keeps it (UNCONFIRMED) "
        "(domain-rules §3)",
        _24_TO_294,
    ),
    "party_age_gap_reasons": (
        "QĐ 24/294, pt on Điều 5: minus expulsion, removal, quitting, loss of contact, late transfer "
        "(domain-rules §3)",
        _24_TO_294,
    ),
    "badge_milestones": ("QĐ 29; QĐ 24; HD 01-HD/TW 2021, item 18 (domain-rules §4.2)", _29_TO_294 - {QD_294}),
    "badge_award_days": ("HD 01-HD/TW 2021, item 18: 3/2, 19/5, 2/9, 7/11 (domain-rules §4.2)", _FROM_24),
    "badge_award_rule": (
        "the doc gives the occasions but not which one a member gets; first occasion on or after the "
        "milestone is an assumption (domain-rules §4.2)",
        frozenset(),
    ),
    "badge_early_months": (
        "HD 01-HD/TW 2021, item 18: serious illness, 12 months early for 30–65 years, 24 months for 70–90 "
        "(domain-rules §4.2)",
        _FROM_24,
    ),
    "badge_posthumous_early_months": (
        "HD 01-HD/TW 2021, item 18: posthumously up to 12 months early (domain-rules §4.2)",
        _FROM_24,
    ),
    "badge_delay_months": (
        "QĐ 29 (2016): cảnh cáo 6, cách chức 12 months; QĐ 24 (2021) per luatminhkhue.vn (secondary): "
        "khiển trách 6, cảnh cáo 9, cách chức 12; QĐ 294/208 UNCONFIRMED (domain-rules §4.2, §14 item 8)",
        frozenset({QD_29}),
    ),
    "badge_for_exempted": ("HD 12-HD/BTCTW 2022 IV.1; QĐ 208 (UNCONFIRMED) (domain-rules §4.2, §6)", _24_TO_294),
    "discipline_forms": ("Điều lệ Đảng, Điều 35; QĐ 69, Điều 7; QĐ 296 (domain-rules §9.2)", _ALL),
    "discipline_cell_forms": (
        "QĐ 296-QĐ/TW 2025, Điều 9–15 (press): the chi bộ decides khiển trách and cảnh cáo (domain-rules §9.3)",
        frozenset({QD_294}),
    ),
    "discipline_protected": (
        "QĐ 296 / QĐ 69: not while pregnant, caring for a child under 12 months or seriously ill "
        "(domain-rules §9.3)",
        frozenset({QD_232, QD_294}),
    ),
    "discipline_lapse_months": (
        "QĐ 69-QĐ/TW 2022, Điều 2 (clause per secondary source): lapses after 12 months without a new "
        "violation (domain-rules §9.3)",
        frozenset(),
    ),
    "discipline_lapse_excluded": (
        "QĐ 69-QĐ/TW 2022, Điều 2 (clause per secondary source): not for khai trừ (domain-rules §9.3)",
        frozenset(),
    ),
    "discipline_limitation_months": (
        "QĐ 69-QĐ/TW 2022, Điều 4 (press): 5 years khiển trách, 10 years cảnh cáo/cách chức, no limit for "
        "khai trừ (domain-rules §9.3)",
        frozenset({QD_232, QD_294}),
    ),
    "discipline_limitation_exempt": (
        "QĐ 69-QĐ/TW 2022, Điều 4: listed categories without limit; the list is UNCONFIRMED "
        "(domain-rules §9.3)",
        frozenset(),
    ),
    "exemption_min_age_months": (
        "men over 60, women over 55 (HD 27-HD/BTCTW 2009, HD 12-HD/BTCTW, earlier notes); unchanged after "
        "the retirement-age reform is UNCONFIRMED; 'over' read as having reached the age (domain-rules §6)",
        frozenset(),
    ),
    "exemption_min_treatment_months": (
        "QĐ 24/294, pt on Điều 7; HD 12-HD/BTCTW 2022 IV.1: treatment ≥ 3 months or a medical record "
        "(domain-rules §6)",
        _24_TO_294,
    ),
    "temporary_exemption_grounds": ("HD 12-HD/BTCTW 2022 (domain-rules §6)", _24_TO_294),
    "temporary_transfer_work_months": ("QĐ 24/294: 3 months to under 1 year (domain-rules §5)", _24_TO_294),
    "temporary_transfer_training_months": ("QĐ 24/294: 3 months to 2 years (domain-rules §5)", _24_TO_294),
    "transfer_blocked_during_discipline": ("QĐ 24-QĐ/TW 2021, pt 6.3 (domain-rules §5)", _FROM_24),
    "removal_unpaid_dues_months": (
        "Điều lệ Đảng, Điều 8; QĐ 24/294, pt 8.1: 3 months in a year without good reason; QĐ 208 keeps it "
        "(UNCONFIRMED) (domain-rules §10)",
        _24_TO_294,
    ),
    "removal_no_progress_months": ("QĐ 24/294, pt 8.1: no progress after 12 months (domain-rules §10)", _24_TO_294),
    "removal_consecutive_failed_years": (
        "QĐ 24/294, pt 8.1: two consecutive years breaching the standards (domain-rules §10)",
        _24_TO_294,
    ),
}

#: Why a field is doubtful even where the doc cites it (the doc's UNCONFIRMED / secondary notes).
_DOUBTS: dict[str, str] = {
    "min_education_exceptions": "lower requirements for mountain, island and ethnic-minority areas: wording UNCONFIRMED",
    "introducer_min_official_months": "no minimum time as official member: quiz bank only (UNCONFIRMED)",
    "awareness_certificate_valid_months": "60 months from a quiz bank on HD 06-HD/TW 2025, pt 5.4 (UNCONFIRMED)",
    "required_documents": "form code 7-KNĐ inferred; codes before HD 12-HD/BTCTW 2022 and after 'HD 38' (2025) unknown",
    "vote_denominator_excludes": "who is left out of the 2/3 denominator: exact list UNCONFIRMED",
    "failed_votes_before_referral": "three failed votes → referral: clause UNCONFIRMED",
    "deadline_discipline_appeal": "1 month (30 days): exact wording UNCONFIRMED",
    "badge_award_rule": "which award occasion a member gets is not in the doc",
    "badge_delay_months": "QĐ 24 figures from a secondary source; later regulations UNCONFIRMED (§14 item 8)",
    "discipline_lapse_months": "automatic lapse: clause per secondary source",
    "discipline_lapse_excluded": "automatic lapse: clause per secondary source",
    "discipline_limitation_exempt": "categories without limitation: list UNCONFIRMED",
    "exemption_min_age_months": "men 60 / women 55 from earlier notes; retirement-age reform UNCONFIRMED (§14 item 10)",
}

_PRE_2025_RELATED = (
    "HD 01-HD/TW, 20/9/2016",
    "HD 12-HD/BTCTW, 17/5/2012",
    "HD 09-HD/BTCTW, 05/6/2017",
    "QĐ 30-QĐ/TW, 26/7/2016",
    "QĐ 102-QĐ/TW, 15/11/2017",
)


def _documents() -> tuple[AdmissionDocument, ...]:
    doc = AdmissionDocument
    return (
        doc("awareness_certificate", "", "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
            label=_("certificate of the political-awareness course")),
        doc("application", "1-KNĐ", "Đơn xin vào Đảng", label=_("application letter")),
        doc("biography", "2-KNĐ", "Lý lịch của người xin vào Đảng (kèm thẩm tra lý lịch)",
            label=_("applicant's biography with the background check")),
        doc("introduction", "3-KNĐ", "Giấy giới thiệu người vào Đảng", variants=("3A-KNĐ",),
            label=_("introduction letters")),
        doc("union_resolution", "4-KNĐ", "Nghị quyết giới thiệu đoàn viên vào Đảng", condition="union_introduces",
            label=_("Youth Union or trade union resolution introducing the applicant")),
        doc("comments_summary", "5-KNĐ", "Tổng hợp ý kiến nhận xét của đoàn thể chính trị - xã hội và chi ủy, "
            "chi bộ nơi cư trú", variants=("5B-KNĐ", "5C-KNĐ"), label=_("summary of comments")),
        doc("cell_resolution", "6-KNĐ", "Nghị quyết đề nghị kết nạp đảng viên của chi bộ",
            label=_("party cell resolution proposing admission")),
        doc("review_report", "7-KNĐ", "Báo cáo thẩm định của đảng ủy bộ phận", condition="partial_committee",
            label=_("review report of the partial party committee")),
        doc("committee_resolution", "8-KNĐ", "Nghị quyết của đảng ủy cơ sở",
            label=_("resolution of the grassroots party committee")),
        doc("admission_decision", "9-KNĐ", "Quyết định kết nạp đảng viên", label=_("admission decision")),
    )


def _member_documents() -> tuple[AdmissionDocument, ...]:
    return (
        AdmissionDocument("member_biography", "1-HSĐV", "Lý lịch đảng viên", label=_("party member's biography")),
        AdmissionDocument("member_sheet", "2-HSĐV", "Phiếu đảng viên", label=_("party member sheet")),
    )


_WD = Unit.WORKING_DAYS

QD24_2021 = RuleSet(
    code=QD_24,
    title="Quy định thi hành Điều lệ Đảng",
    issued_on=dt.date(2021, 7, 30),
    effective_from=dt.date(2021, 7, 30),
    confirmed=True,
    related_documents=(
        "HD 01-HD/TW, 28/9/2021",
        "HD 12-HD/BTCTW, 18/01/2022",
        "QĐ 22-QĐ/TW, 28/7/2021",
        "QĐ 69-QĐ/TW, 06/7/2022",
    ),
    min_age_months=18 * 12,
    max_age_months=60 * 12,
    over_max_age_approver="provincial_standing_committee",
    over_max_age_conditions=(
        "good_health_and_prestige",
        "no_party_organisation_or_special_need",
        "written_consent_of_provincial_standing_committee",
    ),
    min_education="lower_secondary",
    min_education_exceptions=("mountain_island_ethnic_minority_areas", "special_cases"),
    introducers_required=2,
    introducer_must_be_official=True,
    introducer_min_months_with_applicant=12,
    introducer_min_official_months=0,
    union_introducers=("youth_union_committee", "trade_union_committee"),
    awareness_certificate_valid_months=60,
    required_documents=_documents(),
    member_documents=_member_documents(),
    admission_decided_by="superior_standing_committee",
    admission_delegation_allowed=True,
    vote_threshold=Fraction(2, 3),
    committee_vote_threshold=Fraction(2, 3),
    vote_denominator_excludes=("exempted",),
    failed_votes_before_referral=3,
    deadline_decide_admission=Deadline(60, _WD, "cell_resolution"),
    deadline_hold_ceremony=Deadline(30, _WD, "decision_received"),
    deadline_member_biography=Deadline(30, _WD, "ceremony"),
    deadline_recognition_cell=Deadline(30, _WD, "probation_end"),
    deadline_recognition_decision=Deadline(30, _WD, "cell_resolution"),
    deadline_transfer=Deadline(60, _WD, "transfer_decision_or_residence_change"),
    deadline_transfer_report=Deadline(30, _WD, "transfer_letter_issued"),
    deadline_discipline_appeal=Deadline(1, Unit.MONTHS, "decision_received"),
    probation_months=12,
    readmission_wait_months=36,
    readmission_wait_after_expunged_months=60,
    readmission_max_times=1,
    readmission_barred=(
        "quit", "resigned", "caused_serious_disunity", "corruption_conviction", "serious_crime_conviction",
    ),
    readmission_hardship_exception=("quit", "resigned"),
    party_age_from="admission_decision",
    party_age_gap_reasons=("expelled", "removed", "quit", "lost_contact", "late_transfer"),
    badge_milestones=(30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90),
    badge_award_days=((2, 3), (5, 19), (9, 2), (11, 7)),
    badge_award_rule="first_occasion_on_or_after",
    badge_early_months=((30, 12), (70, 24)),
    badge_posthumous_early_months=12,
    badge_delay_months={"reprimand": 6, "warning": 9, "dismissal": 12},
    badge_for_exempted=True,
    discipline_forms={
        "probationary": ("reprimand", "warning"),
        "official": ("reprimand", "warning", "dismissal", "expulsion"),
    },
    discipline_cell_forms=("reprimand", "warning"),
    discipline_protected=("pregnant", "caring_for_child_under_12_months", "seriously_ill"),
    discipline_lapse_months=12,
    discipline_lapse_excluded=("expulsion",),
    discipline_limitation_months={"reprimand": 60, "warning": 120, "dismissal": 120, "expulsion": None},
    discipline_limitation_exempt=(
        "internal_political_protection", "defence_security_foreign_relations", "corruption",
    ),
    exemption_min_age_months={"M": 60 * 12, "F": 55 * 12},
    exemption_min_treatment_months=3,
    temporary_exemption_grounds=(
        "long_medical_treatment", "abroad_without_party_organisation", "maternity_leave", "mobile_work",
    ),
    temporary_transfer_work_months=(3, 12),
    temporary_transfer_training_months=(3, 24),
    transfer_blocked_during_discipline=True,
    removal_unpaid_dues_months=3,
    removal_no_progress_months=12,
    removal_consecutive_failed_years=2,
)

QD29_2016 = dataclasses.replace(
    QD24_2021,
    code=QD_29,
    issued_on=dt.date(2016, 7, 25),
    effective_from=dt.date(2016, 7, 25),
    related_documents=_PRE_2025_RELATED,
    min_education="lower_secondary_or_equivalent",
    badge_delay_months={"warning": 6, "dismissal": 12},
)
QD232_2025 = dataclasses.replace(
    QD24_2021,
    code=QD_232,
    title="Quy định sửa đổi, bổ sung Quy định 24-QĐ/TW thi hành Điều lệ Đảng",
    issued_on=dt.date(2025, 1, 20),
    effective_from=dt.date(2025, 1, 20),
    related_documents=QD24_2021.related_documents + ("QĐ 264-QĐ/TW, 14/02/2025", "QĐ 296-QĐ/TW, 30/5/2025"),
)
QD294_2025 = dataclasses.replace(
    QD24_2021,
    code=QD_294,
    issued_on=dt.date(2025, 5, 26),
    effective_from=dt.date(2025, 7, 1),
    related_documents=(
        "HD 06-HD/TW, 09/6/2025",
        "HD 12-HD/BTCTW, 18/01/2022",
        "QĐ 296-QĐ/TW, 30/5/2025",
        "HD 08-HD/TW, 10/6/2025",
        "QĐ 69-QĐ/TW, 06/7/2022 (amended by QĐ 264-QĐ/TW, 14/02/2025)",
    ),
)
QD20_2026 = dataclasses.replace(
    QD294_2025,
    code=QD_20,
    issued_on=dt.date(2026, 4, 8),
    effective_from=dt.date(2026, 4, 8),
    confirmed=False,
    related_documents=QD294_2025.related_documents + ("HD 01-HD/TW, 19/5/2026 (UNCONFIRMED)",),
)
QD208_2026 = dataclasses.replace(
    QD20_2026,
    code=QD_208,
    issued_on=dt.date(2026, 7, 26),
    effective_from=dt.date(2026, 7, 26),
    # A quiz says the BTV of the đảng ủy cơ sở decides admission under QĐ 208 (domain-rules §2.4).
    admission_decided_by="grassroots_standing_committee",
)


def _with_provenance(rules: RuleSet) -> RuleSet:
    """Fill `sources` and `unconfirmed` from `_CITATIONS` and `_DOUBTS` for one regulation: a field is
    unconfirmed when the doc doubts it, or when the doc does not cite it for this regulation (unless
    it comes from the Statute), or when the regulation itself is unconfirmed."""
    sources = {
        "code": f"{rules.code}, issued {rules.issued_on:%d/%m/%Y} (domain-rules §0)",
        "effective_from": (
            "in force 01/07/2025 (domain-rules §0)" if rules.code == QD_294
            else "issue date; date in force UNCONFIRMED (domain-rules §0)" if not rules.confirmed
            else "issue date, taken as the date in force (domain-rules §0)"
        ),
    }
    unconfirmed = set()
    for name in PARAMETER_FIELDS:
        citation, covered = _CITATIONS[name]
        note = citation
        statute = covered == _ALL
        if name in _DOUBTS:
            unconfirmed.add(name)
        elif not statute and (rules.code not in covered or not rules.confirmed):
            unconfirmed.add(name)
            note += f"; not cited for {rules.code}, carried over (UNCONFIRMED)"
        sources[name] = note
    if rules.code == QD_208:
        sources["admission_decided_by"] = "quiz: under QĐ 208 the BTV of the đảng ủy cơ sở decides (UNCONFIRMED)"
    if rules.code == QD_29:
        sources["badge_delay_months"] = (
            "QĐ 29-QĐ/TW 2016: cảnh cáo or higher; eligible 6 (cảnh cáo) or 12 (cách chức) months after the "
            "decision (domain-rules §4.2)"
        )
        unconfirmed.discard("badge_delay_months")
    return dataclasses.replace(rules, sources=sources, unconfirmed=frozenset(unconfirmed))


REGULATIONS: tuple[RuleSet, ...] = tuple(
    _with_provenance(r) for r in (QD29_2016, QD24_2021, QD232_2025, QD294_2025, QD20_2026, QD208_2026)
)


def _unconfirmed_notes() -> dict[str, str]:
    notes = {}
    for name in PARAMETER_FIELDS:
        where = [r.code for r in REGULATIONS if name in r.unconfirmed]
        if not where:
            continue
        doubt = _DOUBTS.get(name)
        prefix = f"{doubt}; " if doubt else ""
        notes[name] = f"{prefix}unconfirmed for {', '.join(where)}. {_CITATIONS[name][0]}"
    return notes


#: field → why it is doubtful (and under which regulations). These, and only these, can be overridden.
UNCONFIRMED_FIELDS: dict[str, str] = _unconfirmed_notes()


def _coerce(name: str, current: Any, value: Any) -> Any:
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ValueError
        return value
    if isinstance(current, int):
        if isinstance(value, bool) or int(value) != value or int(value) < 0:
            raise ValueError
        return int(value)
    if isinstance(current, Fraction):
        result = Fraction(*value) if isinstance(value, list | tuple) else Fraction(value)
        if not 0 < result <= 1:
            raise ValueError
        return result
    if isinstance(current, Deadline):
        if isinstance(value, Deadline):
            return value
        if isinstance(value, Mapping):
            return Deadline(**{"counted_from": current.counted_from, **value})
        return Deadline(*value) if len(value) == 3 else Deadline(*value, current.counted_from)
    if isinstance(current, Mapping):
        return MappingProxyType(dict(value))
    if name in ("required_documents", "member_documents"):
        return tuple(v if isinstance(v, AdmissionDocument) else AdmissionDocument(**v) for v in value)
    if isinstance(current, tuple):
        if isinstance(value, str):
            raise ValueError
        return _tuple(list(value))
    if isinstance(current, str):
        if not isinstance(value, str):
            raise ValueError
        return value
    raise ValueError


def rules_on(day: dt.date, overrides: Mapping[str, Any] | None = None) -> RuleSet:
    """The rule set in force on `day` (quy định có hiệu lực), with the administrator's overrides.

    Before the first encoded regulation (QĐ 29-QĐ/TW, 25/7/2016) the first is returned: the doc
    does not describe QĐ 45-QĐ/TW (2011), so older records are checked against QĐ 29, which is an
    approximation.

    `overrides` maps field names to values. Only fields of `UNCONFIRMED_FIELDS` are accepted
    (anything else raises RuleViolation "rules.override_not_allowed"); an override replaces a value
    only where it is doubtful under the regulation in force on `day` (`RuleSet.unconfirmed`), so the
    text of a regulation always wins over a setting. The fields actually replaced are listed in
    `overridden`. Plain JSON values are accepted: lists for tuples, "2/3" for fractions,
    [amount, unit] or {"amount", "unit"} for deadlines, dicts for mappings and documents.
    """
    rules = REGULATIONS[0]
    for candidate in REGULATIONS:
        if candidate.effective_from <= day:
            rules = candidate
    if not overrides:
        return rules
    changes = {}
    for name, value in overrides.items():
        if name not in UNCONFIRMED_FIELDS:
            raise _violation("rules.override_not_allowed", field=name, setting=name, regulation=rules.code)
        if name not in rules.unconfirmed:
            continue
        try:
            changes[name] = _coerce(name, getattr(rules, name), value)
        except (TypeError, ValueError, ZeroDivisionError):
            raise _violation("rules.override_invalid", field=name, setting=name, value=repr(value)) from None
    return dataclasses.replace(rules, **changes, overridden=tuple(sorted(changes)))


# --------------------------------------------------------------------------------------------
# Dates and ages


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`: the largest n with add_months(start, n) <= end (0 if none)."""
    if end <= start:
        return 0
    n = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, n) > end:
        n -= 1
    return n


def age_in_months(birth: dt.date, on: dt.date) -> int:
    """Age (tuổi đời) in whole months on `on`: ages are counted in months (tính theo tháng)."""
    return months_between(birth, on)


def admission_age_check(
    birth: dt.date, on: dt.date, rules: RuleSet, *, over_max_age_approved: bool = False
) -> list[Refusal]:
    """Age condition for admission (điều kiện tuổi kết nạp), on the day the chi bộ considers it.

    From 18 full years to 60 full years counted in months; 60 years and one month or more only
    with the approval of the level `rules.over_max_age_approver` (`over_max_age_approved`).
    """
    age = MonthsSpan(age_in_months(birth, on))
    if age < rules.min_age_months:
        return [_refusal("admission.too_young", age=age, minimum=MonthsSpan(rules.min_age_months), regulation=rules.code)]
    if age > rules.max_age_months and not over_max_age_approved:
        return [_refusal(
            "admission.too_old", age=age, maximum=MonthsSpan(rules.max_age_months),
            approver=AUTHORITY_LABELS.get(rules.over_max_age_approver, rules.over_max_age_approver),
            regulation=rules.code,
        )]
    return []


@dataclass(frozen=True)
class Introducer:
    """A party member introducing the applicant (người giới thiệu vào Đảng)."""

    status: str  # "official", "probationary", …
    months_with_applicant: int  # months worked or lived with the applicant in the same unit or place
    months_official: int | None = None  # months since becoming official, when known


def introducers_check(
    introducers: Sequence[Introducer],
    rules: RuleSet,
    *,
    union_introducer: str | None = None,
    applicant_in_youth_union: bool = False,
    youth_union_at_unit: bool = True,
) -> list[Refusal]:
    """Introducers of an applicant (người giới thiệu): two official members who have worked or lived
    with the applicant for 12 months, or one of them plus a union committee (`union_introducer`):
    "youth_union_committee" for a Youth Union member, "trade_union_committee" where the unit has no
    Youth Union."""
    refusals = []
    required = rules.introducers_required
    if union_introducer is not None:
        reason = None
        if union_introducer not in rules.union_introducers:
            reason = _("this kind of introduction is not provided for.")
        elif union_introducer == "youth_union_committee" and not applicant_in_youth_union:
            reason = _("the applicant is not a Youth Union member.")
        elif union_introducer == "trade_union_committee" and youth_union_at_unit:
            reason = _("the trade union introduces only where there is no Youth Union.")
        if reason is not None:
            youth = union_introducer == "youth_union_committee"
            label = _("Youth Union committee") if youth else _("trade union committee")
            refusals.append(_refusal("admission.union_introducer_not_allowed", union=label, reason=reason))
        required -= 1
    if len(introducers) != required:
        refusals.append(_refusal(
            "admission.introducer_count", required=required, given=len(introducers), regulation=rules.code,
        ))
    for number, person in enumerate(introducers, start=1):
        if rules.introducer_must_be_official and person.status != "official":
            refusals.append(_refusal("admission.introducer_not_official", number=number, regulation=rules.code))
        elif person.months_official is not None and person.months_official < rules.introducer_min_official_months:
            refusals.append(_refusal(
                "admission.introducer_too_new", number=number, months=person.months_official,
                minimum=rules.introducer_min_official_months, regulation=rules.code,
            ))
        if person.months_with_applicant < rules.introducer_min_months_with_applicant:
            refusals.append(_refusal(
                "admission.introducer_short_acquaintance", number=number, months=person.months_with_applicant,
                minimum=rules.introducer_min_months_with_applicant, regulation=rules.code,
            ))
    return refusals


def required_documents(
    rules: RuleSet, *, union_introduces: bool = False, partial_committee: bool = False, before: str | None = None
) -> tuple[AdmissionDocument, ...]:
    """The admission file (hồ sơ kết nạp) for this case, in order; `before`: only the documents that
    precede the one with that key (e.g. before="cell_resolution" for the file the chi bộ examines)."""
    conditions = {"always": True, "union_introduces": union_introduces, "partial_committee": partial_committee}
    result = []
    for document in rules.required_documents:
        if document.key == before:
            break
        if conditions.get(document.condition, True):
            result.append(document)
    return tuple(result)


def admission_documents_check(
    present: Iterable[str],
    on: dt.date,
    rules: RuleSet,
    *,
    certificate_issued_on: dt.date | None,
    union_introduces: bool = False,
    partial_committee: bool = False,
    before: str | None = None,
) -> list[Refusal]:
    """Completeness of the admission file (hồ sơ kết nạp) on `on`; `present` holds document keys or
    form codes. The awareness-course certificate must still be valid on `on`."""
    have = set(present)
    if certificate_issued_on is not None:
        have.add("awareness_certificate")
    refusals = []
    for document in required_documents(
        rules, union_introduces=union_introduces, partial_committee=partial_committee, before=before
    ):
        codes = {document.key, document.form_code, *document.variants} - {""}
        if not codes & have:
            form = f"({document.form_code})" if document.form_code else ""
            refusals.append(_refusal(
                "admission.document_missing", document=document.label or document.name_vi, form=form, key=document.key,
            ))
    if certificate_issued_on is not None:
        expires = add_months(certificate_issued_on, rules.awareness_certificate_valid_months)
        if on >= expires:
            refusals.append(_refusal(
                "admission.certificate_expired", issued=certificate_issued_on, expired=expires,
                months=rules.awareness_certificate_valid_months, regulation=rules.code,
            ))
    return refusals


def vote_passes(
    due: int, present: int, votes_for: int, rules: RuleSet, *,
    excluded: Mapping[str, int] | None = None, committee: bool = False,
) -> bool:
    """Whether a vote (biểu quyết) reaches the majority: at least 2/3 of the official members of the
    chi bộ (`due`), not of those present, leaving out of the denominator the members of the
    categories in `rules.vote_denominator_excludes` (`excluded`: category → count among `due`; other
    categories are not subtracted). With `committee=True`, `due` is the number of members of the
    đảng ủy cơ sở and `rules.committee_vote_threshold` applies. `present` is checked for
    consistency only: the doc gives no quorum. Inconsistent counts raise RuleViolation."""
    left_out = sum(n for category, n in (excluded or {}).items() if category in rules.vote_denominator_excludes)
    counts = (due, present, votes_for, *(excluded or {}).values())
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in counts) or not (
        votes_for <= present <= due and left_out <= due
    ):
        raise _violation("vote.invalid_counts", due=due, excluded=left_out, present=present, votes_for=votes_for)
    denominator = due - left_out
    if denominator == 0:
        return False
    threshold = rules.committee_vote_threshold if committee else rules.vote_threshold
    return votes_for * threshold.denominator >= threshold.numerator * denominator


# --------------------------------------------------------------------------------------------
# Probation, deadlines


def probation_end(ceremony_date: dt.date, rules: RuleSet) -> dt.date:
    """End of probation (hết thời gian dự bị): 12 months from the admission ceremony (lễ kết nạp),
    the same calendar day a year later (the last day of the month if that day does not exist).
    This is the official date, whenever the recognition is decided."""
    return add_months(ceremony_date, rules.probation_months)


def recognition_check(ceremony_date: dt.date, considered_on: dt.date, rules: RuleSet) -> list[Refusal]:
    """Official recognition (công nhận đảng viên chính thức) cannot be considered before probation ends."""
    end = probation_end(ceremony_date, rules)
    if considered_on < end:
        return [_refusal(
            "recognition.before_probation_end", end=end, months=rules.probation_months,
            ceremony=ceremony_date, day=considered_on,
        )]
    return []


def official_date(ceremony_date: dt.date, rules: RuleSet, *, considered_on: dt.date | None = None) -> dt.date:
    """The date a member becomes official (ngày chính thức): the day probation ends, even when the
    recognition is decided later. Raises RuleViolation (on `decided_on`) when `considered_on` comes before it."""
    raise_refusals(recognition_check(ceremony_date, considered_on, rules) if considered_on else [], field="decided_on")
    return probation_end(ceremony_date, rules)


def deadline(start: dt.date, key: str, rules: RuleSet) -> dt.date:
    """The last day of a time limit (thời hạn) `key` of `DEADLINE_KEYS`, counted from `start`
    (the event named by its `counted_from`), in working days (ngày làm việc), days or months.
    The day of the event itself is not counted."""
    if key not in DEADLINE_KEYS:
        raise _violation("rules.unknown_deadline", key=key)
    limit: Deadline = getattr(rules, f"deadline_{key}")
    if limit.unit == Unit.WORKING_DAYS:
        return add_working_days(start, limit.amount)
    if limit.unit == Unit.DAYS:
        return start + dt.timedelta(days=limit.amount)
    return add_months(start, limit.amount)


# --------------------------------------------------------------------------------------------
# Readmission


def readmission_check(
    left_on: dt.date,
    on: dt.date,
    rules: RuleSet,
    *,
    exit_kind: str = "removed",
    times_readmitted: int = 0,
    bars: Iterable[str] = (),
    family_hardship: bool = False,
    record_expunged_on: dt.date | None = None,
) -> list[Refusal]:
    """Conditions of readmission (kết nạp lại) on `on` for a person who left on `left_on`.

    `exit_kind`: removed, probation_removed, expelled or resigned (a resignation is itself a bar,
    except in extreme family hardship); `bars`: other facts among `rules.readmission_barred`
    (quit, caused_serious_disunity, corruption_conviction, serious_crime_conviction);
    `record_expunged_on`: when the record of a less serious crime was expunged (xóa án tích).
    """
    refusals = []
    if times_readmitted >= rules.readmission_max_times:
        refusals.append(_refusal("readmission.limit_reached", maximum=rules.readmission_max_times, regulation=rules.code))
    facts = list(dict.fromkeys([*(["resigned"] if exit_kind == "resigned" else []), *bars]))
    for fact in facts:
        if fact in rules.readmission_barred and not (family_hardship and fact in rules.readmission_hardship_exception):
            refusals.append(_refusal(
                "readmission.barred", bar=fact, reason=READMISSION_BAR_LABELS.get(fact, fact), regulation=rules.code,
            ))
    earliest = add_months(left_on, rules.readmission_wait_months)
    if on < earliest:
        refusals.append(_refusal(
            "readmission.too_soon", months=rules.readmission_wait_months, earliest=earliest, regulation=rules.code,
        ))
    if record_expunged_on is not None:
        earliest = add_months(record_expunged_on, rules.readmission_wait_after_expunged_months)
        if on < earliest:
            refusals.append(_refusal(
                "readmission.too_soon_after_expunged", months=rules.readmission_wait_after_expunged_months,
                earliest=earliest, regulation=rules.code,
            ))
    return refusals


# --------------------------------------------------------------------------------------------
# Party age and badges

Gap = tuple[dt.date, dt.date | None]


def _merged_gaps(gaps: Iterable[Gap]) -> list[tuple[dt.date, dt.date | None]]:
    intervals = []
    for start, end in gaps:
        if end is not None and end < start:
            raise _violation("party_age.invalid_gap", start=start, end=end)
        if end != start:
            intervals.append((start, end))
    intervals.sort(key=lambda gap: gap[0])
    merged: list[tuple[dt.date, dt.date | None]] = []
    for start, end in intervals:
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            merged[-1] = (last_start, None if end is None or last_end is None else max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def party_age_days(admitted_on: dt.date, on: dt.date, gaps: Iterable[Gap] = ()) -> int:
    """Party age (tuổi đảng) in days: days in the Party in [admitted_on, on), leaving out the gaps (half-open, end None = open)."""
    if on <= admitted_on:
        return 0
    days = (on - admitted_on).days
    for start, end in _merged_gaps(gaps):
        lo, hi = max(start, admitted_on), on if end is None else min(end, on)
        if hi > lo:
            days -= (hi - lo).days
    return days


def party_age_years(admitted_on: dt.date, on: dt.date, gaps: Iterable[Gap] = ()) -> int:
    """Party age (tuổi đảng) in whole years on `on`.

    Counted from the date in the admission decision, minus the periods outside party activity
    (`gaps`: expulsion, removal, quitting, loss of contact, late transfer; each [start, end),
    end None while still outside). A readmitted member counts from the first admission with the
    time outside as a gap; a member whose membership was restored (khôi phục đảng tịch) has no gap.
    The time in the Party is laid end to end from `admitted_on`: N years are reached on
    admitted_on + N years + the days of the gaps before then.
    """
    days = party_age_days(admitted_on, on, gaps)
    return months_between(admitted_on, admitted_on + dt.timedelta(days=days)) // 12


def milestone_reached_on(admitted_on: dt.date, gaps: Iterable[Gap], years: int) -> dt.date | None:
    """The first day on which the party age (tuổi đảng) is `years`; None if an open gap stops it."""
    remaining = (add_months(admitted_on, 12 * years) - admitted_on).days
    cursor = admitted_on
    for start, end in _merged_gaps(gaps):
        if end is not None and end <= cursor:
            continue
        start = max(start, cursor)
        if cursor + dt.timedelta(days=remaining) <= start:
            break
        remaining -= (start - cursor).days
        if end is None:
            return None
        cursor = end
    return cursor + dt.timedelta(days=remaining)


def _in_gap(day: dt.date, gaps: list[tuple[dt.date, dt.date | None]]) -> tuple[dt.date, dt.date | None] | None:
    for start, end in gaps:
        if start <= day and (end is None or day < end):
            return start, end
    return None


def award_date_for(reached_on: dt.date, rules: RuleSet, gaps: Iterable[Gap] = ()) -> dt.date | None:
    """The badge award occasion (dịp trao Huy hiệu Đảng: 3/2, 19/5, 2/9, 7/11) for a milestone reached
    on `reached_on`: under "first_occasion_on_or_after" the first occasion on or after that day,
    under "first_occasion_after" strictly after it; an occasion falling in a gap (outside the Party)
    moves to the first one after the gap, and an open gap gives None."""
    merged = _merged_gaps(gaps)
    day = reached_on if rules.badge_award_rule != "first_occasion_after" else reached_on + dt.timedelta(days=1)
    while True:
        occasions = sorted(dt.date(year, m, d) for year in (day.year, day.year + 1) for m, d in rules.badge_award_days)
        occasion = next(o for o in occasions if o >= day)
        gap = _in_gap(occasion, merged)
        if gap is None:
            return occasion
        if gap[1] is None:
            return None
        day = gap[1]


def next_badge(
    admitted_on: dt.date, gaps: Iterable[Gap], on: dt.date, rules: RuleSet
) -> tuple[int, dt.date] | None:
    """The next Party badge (Huy hiệu Đảng) from `on`: (milestone years, award date), the first
    milestone whose award occasion is on or after `on`; None after the last milestone or while an
    open gap stops the party age."""
    gaps = list(gaps)
    for years in rules.badge_milestones:
        reached = milestone_reached_on(admitted_on, gaps, years)
        if reached is None:
            return None
        award = award_date_for(reached, rules, gaps)
        if award is None:
            return None
        if award >= on:
            return years, award
    return None


def badge_early_months(milestone: int, rules: RuleSet, *, posthumous: bool = False) -> int:
    """How many months early a badge may be awarded to a seriously ill member, or posthumously
    (truy tặng)."""
    if posthumous:
        return rules.badge_posthumous_early_months
    months = 0
    for from_milestone, early in rules.badge_early_months:
        if milestone >= from_milestone:
            months = early
    return months


def badge_due_on(
    award_date: dt.date,
    admitted_on: dt.date,
    gaps: Iterable[Gap],
    rules: RuleSet,
    *,
    awarded: Iterable[int] = (),
    discipline: Iterable[tuple[str, dt.date]] = (),
    seriously_ill: bool = False,
    posthumous: bool = False,
) -> int | None:
    """The Party badge (Huy hiệu Đảng) a member may receive on the occasion `award_date`: the highest
    milestone not in `awarded` that the party age reaches by then (or within the early-award months
    for serious illness or a posthumous award). None when none is due, when the member is outside
    the Party on that day, or while a disciplinary decision (`discipline`: (form, decided_on))
    delays the badge under `rules.badge_delay_months` (expulsion: never again)."""
    merged = _merged_gaps(gaps)
    if not posthumous and _in_gap(award_date, merged):
        return None
    for form, decided_on in discipline:
        if decided_on > award_date:
            continue
        if form == "expulsion":
            return None
        delay = rules.badge_delay_months.get(form)
        if delay and award_date < add_months(decided_on, delay):
            return None
    done = set(awarded)
    due = None
    for years in rules.badge_milestones:
        if years in done:
            continue
        reached = milestone_reached_on(admitted_on, merged, years)
        if reached is None:
            break
        early = badge_early_months(years, rules, posthumous=posthumous) if (seriously_ill or posthumous) else 0
        if reached <= add_months(award_date, early):
            due = years
    return due


# --------------------------------------------------------------------------------------------
# Discipline, exemption, temporary transfer

#: member status or stage → key of `RuleSet.discipline_forms`.
_STATUS_FORMS = {
    "probationary": "probationary", "readmitted": "probationary", "official": "official", "exempted": "official",
}


def allowed_discipline_forms(status: str, rules: RuleSet) -> tuple[str, ...]:
    """Disciplinary forms (hình thức kỷ luật) for a member in `status` (a MemberStatus or a Stage
    value): a probationary member only khiển trách and cảnh cáo; an official one also cách chức
    and khai trừ. () for anyone who is not a member."""
    key = _STATUS_FORMS.get(str(status))
    return tuple(rules.discipline_forms.get(key, ())) if key else ()


def limitation_expires_on(
    violation_on: dt.date, form: str, rules: RuleSet, *, category: str | None = None
) -> dt.date | None:
    """End of the limitation period (thời hiệu kỷ luật) of a violation warranting `form`; None when
    there is none (khai trừ, or a `category` of `rules.discipline_limitation_exempt`)."""
    months = rules.discipline_limitation_months.get(form)
    if months is None or category in rules.discipline_limitation_exempt:
        return None
    return add_months(violation_on, months)


def discipline_lapses_on(
    decided_on: dt.date, form: str, rules: RuleSet, *, new_violation_on: dt.date | None = None
) -> dt.date | None:
    """The day a disciplinary decision lapses by itself (đương nhiên chấm dứt hiệu lực): 12 months
    after it without a new violation. None for khai trừ or when a new violation comes first."""
    if form in rules.discipline_lapse_excluded:
        return None
    lapse = add_months(decided_on, rules.discipline_lapse_months)
    if new_violation_on is not None and decided_on <= new_violation_on < lapse:
        return None
    return lapse


def discipline_check(
    status: str,
    form: str,
    rules: RuleSet,
    *,
    on: dt.date | None = None,
    violation_on: dt.date | None = None,
    category: str | None = None,
    conditions: Iterable[str] = (),
) -> list[Refusal]:
    """Whether discipline (kỷ luật) in `form` may be applied on `on` to a member in `status`:
    the form must suit the status, no protected condition (pregnancy, a child under 12 months,
    serious illness) may hold, and the limitation period must not have ended. The doc requires the
    case to be concluded and voted on even when time-barred; this refuses applying the sanction."""
    allowed = allowed_discipline_forms(status, rules)
    if not allowed:
        from dangvu.members.models import MemberStatus

        return [_refusal("discipline.not_a_member", status=dict(MemberStatus.choices).get(str(status), str(status)))]
    refusals = []
    if form not in allowed:
        refusals.append(_refusal(
            "discipline.form_not_allowed", form=DISCIPLINE_FORM_LABELS.get(form, form),
            status=MEMBER_STATUS_LABELS[_STATUS_FORMS[str(status)]], regulation=rules.code,
            allowed=_join_labels(*(DISCIPLINE_FORM_LABELS[f] for f in allowed)),
        ))
    for condition in conditions:
        if condition in rules.discipline_protected:
            refusals.append(_refusal("discipline.protected", condition=PROTECTED_CONDITION_LABELS.get(condition, condition)))
    if on is not None and violation_on is not None:
        expires = limitation_expires_on(violation_on, form, rules, category=category)
        if expires is not None and on >= expires:
            refusals.append(_refusal("discipline.time_barred", form=DISCIPLINE_FORM_LABELS.get(form, form), expired=expires))
    return refusals


def exemption_check(
    birth: dt.date, sex: str, on: dt.date, rules: RuleSet, *, treatment_months: int = 0,
    medical_record: bool = False, voluntary: bool = True,
) -> list[Refusal]:
    """Exemption from work and party activities on grounds of age (miễn công tác và sinh hoạt đảng):
    old age (by `sex`, "M"/"F"), poor health and the member's own request."""
    refusals = []
    if not voluntary:
        refusals.append(_refusal("exemption.not_voluntary"))
    minimum = rules.exemption_min_age_months.get(sex)
    age = MonthsSpan(age_in_months(birth, on))
    if minimum is not None and age < minimum:
        refusals.append(_refusal("exemption.too_young", minimum=MonthsSpan(minimum), age=age))
    if treatment_months < rules.exemption_min_treatment_months and not medical_record:
        refusals.append(_refusal("exemption.health", minimum=rules.exemption_min_treatment_months))
    return refusals


def temporary_transfer_check(months: int, purpose: str, rules: RuleSet) -> list[Refusal]:
    """Temporary transfer of party activities (chuyển sinh hoạt đảng tạm thời): 3 months to under a
    year for work or a stay (`purpose` "work"), 3 months to 2 years for a training course."""
    low, high = rules.temporary_transfer_training_months if purpose == "training" else rules.temporary_transfer_work_months
    label = TRANSFER_PURPOSE_LABELS.get(purpose, purpose)
    if months < low:
        return [_refusal("transfer.too_short", purpose=label, minimum=low, regulation=rules.code)]
    if months > high or (purpose != "training" and months >= high):
        return [_refusal("transfer.too_long", months=months, purpose=label, regulation=rules.code)]
    return []


def transfer_discipline_check(case_opened_on: dt.date | None, rules: RuleSet) -> list[Refusal]:
    """A member with a discipline case (vụ việc kỷ luật) open on the day of the transfer, opened on
    `case_opened_on` (None: no case open), is not transferred until the case is closed (QĐ 24 pt 6.3)."""
    if case_opened_on is None or not rules.transfer_blocked_during_discipline:
        return []
    return [_refusal("transfer.discipline_case_open", opened=case_opened_on, regulation=rules.code)]


# --------------------------------------------------------------------------------------------
# The status machine


class Stage(enum.StrEnum):
    """Where a person stands on the way into, through and out of the Party."""

    OUTSTANDING_MASS = "outstanding_mass"  # quần chúng ưu tú
    AWARENESS_COURSE_DONE = "awareness_course_done"  # đã học lớp bồi dưỡng nhận thức về Đảng
    SYMPATHIZER = "sympathizer"  # cảm tình đảng
    DOSSIER_COMPLETE = "dossier_complete"  # hồ sơ kết nạp đầy đủ
    CELL_APPROVED = "cell_approved"  # chi bộ biểu quyết đề nghị kết nạp
    COMMITTEE_APPROVED = "committee_approved"  # đảng ủy cơ sở biểu quyết
    ADMISSION_DECIDED = "admission_decided"  # có quyết định kết nạp
    PROBATIONARY = "probationary"  # đảng viên dự bị (after the ceremony)
    READMITTED = "readmitted"  # kết nạp lại: probationary again
    OFFICIAL = "official"  # đảng viên chính thức
    EXEMPTED = "exempted"  # miễn công tác và sinh hoạt đảng (an official member)
    PROBATION_REMOVED = "probation_removed"  # xóa tên trong danh sách đảng viên dự bị
    REMOVED = "removed"  # xóa tên
    EXPELLED = "expelled"  # khai trừ
    RESIGNED = "resigned"  # xin ra khỏi Đảng
    DIED = "died"  # từ trần


class Action(enum.StrEnum):
    ATTEND_AWARENESS_COURSE = "attend_awareness_course"
    ACCEPT_AS_SYMPATHIZER = "accept_as_sympathizer"
    COMPLETE_DOSSIER = "complete_dossier"
    CELL_APPROVES = "cell_approves"
    COMMITTEE_APPROVES = "committee_approves"
    DECIDE_ADMISSION = "decide_admission"
    HOLD_CEREMONY = "hold_ceremony"
    REJECT = "reject"
    CERTIFICATE_EXPIRED = "certificate_expired"
    MAKE_OFFICIAL = "make_official"
    REMOVE_FROM_PROBATION = "remove_from_probation"
    DISCIPLINE_REPRIMAND = "discipline_reprimand"
    DISCIPLINE_WARNING = "discipline_warning"
    DISCIPLINE_DISMISSAL = "discipline_dismissal"
    DISCIPLINE_EXPULSION = "discipline_expulsion"
    EXEMPT = "exempt"
    END_EXEMPTION = "end_exemption"
    TRANSFER = "transfer"
    ISSUE_CARD = "issue_card"
    AWARD_BADGE = "award_badge"
    REMOVE = "remove"
    RESIGN = "resign"
    DIE = "die"
    READMIT = "readmit"
    RESTORE = "restore"


STAGE_LABELS = {
    Stage.OUTSTANDING_MASS: _("outstanding mass"),
    Stage.AWARENESS_COURSE_DONE: _("has attended the political-awareness course"),
    Stage.SYMPATHIZER: _("party sympathizer"),
    Stage.DOSSIER_COMPLETE: _("admission file complete"),
    Stage.CELL_APPROVED: _("approved by the party cell"),
    Stage.COMMITTEE_APPROVED: _("approved by the grassroots party committee"),
    Stage.ADMISSION_DECIDED: _("admission decided"),
    Stage.PROBATIONARY: _("probationary member"),
    Stage.READMITTED: _("readmitted, on probation"),
    Stage.OFFICIAL: _("official member"),
    Stage.EXEMPTED: _("exempted from activities"),
    Stage.PROBATION_REMOVED: _("removed from the list of probationary members"),
    Stage.REMOVED: _("removed from the Party"),
    Stage.EXPELLED: _("expelled"),
    Stage.RESIGNED: _("left the Party"),
    Stage.DIED: _("deceased"),
}
ACTION_LABELS = {
    Action.ATTEND_AWARENESS_COURSE: _("attend the political-awareness course"),
    Action.ACCEPT_AS_SYMPATHIZER: _("accept as party sympathizer"),
    Action.COMPLETE_DOSSIER: _("complete the admission file"),
    Action.CELL_APPROVES: _("party cell approves the admission"),
    Action.COMMITTEE_APPROVES: _("grassroots committee approves the admission"),
    Action.DECIDE_ADMISSION: _("decide the admission"),
    Action.HOLD_CEREMONY: _("hold the admission ceremony"),
    Action.REJECT: _("reject the admission"),
    Action.CERTIFICATE_EXPIRED: _("awareness-course certificate expired"),
    Action.MAKE_OFFICIAL: _("recognise as official member"),
    Action.REMOVE_FROM_PROBATION: _("remove from the list of probationary members"),
    Action.DISCIPLINE_REPRIMAND: _("discipline: reprimand"),
    Action.DISCIPLINE_WARNING: _("discipline: warning"),
    Action.DISCIPLINE_DISMISSAL: _("discipline: dismissal from posts"),
    Action.DISCIPLINE_EXPULSION: _("discipline: expulsion"),
    Action.EXEMPT: _("exempt from activities"),
    Action.END_EXEMPTION: _("end the exemption"),
    Action.TRANSFER: _("transfer party activities"),
    Action.ISSUE_CARD: _("issue the party card"),
    Action.AWARD_BADGE: _("award the party badge"),
    Action.REMOVE: _("remove from the Party"),
    Action.RESIGN: _("leave the Party"),
    Action.DIE: _("record the death"),
    Action.READMIT: _("readmit"),
    Action.RESTORE: _("restore membership"),
}

S, A = Stage, Action
_PROBATION = {
    A.MAKE_OFFICIAL: S.OFFICIAL,
    A.REMOVE_FROM_PROBATION: S.PROBATION_REMOVED,
    A.DISCIPLINE_REPRIMAND: None,  # None: the stage does not change
    A.DISCIPLINE_WARNING: None,
    A.TRANSFER: None,
    A.RESIGN: S.RESIGNED,
    A.DIE: S.DIED,
}
_FULL = {
    A.DISCIPLINE_REPRIMAND: None,
    A.DISCIPLINE_WARNING: None,
    A.DISCIPLINE_DISMISSAL: None,
    A.DISCIPLINE_EXPULSION: S.EXPELLED,
    A.TRANSFER: None,
    A.ISSUE_CARD: None,
    A.AWARD_BADGE: None,
    A.REMOVE: S.REMOVED,
    A.RESIGN: S.RESIGNED,
    A.DIE: S.DIED,
}
_RAW: dict[Stage, dict[Action, Stage | None]] = {
    S.OUTSTANDING_MASS: {A.ATTEND_AWARENESS_COURSE: S.AWARENESS_COURSE_DONE},
    S.AWARENESS_COURSE_DONE: {A.ACCEPT_AS_SYMPATHIZER: S.SYMPATHIZER, A.CERTIFICATE_EXPIRED: S.OUTSTANDING_MASS},
    S.SYMPATHIZER: {A.COMPLETE_DOSSIER: S.DOSSIER_COMPLETE, A.CERTIFICATE_EXPIRED: S.OUTSTANDING_MASS},
    S.DOSSIER_COMPLETE: {
        A.CELL_APPROVES: S.CELL_APPROVED, A.REJECT: S.SYMPATHIZER, A.CERTIFICATE_EXPIRED: S.OUTSTANDING_MASS,
    },
    S.CELL_APPROVED: {A.COMMITTEE_APPROVES: S.COMMITTEE_APPROVED, A.REJECT: S.SYMPATHIZER},
    S.COMMITTEE_APPROVED: {A.DECIDE_ADMISSION: S.ADMISSION_DECIDED, A.REJECT: S.SYMPATHIZER},
    S.ADMISSION_DECIDED: {A.HOLD_CEREMONY: S.PROBATIONARY, A.REJECT: S.SYMPATHIZER},
    S.PROBATIONARY: dict(_PROBATION),
    S.READMITTED: dict(_PROBATION),
    S.OFFICIAL: {**_FULL, A.EXEMPT: S.EXEMPTED},
    S.EXEMPTED: {**_FULL, A.END_EXEMPTION: S.OFFICIAL},
    S.PROBATION_REMOVED: {A.READMIT: S.READMITTED, A.RESTORE: S.PROBATIONARY},
    S.REMOVED: {A.READMIT: S.READMITTED, A.RESTORE: S.OFFICIAL},
    S.EXPELLED: {A.READMIT: S.READMITTED, A.RESTORE: S.OFFICIAL},
    S.RESIGNED: {A.READMIT: S.READMITTED},  # only in extreme family hardship: see readmission_check
    S.DIED: {},
}

#: stage → action → the stage after it. Discipline, transfers, cards and badges keep the stage.
TRANSITIONS: dict[Stage, dict[Action, Stage]] = {
    stage: {action: (target or stage) for action, target in actions.items()} for stage, actions in _RAW.items()
}
MEMBER_STAGES = frozenset({S.PROBATIONARY, S.READMITTED, S.OFFICIAL, S.EXEMPTED})
ENDED_STAGES = frozenset({S.PROBATION_REMOVED, S.REMOVED, S.EXPELLED, S.RESIGNED, S.DIED})
#: discipline action → form key of `RuleSet.discipline_forms`.
DISCIPLINE_ACTIONS = {
    A.DISCIPLINE_REPRIMAND: "reprimand",
    A.DISCIPLINE_WARNING: "warning",
    A.DISCIPLINE_DISMISSAL: "dismissal",
    A.DISCIPLINE_EXPULSION: "expulsion",
}


def apply(state: Stage | str, action: Action | str) -> Stage:
    """The stage after `action` from `state` in the member lifecycle (vòng đời đảng viên).

    Raises RuleViolation ("lifecycle.after_death", "lifecycle.not_a_member",
    "discipline.form_not_allowed" or "lifecycle.not_allowed") when the action is not possible.
    Conditions that depend on dates and facts are checked by the other functions of this module.
    """
    stage, act = Stage(state), Action(action)
    target = TRANSITIONS[stage].get(act)
    if target is not None:
        return target
    params = {"action": ACTION_LABELS[act], "state": STAGE_LABELS[stage], "action_key": str(act), "stage": str(stage)}
    if stage == S.DIED:
        raise _violation("lifecycle.after_death", **params)
    if stage in ENDED_STAGES:
        raise _violation("lifecycle.not_a_member", **params)
    if act in DISCIPLINE_ACTIONS and stage in MEMBER_STAGES:
        form = DISCIPLINE_ACTIONS[act]
        allowed = [f for a, f in DISCIPLINE_ACTIONS.items() if a in TRANSITIONS[stage]]
        raise _violation(
            "discipline.form_not_allowed", form=DISCIPLINE_FORM_LABELS[form],
            status=MEMBER_STATUS_LABELS[_STATUS_FORMS[str(stage)]], regulation=_("the Statute (Article 35)"),
            allowed=_join_labels(*(DISCIPLINE_FORM_LABELS[f] for f in allowed)), **params,
        )
    raise _violation("lifecycle.not_allowed", **params)


def replay_actions(
    actions: Iterable[Action | str], start: Stage | str = Stage.OUTSTANDING_MASS, *, rules: RuleSet | None = None
) -> Stage:
    """Apply `actions` in order from `start`, also enforcing what needs the history: readmission
    (kết nạp lại) at most `rules.readmission_max_times` (once by default)."""
    stage = Stage(start)
    limit = rules.readmission_max_times if rules is not None else 1
    readmissions = 0
    for action in actions:
        stage_after = apply(stage, action)
        if Action(action) == A.READMIT:
            readmissions += 1
            if readmissions > limit:
                raise _violation("lifecycle.readmitted_too_often", maximum=limit)
        stage = stage_after
    return stage


__all__ = [
    "ACTION_LABELS", "DEADLINE_KEYS", "DISCIPLINE_ACTIONS", "PARAMETER_FIELDS", "REGULATIONS", "STAGE_LABELS",
    "TRANSITIONS", "UNCONFIRMED_FIELDS", "Action", "AdmissionDocument", "Deadline", "Introducer", "MonthsSpan",
    "Refusal", "RuleSet", "RuleViolation", "Stage", "Unit", "add_months", "admission_age_check",
    "admission_documents_check", "age_in_months", "allowed_discipline_forms", "apply",
    "award_date_for", "badge_due_on", "badge_early_months", "deadline", "discipline_check", "discipline_lapses_on",
    "exemption_check", "introducers_check", "limitation_expires_on", "milestone_reached_on", "months_between",
    "next_badge", "official_date", "party_age_days", "party_age_years", "probation_end", "raise_refusals",
    "readmission_check", "recognition_check", "replay_actions", "required_documents", "rules_on",
    "temporary_transfer_check", "vote_passes",
]
