"""`report badges` (contracts §1, §3): the members due a Party badge on an award occasion."""

from __future__ import annotations

import datetime as dt

from dangvu.lifecycle.todo import badge_rows_due_among
from dangvu.members.selectors import members_in_subtree
from dangvu.organizations.models import (
    Organization,
)


def badges(org: Organization, award_date: dt.date) -> dict:
    """Contracts §3 `report badges`: the members of `org`'s subtree due a Party badge on the award
    occasion `award_date` (the proposal list a committee sends upward), each listed once with the one
    badge due (lifecycle.todo.badge_rows_due_among: set-based queries of values, then the rule per
    candidate)."""
    rows = badge_rows_due_among(members_in_subtree(org), award_date)
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["milestone"]] = counts.get(row["milestone"], 0) + 1
    return {
        "org": {"code": org.code, "name": org.name},
        "award_date": award_date.isoformat(),
        "due": {str(years): counts[years] for years in sorted(counts)},
        "members": rows,
    }
