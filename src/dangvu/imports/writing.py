"""Write what the checks planned (`plan.Plan`) through the domain apps' own bulk services: new
organizations (`organizations.services.organizations_establish_many`), members and events in
chunks (`members.bulk.bulk_write`, replayed again there), profile corrections
(`members.bulk.bulk_update_profiles`), dissolutions (`members.restructuring.organization_dissolve`)
and ratings (`assessment.services.ratings_write_many`). A refusal at this stage raises `Rollback`."""

from __future__ import annotations

from itertools import chain, compress, repeat
from operator import is_not

from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.assessment.models import Rating
from dangvu.assessment.services import ratings_write_many
from dangvu.core.bulk import instance_factory
from dangvu.core.errors import DomainError
from dangvu.members.bulk import BulkErrors, bulk_update_profiles, bulk_write
from dangvu.members.models import Member, MemberEvent
from dangvu.members.restructuring import organization_dissolve
from dangvu.organizations.models import Organization
from dangvu.organizations.services import (
    NewOrganization,
    organization_update_details,
    organizations_establish_many,
)
from dangvu.regulations.assessment import MEMBER

from .context import Context, chunks
from .plan import Plan
from .results import Report
from .rows import PROFILE_KEYS, EventRow
from .spec import DANGVIEN, TOCHUC

CHUNK_MEMBERS = 2_000  # members (with all their events) written per bulk_write call: small, so that
# the server's work on the last one (write_behind) is a short tail

_ORG_COLUMNS = {"parent": "parent", "code": "code", "name": "name", "kind": "kind", "unit_kind": "unit_kind",
                "effective_on": "established_on"}


class Rollback(Exception):
    """The writing failed: nothing was written."""


def _fail(report: Report, sheet, row, key, message):
    report.err(sheet, row, key, message)
    raise Rollback()


def write_organizations(ctx: Context, plan: Plan, report: Report) -> None:
    """1. New organizations in one bulk write, parents first (the order of plan.new_orgs), then the
    changed unit kinds."""
    specs = [NewOrganization(code=i.row.code, name=i.row.name, kind=i.row.kind, parent_code=i.row.parent or None,
                             established_on=i.row.established_on, unit_kind=i.row.unit_kind or "", tag=i)
             for i in plan.new_orgs]
    try:
        created = organizations_establish_many(specs, actor=ctx.actor)
    except DomainError as exc:
        _fail(report, TOCHUC, exc.spec.tag.row.row, _ORG_COLUMNS.get(exc.field or "", "code"), exc.message)
    for info in plan.new_orgs:
        info.id = created[info.row.code].pk
        ctx.org_by_id[info.id] = info
    for info, unit in plan.org_updates:
        try:
            organization_update_details(Organization.objects.get(pk=info.id), unit_kind=unit, actor=ctx.actor)
        except DomainError as exc:
            _fail(report, TOCHUC, info.row.row, "unit_kind", exc.message)


def write_rest(ctx: Context, plan: Plan, report: Report) -> None:
    """After the members (written while checked): 3. profile corrections, 4. dissolutions (children
    first), 5. ratings."""
    if plan.member_updates:
        bulk_update_profiles(plan.member_updates, actor=ctx.actor)
    for info in sorted(plan.closings, key=lambda i: -_depth(ctx, i.code)):
        try:
            organization_dissolve(Organization.objects.get(pk=info.id), effective_on=info.closing_on,
                                  actor=ctx.actor, note=_("Imported"))
        except DomainError as exc:
            _fail(report, TOCHUC, info.row.row, "dissolved_on", exc.message)
    new = []
    for r in plan.rating_new:
        if r.subject == MEMBER:
            db = ctx.db_members.get(r.code)
            kw = {"member_id": db["id"] if db else plan.member_pk[r.code]}
        else:
            kw = {"organization_id": ctx.orgs[r.code].id}
        new.append(Rating(year=r.year, scale=R.scale_for(r.year).code, key=r.level.key, label=r.label, **kw))
    changed = [(old, {"key": r.level.key, "label": r.label, "scale": R.scale_for(r.year).code})
               for old, r in plan.rating_changed]
    ratings_write_many(new, changed, actor=ctx.actor)


