from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "dangvu.assessment"
    verbose_name = _("Quality assessment")

    def ready(self):
        from auditlog.registry import auditlog

        from dangvu.accounts import scope

        from . import models, selectors

        scope.register(models.AssessmentCycle, selectors.cycles_visible_to)
        auditlog.register(models.Rating)
        auditlog.register(models.AssessmentCycle)
        auditlog.register(models.AssessmentStep)
