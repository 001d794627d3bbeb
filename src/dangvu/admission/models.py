"""Candidates for admission (người vào Đảng): from quần chúng ưu tú to the admission ceremony.

`CandidateStep` rows are the source of truth: every step (the awareness course, cảm tình đảng,
background check, introducers, comments, the dossier, the chi bộ and đảng ủy cơ sở votes, the
admission decision, the ceremony, a rejection, an assignment) is one dated row with the rule set
it was checked against, its votes, its decision and who recorded it. Rows are never updated nor
deleted; a correction is a new row. `CandidateDocument` rows are the admission file (hồ sơ kết
nạp): each paper received, with its dates and who holds it; the latest row of a key is the one
on file.

The "current" columns of `Candidate` (stage, the pending step, its owner and due date, the
certificate dates) are a cache kept by the step services (`services.py`), for the board and the
overdue list. The person's profile uses the field names of `members.models.Member`, so that the
ceremony registers the member from it unchanged.

The tables were created by the lifecycle app and keep their names (`lifecycle_candidate` …).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangvu import regulations as R
from dangvu.accounts.models import Role
from dangvu.core.dates import format_date
from dangvu.core.models import Event, Recorded
from dangvu.members.models import Member, PersonProfile
from dangvu.organizations.models import Organization


class CandidateStage(models.TextChoices):
    """Where the candidate stands; values are those of `regulations.Stage` (plus `closed`)."""

    OUTSTANDING_MASS = "outstanding_mass", _("Outstanding mass")
    AWARENESS_COURSE_DONE = "awareness_course_done", _("Awareness course attended")
    SYMPATHIZER = "sympathizer", _("Party sympathizer")
    DOSSIER_COMPLETE = "dossier_complete", _("Admission file complete")
    CELL_APPROVED = "cell_approved", _("Approved by the party cell")
    COMMITTEE_APPROVED = "committee_approved", _("Approved by the grassroots committee")
    ADMISSION_DECIDED = "admission_decided", _("Admission decided")
    ADMITTED = "probationary", _("Admitted (probationary member)")
    CLOSED = "closed", _("Closed (not pursued)")


#: Stages of candidates still on their way (the board, the overdue list).
OPEN_STAGES = tuple(s for s in CandidateStage if s not in (CandidateStage.ADMITTED, CandidateStage.CLOSED))


class StepKind(models.TextChoices):
    PROPOSED = "proposed", _("Proposed as outstanding mass")
    AWARENESS_COURSE = "awareness_course", _("Political-awareness course")
    SYMPATHIZER = "sympathizer", _("Accepted as party sympathizer")
    BACKGROUND_CHECK = "background_check", _("Background check")
    INTRODUCERS = "introducers", _("Introducers")
    COMMENTS = "comments", _("Comments of organizations and place of residence")
    DOSSIER_COMPLETE = "dossier_complete", _("Admission file completed")
    CELL_VOTE = "cell_vote", _("Party cell vote")
    COMMITTEE_VOTE = "committee_vote", _("Grassroots committee vote")
    DECISION = "decision", _("Admission decision")
    CEREMONY = "ceremony", _("Admission ceremony")
    REJECTED = "rejected", _("Admission not approved")
    CERTIFICATE_EXPIRED = "certificate_expired", _("Awareness-course certificate expired")
    ASSIGNED = "assigned", _("Step assigned")
    CLOSED = "closed", _("Closed")


class Candidate(PersonProfile):
    """Người vào Đảng: the person's profile, the chi bộ that proposes them, and a cache of the steps."""

    cell = models.ForeignKey(
        Organization, verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="candidates"
    )
    # Readmission (kết nạp lại): the former member and the facts the rules ask about.
    former_member = models.ForeignKey(
        Member, verbose_name=_("former member record"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="readmission_candidates",
    )
    readmission_bars = models.JSONField(_("facts barring readmission"), default=list, blank=True)
    family_hardship = models.BooleanField(_("extreme family hardship"), default=False)
    record_expunged_on = models.DateField(_("criminal record expunged on"), null=True, blank=True)

    proposed_on = models.DateField(_("proposed on"))

    # Cached from the steps (see services/); never edited directly.
    stage = models.CharField(_("stage"), max_length=32, choices=CandidateStage.choices, editable=False)
    stage_since = models.DateField(_("stage since"), editable=False)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True, editable=False)
    certificate_expires_on = models.DateField(_("certificate valid until"), null=True, blank=True, editable=False)
    next_step = models.CharField(_("next step"), max_length=32, choices=StepKind.choices, blank=True, editable=False)
    owner_org = models.ForeignKey(
        Organization, verbose_name=_("responsible organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    owner_role = models.CharField(_("responsible role"), max_length=16, choices=Role.choices, blank=True, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, editable=False)
    # The record the ceremony admitted into: a new one, or the former member's own for a readmission
    # (a record may then have several candidacies, one per admission).
    member = models.ForeignKey(
        Member, verbose_name=_("party member"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="candidacies", editable=False,
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "lifecycle_candidate"
        ordering = ["sort_key", "id"]
        verbose_name = _("candidate for admission")
        verbose_name_plural = _("candidates for admission")
        constraints = [  # one open candidacy per national ID number (members.identity checks the members too)
            models.UniqueConstraint(fields=["national_id_number"], name="candidate_open_national_id_uniq",
                                    condition=models.Q(stage__in=OPEN_STAGES) & ~models.Q(national_id_number="")),
        ]
        indexes = [
            models.Index(fields=["cell", "stage"], name="candidate_cell_stage_idx"),
            models.Index(fields=["stage", "due_on"], name="candidate_stage_due_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name


class CandidateStep(Event):
    """One dated step of the admission, checked against the rule set `regulation`. Never updated."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=32, choices=StepKind.choices)
    effective_on = models.DateField(_("date"))
    stage_before = models.CharField(_("stage before"), max_length=32, choices=CandidateStage.choices, blank=True)
    stage_after = models.CharField(_("stage after"), max_length=32, choices=CandidateStage.choices, blank=True)
    regulation = models.CharField(_("regulation"), max_length=32, blank=True)
    # Who was responsible for the step, and by when.
    owner_org = models.ForeignKey(
        Organization, verbose_name=_("responsible organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    owner_role = models.CharField(_("responsible role"), max_length=16, choices=Role.choices, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    late = models.BooleanField(_("after the time limit"), default=False)
    # A vote (biểu quyết): members due to vote, left out of the denominator, present, in favour.
    votes_due = models.PositiveIntegerField(_("members due to vote"), null=True, blank=True)
    votes_excluded = models.PositiveIntegerField(_("left out of the count"), null=True, blank=True)
    votes_present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # The decision or document behind the step.

    class Meta:
        db_table = "lifecycle_candidatestep"
        ordering = ["effective_on", "id"]
        verbose_name = _("admission step")
        verbose_name_plural = _("admission steps")
        indexes = [models.Index(fields=["candidate", "effective_on"], name="candidatestep_cand_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_date(self.effective_on)}"


class CandidateDocument(Recorded):
    """One paper of the admission file received on `received_on`, held by `held_by`. Never updated:
    a newer row of the same key replaces it on the checklist."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="documents"
    )
    key = models.CharField(_("document"), max_length=32)
    form_code = models.CharField(_("form"), max_length=16, blank=True)
    document_date = models.DateField(_("date of the document"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    held_by = models.CharField(_("held by"), max_length=255, blank=True)
    step = models.ForeignKey(
        CandidateStep, verbose_name=_("produced by the step"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="documents",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        db_table = "lifecycle_candidatedocument"
        ordering = ["received_on", "id"]
        verbose_name = _("admission document")
        verbose_name_plural = _("admission documents")
        indexes = [models.Index(fields=["candidate", "key"], name="candidatedoc_cand_key_idx")]

    def __str__(self) -> str:
        """Its form code, or, without one (the awareness certificate), its label under the rules of its day."""
        name = self.form_code or next((str(d.label) for d in R.rules_on(self.received_on).required_documents
                                       if d.key == self.key), self.key)
        return f"{name} {format_date(self.received_on)}"