def _depth(ctx: Context, code: str) -> int:
    d, seen = 0, set()
    info = ctx.orgs.get(code)
    while info is not None and info.code not in seen:
        seen.add(info.code)
        p = info.periods[-1] if info.periods else None
        if p is None or not p.parent:
            break
        d += 1
        info = ctx.orgs.get(p.parent)
    return d


class MemberWriter:
    """Writes the members of an import (with their events) in chunks, in the order they passed the
    checks, while no error has been found (`offer` after each member, `flush` at the end)."""

    FIRST = CHUNK_MEMBERS // 4  # a small first chunk: the server starts writing sooner

    def __init__(self, ctx: Context, plan: Plan, report: Report):
        self.ctx, self.plan, self.report = ctx, plan, report
        self.sent = 0
        self.next_size = self.FIRST
        self.user_id = ctx.actor.pk if ctx.actor is not None else None
        self.new_member, self.new_event = instance_factory(Member), instance_factory(MemberEvent)
        self.cell_pk = {code: info.id for code, info in ctx.orgs.items()}  # after the organizations are written

    def offer(self) -> None:
        if len(self.plan.to_write) - self.sent >= self.next_size:
            self.flush()
            self.next_size = CHUNK_MEMBERS

    def flush(self) -> None:
        if self.report.failed:  # it will all be rolled back: write no more
            return
        chunk = self.plan.to_write[self.sent:]
        self.sent = len(self.plan.to_write)
        if chunk:
            self._write(chunk)

    def _write(self, chunk: list[str]) -> None:
        plan, cell_pk, new_event, user_id = self.plan, self.cell_pk, self.new_event, self.user_id
        new_rows = plan.new_member_rows
        members: list[Member] = []
        by_code: dict[str, Member] = {}
        existing = [self.ctx.db_members[c]["id"] for c in chunk if c not in new_rows]
        for ids in chunks(existing):
            # bulk_write updates the cached state of existing members from their replayed events
            for m in Member.objects.filter(pk__in=ids):
                by_code[m.code] = m
        events: list[MemberEvent] = []
        replayed = {}
        for code in chunk:
            periods, state, own = plan.replays.pop(code)  # the checks' replay and a new member's own events
            r = new_rows.pop(code, None)  # not needed once written (a large import holds fewer rows)
            if r is not None:
                m = self.new_member(code=code, admitted_on=r.admitted_on, cell_id=cell_pk[r.cell], status="probationary")
                # the profile's empty cells keep the fields' defaults ("")
                m.__dict__.update(compress(zip(PROFILE_KEYS, r.profile, strict=True), map(is_not, r.profile, repeat(None))))
                members.append(m)
                by_code[code] = m
            m = by_code[code]
            for ev, src in chain(own, plan.new_events.get(code, ())):
                kw = {}
                if isinstance(src, EventRow):
                    kw = {"decision_number": src.decision_number, "decision_date": src.decision_date,
                          "issued_by": src.issued_by, "note": src.note}
                event = new_event(kind=ev.kind, effective_on=ev.effective_on,
                                  cell_id=cell_pk[ev.cell_id] if ev.cell_id else None,
                                  value=ev.value or "", recorded_by_id=user_id, _row=ev.src, **kw)
                event._state.fields_cache = {"member": m}
                events.append(event)
            for p in periods:  # cells as ids
                p.cell_id = cell_pk[p.cell_id]
            state.cell_id = cell_pk[state.cell_id] if state.cell_id else None
            state.last_cell_id = cell_pk[state.last_cell_id] if state.last_cell_id else None
            replayed[id(m)] = (periods, state)
        try:
            bulk_write(members, events, actor=self.ctx.actor, source="import",  # audited: one entry per chunk
                       replayed=replayed)
        except BulkErrors as exc:
            for e in exc.errors:
                src = getattr(e.event, "_row", None) or (DANGVIEN, None, "code")
                self.report.err(src[0], src[1], src[2], e.message)
            raise Rollback() from None
        for m in members:
            plan.member_pk[m.code] = m.id
