"""Organization operations (thành lập, đổi tên, chuyển giao, nâng cấp, giải thể).

Each operation is one transaction: it validates against the tree as it stood on the event's
date, writes an `OrganizationEvent`, and rebuilds the derived periods of that organization.
Merges and splits move members too, so they live in `dangvu.members.restructuring`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from dangvu.core.audit import acting_user
from dangvu.core.dates import BEGINNING, format_date
from dangvu.core.errors import DomainError
from dangvu.core.lengths import check_lengths
from dangvu.core.models import claim_version
from dangvu.core.text import check_name_text, fold

from . import selectors
from .models import (
    ALLOWED_PARENT_KINDS,
    Organization,
    OrganizationEvent,
    OrganizationEventKind,
    OrganizationKind,
    OrganizationPeriod,
    UnitKind,
)

K = OrganizationEventKind


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
    many of those due are left out of the denominator under the rules (exempted from activities)."""

    due: int
    present: int
    votes_for: int
    excluded: int = 0


@functools.cache
def _admin_unit_codes() -> frozenset[int]:
    from vietnam_provinces import Province, Ward

    return frozenset([int(p.code) for p in Province.iter_all()] + [int(w.code) for w in Ward.iter_all()])


def _check_admin_unit(code: str) -> None:
    if not code:
        return
    if not code.isdigit() or int(code) not in _admin_unit_codes():
        raise DomainError(
            _("Administrative unit code %(code)s is not a known province or commune code.") % {"code": code},
            field="admin_unit_code",
        )


def check_placement(*, kind: str, parent_code: str | None, parent_kind: str | None, day: dt.date) -> None:
    """The Statute's placement rules (pure: the import checks its rows with it): `parent_kind` is the parent's kind on `day` (None when the
    parent does not exist that day); `parent_code` None means a root."""
    if parent_code is None:
        # A database may be rooted at a province, a district or a grassroots organization; a
        # partial committee or a subordinate cell always sits inside a grassroots committee.
        if kind in (OrganizationKind.PARTIAL_COMMITTEE, OrganizationKind.SUBORDINATE_CELL):
            raise DomainError(_("This kind of organization needs a parent organization."), field="parent",
                              code="organization.parent_required")
        return
    if parent_kind is None:
        raise DomainError(
            _("The parent organization %(parent)s does not exist on %(day)s.")
            % {"parent": parent_code, "day": format_date(day)},
            field="parent", code="organization.parent_missing",
        )
    if parent_kind not in ALLOWED_PARENT_KINDS[kind]:
        raise DomainError(
            _("A %(kind)s cannot be placed under a %(parent_kind)s.")
            % {"kind": OrganizationKind(kind).label, "parent_kind": OrganizationKind(parent_kind).label},
            field="parent", code="organization.parent_kind",
        )


def _check_parent(*, kind: str, parent: Organization | None, day: dt.date, org: Organization | None = None):
    period = selectors.period_on(parent.pk, day) if parent is not None else None
    check_placement(kind=kind, parent_code=parent.code if parent else None,
                     parent_kind=period.kind if period else None, day=day)
    if org is not None and parent is not None and (
        parent.pk == org.pk or org.pk in selectors.ancestors_as_of(parent.pk, day)
    ):
        raise DomainError(_("An organization cannot be placed under itself or its own descendant."), field="parent",
                          code="organization.own_descendant")


def check_details(*, code: str, name: str, kind: str, unit_kind: str, admin_unit_code: str) -> None:
    """The undated details of a new organization (pure: the import checks its rows with it)."""
    if not code:
        raise DomainError(_("The code is required."), field="code")
    if not name:
        raise DomainError(_("The name is required."), field="name")
    check_name_text(name, field="name")
    check_lengths(Organization, {"code": code, "name": name})
    if kind not in OrganizationKind.values:
        raise DomainError(_("Unknown organization kind: %(kind)s.") % {"kind": kind}, field="kind")
    if unit_kind and unit_kind not in UnitKind.values:
        raise DomainError(_("Unknown unit kind: %(kind)s.") % {"kind": unit_kind}, field="unit_kind")
    _check_admin_unit(admin_unit_code)


def _duplicate_code(code: str) -> DomainError:
    return DomainError(_("An organization with code %(code)s already exists.") % {"code": code}, field="code")


def _record(org, kind, day, decision: Decision, payload: dict, note: str, actor) -> OrganizationEvent:
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


