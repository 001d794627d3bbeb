"""The second factor (xác thực hai lớp) of admins and organizers, and no caching of what a login sees."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_otp import user_has_device

from .services import requires_two_factor

#: What a user who has given the password but not yet the second factor may open.
OPEN_BEFORE_SECOND_FACTOR = {"login", "logout", "accounts:login", "accounts:logout", "accounts:otp_verify",
                             "accounts:otp_enrol", "set_language", "javascript-catalog"}


class TwoFactorMiddleware:
    """A logged-in admin or organizer whose session has not verified a second factor is sent to the
    verification page (or to enrol an authenticator when they have none); the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and requires_two_factor(user):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in OPEN_BEFORE_SECOND_FACTOR:
                if request.path_info.startswith("/api/"):
                    return JsonResponse({"detail": _("Verify the code of your authenticator application first.")},
                                        status=403)
                target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_enrol"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every answer to a logged-in user (session, token or
    password): dossiers, exports and the API stay out of browser and proxy caches."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(getattr(request, "user", None), "is_authenticated", False):
            patch_cache_control(response, no_store=True, private=True)
        return response
