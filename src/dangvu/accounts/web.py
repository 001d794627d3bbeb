"""The base of every web page: the user's scope and role applied by the framework, not view by view.

Logging in is required everywhere by Django's `LoginRequiredMiddleware` (pages that are public say
so with `login_not_required`). Then, for a page about one record:
1. the record named by the URL is looked up among those the user may see (`accounts.scope`):
   outside the scope it does not exist (404), whatever the role;
2. the role must allow the page's action (`accounts.permissions.can`): 403 otherwise.

Function views use the one decorator `scoped_view`; class-based views the mixin `ScopedObjectMixin`.
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from . import scope
from .permissions import Action, can

DENIED = {
    Action.VIEW: _("Your role does not allow this action."),
    Action.EDIT: _("Your role cannot change the registry."),
    Action.DISCIPLINE: _("Your role cannot change the registry."),
    Action.PERSONAL_DATA: _("Your role does not allow seeing or changing personal data."),
    Action.IMPORT: _("Your role cannot change the registry."),
    Action.PROPOSE_RATINGS: _("Only the party cell's secretary (or the organization commission staff) proposes "
                              "the ratings of a party cell."),
    Action.DECIDE_RATINGS: _("Only the deciding committee (its secretary or its organization staff) opens "
                             "assessments and decides ratings."),
}


def next_url(request, default: str) -> str:
    """Where to go back to: the request's `next` (POST or GET) when it is an address of this site,
    else `default`."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if ok else default


def require(user, action: Action) -> None:
    """403 with the reason unless the user's role allows `action`."""
    if not can(user, action):
        raise PermissionDenied(DENIED[Action(action)])


def require_on(user, action: Action, organization, reason: str | None = None) -> None:
    """403 with the reason (the role's, or `reason`) unless one of the user's assignments allows
    `action` over `organization` (`permissions.can_on`: the role and the scope of that assignment together)."""
    from .permissions import can_on

    if not can_on(user, action, organization):
        raise PermissionDenied(reason or DENIED[Action(action)])


def scoped_object_or_404(user, model, *, select_related=(), **lookup):
    """The record of `model` matching `lookup` among those in `user`'s scope; 404 otherwise."""
    qs = scope.visible(user, model)
    if select_related:
        qs = qs.select_related(*select_related)
    return get_object_or_404(qs, **lookup)


def scoped_view(action: Action = Action.VIEW, *, model=None, field: str = "code", url_kwarg: str | None = None,
                arg: str | None = None, select_related=()):
    """Decorate a function view: the object of `model` whose `field` is the URL's `url_kwarg`
    (default: `field`) is looked up in the user's scope (404 outside) and passed as the keyword
    `arg` (default: the model's name) instead of the URL value; then the role must allow `action`
    (403). Without `model`, only the role is checked."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            if model is not None:
                value = kwargs.pop(url_kwarg or field)
                kwargs[arg or model._meta.model_name] = scoped_object_or_404(
                    request.user, model, select_related=select_related, **{field: value})
            require(request.user, action)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate


class ScopedObjectMixin:
    """Class-based views about one record: `self.object` is found in the user's scope by the URL's
    `url_kwarg` (404 outside), then the role must allow `action` (403)."""

    model = None
    action: Action = Action.VIEW
    field = "code"
    url_kwarg = "code"

    def get_queryset(self):
        return scope.visible(self.request.user, self.model)

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), **{self.field: kwargs[self.url_kwarg]})
        require(request.user, self.action)
        return super().dispatch(request, *args, **kwargs)
