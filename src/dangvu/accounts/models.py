"""Accounts: a login is bound to an organization and a role by dated role assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu.core.models import Period
from dangvu.organizations.models import Organization


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    ORGANIZER = "organizer", _("Organization commission staff")
    INSPECTOR = "inspector", _("Inspection commission staff")
    SECRETARY = "secretary", _("Party secretary")
    VIEWER = "viewer", _("Viewer")



class RoleAssignment(Period):
    """Phạm vi: `user` acts as `role` over `organization`'s subtree during [valid_from, valid_to)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["user", "valid_from"]
        indexes = [models.Index(fields=["user", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organization.code}"
