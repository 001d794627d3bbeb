"""What the assessment shows a user: the cycles of the organizations in their scope, the rating sheet
of one chi bộ (bảng xếp loại nhanh), the progress of a year across the scope, the ratings of a member
or an organization across the years (the record pages' history) and the cycles still to finish (the
to-do page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import get_format

from dangvu import regulations as R
from dangvu.accounts.selectors import scope_covers_everything, scope_q, scope_roots
from dangvu.core.audit import SOURCE_LABELS
from dangvu.core.dates import add_months
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberPeriod, MemberStatus
from dangvu.organizations.models import CELL_KINDS, GRASSROOTS_KINDS, Organization, OrganizationKind
from dangvu.organizations.selectors import tree_as_of
from dangvu.regulations.assessment import (
    ADMITTED_RECENTLY,
    EXEMPTED,
    MEMBER,
    MEMBERS,
    SCALES_BY_CODE,
    SUSPENDED,
    percent,
)

from .models import AssessmentCycle, AssessmentStep, Rating, StepKind
from .services.cycle import disciplined_in
from .services.cycle import reference_day as _reference_day
from .services.ratings import grassroots_of
from .services.sheet import cell_in_cycle


def cycles_visible_to(user) -> QuerySet[AssessmentCycle]:
    """Assessment cycles of an organization in the user's scope (outside scope: not there)."""
    return AssessmentCycle.objects.filter(scope_q(user, "organization__"))


#: Organizations under a grassroots organization (a chi bộ trực thuộc, a đảng bộ bộ phận): their chi bộ
#: are rated in the cycle of the grassroots organization above them.
BELOW_GRASSROOTS_KINDS = (OrganizationKind.SUBORDINATE_CELL, OrganizationKind.PARTIAL_COMMITTEE)


@dataclass
class CellsInCycle:
    """A cycle run above the user's scope (the grassroots organization of a chi bộ trực thuộc's
    secretary) and the chi bộ of the scope it rates, as dicts (id, code, name, kind): the user reaches
    their sheets, not the cycle's page nor its other chi bộ."""

    cycle: AssessmentCycle
    cells: list[dict]


def cycles_above_scope(user, year: int, day: dt.date | None = None) -> list[CellsInCycle]:
    """The cycles of `year` that rate chi bộ of the user's scope but are run by a grassroots
    organization above it (outside the scope, so not among `cycles_visible_to`), each with those chi
    bộ as the tree stood on the reference day. No query for a scope at or above grassroots level."""
    if scope_covers_everything(user):
        return []
    roots = scope_roots(user)
    below = [r for r in roots if r.kind in BELOW_GRASSROOTS_KINDS]
    if not below:
        return []
    ref = assessment_day(year, day)
    tops = grassroots_of([r.pk for r in below], ref)
    cycles = {c.organization_id: c for c in AssessmentCycle.objects.filter(year=year, organization_id__in=set(
        tops.values())).select_related("organization")}
    result: dict[int, CellsInCycle] = {}
    for root in sorted(below, key=lambda r: r.path):
        cycle = cycles.get(tops.get(root.pk))
        if cycle is None or any(cycle.organization.path.startswith(r.path) for r in roots):
            continue  # not open, or run in the scope (listed with its cycles)
        cells = [row for row in tree_as_of(root.pk, ref) if row["kind"] in CELL_KINDS]
        if cells:
            result.setdefault(cycle.pk, CellsInCycle(cycle, [])).cells.extend(cells)
    return list(result.values())


def cycle_in_scope(user, cycle: AssessmentCycle) -> bool:
    """Whether the cycle's organization is in the user's scope (its page opens), from the scope's roots
    (no query once the user's assignments are loaded)."""
    return scope_covers_everything(user) or any(cycle.organization.path.startswith(r.path) for r in scope_roots(user))


def assessment_day(year: int, today: dt.date | None = None) -> dt.date:
    """The day the assessment of `year` looks at the tree and the placements: today, at most the
    year's last day (a cycle runs at the end of the year or early the next)."""
    return _reference_day(year, today or timezone.localdate())


