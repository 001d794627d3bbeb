"""The lists of candidates: open, overdue, steps falling due (the to-do page), the board by stage, a
candidate's timeline."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from dangvu.organizations.models import Organization
from dangvu.organizations.selectors import subtree_q

from ..models import OPEN_STAGES, Candidate, CandidateStage, CandidateStep
from .visible import candidate_search, candidates_visible_to


def open_candidates(user) -> QuerySet[Candidate]:
    return candidates_visible_to(user).filter(stage__in=OPEN_STAGES)


def overdue_candidates(user, today: dt.date) -> QuerySet[Candidate]:
    """Open candidates whose pending step is past its due date (a time limit of the rules, or the
    end of the awareness certificate's validity), the most overdue first."""
    return (open_candidates(user).filter(due_on__lt=today).select_related("cell", "owner_org", "assignee")
            .order_by("due_on", "sort_key", "id"))


#: How far ahead the to-do page looks for candidates' steps falling due.
CANDIDATE_HORIZON_DAYS = 30


def candidate_steps_due(user, today: dt.date, horizon_days: int = CANDIDATE_HORIZON_DAYS):
    """Open candidates whose next step (chi bộ vote, decision, ceremony, ...) is due within
    `horizon_days` or overdue, the most urgent first."""
    return (open_candidates(user).filter(due_on__lte=today + dt.timedelta(days=horizon_days))
            .select_related("cell", "owner_org", "assignee").order_by("due_on", "sort_key", "id"))


def candidate_board(user, today: dt.date, *, cell: Organization | None = None, text: str = "") -> dict:
    """The open candidates in scope by stage (in the order of the pipeline), with the overdue ones."""
    qs = open_candidates(user).select_related("cell", "owner_org", "assignee")
    if cell is not None:
        qs = qs.filter(subtree_q([cell], "cell__"))
    qs = candidate_search(qs, text)
    by_stage: dict[str, list] = {s: [] for s in OPEN_STAGES}
    for c in qs.order_by("due_on", "sort_key", "id"):
        c.overdue = c.due_on is not None and c.due_on < today
        by_stage[c.stage].append(c)
    columns = [{"stage": s, "label": CandidateStage(s).label, "candidates": by_stage[s],
                "overdue": sum(1 for c in by_stage[s] if c.overdue)} for s in OPEN_STAGES]
    return {
        "columns": columns,
        "total": sum(len(col["candidates"]) for col in columns),
        "overdue": sum(col["overdue"] for col in columns),
        "admitted": candidates_visible_to(user).filter(stage=CandidateStage.ADMITTED).count(),
    }


def candidate_timeline(candidate: Candidate) -> QuerySet[CandidateStep]:
    return candidate.steps.select_related("owner_org", "owner_user", "recorded_by").order_by("effective_on", "id")
