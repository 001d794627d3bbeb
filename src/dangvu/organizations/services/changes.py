"""The dated changes of an existing organization (đổi tên, chuyển giao, nâng cấp, giải thể), each an
`OrganizationEvent` that rebuilds its periods, and the correction of its undated details."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.models import claim_version
from dangvu.core.text import check_name_text

from ..models import ALLOWED_PARENT_KINDS, Organization, OrganizationKind, OrganizationPeriod, UnitKind
from ..models import OrganizationEventKind as K
from .checks import (
    _check_admin_unit,
    _check_parent,
    _refuse_left_under_ended_parent,
    _require_exists,
    check_end_after_children,
)
from .decision import NO_DECISION, Decision
from .events import _record, rebuild_periods


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
    _refuse_left_under_ended_parent(org, parent)
    return org


def next_kind_change(org: Organization, day: dt.date) -> dt.date | None:
    """The day of `org`'s next change of kind after `day`, or None."""
    return (org.events.filter(kind=K.KIND_CHANGED, effective_on__gt=day).order_by("effective_on")
            .values_list("effective_on", flat=True).first())


@transaction.atomic
def organization_change_kind(org: Organization, *, kind: str, effective_on: dt.date,
                             decision: Decision = NO_DECISION, note: str = "", actor=None) -> Organization:
    """Nâng cấp / chuyển đổi: chi bộ cơ sở ↔ đảng bộ cơ sở (or another change of kind). Refused while an
    organization under it, on that day or later (until its next change of kind), cannot sit under the new
    kind. The members placed directly in it are `members.restructuring.organization_change_kind`'s (which
    calls this one): the web and the API call that."""
    if kind not in OrganizationKind.values:
        raise DomainError(_("Unknown organization kind: %(kind)s.") % {"kind": kind}, field="kind")
    period = _require_exists(org, effective_on)
    if period.kind == kind:
        raise DomainError(_("The organization already has this kind."), field="kind")
    parent = Organization.objects.get(pk=period.parent_id) if period.parent_id else None
    _check_parent(kind=kind, parent=parent, day=effective_on)

    children = OrganizationPeriod.objects.filter(parent=org).exclude(valid_to__lte=effective_on)
    until = next_kind_change(org, effective_on)
    if until is not None:
        children = children.filter(valid_from__lt=until)
    for child in children.order_by("valid_from", "name"):
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
    later = (OrganizationPeriod.objects.filter(parent=org, valid_from__gt=effective_on)
             .select_related("organization").order_by("valid_from", "organization__code").first())
    check_end_after_children(org=org.name, day=effective_on, child=later.name if later else None,
                             child_from=later.valid_from if later else None)
    _record(org, kind, effective_on, decision, payload or {}, note, actor)
    rebuild_periods(org)
    return org
