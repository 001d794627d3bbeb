"""What the candidate's page offers: the steps that make sense at the candidate's stage, the users who
could record the pending one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangvu.accounts.permissions import Action, roles_allowed

from ..models import OPEN_STAGES, Candidate, CandidateStage, StepKind

#: Steps recorded from the candidate's page at any open stage, and while the file is being put together.
ANY_OPEN_STEPS = ("document", StepKind.ASSIGNED, StepKind.CLOSED)
FILE_STEPS = (StepKind.BACKGROUND_CHECK, StepKind.INTRODUCERS, StepKind.COMMENTS)
FILE_OPEN_STAGES = (CandidateStage.OUTSTANDING_MASS, CandidateStage.AWARENESS_COURSE_DONE, CandidateStage.SYMPATHIZER)
REJECTABLE_STAGES = (CandidateStage.DOSSIER_COMPLETE, CandidateStage.CELL_APPROVED, CandidateStage.COMMITTEE_APPROVED,
                     CandidateStage.ADMISSION_DECIDED)


def available_steps(candidate: Candidate, today: dt.date) -> list[str]:
    """The steps that make sense at the candidate's stage (the service still checks every rule)."""
    if candidate.stage not in OPEN_STAGES:
        return []
    steps = []
    if candidate.next_step:
        steps.append(candidate.next_step)
    expired = candidate.certificate_expires_on is not None and candidate.certificate_expires_on < today
    if expired and candidate.stage in (CandidateStage.AWARENESS_COURSE_DONE, CandidateStage.SYMPATHIZER,
                                       CandidateStage.DOSSIER_COMPLETE):
        steps.append(StepKind.AWARENESS_COURSE)
    if candidate.stage in FILE_OPEN_STAGES:
        steps += [s for s in FILE_STEPS if s not in steps]
    if candidate.stage in REJECTABLE_STAGES:
        steps.append(StepKind.REJECTED)
    return steps + list(ANY_OPEN_STEPS)


def assignable_users(candidate: Candidate):
    """Users who could record the pending step: a writing role over the owner's subtree."""
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import RoleAssignment

    if candidate.owner_org is None:
        return get_user_model().objects.none()
    org = candidate.owner_org
    ancestors = [int(x) for x in org.path.strip("/").split("/") if x] or [org.pk]
    today = timezone.localdate()
    ids = RoleAssignment.objects.active_on(today).filter(organization_id__in=ancestors, role__in=roles_allowed(Action.EDIT)
                                                         ).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")
