"""National ID numbers (số CCCD): one person, one number, across the members and the candidates.

A member and the candidate they were admitted from, or the candidate for readmission of a former
member, are the same person: they share the number. Anyone else holding it is a conflict, refused with
a message that names the holder only when the user may see them; otherwise one neutral answer, the same
whether the holder is outside the user's scope or the user could not tell (no name, no chi bộ leaks).

The records that hold numbers register here (`register_holders`): the members below, the open
candidates by the admission app (it sits above this one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangvu.accounts.selectors import scope_q
from dangvu.core.audit import acting_user
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization

from .models import Member


@dataclass(frozen=True)
class Holder:
    """A person holding a national ID number: a member (`member_id`) or an open candidate
    (`candidate_id`, and `member_id` the former member record of a readmission)."""

    number: str
    name: str
    cell_id: int
    cell_name: str
    member_id: int | None = None
    member_code: str = ""
    candidate_id: int | None = None

    def same_person(self, *, member_id: int | None = None, candidate_id: int | None = None) -> bool:
        return (member_id is not None and self.member_id == member_id) or (
            candidate_id is not None and self.candidate_id == candidate_id)

    def message(self) -> str:
        if self.candidate_id is not None:
            return _("%(name)s, with this national ID number, is already a candidate of %(cell)s.") % {
                "name": self.name, "cell": self.cell_name}
        return _("%(name)s (%(code)s, %(cell)s) already has this national ID number.") % {
            "name": self.name, "code": self.member_code, "cell": self.cell_name}


def neutral_message() -> str:
    """The answer when the holder is not the user's to see."""
    return _("This national ID number is already in the system; contact the Party organization committee above.")


def member_holders(numbers: Iterable[str]) -> list[Holder]:
    return [Holder(number=m.national_id_number, name=m.full_name, cell_id=m.cell_id, cell_name=m.cell.name,
                   member_id=m.pk, member_code=m.code)
            for m in Member.objects.filter(national_id_number__in=set(numbers)).select_related("cell")]


_HOLDERS: list[Callable[[Iterable[str]], list[Holder]]] = [member_holders]


def register_holders(find: Callable[[Iterable[str]], list[Holder]]) -> None:
    """Another kind of record holding national ID numbers (called from an AppConfig.ready)."""
    if find not in _HOLDERS:
        _HOLDERS.append(find)


def holders(numbers: Iterable[str]) -> list[Holder]:
    """Everyone holding one of `numbers` (blank numbers hold nothing); asked in chunks (an import
    asks about every number of its file)."""
    numbers = sorted({n for n in numbers if n})
    chunks = [numbers[i:i + 900] for i in range(0, len(numbers), 900)]
    return [h for chunk in chunks for find in _HOLDERS for h in find(chunk)]


def visible_cell_ids(actor, cell_ids: Iterable[int]) -> set[int]:
    """Those of `cell_ids` the actor may see: all of them for the command line (no logged-in user)."""
    cell_ids = set(cell_ids)
    user = acting_user(actor)
    if user is None or not cell_ids:
        return cell_ids
    return set(Organization.objects.filter(scope_q(user), pk__in=cell_ids).values_list("pk", flat=True))


def conflict_message(holder: Holder, visible: set[int]) -> str:
    return holder.message() if holder.cell_id in visible else neutral_message()


def check_national_id(number: str | None, *, actor, member_id: int | None = None, candidate_id: int | None = None,
                      field: str = "national_id_number") -> None:
    """Refuse `number` when someone other than this person holds it (the person: the member
    `member_id` and/or the candidate `candidate_id`). Call inside the writing transaction."""
    if not number:
        return
    others = [h for h in holders([number]) if not h.same_person(member_id=member_id, candidate_id=candidate_id)]
    if others:
        raise DomainError(conflict_message(others[0], visible_cell_ids(actor, [others[0].cell_id])), field=field)
