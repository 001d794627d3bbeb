"""Statistics forms as PDF (reports.statforms.pdf): A4 landscape, the form's numbers, header and
signature block, the font shipped with the application, from the page's download."""

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from dangvu.reports import statforms
from dangvu.reports.statforms import pdf as form_pdf

from .flows_helpers import D, F, T
from .test_statforms_outputs import URL, organizer, people, run  # noqa: F401 (fixtures)


def _text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_of_form_1_holds_its_numbers_header_and_signature_on_a4_landscape(people, settings):  # noqa: F811
    settings.REPORT_PLACE = "Mường Lay"
    data = statforms.build_form(1, people["X01"], date_from=F, date_to=T)
    content = form_pdf.render(data, today=D(2025, 1, 6))
    if path := os.environ.get("DANGVU_KEEP_PDF"):  # to look at it
        Path(path).write_bytes(content)
    reader, text = _text(content)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, in points
    assert "Biểu số 1-BTCTW" in text and "TĂNG, GIẢM ĐẢNG VIÊN" in text
    assert "ĐẢNG BỘ HUYỆN MƯỜNG LAY" in text  # the committee above
    assert "(Từ ngày 01/01/2024 đến ngày 31/12/2024)" in text
    assert "Mường Lay, ngày 06 tháng 01 năm 2025" in text and "NGƯỜI LẬP BIỂU" in text
    assert "33,3" in text  # 1 admission against 3, with a Vietnamese decimal comma
    start = next(r for r in data["rows"] if r["key"] == "start")
    assert str(start["values"]["current"]) in text
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("BeVietnamPro" in f.replace("-", "") for f in fonts), fonts


@pytest.mark.parametrize("number", sorted(statforms.FORMS))
def test_every_form_of_the_registry_prints_as_pdf_from_its_page(organizer, people, number):  # noqa: F811
    spec = statforms.FORMS[number]
    if spec.yearly:
        dates, suffix = {"year": "2024"}, '-H01-2024.pdf"'
    else:
        dates = {"from": "2024-01-01", "to": "2024-12-31"} if spec.period else {"as_of": "2024-12-31"}
        suffix = '-H01-2024-12-31.pdf"'
    response = organizer.get(URL.format(number), {"org": "H01", **dates, "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(suffix)
    _reader, text = _text(response.content)
    assert spec.code in text and str(spec.title).upper()[:20] in text


def test_the_pdf_fetches_nothing_but_the_shipped_font(people):  # noqa: F811
    fetch = form_pdf._fetcher(form_pdf._font_dir())
    for url in ("http://example.com/font.woff2", "file:///etc/passwd",
                form_pdf._font_dir().as_uri() + "/../../css/app.css"):
        with pytest.raises(ValueError):
            fetch.fetch(url)


def test_the_command_writes_the_pdf(run, people, tmp_path):  # noqa: F811
    path = tmp_path / "bieu5.pdf"
    code, out, err = run("--number", "5", "--org", "H01", "--as-of", "2024-12-31", "--format", "pdf", "--output", str(path))
    assert code == 0, err
    _reader, text = _text(path.read_bytes())
    if keep := os.environ.get("DANGVU_KEEP_PDF"):  # to look at it
        Path(keep).with_suffix(".5.pdf").write_bytes(path.read_bytes())
    assert "Biểu số 5-BTCTW" in text and "(Có đến ngày 31/12/2024)" in text
    code, out, err = run("--number", "5", "--org", "H01", "--format", "pdf")
    assert code == 1 and "--output" in err


def test_without_pango_the_pdf_link_answers_a_vietnamese_message(organizer, people, monkeypatch):  # noqa: F811
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if WeasyPrint could not load Pango
    response = organizer.get(URL.format(5), {"org": "H01", "as_of": "2024-12-31", "format": "pdf"})
    assert response.status_code == 400 and "thiếu thư viện Pango" in response.content.decode()
