"""Annual quality assessment (đánh giá, xếp loại chất lượng) of members and organizations.

A `Rating` records what was decided for one year, with the label as written in that year's
regulation (`label`), the scale it belongs to (`scale`, `regulations.assessment`) and the key of its
level (`key`: excellent, good, completed, not_completed; older scales add their own keys). It keeps
where it was decided: the chi bộ a member was rated in or the organization rated (`rated_in`), the
organization whose committee decided it (`decided_by`: the cap's group) and the group it counts in
(`group`: members, subordinate_cells, organizations, other), so a member who moves later still
counts where they were rated.

The yearly cycle (`AssessmentCycle`, one per deciding organization and year) is a list of
`AssessmentStep` rows, the source of truth of each step: opened, self-assessment, the chi bộ's
review with its vote, the decision, the comments of the place of residence. Never updated.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import format_date
from dangvu.core.models import Event, Recorded
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
    rated_in = models.ForeignKey(
        Organization, verbose_name=_("rated in"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    decided_by = models.ForeignKey(
        Organization, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    group = models.CharField(_("group"), max_length=20, blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    exception_reason = models.TextField(_("reason for the exception"), blank=True)

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
        indexes = [
            models.Index(fields=["year", "key"], name="rating_year_key_idx"),
            models.Index(fields=["year", "rated_in", "group", "key"], name="rating_year_rated_in_idx"),
            models.Index(fields=["year", "decided_by", "group", "key"], name="rating_year_decided_by_idx"),
        ]

    def __str__(self) -> str:
        subject = self.member or self.organization
        return f"{self.year}: {self.label} — {subject}"


class AssessmentCycle(Recorded):
    """Kỳ đánh giá: the assessment of one year run by the committee of `organization` (a grassroots
    organization for its members and subordinate chi bộ, a superior committee for its grassroots
    organizations)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("party organization"), on_delete=models.PROTECT, related_name="assessment_cycles",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    opened_on = models.DateField(_("opened on"))

    class Meta:
        ordering = ["-year", "organization"]
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="assessmentcycle_org_year_unique")]

    def __str__(self) -> str:
        return f"{self.year} — {self.organization}"


class StepKind(models.TextChoices):
    OPENED = "opened", _("Assessment opened")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    CELL_REVIEW = "cell_review", _("Review at the party cell")
    RESIDENCE_COMMENT = "residence_comment", _("Comments of the place of residence")
    DECISION = "decision", _("Rating decided")


class AssessmentStep(Event):
    """One dated step of a cycle about a member or an organization (none for `opened`). Never updated."""

    cycle = models.ForeignKey(AssessmentCycle, verbose_name=_("assessment cycle"), on_delete=models.PROTECT,
                              related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    effective_on = models.DateField(_("date"))
    member = models.ForeignKey(Member, verbose_name=_("party member"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("party organization"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("rating"), max_length=32, blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    votes_due = models.PositiveIntegerField(_("members due to vote"), null=True, blank=True)
    votes_present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("in favour"), null=True, blank=True)

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("assessment step")
        verbose_name_plural = _("assessment steps")
        indexes = [models.Index(fields=["cycle", "kind", "member"], name="assessmentstep_cycle_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_date(self.effective_on)}"
