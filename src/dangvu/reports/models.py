"""Report files prepared in the background (tệp xuất chạy nền): one row per export a user asked for
over a large scope (`jobs`); the file itself is kept under MEDIA_ROOT/exports/ until it expires."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Waiting for its turn")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """An export asked by `user` for `organization` (checked in the user's scope when asked): the
    builder `kind` of `reports.downloads` with its `params`, run by the worker (`tasks.build_export`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=255)
    language = models.CharField(max_length=10, default="vi")
    state = models.CharField(max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="export_job_user_idx"),
                   models.Index(fields=["expires_at"], name="export_job_expires_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"
