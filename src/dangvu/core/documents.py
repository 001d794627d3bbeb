"""Documents generated from Word templates (văn bản): .docx rendered by docxtpl, PDF by LibreOffice,
and dates written as Vietnamese documents write them.

A template ``<name>.docx`` is looked up first in the administrator's folder (setting/environment
variable ``DANGVU_TEMPLATE_DIR``; default ``$DANGVU_DATA_DIR/templates``), where a replacement may be
put, then among the templates an app ships (its ``shipped_dir``). A replacement that cannot be used
raises `DocumentError` naming the file (a message, never a 500).

The text of a document is in the document's language (`DOCUMENT_LANGUAGE`, Vietnamese) whatever the
language of the interface: the functions that gather a document's data run under
`in_document_language`, so that the labels they take from the catalogue (gettext) are Vietnamese.
Dates are written "ngày 19 tháng 5 năm 2025" (a day below 10 and the months 1 and 2 with a leading
zero, as HD 36-HD/VPTW asks).

`to_pdf(docx)` converts with LibreOffice headless (`soffice`/`libreoffice` on PATH) in a temporary
folder, under a time limit; without LibreOffice it raises `PdfUnavailable` with a message telling the
user to download the .docx.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import DomainError

#: The language documents are written in.
DOCUMENT_LANGUAGE = "vi"
#: What a document prints where a value is not known (to be filled in by hand).
DOTS = "……"
#: Seconds LibreOffice may take to convert one document.
PDF_TIMEOUT = 120


class DocumentError(DomainError):
    """A document cannot be produced (a replacement template that does not work, a failed PDF)."""


class PdfUnavailable(DocumentError):
    """No LibreOffice on the server: only the .docx can be had."""


def in_document_language(function):
    """Run `function` with the catalogue in the documents' language (labels, refusals, dates)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(DOCUMENT_LANGUAGE):
            return function(*args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------------------------
# Dates in words


def _day_month(day: dt.date) -> tuple[str, str]:
    # HD 36-HD/VPTW: days below 10 and the months 1 and 2 take a leading zero.
    return (f"{day.day:02d}" if day.day < 10 else str(day.day),
            f"{day.month:02d}" if day.month < 3 else str(day.month))


def vietnamese_date(day: dt.date | None) -> str:
    """'ngày 19 tháng 5 năm 2025'; dotted blanks when the date is not known."""
    if day is None:
        return f"ngày {DOTS} tháng {DOTS} năm {DOTS}"
    d, m = _day_month(day)
    return f"ngày {d} tháng {m} năm {day.year}"


def citation_date(day: dt.date) -> str:
    """A date as the Party's documents cite one another: '26-5-2025'."""
    d, m = _day_month(day)
    return f"{d}-{m}-{day.year}"


# --------------------------------------------------------------------------------------------
# Rendering


def template_dir() -> Path:
    """The administrator's folder of replacement templates (setting/env DANGVU_TEMPLATE_DIR)."""
    return Path(getattr(settings, "DANGVU_TEMPLATE_DIR", None) or Path(settings.DATA_DIR) / "templates")


def template_path(name: str, shipped_dir: Path) -> Path:
    """The administrator's replacement of template `name` when there is one, else the one shipped."""
    override = template_dir() / name
    return override if override.is_file() else shipped_dir / name


def render(name: str, context: dict, *, shipped_dir: Path) -> bytes:
    """Render template `name` (`template_path`) with `context` (values XML-escaped) into .docx bytes."""
    from docxtpl import DocxTemplate

    path = template_path(name, shipped_dir)
    try:
        template = DocxTemplate(path)
        template.render(context, autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except Exception as exc:
        if path.parent == shipped_dir:
            raise
        raise DocumentError(
            _("The document template %(path)s could not be used: %(error)s") % {"path": path, "error": exc}
        ) from exc
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# PDF


def office_binary() -> str | None:
    """LibreOffice's command on PATH, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """Whether PDF versions can be made here (LibreOffice installed): pages offer PDF links only then."""
    return office_binary() is not None


def to_pdf(docx: bytes, *, timeout: int = PDF_TIMEOUT) -> bytes:
    """Convert .docx bytes to PDF with LibreOffice headless, in a temporary folder (its own user profile,
    so conversions may run side by side), killed after `timeout` seconds."""
    binary = office_binary()
    if binary is None:
        raise PdfUnavailable(_("PDF needs LibreOffice installed on the server; download the .docx instead."))
    failed = _("The PDF could not be made (LibreOffice failed or took too long); download the .docx instead.")
    with tempfile.TemporaryDirectory(prefix="dangvu-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx)
        command = [binary, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        env = {**os.environ, "HOME": str(folder)}
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=folder, env=env,
                                       start_new_session=True)
        except OSError as exc:
            raise DocumentError(failed) from exc
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.communicate()
            raise DocumentError(failed) from exc
        result = folder / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            raise DocumentError(failed)
        return result.read_bytes()
