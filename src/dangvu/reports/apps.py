from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dangvu.reports"
    verbose_name = _("Reports")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # who asked for which export (its progress is written by the worker without an entry each time)
        auditlog.register(models.ExportJob, include_fields=["user", "organization", "kind", "params", "title"])
