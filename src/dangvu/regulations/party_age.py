"""Party age (tuổi đảng): time in the Party, leaving out the gaps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dangvu.core.dates import months_between

from .refusals import _violation

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


def party_age_start(decision_date: dt.date | None, ceremony: dt.date) -> dt.date:
    """The day party age counts from (`RuleSet.party_age_from`, domain-rules §3): the date in the first
    admission decision when one is on file and not after the first admission ceremony; else that ceremony."""
    return decision_date if decision_date is not None and decision_date <= ceremony else ceremony


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
    return party_age_months(admitted_on, on, gaps) // 12


def party_age_months(admitted_on: dt.date, on: dt.date, gaps: Iterable[Gap] = ()) -> int:
    """Party age in whole months on `on`, counted as `party_age_years` counts years (what a member of less
    than a year is shown)."""
    days = party_age_days(admitted_on, on, gaps)
    return months_between(admitted_on, admitted_on + dt.timedelta(days=days))


