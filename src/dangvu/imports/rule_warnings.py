"""Warnings for events that break the rules in force on their own date (`dangvu.regulations`,
through the same checks the lifecycle services make): history is kept as recorded, like ratings
above a cap (README: "events that break the rules of their own date … are kept, each with a warning")."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.lifecycle.services import badge_due_from_events
from dangvu.members import history
from dangvu.members.models import MemberEventKind as E

from .results import Report
from .rows import EventRow
from .spec import BIENDONG

if TYPE_CHECKING:
    from .context import Ev

#: BienDong events checked against the rules of their date.
RULE_CHECKED_KINDS = (E.EXEMPTED, E.BADGE_AWARDED, E.CARD_ISSUED, E.DISCIPLINED, E.EXPELLED, E.MADE_OFFICIAL)


def kept_as_recorded(reason: str, rules: R.RuleSet) -> str:
    return _("%(reason)s (rules in force on that day: %(regulation)s; kept as recorded)") % {
        "reason": reason, "regulation": rules.code}


def warn_rules(report: Report, birth: dt.date | None, sex: str | None, admitted_on: dt.date, events: list[Ev],
               new: list[tuple[Ev, object]]) -> None:
    """Warnings for the BienDong rows of one member. `events` are all the member's events (stored
    and new), replayed already; `new` pairs the new ones with their rows."""
    rows = {id(ev): src for ev, src in new if isinstance(src, EventRow) and ev.kind in RULE_CHECKED_KINDS}
    before: list[Ev] = []
    for ev in history.sort_events(events):
        r = rows.get(id(ev))
        if r is not None:
            key, reason, rules = _check(ev, r, birth, sex, admitted_on, before)
            if reason:
                report.warn(BIENDONG, r.row, key, kept_as_recorded(reason, rules))
        before.append(ev)


def _check(ev: Ev, r: EventRow, birth, sex, admitted_on: dt.date, before: list[Ev]):
    """(column, reason or None, rules) for one event, `before` the member's events that precede it."""
    day = ev.effective_on
    rules = R.rules_on(day)
    if ev.kind == E.EXEMPTED:
        if not (birth and sex):
            return None, None, rules
        reason = next((f.text for f in R.exemption_check(birth, sex, day, rules, medical_record=True)
                       if f.code == "exemption.too_young"), None)
        return "effective_on", reason, rules
    if ev.kind == E.BADGE_AWARDED:
        # the lower badges may predate the records: taken as awarded
        lower = [m for m in rules.badge_milestones if m < int(ev.value)]
        due = badge_due_from_events(before, day, admitted_on, awarded=lower)
        if due == int(ev.value):
            return "value", None, rules
        reason = (_("No badge was due on %(day)s.") if due is None else
                  _("The badge due on %(day)s was the %(due)d-year badge.")) % {"day": format_date(day), "due": due or 0}
        return "value", reason, rules
    if ev.kind == E.CARD_ISSUED:
        return "value", next((f.text for f in R.card_number_check(ev.value)), None), rules
    if ev.kind == E.MADE_OFFICIAL:
        # probation counts from the ceremony of the current membership: the last admission before
        ceremony = max((e.effective_on for e in before if e.kind == E.ADMITTED), default=None)
        return "effective_on", official_too_early(ceremony, day), R.rules_on(ceremony or day)
    if r.violation_on:  # discipline, expulsion
        form = "expulsion" if ev.kind == E.EXPELLED else ev.value
        reason = next((f.text for f in R.discipline_check("official", form, rules, on=day, violation_on=r.violation_on)
                       if f.code == "discipline.time_barred"), None)
        return "value", reason, rules
    return None, None, rules


def official_too_early(ceremony: dt.date | None, official_on: dt.date) -> str | None:
    """The refusal of the recognition rule (the probation months of the rules on the ceremony date)
    when `official_on` comes before probation ends, else None."""
    refusal = _recognition_refusal(ceremony, official_on) if ceremony is not None else None
    return refusal.text if refusal is not None else None


@functools.lru_cache(maxsize=65536)  # pure; the same pairs of dates repeat in a large workbook
def _recognition_refusal(ceremony: dt.date, official_on: dt.date):
    return next(iter(R.recognition_check(ceremony, official_on, R.rules_on(ceremony))), None)
