"""The base of every API view: the caller's scope and role applied by the framework.

`ScopedViewSetMixin` takes the queryset from `accounts.scope.visible(user, scope_model)`; on a
route about one record the record is looked up first, before the input is read, so a record
outside the scope answers 404 whatever the role and the body. `RolePermission` then asks
`accounts.permissions.can`: reading needs `view`, writing the view's `write_action` (per DRF action
in `action_permissions`), 403 otherwise. It is the default permission of every API view.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from rest_framework import exceptions, permissions
from rest_framework.authentication import BasicAuthentication, TokenAuthentication

from dangvu.organizations.models import Organization

from . import scope
from .permissions import Action, can
from .services import api_token_expired, requires_two_factor


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token …`, refused once the token is older than settings.API_TOKEN_TTL_HOURS."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if api_token_expired(token):
            raise exceptions.AuthenticationFailed(_("The token has expired: ask POST /api/token/ for a new one."))
        return user, token


class PasswordOnlyBasicAuthentication(BasicAuthentication):
    """HTTP Basic (the password alone) for the roles without a second factor; admins and organizers
    use a token, issued with a code of their authenticator."""

    def authenticate_credentials(self, userid, password, request=None):
        user, auth = super().authenticate_credentials(userid, password, request)
        if requires_two_factor(user):
            raise exceptions.AuthenticationFailed(
                _("Your role uses an API token (POST /api/token/ with the code of your authenticator), not the password."))
        return user, auth


class PasswordOnlyBasicScheme(BasicScheme):
    """The OpenAPI security scheme of that class (drf-spectacular)."""

    target_class = PasswordOnlyBasicAuthentication


def required_action(request, view) -> Action:
    if request.method in permissions.SAFE_METHODS:
        return Action.VIEW
    by_action = getattr(view, "action_permissions", {}) or {}
    return by_action.get(getattr(view, "action", None), getattr(view, "write_action", Action.EDIT))


class RolePermission(permissions.BasePermission):
    """A login, and a role that allows the action (`accounts.permissions`). On a route about one
    record the role is checked on the record, once it is known to be in scope (404 first)."""

    message = _("Your role does not allow changes.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if _is_detail(view):
            return True  # decided in has_object_permission, after the scoped lookup
        return can(request.user, required_action(request, view))

    def has_object_permission(self, request, view, obj):
        return can(request.user, required_action(request, view))


def _is_detail(view) -> bool:
    kwarg = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    return bool(kwarg) and kwarg in (getattr(view, "kwargs", None) or {})


class ScopedViewSetMixin:
    """Every queryset from the caller's scope; the record of a detail route looked up before
    anything else; the organizations and the personal-data switch given to the serializers."""

    scope_model = None
    permission_classes = [RolePermission]

    def scoped_organizations(self):
        return scope.visible(getattr(self.request, "user", None), Organization)

    def get_queryset(self):
        return self.refine_queryset(scope.visible(getattr(self.request, "user", None), self.scope_model))

    def refine_queryset(self, queryset):
        """Joins and order of the scoped queryset (subclasses)."""
        return queryset

    def filter_queryset(self, queryset):
        # Filters are for lists; a detail URL or an action never depends on the query string.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if _is_detail(self):
            self.get_object()  # 404 outside the scope, then the role (has_object_permission)

    def get_object(self):
        if getattr(self, "_scoped_object", None) is None:
            self._scoped_object = super().get_object()
        return self._scoped_object

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organizations"] = self.scoped_organizations()
        context["personal_data"] = can(getattr(self.request, "user", None), Action.PERSONAL_DATA)
        return context


def organizations_in_scope(request):
    """The organizations the caller may see (choices of the API filters)."""
    return scope.visible(getattr(request, "user", None), Organization)
