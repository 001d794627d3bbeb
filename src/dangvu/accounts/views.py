"""Login, the second factor (enrol an authenticator, verify a code), logout, lockout and "my account"."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from dangvu.core.audit import log_access
from dangvu.core.errors import DomainError

from .forms import CodeForm
from .selectors import current_assignments
from .services import totp_device_pending, totp_enrol_confirm
from .web import next_url


def _next_url(request) -> str:
    return next_url(request, reverse(settings.LOGIN_REDIRECT_URL))


class OtpVerifyView(View):
    """Xác thực hai lớp: the 6-digit code of the authenticator application, or a recovery code."""

    template_name = "accounts/otp_verify.html"

    def get(self, request):
        if request.user.is_verified():
            return redirect(_next_url(request))
        if not user_has_device(request.user):
            return redirect(f"{reverse('accounts:otp_enrol')}?{request.GET.urlencode()}")
        return render(request, self.template_name, {"form": CodeForm(), "next": _next_url(request)})

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            device = match_token(request.user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            log_access(request.user, "otp_failed", request=request)
            form.add_error("code", _("The code is wrong or out of date: enter the 6 digits the application shows now, "
                                     "or one of your recovery codes."))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)})


class OtpEnrolView(View):
    """Set up the authenticator application (QR code), confirm it with one code, then show the recovery
    codes once. A user who already has one verifies it first (then may replace it here)."""

    template_name = "accounts/otp_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if user_has_device(request.user) and not request.user.is_verified():
            return redirect(f"{reverse('accounts:otp_verify')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, form, device):
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        secret = base64.b32encode(device.bin_key).decode()
        return render(request, self.template_name, {
            "form": form, "next": _next_url(request), "qr_svg": image.to_string(encoding="unicode"),
            "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        })

    def get(self, request):
        return self._render(request, CodeForm(), totp_device_pending(request.user))

    def post(self, request):
        device = totp_device_pending(request.user)
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                codes = totp_enrol_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_error(exc.field, exc.message)
            else:
                otp_login(request, device)
                return render(request, "accounts/otp_codes.html", {"codes": codes, "next": _next_url(request)})
        return self._render(request, form, device)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django ≥ 5); redirects to the login page."""


class MyAccountView(auth_views.PasswordChangeView):
    """Change one's own password; shows the user's role assignments (scope)."""

    template_name = "accounts/me.html"
    success_url = reverse_lazy("accounts:me")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["current_assignments"] = current_assignments(user)
        ctx["all_assignments"] = user.role_assignments.select_related("organization").order_by("-valid_from", "-id")
        return ctx

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response