def cycle_cells(cycle: AssessmentCycle, day: dt.date | None = None) -> list[dict]:
    """The chi bộ whose members the cycle's committee rates, as the tree stood on the reference day
    (its subtree's cells, the grassroots cell itself), in tree order: dicts id, code, name, kind."""
    ref = assessment_day(cycle.year, day)
    return [row for row in tree_as_of(cycle.organization_id, ref) if row["kind"] in CELL_KINDS]


def cycle_of_cell(cell: Organization, year: int, day: dt.date | None = None) -> AssessmentCycle | None:
    """The cycle of `year` in which the members of the chi bộ `cell` are rated: its grassroots
    organization's (as the tree stood on the reference day), None when not open or not a chi bộ."""
    ref = assessment_day(year, day)
    top = grassroots_of([cell.pk], ref).get(cell.pk)
    cycle = AssessmentCycle.objects.filter(organization_id=top, year=year).select_related("organization").first()
    return cycle if cycle is not None and cell_in_cycle(cycle, cell, ref) else None


@dataclass
class SheetRow:
    """One member on the sheet: the latest self-assessment and proposal of the cycle (with the chi bộ's
    votes in favour of it and the members present then), the rating decided, why the member is not
    rated (None: rated) and whether disciplined in the year."""

    member: Member
    self_key: str = ""
    self_points: Decimal | None = None
    proposed_key: str = ""
    proposed_points: Decimal | None = None
    proposed_votes_for: int | None = None
    proposed_votes_present: int | None = None
    decided_key: str = ""
    decided_points: Decimal | None = None
    not_rated: str | None = None
    disciplined: bool = False
    self_label: str = ""
    proposed_label: str = ""
    decided_label: str = ""


@dataclass
class Cap:
    """The cap on "excellent" over the group of members decided by the cycle's organization: the ratio
    (None: no cap this year), whether its base counts the excellent, the ratings of the group decided
    outside this sheet, and the wording of the rule (from the rules of the year)."""

    ratio_num: int | None
    ratio_den: int | None
    base_includes_excellent: bool
    other_good: int
    other_excellent: int
    ratio_text: str = ""
    regulation: str = ""

    def allowed(self, good: int, excellent: int) -> int | None:
        if self.ratio_num is None:
            return None
        base = good + (excellent if self.base_includes_excellent else 0)
        return base * self.ratio_num // self.ratio_den


@dataclass
class Sheet:
    cycle: AssessmentCycle
    cell: Organization
    day: dt.date
    rules: R.AssessmentRules
    rows: list[SheetRow] = field(default_factory=list)
    cap: Cap | None = None
    vote: AssessmentStep | None = None  # the latest proposal's meeting: comment, members due and present
    votes_due: int = 0  # the members due to vote in the chi bộ on the day (official, less those the rules leave out)

    @property
    def scale(self) -> R.Scale:
        return self.rules.scale

    @property
    def levels(self) -> list[R.Level]:
        return [lv for lv in self.scale.levels if MEMBER in lv.subjects]


def format_number(value: Decimal) -> str:
    """85, 91,5 (a score, with the active language's decimal separator, without trailing zeros)."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def level_label(scale: R.Scale, key: str, points: Decimal | None) -> str:
    """The member's level `key` as `scale` words it, with the score where there is one: "Hoàn thành tốt
    nhiệm vụ (85)"."""
    level = scale.level(key, MEMBER) if key else None
    text = level.label if level else key
    return f"{text} ({format_number(points)})" if text and points is not None else text


