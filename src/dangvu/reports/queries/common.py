"""What every report query shares: the table names, the keys of the contracts, small SQL helpers."""

from __future__ import annotations

from dangvu.members.models import Member, MemberEvent, MemberEventKind, MemberPeriod, MemberStatus, Sex
from dangvu.organizations.models import (
    Organization,
    OrganizationEvent,
    OrganizationKind,
    OrganizationPeriod,
)

K = OrganizationKind
E = MemberEventKind
OP = OrganizationPeriod._meta.db_table
MP = MemberPeriod._meta.db_table
ME_TABLE = MemberEvent._meta.db_table
#: The member events in force, as raw SQL reads them: those cancelled as recorded by mistake
#: (members.cancellation) left out, as `MemberEvent.objects` leaves them out. A derived table that both
#: backends flatten into the query (the events' indexes still serve it); `ME_TABLE` only to join events
#: already chosen through `ME`, by their id.
ME = f"(SELECT * FROM {ME_TABLE} WHERE cancelled_at IS NULL)"
M = Member._meta.db_table
ORG = Organization._meta.db_table
OE = OrganizationEvent._meta.db_table

#: The Kinh group's code (core/ethnicity.py); every other group counts as an ethnic minority.
KINH = "01"

#: Keys of contracts §3 `report snapshot`, in order (organizations, then members).
ORG_KEYS = ("grassroots", "grassroots_committees", "grassroots_cells", "partial_committees", "subordinate_cells")
MEMBER_KEYS = ("total", "official", "probationary", "female", "ethnic_minority", "religious", "exempted")


def array_literal(values) -> str:
    """A PostgreSQL array literal of whole numbers, dates or plain words ("{1,2,3}"), passed as one
    parameter cast to its type (`%s::bigint[]`): psycopg quotes a list in Python element by element
    (about 25 ms for the 9,323 ids of a province, per statement), a string at once."""
    return "{" + ",".join(map(str, values)) + "}"


def _count(condition: str) -> str:
    return f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"


def _member_aggregate_columns() -> tuple[str, list]:
    """The member columns of the snapshot, in MEMBER_KEYS order (with their parameters)."""
    columns, params = _member_aggregate_list()
    return ", ".join(columns), params


def _member_aggregate_list() -> tuple[list[str], list]:
    """`_member_aggregate_columns` as a list of expressions (with the parameters of them all, in order),
    over the member periods `mp` alone: they carry the member's sex, ethnicity and religion."""
    # COUNT(*) FILTER (SQLite ≥ 3.30, PostgreSQL): cheaper per row than SUM(CASE …), and never NULL
    columns = ["COUNT(*)", *(f"COUNT(*) FILTER (WHERE {condition})" for condition in (
        "mp.status = %s", "mp.status = %s", "mp.sex = %s", "mp.ethnicity <> %s", "mp.religion <> ''", "mp.exempted"))]
    return columns, [MemberStatus.OFFICIAL.value, MemberStatus.PROBATIONARY.value, Sex.FEMALE.value, KINH]


#: Up to this many organizations the subtree is passed to PostgreSQL as an array (measured at 1M
#: members: a commune 15 ms instead of 274–327 ms; a province 0.96–1.15 s instead of 0.74 s).
