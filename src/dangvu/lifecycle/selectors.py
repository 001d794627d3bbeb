"""Read queries of the member lifecycle, and who may take which action on a member."""

from __future__ import annotations

from dangvu.accounts.selectors import can_discipline, can_write

#: Member actions the inspectors (UBKT) may take besides the writers (accounts.selectors.can_discipline).
DISCIPLINE_ACTIONS = ("discipline", "open-discipline-case", "close-discipline-case")


def may_act(user, action: str) -> bool:
    """Whether `user`'s role may take the lifecycle action `action` on a member (scope checked apart)."""
    return can_discipline(user) if action in DISCIPLINE_ACTIONS else can_write(user)
