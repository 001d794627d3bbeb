"""The yearly assessment cycle (kỳ đánh giá, xếp loại), one service per step (domain-rules §7.6, §7.7):
open the cycle; a member's self-assessment; the chi bộ's review with its collective comment, proposed
rating and vote; the comments of the place of residence; the decision of the committee (the đảng ủy
cơ sở for its members and subordinate chi bộ, the superior committee for grassroots organizations).

Each step writes one `AssessmentStep` (audited). A decision is checked against the rules of the
year's regulation (`regulations.assessment_rules`): who is not rated, the hard limits and the cap on
"excellent" over the ratings of its group once the decision is applied; a decision that breaks one
is refused with the reason (RuleViolation, on its field) and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.audit import acting_user
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEvent, MemberEventKind, MemberPeriod
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization, OrganizationKind, OrganizationPeriod
from dangvu.organizations.services import NO_DECISION, Decision
from dangvu.regulations.assessment import MEMBER, MEMBERS, ORGANIZATION

from ..models import AssessmentCycle, AssessmentStep, Rating, StepKind
from .ratings import check_year, deciding_organization, grassroots_of

#: Organizations whose committee runs a cycle: grassroots organizations and the committees above them.
CYCLE_KINDS = (*GRASSROOTS_KINDS, OrganizationKind.DISTRICT, OrganizationKind.PROVINCIAL)


@dataclass(frozen=True)
class RatingDecision:
    """The rating decided for one member or organization: its level (`key`, or `label` as written),
    the score where the scale has points, the reason a discipline does not cap it (found and fixed by
    itself), and for an organization its subordinate units and those disciplined, and the share of
    its targets met (0–1)."""

    member: Member | None = None
    organization: Organization | None = None
    key: str = ""
    label: str = ""
    points: Decimal | int | str | None = None
    exception_reason: str = ""
    units_total: int | None = None
    units_disciplined: int | None = None
    targets_met: Fraction | None = None
    comment: str = ""


def _check_day(day: dt.date | None, field: str, year: int | None = None) -> dt.date:
    if day is None:
        raise DomainError(_("The date is required."), field=field)
    if day > timezone.localdate():
        raise DomainError(_("%(day)s is in the future.") % {"day": format_date(day)}, field=field)
    if year is not None and day.year not in (year, year + 1):
        raise DomainError(
            _("The assessment of %(year)s takes place in %(year)s or early the next year, not on %(day)s.")
            % {"year": year, "day": format_date(day)}, field=field)
    return day


def reference_day(year: int, day: dt.date) -> dt.date:
    """The day a step looks at the tree and the placements: its own, at most the year's last."""
    return min(day, dt.date(year, 12, 31))


def _step(cycle: AssessmentCycle, kind: str, day: dt.date, actor, *, decision: Decision = NO_DECISION,
          **fields) -> AssessmentStep:
    return AssessmentStep.objects.create(
        cycle=cycle, kind=kind, effective_on=day, recorded_by=acting_user(actor), decision_number=decision.number,
        decision_date=decision.date, issued_by=decision.issued_by, **fields)


@transaction.atomic
def cycle_open(*, organization: Organization, year, opened_on: dt.date, actor=None) -> AssessmentCycle:
    """Mở kỳ đánh giá: the committee of `organization` starts the assessment of `year`."""
    y = check_year(year)
    day = _check_day(opened_on, "opened_on", y)
    period = OrganizationPeriod.objects.active_on(reference_day(y, day)).filter(organization=organization).first()
    if period is None:
        raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": organization.name, "day": format_date(day)},
                          field="organization")
    if period.kind not in CYCLE_KINDS:
        raise DomainError(
            _("%(org)s does not decide ratings: the cycle is opened by its grassroots organization or a higher "
              "committee.") % {"org": organization.name}, field="organization")
    if AssessmentCycle.objects.filter(organization=organization, year=y).exists():
        raise DomainError(_("The assessment of %(year)s is already open for %(org)s.") % {
            "year": y, "org": organization.name}, field="year")
    cycle = AssessmentCycle.objects.create(organization=organization, year=y, opened_on=day,
                                           recorded_by=acting_user(actor))
    _step(cycle, StepKind.OPENED, day, actor, organization=organization)
    return cycle


