"""Check the ToChuc rows against the database and each other, with the organization service's own
placement rules (`organizations.services.check_placement`, `check_parent_outlives`), in memory."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dangvu.core.dates import BEGINNING, format_date
from dangvu.core.errors import DomainError
from dangvu.organizations.models import OrganizationKind
from dangvu.organizations.services import check_parent_outlives, check_placement

from .context import Context, OrgInfo, OrgPeriod
from .plan import Plan
from .results import Report
from .rows import OrgRow, Rows
from .spec import TOCHUC


def check_organizations(rows: Rows, ctx: Context, plan: Plan, report: Report) -> None:
    seen: dict[str, int] = {}
    good: list[OrgRow] = []
    for r in rows.orgs:
        if r.code and r.code in seen:
            r.ok = False
            report.err(TOCHUC, r.row, "code", _("The code %(code)s is already used on row %(row)d.") % {
                "code": r.code, "row": seen[r.code]})
            continue
        if r.code:
            seen[r.code] = r.row
        if r.ok:
            good.append(r)
    # Register the new organizations (one period each) before checking parents.
    for r in good:
        info = ctx.orgs.get(r.code)
        if info is not None and info.id is not None:
            info.row = r
            continue
        info = OrgInfo(r.code)
        info.row = r
        info.periods = [OrgPeriod(r.established_on or BEGINNING, r.dissolved_on, r.kind, r.parent, r.name)]
        info.first = info.periods[0]
        ctx.orgs[r.code] = info
    for r in good:
        info = ctx.orgs[r.code]
        if info.id is not None:
            _check_existing(info, r, plan, report)
    failed: set[str] = set()
    for info in _parents_first(good, ctx, report):
        if info.row.parent in failed or not _check_new(info, info.row, ctx, plan, report):
            failed.add(info.code)
            continue
        plan.new_orgs.append(info)
    c = report.counts(TOCHUC)
    for info in plan.new_orgs:
        c.created += 1
        report.sample(TOCHUC, "created", f"{info.code} — {info.row.name}")


def _parents_first(rows: list[OrgRow], ctx: Context, report: Report) -> list[OrgInfo]:
    """The new organizations in topological order; cycles among new rows are errors."""
    order: list[OrgInfo] = []
    state: dict[str, int] = {}

    def visit(info: OrgInfo, path: list[str]) -> bool:
        s = state.get(info.code)
        if s in (2, 3):
            return s == 2
        if s == 1:
            report.err(TOCHUC, info.row.row, "parent", _("The parent codes form a cycle: %(codes)s.") % {
                "codes": " → ".join([*path, info.code])})
            return False
        state[info.code] = 1
        parent = ctx.orgs.get(info.row.parent) if info.row.parent else None
        ok = True
        if parent is not None and parent.id is None and parent.row is not None:
            ok = visit(parent, [*path, info.code])
        state[info.code] = 2 if ok else 3
        if ok:
            order.append(info)
        return ok

    for r in rows:
        info = ctx.orgs[r.code]
        if info.id is None:
            visit(info, [])
    return order


def _outside_scope(ctx: Context, r: OrgRow) -> str:
    return _("Row %(row)d would create %(code)s outside your scope; place it under %(roots)s or an "
             "organization below it.") % {"row": r.row, "code": r.code, "roots": ", ".join(ctx.scope_codes) or "—"}


def _check_new(info: OrgInfo, r: OrgRow, ctx: Context, plan: Plan, report: Report) -> bool:
    day = r.established_on or BEGINNING
    parent = ctx.orgs.get(r.parent) if r.parent else None
    if ctx.scope_ids is not None and r.parent is None:
        report.err(TOCHUC, r.row, "parent", _outside_scope(ctx, r))  # a new root is outside every scope
        return False
    if ctx.scope_ids is not None and (parent is None or not parent.known or not parent.in_scope):
        # one answer for a parent outside the scope and one nobody has
        report.err(TOCHUC, r.row, "parent", _("No organization with code “%(code)s” in your scope.") % {
            "code": r.parent})
        return False
    if r.parent is not None and (parent is None or not parent.known):
        report.err(TOCHUC, r.row, "parent", _("Unknown parent organization code %(code)s.") % {"code": r.parent})
        return False
    period = parent.period_on(day) if parent is not None else None
    if parent is not None and period is None and r.established_on is None and parent.first is not None:
        report.err(TOCHUC, r.row, "established_on", _(
            "The parent organization %(parent)s exists from %(day)s; enter this organization's "
            "establishment date.") % {"parent": r.parent, "day": format_date(parent.first.valid_from)})
        return False
    try:  # the organization service's rule
        check_placement(kind=r.kind, parent_code=r.parent, parent_kind=period.kind if period else None, day=day)
    except DomainError as exc:
        report.err(TOCHUC, r.row, exc.field or "parent", exc.message)
        return False
    if parent is not None:
        # the parent must outlive the child's existence: the service's rule against an end recorded before,
        # then the tree; a parent dissolved by this import reports its living children on its own row
        last = parent.periods[-1] if parent.periods else None
        try:
            check_parent_outlives(parent=last.name if last else r.parent, org=r.name, until=r.dissolved_on,
                                  end=last.valid_to if last and parent.closing_on is None else None)
        except DomainError as exc:
            report.err(TOCHUC, r.row, exc.field or "parent", exc.message)
            return False
        gap = parent.first_gap(day, r.dissolved_on, kinds=tuple(OrganizationKind.values))
        if gap is not None and gap != parent.closing_on:
            report.err(TOCHUC, r.row, "parent", _("The parent organization %(parent)s does not exist on %(day)s.") % {
                "parent": r.parent, "day": format_date(gap)})
            return False
    if r.dissolved_on:
        info.closing_on = r.dissolved_on
        plan.closings.append(info)
    return True


def _check_existing(info: OrgInfo, r: OrgRow, plan: Plan, report: Report) -> None:
    if not info.in_scope:
        report.err(TOCHUC, r.row, "code", _("Organization %(code)s is outside your scope.") % {"code": r.code})
        return
    first, last = info.first, (info.periods[-1] if info.periods else None)
    names = {p.name for p in info.periods} | {info.db_name}
    ok = True
    if r.name not in names:
        ok = False
        report.err(TOCHUC, r.row, "name", _(
            "The name differs from the database (%(name)s); rename the organization in the application.") % {
            "name": info.db_name})
    if first is not None and r.kind not in (first.kind, last.kind):
        ok = False
        report.err(TOCHUC, r.row, "kind", _(
            "The type differs from the database (%(kind)s); change it in the application.") % {
            "kind": OrganizationKind(last.kind).label})
    if first is not None and r.parent not in (first.parent, last.parent):
        ok = False
        report.err(TOCHUC, r.row, "parent", _(
            "The parent differs from the database (%(code)s); move the organization in the application.") % {
            "code": last.parent or "—"})
    db_est = first.valid_from if first and first.valid_from != BEGINNING else None
    if r.established_on != db_est:
        ok = False
        report.err(TOCHUC, r.row, "established_on", _(
            "The establishment date differs from the database (%(day)s).") % {"day": format_date(db_est) or "—"})
    db_end = last.valid_to if last else None
    changed = []
    if last is None:
        ok = False
    elif r.dissolved_on != db_end:
        if db_end is not None:
            ok = False
            report.err(TOCHUC, r.row, "dissolved_on", _(
                "The organization was dissolved on %(day)s according to the database.") % {"day": format_date(db_end)})
        elif r.dissolved_on <= last.valid_from:
            ok = False
            report.err(TOCHUC, r.row, "dissolved_on", _(
                "The dissolution date must come after the last change recorded (%(day)s).") % {
                "day": format_date(last.valid_from)})
        else:
            changed.append("dissolved_on")
    if r.unit_kind and r.unit_kind != info.db_unit_kind:
        changed.append("unit_kind")
    if not ok:
        return
    c = report.counts(TOCHUC)
    if not changed:
        c.unchanged += 1
        return
    c.updated += 1
    report.sample(TOCHUC, "updated", f"{r.code} — {r.name}")
    if "unit_kind" in changed:
        plan.org_updates.append((info, r.unit_kind))
    if "dissolved_on" in changed:
        info.closing_on = r.dissolved_on
        last.valid_to = r.dissolved_on
        plan.closings.append(info)
