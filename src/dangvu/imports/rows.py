"""The rows of a workbook as read: one object per row, `ok` False when the row has errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from dangvu.members.services import PROFILE_FIELDS

#: The profile as a MemberRow holds it (a tuple in this order).
PROFILE_KEYS = ("full_name", "birth_date", "sex", "ethnicity", "religion", *[k for k in PROFILE_FIELDS if k != "religion"])


class OrgRow:
    __slots__ = ("row", "code", "name", "kind", "parent", "established_on", "dissolved_on", "unit_kind", "ok")


class MemberRow:
    __slots__ = ("row", "code", "profile", "admitted_on", "made_official_on", "cell", "placed_on", "card_number", "ok")


class EventRow:
    __slots__ = ("row", "member", "kind", "effective_on", "target", "value", "decision_number", "decision_date",
                 "issued_by", "note", "violation_on", "ok")


class RatingRow:
    __slots__ = ("row", "year", "code", "label", "level", "subject", "ok")


@dataclass
class Rows:
    """The rows of a workbook as read (rows with errors have `ok` False)."""

    orgs: list[OrgRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    ratings: list[RatingRow] = field(default_factory=list)
    header_errors: int = 0
