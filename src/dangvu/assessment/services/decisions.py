"""The decision of the committee (the đảng ủy cơ sở for its members and subordinate chi bộ, the
superior committee for grassroots organizations). A decision is checked against the rules of the
year's regulation (`regulations.assessment_rules`): who is not rated, the hard limits and the cap on
"excellent" over the ratings of its group once the decision is applied; a decision that breaks one
is refused with the reason (RuleViolation, on its field) and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.audit import acting_user
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberPeriod
from dangvu.organizations.models import Organization, OrganizationPeriod
from dangvu.organizations.services import NO_DECISION, Decision
from dangvu.regulations.assessment import MEMBER, MEMBERS, ORGANIZATION

from ..models import AssessmentCycle, AssessmentStep, Rating, StepKind
from .batches import RowRefusals, _audit_source, refusals_of, steps_write
from .checks import _level_key, _not_rated, _points
from .cycle import _check_day, _lock, _member_placement, disciplined_in, placements, reference_day
from .ratings import deciding_organization


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
