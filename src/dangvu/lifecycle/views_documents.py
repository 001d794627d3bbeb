"""Downloads of the generated documents (.docx, or PDF when LibreOffice is on the server).

Any logged-in user may download the documents of members in their scope (outside it: 404); personal
data is written only for users who may see it. A document that cannot be made (no LibreOffice for
a PDF, an administrator's template that does not work) answers a page saying so, with the link to
the .docx — never a server error.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from dangvu.accounts.permissions import Action, can
from dangvu.accounts.web import scoped_object_or_404, scoped_view
from dangvu.core.documents import DocumentError, to_pdf
from dangvu.members.models import Member, MemberEvent

from . import documents
from .transfers import transfer_letters_visible_to

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = ("docx", "pdf")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404


def _respond(request, make, filename: str, fmt: str, docx_url: str):
    """The document as an attachment in `fmt`; a page with the reason and the .docx link when it cannot be made."""
    try:
        content = make()
        if fmt == "pdf":
            content = to_pdf(content)
    except DocumentError as exc:
        return render(request, "lifecycle/document_error.html",
                      {"message": exc.message, "docx_url": docx_url if fmt == "pdf" else None}, status=503)
    response = HttpResponse(content, content_type=DOCX if fmt == "docx" else "application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response


@scoped_view(model=Member, select_related=("cell",))
@require_GET
def member_sheet(request, member, fmt):
    _check_format(fmt)
    code = member.code
    personal = can(request.user, Action.PERSONAL_DATA)
    return _respond(request, lambda: documents.member_sheet(member, personal=personal),
                    f"phieu-dang-vien-{member.code}", fmt,
                    reverse("lifecycle:document_sheet", kwargs={"code": code, "fmt": "docx"}))


@scoped_view()
@require_GET
def event_document(request, pk, kind, fmt):
    _check_format(fmt)
    if kind not in documents.EVENT_DOCUMENTS:
        raise Http404
    if kind == "transfer":  # also the sender's, once the member is in transit out of its scope
        event = get_object_or_404(transfer_letters_visible_to(request.user).select_related(
            "member", "member__cell", "cell"), pk=pk, kind__in=documents.EVENT_DOCUMENTS[kind][0])
    else:
        event = scoped_object_or_404(request.user, MemberEvent, pk=pk, kind__in=documents.EVENT_DOCUMENTS[kind][0],
                                     select_related=("member", "member__cell", "cell"))
    personal = can(request.user, Action.PERSONAL_DATA)
    return _respond(request, lambda: documents.event_document(event, kind, personal=personal),
                    documents.event_document_name(event, kind), fmt,
                    reverse("lifecycle:document_event", kwargs={"pk": pk, "kind": kind, "fmt": "docx"}))


@scoped_view()
@require_GET
def badge_list(request, day, fmt):
    _check_format(fmt)
    try:
        award_date = dt.datetime.strptime(day, "%d-%m-%Y").date()
    except ValueError:
        raise Http404
    return _respond(request, lambda: documents.badge_list(request.user, award_date),
                    f"danh-sach-huy-hieu-dang-{day}", fmt,
                    reverse("lifecycle:document_badges", kwargs={"day": day, "fmt": "docx"}))
