"""Check the DangVien and BienDong rows: each member's whole sequence of events (stored and new) is
replayed with the member services' own rules (`members.history.replay`), every placement checked
with `members.services.check_cell_period` against the organizations in memory, the rules of each
event's date as warnings (`rule_warnings`), and the dissolutions of this import against the members
left in the cells."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from django.utils.translation import gettext as _

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members import history, identity
from dangvu.members.models import MemberEventKind as E
from dangvu.members.models import MemberPeriod
from dangvu.members.restructuring import check_end_after_members
from dangvu.members.services import check_cell_period, check_code_free
from dangvu.organizations.services import check_end_after_children

from .context import Context, Ev
from .plan import Plan
from .results import CLOSINGS, MEMBER_EVENTS, MEMBER_ROWS, MEMBERS, NATIONAL_ID_HOLDERS, NATIONAL_IDS, Report
from .rows import PROFILE_KEYS, EventRow, MemberRow, Rows
from .rule_warnings import RULE_CHECKED_KINDS, warn_rules
from .spec import BIENDONG, DANGVIEN, TOCHUC


def cell_error(ctx: Context, code: str | None, day: dt.date) -> str | None:
    """check_cell's rule, in memory: the message when `code` is not a chi bộ existing on `day`."""
    info = ctx.orgs.get(code) if code else None
    if info is None or not info.known or not info.in_scope:  # one answer for outside the scope and unknown
        return _("No organization with code “%(code)s” in your scope.") % {"code": code}
    period = info.period_on(day)
    try:
        check_cell_period(period.name if period else (info.first.name if info.first else code),
                          period.kind if period else None, day)
    except DomainError as exc:
        return exc.message
    return None


def row_events(r: MemberRow) -> list[Ev]:
    """The events a DangVien row stands for (as member_register records them)."""
    evs = [Ev(E.ADMITTED, r.admitted_on, r.cell if r.placed_on == r.admitted_on else None, "",
              src=(DANGVIEN, r.row, "admitted_on"))]
    if r.placed_on != r.admitted_on:
        evs.append(Ev(E.TRANSFERRED_IN, r.placed_on, r.cell, "", src=(DANGVIEN, r.row, "placed_on")))
    if r.made_official_on:
        evs.append(Ev(E.MADE_OFFICIAL, r.made_official_on, None, "", src=(DANGVIEN, r.row, "made_official_on")))
    if r.card_number:
        evs.append(Ev(E.CARD_ISSUED, max(r.made_official_on, r.placed_on), None, r.card_number,
                      src=(DANGVIEN, r.row, "card_number")))
    return evs


#: DangVien rows parsed and checked at a time (the first chunk small: the writer starts sooner)
FIRST_ROWS, CHUNK_ROWS = 500, 2_000


def check_members(rows: Rows, ctx: Context, plan: Plan, report: Report, *,
                  passed: Callable[[], None] = lambda: None, progress=lambda *a: None) -> None:
    """Each member of DangVien (in the order of the sheet) and then each other member of BienDong.
    The DangVien rows are taken chunk by chunk (`Rows.member_chunks`: parsed then, when the sheet
    is read in two passes); each stage files its issues under its own phase, so that they are listed
    as if each stage had run over the whole sheet. `passed` is called after each member that passes
    (the writer takes them in chunks)."""
    report.phase = MEMBER_EVENTS
    bad_events: set[str] = set()
    events_by_member = _event_rows(rows, ctx, report, bad_events)
    check = _Member(ctx, plan, report, events_by_member, {r.code for r in rows.ratings if r.code}, passed)
    first_rows = _FirstRows(rows, ctx, report)
    total = len(rows.member_rows) + sum(1 for c in events_by_member if c not in rows.member_rows)
    n = 0
    for chunk in rows.member_chunks(FIRST_ROWS, CHUNK_ROWS):
        firsts, bad = first_rows.check(chunk)
        report.phase = MEMBERS
        for row in firsts:
            n += 1
            if n % 5000 == 0:
                progress("validate", n, total)
            if row.code not in bad and row.code not in bad_events:
                check(row.code, row)
    for code in events_by_member:
        if code not in rows.member_rows:
            n += 1
            if n % 5000 == 0:
                progress("validate", n, total)
            if code not in bad_events:
                check(code, None)
    report.phase = CLOSINGS
    _check_closings(ctx, plan, report, check.occupants)


