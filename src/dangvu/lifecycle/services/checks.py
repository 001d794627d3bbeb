"""The checks every lifecycle action shares: the member's status, the majority of a vote."""

from __future__ import annotations

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.organizations.services import Vote


def _vote_passes(vote: Vote, rules: R.RuleSet) -> bool:
    """At least the rules' share (`vote_threshold`) of the official members, those the rules leave out
    (`vote_denominator_excludes`) not counted."""
    return R.vote_passes(vote.due, vote.present, vote.votes_for, rules, excluded={"exempted": vote.excluded})


def _require_status(member: Member, statuses: tuple[str, ...], message: str, field: str | None = None) -> None:
    if member.status not in statuses:
        raise DomainError(message % {"name": member.full_name, "status": member.get_status_display()}, field=field)
