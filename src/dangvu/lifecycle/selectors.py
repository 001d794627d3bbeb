"""Read queries of the member lifecycle, and which permission each action on a member needs."""

from __future__ import annotations

from django.db.models import QuerySet

from dangvu.accounts.permissions import Action
from dangvu.accounts.selectors import scope_q

from .models import DisciplineCase

#: Member actions that need the permission to discipline (the inspectors, UBKT, have it too).
DISCIPLINE_ACTIONS = ("discipline", "open-discipline-case", "close-discipline-case")


def action_permission(action: str) -> Action:
    """The permission (accounts.permissions) the lifecycle action `action` on a member needs."""
    return Action.DISCIPLINE if action in DISCIPLINE_ACTIONS else Action.EDIT


def discipline_cases_visible_to(user) -> QuerySet[DisciplineCase]:
    """Discipline cases against members in the user's scope."""
    return DisciplineCase.objects.filter(scope_q(user, "member__cell__"))
