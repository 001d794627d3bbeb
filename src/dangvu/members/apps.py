from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "dangvu.members"
    verbose_name = _("Party members")

    def ready(self):
        from auditlog.registry import auditlog

        from dangvu.accounts import scope

        from . import models, selectors

        scope.register(models.Member, selectors.members_visible_to)
        scope.register(models.MemberEvent, selectors.events_visible_to)

        # Not logged: columns derived from the full name, time stamps (the entry has its own), the version.
        auditlog.register(models.Member, exclude_fields=[
            "name_folded", "sort_key", "family_name", "middle_name", "given_name", "created_at", "updated_at",
            "version"])
        auditlog.register(models.MemberEvent, exclude_fields=["recorded_at"])
