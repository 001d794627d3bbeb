"""Check the XepLoai rows with the assessment rules (`assessment.services`: the year's scale, the
label, the HTXSNV cap and the members not rated), against the members and organizations of the
database and of this import."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.assessment import services as assessment
from dangvu.assessment.models import Rating
from dangvu.core.errors import DomainError
from dangvu.members.models import MemberEvent, MemberEventKind
from dangvu.organizations.models import GRASSROOTS_KINDS
from dangvu.regulations.assessment import MEMBER, MEMBERS, ORGANIZATION

from .context import Context, chunks
from .plan import Plan
from .results import Report
from .rows import RatingRow, Rows
from .spec import XEPLOAI


def check_ratings(rows: Rows, ctx: Context, plan: Plan, report: Report) -> None:
    member_codes = rows.member_rows.keys()
    seen: dict[tuple, int] = {}
    good: list[RatingRow] = []
    for r in rows.ratings:
        if not r.ok:
            continue
        db = ctx.db_members.get(r.code)
        is_member = r.code in member_codes or (db is not None and ctx.in_scope(db["cell_id"]))
        info = ctx.orgs.get(r.code)
        is_org = info is not None and info.known and info.in_scope
        if is_member and is_org:
            report.err(XEPLOAI, r.row, "code", _("The code %(code)s is both a member's and an organization's.") % {
                "code": r.code})
            continue
        if not is_member and not is_org:
            # one answer for a code outside the scope and a code nobody has
            report.err(XEPLOAI, r.row, "code", _("No member or organization with code %(code)s in your scope.") % {
                "code": r.code})
            continue
        key = (r.year, r.code)
        if key in seen:
            report.err(XEPLOAI, r.row, "code", _("%(code)s is already rated for %(year)s on row %(row)d.") % {
                "code": r.code, "year": r.year, "row": seen[key]})
            continue
        seen[key] = r.row
        r.subject = MEMBER if is_member else ORGANIZATION
        try:
            r.level = assessment.match_rating(r.year, r.label, r.subject)
        except DomainError as exc:
            report.err(XEPLOAI, r.row, "label", exc.message)
            continue
        if is_member:
            if not _member_rated(r, ctx, plan, report, member_codes):
                continue
        elif not info.exists_during(dt.date(r.year, 1, 1), dt.date(r.year, 12, 31)):
            report.err(XEPLOAI, r.row, "year", _("%(code)s did not exist in %(year)s.") % {"code": r.code, "year": r.year})
            continue
        good.append(r)
    _compare_stored(good, ctx, plan, report)
    for r in good:
        if r.subject == MEMBER:
            reason = assessment.not_rated_check(member_periods(r.code, ctx, plan), r.year)
            if reason:
                report.warn(XEPLOAI, r.row, "code", _("%(reason)s (kept as recorded)") % {"reason": reason})
    _cap_warnings(good, ctx, plan, report)
    _discipline_warnings(good, rows, ctx, report)


def _discipline_warnings(ratings: list[RatingRow], rows: Rows, ctx: Context, report: Report) -> None:
    """A member disciplined in the year rated above what the year's rules allow
    (`regulations.limit_refusals`): kept as recorded, with a warning. The discipline comes from this
    import's BienDong rows or from the database."""
    members = [r for r in ratings if r.subject == MEMBER]
    years: dict[str, set[int]] = defaultdict(set)
    for e in rows.events:
        if e.ok and e.kind == MemberEventKind.DISCIPLINED and e.effective_on:
            years[e.member].add(e.effective_on.year)
    code_of = {ctx.db_members[r.code]["id"]: r.code for r in members if r.code in ctx.db_members}
    for chunk in chunks(sorted(code_of)):
        for member_id, day in MemberEvent.objects.filter(member_id__in=chunk, kind=MemberEventKind.DISCIPLINED).values_list(
                "member_id", "effective_on"):
            years[code_of[member_id]].add(day.year)
    for r in members:
        if r.year not in years.get(r.code, ()):
            continue
        refusals = R.limit_refusals(R.assessment_rules(r.year), key=r.level.key, group=MEMBERS, disciplined=True)
        for refusal in refusals:
            report.warn(XEPLOAI, r.row, "label", _("%(year)s: %(reason)s (kept as recorded)") % {
                "year": r.year, "reason": refusal.text})


