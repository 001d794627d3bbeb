"""Many members and events at once (imports, demo, synth), with the same rules as the services.

`bulk_write` validates every member's whole event sequence with `history.replay` before anything
is written (a DomainError carries `.event`, so callers can point at the offending input row),
then inserts members, events and derived periods in bulk, and audits them: one entry for the new
members with their events (`core.audit.log_bulk_batch`), one per event of an existing member.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from operator import attrgetter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dangvu.core.audit import acting_user, log_bulk_batch, log_bulk_created, log_bulk_updated
from dangvu.core.bulk import bulk_insert, insert_rows, reserve_ids

from . import history, search
from .models import Member, MemberEvent, MemberPeriod
from .services import (
    NAME_FIELDS,
    PERIOD_PROFILE_FIELDS,
    STATE_FIELDS,
    _apply_state,
    apply_name,
    copy_profile_to_periods,
)


@dataclass
class BulkError(Exception):
    """One member whose events break a rule; `event` is the offending event (with any tags)."""

    member_code: str
    message: str
    event: object | None = None

    def __str__(self) -> str:
        return f"{self.member_code}: {self.message}"


def validate(new_members: list[Member], events: list[MemberEvent]) -> tuple[dict, list[BulkError]]:
    """Replay every affected member; return ({member key: (periods, state)}, errors)."""
    by_member: dict[int, list] = defaultdict(list)
    members: dict[int, Member] = {}
    for m in new_members:
        members[id(m)] = m
    for ev in events:
        m = ev.member
        members.setdefault(id(m), m)
        by_member[id(m)].append(ev)
    existing = [m for m in members.values() if m.pk is not None]
    if existing:
        stored = MemberEvent.objects.filter(member_id__in=[m.pk for m in existing])
        by_pk = {m.pk: id(m) for m in existing}
        for ev in stored:
            by_member[by_pk[ev.member_id]].append(ev)
    results: dict[int, tuple] = {}
    errors: list[BulkError] = []
    for key, member in members.items():
        try:
            results[key] = history.replay(by_member.get(key, []))
        except Exception as exc:  # DomainError
            errors.append(BulkError(member.code, getattr(exc, "message", str(exc)), getattr(exc, "event", None)))
    return results, errors


@transaction.atomic
def bulk_write(new_members: list[Member], events: list[MemberEvent], *, actor=None, source: str = "import",
               audit: bool = True, replayed: dict | None = None) -> dict:
    """Write new members and new events (for new or existing members). All-or-nothing: raises the
    list of BulkError (as ExceptionGroup-free `BulkErrors`) before writing when any rule fails.
    `replayed` ({id(member): (periods, state)}, cells as ids): the caller's own `history.replay` of
    each member's whole sequence, its stored events and these (an import replays them to check its
    rows); they are then not replayed a second time."""
    named: dict[str, tuple] = {}  # full name → its parts, folded form and sort key (names repeat)
    for m in new_members:
        parts = named.get(m.full_name)
        if parts is None:
            apply_name(m)
            named[m.full_name] = attrgetter(*NAME_FIELDS)(m)
        else:
            m.__dict__.update(zip(NAME_FIELDS, parts, strict=True))
    if replayed is not None:
        results = replayed
    else:
        results, errors = validate(new_members, events)
        if errors:
            raise BulkErrors(errors)
    members = {id(m): m for m in new_members}
    owners = [ev.member for ev in events]  # each event's member, read once (the descriptor is slow)
    for m in owners:
        members.setdefault(id(m), m)
    # (member, its replayed state, history.Period): written as rows once the members have their keys
    periods: list[tuple] = []
    for key, (plist, state) in results.items():
        m = members[key]
        _apply_state(m, state)
        periods += [(m, state, p) for p in plist]
    now = timezone.now()  # the new members' created_at, and their batch entry's time stamp
    bulk_insert(Member, new_members, now=now)
    search.index_new(new_members)
    user = acting_user(actor)
    for ev, m in zip(events, owners, strict=True):
        ev.__dict__["member_id"] = m.id  # what the FK's setter does (it would also forget `ev.member`, m itself)
        if user is not None and ev.recorded_by_id is None:
            ev.recorded_by = user
    # in date order (a stable sort: same-day events keep their order, so their keys too): two of the
    # event indexes start with the date, and inserting into them in order is cheaper on a large table
    bulk_insert(MemberEvent, sorted(events, key=attrgetter("effective_on")))
    new_ids = {id(m) for m in new_members}  # by identity: `m in list` compares by pk, O(n²)
    existing = [m for m in members.values() if id(m) not in new_ids]
    if existing:
        MemberPeriod.objects.filter(member_id__in=[m.pk for m in existing]).delete()
        Member.objects.bulk_update(existing, list(STATE_FIELDS), batch_size=1000)
        search.move(existing)
    _insert_periods(periods)
    if audit:
        # one entry for the new members and their events; the events of existing members have their own
        with_new = [ev for ev, m in zip(events, owners, strict=True) if id(m) in new_ids]
        if new_members:
            log_bulk_batch(Member, {Member: [m.id for m in new_members], MemberEvent: [ev.id for ev in with_new]},
                           at=now, actor=actor, source=source)
        if len(with_new) < len(events):
            log_bulk_created([ev for ev, m in zip(events, owners, strict=True) if id(m) not in new_ids],
                             actor=actor, source=source)
    return {"members": len(new_members), "events": len(events), "periods": len(periods)}


@transaction.atomic
def bulk_update_profiles(changes: list[tuple[int, dict, dict]], *, actor=None, source: str = "import") -> int:
    """Profile corrections of many members at once, already cleaned (`services.clean_profile`):
    `changes` holds (member id, old values, new values); names re-split and re-indexed for search,
    audited in bulk. Returns how many members changed."""
    objs = {m.pk: m for m in Member.objects.filter(pk__in=[mid for mid, _old, _new in changes])}
    changed: list[Member] = []
    fields: set[str] = set()
    entries = []
    for mid, old, new in changes:
        m = objs[mid]
        for k, v in new.items():
            setattr(m, k, v)
        if "full_name" in new:
            apply_name(m)
            fields |= set(NAME_FIELDS)
        fields |= set(new)
        changed.append(m)
        entries.append((m, {k: [old[k], new[k]] for k in new}))
    now = timezone.now()
    for m in changed:
        m.updated_at = now
        m.version = F("version") + 1  # a correction: a form or an If-Match made over the old data is refused
    Member.objects.bulk_update(changed, sorted(fields | {"updated_at", "version"}), batch_size=1000)
    search.reindex([m for m, diff in entries if "full_name" in diff])  # renamed: new search words
    copy_profile_to_periods([m.pk for m, diff in entries if set(diff) & set(PERIOD_PROFILE_FIELDS)])
    log_bulk_updated(entries, actor=actor, source=source)
    return len(changed)


def _insert_periods(periods: list[tuple]) -> None:
    """MemberPeriod rows straight from the replayed periods (no model instances: they are derived
    rows, neither audited nor returned), with the member's PERIOD_PROFILE_FIELDS and what the replay
    derived (the party age's start, a readmission)."""
    if not periods:
        return
    table = MemberPeriod._meta.db_table
    columns = ("id", "member_id", "cell_id", "status", "exempted", "suspended", "valid_from", "valid_to",
               *PERIOD_PROFILE_FIELDS, "party_age_start", "readmitted")
    ids = reserve_ids(table, len(periods))
    insert_rows(table, columns, [(i, m.id, p.cell_id, p.status, p.exempted, p.suspended, p.valid_from, p.valid_to,
                                  m.sex, m.ethnicity, m.religion or "", m.birth_date, m.general_education or "",
                                  m.political_theory_level or "", state.party_age_start, state.readmitted_on is not None)
                                 for i, (m, state, p) in zip(ids, periods, strict=True)])


class BulkErrors(Exception):
    def __init__(self, errors: list[BulkError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors
