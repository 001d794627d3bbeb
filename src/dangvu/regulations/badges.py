"""Party badges (Huy hiệu Đảng): milestones, award occasions, the badge due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from dangvu.core.dates import add_months

from .party_age import Gap, _merged_gaps
from .ruleset import RuleSet


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


def nearest_award_occasion(day: dt.date, rules: RuleSet) -> dt.date | None:
    """None when `day` is one of the rules' award occasions (`badge_award_days`: 3/2, 19/5, 2/9, 7/11);
    otherwise the regular occasion nearest to it (the later of two as near). Another day may still be an
    occasion a committee decides: a notice, not a refusal."""
    if (day.month, day.day) in tuple(rules.badge_award_days):
        return None
    occasions = [dt.date(year, m, d) for year in (day.year - 1, day.year, day.year + 1) for m, d in rules.badge_award_days]
    return min(occasions, key=lambda o: (abs((o - day).days), o < day))


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


def badge_start_limits(award_date: dt.date, rules: RuleSet) -> tuple[tuple[int, dt.date], ...]:
    """For a member with no gap, no discipline and no badge held: (milestone, the latest day the party
    age may start for that badge to be due on the occasion `award_date`), the highest milestone first.
    The badge `badge_due_on` gives such a member is the first milestone whose day is on or after the
    start — a comparison of dates a database can make for every member at once."""
    strictly_before = rules.badge_award_rule == "first_occasion_after"

    def reached_by(start: dt.date, years: int) -> bool:
        reached = milestone_reached_on(start, (), years)
        return reached is not None and (reached < award_date or (reached == award_date and not strictly_before))

    limits = []
    for years in rules.badge_milestones:
        # add_months(award, -12·years), moved to the last day that reaches (a 29 February, a month-end)
        day = add_months(award_date, -12 * years)
        while not reached_by(day, years):
            day -= dt.timedelta(days=1)
        while reached_by(day + dt.timedelta(days=1), years):
            day += dt.timedelta(days=1)
        limits.append((years, day))
    return tuple(reversed(limits))


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
    """The one Party badge (Huy hiệu Đảng) a member may receive on the occasion `award_date`: the
    highest milestone the party age reaches by then (or within the early-award months for serious
    illness or a posthumous award), as `rules.badge_award_rule` counts "by then" (on the occasion
    itself, or strictly before it). None when that milestone is not above every badge in `awarded`
    (never a badge lower than or equal to one already held), when the member is outside the Party
    on that day, or while a disciplinary decision (`discipline`: (form, decided_on)) delays the
    badge under `rules.badge_delay_months`."""
    merged = _merged_gaps(gaps)
    if not posthumous and _in_gap(award_date, merged):
        return None
    for form, decided_on in discipline:
        delay = rules.badge_delay_months.get(form)
        if delay and decided_on <= award_date < add_months(decided_on, delay):
            return None
    strictly_before = rules.badge_award_rule == "first_occasion_after"
    due = None
    for years in rules.badge_milestones:
        reached = milestone_reached_on(admitted_on, merged, years)
        if reached is None:
            break
        early = badge_early_months(years, rules, posthumous=posthumous) if (seriously_ill or posthumous) else 0
        by = add_months(award_date, early)
        if not (reached < by or (reached == by and not strictly_before)):
            break
        due = years
    held = max(awarded, default=0)
    return due if due is not None and due > held else None
