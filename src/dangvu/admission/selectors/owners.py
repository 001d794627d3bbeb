"""Who owns each step of an admission (the chi bộ, the grassroots committee, the deciding level), the
step a candidate waits for, and whether a user may record a step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.accounts.models import Role
from dangvu.accounts.permissions import Action, can
from dangvu.accounts.selectors import scope_q
from dangvu.organizations.models import Organization

from ..models import Candidate, CandidateStage, StepKind
from .organizations import deciding_authority, deciding_org, grassroots_of, is_grassroots_cell


@dataclass(frozen=True)
class Owner:
    organization: Organization
    role: str

    def __str__(self) -> str:
        return f"{Role(self.role).label} · {self.organization.name}"


#: Steps taken by the chi bộ itself (its secretary, chi ủy).
CELL_STEPS = {
    StepKind.PROPOSED, StepKind.AWARENESS_COURSE, StepKind.SYMPATHIZER, StepKind.BACKGROUND_CHECK,
    StepKind.INTRODUCERS, StepKind.COMMENTS, StepKind.DOSSIER_COMPLETE, StepKind.CELL_VOTE, StepKind.CEREMONY,
    StepKind.REJECTED, StepKind.CERTIFICATE_EXPIRED, StepKind.CLOSED, StepKind.ASSIGNED,
}


def step_owner(candidate: Candidate, kind: str, *, day: dt.date | None = None, delegated: bool = False) -> Owner:
    """Who owns a step: the chi bộ's secretary for the chi bộ's steps; the đảng ủy cơ sở for its vote;
    the Ban tổ chức of the deciding level (under the rules in force on `day`) for the decision."""
    cell = candidate.cell
    if kind == StepKind.COMMITTEE_VOTE:
        return Owner(grassroots_of(cell), Role.SECRETARY)
    if kind == StepKind.DECISION:
        rules = R.rules_on(day or timezone.localdate())
        return Owner(deciding_org(cell, deciding_authority(rules, delegated=delegated)), Role.ORGANIZER)
    return Owner(cell, Role.SECRETARY)


def next_step_for(candidate: Candidate) -> str:
    """The step the candidate waits for at their stage ("" when none)."""
    s = CandidateStage
    return {
        s.OUTSTANDING_MASS: StepKind.AWARENESS_COURSE,
        s.AWARENESS_COURSE_DONE: StepKind.SYMPATHIZER,
        s.SYMPATHIZER: StepKind.DOSSIER_COMPLETE,
        s.DOSSIER_COMPLETE: StepKind.CELL_VOTE,
        s.CELL_APPROVED: StepKind.DECISION if is_grassroots_cell(candidate.cell) else StepKind.COMMITTEE_VOTE,
        s.COMMITTEE_APPROVED: StepKind.DECISION,
        s.ADMISSION_DECIDED: StepKind.CEREMONY,
    }.get(candidate.stage, "")


def in_scope(user, org: Organization) -> bool:
    return Organization.objects.filter(scope_q(user), pk=org.pk).exists()


def may_record(user, candidate: Candidate, kind: str, *, day: dt.date | None = None,
               delegated: bool = False) -> tuple[bool, str]:
    """Whether `user` may record step `kind` of `candidate` (already known to be in scope) dated
    `day` (None: today): a role that writes, whose scope holds the organization owning the step under
    the rules of that day. A paper of the file (`"document"`) is the chi bộ's, as the proposal; a
    rejection is the owner's of the step pending. (False, why) otherwise."""
    if not can(user, Action.EDIT):
        return False, _("Your role cannot change the registry.")
    if kind == "document":
        kind = StepKind.PROPOSED
    elif kind == StepKind.REJECTED:
        kind = candidate.next_step or kind
    owner = step_owner(candidate, kind, day=day, delegated=delegated)
    if not in_scope(user, owner.organization):
        return False, _("This step belongs to %(owner)s, outside your scope.") % {"owner": owner}
    return True, ""