def _lock(cycle: AssessmentCycle) -> AssessmentCycle:
    """The cycle, locked: the decisions of one committee run one after the other (the cap's counts)."""
    return AssessmentCycle.objects.select_for_update().select_related("organization").get(pk=cycle.pk)


def placements(cycle: AssessmentCycle, member_ids, day: dt.date) -> dict[int, MemberPeriod]:
    """The placements, on the step's reference day, of those of `member_ids` placed in a chi bộ under
    the cycle's organization (two queries plus one per tree level, whatever the count): a member
    missing from the answer is not a member then, or is rated by another grassroots organization."""
    ref = reference_day(cycle.year, day)
    periods = {p.member_id: p for p in MemberPeriod.objects.active_on(ref).filter(member_id__in=list(member_ids))}
    grassroots = grassroots_of({p.cell_id for p in periods.values()}, ref)
    return {m: p for m, p in periods.items() if grassroots.get(p.cell_id) == cycle.organization_id}


def _member_placement(cycle: AssessmentCycle, member: Member, day: dt.date,
                      known: dict[int, MemberPeriod] | None = None) -> tuple[MemberPeriod, int]:
    """The member's placement on the step's reference day and the chi bộ, checked to be under the
    cycle's organization (members are rated by their grassroots organization). `known`: the
    placements found beforehand for a batch (`placements`)."""
    ref = reference_day(cycle.year, day)
    if known is not None and member.pk in known:
        period = known[member.pk]
        return period, period.cell_id
    period = MemberPeriod.objects.active_on(ref).filter(member=member).first()
    if period is None:
        raise DomainError(_("%(name)s is not a party member on %(day)s.") % {
            "name": member.full_name, "day": format_date(ref)}, field="member")
    if grassroots_of([period.cell_id], ref).get(period.cell_id) != cycle.organization_id:
        raise DomainError(
            _("%(name)s is not in a party cell of %(org)s: their rating is decided by their own grassroots "
              "organization.") % {"name": member.full_name, "org": cycle.organization.name}, field="member")
    return period, period.cell_id


def _not_rated(rules: R.AssessmentRules, member: Member, period: MemberPeriod, day: dt.date) -> None:
    refusal = R.not_rated_reason(rules, exempted=period.exempted, admitted_on=member.membership_started_on, day=day)
    if refusal is not None:
        R.raise_refusals([refusal], field="member")


def _level_key(scale: R.Scale, subject: str, key: str, label: str = "", field: str = "key") -> str:
    level = scale.match(key or label or "", subject)
    if level is None:
        raise DomainError(
            _("Choose a rating of the scale of %(reg)s: %(labels)s.") % {
                "reg": scale.regulation, "labels": "; ".join(scale.labels(subject))}, field=field)
    return level.key


def _points(scale: R.Scale, points) -> Decimal | None:
    """The score, required (0–100) where the scale has points, refused where it has none."""
    if points in (None, ""):
        if scale.has_points:
            raise DomainError(_("The scale of %(reg)s rates on points: enter the score (0–100).") % {
                "reg": scale.regulation}, field="points")
        return None
    if not scale.has_points:
        raise DomainError(_("The scale of %(reg)s has no points.") % {"reg": scale.regulation}, field="points")
    try:
        value = Decimal(str(points))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not 0 <= value <= 100:
        raise DomainError(_("The score is a number from 0 to 100."), field="points")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def self_assessment_record(*, cycle: AssessmentCycle, member: Member, effective_on: dt.date, key: str = "",
                           points=None, comment: str = "", form: str = "", actor=None) -> AssessmentStep:
    """Tự đánh giá: the member's own assessment (form by group, e.g. 2A/2B/2C), with the score where
    the scale has points; without a level, the score's."""
    cycle = _lock(cycle)
    day = _check_day(effective_on, "effective_on", cycle.year)
    rules = R.assessment_rules(cycle.year)
    period, _cell = _member_placement(cycle, member, day)
    _not_rated(rules, member, period, day)
    value = _points(rules.scale, points)
    if not key and value is not None:
        key = rules.scale.level_for_points(value, MEMBER).key
    key = _level_key(rules.scale, MEMBER, key)
    R.raise_refusals(R.limit_refusals(rules, key=key, group=MEMBERS, points=value), field="key")
    return _step(cycle, StepKind.SELF_ASSESSMENT, day, actor, member=member, key=key, points=value,
                 comment=(comment or "").strip(), payload={"form": (form or "").strip()})


