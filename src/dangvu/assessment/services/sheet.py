"""The rating sheet of one chi bộ (bảng xếp loại nhanh): the chi bộ's proposals for all its members in
one write (kiểm điểm ở chi bộ: one meeting — its collective comment, the members due to vote and
present — and per member the proposed rating, with the score where the scale has points, and the
chi bộ's votes in favour of it). All or nothing: every refused row is reported with the rule's
reason (RowRefusals, by the row's index) and nothing is written. The decisions of the sheet go
through `ratings_decide`, all or nothing the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.audit import acting_user
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.organizations.models import CELL_KINDS, Organization, OrganizationPeriod
from dangvu.regulations.assessment import MEMBER, MEMBERS

from ..models import AssessmentCycle, AssessmentStep, StepKind
from .batches import RowRefusals, refusals_of, steps_write
from .checks import _level_key, _points, vote_errors, votes_for_errors
from .cycle import _check_day, _lock, disciplined_in, placements, reference_day
from .ratings import grassroots_of


@dataclass(frozen=True)
class Proposal:
    """The rating the chi bộ proposes for one member: a level (`key` or its label) or, where the scale
    has points, the score alone (its level by the thresholds), or both; and the chi bộ's votes in
    favour of it (`votes_for`: required, at most the members present)."""

    member: Member
    key: str = ""
    points: Decimal | int | str | None = None
    votes_for: int | None = None


def cell_in_cycle(cycle: AssessmentCycle, cell: Organization, day: dt.date) -> bool:
    """Whether the members of `cell` are rated in `cycle` on `day`: a chi bộ whose grassroots
    organization (itself for a chi bộ cơ sở) is the cycle's."""
    period = OrganizationPeriod.objects.active_on(day).filter(organization=cell, kind__in=CELL_KINDS).first()
    return period is not None and grassroots_of([cell.pk], day).get(cell.pk) == cycle.organization_id


def _proposal_row(rules: R.AssessmentRules, p: Proposal, period, cell: Organization, ref: dt.date,
                  disciplined: set[int]) -> tuple[str, Decimal | None]:
    """One proposal checked: placed in the chi bộ, rated this year, a level of the scale that its score
    and a discipline allow. (key, points) or DomainError."""
    if period is None or period.cell_id != cell.pk:
        raise DomainError(_("%(name)s is not in %(cell)s on %(day)s.") % {
            "name": p.member.full_name, "cell": cell.name, "day": format_date(ref)}, field="member")
    refusal = R.not_rated_reason(rules, exempted=period.exempted, suspended=period.suspended,
                                 admitted_on=p.member.membership_started_on, day=ref)
    if refusal is not None:
        R.raise_refusals([refusal], field="member")
    value = _points(rules.scale, p.points)
    key = p.key
    if not key and value is not None:
        key = rules.scale.level_for_points(value, MEMBER).key
    if not key:
        raise DomainError(_("Choose a rating."), field="key")
    key = _level_key(rules.scale, MEMBER, key)
    R.raise_refusals(R.limit_refusals(rules, key=key, group=MEMBERS, points=value,
                                      disciplined=p.member.pk in disciplined), field="key")
    return key, value


@transaction.atomic
def cell_reviews_record(*, cycle: AssessmentCycle, cell: Organization, effective_on: dt.date,
                        proposals: Sequence[Proposal], comment: str, votes_due: int, votes_present: int,
                        actor=None) -> list[AssessmentStep]:
    """Kiểm điểm ở chi bộ for a whole chi bộ: its collective comment and meeting (members due to vote,
    present), and the rating it proposes for each member of `proposals` with its own votes in favour,
    written together (one step per member, audited in bulk; a member whose proposal, comment and vote
    are those of their last step gets none). Any refused row (its rating or its votes in favour), or a
    wrong comment or count of the meeting, refuses the lot (RowRefusals) and nothing is written. A
    fixed number of queries whatever the number of members."""
    cycle = _lock(cycle)
    day = _check_day(effective_on, "effective_on", cycle.year)
    ref = reference_day(cycle.year, day)
    if not cell_in_cycle(cycle, cell, ref):
        raise DomainError(_("The members of %(cell)s are not rated by %(org)s.") % {
            "cell": cell.name, "org": cycle.organization.name}, field="cell")
    general = vote_errors(comment, votes_due, votes_present)
    if not proposals:
        general.append(DomainError(_("Nothing to propose: choose a rating for at least one member."),
                                   field="proposals"))
    rules = R.assessment_rules(cycle.year)
    ids = [p.member.pk for p in proposals]
    known = placements(cycle, ids, ref)
    disciplined = disciplined_in(cycle.year, ids)
    rows: dict[int, list[DomainError]] = {}
    values: list[tuple[str, Decimal | None]] = []
    seen: set[int] = set()
    for i, p in enumerate(proposals):
        try:
            values.append(_proposal_row(rules, p, known.get(p.member.pk), cell, ref, disciplined))
        except DomainError as exc:
            rows[i] = refusals_of(exc)
            values.append(("", None))
        votes = votes_for_errors(rules, p.votes_for, votes_due, votes_present)
        if votes:
            rows.setdefault(i, []).extend(votes)
        if p.member.pk in seen:
            rows.setdefault(i, []).append(DomainError(_("%(name)s is proposed twice.") % {
                "name": p.member.full_name}, field="member"))
        seen.add(p.member.pk)
    if rows or general:
        raise RowRefusals(rows, general)
    user, text = acting_user(actor), comment.strip()
    last = _last_reviews(cycle, ids)
    return steps_write([AssessmentStep(
        cycle=cycle, kind=StepKind.CELL_REVIEW, effective_on=day, recorded_by=user, member=p.member,
        organization=cell, key=key, points=points, comment=text, votes_due=votes_due, votes_present=votes_present,
        votes_for=p.votes_for) for p, (key, points) in zip(proposals, values, strict=True)
        if last.get(p.member.pk) != (key, points, text, votes_due, votes_present, p.votes_for)], actor)


def _last_reviews(cycle: AssessmentCycle, member_ids: list[int]) -> dict[int, tuple]:
    """member id → (key, points, comment, votes due, present, for) of their last proposal in `cycle`."""
    rows = (AssessmentStep.objects.filter(cycle=cycle, kind=StepKind.CELL_REVIEW, member_id__in=member_ids)
            .order_by("effective_on", "pk")
            .values_list("member_id", "key", "points", "comment", "votes_due", "votes_present", "votes_for"))
    return {row[0]: row[1:] for row in rows}
