"""The rules applied to ratings: the cap on "excellent" within a deciding organization, the hard limits
of a rating, why a member is not rated; each broken rule a `Refusal`."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import months_between

from ..refusals import Refusal, _refusal
from .groups import GROUP_NAMES, MEMBER, MEMBERS, ORGANIZATION
from .rules import ADMITTED_RECENTLY, EXEMPTED, SUSPENDED, AssessmentRules
from .scales import KEY_NAMES


def percent(share: Fraction) -> str:
    """20% (a share of a rule, for messages)."""
    return f"{float(share) * 100:g}%"


def cap_refusal(rules: AssessmentRules, *, group: str, good: int, excellent: int, org: str) -> Refusal | None:
    """The cap on "excellent" broken by `excellent` and `good` ratings of `group` decided in `org`, or None."""
    if rules.cap_allows(group, good, excellent):
        return None
    base = rules.cap_base(good, excellent)
    allowed = int(rules.excellent_cap_ratio * base)
    limit = (_("at most %(allowed)s can be rated so.") % {"allowed": allowed} if allowed
             else _("too few for any to be rated so."))
    return _refusal("assessment.excellent_over_cap", excellent=excellent, org=org, group=GROUP_NAMES[group],
                    ratio=percent(rules.excellent_cap_ratio), base=base,
                    or_better=_(" or better") if rules.excellent_cap_base_includes_excellent else "",
                    allowed=allowed, limit=limit, regulation=rules.code)


def proposal_vote_refusal(rules: AssessmentRules, *, votes_due: int, votes_for: int) -> Refusal | None:
    """The chi bộ's proposed rating of a member without the majority `rules.proposal_majority` of the
    members due to vote (`votes_due`), or None."""
    if rules.proposal_passes(votes_due, votes_for):
        return None
    return _refusal("assessment.proposal_without_majority", votes_for=votes_for, due=votes_due,
                    share=percent(rules.proposal_majority), needed=int(rules.proposal_majority * votes_due) + 1,
                    source=_("Party Statute, Article 10"))


def not_rated_reason(rules: AssessmentRules, *, exempted: bool = False, suspended: bool = False,
                     admitted_on: dt.date | None = None, day: dt.date | None = None) -> Refusal | None:
    """Why a member is not rated under `rules` (the first reason), or None."""
    if exempted and EXEMPTED in rules.not_rated:
        return _refusal("assessment.not_rated_exempted", regulation=rules.code)
    if suspended and SUSPENDED in rules.not_rated:
        return _refusal("assessment.not_rated_suspended", regulation=rules.code)
    if (ADMITTED_RECENTLY in rules.not_rated and admitted_on is not None and day is not None
            and months_between(admitted_on, day) < rules.not_rated_min_months):
        return _refusal("assessment.not_rated_recent", admitted=admitted_on, months=rules.not_rated_min_months,
                        regulation=rules.code)
    return None


def limit_refusals(rules: AssessmentRules, *, key: str, group: str, points=None, disciplined: bool = False,
                   exception_reason: str = "", units_total: int | None = None, units_disciplined: int | None = None,
                   targets_met: Fraction | None = None) -> list[Refusal]:
    """The hard limits a rating `key` of a member or organization (`group`) breaks under `rules`:
    the score's level (where the scale has points), discipline in the year, the share of units
    disciplined, the share of targets met. `exception_reason` (found and fixed by itself) lifts the
    discipline limit where the regulation allows it."""
    scale = rules.scale
    subject = MEMBER if group == MEMBERS else ORGANIZATION
    result = []
    worst = scale.keys(subject)[-1]
    if scale.has_points and points is not None:
        reached = scale.level_for_points(points, subject)
        if reached is not None and scale.rank(key) < scale.rank(reached.key):
            result.append(_refusal("assessment.points_too_low", points=points, level=KEY_NAMES[key],
                                   reached=KEY_NAMES[reached.key], regulation=rules.code))
    lifted = rules.disciplined_exception and exception_reason.strip()
    if disciplined and rules.disciplined_max is not None and not lifted and scale.rank(key) < scale.rank(rules.disciplined_max):
        result.append(_refusal("assessment.disciplined", level=KEY_NAMES[rules.disciplined_max], regulation=rules.code))
    if subject == ORGANIZATION and key != worst:
        if (rules.units_disciplined_max_share is not None and units_total and units_disciplined is not None
                and units_disciplined > rules.units_disciplined_max_share * units_total):
            result.append(_refusal("assessment.units_disciplined", disciplined=units_disciplined, total=units_total,
                                   share=percent(rules.units_disciplined_max_share), regulation=rules.code))
        if rules.targets_min_share is not None and targets_met is not None and targets_met < rules.targets_min_share:
            result.append(_refusal("assessment.targets", share=percent(rules.targets_min_share), regulation=rules.code))
        if rules.excellent_needs_no_unit_disciplined and key == "excellent" and units_disciplined:
            result.append(_refusal("assessment.excellent_unit_disciplined", regulation=rules.code))
    return result
