"""Probation (dự bị), official recognition (công nhận chính thức), time limits and readmission (kết nạp lại)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from dangvu.core.calendar import MAX_YEAR, MIN_YEAR, add_working_days
from dangvu.core.dates import add_months

from .labels import READMISSION_BAR_LABELS
from .refusals import Refusal, _refusal, _violation, raise_refusals
from .ruleset import DEADLINE_KEYS, Deadline, RuleSet, Unit

#: Digits of a party card number (thẻ đảng viên), and the numbers written that way.
CARD_NUMBER_DIGITS = 8
CARD_NUMBER = re.compile(rf"^\d{{{CARD_NUMBER_DIGITS}}}$")


def card_number_check(number: str | None) -> list[Refusal]:
    """A party card number is exactly CARD_NUMBER_DIGITS digits (an empty one is no card: nothing to check)."""
    number = (number or "").strip()
    if number and not CARD_NUMBER.match(number):
        return [_refusal("card.number_format", digits=CARD_NUMBER_DIGITS)]
    return []


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


def recognition_deadline(ceremony_date: dt.date, rules: RuleSet) -> dt.date:
    """The last day the chi bộ considers the official recognition in time: `deadline_recognition_cell` counted
    from the end of probation (domain-rules §3)."""
    return deadline(probation_end(ceremony_date, rules), "recognition_cell", rules)


def recognition_late_check(ceremony_date: dt.date, considered_on: dt.date, rules: RuleSet, *,
                           late_reason: str = "") -> list[Refusal]:
    """A recognition the chi bộ considers after its time limit (`recognition_deadline`) needs the reason for
    the delay."""
    limit = recognition_deadline(ceremony_date, rules)
    if considered_on > limit and not (late_reason or "").strip():
        return [_refusal("recognition.late_without_reason", day=considered_on, limit=limit,
                         end=probation_end(ceremony_date, rules))]
    return []


def recognition_decision_late_check(cell_considered_on: dt.date, decided_on: dt.date | None, rules: RuleSet, *,
                                    late_reason: str = "") -> list[Refusal]:
    """The committee's decision on a recognition (`decided_on`, its date) after the committee's time limit
    (`deadline_recognition_decision`, counted from the chi bộ's resolution) only with the reason for the delay
    (domain-rules §3)."""
    if decided_on is None:
        return []
    limit = deadline(cell_considered_on, "recognition_decision", rules)
    if decided_on > limit and not (late_reason or "").strip():
        return [_refusal("recognition.decision_late_without_reason", day=decided_on, limit=limit,
                         cell=cell_considered_on)]
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
        first, last = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR - 1, 12, 31)  # a year left to count in
        if not first <= start <= last:
            raise _violation("rules.outside_calendar", first=first, last=last, day=start)
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


