"""The page "My exports" (tệp xuất của tôi): the report files prepared in the background (`jobs`),
with their progress (polled by htmx while one is being prepared), the download of a finished file,
its removal, and the notice in the menu of the files ready.

A job is seen only by the user who asked for it (404 for anyone else, whatever the role), and only
while its organization stays in the user's scope (`jobs.jobs_of`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangvu.accounts.web import scoped_view
from dangvu.core.errors import DomainError

from . import jobs
from .models import ExportState

#: Jobs listed on the page (the newest; older ones expire anyway).
EXPORTS_SHOWN = 50


def _context(request) -> dict:
    rows = list(jobs.jobs_of(request.user)[:EXPORTS_SHOWN])
    return {"jobs": rows, "export_keep_hours": settings.EXPORT_KEEP_HOURS, "pending": any(j.state in jobs.PENDING for j in rows), "states": ExportState,
            "ready_now": request.GET.get("partial") == "1" and any(j.state == ExportState.DONE and j.downloaded_at is None
                                                                    for j in rows)}


@scoped_view()
def exports(request):
    """`reports:exports` — the user's files being prepared or ready [&partial=1: the list alone, polled]."""
    if request.GET.get("partial") == "1":  # polled every 2 seconds: the list alone
        return render(request, "reports/_exports_list.html", _context(request))
    jobs.remove_expired()
    return render(request, "reports/exports.html", _context(request))


@scoped_view()
def exports_notice(request):
    """`reports:exports_notice` — the menu's badge: files ready and not yet downloaded (polled while one
    is being prepared)."""
    counts = jobs.ready_count(request.user)
    if not counts["ready"] and not counts["pending"]:
        request.session.pop("export_jobs", None)  # nothing more to tell: the menu stops asking
    return render(request, "reports/_exports_notice.html", counts)


@scoped_view()
def export_download(request, job_id):
    """`reports:export_download` — the finished file of one of the user's jobs."""
    try:
        job, path = jobs.open_file(request.user, job_id)
    except DomainError as exc:
        if jobs.jobs_of(request.user).filter(pk=job_id).exists():
            messages.error(request, exc.message)
            return redirect("reports:exports")
        raise Http404(exc.message)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type)


@scoped_view()
@require_POST
def export_delete(request, job_id):
    """`reports:export_delete` — remove one of the user's jobs and its file."""
    try:
        jobs.delete(request.user, job_id)
    except DomainError as exc:
        raise Http404(exc.message)
    messages.success(request, _("The file was removed."))
    return redirect("reports:exports")
