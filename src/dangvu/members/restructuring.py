"""Restructuring (sắp xếp tổ chức): dissolve, merge and split organizations, re-homing members.

Every re-homed member gets a dated `MOVED` event with the decision, so that the history of who
belonged where stays complete (e.g. the 2025 mergers of communes and the end of the district
level). Child organizations are moved with their own dated events.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.organizations import services as org_services
from dangvu.organizations.models import (
    CELL_KINDS,
    Organization,
    OrganizationEventKind,
    OrganizationKind,
    OrganizationPeriod,
)
from dangvu.organizations.selectors import ancestors_as_of, period_on
from dangvu.organizations.services import NO_DECISION, Decision

from .models import Member, MemberEventKind, MemberPeriod
from .services import member_record_event


def members_in_cell_on(cell: Organization, day: dt.date):
    """Members placed in `cell` on `day`."""
    ids = MemberPeriod.objects.active_on(day).filter(cell=cell).values("member_id")
    return Member.objects.filter(pk__in=ids)


def children_on(org: Organization, day: dt.date):
    ids = OrganizationPeriod.objects.active_on(day).filter(parent=org).values("organization_id")
    return Organization.objects.filter(pk__in=ids)


def check_end_after_members(*, org: str, day: dt.date, member: str | None, member_from: dt.date | None) -> None:
    """Pure (the import checks its rows with it): refused when `org` would end on `day` while `member`, the
    first member placed in it after that day, is placed in it on `member_from` (None: there is none); they
    would be left in an organization that no longer exists, out of the tree and of every figure."""
    if member is not None and member_from is not None and member_from > day:
        raise DomainError(
            _("%(name)s is placed in %(org)s from %(from)s, after %(day)s: an organization cannot end before its "
              "members are placed in it. Choose a later day.")
            % {"name": member, "org": org, "from": format_date(member_from), "day": format_date(day)},
            field="effective_on",
        )


def _refuse_members_placed_later(org: Organization, day: dt.date) -> None:
    """`check_end_after_members` for `org` ending on `day`, against the members placed in it."""
    later = (MemberPeriod.objects.filter(cell=org, valid_from__gt=day).select_related("member")
             .order_by("valid_from", "member__sort_key").first())
    check_end_after_members(org=org.name, day=day, member=later.member.full_name if later else None,
                            member_from=later.valid_from if later else None)


@transaction.atomic
def rehome_members(members, *, cell: Organization, effective_on: dt.date, decision: Decision = NO_DECISION,
                   note: str = "", actor=None) -> int:
    """Move each member to `cell` on `effective_on` (one MOVED event each)."""
    n = 0
    for member in members:
        member_record_event(member, kind=MemberEventKind.MOVED, effective_on=effective_on, cell=cell,
                            decision=decision, note=note or _("Restructuring"), actor=actor)
        n += 1
    return n


@transaction.atomic
def organization_dissolve(org: Organization, *, effective_on: dt.date, decision: Decision = NO_DECISION,
                          note: str = "", actor=None) -> Organization:
    """Giải thể: refused while members are still placed in it on that day."""
    n = members_in_cell_on(org, effective_on).count()
    if n:
        raise DomainError(
            _("%(org)s still has %(n)d members on %(day)s; move them to another cell first.")
            % {"org": org.name, "n": n, "day": format_date(effective_on)},
            field="effective_on",
        )
    _refuse_members_placed_later(org, effective_on)
    return org_services.organization_close(org, effective_on=effective_on, decision=decision, note=note, actor=actor)


def organization_change_kind(org: Organization, *, kind: str, effective_on: dt.date, cell_code: str = "",
                             cell_name: str = "", name: str = "", decision: Decision = NO_DECISION, note: str = "",
                             actor=None) -> Organization:
    """Nâng cấp / chuyển đổi (`organizations.services.organization_change_kind`) with the members placed
    directly in the organization: a kind that holds no members (a chi bộ cơ sở becoming a đảng bộ cơ sở)
    establishes on the same day a chi bộ trực thuộc under it, named `cell_name` with code `cell_code`, and
    moves them all into it (one dated MOVED event each); refused without that name and code, and while a
    member is placed in it later (they would stay placed directly in an organization that holds none).
    `name`, when given and not the current one: renamed on the same day by the same decision (a chi bộ becoming
    a đảng bộ is named so). One transaction: refused, nothing is written and `org` is as stored."""
    try:
        with transaction.atomic():
            org_services.organization_change_kind(org, kind=kind, effective_on=effective_on, decision=decision,
                                                  note=note, actor=actor)
            name = " ".join((name or "").split())
            if name and name != period_on(org.pk, effective_on).name:
                org_services.organization_rename(org, name=name, effective_on=effective_on, decision=decision,
                                                 note=note, actor=actor)
            if kind not in CELL_KINDS:
                _move_members_into_a_new_cell(org, kind, effective_on, cell_code=cell_code, cell_name=cell_name,
                                              decision=decision, note=note, actor=actor)
    except DomainError:
        org.refresh_from_db()
        raise
    return org


def _move_members_into_a_new_cell(org: Organization, kind: str, day: dt.date, *, cell_code: str, cell_name: str,
                                  decision: Decision, note: str, actor) -> None:
    _refuse_members_placed_later_in(org, kind, day)
    members = list(members_in_cell_on(org, day).order_by("sort_key", "id"))
    if not members:
        return
    if not " ".join((cell_name or "").split()):
        raise DomainError(
            _("%(org)s has %(n)d members placed directly in it on %(day)s, and a %(kind)s holds none: give the "
              "name and the code of the subordinate cell established for them on that day.")
            % {"org": org.name, "n": len(members), "day": format_date(day),
               "kind": OrganizationKind(kind).label.lower()},
            field="cell_name", code="organization.members_need_cell",
        )
    try:
        cell = org_services.organization_establish(
            code=cell_code, name=cell_name, kind=OrganizationKind.SUBORDINATE_CELL, parent=org, established_on=day,
            decision=decision, note=note, actor=actor)
    except DomainError as exc:  # the new cell's details, or the new kind cannot hold a cell
        exc.field = {"code": "cell_code", "name": "cell_name", "parent": "kind"}.get(exc.field or "", exc.field)
        raise
    rehome_members(members, cell=cell, effective_on=day, decision=decision,
                   note=note or _("Change of kind of %(org)s") % {"org": org.name}, actor=actor)


def _refuse_members_placed_later_in(org: Organization, kind: str, day: dt.date) -> None:
    """Refused when a member is placed in `org` after `day`, while it is of `kind` (a kind that holds no
    members): until its next change of kind."""
    later = MemberPeriod.objects.filter(cell=org, valid_from__gt=day)
    until = org_services.next_kind_change(org, day)
    if until is not None:
        later = later.filter(valid_from__lt=until)
    first = later.select_related("member").order_by("valid_from", "member__sort_key").first()
    if first is not None:
        raise DomainError(
            _("%(name)s is placed in %(org)s from %(from)s, after %(day)s, and a %(kind)s holds no members: move "
              "them first or choose a later day.")
            % {"name": first.member.full_name, "org": org.name, "from": format_date(first.valid_from),
               "day": format_date(day), "kind": OrganizationKind(kind).label.lower()},
            field="effective_on",
        )


@transaction.atomic
def organization_merge(*, sources: list[Organization], target: Organization, effective_on: dt.date,
                       decision: Decision = NO_DECISION, note: str = "", actor=None) -> Organization:
    """Sáp nhập / hợp nhất: the sources end on `effective_on`; their members move to `target` (a
    cell) and their subordinate organizations move under `target`."""
    if not sources:
        raise DomainError(_("Choose at least one organization to merge."), field="sources")
    if target in sources:
        raise DomainError(_("An organization cannot be merged into itself."), field="target")
    above_target = set(ancestors_as_of(target.pk, effective_on))
    for src in sources:
        if src.pk in above_target:
            raise DomainError(
                _("%(target)s is under %(org)s on %(day)s: an organization cannot be merged into its own "
                  "subordinate.") % {"target": target.name, "org": src.name, "day": format_date(effective_on)},
                field="target",
            )
    for src in sources:
        members = list(members_in_cell_on(src, effective_on))
        if members:
            rehome_members(members, cell=target, effective_on=effective_on, decision=decision,
                           note=note or _("Merged into %(t)s") % {"t": target.name}, actor=actor)
        for child in children_on(src, effective_on):
            org_services.organization_move(child, parent=target, effective_on=effective_on, decision=decision,
                                           note=note, actor=actor)
        _refuse_members_placed_later(src, effective_on)
        org_services.organization_close(src, effective_on=effective_on, kind=OrganizationEventKind.MERGED,
                                        decision=decision, payload={"into_id": target.pk, "into_code": target.code},
                                        note=note, actor=actor)
    return target


@transaction.atomic
def organization_split(*, source: Organization, effective_on: dt.date, member_cells: dict[int, Organization],
                       child_parents: dict[int, Organization] | None = None, decision: Decision = NO_DECISION,
                       note: str = "", actor=None) -> None:
    """Chia tách: every member of `source` on `effective_on` moves to the cell given for them in
    `member_cells` (by member id) and every child to the parent in `child_parents`; then the
    source ends. Refused if anyone is left without a destination."""
    child_parents = child_parents or {}
    members = list(members_in_cell_on(source, effective_on))
    missing = [m.full_name for m in members if m.pk not in member_cells]
    if missing:
        raise DomainError(
            _("Choose a destination cell for: %(names)s.") % {"names": ", ".join(missing[:10])}, field="member_cells"
        )
    children = list(children_on(source, effective_on))
    missing_children = [c.name for c in children if c.pk not in child_parents]
    if missing_children:
        raise DomainError(
            _("Choose a new parent for: %(names)s.") % {"names": ", ".join(missing_children[:10])},
            field="child_parents",
        )
    for m in members:
        member_record_event(m, kind=MemberEventKind.MOVED, effective_on=effective_on, cell=member_cells[m.pk],
                            decision=decision, note=note or _("Split of %(s)s") % {"s": source.name}, actor=actor)
    for c in children:
        org_services.organization_move(c, parent=child_parents[c.pk], effective_on=effective_on, decision=decision,
                                       note=note, actor=actor)
    _refuse_members_placed_later(source, effective_on)
    into = sorted({o.pk for o in member_cells.values()} | {o.pk for o in child_parents.values()})
    org_services.organization_close(source, effective_on=effective_on, kind=OrganizationEventKind.SPLIT,
                                    decision=decision, payload={"into_ids": into}, note=note, actor=actor)