class _Member:
    """The check of one member: its whole sequence of events (stored, from its DangVien row, from
    BienDong) replayed, its placements, the rules of its events' dates; then the plan."""

    def __init__(self, ctx: Context, plan: Plan, report: Report, events_by_member: dict, rated: set[str], passed):
        self.ctx, self.plan, self.report = ctx, plan, report
        self.events_by_member, self.rated, self.passed = events_by_member, rated, passed
        self.closing = {i.code: i.closing_on for i in plan.closings}
        self.occupants: dict[str, list[str]] = defaultdict(list)
        self.cm, self.ce = report.counts(DANGVIEN), report.counts(BIENDONG)

    def __call__(self, code: str, row: MemberRow | None) -> None:
        ctx, plan, report, cm, ce = self.ctx, self.plan, self.report, self.cm, self.ce
        db = ctx.db_members.get(code)
        stored = ctx.stored_events(db)
        stored_keys = {ev.same() for ev in stored}
        new: list[tuple[Ev, object]] = []
        row_changed = False
        if row is not None:
            derived = row_events(row)
            if db is None:
                new += [(ev, row) for ev in derived]
            else:
                extra, problems = _compare_member(row, db, derived, stored, report)
                if problems:
                    return
                new += [(ev, row) for ev in extra]
                row_changed = bool(extra)
                changes = _profile_changes(row, db)
                if changes:
                    row_changed = True
                    plan.member_updates.append((db["id"], {k: db[k] for k in changes}, changes))
        unchanged_events = 0
        for e in self.events_by_member.get(code, []):
            ev = Ev(e.kind, e.effective_on, e.target, e.value, src=(BIENDONG, e.row, "kind"),
                    decision_date=e.decision_date)
            if ev.same() in stored_keys:
                unchanged_events += 1
                continue
            new.append((ev, e))
        ce.unchanged += unchanged_events
        if not new and db is not None:
            if row is not None and row_changed:
                cm.updated += 1
                report.sample(DANGVIEN, "updated", f"{code} — {row.profile[0]}")
            elif row is not None:
                cm.unchanged += 1
            if code in self.rated:
                plan.member_info[code] = None  # use the stored periods
            return
        first_new = min(ev.effective_on for ev, _src in new)
        try:
            periods, state = history.replay([*stored, *[ev for ev, _src in new]])
        except DomainError as exc:
            src = getattr(getattr(exc, "event", None), "src", None)
            if src is None:  # a stored event broke: point at the first new row of this member
                src = next(((ev.src[0], ev.src[1], "kind") for ev, _s in new if ev.src), (DANGVIEN, None, None))
            if exc.code == "date.before_admission" and src[0] == BIENDONG:  # the date is at fault, not the kind
                src = (src[0], src[1], "effective_on")
            report.err(src[0], src[1], src[2], exc.message)
            return
        if not _placements_exist(code, periods, first_new, new, ctx, self.closing, self.occupants, report):
            return
        if any(isinstance(src, EventRow) and ev.kind in RULE_CHECKED_KINDS for ev, src in new):
            profile = row.profile if row is not None else (None, db["birth_date"], db["sex"])
            warn_rules(report, profile[1], profile[2], state.admitted_on, [*stored, *(ev for ev, _s in new)], new)
        if code in self.rated:
            plan.member_info[code] = (state.admitted_on, state.ended_on,
                                      [(p.cell_id, p.valid_from, p.valid_to, p.exempted, p.suspended) for p in periods])
        if row is not None:
            if db is None:
                plan.new_member_rows[code] = row
                cm.created += 1
                report.sample(DANGVIEN, "created", f"{code} — {row.profile[0]}")
            elif row_changed:
                cm.updated += 1
                report.sample(DANGVIEN, "updated", f"{code} — {row.profile[0]}")
            else:
                cm.unchanged += 1
        plan.to_write.append(code)
        own = []  # a new member's events made from its row (kept only while writing: see Plan.replays)
        for ev, src in new:
            if db is None and not isinstance(src, EventRow):
                own.append((ev, src))
                continue
            plan.new_events[code].append((ev, src))
            if isinstance(src, EventRow):
                ce.created += 1
                arrow = f" → {ev.cell_id}" if ev.cell_id else ""
                report.sample(BIENDONG, "created", f"{code} — {E(ev.kind).label} {format_date(ev.effective_on)}{arrow}")
        if plan.keep_replays:
            plan.replays[code] = (periods, state, own)
        self.passed()


