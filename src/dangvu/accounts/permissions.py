"""Who may do what (quyền): ONE table from role to the actions it allows, and `can(user, action)`.

Web views, API permission classes and templates (through the context processor) all ask `can`;
no other place decides by role. Scope (which records) is decided apart, by `accounts.scope`.
"""

from __future__ import annotations

from enum import StrEnum

from .models import Role


class Action(StrEnum):
    VIEW = "view"                    # see the pages, lists, exports and reports of one's scope: any login
    EDIT = "edit"                    # change the registry: organizations, members, candidates, transfers
    DISCIPLINE = "discipline"        # open and close discipline cases, record discipline (UBKT too)
    PERSONAL_DATA = "personal_data"  # see and change national ID number, addresses, phone
    IMPORT = "import"                # import workbooks


#: What each role may do besides viewing. Viewing needs only a login: what is seen is limited by the
#: scope (`accounts.scope`), which is empty for a login without a current role.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset({Action.EDIT, Action.DISCIPLINE, Action.PERSONAL_DATA, Action.IMPORT}),
    Role.ORGANIZER: frozenset({Action.EDIT, Action.DISCIPLINE, Action.PERSONAL_DATA, Action.IMPORT}),
    Role.SECRETARY: frozenset({Action.EDIT, Action.DISCIPLINE, Action.IMPORT}),
    Role.INSPECTOR: frozenset({Action.DISCIPLINE}),
    Role.VIEWER: frozenset(),
}


def roles_allowed(action: Action) -> list[str]:
    """The roles whose table row holds `action` (for queries over role assignments)."""
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def can(user, action: Action | str) -> bool:
    """Whether one of `user`'s current role assignments allows `action` (scope checked apart)."""
    from .selectors import roles

    action = Action(action)
    if action == Action.VIEW:
        return bool(getattr(user, "is_authenticated", False) and user.is_active)
    return any(action in ROLE_ACTIONS.get(role, ()) for role in roles(user))