def cell_sheet(cycle: AssessmentCycle, cell: Organization, day: dt.date | None = None) -> Sheet:
    """The rating sheet of `cell` in `cycle`: its members on the reference day, sorted the Vietnamese
    way (given, middle, family name), each with its steps and rating; the cap's counts; the members
    due to vote in the chi bộ (its official members, less the categories the rules leave out of a
    vote's count: `RuleSet.vote_denominator_excludes`). A fixed number of queries whatever the number
    of members."""
    ref = assessment_day(cycle.year, day)
    rules = R.assessment_rules(cycle.year)
    periods = list(MemberPeriod.objects.active_on(ref).filter(cell=cell).select_related("member")
                   .order_by("member__sort_key", "member_id"))
    ids = [p.member_id for p in periods]
    rows = {p.member_id: SheetRow(member=p.member) for p in periods}
    vote = None
    for step in (AssessmentStep.objects.filter(cycle=cycle, member_id__in=ids,
                                               kind__in=(StepKind.SELF_ASSESSMENT, StepKind.CELL_REVIEW))
                 .order_by("id").only("member_id", "kind", "key", "points", "comment", "votes_due", "votes_present",
                                      "votes_for", "effective_on")):
        row = rows[step.member_id]
        if step.kind == StepKind.SELF_ASSESSMENT:
            row.self_key, row.self_points = step.key, step.points
        else:
            row.proposed_key, row.proposed_points = step.key, step.points
            row.proposed_votes_for, row.proposed_votes_present = step.votes_for, step.votes_present
            vote = step
    for rating in Rating.objects.filter(year=cycle.year, member_id__in=ids).only("member_id", "key", "points"):
        rows[rating.member_id].decided_key, rows[rating.member_id].decided_points = rating.key, rating.points
    disciplined = disciplined_in(cycle.year, ids)
    for p in periods:
        row = rows[p.member_id]
        row.self_label = level_label(rules.scale, row.self_key, row.self_points)
        row.proposed_label = level_label(rules.scale, row.proposed_key, row.proposed_points)
        row.decided_label = level_label(rules.scale, row.decided_key, row.decided_points)
        refusal = R.not_rated_reason(rules, exempted=p.exempted, suspended=p.suspended,
                                     admitted_on=p.member.membership_started_on, day=ref)
        row.not_rated = refusal.text if refusal else None
        row.disciplined = p.member_id in disciplined
    cap = None
    if rules.excellent_cap_ratio is not None and MEMBERS in rules.excellent_cap_groups:
        other = Rating.objects.filter(year=cycle.year, decided_by=cycle.organization, group=MEMBERS).exclude(
            member_id__in=ids).aggregate(good=Count("id", filter=Q(key="good")),
                                         excellent=Count("id", filter=Q(key="excellent")))
        cap = Cap(rules.excellent_cap_ratio.numerator, rules.excellent_cap_ratio.denominator,
                  rules.excellent_cap_base_includes_excellent, other["good"], other["excellent"],
                  ratio_text=percent(rules.excellent_cap_ratio), regulation=rules.code)
    official = [p for p in periods if p.status == MemberStatus.OFFICIAL]
    votes_due = R.vote_denominator(len(official), R.rules_on(ref), {"exempted": sum(p.exempted for p in official),
                                                                  "suspended": sum(p.suspended and not p.exempted for p in official)})
    return Sheet(cycle=cycle, cell=cell, day=ref, rules=rules, rows=[rows[i] for i in ids], cap=cap, vote=vote,
                 votes_due=votes_due)


def rated_since(rules: R.AssessmentRules, ref: dt.date) -> dt.date:
    """The last admission day of a member rated on `ref`: `regulations.not_rated_reason` refuses those
    admitted fewer than `not_rated_min_months` before (months counted as `months_between` does)."""
    from dangvu.core.dates import months_between

    day = add_months(ref, -rules.not_rated_min_months)
    while months_between(day + dt.timedelta(days=1), ref) >= rules.not_rated_min_months:
        day += dt.timedelta(days=1)
    while day > dt.date(1900, 1, 1) and months_between(day, ref) < rules.not_rated_min_months:
        day -= dt.timedelta(days=1)
    return day


def to_rate_q(year: int, ref: dt.date) -> Q:
    """The placements (`MemberPeriod`) of members to rate in `year` on `ref`: not exempted, not
    suspended, not admitted too recently, as far as the year's rules leave such members unrated
    (`AssessmentRules.not_rated`). The progress page and the to-do count with it."""
    rules = R.assessment_rules(year)
    to_rate = Q()
    if EXEMPTED in rules.not_rated:
        to_rate &= Q(exempted=False)
    if SUSPENDED in rules.not_rated:
        to_rate &= Q(suspended=False)
    if ADMITTED_RECENTLY in rules.not_rated:
        since = rated_since(rules, ref)
        to_rate &= (Q(member__readmitted_on__isnull=True, member__admitted_on__lte=since)
                    | Q(member__readmitted_on__lte=since))
    return to_rate


