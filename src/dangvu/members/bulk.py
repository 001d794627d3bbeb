"""Many members and events at once (imports, demo, synth), with the same rules as the services.

`bulk_write` validates every member's whole event sequence with `history.replay` before anything
is written (a DomainError carries `.event`, so callers can point at the offending input row),
then inserts members, events and derived periods in bulk and audits each created row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from dangvu.core.audit import log_bulk_created
from dangvu.core.bulk import bulk_insert, instance_factory
from dangvu.core.text import fold, sort_key, split_name

from . import history
from .models import Member, MemberEvent, MemberPeriod
from .services import _apply_state


@dataclass
class BulkError(Exception):
    """One member whose events break a rule; `event` is the offending event (with any tags)."""

    member_code: str
    message: str
    event: object | None = None

    def __str__(self) -> str:
        return f"{self.member_code}: {self.message}"


def prepare_name(member: Member) -> None:
    member.family_name, member.middle_name, member.given_name = split_name(member.full_name)
    member.name_folded = fold(member.full_name)
    member.sort_key = sort_key(member.family_name, member.middle_name, member.given_name)


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
               audit: bool = True) -> dict:
    """Write new members and new events (for new or existing members). All-or-nothing: raises the
    list of BulkError (as ExceptionGroup-free `BulkErrors`) before writing when any rule fails."""
    for m in new_members:
        prepare_name(m)
    results, errors = validate(new_members, events)
    if errors:
        raise BulkErrors(errors)
    members = {id(m): m for m in new_members}
    for ev in events:
        members.setdefault(id(ev.member), ev.member)
    periods: list[MemberPeriod] = []
    new_period = instance_factory(MemberPeriod)
    for key, (plist, state) in results.items():
        m = members[key]
        _apply_state(m, state)
        for p in plist:
            periods.append(new_period(cell_id=p.cell_id, status=p.status, exempted=p.exempted,
                                      valid_from=p.valid_from, valid_to=p.valid_to, _member=m))
    bulk_insert(Member, new_members)
    user = actor if getattr(actor, "is_authenticated", False) else None
    for ev in events:
        ev.member_id = ev.member.pk
        if user is not None and ev.recorded_by_id is None:
            ev.recorded_by = user
    bulk_insert(MemberEvent, events)
    new_ids = {id(m) for m in new_members}  # by identity: `m in list` compares by pk, O(n²)
    existing = [m for m in members.values() if id(m) not in new_ids]
    if existing:
        MemberPeriod.objects.filter(member_id__in=[m.pk for m in existing]).delete()
        Member.objects.bulk_update(
            existing, ["status", "cell", "exempted", "admitted_on", "made_official_on", "ended_on", "card_number"],
            batch_size=1000,
        )
    for p in periods:
        p.member_id = p.__dict__.pop("_member").pk
    bulk_insert(MemberPeriod, periods)
    if audit:
        log_bulk_created(new_members, actor=actor, source=source)
        log_bulk_created(events, actor=actor, source=source)
    return {"members": len(new_members), "events": len(events), "periods": len(periods)}


class BulkErrors(Exception):
    def __init__(self, errors: list[BulkError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors
