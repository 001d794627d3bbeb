from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "dangvu.lifecycle"
    verbose_name = _("Member lifecycle")

    def ready(self):
        from auditlog.registry import auditlog
        from django.core import checks

        from .checks import check_rules_file

        checks.register(check_rules_file)

        from . import models

        auditlog.register(models.Candidate)
        auditlog.register(models.CandidateStep)
        auditlog.register(models.CandidateDocument)
        auditlog.register(models.Transfer)
        auditlog.register(models.DisciplineCase)
