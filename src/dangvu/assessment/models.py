"""Annual quality ratings (đánh giá, xếp loại chất lượng) of members and organizations.

A rating records what was decided for one year, with the label as written in that year's
regulation (`label`), the scale it belongs to (`scale`, see `scales.py`) and the scale-independent
key (`key`: excellent, good, completed, not_completed; older scales add their own keys).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.members.models import Member
from dangvu.organizations.models import Organization


class Rating(models.Model):
    """Xếp loại: the rating of one member or one organization for one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    member = models.ForeignKey(
        Member, verbose_name=_("party member"), null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("party organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="ratings",
    )
    scale = models.CharField(_("rating scale"), max_length=32)
    key = models.CharField(_("rating"), max_length=32)
    label = models.CharField(_("rating as written"), max_length=255)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=16, default="web")

    class Meta:
        ordering = ["year", "id"]
        verbose_name = _("quality rating")
        verbose_name_plural = _("quality ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "member"], condition=Q(member__isnull=False), name="rating_member_year_unique"
            ),
            models.UniqueConstraint(
                fields=["year", "organization"], condition=Q(organization__isnull=False), name="rating_org_year_unique"
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False, organization__isnull=True)
                | Q(member__isnull=True, organization__isnull=False),
                name="rating_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["year", "key"], name="rating_year_key_idx")]

    def __str__(self) -> str:
        subject = self.member or self.organization
        return f"{self.year}: {self.label} — {subject}"