def vote_errors(comment: str, votes_due, votes_present, votes_for) -> list[DomainError]:
    """What is wrong with the chi bộ's collective comment and vote (members due, present, in favour)."""
    errors = []
    if not (comment or "").strip():
        errors.append(DomainError(_("Write the party cell's collective comment."), field="comment"))
    counts = {"votes_due": votes_due, "votes_present": votes_present, "votes_for": votes_for}
    bad = {name for name, n in counts.items() if isinstance(n, bool) or not isinstance(n, int) or n < 0}
    for name in sorted(bad, key=list(counts).index):
        errors.append(DomainError(_("A number of members, 0 or more."), field=name))
    if bad:
        return errors
    if votes_due == 0:
        errors.append(DomainError(_("At least one member is due to vote."), field="votes_due"))
    if votes_present > votes_due:
        errors.append(DomainError(_("More members present (%(present)s) than due to vote (%(due)s).") % {
            "present": votes_present, "due": votes_due}, field="votes_present"))
    if votes_for > votes_present:
        errors.append(DomainError(_("More votes in favour (%(for)s) than members present (%(present)s).") % {
            "for": votes_for, "present": votes_present}, field="votes_for"))
    return errors


@transaction.atomic
def cell_review_record(*, cycle: AssessmentCycle, member: Member, effective_on: dt.date, key: str, comment: str,
                       votes_due: int, votes_present: int, votes_for: int, actor=None) -> AssessmentStep:
    """Kiểm điểm ở chi bộ: the collective comment on a member, the rating the chi bộ proposes and its
    vote (members due, present, in favour)."""
    cycle = _lock(cycle)
    day = _check_day(effective_on, "effective_on", cycle.year)
    rules = R.assessment_rules(cycle.year)
    period, cell = _member_placement(cycle, member, day)
    _not_rated(rules, member, period, day)
    key = _level_key(rules.scale, MEMBER, key)
    errors = vote_errors(comment, votes_due, votes_present, votes_for)
    if errors:
        raise errors[0]
    counts = {"votes_due": votes_due, "votes_present": votes_present, "votes_for": votes_for}
    return _step(cycle, StepKind.CELL_REVIEW, day, actor, member=member, organization_id=cell, key=key,
                 comment=comment.strip(), **counts)


@transaction.atomic
def residence_comment_record(*, cycle: AssessmentCycle, member: Member, effective_on: dt.date, comment: str,
                             place: str = "", actor=None) -> AssessmentStep:
    """Nhận xét của nơi cư trú: the yearly comments on a member who works elsewhere (QĐ 213), from the
    chi bộ or committee of the place of residence (`place`)."""
    cycle = _lock(cycle)
    day = _check_day(effective_on, "effective_on", cycle.year)
    _member_placement(cycle, member, day)
    if not (comment or "").strip():
        raise DomainError(_("Write the comments of the place of residence."), field="comment")
    return _step(cycle, StepKind.RESIDENCE_COMMENT, day, actor, member=member, comment=comment.strip(),
                 payload={"place": " ".join((place or "").split())})


def disciplined_in(year: int, member_ids: list[int]) -> set[int]:
    return set(MemberEvent.objects.filter(
        member_id__in=member_ids, kind=MemberEventKind.DISCIPLINED, effective_on__year=year,
    ).values_list("member_id", flat=True))


