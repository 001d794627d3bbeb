"""Build the shipped .docx templates of the generated documents (python-docx).

    .venv/bin/python src/dangvu/lifecycle/document_templates/build.py

writes the five templates next to this file. They are docxtpl templates: Jinja placeholders
(``{{ m.name }}``), paragraph blocks (``{%p if … %}``) and table-row loops (``{%tr for … %}``);
the variables are listed in README.md beside this file.

The look follows the Party's rules for its documents (HD 36-HD/VPTW, 03/4/2018): A4, margins top
and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the heading "ĐẢNG CỘNG SẢN VIỆT NAM"
top right (bold 15 pt, a rule under it), the issuing body top left (its superior body above it in
plain capitals, itself in bold capitals, a star under it, then the number), the place and date in
italics under the heading, the kind of document in bold capitals and its subject in bold, body
text 14 pt justified with a first-line indent, the signature block "T/M …" right and "Nơi nhận:"
(underlined; the list in 12 pt) left.
"""

from __future__ import annotations

from pathlib import Path

from dangvu.lifecycle.document_templates.badge_list import badge_list
from dangvu.lifecycle.document_templates.event_documents import (
    admission_decision,
    recognition_decision,
    transfer_letter,
)
from dangvu.lifecycle.document_templates.member_sheet import member_sheet

HERE = Path(__file__).resolve().parent

TEMPLATES = {
    "admission_decision.docx": admission_decision,
    "recognition_decision.docx": recognition_decision,
    "transfer_letter.docx": transfer_letter,
    "badge_list.docx": badge_list,
    "member_sheet.docx": member_sheet,
}


def build(target: Path = HERE) -> list[Path]:
    written = []
    for name, make in TEMPLATES.items():
        doc = make()
        core = doc.core_properties
        core.author, core.title, core.comments = "Đảng vụ", name.removesuffix(".docx"), "build.py"
        path = target / name
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
