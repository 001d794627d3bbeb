"""Discipline (kỷ luật), suspension of party activities (đình chỉ sinh hoạt đảng), exemption (miễn sinh
hoạt) and temporary transfer (chuyển sinh hoạt tạm thời)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext

from dangvu.core.dates import add_months

from .admission import age_in_months
from .labels import (
    DISCIPLINE_FORM_LABELS,
    EXEMPTION_GROUND_LABELS,
    MEMBER_STATUS_LABELS,
    PROTECTED_CONDITION_LABELS,
    SUSPENSION_REASON_LABELS,
    TRANSFER_PURPOSE_LABELS,
)
from .refusals import MonthsSpan, Refusal, _join_labels, _refusal
from .ruleset import RuleSet

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


def decided_by_cell(form: str, rules: RuleSet) -> bool:
    """Whether a chi bộ itself decides discipline in `form` (`rules.discipline_cell_forms`: khiển trách and
    cảnh cáo); the heavier forms (cách chức, khai trừ) are decided by the đảng ủy cơ sở or a committee above
    it (domain-rules §9.3)."""
    return form in rules.discipline_cell_forms


def discipline_authority_check(
    form: str, rules: RuleSet, *, by_cell: bool, decision_number: str = "", decision_date: dt.date | None = None,
    deciding_body: str = "",
) -> list[Refusal]:
    """Who decides discipline in `form` (thẩm quyền kỷ luật, domain-rules §9.3): a form the chi bộ does not
    decide is refused when recorded `by_cell` (by an account whose scope is only a chi bộ), and needs the
    decision of the committee that did: its number, date and deciding body."""
    if decided_by_cell(form, rules):
        return []
    label = DISCIPLINE_FORM_LABELS.get(form, form)
    refusals = []
    if by_cell:
        refusals.append(_refusal(
            "discipline.not_decided_by_cell", form=label, regulation=rules.code,
            allowed=_join_labels(*(DISCIPLINE_FORM_LABELS.get(f, f) for f in rules.discipline_cell_forms)),
        ))
    if not ((decision_number or "").strip() and decision_date and (deciding_body or "").strip()):
        refusals.append(_refusal("discipline.decision_missing", form=label))
    return refusals


def limitation_expires_on(
    violation_on: dt.date, form: str, rules: RuleSet, *, category: str | None = None
) -> dt.date | None:
    """The last day of the limitation period (thời hiệu kỷ luật) of a violation warranting `form`
    (a sanction decided that day is still in time); None when there is none (khai trừ, or a `category` of `rules.discipline_limitation_exempt`)."""
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
        return [_refusal("discipline.not_a_member", status=MEMBER_STATUS_LABELS.get(str(status), str(status)))]
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
    misdated = violation_date_check(violation_on, on)
    refusals += misdated
    if on is not None and violation_on is not None and not misdated:
        expires = limitation_expires_on(violation_on, form, rules, category=category)
        if expires is not None and on > expires:
            refusals.append(_refusal("discipline.time_barred", form=DISCIPLINE_FORM_LABELS.get(form, form), expired=expires))
    return refusals


def violation_date_check(violation_on: dt.date | None, on: dt.date | None) -> list[Refusal]:
    """A violation is disciplined after it happened: its date not after the day of the decision `on`."""
    if on is not None and violation_on is not None and violation_on > on:
        return [_refusal("discipline.violation_after_decision", violation=violation_on, day=on)]
    return []


def suspension_check(suspended_since: dt.date | None, on: dt.date, *, lifting: bool = False) -> list[Refusal]:
    """Suspension of party activities (đình chỉ sinh hoạt đảng) during an investigation or a prosecution
    (domain-rules §9.3), against the member's state on `on`: `suspended_since` is the start of the
    suspension in force then (None: not suspended). A member is suspended only when not suspended already;
    a suspension is lifted only while one is in force, and after the day it began. Who may be suspended
    at all (a member in the Party, probationary or official, exempted or not) is the status machine's
    (`machine.TRANSITIONS`). The domain rules say nothing more of it: what a suspended member may not do
    besides being rated (`assessment.not_rated_reason`) and counted in a vote (`vote_denominator_excludes`,
    UNCONFIRMED) is UNCONFIRMED, and nothing else is refused while it lasts."""
    if not lifting:
        return [_refusal("suspension.already_suspended", since=suspended_since)] if suspended_since else []
    if suspended_since is None:
        return [_refusal("suspension.not_suspended", day=on)]
    if on <= suspended_since:
        return [_refusal("suspension.lift_not_after_start", since=suspended_since)]
    return []


def suspension_terms_check(start: dt.date, reason: str, reason_text: str = "",
                           planned_end: dt.date | None = None) -> list[Refusal]:
    """The terms of a suspension (đình chỉ sinh hoạt đảng): one of `SUSPENSION_REASON_LABELS`
    (an investigation, a prosecution — the two the domain rules name, §9.3 — or another reason, written
    out), and a planned end, when given, after the start. The planned end only informs: the suspension
    lasts until it is lifted (how long one may last is not in the domain rules: UNCONFIRMED)."""
    refusals = []
    if reason not in SUSPENSION_REASON_LABELS:
        refusals.append(_refusal("suspension.reason_unknown", allowed=_join_labels(*SUSPENSION_REASON_LABELS.values())))
    elif reason == "other" and not (reason_text or "").strip():
        refusals.append(_refusal("suspension.reason_text_missing"))
    if planned_end is not None and planned_end <= start:
        refusals.append(_refusal("suspension.planned_end_not_after_start", end=planned_end, start=start))
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


#: Grounds of a temporary exemption that only a woman member has (domain-rules §6: women on maternity leave).
WOMEN_ONLY_EXEMPTION_GROUNDS = frozenset({"maternity_leave"})


def temporary_exemption_check(ground: str, sex: str) -> list[Refusal]:
    """A temporary exemption (tạm miễn) on `ground` for a member of `sex` ("M"/"F"): maternity leave is a
    woman's ground."""
    if ground in WOMEN_ONLY_EXEMPTION_GROUNDS and sex != "F":
        return [_refusal("exemption.women_only", ground=EXEMPTION_GROUND_LABELS[ground])]
    return []


#: Grounds of removal (xóa tên), Điều lệ Điều 8 and QĐ 24/294 pt 8.1 (domain-rules §10); their labels, with the
#: months and years of the rules in force, from `removal_ground_labels`.
REMOVAL_GROUNDS = ("absent_or_unpaid", "card_returned", "no_progress", "two_years_failed", "political_standard",
                   "probation_not_recognised")


def removal_ground_labels(rules: RuleSet) -> dict[str, str]:
    """Each of REMOVAL_GROUNDS → its label, naming the values of `rules` (`removal_unpaid_dues_months`,
    `removal_no_progress_months`, `removal_consecutive_failed_years`)."""
    return {
        "absent_or_unpaid": gettext("Absent from meetings or dues unpaid for %(months)s months in a year without good reason")
        % {"months": rules.removal_unpaid_dues_months},
        "card_returned": gettext("Returned or destroyed the party card voluntarily"),
        "no_progress": gettext("No progress after %(months)s months of education by the chi bộ")
        % {"months": rules.removal_no_progress_months},
        "two_years_failed": gettext("%(years)s consecutive years of breaching the standards of a party member")
        % {"years": rules.removal_consecutive_failed_years},
        "political_standard": gettext("Does not meet the political standard"),
        "probation_not_recognised": gettext("Probationary member not recognised as official"),
    }


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


