"""What the assessment shows a user: the cycles of the organizations in their scope, the ratings of a
member or an organization across the years (the record pages' history), the cycles still to finish
(the to-do page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dangvu import regulations as R
from dangvu.accounts.selectors import scope_q
from dangvu.members.models import ACTIVE_STATUSES, MemberPeriod
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization, OrganizationKind
from dangvu.regulations.assessment import SCALES_BY_CODE

from .models import AssessmentCycle, Rating


def cycles_visible_to(user) -> QuerySet[AssessmentCycle]:
    """Assessment cycles of an organization in the user's scope (outside scope: not there)."""
    return AssessmentCycle.objects.filter(scope_q(user, "organization__"))


#: Where a rating was recorded from.
SOURCE_LABELS = {"web": _("Web"), "api": _("API"), "cli": _("Command line"), "import": _("Import"),
                 "system": _("System")}


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

    @property
    def pending(self) -> int:
        return self.members_pending + self.cells_pending + self.organizations_pending


def _pending_members(year: int, day: dt.date) -> Subquery:
    """Members placed (active, not exempted) under the cycle's organization on `day` without a rating
    of `year`: a subquery counted per cycle (the cycle's organization as OuterRef)."""
    rated = Rating.objects.filter(year=year, member=OuterRef("member"))
    qs = (MemberPeriod.objects.active_on(day)
          .filter(status__in=ACTIVE_STATUSES, exempted=False,
                  cell__path__startswith=OuterRef("organization__path"))
          .exclude(Exists(rated)))
    return _count(qs)


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
    most urgent first: for a grassroots organization its members (placed in its chi bộ, active, not
    exempted) and subordinate chi bộ not yet rated; for a committee above, its grassroots
    organizations. The time limit is the rules' (`AssessmentRules.decision_deadline`, UNCONFIRMED).
    One query per year."""
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
    result.sort(key=lambda d: (d.deadline, d.cycle.organization.code))
    return result
