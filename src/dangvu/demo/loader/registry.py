"""The demo's registry: the organizations established and changed, every member with their events in one
bulk write, then the restructurings in date order, through the services."""

from __future__ import annotations

from collections import defaultdict

from dangvu.members.bulk import bulk_write
from dangvu.members.models import Member, MemberEvent
from dangvu.members.restructuring import organization_merge, organization_split, rehome_members
from dangvu.organizations import services as org_services
from dangvu.organizations.models import Organization, OrganizationEventKind

from .. import plan as demo_plan


def _decision(d: demo_plan.Decision) -> org_services.Decision:
    return org_services.Decision(number=d.number, date=d.date, issued_by=d.issued_by)


def _org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def write_organizations(p: demo_plan.Plan) -> dict[str, Organization]:
    specs = {o.code: o for o in p.orgs}
    orgs: dict[str, Organization] = {}
    for op in p.org_ops:
        if op.op == "establish":
            s = specs[op.code]
            orgs[s.code] = org_services.organization_establish(
                code=s.code, name=s.name, kind=s.kind, parent=orgs[s.parent] if s.parent else None,
                established_on=s.established_on, unit_kind=s.unit_kind, admin_unit_code=s.admin_unit_code,
                decision=_decision(s.decision),
            )
        elif op.op == "change_kind":
            org_services.organization_change_kind(orgs[op.code], kind=op.kind, effective_on=op.day,
                                                  decision=_decision(op.decision), note=op.note)
        elif op.op == "rename":
            org_services.organization_rename(orgs[op.code], name=op.name, effective_on=op.day,
                                             decision=_decision(op.decision), note=op.note)
        else:  # pragma: no cover - plan and loader are written together
            raise ValueError(op.op)
    return orgs


def write_members(p: demo_plan.Plan, orgs: dict[str, Organization], *, source: str = "system") -> dict:
    members: list[Member] = []
    events: list[MemberEvent] = []
    for spec in p.members:
        first_cell = next(e.cell for e in spec.events if e.cell)
        admitted = next(e.day for e in spec.events if e.kind == "admitted")
        m = Member(code=spec.code, admitted_on=admitted, cell=orgs[first_cell], status="probationary", **spec.fields)
        members.append(m)
        for e in spec.events:
            events.append(MemberEvent(
                member=m, kind=e.kind, effective_on=e.day, cell=orgs[e.cell] if e.cell else None, value=e.value,
                note=e.note, decision_number=e.decision.number, decision_date=e.decision.date,
                issued_by=e.decision.issued_by,
            ))
    return bulk_write(members, events, source=source)


def restructure(p: demo_plan.Plan) -> None:
    for r in sorted(p.restructurings, key=lambda r: r.day):  # stable: the plan's order on a day
        decision = _decision(r.decision)
        if r.op == "rehome":
            by_cell: dict[str, list[str]] = defaultdict(list)
            for code, cell in r.member_cells.items():
                by_cell[cell].append(code)
            for cell, codes in sorted(by_cell.items()):
                rehome_members(Member.objects.filter(code__in=codes).order_by("code"), cell=_org(cell),
                               effective_on=r.day, decision=decision, note=r.note)
        elif r.op == "split":
            pks = dict(Member.objects.filter(code__in=list(r.member_cells)).values_list("code", "pk"))
            targets = {c: _org(c) for c in r.codes}
            organization_split(source=_org(r.source), effective_on=r.day,
                               member_cells={pks[code]: targets[cell] for code, cell in r.member_cells.items()},
                               decision=decision, note=r.note)
        elif r.op == "merge":
            organization_merge(sources=[_org(r.source)], target=_org(r.target), effective_on=r.day,
                               decision=decision, note=r.note)
        elif r.op == "move_orgs":
            parent = _org(r.target)
            for code in r.codes:
                org_services.organization_move(_org(code), parent=parent, effective_on=r.day, decision=decision,
                                               note=r.note)
        elif r.op == "close":
            org_services.organization_close(_org(r.source), effective_on=r.day, kind=OrganizationEventKind.DISSOLVED,
                                            decision=decision, note=r.note)
        else:  # pragma: no cover
            raise ValueError(r.op)