def _require_exists(org: Organization, day: dt.date) -> OrganizationPeriod:
    period = selectors.period_on(org.pk, day)
    if period is None:
        raise DomainError(
            _("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(day)},
            field="effective_on",
        )
    return period


@transaction.atomic
def organization_establish(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None = None,
    established_on: dt.date | None = None,
    unit_kind: str = "",
    admin_unit_code: str = "",
    decision: Decision = NO_DECISION,
    note: str = "",
    actor=None,
) -> Organization:
    """Thành lập: create an organization under `parent` from `established_on` (None: since ever)."""
    code = (code or "").strip()
    name = " ".join((name or "").split())
    check_details(code=code, name=name, kind=kind, unit_kind=unit_kind, admin_unit_code=admin_unit_code)
    if Organization.objects.filter(code=code).exists():
        raise _duplicate_code(code)
    day = established_on or BEGINNING
    _check_parent(kind=kind, parent=parent, day=day)
    org = Organization.objects.create(
        code=code,
        name=name,
        name_folded=fold(name),
        kind=kind,
        unit_kind=unit_kind,
        admin_unit_code=admin_unit_code,
        parent=parent,
        established_on=established_on,
    )
    _record(org, K.ESTABLISHED, day, decision, {"parent_id": parent.pk if parent else None, "kind": kind, "name": name}, note, actor)
    rebuild_periods(org)
    return org


@dataclass
class NewOrganization:
    """One organization for `organizations_establish_many`; `parent_code` names an existing
    organization or one earlier in the list; `tag` is the caller's (e.g. the input row)."""

    code: str
    name: str
    kind: str
    parent_code: str | None = None
    established_on: dt.date | None = None
    unit_kind: str = ""
    admin_unit_code: str = ""
    tag: object = None


@transaction.atomic
def organizations_establish_many(specs: list[NewOrganization], *, actor=None, source: str = "import") -> dict[str, Organization]:
    """Thành lập of many organizations at once (an import): the checks of `organization_establish`,
    made in memory, then one bulk write of the organizations, their events and periods, and their
    audit entries. Parents come before their children. All-or-nothing: the first refusal raises
    DomainError with `.spec` set to the offending spec. Returns the new organizations by code."""
    from dangvu.core.audit import log_bulk_created
    from dangvu.core.bulk import assign_ids, bulk_insert, instance_factory

    codes = [s.code for s in specs]
    taken = set(Organization.objects.filter(code__in=codes).values_list("code", flat=True))
    existing_codes = {s.parent_code for s in specs if s.parent_code} - set(codes)
    existing = {o.code: o for o in Organization.objects.filter(code__in=existing_codes)}
    periods: dict[int, list[OrganizationPeriod]] = {}
    for p in OrganizationPeriod.objects.filter(organization__in=existing.values()):
        periods.setdefault(p.organization_id, []).append(p)

    def existing_kind_on(org: Organization, day: dt.date) -> str | None:
        return next((p.kind for p in periods.get(org.pk, ())
                     if p.valid_from <= day and (p.valid_to is None or p.valid_to > day)), None)

    new: dict[str, tuple[NewOrganization, Organization]] = {}
    parent_of: dict[str, Organization | None] = {}
    new_org = instance_factory(Organization)
    user = acting_user(actor)
    for spec in specs:
        try:
            spec.code, spec.name = (spec.code or "").strip(), " ".join((spec.name or "").split())
            check_details(code=spec.code, name=spec.name, kind=spec.kind, unit_kind=spec.unit_kind,
                           admin_unit_code=spec.admin_unit_code)
            if spec.code in taken or spec.code in new:
                raise _duplicate_code(spec.code)
            day = spec.established_on or BEGINNING
            parent_kind, parent = None, None
            if spec.parent_code in new:
                pspec, parent = new[spec.parent_code]
                parent_kind = pspec.kind if (pspec.established_on or BEGINNING) <= day else None
            elif spec.parent_code:
                parent = existing.get(spec.parent_code)
                parent_kind = existing_kind_on(parent, day) if parent else None
            check_placement(kind=spec.kind, parent_code=spec.parent_code, parent_kind=parent_kind, day=day)
        except DomainError as exc:
            exc.spec = spec
            raise
        org = new_org(code=spec.code, name=spec.name, name_folded=fold(spec.name), kind=spec.kind,
                      unit_kind=spec.unit_kind, admin_unit_code=spec.admin_unit_code, established_on=spec.established_on)
        new[spec.code] = (spec, org)
        parent_of[spec.code] = parent
    orgs = [org for _spec, org in new.values()]
    assign_ids(Organization, orgs)
    for org in orgs:  # parents first, so a parent's id and path are known
        parent = parent_of[org.code]
        org.parent_id = parent.pk if parent else None
        org.path = tree_path(parent.path if parent else "/", org.pk)
    # instances made without Model.__init__ (a tenth of its cost): every field given or defaulted
    new_event, new_period = instance_factory(OrganizationEvent), instance_factory(OrganizationPeriod)
    events = [new_event(organization_id=o.pk, kind=K.ESTABLISHED, effective_on=o.established_on or BEGINNING,
                        payload={"parent_id": o.parent_id, "kind": o.kind, "name": o.name},
                        recorded_by_id=user.pk if user else None)
              for o in orgs]
    new_periods = [new_period(organization_id=o.pk, parent_id=o.parent_id, kind=o.kind, name=o.name,
                              valid_from=o.established_on or BEGINNING) for o in orgs]
    bulk_insert(Organization, orgs)
    bulk_insert(OrganizationEvent, events)
    bulk_insert(OrganizationPeriod, new_periods)
    log_bulk_created(orgs, actor=actor, source=source)
    log_bulk_created(events, actor=actor, source=source)
    return {o.code: o for o in orgs}


@transaction.atomic
def organization_update_details(
    org: Organization, *, unit_kind: str | None = None, admin_unit_code: str | None = None,
    version: int | None = None, actor=None,
) -> Organization:
    """Correct the undated details of an organization (unit kind, administrative unit); only those
    given are written. `version`: the organization's version the changes were made over; when it
    has moved on, `EditConflict` and nothing is written."""
    claim_version(org, version)
    fields = []
    if unit_kind is not None:
        if unit_kind and unit_kind not in UnitKind.values:
            raise DomainError(_("Unknown unit kind: %(kind)s.") % {"kind": unit_kind}, field="unit_kind")
        org.unit_kind = unit_kind
        fields.append("unit_kind")
    if admin_unit_code is not None:
        _check_admin_unit(admin_unit_code)
        org.admin_unit_code = admin_unit_code
        fields.append("admin_unit_code")
    org.save(update_fields=fields)
    return org


@transaction.atomic
def organization_rename(org: Organization, *, name: str, effective_on: dt.date, decision: Decision = NO_DECISION,
                        note: str = "", actor=None) -> Organization:
    """Đổi tên from `effective_on`."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("The name is required."), field="name")
    check_name_text(name, field="name")
    period = _require_exists(org, effective_on)
    if period.name == name:
        raise DomainError(_("The new name is the same as the current one."), field="name")
    _record(org, K.RENAMED, effective_on, decision, {"name": name, "old_name": period.name}, note, actor)
    rebuild_periods(org)
    return org


@transaction.atomic
def organization_move(org: Organization, *, parent: Organization, effective_on: dt.date,
                      decision: Decision = NO_DECISION, note: str = "", actor=None) -> Organization:
    """Chuyển giao: place the organization (with its whole subtree) under another parent."""
    period = _require_exists(org, effective_on)
    if period.parent_id == parent.pk:
        raise DomainError(_("The organization is already under %(parent)s.") % {"parent": parent.name}, field="parent")
    _check_parent(kind=period.kind, parent=parent, day=effective_on, org=org)
    _record(org, K.MOVED, effective_on, decision, {"parent_id": parent.pk, "old_parent_id": period.parent_id}, note, actor)
    rebuild_periods(org)
    return org


@transaction.atomic
def organization_change_kind(org: Organization, *, kind: str, effective_on: dt.date,
                             decision: Decision = NO_DECISION, note: str = "", actor=None) -> Organization:
    """Nâng cấp / chuyển đổi: chi bộ cơ sở ↔ đảng bộ cơ sở (or another change of kind)."""
    if kind not in OrganizationKind.values:
        raise DomainError(_("Unknown organization kind: %(kind)s.") % {"kind": kind}, field="kind")
    period = _require_exists(org, effective_on)
    if period.kind == kind:
        raise DomainError(_("The organization already has this kind."), field="kind")
    parent = Organization.objects.get(pk=period.parent_id) if period.parent_id else None
    _check_parent(kind=kind, parent=parent, day=effective_on)

    children = OrganizationPeriod.objects.active_on(effective_on).filter(parent=org)
    for child in children:
        if kind not in ALLOWED_PARENT_KINDS[child.kind]:
            raise DomainError(
                _("%(child)s cannot stay under a %(kind)s; move it first.")
                % {"child": child.name, "kind": OrganizationKind(kind).label},
                field="kind",
            )
    _record(org, K.KIND_CHANGED, effective_on, decision, {"kind": kind, "old_kind": period.kind}, note, actor)
    rebuild_periods(org)
    return org


@transaction.atomic
def organization_close(org: Organization, *, effective_on: dt.date, kind: str = K.DISSOLVED,
                       decision: Decision = NO_DECISION, payload: dict | None = None, note: str = "",
                       actor=None) -> Organization:
    """Giải thể (or the end of a merged/split organization): from `effective_on` it no longer exists.

    Refused while it still has child organizations or members on that day: they must be moved
    first (each move is its own dated event), so that nobody is lost from the tree.
    """

    _require_exists(org, effective_on)
    live_children = OrganizationPeriod.objects.active_on(effective_on).filter(parent=org)
    if live_children.exists():
        raise DomainError(
            _("%(org)s still has %(n)d subordinate organizations on %(day)s; move or dissolve them first.")
            % {"org": org.name, "n": live_children.count(), "day": format_date(effective_on)},
            field="effective_on",
        )
    _record(org, kind, effective_on, decision, payload or {}, note, actor)
    rebuild_periods(org)
    return org
