"""The generic parts of generated documents: dates in words, the template lookup, PDF without LibreOffice."""

import datetime as dt

import pytest

from dangvu.core import documents
from dangvu.core.documents import citation_date, vietnamese_date


def test_dates_are_written_in_vietnamese_words_with_the_leading_zeros_of_hd_36():
    assert vietnamese_date(dt.date(2025, 5, 19)) == "ngày 19 tháng 5 năm 2025"
    assert vietnamese_date(dt.date(2025, 2, 3)) == "ngày 03 tháng 02 năm 2025"
    assert vietnamese_date(dt.date(2025, 12, 1)) == "ngày 01 tháng 12 năm 2025"
    assert vietnamese_date(None) == "ngày …… tháng …… năm ……"
    assert citation_date(dt.date(2025, 5, 26)) == "26-5-2025"


def test_a_replacement_template_is_preferred_to_the_shipped_one(settings, tmp_path):
    shipped, own = tmp_path / "shipped", tmp_path / "own"
    shipped.mkdir()
    own.mkdir()
    (shipped / "a.docx").write_bytes(b"x")
    (shipped / "b.docx").write_bytes(b"x")
    (own / "a.docx").write_bytes(b"y")
    settings.DANGVU_TEMPLATE_DIR = own
    assert documents.template_path("a.docx", shipped) == own / "a.docx"
    assert documents.template_path("b.docx", shipped) == shipped / "b.docx"


def test_pdf_without_libreoffice_raises_pdf_unavailable(monkeypatch):
    monkeypatch.setattr(documents.shutil, "which", lambda name: None)
    with pytest.raises(documents.PdfUnavailable):
        documents.to_pdf(b"")
