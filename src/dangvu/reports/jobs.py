"""Report exports as background jobs (xuất báo cáo chạy nền): an export over a large scope (more
members than `settings.EXPORT_BACKGROUND_MEMBERS`) is not built in the web request but queued as a
task of django-tasks (`tasks.build_export`, settings.TASKS) and built by the worker with the same
builder as an immediate download (`downloads`); the user follows it on the page "My exports".

All or nothing: the file is written under a temporary name and renamed once complete; a failure
leaves no file and a Vietnamese message. A job belongs to its user (for anyone else it does not
exist) and to the organization checked in the user's scope when it was asked (the file is offered
only while that organization stays in the user's scope). Files expire after
`settings.EXPORT_KEEP_HOURS`; expired jobs are removed (`remove_expired`, at each new job and on the
page).
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangvu.accounts.selectors import organizations_visible_to
from dangvu.core.errors import DomainError
from dangvu.members.selectors_org import current_members_in_subtree
from dangvu.organizations.models import Organization

from . import downloads
from .models import ExportJob, ExportState

PENDING = (ExportState.QUEUED, ExportState.RUNNING)


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def file_path(job: ExportJob) -> Path:
    return root() / str(job.pk)


def is_large(org: Organization) -> bool:
    """Whether an export of `org` runs in the background: more members in its subtree today than
    the threshold. One query, stopped after threshold + 1 rows."""
    limit = settings.EXPORT_BACKGROUND_MEMBERS
    return current_members_in_subtree(org).values("pk")[: limit + 1].count() > limit


def export(user, org: Organization, kind: str, params: dict, *, title: str) -> downloads.File | ExportJob:
    """The export `kind` of `org` (already checked in `user`'s scope): the file at once for a small
    scope, otherwise a queued job. A DomainError of the report (e.g. the organization did not exist
    on that day) is raised at once for an immediate file."""
    if kind not in downloads.BUILDERS:
        raise ValueError(kind)
    if not is_large(org):
        return downloads.build(kind, org, params, user=user)
    return enqueue(user, org, kind, params, title=title)


def enqueue(user, org: Organization, kind: str, params: dict, *, title: str) -> ExportJob:
    from . import tasks

    remove_expired()
    now = timezone.now()
    job = ExportJob.objects.create(
        user=user, organization=org, kind=kind, params=params, title=title[:255],
        language=translation.get_language() or settings.LANGUAGE_CODE, created_at=now,
        expires_at=now + dt.timedelta(hours=settings.EXPORT_KEEP_HOURS))
    tasks.build_export.enqueue(str(job.pk))
    job.refresh_from_db()  # the immediate backend (tests, a worker-less set-up) has already run it
    return job


def jobs_of(user) -> QuerySet[ExportJob]:
    """The user's own jobs that have not expired, newest first, each of an organization still in the
    user's scope."""
    return (ExportJob.objects.filter(user=user, expires_at__gt=timezone.now(),
                                     organization__in=organizations_visible_to(user).values("pk"))
            .select_related("organization"))


def job_of(user, job_id) -> ExportJob:
    """One of `jobs_of(user)`; DomainError when it does not exist for the user."""
    try:
        job = jobs_of(user).filter(pk=uuid.UUID(str(job_id))).first()
    except ValueError:
        job = None
    if job is None:
        raise DomainError(_("This export does not exist or has expired."))
    return job


def ready_count(user) -> dict:
    """For the notice in the menu: the user's files ready and not yet downloaded, and whether some
    are still being prepared. One query."""
    from django.db.models import Count, Q

    counts = ExportJob.objects.filter(user=user, expires_at__gt=timezone.now()).aggregate(
        ready=Count("pk", filter=Q(state=ExportState.DONE, downloaded_at__isnull=True)),
        pending=Count("pk", filter=Q(state__in=PENDING)))
    return counts


def open_file(user, job_id) -> tuple[ExportJob, Path]:
    """The finished file of the user's job, marked downloaded; DomainError when it is not ready."""
    job = job_of(user, job_id)
    path = file_path(job)
    if job.state != ExportState.DONE or not path.is_file():
        raise DomainError(_("This file is not ready."))
    if job.downloaded_at is None:
        ExportJob.objects.filter(pk=job.pk).update(downloaded_at=timezone.now())
    return job, path


def delete(user, job_id) -> None:
    """Remove the user's job and its file (one still being prepared is removed once it ends)."""
    job = job_of(user, job_id)
    file_path(job).unlink(missing_ok=True)
    job.delete()


def run(job_id: str) -> None:
    """Build the job's file in the worker: the progress on the row, the file complete or nothing."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING, stage="query", started_at=timezone.now())
    if not claimed:
        return  # done already (a task run twice), or deleted by its user
    job = ExportJob.objects.select_related("organization", "user").get(pk=job_id)
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{job.pk}.part"

    def step(stage: str) -> None:
        ExportJob.objects.filter(pk=job.pk).update(stage=stage)

    try:
        with translation.override(job.language):
            file = downloads.build(job.kind, job.organization, job.params, step, job.user)
        with tmp.open("wb") as out:
            out.write(file.content)
        tmp.replace(file_path(job))
    except Exception as exc:  # recorded for the page (never an endless wait), then raised for the worker's log
        tmp.unlink(missing_ok=True)
        with translation.override(job.language):
            message = exc.message if isinstance(exc, DomainError) else _(
                "The file could not be prepared. Try again or contact the administrator.")
        ExportJob.objects.filter(pk=job.pk).update(state=ExportState.FAILED, stage="", error=message,
                                                   finished_at=timezone.now())
        if not isinstance(exc, DomainError):
            raise
        return
    updated = ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.DONE, stage="", filename=file.filename, content_type=file.content_type,
        size=len(file.content), finished_at=timezone.now())
    if not updated:  # the user deleted it meanwhile
        file_path(job).unlink(missing_ok=True)


#: A job still being prepared this long after the worker took it was interrupted (the worker stopped).
INTERRUPTED_AFTER = dt.timedelta(hours=1)


def remove_expired(now=None) -> int:
    """Delete the expired jobs and their files (and files of no job), and mark as failed the jobs
    the worker took and never finished (stopped meanwhile). Returns how many jobs were deleted."""
    now = now or timezone.now()
    ExportJob.objects.filter(state=ExportState.RUNNING, started_at__lt=now - INTERRUPTED_AFTER).update(
        state=ExportState.FAILED, stage="", finished_at=now,
        error=_("The preparation of the file was interrupted. Ask for the file again."))
    expired = list(ExportJob.objects.filter(expires_at__lte=now).values_list("pk", flat=True))
    for pk in expired:
        (root() / str(pk)).unlink(missing_ok=True)
    ExportJob.objects.filter(pk__in=expired).delete()
    if root().is_dir():
        known = {str(pk) for pk in ExportJob.objects.values_list("pk", flat=True)}
        cutoff = now.timestamp() - 3600
        for path in root().iterdir():
            try:
                orphan = path.stem not in known and path.stat().st_mtime < cutoff
            except OSError:
                continue
            if orphan:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    return len(expired)
