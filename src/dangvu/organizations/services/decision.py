"""What a change of the tree is decided by: the decision (quyết định) behind an event, the vote (biểu
quyết) of a party organization."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """The decision (quyết định) behind an event: number, date and issuing body."""

    number: str = ""
    date: dt.date | None = None
    issued_by: str = ""


NO_DECISION = Decision()


@dataclass(frozen=True)
class Vote:
    """A vote (biểu quyết) of a party organization: members due to vote, present, in favour, and how
    many of those due are left out of the denominator under the rules (exempted from activities or suspended
    from them)."""

    due: int
    present: int
    votes_for: int
    excluded: int = 0
