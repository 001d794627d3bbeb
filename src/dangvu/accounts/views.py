"""Login, logout, lockout and "my account" pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .selectors import current_assignments


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

