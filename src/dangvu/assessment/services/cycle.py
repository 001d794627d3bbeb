"""The yearly assessment cycle (kỳ đánh giá, xếp loại) (domain-rules §7.6, §7.7): open the cycle of a
committee, and what its steps look at: the day, the tree and the placements on the step's reference
day, the members disciplined in the year. The steps: a member's (`member_steps`: self-assessment, the
chi bộ's review, the comments of the place of residence), the committee's decision (`decisions`), a chi
bộ's sheet (`sheet`). Each step writes one `AssessmentStep` (audited)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import acting_user
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEvent, MemberEventKind, MemberPeriod
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization, OrganizationKind, OrganizationPeriod
from dangvu.organizations.services import NO_DECISION, Decision

from ..models import AssessmentCycle, AssessmentStep, StepKind
from .ratings import check_year, grassroots_of

#: Organizations whose committee runs a cycle: grassroots organizations and the committees above them.
CYCLE_KINDS = (*GRASSROOTS_KINDS, OrganizationKind.DISTRICT, OrganizationKind.PROVINCIAL)


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


def disciplined_in(year: int, member_ids: list[int]) -> set[int]:
    return set(MemberEvent.objects.filter(
        member_id__in=member_ids, kind=MemberEventKind.DISCIPLINED, effective_on__year=year,
    ).values_list("member_id", flat=True))
