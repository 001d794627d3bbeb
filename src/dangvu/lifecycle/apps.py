from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "dangvu.lifecycle"
    verbose_name = _("Member lifecycle")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Transfer)
        auditlog.register(models.DisciplineCase)
