"""What a user may see of the admission: the candidates proposed by a chi bộ in scope, the open
candidates holding a national ID number, a search by name."""

from __future__ import annotations

from django.db.models import QuerySet

from dangvu.accounts.selectors import scope_q
from dangvu.members.identity import Holder

from ..models import OPEN_STAGES, Candidate


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Candidates proposed by a chi bộ in the user's scope (outside scope: not there)."""
    return Candidate.objects.filter(scope_q(user, "cell__"))


def national_id_holders(numbers) -> list[Holder]:
    """The open candidates holding one of these national ID numbers (members.identity asks)."""
    return [Holder(number=c.national_id_number, name=c.full_name, cell_id=c.cell_id, cell_name=c.cell.name,
                   member_id=c.former_member_id, candidate_id=c.pk)
            for c in Candidate.objects.filter(national_id_number__in=set(numbers), stage__in=OPEN_STAGES)
            .select_related("cell")]


def candidate_search(qs: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    from dangvu.core.text import fold

    q = fold(text or "")
    return qs.filter(name_folded__contains=q) if q else qs
