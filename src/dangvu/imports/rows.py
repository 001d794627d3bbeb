"""The rows of a workbook as read: one object per row, `ok` False when the row has errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

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
    """The rows of a workbook as read (rows with errors have `ok` False).

    DangVien may be read in two passes (`reading`): first the code and the cell of every row (what the
    context and the checks need of the whole sheet: `member_rows`, `duplicated`, `member_cells`), then
    each row parsed as the checks take it (`member_chunks`), so that the first members are written
    while the next rows are read."""

    orgs: list[OrgRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)  # DangVien rows parsed in the first pass, until checked
    events: list[EventRow] = field(default_factory=list)
    ratings: list[RatingRow] = field(default_factory=list)
    header_errors: int = 0
    member_rows: dict[str, int] = field(default_factory=dict)  # member code → the row that first has it
    duplicated: set[str] = field(default_factory=set)  # member codes on more than one row
    member_cells: set[str] = field(default_factory=set)  # the cells the DangVien rows name
    first_spelling: dict[str, str] = field(default_factory=dict)  # a member code in capitals → as first written
    capitals_only: dict[int, str] = field(default_factory=dict)  # row → the earlier code it equals but for capitals
    member_count: int = 0
    pending: Iterator[MemberRow] | None = None  # the DangVien rows still to be parsed, in order

    def note_member(self, row: int, code: str, cell: str) -> None:
        self.member_count += 1
        if code:
            first = self.first_spelling.setdefault(code.upper(), code)
            if first != code:
                self.capitals_only[row] = first
            if code in self.member_rows:
                self.duplicated.add(code)
            else:
                self.member_rows[code] = row
        if cell:
            self.member_cells.add(cell)

    def read_all(self) -> None:
        """Parse the DangVien rows not parsed yet (their own issues reported), unchecked."""
        for _chunk in self.member_chunks(1_000, 1_000):
            pass

    def member_chunks(self, first: int, size: int) -> Iterator[list[MemberRow]]:
        """The DangVien rows in order, `first` of them, then `size` at a time (parsed now if they
        were not yet); each is handed out once (a large sheet's rows are not all kept)."""
        if self.pending is None:
            self.pending, self.members = _taken(self.members), []
        n = first
        while chunk := list(islice(self.pending, n)):
            yield chunk
            n = size


def _taken(rows: list) -> Iterator:
    """The items of `rows`, each let go of as it is handed out."""
    rows.reverse()
    while rows:
        yield rows.pop()
