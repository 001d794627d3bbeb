from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from auditlog.registry import auditlog
        from django.contrib.auth import get_user_model

        from dangvu.organizations.models import Organization

        from . import models, scope, selectors

        scope.register(Organization, selectors.organizations_visible_to)

        auditlog.register(models.RoleAssignment)
        auditlog.register(get_user_model(), exclude_fields=["password", "last_login"])
