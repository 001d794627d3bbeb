"""The to-do lists (việc cần làm) as the pages show them: the lifecycle's lists (`todo`), the
candidates' steps due (`admission.selectors`) and the assessment cycles still to finish
(`assessment.selectors.cycles_due`), each complete, counted, with how many are overdue —
one selector for the to-do page, its downloads, the API and the dashboard's warnings.

Web-level composition of sibling apps (like the views and the API; pyproject's import contract).
"""

from __future__ import annotations

import datetime as dt

from dangvu import regulations as R
from dangvu.admission.selectors import CANDIDATE_HORIZON_DAYS, candidate_steps_due
from dangvu.assessment.selectors import cycles_due

from . import todo
from .transfers import transfers_in_transit

#: The to-do lists, in the order the page shows them.
TODO_KEYS = ("candidates", "transfers", "discipline_cases", "probations", "assessment", "badges", "cards")
#: The lists with a time limit, and those counted in SQL: the dashboard's figures (the badges due are
#: checked member by member, which the landing page of a province should not wait for).
DASHBOARD_KEYS = ("candidates", "transfers", "discipline_cases", "probations", "assessment", "cards")
#: The lists whose items have a time limit, and so can be overdue.
DEADLINE_KEYS = ("candidates", "transfers", "probations", "assessment")


def todo_list(user, today: dt.date, key: str, overdue_only: bool = False):
    """The whole to-do list `key` (one of TODO_KEYS) for `user` on `today`, the most urgent first: a
    queryset, or a list for those the rules check member by member (probations, badges). With
    `overdue_only`, only the items past their time limit (lists of DEADLINE_KEYS)."""
    rows = _todo_list(user, today, key)
    return _only_overdue(key, rows, today) if overdue_only and key in DEADLINE_KEYS else rows


def _todo_list(user, today: dt.date, key: str):
    if key == "candidates":
        return candidate_steps_due(user, today)
    if key == "transfers":
        return transfers_in_transit(user, today)
    if key == "discipline_cases":
        return todo.open_discipline_cases(user)
    if key == "probations":
        return todo.probations_ending(user, today)
    if key == "assessment":
        return cycles_due(user, today)
    if key == "badges":
        return todo.badges_due(user, todo.next_award_date(today))
    if key == "cards":
        return todo.cards_not_issued(user)
    raise KeyError(key)


def _only_overdue(key: str, rows, today: dt.date):
    """The items of list `key` (one of DEADLINE_KEYS) past their time limit on `today`."""
    if key == "candidates":
        return rows.filter(due_on__lt=today)
    if key == "transfers":
        return rows.filter(report_by__lt=today)
    return [it for it in rows if it.overdue]


def _overdue(key: str, rows, today: dt.date) -> int:
    """How many items of a list are past their time limit (0 for lists without one)."""
    if key not in DEADLINE_KEYS:
        return 0
    overdue = _only_overdue(key, rows, today)
    return len(overdue) if isinstance(overdue, list) else overdue.count()


def todo_counts(user, today: dt.date, lists: dict | None = None, keys=TODO_KEYS) -> dict[str, dict[str, int]]:
    """For each to-do list of `keys`, how many items it has (`total`) and how many are overdue
    (`overdue`): the figures of the to-do page and of the dashboard's warnings. `lists` reuses lists
    already built."""
    lists = lists or {}
    result = {}
    for key in keys:
        if key == "probations" and key not in lists:  # counted per start day, without the list
            result[key] = todo.probation_counts(user, today)
            continue
        rows = lists[key] if key in lists else todo_list(user, today, key)
        total = len(rows) if isinstance(rows, list) else rows.count()
        result[key] = {"total": total, "overdue": _overdue(key, rows, today) if total else 0}
    return result


def worklist(user, today: dt.date, limit: int | None = None) -> dict:
    """Everything the to-do page shows for `user` on `today`: each list (its first `limit` items when
    given) and `counts` (`todo_counts`) of the whole lists."""
    lists = {key: todo_list(user, today, key) for key in TODO_KEYS}
    counts = todo_counts(user, today, lists)
    assessment_rules = R.assessment_rules(today.year)
    return {
        "today": today,
        "candidate_horizon_days": CANDIDATE_HORIZON_DAYS,
        # the time limits of this year's assessment decisions, as the rules (and the rules file) set them
        "assessment_year": today.year,
        "assessment_deadline_grassroots": assessment_rules.decision_deadline(today.year, superior=False),
        "assessment_deadline_superior": assessment_rules.decision_deadline(today.year, superior=True),
        "award_date": todo.next_award_date(today),
        "probation_months": R.rules_on(today).probation_months,
        "probation_horizon_days": todo.PROBATION_HORIZON_DAYS,
        "counts": counts,
        **{key: list(rows[:limit] if limit is not None else rows) for key, rows in lists.items()},
        "cards_count": counts["cards"]["total"],
    }
