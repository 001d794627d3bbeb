from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "dangvu.assessment"
    verbose_name = _("Quality assessment")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Rating)
        auditlog.register(models.AssessmentCycle)
        auditlog.register(models.AssessmentStep)
