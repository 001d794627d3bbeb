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

        from dangvu.accounts import scope

        from . import models, selectors, transfers

        scope.register(models.Transfer, transfers.transfers_visible_to)
        scope.register(models.DisciplineCase, selectors.discipline_cases_visible_to)

        auditlog.register(models.Transfer)
        auditlog.register(models.DisciplineCase)
