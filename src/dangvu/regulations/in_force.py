"""The rule sets of each regulation, their provenance, and `rules_on(day, overrides)`: the set in force."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import format_date
from dangvu.core.rule_settings import rule_overrides

from .assessment import ASSESSMENT_UNCONFIRMED_FIELDS
from .citations import _ALL, _CITATIONS, _DOUBTS, QD_20, QD_24, QD_29, QD_208, QD_232, QD_294
from .refusals import _violation
from .ruleset import PARAMETER_FIELDS, AdmissionDocument, Deadline, RuleSet, Unit, _tuple

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
    vote_denominator_excludes=("exempted", "suspended"),
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
    cell_min_official_members=3,
    grassroots_committee_min_members=30,
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
    it comes from the Statute), or when the regulation itself is unconfirmed. The sources are lazy
    (`format_lazy` over translatable texts): they read in the language active when shown."""
    sources: dict[str, Promise] = {
        "code": format_lazy(_("{code}, issued {date} (domain-rules §0)"), code=rules.code,
                            date=format_date(rules.issued_on)),
        "effective_from": (
            _("in force 01/07/2025 (domain-rules §0)") if rules.code == QD_294
            else _("issue date; date in force UNCONFIRMED (domain-rules §0)") if not rules.confirmed
            else _("issue date, taken as the date in force (domain-rules §0)")
        ),
    }
    unconfirmed = set()
    for name in PARAMETER_FIELDS:
        citation, covered = _CITATIONS[name]
        note: Promise = citation
        statute = covered == _ALL
        if name in _DOUBTS:
            unconfirmed.add(name)
        elif not statute and (rules.code not in covered or not rules.confirmed):
            unconfirmed.add(name)
            note = format_lazy(_("{citation}; not cited for {code}, carried over (UNCONFIRMED)"),
                               citation=citation, code=rules.code)
        sources[name] = note
    if rules.code == QD_208:
        sources["admission_decided_by"] = _("quiz: under QĐ 208 the BTV of the đảng ủy cơ sở decides (UNCONFIRMED)")
    if rules.code == QD_29:
        sources["badge_delay_months"] = _(
            "QĐ 29-QĐ/TW 2016: cảnh cáo or higher; eligible 6 (cảnh cáo) or 12 (cách chức) months after the "
            "decision (domain-rules §4.2)"
        )
        unconfirmed.discard("badge_delay_months")
    return dataclasses.replace(rules, sources=sources, unconfirmed=frozenset(unconfirmed))


REGULATIONS: tuple[RuleSet, ...] = tuple(
    _with_provenance(r) for r in (QD29_2016, QD24_2021, QD232_2025, QD294_2025, QD20_2026, QD208_2026)
)


def _unconfirmed_notes() -> dict[str, Promise]:
    notes = {}
    for name in PARAMETER_FIELDS:
        where = [r.code for r in REGULATIONS if name in r.unconfirmed]
        if not where:
            continue
        doubt = _DOUBTS.get(name)
        where_text = ", ".join(where)
        notes[name] = (
            format_lazy(_("{doubt}; unconfirmed for {regulations}. {citation}"), doubt=doubt,
                        regulations=where_text, citation=_CITATIONS[name][0]) if doubt is not None
            else format_lazy(_("unconfirmed for {regulations}. {citation}"), regulations=where_text,
                             citation=_CITATIONS[name][0])
        )
    return notes


#: field → why it is doubtful (and under which regulations). These, and only these, can be overridden.
UNCONFIRMED_FIELDS: dict[str, Promise] = _unconfirmed_notes()


#: The values a text rule may take (others are refused as invalid overrides).
_CHOICES = {"badge_award_rule": ("first_occasion_on_or_after", "first_occasion_after")}


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
        if not isinstance(value, str) or value not in _CHOICES.get(name, (value,)):
            raise ValueError
        return value
    raise ValueError


def _in_force(day: dt.date) -> RuleSet:
    rules = REGULATIONS[0]
    for candidate in REGULATIONS:
        if candidate.effective_from <= day:
            rules = candidate
    return rules


#: (regulation code, the settings' overrides object) → the rule set with them applied.
_configured: dict[str, tuple[Mapping[str, Any], RuleSet]] = {}


def rules_on(day: dt.date, overrides: Mapping[str, Any] | None = None) -> RuleSet:
    """The rule set in force on `day` (quy định có hiệu lực), with the administrator's overrides.

    Before the first encoded regulation (QĐ 29-QĐ/TW, 25/7/2016) the first is returned: the doc
    does not describe QĐ 45-QĐ/TW (2011), so older records are checked against QĐ 29, which is an
    approximation.

    `overrides` maps field names to values; when None, the administrator's rules file is read
    (`core.rule_settings.rule_overrides`, the one place that supplies them). Only fields of
    `UNCONFIRMED_FIELDS` are accepted (anything else raises RuleViolation "rules.override_not_allowed");
    an override replaces a value only where it is doubtful under the regulation in force on `day`
    (`RuleSet.unconfirmed`), so the text of a regulation always wins over a setting. The fields
    actually replaced are listed in `overridden`. Plain JSON/TOML values are accepted: lists for
    tuples, "2/3" for fractions, [amount, unit] or {"amount", "unit"} for deadlines, dicts for
    mappings and documents.
    """
    rules = _in_force(day)
    if overrides is None:
        overrides = rule_overrides()
        if not overrides:
            return rules
        cached = _configured.get(rules.code)
        if cached is None or cached[0] is not overrides:
            cached = _configured[rules.code] = (overrides, _apply_overrides(rules, overrides))
        return cached[1]
    if not overrides:
        return rules
    return _apply_overrides(rules, overrides)


def _apply_overrides(rules: RuleSet, overrides: Mapping[str, Any]) -> RuleSet:
    changes = {}
    for name, value in overrides.items():
        if name in ASSESSMENT_UNCONFIRMED_FIELDS:
            continue  # the assessment's rules (`assessment_rules`)
        if name not in UNCONFIRMED_FIELDS:
            raise _violation("rules.override_not_allowed", field=name, setting=name, regulation=rules.code)
        if name not in rules.unconfirmed:
            continue
        try:
            changes[name] = _coerce(name, getattr(rules, name), value)
        except (TypeError, ValueError, ZeroDivisionError):
            raise _violation("rules.override_invalid", field=name, setting=name, value=repr(value)) from None
    return dataclasses.replace(rules, **changes, overridden=tuple(sorted(changes)))
