"""The templates of the generated documents: the administrator's replacement, a broken one, the shipped
ones as build.py makes them."""

import pytest
from django.urls import reverse
from docx import Document

from dangvu.core import documents as core_documents
from dangvu.lifecycle import documents
from dangvu.lifecycle.tests.docx_files import event, text_of
from dangvu.members.models import MemberEventKind as E


def _replacement(path, text):
    doc = Document()
    doc.add_paragraph(text)
    doc.save(path)


def test_an_administrators_template_is_used_when_present(minh, settings, tmp_path):
    settings.DANGVU_TEMPLATE_DIR = tmp_path
    _replacement(tmp_path / "member_sheet.docx", "MẪU CỦA TỈNH: {{ m.name }}, {{ m.admitted_on }}")
    assert text_of(documents.member_sheet(minh)) == "MẪU CỦA TỈNH: Lò Văn Minh, ngày 19 tháng 5 năm 2015"
    # The other documents still come from the shipped templates.
    assert "QUYẾT ĐỊNH" in text_of(documents.admission_decision(event(minh, E.ADMITTED)))


def test_a_broken_administrators_template_gives_a_clear_page_not_a_server_error(client, organizer, minh, settings,
                                                                                  tmp_path):
    settings.DANGVU_TEMPLATE_DIR = tmp_path
    (tmp_path / "member_sheet.docx").write_bytes(b"not a docx")
    with pytest.raises(core_documents.DocumentError):
        documents.member_sheet(minh)
    client.force_login(organizer)
    response = client.get(reverse("lifecycle:document_sheet", kwargs={"code": minh.code, "fmt": "docx"}))
    assert response.status_code == 503
    assert "member_sheet.docx" in response.content.decode()


def test_the_shipped_templates_are_the_ones_build_py_makes(tmp_path):
    from dangvu.lifecycle.document_templates import build

    for path in build.build(tmp_path):
        assert text_of(path.read_bytes()) == text_of((documents.SHIPPED_DIR / path.name).read_bytes())
