"""Read queries of the admission (người vào Đảng): what a user may see (scope by the proposing chi
bộ), the board by stage, what is overdue, the admission file checklist, who owns each step and
whether a user may record it.

Modules: `visible`, `organizations` (around a chi bộ), `owners` (of the steps), `lists`, `dossier` (the
admission file), `step_pages` and `requirements` (what the candidate's page shows about a step).
"""

from __future__ import annotations

from .dossier import (
    cell_vote_counts,
    checklist,
    current_documents,
    failed_votes,
    latest_step,
    member_status_on,
    union_introduces,
)
from .lists import (
    CANDIDATE_HORIZON_DAYS,
    candidate_board,
    candidate_steps_due,
    candidate_timeline,
    open_candidates,
    overdue_candidates,
)
from .organizations import (
    authority_label,
    deciding_authority,
    deciding_org,
    grassroots_of,
    has_partial_committee,
    is_grassroots_cell,
)
from .owners import CELL_STEPS, Owner, in_scope, may_record, next_step_for, step_owner
from .requirements import step_requirements
from .step_pages import (
    ANY_OPEN_STEPS,
    FILE_OPEN_STAGES,
    FILE_STEPS,
    REJECTABLE_STAGES,
    assignable_users,
    available_steps,
)
from .visible import candidate_search, candidates_visible_to, national_id_holders

__all__ = [
    "ANY_OPEN_STEPS",
    "CANDIDATE_HORIZON_DAYS",
    "CELL_STEPS",
    "FILE_OPEN_STAGES",
    "FILE_STEPS",
    "Owner",
    "REJECTABLE_STAGES",
    "assignable_users",
    "authority_label",
    "available_steps",
    "candidate_board",
    "candidate_search",
    "candidate_steps_due",
    "candidate_timeline",
    "candidates_visible_to",
    "cell_vote_counts",
    "checklist",
    "current_documents",
    "deciding_authority",
    "deciding_org",
    "failed_votes",
    "grassroots_of",
    "has_partial_committee",
    "in_scope",
    "is_grassroots_cell",
    "latest_step",
    "may_record",
    "member_status_on",
    "national_id_holders",
    "next_step_for",
    "open_candidates",
    "overdue_candidates",
    "step_owner",
    "step_requirements",
    "union_introduces",
]
