"""Helpers of the document tests: the text of a .docx, a member's event as the documents read it, whether
LibreOffice can make PDFs here."""

import io
import shutil

from docx import Document

from dangvu.members.models import MemberEvent

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HAS_OFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))


def text_of(content: bytes) -> str:
    """Every paragraph of a .docx, tables included, one per line."""
    doc = Document(io.BytesIO(content))
    lines = []

    def walk(container):
        for p in container.paragraphs:
            lines.append(p.text)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    walk(cell)

    walk(doc)
    return "\n".join(lines)


def event(member, kind):
    return MemberEvent.objects.select_related("member", "cell").get(member=member, kind=kind)