class _FirstRows:
    """The checks of the DangVien rows as a whole, chunk by chunk: a code on one row only (a code
    used again is an error on the later row: `Rows.duplicated` knows the codes used twice from the
    first pass), a cell that exists in the user's scope, a member in scope, one national ID number per
    person (members.identity)."""

    def __init__(self, rows: Rows, ctx: Context, report: Report):
        self.ctx, self.report = ctx, report
        self.first_row, self.duplicated, self.capitals_only = rows.member_rows, rows.duplicated, rows.capitals_only
        self.numbers: dict[str, MemberRow] = {}  # national ID number → the row that first has it

    def check(self, chunk: list[MemberRow]) -> tuple[list[MemberRow], set[str]]:
        """(the rows of `chunk` that first have their code, the codes not to check any further)."""
        ctx, report = self.ctx, self.report
        report.phase = MEMBER_ROWS
        firsts: list[MemberRow] = []
        bad = set(self.duplicated)
        for r in chunk:
            if not r.code:
                continue
            first = self.capitals_only.get(r.row, r.code)  # the same code but for capitals is the same code
            if self.first_row[first] != r.row:
                report.err(DANGVIEN, r.row, "code", _("The code %(code)s is already used on row %(row)d.") % {
                    "code": first, "row": self.first_row[first]})
                bad.add(r.code)
                continue
            firsts.append(r)
            if not r.ok:
                bad.add(r.code)
                continue
            msg = cell_error(ctx, r.cell, r.placed_on)
            if msg:
                report.err(DANGVIEN, r.row, "cell", msg)
                r.ok = False
                bad.add(r.code)
            try:  # the member service's rule
                check_code_free(ctx.taken_codes.get(r.code))
            except DomainError as exc:
                report.err(DANGVIEN, r.row, "code", exc.message)
                r.ok = False
                bad.add(r.code)
            db = ctx.db_members.get(r.code)
            if db is not None and not ctx.in_scope(db["cell_id"]):
                report.err(DANGVIEN, r.row, "code", _(
                    "A member with code %(code)s already exists outside your scope.") % {"code": r.code})
                r.ok = False
                bad.add(r.code)
        self._national_ids(firsts, bad)
        return firsts, bad

    def _national_ids(self, firsts: list[MemberRow], bad: set[str]) -> None:
        """One person, one national ID number: not twice in the file (an error on the later row), not
        held by another member or an open candidate in the database; the holder named only when in the
        user's scope."""
        ctx, report = self.ctx, self.report
        report.phase = NATIONAL_IDS
        new: dict[str, MemberRow] = {}
        for r in firsts:
            number = r.profile[NATIONAL_ID] if r.ok and r.code not in bad else None
            if not number:
                continue
            if number in self.numbers:
                report.err(DANGVIEN, r.row, "national_id_number", _(
                    "This national ID number is already on row %(row)d.") % {"row": self.numbers[number].row})
                r.ok = False
                bad.add(r.code)
            else:
                self.numbers[number] = new[number] = r
        report.phase = NATIONAL_ID_HOLDERS
        for holder in identity.holders(new):
            r = new[holder.number]
            db = ctx.db_members.get(r.code)
            if r.code in bad or holder.same_person(member_id=db["id"] if db else None):
                continue
            report.err(DANGVIEN, r.row, "national_id_number",
                       holder.message() if ctx.in_scope(holder.cell_id) else identity.neutral_message())
            r.ok = False
            bad.add(r.code)


NATIONAL_ID = PROFILE_KEYS.index("national_id_number")


def _event_rows(rows: Rows, ctx: Context, report: Report, bad: set[str]) -> dict:
    events_by_member: dict[str, list[EventRow]] = defaultdict(list)
    seen: dict[tuple, int] = {}
    for e in rows.events:
        if not e.member:
            continue
        if e.member not in rows.member_rows and (e.member not in ctx.db_members
                                             or not ctx.in_scope(ctx.db_members[e.member]["cell_id"])):
            # one answer for a member outside the scope and a code nobody has
            report.err(BIENDONG, e.row, "member", _("No member with code %(code)s in your scope.") % {"code": e.member})
            bad.add(e.member)
            continue
        if not e.ok:
            bad.add(e.member)
            continue
        if e.target:
            msg = cell_error(ctx, e.target, e.effective_on)
            if msg:
                report.err(BIENDONG, e.row, "target", msg)
                bad.add(e.member)
                continue
        key = (e.member, e.kind, e.effective_on, e.target, e.value)
        if key in seen:
            report.warn(BIENDONG, e.row, None, _("The same event is already on row %(row)d; it was skipped.") % {
                "row": seen[key]})
            continue
        seen[key] = e.row
        events_by_member[e.member].append(e)
    return events_by_member


def _placements_exist(code, periods, first_new, new, ctx: Context, closing: dict, occupants: dict,
                      report: Report) -> bool:
    """Every placement lies in a cell that exists (as a chi bộ) for as long as it lasts; a cell this
    import dissolves on the day the placement ends counts the member among its occupants."""
    for p in periods:
        start = max(p.valid_from, first_new)
        if p.valid_to is not None and p.valid_to <= start:
            continue
        info = ctx.orgs.get(p.cell_id)
        gap = info.first_gap(start, p.valid_to) if info else start
        if gap is None:
            continue
        if closing.get(p.cell_id) == gap:
            occupants[p.cell_id].append(code)
            continue
        src = next((ev.src for ev, _s in new if ev.cell_id == p.cell_id and ev.src), None)
        src = src or next((ev.src for ev, _s in new if ev.src), (DANGVIEN, None, None))
        report.err(src[0], src[1], "target" if src[0] == BIENDONG else "cell", _("%(cell)s does not exist on %(day)s.") % {
            "cell": info.first.name if info and info.first else p.cell_id, "day": format_date(gap)})
        return False
    return True


