from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from dangvu.organizations.models import Organization

        from . import models, scope, selectors

        scope.register(Organization, selectors.organizations_visible_to)

        auditlog.register(models.RoleAssignment)
        # A password change is an entry with the hash masked; the authenticator's and the recovery
        # codes' devices, created and confirmed, without their secrets.
        auditlog.register(get_user_model(), exclude_fields=["last_login"], mask_fields=["password"])
        auditlog.register(TOTPDevice, include_fields=["name", "confirmed"])
        auditlog.register(StaticDevice, include_fields=["name", "confirmed"])

        user_logged_in.connect(_logged_in, dispatch_uid="dangvu-audit-login")
        user_logged_out.connect(_logged_out, dispatch_uid="dangvu-audit-logout")
        user_login_failed.connect(_login_failed, dispatch_uid="dangvu-audit-login-failed")


def _logged_in(sender, request, user, **kwargs):
    from dangvu.core.audit import log_access

    log_access(user, "login", request=request)


def _logged_out(sender, request, user, **kwargs):
    from dangvu.core.audit import log_access

    if user is not None:
        log_access(user, "logout", request=request)


def _login_failed(sender, credentials, request=None, **kwargs):
    """A wrong password (or a locked account): on the user's row when the username exists."""
    from django.contrib.auth import get_user_model

    from dangvu.core.audit import log_access

    username = str(credentials.get("username", ""))
    user = get_user_model().objects.filter(username=username).first()
    log_access(user, "login_failed", username=username, request=request)
