"""The checks of an organization's place and details: the Statute's placement rules (pure: the import
checks its rows with them), the tree on the day, the code, name, kinds and administrative unit."""

from __future__ import annotations

import datetime as dt
import functools

from django.utils.translation import gettext as _

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.lengths import check_lengths
from dangvu.core.text import check_name_text

from .. import selectors
from ..models import ALLOWED_PARENT_KINDS, Organization, OrganizationKind, OrganizationPeriod, UnitKind


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


def check_parent_outlives(*, parent: str, end: dt.date | None, org: str, until: dt.date | None) -> None:
    """Pure (the import checks its rows with it): refused when `org`, placed under `parent` until `until`
    (None: for good), would stay under it beyond `end`, the day `parent` ends (None: it does not end) — it
    would be left under an organization that no longer exists, out of the tree and of every figure."""
    if end is not None and (until is None or until > end):
        raise DomainError(
            _("%(parent)s ends on %(end)s: %(org)s would be left under it after that day. Choose an organization "
              "that still exists then.") % {"parent": parent, "end": format_date(end), "org": org},
            field="parent", code="organization.parent_ends",
        )


def check_end_after_children(*, org: str, day: dt.date, child: str | None, child_from: dt.date | None) -> None:
    """Pure (the import checks its rows with it): refused when `org` would end on `day` while `child`, the
    first organization placed under it after that day, comes under it on `child_from` (None: there is none)."""
    if child is not None and child_from is not None and child_from > day:
        raise DomainError(
            _("%(child)s is under %(org)s from %(from)s, after %(day)s: an organization cannot end before what "
              "happens under it. Choose a later day.")
            % {"child": child, "org": org, "from": format_date(child_from), "day": format_date(day)},
            field="effective_on",
        )


def _refuse_left_under_ended_parent(org: Organization, parent: Organization | None) -> None:
    """After `org` was placed under `parent` (its periods rebuilt): `check_parent_outlives` for the time
    `org` stays under `parent`. Called inside the transaction of the change."""
    if parent is None:
        return
    end = Organization.objects.filter(pk=parent.pk).values_list("dissolved_on", flat=True).first()
    if end is None:
        return
    ends = list(OrganizationPeriod.objects.filter(organization=org, parent=parent).values_list("valid_to", flat=True))
    until = None if None in ends else max(ends, default=None)
    if ends:
        check_parent_outlives(parent=parent.name, end=end, org=org.name, until=until)


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


def _require_exists(org: Organization, day: dt.date) -> OrganizationPeriod:
    period = selectors.period_on(org.pk, day)
    if period is None:
        raise DomainError(
            _("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(day)},
            field="effective_on",
        )
    return period
