"""The reports' background tasks (tác vụ nền): an export over a large scope is built in the worker
(django-tasks, settings.TASKS), not in the web request (`jobs`)."""

from __future__ import annotations

from django_tasks import task

from . import jobs


@task()
def build_export(job_id: str) -> None:
    jobs.run(job_id)
