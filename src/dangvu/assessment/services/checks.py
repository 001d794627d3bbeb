"""The checks a step makes of what it records: who is not rated, the level on the year's scale, the
score where the scale has points, the chi bộ's collective comment and its meeting's count (`vote_errors`),
the votes in favour of each proposal (`votes_for_errors`)."""

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


def _is_count(n) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= R.MAX_VOTERS


def vote_errors(comment: str, votes_due, votes_present) -> list[DomainError]:
    """What is wrong with the chi bộ's collective comment and the count of its meeting (members due to
    vote, present): one for the whole meeting."""
    errors = []
    if not (comment or "").strip():
        errors.append(DomainError(_("Write the party cell's collective comment."), field="comment"))
    counts = {"votes_due": votes_due, "votes_present": votes_present}
    bad = [name for name, n in counts.items() if not _is_count(n)]
    for name in bad:
        errors.append(DomainError(_("A number of members, 0 or more."), field=name))
    if bad:
        return errors
    if votes_due == 0:
        errors.append(DomainError(_("At least one member is due to vote."), field="votes_due"))
    if votes_present > votes_due:
        errors.append(DomainError(_("More members present (%(present)s) than due to vote (%(due)s).") % {
            "present": votes_present, "due": votes_due}, field="votes_present"))
    return errors


def votes_for_errors(rules: R.AssessmentRules, votes_for, votes_due, votes_present) -> list[DomainError]:
    """What is wrong with the votes in favour of the rating the chi bộ proposes for one member: a
    count, at most the members present, with the majority of the members due to vote that the
    rules require (`AssessmentRules.proposal_majority`)."""
    if votes_for is None:
        return [DomainError(_("Enter the votes in favour of the proposal."), field="votes_for")]
    if not _is_count(votes_for):
        return [DomainError(_("A number of members, 0 or more."), field="votes_for")]
    if _is_count(votes_present) and votes_for > votes_present:
        return [DomainError(_("More votes in favour (%(for)s) than members present (%(present)s).") % {
            "for": votes_for, "present": votes_present}, field="votes_for")]
    refusal = R.proposal_vote_refusal(rules, votes_due=votes_due, votes_for=votes_for) if _is_count(
        votes_due) and votes_due else None
    return [R.RuleViolation(refusal, field="votes_for")] if refusal else []