def _member_rated(r: RatingRow, ctx: Context, plan: Plan, report: Report, member_codes: set[str]) -> bool:
    db = ctx.db_members.get(r.code)
    if r.code not in plan.member_info:
        if db is None:
            return False  # the DangVien row has errors, reported there
        plan.member_info[r.code] = None
    info = plan.member_info[r.code]
    admitted, ended = (info[0], info[1]) if info else (db["admitted_on"], db["ended_on"])
    if admitted is None or admitted > dt.date(r.year, 12, 31) or (ended is not None and ended < dt.date(r.year, 1, 1)):
        report.err(XEPLOAI, r.row, "year", _("%(code)s was not a party member in %(year)s.") % {
            "code": r.code, "year": r.year})
        return False
    return True


def member_periods(code: str, ctx: Context, plan: Plan) -> list[tuple]:
    """A rated member's placements (cell code, from, to, exempted, suspended): replayed here or stored."""
    info = plan.member_info.get(code)
    if info:
        return info[2]
    db = ctx.db_members.get(code)
    raw = ctx.db_periods.get(db["id"], []) if db else []
    return [(ctx.org_by_id[c].code if c in ctx.org_by_id else None, f, t, x, s) for c, f, t, x, s in raw]


def _compare_stored(good: list[RatingRow], ctx: Context, plan: Plan, report: Report) -> None:
    """New, changed or unchanged, against the stored ratings of the same subjects."""
    member_ids = {ctx.db_members[r.code]["id"] for r in good if r.subject == MEMBER and r.code in ctx.db_members}
    org_ids = {ctx.orgs[r.code].id for r in good if r.subject == ORGANIZATION and ctx.orgs[r.code].id}
    stored: dict[tuple, Rating] = {}
    for chunk in chunks(sorted(member_ids)):
        for rating in Rating.objects.filter(member_id__in=chunk):
            stored[(rating.year, MEMBER, rating.member_id)] = rating
    for chunk in chunks(sorted(org_ids)):
        for rating in Rating.objects.filter(organization_id__in=chunk):
            stored[(rating.year, ORGANIZATION, rating.organization_id)] = rating
    c = report.counts(XEPLOAI)
    for r in good:
        if r.subject == MEMBER:
            pk = ctx.db_members[r.code]["id"] if r.code in ctx.db_members else None
        else:
            pk = ctx.orgs[r.code].id
        old = stored.get((r.year, r.subject, pk)) if pk else None
        if old is None:
            plan.rating_new.append(r)
            c.created += 1
            report.sample(XEPLOAI, "created", f"{r.year} — {r.code} — {r.label}")
        elif old.key == r.level.key and old.label == r.label:
            c.unchanged += 1
        else:
            plan.rating_changed.append((old, r))
            c.updated += 1
            report.sample(XEPLOAI, "updated", f"{r.year} — {r.code} — {old.label} → {r.label}")


def _grassroots(ctx: Context, code: str | None, day: dt.date) -> str | None:
    seen = set()
    while code and code not in seen:
        seen.add(code)
        info = ctx.orgs.get(code)
        p = info.period_on(day) if info else None
        if p is None:
            return None
        if p.kind in GRASSROOTS_KINDS:
            return code
        code = p.parent
    return None


def _cap_warnings(ratings: list[RatingRow], ctx: Context, plan: Plan, report: Report) -> None:
    by_year: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    first_row: dict[tuple, int] = {}
    for r in ratings:
        if r.subject != MEMBER:
            continue
        period = assessment.year_end_period(member_periods(r.code, ctx, plan), r.year)
        if period is None:
            continue
        cell, _f, t, *_flags = period
        end = dt.date(r.year, 12, 31)
        day = end if t is None or t > end else t - dt.timedelta(days=1)
        g = _grassroots(ctx, cell, day)
        if g is None:
            continue
        by_year[r.year][g].append(r.level.key)
        if r.level.key == "excellent":
            first_row.setdefault((r.year, g), r.row)
    for year, groups in sorted(by_year.items()):
        for w in assessment.cap_warnings(year, groups):
            info = ctx.orgs.get(w.group)
            name = info.row.name if info and info.row else (info.periods[-1].name if info and info.periods else w.group)
            report.warn(XEPLOAI, first_row.get((year, w.group)), "label", w.message(name))
