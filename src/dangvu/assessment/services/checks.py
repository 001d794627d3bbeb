"""The checks a step makes of what it records: who is not rated, the level on the year's scale, the
score where the scale has points, the chi bộ's collective comment and vote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberPeriod


def _not_rated(rules: R.AssessmentRules, member: Member, period: MemberPeriod, day: dt.date) -> None:
    refusal = R.not_rated_reason(rules, exempted=period.exempted, suspended=period.suspended,
                                 admitted_on=member.membership_started_on, day=day)
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