@dataclass
class ProgressRow:
    """The counts of one chi bộ (or the sums of a grassroots organization): members placed there,
    those to rate (neither exempted nor suspended, not admitted too recently), proposed by the chi bộ, decided."""

    organization_id: int
    code: str = ""
    name: str = ""
    members: int = 0
    to_rate: int = 0
    proposed: int = 0
    decided: int = 0
    cycle_id: int | None = None
    cells: list[ProgressRow] = field(default_factory=list)
    within: str = ""  # a chi bộ whose grassroots organization is above the user's scope: that organization's name

    @property
    def finished(self) -> bool:
        """Every member to rate decided: in an open cycle, or recorded without one (ratings imported) —
        nothing is finished merely because its cycle has not opened."""
        return self.decided >= self.to_rate and (self.cycle_id is not None or self.decided > 0)

    @property
    def single(self) -> bool:
        """One row for one organization: a chi bộ cơ sở (its own grassroots organization), or a chi bộ
        shown on its own because its grassroots organization is above the user's scope."""
        return len(self.cells) == 1 and self.cells[0].organization_id == self.organization_id


def progress(user, year: int, day: dt.date | None = None, under: Organization | None = None) -> list[ProgressRow]:
    """The progress of the assessment of `year` across `user`'s scope: one set-based query counting,
    per chi bộ of the scope, its members on the reference day, those to rate, proposed and decided;
    then grouped by grassroots organization (the tree of that day), unfinished first. A chi bộ whose
    grassroots organization is above the user's scope (a chi bộ trực thuộc's secretary) is a group of
    its own, with that organization's name in `within`: the figures of part of an organization are
    never shown as the organization's. `under`: only the chi bộ of that organization's subtree."""
    ref = assessment_day(year, day)
    to_rate = to_rate_q(year, ref)
    proposed = Exists(AssessmentStep.objects.filter(cycle__year=year, kind=StepKind.CELL_REVIEW,
                                                    member_id=OuterRef("member_id")))
    decided = Exists(Rating.objects.filter(year=year, member_id=OuterRef("member_id")))
    counts = list(
        MemberPeriod.objects.active_on(ref).filter(scope_q(user, "cell__"), *[Q(cell__path__startswith=under.path)]
                                                   if under is not None else ()).values("cell_id")
        .annotate(members=Count("id"), to_rate=Count("id", filter=to_rate),
                  proposed=Count("id", filter=to_rate & Q(proposed)), decided=Count("id", filter=to_rate & Q(decided)))
        .order_by())
    cells = {c["cell_id"]: c for c in counts}
    grassroots = grassroots_of(cells, ref)
    names = {o.pk: o for o in Organization.objects.filter(pk__in={*cells, *grassroots.values()})
             .only("code", "name", "path")}
    cycles = dict(AssessmentCycle.objects.filter(year=year, organization_id__in=set(grassroots.values()))
                  .values_list("organization_id", "id"))
    roots = None if scope_covers_everything(user) else scope_roots(user)
    groups: dict[int, ProgressRow] = {}
    for cell_id, c in cells.items():
        top = grassroots.get(cell_id, cell_id)
        whole = roots is None or any(names[top].path.startswith(r.path) for r in roots)
        key = top if whole else cell_id
        group = groups.get(key)
        if group is None:
            group = groups[key] = ProgressRow(key, names[key].code, names[key].name, cycle_id=cycles.get(top),
                                              within="" if whole else names[top].name)
        row = ProgressRow(cell_id, names[cell_id].code, names[cell_id].name, c["members"], c["to_rate"],
                          c["proposed"], c["decided"], cycle_id=cycles.get(top))
        group.cells.append(row)
        for name in ("members", "to_rate", "proposed", "decided"):
            setattr(group, name, getattr(group, name) + getattr(row, name))
    for group in groups.values():
        group.cells.sort(key=lambda r: (r.finished, r.code))
    return sorted(groups.values(), key=lambda g: (g.finished, g.code))


