from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "dangvu.members"
    verbose_name = _("Party members")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Member)
        auditlog.register(models.MemberEvent)
