"""Import pages: upload → check (dry run) → preview of the changes → confirm → result.

Only roles that may import (`accounts.permissions`; 403 otherwise). An upload is seen only by the user who made it; the
import itself is limited to the user's scope (see services.import_workbook).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from dangvu.accounts.permissions import Action
from dangvu.accounts.selectors import primary_assignment
from dangvu.accounts.web import require, scoped_view
from dangvu.core.errors import DomainError
from dangvu.core.text import megabytes

from . import samples, uploads
from .forms import UploadForm
from .spec import SHEET_ORDER
from .templates import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def primary_organization(user):
    assignment = primary_assignment(user)
    return assignment.organization if assignment else None


@scoped_view(Action.IMPORT)
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload_id = uploads.check_upload(form.cleaned_data["file"], request.user)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("imports:preview", upload_id=upload_id)
    return render(request, "imports/upload.html", {
        "form": form, "max_mb": megabytes(settings.IMPORT_MAX_UPLOAD_BYTES), "sheets": SHEET_ORDER,
        "sample_parent": samples.sample_parent(request.user),
    })


def _load_or_404(request, upload_id):
    try:
        return uploads.load(upload_id, request.user)
    except DomainError:
        raise Http404(_("This upload does not exist."))


@scoped_view()
def preview(request, upload_id):
    meta = _load_or_404(request, upload_id)  # another user's upload does not exist (404), whatever the role
    require(request.user, Action.IMPORT)
    if meta["state"] in uploads.RUNNING:
        return render(request, "imports/running.html", {"meta": meta, **_progress(meta)})
    outcome = meta.get("outcome")
    result = outcome if outcome is not None and outcome.written else meta["check"]
    samples = [(sheet, result.samples.get(sheet, {})) for sheet in SHEET_ORDER if result.samples.get(sheet)]
    return render(request, "imports/preview.html", {
        "meta": meta, "result": result, "done": bool(outcome is not None and outcome.written),
        "samples": samples,
    })


def _progress(meta) -> dict:
    p = meta.get("progress") or {}
    stage, _sep, sheet = (p.get("stage") or "").partition(":")
    labels = {"read": _("Reading the sheet %(sheet)s") % {"sheet": sheet}, "validate": _("Checking the rows"),
              "write": _("Writing")}
    total = p.get("total")
    return {"stage": labels.get(stage, _("Waiting for its turn")), "done": p.get("done") or 0,
            "total": total if total and total >= (p.get("done") or 0) else None}


@scoped_view()
def progress(request, upload_id):
    """The progress box of a running check or import (polled by htmx); once finished, the page reloads."""
    meta = _load_or_404(request, upload_id)
    require(request.user, Action.IMPORT)
    if meta["state"] not in uploads.RUNNING:
        return HttpResponseClientRefresh() if request.htmx else redirect("imports:preview", upload_id=upload_id)
    return render(request, "imports/_progress.html", {"meta": meta, **_progress(meta)})


@scoped_view()
@require_POST
def confirm(request, upload_id):
    _load_or_404(request, upload_id)
    require(request.user, Action.IMPORT)
    try:
        uploads.confirm_upload(upload_id, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("imports:preview", upload_id=upload_id)


@scoped_view()
@require_POST
def cancel(request, upload_id):
    _load_or_404(request, upload_id)
    require(request.user, Action.IMPORT)
    try:
        uploads.discard(upload_id, request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("imports:preview", upload_id=upload_id)
    messages.success(request, _("The upload was cancelled and its file deleted."))
    return redirect("imports:upload")


@scoped_view()
def template(request):
    buffer = io.BytesIO()
    template_workbook(buffer, parent=samples.sample_parent(request.user) or primary_organization(request.user))
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-lieu-dang-vu.xlsx"'
    return response


@scoped_view(Action.IMPORT)
def sample(request):
    buffer = io.BytesIO()
    try:
        samples.sample_workbook(buffer, request.user)
    except DomainError as exc:
        raise Http404(exc.message)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-hop-le.xlsx"'
    return response
