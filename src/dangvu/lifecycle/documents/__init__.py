"""Official documents generated from the records of the member lifecycle (văn bản), as .docx.

Five documents, one function each returning the bytes of a .docx:

- `admission_decision(event)`: quyết định kết nạp đảng viên (form 9-KNĐ), from an ADMITTED event;
- `recognition_decision(event)`: quyết định công nhận đảng viên chính thức, from a MADE_OFFICIAL event;
- `transfer_letter(event)`: giấy giới thiệu sinh hoạt đảng, from a MOVED or TRANSFERRED_OUT event, with
  the day by which the member must present it (`regulations.deadline(…, "transfer_report", …)`);
- `badge_list(user, award_date)`: danh sách đề nghị tặng Huy hiệu Đảng across the user's scope
  (`todo.badges_due`);
- `member_sheet(member)`: phiếu đảng viên (form 2-HSĐV): the profile and the history of events.

The data of each document is gathered by a plain function (`contexts.*_context`, in the documents'
language) into a dict of strings, and rendered into a template by `core.documents.render`: the
administrator's replacement when there is one, else the template shipped in ``document_templates/``
(rebuilt by its ``build.py``; the variables are listed in its README.md). Personal data (residence,
current address, ID number) is left blank for users who may not see it. The PDF is
`core.documents.to_pdf`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dangvu.core.documents import render
from dangvu.members.models import Member, MemberEvent
from dangvu.members.models import MemberEventKind as E

from .contexts import (
    admission_context,
    badge_list_context,
    member_sheet_context,
    recognition_context,
    transfer_context,
)

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "document_templates"

#: URL key → (event kinds it is made from, template file, download name prefix).
EVENT_DOCUMENTS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "admission": ((E.ADMITTED,), "admission_decision.docx", "quyet-dinh-ket-nap"),
    "recognition": ((E.MADE_OFFICIAL,), "recognition_decision.docx", "quyet-dinh-cong-nhan-chinh-thuc"),
    "transfer": ((E.MOVED, E.TRANSFERRED_OUT), "transfer_letter.docx", "giay-gioi-thieu-sinh-hoat-dang"),
}
#: Event kind → URL key of its document.
DOCUMENT_OF_KIND = {kind: key for key, (kinds, _t, _p) in EVENT_DOCUMENTS.items() for kind in kinds}


def admission_decision(event: MemberEvent, *, personal: bool = True) -> bytes:
    return render("admission_decision.docx", admission_context(event, personal=personal), shipped_dir=SHIPPED_DIR)


def recognition_decision(event: MemberEvent, *, personal: bool = True) -> bytes:
    return render("recognition_decision.docx", recognition_context(event, personal=personal),
                  shipped_dir=SHIPPED_DIR)


def transfer_letter(event: MemberEvent, *, personal: bool = True) -> bytes:
    return render("transfer_letter.docx", transfer_context(event, personal=personal), shipped_dir=SHIPPED_DIR)


def badge_list(user, award_date: dt.date) -> bytes:
    return render("badge_list.docx", badge_list_context(user, award_date), shipped_dir=SHIPPED_DIR)


def member_sheet(member: Member, *, personal: bool = True) -> bytes:
    return render("member_sheet.docx", member_sheet_context(member, personal=personal), shipped_dir=SHIPPED_DIR)


_EVENT_RENDERERS = {"admission": admission_decision, "recognition": recognition_decision, "transfer": transfer_letter}


def event_document(event: MemberEvent, key: str, *, personal: bool = True) -> bytes:
    """The document `key` of `EVENT_DOCUMENTS` for `event`."""
    return _EVENT_RENDERERS[key](event, personal=personal)


def event_document_name(event: MemberEvent, key: str) -> str:
    """Download name of the document `key` for `event`, without extension."""
    return f"{EVENT_DOCUMENTS[key][2]}-{event.member.code}"