def _check_decision(cycle, rules, d: RatingDecision, ref: dt.date, disciplined: set[int],
                    known: dict[int, MemberPeriod] | None = None) -> Rating:
    """One decision checked on its own (subject, authority, who is not rated, level, score, hard limits),
    as an unsaved Rating with where it was decided."""
    if (d.member is None) == (d.organization is None):
        raise DomainError(_("Rate either a member or an organization."), field="member")
    scale = rules.scale
    if d.member is not None:
        period, cell = _member_placement(cycle, d.member, ref, known)
        _not_rated(rules, d.member, period, ref)
        subject, group, rated_in = MEMBER, MEMBERS, cell
    else:
        org = d.organization
        period = OrganizationPeriod.objects.active_on(ref).filter(organization=org).first()
        if period is None:
            raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(ref)},
                              field="organization")
        if deciding_organization(org.pk, period.kind, period.parent_id, ref) != cycle.organization_id:
            raise DomainError(_("The rating of %(org)s is not decided by %(by)s.") % {
                "org": org.name, "by": cycle.organization.name}, field="organization")
        subject, group, rated_in = ORGANIZATION, R.group_of(period.kind), org.pk
    key = _level_key(scale, subject, d.key, d.label)
    points = _points(scale, d.points)
    counts = {"units_total": d.units_total, "units_disciplined": d.units_disciplined}
    for name, n in counts.items():
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise DomainError(_("A number of units, 0 or more."), field=name)
    if d.units_total is not None and (d.units_disciplined or 0) > d.units_total:
        raise DomainError(_("More units disciplined than units."), field="units_disciplined")
    if d.targets_met is not None and not 0 <= d.targets_met <= 1:
        raise DomainError(_("The share of targets met is between 0% and 100%."), field="targets_met")
    refusals = R.limit_refusals(
        rules, key=key, group=group, points=points, disciplined=d.member is not None and d.member.pk in disciplined,
        exception_reason=d.exception_reason, units_total=d.units_total, units_disciplined=d.units_disciplined,
        targets_met=d.targets_met)
    R.raise_refusals(refusals, field="key")
    level = scale.level(key, subject)
    return Rating(year=cycle.year, member=d.member, organization=d.organization, scale=scale.code, key=key,
                  label=level.label, rated_in_id=rated_in, decided_by_id=cycle.organization_id, group=group,
                  points=points, exception_reason=(d.exception_reason or "").strip())


def _check_cap(cycle, rules, ratings: list[Rating]) -> list[DomainError]:
    """The cap on "excellent" over the group's ratings once these are decided (those they replace left
    out): one aggregate per group; the refusals, one per group over its cap."""
    result = []
    for group in sorted({r.group for r in ratings}):
        batch = [r for r in ratings if r.group == group]
        members = [r.member_id for r in batch if r.member_id]
        orgs = [r.organization_id for r in batch if r.organization_id]
        stored = Rating.objects.filter(year=cycle.year, decided_by=cycle.organization, group=group).exclude(
            Q(member_id__in=members) | Q(organization_id__in=orgs)).aggregate(
            good=Count("id", filter=Q(key="good")), excellent=Count("id", filter=Q(key="excellent")))
        good = stored["good"] + sum(r.key == "good" for r in batch)
        excellent = stored["excellent"] + sum(r.key == "excellent" for r in batch)
        refusal = R.cap_refusal(rules, group=group, good=good, excellent=excellent, org=cycle.organization.name)
        if refusal is not None:
            result.append(R.RuleViolation(refusal, field="key"))
    return result


class RowRefusals(DomainError):
    """A batch refused as a whole (nothing written): `rows` maps the index of each refused item of the
    batch to its refusals, `general` holds those of the whole batch (the vote, the date, the cap on
    "excellent"). Its own message, field and code are the first refusal's."""

    def __init__(self, rows: dict[int, list[DomainError]], general: list[DomainError]):
        self.rows = {i: errors for i, errors in sorted(rows.items()) if errors}
        self.general = list(general)
        first = self.general[0] if self.general else next(iter(self.rows.values()))[0]
        super().__init__(first.message, field=first.field, code=first.code)

    def messages(self, index: int) -> list[str]:
        return [e.message for e in self.rows.get(index, [])]

    def as_api(self, items: str) -> dict:
        """The body of a 400 answer, as DRF words the errors of a list: `{items: {"index": {field:
        [reason]}}}` for the refused items, and the general refusals under their fields
        (`non_field_errors` without one)."""
        body: dict = {}
        if self.rows:
            body[items] = {str(i): {} for i in self.rows}
            for i, errors in self.rows.items():
                for e in errors:
                    body[items][str(i)].setdefault(e.field or "non_field_errors", []).append(e.message)
        for e in self.general:
            body.setdefault(e.field or "non_field_errors", []).append(e.message)
        return body


def refusals_of(exc: DomainError) -> list[DomainError]:
    """Each refusal a DomainError carries (a RuleViolation may carry several) as its own error."""
    refusals = getattr(exc, "refusals", None)
    if refusals and len(refusals) > 1:
        return [R.RuleViolation(r, field=exc.field) for r in refusals]
    return [exc]


def _audit_source() -> str:
    from auditlog.context import auditlog_value

    context = auditlog_value.get(None) or {}
    return (context.get("additional_data") or {}).get("source") or "system"