def _compare_member(r: MemberRow, db: dict, derived: list[Ev], stored: list[Ev], report: Report) -> tuple[list[Ev], bool]:
    """Events of the row that are not in the database yet, and whether the row conflicts with it."""
    problems = False
    if r.admitted_on != db["admitted_on"]:
        report.err(DANGVIEN, r.row, "admitted_on", _("The admission date differs from the database (%(day)s).") % {
            "day": format_date(db["admitted_on"])})
        problems = True
    ordered = history.sort_events(stored)
    first_place = next(((ev.cell_id, ev.effective_on) for ev in ordered
                        if ev.kind in (E.ADMITTED, E.TRANSFERRED_IN) and ev.cell_id), None)
    if not problems and first_place is not None and first_place != (r.cell, r.placed_on):
        report.err(DANGVIEN, r.row, "cell", _(
            "The first placement differs from the database (%(cell)s from %(day)s).") % {
            "cell": first_place[0], "day": format_date(first_place[1])})
        problems = True
    # the row's official date is the first one (a readmitted member is probationary again)
    first_official = next((ev.effective_on for ev in ordered if ev.kind == E.MADE_OFFICIAL), None)
    if first_official and r.made_official_on != first_official:
        report.err(DANGVIEN, r.row, "made_official_on", _(
            "The official date differs from the database (%(day)s).") % {"day": format_date(first_official)})
        problems = True
    if problems:
        return [], True
    keys = {ev.same() for ev in stored}
    cards = {(ev.value or "").strip() for ev in stored if ev.kind == E.CARD_ISSUED}
    extra = []
    for ev in derived:
        if ev.kind in (E.ADMITTED, E.TRANSFERRED_IN):
            continue
        if ev.kind == E.CARD_ISSUED and ev.value in cards:
            continue
        if ev.same() not in keys:
            extra.append(ev)
    return extra, False


def _profile_changes(r: MemberRow, db: dict) -> dict:
    changes = {}
    for key, value in zip(PROFILE_KEYS, r.profile, strict=True):
        if value is None or value == "":
            continue  # an empty optional cell never clears a stored value
        if value != db[key]:
            changes[key] = value
    return changes


def _check_closings(ctx: Context, plan: Plan, report: Report, occupants: dict) -> None:
    """Organizations dissolved by this import: no member and no child organization on that day.
    `occupants` holds the members replayed here; the others are read from their stored periods."""
    replayed_ids = {ctx.db_members[c]["id"] for c in plan.to_write if c in ctx.db_members}
    replayed_ids |= set(plan.member_pk.values())  # new members already written
    for info in plan.closings:
        day = info.closing_on
        count = len(occupants.get(info.code, []))
        if info.id is not None:
            others = (
                MemberPeriod.objects.active_on(day).filter(cell_id=info.id)
                .exclude(member_id__in=replayed_ids)
                .values_list("member_id", flat=True)
            )
            count += len(set(others))
        if count:
            report.err(TOCHUC, info.row.row, "dissolved_on", _(
                "%(org)s still has %(n)d members on %(day)s; move them to another cell first.") % {
                "org": info.row.name, "n": count, "day": format_date(day)})
        later = None  # the first member placed in it after that day, in the database (the others: `_placements_exist`)
        if info.id is not None:
            later = (MemberPeriod.objects.filter(cell_id=info.id, valid_from__gt=day)
                     .exclude(member_id__in=replayed_ids).select_related("member")
                     .order_by("valid_from", "member__sort_key").first())
        later_child = min(((p.valid_from, o.row.name if o.row else p.name) for o in ctx.orgs.values() if o is not info
                           for p in o.periods if p.parent == info.code and p.valid_from > day), default=None)
        try:  # the services' rules
            check_end_after_members(org=info.row.name, day=day, member=later.member.full_name if later else None,
                                    member_from=later.valid_from if later else None)
            check_end_after_children(org=info.row.name, day=day, child=later_child[1] if later_child else None,
                                     child_from=later_child[0] if later_child else None)
        except DomainError as exc:
            report.err(TOCHUC, info.row.row, "dissolved_on", exc.message)
        children = [o.code for o in ctx.orgs.values() if o is not info and (p := o.period_on(day)) is not None
                    and p.parent == info.code]
        if children:
            report.err(TOCHUC, info.row.row, "dissolved_on", _(
                "%(org)s still has %(n)d subordinate organizations on %(day)s; move or dissolve them first.") % {
                "org": info.row.name, "n": len(children), "day": format_date(day)})
