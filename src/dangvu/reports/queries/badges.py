"""`report badges` (contracts §1, §3): the members due a Party badge on an award occasion."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.lifecycle.todo import badge_rows_due_among
from dangvu.members.selectors import members_in_subtree
from dangvu.organizations.models import (
    Organization,
)


def award_date_warnings(award_date: dt.date) -> list[dict]:
    """The `warnings` of `report badges`: `award_date_not_regular` when `award_date` is not one of the award
    occasions of the rules in force (`badge_award_days`), with the nearest regular one (`nearest`). Not a
    refusal: the rules also allow an occasion the committee decides."""
    rules = R.rules_on(award_date)
    nearest = R.nearest_award_occasion(award_date, rules)
    if nearest is None:
        return []
    days = ", ".join(f"{d:02d}/{m:02d}" for m, d in rules.badge_award_days)
    return [{"code": "award_date_not_regular", "nearest": nearest.isoformat(),
             "message": _("%(day)s is not a regular award occasion of the Party badge (%(days)s); the nearest is "
                          "%(nearest)s. Another day is an award occasion only when the committee decides it.") % {
                 "day": format_date(award_date), "days": days, "nearest": format_date(nearest)}}]


def badges(org: Organization, award_date: dt.date) -> dict:
    """Contracts §3 `report badges`: the members of `org`'s subtree due a Party badge on the award
    occasion `award_date` (the proposal list a committee sends upward), each listed once with the one
    badge due (lifecycle.todo.badge_rows_due_among: set-based queries of values, then the rule per
    candidate); `warnings` (added key): `award_date_warnings`."""
    rows = badge_rows_due_among(members_in_subtree(org), award_date)
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["milestone"]] = counts.get(row["milestone"], 0) + 1
    return {
        "org": {"code": org.code, "name": org.name},
        "award_date": award_date.isoformat(),
        "due": {str(years): counts[years] for years in sorted(counts)},
        "members": rows,
        "warnings": award_date_warnings(award_date),
    }