def steps_write(steps: list[AssessmentStep], actor=None) -> list[AssessmentStep]:
    """Insert many steps at once, audited explicitly (a bulk write sends no signal)."""
    from dangvu.core.audit import log_bulk_created

    created = AssessmentStep.objects.bulk_create(steps)
    log_bulk_created(created, actor=actor, source=_audit_source())
    return created


@transaction.atomic
def ratings_decide(*, cycle: AssessmentCycle, decisions: Sequence[RatingDecision], decided_on: dt.date,
                   decision: Decision = NO_DECISION, actor=None) -> list[Rating]:
    """Quyết định xếp loại: the committee of the cycle's organization decides these ratings (a new
    decision replaces the subject's rating of the year). All or nothing: any decision that breaks a
    rule of the year's regulation refuses the lot (RowRefusals: the reasons of every refused
    decision, by its index, and the cap's)."""
    from dangvu.core.audit import log_bulk_created, log_bulk_updated

    cycle = _lock(cycle)
    day = _check_day(decided_on, "decided_on", cycle.year)
    if not decisions:
        raise DomainError(_("Nothing to decide."), field="decisions")
    rules = R.assessment_rules(cycle.year)
    ref = reference_day(cycle.year, day)
    member_ids = [d.member.pk for d in decisions if d.member is not None]
    disciplined = disciplined_in(cycle.year, member_ids)
    known = placements(cycle, member_ids, ref)
    rows: dict[int, list[DomainError]] = {}
    ratings: list[Rating | None] = []
    seen: set[tuple] = set()
    for i, d in enumerate(decisions):
        try:
            rating = _check_decision(cycle, rules, d, ref, disciplined, known)
        except DomainError as exc:
            rows[i] = refusals_of(exc)
            ratings.append(None)
            continue
        subject = (rating.member_id, rating.organization_id)
        if subject in seen:
            rows[i] = [DomainError(_("A member or organization is rated twice in one decision."), field="decisions")]
        seen.add(subject)
        ratings.append(rating)
    general = _check_cap(cycle, rules, [r for r in ratings if r is not None])
    if rows or general:
        raise RowRefusals(rows, general)
    subjects = [(r.member_id, r.organization_id) for r in ratings]
    stored = {(r.member_id, r.organization_id): r for r in Rating.objects.filter(
        Q(member_id__in=[m for m, _o in subjects if m]) | Q(organization_id__in=[o for _m, o in subjects if o]),
        year=cycle.year).select_related("member", "organization")}  # the audit's text names the subject
    fields = ("scale", "key", "label", "rated_in_id", "decided_by_id", "group", "points", "exception_reason",
              "decided_on", "source")
    new, changed, result = [], [], []
    for rating in ratings:
        rating.decided_on, rating.source = day, "web"
        old = stored.get((rating.member_id, rating.organization_id))
        if old is None:
            new.append(rating)
            result.append(rating)
            continue
        diff = {f: [getattr(old, f), getattr(rating, f)] for f in fields if getattr(old, f) != getattr(rating, f)}
        for f in fields:
            setattr(old, f, getattr(rating, f))
        changed.append((old, diff))
        result.append(old)
    source = _audit_source()
    if new:
        Rating.objects.bulk_create(new)
        log_bulk_created(new, actor=actor, source=source)
    if changed:
        # One UPDATE per distinct set of new values (a sheet decides most members alike): Django's
        # bulk_update builds a CASE per field and row, the slowest step of saving a sheet.
        same: dict[tuple, list[int]] = {}
        for r, d in changed:
            if d:
                same.setdefault(tuple((f, getattr(r, f)) for f in sorted(d)), []).append(r.pk)
        for values, pks in same.items():
            Rating.objects.filter(pk__in=pks).update(**dict(values))
        log_bulk_updated([(r, {f.removesuffix("_id"): v for f, v in d.items()}) for r, d in changed if d],
                         actor=actor, source=source)
    steps_write([AssessmentStep(
        cycle=cycle, kind=StepKind.DECISION, effective_on=day, recorded_by=acting_user(actor),
        decision_number=decision.number, decision_date=decision.date, issued_by=decision.issued_by,
        member=d.member, organization=d.organization, key=rating.key, points=rating.points,
        comment=(d.comment or "").strip(), payload={"rating_id": rating.pk, "exception_reason": rating.exception_reason})
        for rating, d in zip(result, decisions, strict=True)], actor)
    return result
