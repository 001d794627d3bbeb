from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdmissionConfig(AppConfig):
    name = "dangvu.admission"
    verbose_name = _("Admission")

    def ready(self):
        from auditlog.registry import auditlog

        from dangvu.accounts import scope
        from dangvu.members import identity

        from . import models, selectors

        scope.register(models.Candidate, selectors.candidates_visible_to)
        identity.register_holders(selectors.national_id_holders)

        auditlog.register(models.Candidate)
        auditlog.register(models.CandidateStep)
        auditlog.register(models.CandidateDocument)
