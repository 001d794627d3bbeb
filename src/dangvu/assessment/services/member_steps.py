"""A member's steps of the cycle: the self-assessment, the chi bộ's review with its collective comment,
proposed rating and vote, the comments of the place of residence."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.regulations.assessment import MEMBER, MEMBERS

from ..models import AssessmentCycle, AssessmentStep, StepKind
from .checks import _level_key, _not_rated, _points, vote_errors, votes_for_errors
from .cycle import _check_day, _lock, _member_placement, _step


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


@transaction.atomic
def cell_review_record(*, cycle: AssessmentCycle, member: Member, effective_on: dt.date, key: str, comment: str,
                       votes_due: int, votes_present: int, votes_for: int, actor=None) -> AssessmentStep:
    """Kiểm điểm ở chi bộ: the collective comment on a member, the rating the chi bộ proposes and its
    vote (members due, present, in favour: with the majority the rules require)."""
    cycle = _lock(cycle)
    day = _check_day(effective_on, "effective_on", cycle.year)
    rules = R.assessment_rules(cycle.year)
    period, cell = _member_placement(cycle, member, day)
    _not_rated(rules, member, period, day)
    key = _level_key(rules.scale, MEMBER, key)
    errors = vote_errors(comment, votes_due, votes_present) + votes_for_errors(rules, votes_for, votes_due,
                                                                              votes_present)
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
