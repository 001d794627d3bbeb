"""Thành lập: an organization established under its parent, or many at once (an import)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Upper

from dangvu.core.audit import acting_user
from dangvu.core.dates import BEGINNING, check_past
from dangvu.core.errors import DomainError
from dangvu.core.text import fold

from ..models import Organization, OrganizationEvent, OrganizationPeriod
from ..models import OrganizationEventKind as K
from .checks import (
    _check_parent,
    _duplicate_code,
    _refuse_left_under_ended_parent,
    check_details,
    check_parent_outlives,
    check_placement,
)
from .decision import NO_DECISION, Decision
from .events import _record, rebuild_periods, tree_path


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
    check_past(established_on, field="established_on")
    taken = Organization.objects.filter(code__iexact=code).values_list("code", flat=True).first()
    if taken is not None:  # "np-nahy-01" beside "NP-NAHY-01" would be two codes nobody tells apart
        raise _duplicate_code(taken)
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
    _refuse_left_under_ended_parent(org, parent)
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
    # codes in capitals → as stored: a code differing from another only in capitals is the same code
    taken = dict(Organization.objects.annotate(code_upper=Upper("code"))
                 .filter(code_upper__in={c.upper() for c in codes if c}).values_list("code_upper", "code"))
    existing_codes = {s.parent_code for s in specs if s.parent_code} - set(codes)
    existing = {o.code: o for o in Organization.objects.filter(code__in=existing_codes)}
    periods: dict[int, list[OrganizationPeriod]] = {}
    for p in OrganizationPeriod.objects.filter(organization__in=existing.values()):
        periods.setdefault(p.organization_id, []).append(p)

    def existing_kind_on(org: Organization, day: dt.date) -> str | None:
        return next((p.kind for p in periods.get(org.pk, ())
                     if p.valid_from <= day and (p.valid_to is None or p.valid_to > day)), None)

    new: dict[str, tuple[NewOrganization, Organization]] = {}
    new_codes: dict[str, str] = {}  # in capitals → as given
    parent_of: dict[str, Organization | None] = {}
    new_org = instance_factory(Organization)
    user = acting_user(actor)
    for spec in specs:
        try:
            spec.code, spec.name = (spec.code or "").strip(), " ".join((spec.name or "").split())
            check_details(code=spec.code, name=spec.name, kind=spec.kind, unit_kind=spec.unit_kind,
                           admin_unit_code=spec.admin_unit_code)
            check_past(spec.established_on, field="established_on")
            same = taken.get(spec.code.upper()) or new_codes.get(spec.code.upper())
            if same is not None:
                raise _duplicate_code(same)
            day = spec.established_on or BEGINNING
            parent_kind, parent = None, None
            if spec.parent_code in new:
                pspec, parent = new[spec.parent_code]
                parent_kind = pspec.kind if (pspec.established_on or BEGINNING) <= day else None
            elif spec.parent_code:
                parent = existing.get(spec.parent_code)
                parent_kind = existing_kind_on(parent, day) if parent else None
            check_placement(kind=spec.kind, parent_code=spec.parent_code, parent_kind=parent_kind, day=day)
            if spec.parent_code not in new and parent is not None:
                check_parent_outlives(parent=parent.name, end=parent.dissolved_on, org=spec.name, until=None)
        except DomainError as exc:
            exc.spec = spec
            raise
        org = new_org(code=spec.code, name=spec.name, name_folded=fold(spec.name), kind=spec.kind,
                      unit_kind=spec.unit_kind, admin_unit_code=spec.admin_unit_code, established_on=spec.established_on)
        new[spec.code] = (spec, org)
        new_codes[spec.code.upper()] = spec.code
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