@dataclass(frozen=True)
class HistoryRow:
    """One year of a rating history: the rating as recorded, its scale's regulation, and whether the
    organization it was rated in is one the user may open."""

    rating: Rating
    regulation: str
    common_key: str
    rated_in_visible: bool

    @property
    def common_label(self) -> str:
        return str(R.KEY_NAMES.get(self.common_key, self.common_key))

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS.get(self.rating.source, self.rating.source))


def rating_history(user, *, member=None, organization=None) -> list[HistoryRow]:
    """The ratings of one member or one organization (already looked up in the user's scope), newest
    year first, with the organization each was rated in (a link only where it is in the user's scope:
    a member who moved keeps the ratings decided elsewhere). Two queries."""
    ratings = list(
        Rating.objects.filter(**({"member": member} if member is not None else {"organization": organization}))
        .select_related("rated_in", "decided_by").order_by("-year", "-id"))
    ids = {r.rated_in_id for r in ratings if r.rated_in_id}
    visible = set(Organization.objects.filter(scope_q(user), pk__in=ids).values_list("pk", flat=True)) if ids else set()
    rows = []
    for r in ratings:
        scale = SCALES_BY_CODE.get(r.scale)
        rows.append(HistoryRow(r, scale.regulation if scale else r.scale,
                               R.COMMON_KEY.get(r.scale, {}).get(r.key, r.key), r.rated_in_id in visible))
    return rows


@dataclass(frozen=True)
class ReviewRow:
    """One review of a member at the chi bộ (kiểm điểm ở chi bộ): its step (the meeting's day, the chi bộ,
    the members due to vote and present, the member's own votes in favour) and the rating proposed as
    its year's scale words it."""

    step: AssessmentStep
    label: str


def member_reviews(member: Member) -> list[ReviewRow]:
    """The chi bộ's reviews of one member (already looked up in the user's scope), newest first, each
    with the member's own vote: every step recorded (a review recorded again stays in the history). One
    query."""
    steps = (AssessmentStep.objects.filter(member=member, kind=StepKind.CELL_REVIEW)
             .select_related("cycle", "organization").order_by("-cycle__year", "-effective_on", "-id"))
    return [ReviewRow(s, level_label(R.scale_for(s.cycle.year), s.key, s.points)) for s in steps]


# --- the to-do: cycles not finished ----------------------------------------------------------------

#: The years whose open cycles the to-do lists: the year before today's and today's.
TODO_YEARS_BACK = 1


@dataclass
class CycleDue:
    """An open cycle with ratings still to decide: how many of its members, subordinate chi bộ and
    grassroots organizations are not yet rated, and the time limit of its decisions."""

    cycle: AssessmentCycle
    members_pending: int
    cells_pending: int
    organizations_pending: int
    deadline: dt.date
    deadline_unconfirmed: bool
    overdue: bool
    #: A chi bộ of the scope in a cycle run above it (`cycles_above_scope`): the chi bộ (a dict: id,
    #: code, name, kind) and its members still without its proposal; the counts above are then 0.
    cell: dict | None = None
    proposals_pending: int = 0

    @property
    def pending(self) -> int:
        return self.members_pending + self.cells_pending + self.organizations_pending + self.proposals_pending


def _pending_members(year: int, day: dt.date) -> Subquery:
    """Members to rate (`to_rate_q`) placed under the cycle's organization on `day` without a rating
    of `year`: a subquery counted per cycle (the cycle's organization as OuterRef)."""
    rated = Rating.objects.filter(year=year, member=OuterRef("member"))
    qs = (MemberPeriod.objects.active_on(day)
          .filter(to_rate_q(year, day), status__in=ACTIVE_STATUSES,
                  cell__path__startswith=OuterRef("organization__path"))
          .exclude(Exists(rated)))
    return _count(qs)


