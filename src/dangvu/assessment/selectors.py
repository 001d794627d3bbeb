"""What the assessment shows a user: the cycles of the organizations in their scope."""

from __future__ import annotations

from django.db.models import QuerySet

from dangvu.accounts.selectors import scope_q

from .models import AssessmentCycle


def cycles_visible_to(user) -> QuerySet[AssessmentCycle]:
    """Assessment cycles of an organization in the user's scope (outside scope: not there)."""
    return AssessmentCycle.objects.filter(scope_q(user, "organization__"))
