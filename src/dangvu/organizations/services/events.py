"""An organization's events and what they derive: an event written, the periods replayed from the
events with the current fields, and the materialized paths of the tree."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from dangvu.core.audit import acting_user
from dangvu.core.dates import check_past
from dangvu.core.text import fold

from ..models import Organization, OrganizationEvent, OrganizationEventKind, OrganizationPeriod
from .decision import Decision

K = OrganizationEventKind


def _record(org, kind, day, decision: Decision, payload: dict, note: str, actor) -> OrganizationEvent:
    """Write the event, refused when it is dated after today (no fact is recorded before it happens:
    `core.dates.check_past`), nor its decision (recorded once it has been issued)."""
    check_past(day, field="effective_on")
    check_past(decision.date, field="decision_date")
    return OrganizationEvent.objects.create(
        organization=org,
        kind=kind,
        effective_on=day,
        decision_number=decision.number,
        decision_date=decision.date,
        issued_by=decision.issued_by,
        payload=payload,
        note=note,
        recorded_by=acting_user(actor),
    )


def derive_periods(org: Organization, events: list[OrganizationEvent]) -> list[OrganizationPeriod]:
    """Replay an organization's events into its periods (pure: nothing is saved)."""
    order = {K.ESTABLISHED: 0, K.RENAMED: 1, K.MOVED: 1, K.KIND_CHANGED: 1, K.MERGED: 2, K.SPLIT: 2, K.DISSOLVED: 2}
    periods: list[OrganizationPeriod] = []
    state: dict | None = None
    start: dt.date | None = None
    for ev in sorted(events, key=lambda e: (e.effective_on, order[e.kind], e.pk or 0)):
        p = ev.payload or {}
        if ev.kind == K.ESTABLISHED:
            state = {"parent_id": p.get("parent_id"), "kind": p["kind"], "name": p["name"]}
            start = ev.effective_on
            continue
        if state is None:
            continue
        if start is not None and ev.effective_on > start:
            periods.append(OrganizationPeriod(organization=org, valid_from=start, valid_to=ev.effective_on, **state))
        if ev.kind in (K.MERGED, K.SPLIT, K.DISSOLVED):
            state, start = None, None
            continue
        state = dict(state)
        if ev.kind == K.RENAMED:
            state["name"] = p["name"]
        elif ev.kind == K.MOVED:
            state["parent_id"] = p.get("parent_id")
        elif ev.kind == K.KIND_CHANGED:
            state["kind"] = p["kind"]
        if start is None or ev.effective_on > start:
            start = ev.effective_on
    if state is not None and start is not None:
        periods.append(OrganizationPeriod(organization=org, valid_from=start, valid_to=None, **state))
    return periods


def rebuild_periods(org: Organization) -> None:
    """Recompute the organization's periods and current fields from its events."""
    events = list(org.events.all())
    periods = derive_periods(org, events)
    OrganizationPeriod.objects.filter(organization=org).delete()
    OrganizationPeriod.objects.bulk_create(periods)
    if periods:
        last = periods[-1]
        org.parent_id, org.kind, org.name = last.parent_id, last.kind, last.name
        org.name_folded = fold(last.name)
    closing = [e for e in events if e.kind in (K.MERGED, K.SPLIT, K.DISSOLVED)]
    org.dissolved_on = max((e.effective_on for e in closing), default=None) if not (periods and periods[-1].valid_to is None) else None
    old_path = org.path
    parent_path = Organization.objects.filter(pk=org.parent_id).values_list("path", flat=True).first() or "/"
    org.path = tree_path(parent_path, org.pk)
    # only what the events decide: the instance may be older than a correction of its details
    org.save(update_fields=["parent", "kind", "name", "name_folded", "dissolved_on", "path"])
    if old_path and old_path != org.path:
        # the whole subtree follows its root (one UPDATE, rare: a move or the end of a level)
        Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk).update(
            path=Concat(Value(org.path), Substr("path", len(old_path) + 1), output_field=CharField())
        )


def tree_path(parent_path: str, pk: int) -> str:
    """The materialized path of organization `pk` under a parent with `parent_path` ("/" for a root)."""
    return f"{parent_path or '/'}{pk}/"


def recompute_paths() -> int:
    """Recompute every organization's path from the current parents (after bulk writes, migrations);
    returns how many changed."""
    parents = dict(Organization.objects.values_list("pk", "parent_id"))
    current = dict(Organization.objects.values_list("pk", "path"))
    paths: dict[int, str] = {}

    def path_of(pk: int) -> str:
        chain, node = [], pk
        while node is not None and node not in paths and node not in chain:
            chain.append(node)
            node = parents.get(node)
        prefix = paths.get(node, "/")  # a root, a known path, or (never made by the services) a cycle
        for n in reversed(chain):
            prefix = paths[n] = tree_path(prefix, n)
        return paths[pk]

    changed = [Organization(pk=pk, path=path_of(pk)) for pk in parents]
    changed = [o for o in changed if current[o.pk] != o.path]
    Organization.objects.bulk_update(changed, ["path"], batch_size=2000)
    return len(changed)