def _proposals_pending(cycle: AssessmentCycle, cell_ids: list[int], day: dt.date) -> dict[int, int]:
    """Per chi bộ of `cell_ids`, its members to rate (`to_rate_q`) placed there on `day` with neither
    a proposal of the chi bộ in `cycle` nor a rating of its year. One query."""
    proposed = AssessmentStep.objects.filter(cycle=cycle, kind=StepKind.CELL_REVIEW, member=OuterRef("member"))
    rated = Rating.objects.filter(year=cycle.year, member=OuterRef("member"))
    return dict(MemberPeriod.objects.active_on(day)
                .filter(to_rate_q(cycle.year, day), cell_id__in=cell_ids, status__in=ACTIVE_STATUSES)
                .exclude(Exists(proposed)).exclude(Exists(rated))
                .values("cell_id").annotate(n=Count("id")).order_by().values_list("cell_id", "n"))


def _count(qs) -> Coalesce:
    """COUNT(*) of a correlated subquery, as an expression of the outer row."""
    return Coalesce(Subquery(qs.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n"),
                             output_field=IntegerField()), Value(0))


def _pending_organizations(year: int, kinds, *, direct: bool) -> Subquery:
    """Organizations of `kinds` under the cycle's organization (its children when `direct`), still
    open, without a rating of `year`."""
    rated = Rating.objects.filter(year=year, organization=OuterRef("pk"))
    qs = Organization.objects.filter(kind__in=kinds, dissolved_on__isnull=True).exclude(Exists(rated))
    qs = qs.filter(parent=OuterRef("organization")) if direct else qs.filter(
        path__startswith=OuterRef("organization__path")).exclude(pk=OuterRef("organization"))
    return _count(qs)


def cycles_due(user, today: dt.date) -> list[CycleDue]:
    """The cycles of the user's scope for last year and this year with ratings still to decide, the
    most urgent first: for a grassroots organization its members to rate (`to_rate_q`, placed in its
    chi bộ) and subordinate chi bộ not yet rated; for a committee above, its grassroots
    organizations; and, for a scope under a grassroots organization (a chi bộ trực thuộc), each chi bộ
    of the scope in its grassroots organization's cycle whose members still lack its proposal (or a
    rating). The time limit is the rules' (`AssessmentRules.decision_deadline`, UNCONFIRMED). One query
    per year, a few more for a scope under a grassroots organization."""
    result = []
    for year in range(today.year - TODO_YEARS_BACK, today.year + 1):
        day = min(today, dt.date(year, 12, 31))
        rules = R.assessment_rules(year)
        cycles = (cycles_visible_to(user).filter(year=year).select_related("organization")
                  .annotate(members_pending=_pending_members(year, day),
                            cells_pending=_pending_organizations(year, (OrganizationKind.SUBORDINATE_CELL,),
                                                                 direct=False),
                            organizations_pending=_pending_organizations(year, GRASSROOTS_KINDS, direct=True)))
        for c in cycles:
            superior = c.organization.kind not in GRASSROOTS_KINDS
            members, cells = (0, 0) if superior else (c.members_pending, c.cells_pending)
            orgs = c.organizations_pending if superior else 0
            if not members + cells + orgs:
                continue
            deadline = rules.decision_deadline(year, superior=superior)
            field = "deadline_superior_days" if superior else "deadline_grassroots_days"
            result.append(CycleDue(c, members, cells, orgs, deadline, field in rules.unconfirmed, today > deadline))
        deadline = rules.decision_deadline(year, superior=False)
        for item in cycles_above_scope(user, year, day):  # a chi bộ trực thuộc's secretary: his chi bộ's proposals
            pending = _proposals_pending(item.cycle, [cell["id"] for cell in item.cells], day)
            result.extend(CycleDue(item.cycle, 0, 0, 0, deadline, "deadline_grassroots_days" in rules.unconfirmed,
                                   today > deadline, cell=cell, proposals_pending=pending[cell["id"]])
                          for cell in item.cells if pending.get(cell["id"]))
    result.sort(key=lambda d: (d.deadline, d.cycle.organization.code, d.cell["code"] if d.cell else ""))
    return result
