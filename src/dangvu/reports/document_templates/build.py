"""Build the shipped .docx template of the reports' documents (python-docx), with the helpers and the
look of the lifecycle's templates (HD 36-HD/VPTW; `lifecycle/document_templates/build.py`).

    .venv/bin/python src/dangvu/reports/document_templates/build.py

writes `summary.docx` next to this file: the drafted paragraph of `report summary` as a report of the
organization's committee. Variables: the header and signature of `lifecycle.documents.header.heading`
(`superior`, `issuer`, `place`, `represent`, `signer_title`, `signer_name`), `number`, `date` (the day
written), `as_of` (dd/mm/yyyy), `org_name`, `text` (the paragraph).
"""

from __future__ import annotations

from pathlib import Path

from dangvu.lifecycle.document_templates.page import new_document
from dangvu.lifecycle.document_templates.paragraphs import C, body, para
from dangvu.lifecycle.document_templates.party_parts import party_header, signature, title

HERE = Path(__file__).resolve().parent


def summary():
    doc = new_document()
    party_header(doc)
    title(doc, "BÁO CÁO", "Tình hình tổ chức đảng và đảng viên")
    para(doc, "(Số liệu tính đến ngày {{ as_of }})", italic=True, align=C, after=12)
    body(doc, [("{{ text }}", "")], before=6)
    signature(doc, recipients=["{%p if superior %}", "- {{ superior }} (để báo cáo),", "{%p endif %}",
                               "- Lưu văn phòng cấp ủy."])
    return doc


def build(target: Path = HERE) -> list[Path]:
    doc = summary()
    core = doc.core_properties
    core.author, core.title, core.comments = "Đảng vụ", "summary", "build.py"
    path = target / "summary.docx"
    doc.save(path)
    return [path]


if __name__ == "__main__":
    for path in build():
        print(path)
