"""The import's background tasks (tác vụ nền): the check and the import of an upload run in the
worker (django-tasks, settings.TASKS), not in the web request; the upload's folder records their
progress and result (uploads)."""

from __future__ import annotations

from django_tasks import task

from . import uploads


@task()
def check_upload(upload_id: str) -> None:
    uploads.run(upload_id, dry_run=True)


@task()
def import_upload(upload_id: str) -> None:
    uploads.run(upload_id, dry_run=False)
