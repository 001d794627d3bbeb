"""What the database already holds about the rows of an import, loaded set-based (a bounded number
of queries whatever the number of rows, none per row): the organizations named (with their periods
and ancestors), the members named (with their stored events and periods), and the user's scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper

from dangvu.accounts.selectors import scope_roots
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.organizations.models import CELL_KINDS, Organization, OrganizationPeriod
from dangvu.organizations.selectors import subtree_q

from .rows import PROFILE_KEYS, OrgRow, Rows

QUERY_CHUNK = 5_000  # values per IN (...) list


def chunks(values, size: int = QUERY_CHUNK):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def among(field: str, values: list, sql_type: str) -> dict:
    """The filter `field IN values`. On PostgreSQL the values go as one array parameter
    (`IN (SELECT unnest(%s::<sql_type>[]))`): one value for the driver to adapt instead of thousands
    of placeholders to build and rewrite, which cost more than the query at this size."""
    if connection.vendor == "postgresql":
        return {f"{field}__in": RawSQL(f"SELECT unnest(%s::{sql_type}[])", (list(values),))}
    return {f"{field}__in": values}


class Ev:
    """An event-like object for `history.replay` (cells are organization codes here)."""

    __slots__ = ("kind", "effective_on", "cell_id", "value", "pk", "src", "decision_date")

    def __init__(self, kind, effective_on, cell_id=None, value="", pk=None, src=None, decision_date=None):
        self.kind, self.effective_on, self.cell_id, self.value, self.pk, self.src = (
            kind, effective_on, cell_id, value, pk, src)
        self.decision_date = decision_date

    def same(self) -> tuple:
        return (self.kind, self.effective_on, self.cell_id or None, (self.value or "").strip())


@dataclass
class OrgPeriod:
    valid_from: dt.date
    valid_to: dt.date | None
    kind: str
    parent: str | None  # parent code
    name: str


class OrgInfo:
    """An organization as known to this import: from the database, from ToChuc, or both."""

    __slots__ = ("code", "id", "periods", "row", "db_name", "db_unit_kind", "closing_on", "first", "in_scope", "raw")

    def __init__(self, code):
        self.code = code
        self.id = None
        self.periods: list[OrgPeriod] = []
        self.row: OrgRow | None = None
        self.closing_on: dt.date | None = None  # dissolved by this import on that day
        self.first: OrgPeriod | None = None
        self.in_scope = True
        self.db_name = ""
        self.db_unit_kind = ""
        self.raw = None

    @property
    def known(self) -> bool:
        """In the database or in ToChuc."""
        return self.id is not None or self.row is not None

    def period_on(self, day: dt.date) -> OrgPeriod | None:
        for p in self.periods:
            if p.valid_from <= day and (p.valid_to is None or p.valid_to > day):
                return p
        return None

    def exists_during(self, start: dt.date, end: dt.date) -> bool:
        return any(p.valid_from <= end and (p.valid_to is None or p.valid_to > start) for p in self.periods)

    def first_gap(self, start: dt.date, end: dt.date | None, kinds=CELL_KINDS) -> dt.date | None:
        """The first day of [start, end) on which this is not an organization of `kinds`, or None."""
        day = start
        for p in sorted(self.periods, key=lambda p: p.valid_from):
            if p.valid_to is not None and p.valid_to <= day:
                continue
            if p.valid_from > day or p.kind not in kinds:
                return day
            if p.valid_to is None:
                return None
            day = p.valid_to
            if end is not None and day >= end:
                return None
        return day if end is None or day < end else None


class Context:
    """The database's side of an import. `scope_ids` is None when the import is not limited (the
    command line); else the ids of the organizations in the user's scope."""

    def __init__(self, actor, today: dt.date):
        self.actor = actor
        self.today = today
        self.orgs: dict[str, OrgInfo] = {}
        self.org_by_id: dict[int, OrgInfo] = {}
        self.scope_ids: set[int] | None = None
        self.scope_codes: list[str] = []  # the codes of the scope's roots (for messages)
        self.db_members: dict[str, dict] = {}
        self.taken_codes: dict[str, str] = {}  # a new member's code → the stored one it equals but for capitals
        self.stored: dict[int, list[Ev]] = {}  # member id → stored events
        self.db_periods: dict[int, list[tuple]] = {}  # member id → (cell id, from, to, exempted, suspended), rated

    def in_scope(self, org_id: int | None) -> bool:
        return self.scope_ids is None or org_id in self.scope_ids

    def load(self, rows: Rows) -> None:
        self._load_scope()
        org_codes = {r.code for r in rows.orgs if r.code} | {r.parent for r in rows.orgs if r.parent}
        org_codes |= rows.member_cells | {r.target for r in rows.events if r.target}
        member_codes = set(rows.member_rows) | {r.member for r in rows.events if r.member}
        rating_codes = {r.code for r in rows.ratings if r.code}
        self._load_members(member_codes | rating_codes)
        self._load_taken_codes(set(rows.member_rows) - set(self.db_members))
        touched_ids = [self.db_members[c]["id"] for c in member_codes if c in self.db_members]
        cell_ids = self._load_stored_events(touched_ids)
        rated_ids = [self.db_members[c]["id"] for c in rating_codes if c in self.db_members]
        self.db_periods = self._load_member_periods(rated_ids)
        cell_ids |= {p[0] for ps in self.db_periods.values() for p in ps}
        cell_ids |= {m["cell_id"] for m in self.db_members.values()}
        self.load_orgs(codes=org_codes | (rating_codes - set(self.db_members)), ids=cell_ids)
        # Children of existing organizations that this import dissolves.
        closing_ids = [self.orgs[r.code].id for r in rows.orgs
                       if r.ok and r.dissolved_on and r.code in self.orgs and self.orgs[r.code].id]
        if closing_ids:
            child_ids = set()
            for chunk in chunks(closing_ids):
                child_ids |= set(OrganizationPeriod.objects.filter(parent_id__in=chunk).values_list(
                    "organization_id", flat=True))
            self.load_orgs(ids=child_ids)
        for info in self.orgs.values():
            info.first = info.periods[0] if info.periods else None
            if info.id is not None:
                info.in_scope = self.in_scope(info.id)

    def _load_scope(self) -> None:
        """Every user, administrators included, imports within the subtree of their organizations
        (what they can see afterwards); the command line (no actor) is not limited."""
        if self.actor is None:
            return
        roots = scope_roots(self.actor)
        self.scope_codes = [o.code for o in roots]
        self.scope_ids = set(Organization.objects.filter(subtree_q(roots)).values_list("pk", flat=True)) if roots else set()

    def load_orgs(self, codes: Iterable[str] = (), ids: Iterable[int] = ()) -> None:
        """Load organizations (by code or id) with their periods, and all their ancestors."""
        todo_codes = {c for c in codes if c and c not in self.orgs}
        todo_ids = {i for i in ids if i is not None and i not in self.org_by_id}
        while todo_codes or todo_ids:
            found: list[tuple[int, str, str, str]] = []
            cols = ("pk", "code", "name", "unit_kind")
            for chunk in chunks(sorted(todo_codes)):
                found += Organization.objects.filter(**among("code", chunk, "text")).values_list(*cols)
            for chunk in chunks(sorted(todo_ids)):
                found += Organization.objects.filter(**among("pk", chunk, "bigint")).values_list(*cols)
            todo_codes, todo_ids = set(), set()
            new = []
            for pk, code, name, unit_kind in found:
                if pk in self.org_by_id:
                    continue
                info = self.orgs.get(code) or OrgInfo(code)
                info.id, info.db_name, info.db_unit_kind = pk, name, unit_kind
                self.orgs[code] = info
                self.org_by_id[pk] = info
                new.append(info)
            parents: set[int] = set()
            raw: dict[int, list] = defaultdict(list)
            for chunk in chunks([i.id for i in new]):
                for row in OrganizationPeriod.objects.filter(**among("organization_id", chunk, "bigint")).values_list(
                    "organization_id", "valid_from", "valid_to", "kind", "parent_id", "name"
                ):
                    raw[row[0]].append(row)
                    if row[4] is not None and row[4] not in self.org_by_id:
                        parents.add(row[4])
            for info in new:
                info.raw = raw.get(info.id, [])
            todo_ids = parents
        # resolve parent ids to codes once every ancestor is known
        for info in self.orgs.values():
            if info.raw is None:
                continue
            info.periods = sorted(
                (OrgPeriod(f, t, k, self.org_by_id[p].code if p in self.org_by_id else None, n)
                 for _, f, t, k, p, n in info.raw),
                key=lambda p: p.valid_from,
            )
            info.raw = None

    def _load_members(self, codes: set[str]) -> None:
        fields = ["id", "code", "cell_id", "admitted_on", "ended_on", "status", "exempted", "made_official_on",
                  *PROFILE_KEYS]
        for chunk in chunks(sorted(c for c in codes if c)):
            for row in Member.objects.filter(**among("code", chunk, "text")).values(*fields):
                self.db_members[row["code"]] = row

    def _load_taken_codes(self, codes: set[str]) -> None:
        """The stored codes equal to new ones but for capitals (by the index of `members.services.code_taken`)."""
        by_upper = {c.upper(): c for c in codes}
        for chunk in chunks(sorted(by_upper)):
            for upper, code in Member.objects.annotate(code_upper=Upper("code")).filter(
                    **among("code_upper", chunk, "text")).order_by().values_list("code_upper", "code"):
                self.taken_codes[by_upper[upper]] = code

    def _load_stored_events(self, member_ids: list[int]) -> set[int]:
        cells: set[int] = set()
        for chunk in chunks(sorted(member_ids)):
            for pk, mid, kind, day, cell_id, value, decided in MemberEvent.objects.filter(
                **among("member_id", chunk, "bigint")
            ).values_list("pk", "member_id", "kind", "effective_on", "cell_id", "value", "decision_date"):
                self.stored.setdefault(mid, []).append(Ev(kind, day, cell_id, value, pk, decision_date=decided))
                if cell_id:
                    cells.add(cell_id)
        return cells

    def _load_member_periods(self, member_ids: list[int]) -> dict[int, list[tuple]]:
        out: dict[int, list[tuple]] = defaultdict(list)
        for chunk in chunks(sorted(member_ids)):
            for mid, cell_id, f, t, exempted, suspended in MemberPeriod.objects.filter(
                    **among("member_id", chunk, "bigint")).values_list(
                "member_id", "cell_id", "valid_from", "valid_to", "exempted", "suspended"
            ):
                out[mid].append((cell_id, f, t, exempted, suspended))
        return out

    def stored_events(self, db: dict | None) -> list[Ev]:
        """A stored member's events, their cells as codes (like the new ones)."""
        if db is None:
            return []
        events = self.stored.get(db["id"], [])
        for ev in events:
            if ev.cell_id is not None and not isinstance(ev.cell_id, str):
                info = self.org_by_id.get(ev.cell_id)
                ev.cell_id = info.code if info else ev.cell_id
        return events
