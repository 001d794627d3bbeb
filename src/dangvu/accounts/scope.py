"""Phạm vi: which records of each model a user may see — one registry for the whole system.

Each app registers, in its `AppConfig.ready`, the selector that limits its models to the user's
organization subtree (`register(Member, members_visible_to)`). The web and API base classes
(`accounts.web`, `accounts.api`) take every queryset and every object lookup from `visible`, so a
record outside the scope is absent from lists and answers 404. A model nobody registered cannot be
served by them (LookupError), so no page can forget its scope.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet

_SCOPES: dict[type[Model], Callable[[object], QuerySet]] = {}


def register(model: type[Model], visible_to: Callable[[object], QuerySet]) -> None:
    _SCOPES[model] = visible_to


def visible(user, model: type[Model]) -> QuerySet:
    """The records of `model` in `user`'s scope (nothing for an anonymous or unassigned user)."""
    try:
        visible_to = _SCOPES[model]
    except KeyError:
        raise LookupError(f"No scope is registered for {model._meta.label}.") from None
    return visible_to(user)


def registered() -> list[type[Model]]:
    return list(_SCOPES)
