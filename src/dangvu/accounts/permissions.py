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
    PROPOSE_RATINGS = "propose_ratings"  # the chi bộ's review: proposed ratings, vote, collective comment
    DECIDE_RATINGS = "decide_ratings"    # open an assessment cycle and decide ratings (the deciding committee)


#: What each role may do besides viewing. Viewing needs only a login: what is seen is limited by the
#: scope (`accounts.scope`), which is empty for a login without a current role.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset({Action.EDIT, Action.DISCIPLINE, Action.PERSONAL_DATA, Action.IMPORT,
                           Action.PROPOSE_RATINGS, Action.DECIDE_RATINGS}),
    Role.ORGANIZER: frozenset({Action.EDIT, Action.DISCIPLINE, Action.PERSONAL_DATA, Action.IMPORT,
                               Action.PROPOSE_RATINGS, Action.DECIDE_RATINGS}),
    # A secretary decides ratings where their committee decides (domain-rules §7.6: the đảng ủy cơ sở, or a
    # chi bộ cơ sở for its own members): `can_on` holds it to their organization, so a chi bộ trực thuộc's
    # secretary proposes and does not decide.
    Role.SECRETARY: frozenset({Action.EDIT, Action.DISCIPLINE, Action.IMPORT, Action.PROPOSE_RATINGS,
                               Action.DECIDE_RATINGS}),
    Role.INSPECTOR: frozenset({Action.DISCIPLINE}),
    Role.VIEWER: frozenset(),
}


def can_change_organization(user, organization) -> bool:
    """Whether `user` may change `organization` itself (rename, move, change its kind, dissolve, merge,
    split): the directly superior committee decides these (Điều lệ Đảng), so an assignment that may edit
    an organization strictly above it; the administrator also their own. Establishing under it is `can`'s."""
    from .selectors import current_assignments

    path = getattr(organization, "path", None)
    if not path:
        return False
    return any(Action.EDIT in ROLE_ACTIONS.get(a.role, ()) and path.startswith(a.organization.path)
               and (path != a.organization.path or a.role == Role.ADMIN) for a in current_assignments(user))


def can_on_as_committee(user, action: Action | str, organization) -> bool:
    """Whether `user` may take `action` on `organization` through an assignment to a committee (not a chi bộ)
    holding it: what a chi bộ does not decide (the heavier disciplinary forms, domain-rules §9.3) is recorded by
    an account of a committee, not by one whose scope is only a chi bộ."""
    from .selectors import current_assignments

    action = Action(action)
    path = getattr(organization, "path", None)
    return bool(path) and any(action in ROLE_ACTIONS.get(a.role, ()) and not a.organization.is_cell
                              and path.startswith(a.organization.path) for a in current_assignments(user))


def require_change_organization(user, *organizations) -> None:
    """PermissionDenied (403, web and API) unless `user` may change each of `organizations` itself."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    for org in organizations:
        if not can_change_organization(user, org):
            raise PermissionDenied(_("Changes to %(org)s are decided by the committee above it: an account of that "
                                     "committee records them.") % {"org": org.name})


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


def can_on(user, action: Action | str, organization) -> bool:
    """Whether one of `user`'s current role assignments allows `action` AND holds `organization` in
    its subtree (the materialized path): a chi bộ's secretary proposes the ratings of their own chi
    bộ, not of a neighbour's; the organizer of a grassroots organization or of a committee above it
    decides its ratings, a cell's staff does not."""
    from .selectors import current_assignments

    action = Action(action)
    if action == Action.VIEW:
        return can(user, action)
    path = getattr(organization, "path", None)
    if not path:
        return False
    return any(action in ROLE_ACTIONS.get(a.role, ()) and path.startswith(a.organization.path)
               for a in current_assignments(user))
