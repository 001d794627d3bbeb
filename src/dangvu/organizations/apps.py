from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "dangvu.organizations"
    verbose_name = _("Party organizations")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Organization, exclude_fields=["path", "version"])  # derived
        auditlog.register(models.OrganizationEvent)
