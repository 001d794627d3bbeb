"""A statistics form as a PDF in its printed layout (WeasyPrint): A4 landscape, the committee's
header and "Biểu số N-BTCTW", the title and the period, the header under merged cells with the line
of column codes (repeated on every page), the rows, the signature block. Drawn from the form's dict
and its `FormSpec` header (`layout`), so every form of the registry prints the same way.

The font is the Be Vietnam Pro shipped in static/vendor; WeasyPrint reads only those files (any
other address is refused: nothing is fetched from a network)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.errors import DomainError

from . import config, form_spec
from .layout import column_codes, header_cells, leaves
from .xlsx import period_text

FONT_DIR = "vendor/be-vietnam-pro"
#: The font files (weight → the Vietnamese and the Latin subsets), as in static/css/app.css.
FONT_FILES = {w: (f"be-vietnam-pro-vietnamese-{w}-normal.woff2", f"be-vietnam-pro-latin-{w}-normal.woff2")
              for w in (400, 600, 700)}


def _font_dir() -> Path:
    found = finders.find(f"{FONT_DIR}/{FONT_FILES[400][0]}")
    if not found:
        raise FileNotFoundError(FONT_DIR)
    return Path(found).parent


def _fetcher(allowed: Path):
    """WeasyPrint's URL fetcher limited to the files of the font folder."""
    from weasyprint.urls import URLFetcher

    prefix = allowed.resolve().as_uri() + "/"

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(prefix) or ".." in url:
                raise ValueError(f"refused: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=("file",))


def context(data: dict, *, today: dt.date | None = None) -> dict:
    spec = form_spec(data["form"]["number"])
    heads = spec.header(data.get("year"))
    columns = leaves(heads)
    value_keys = [c.key for c in columns if c.key not in ("number", "label")]
    fonts = _font_dir()
    day = today or timezone.localdate()
    from ..letterhead import place_date

    return {
        "spec": spec,
        "note": spec.note_for(data.get("year")),
        "data": data,
        "title": str(spec.title).upper(),
        "period": period_text(data),
        "header_rows": header_cells(heads),
        "codes": column_codes(columns),
        "widths": [round(c.width * 100 / sum(c.width for c in columns), 2) for c in columns],
        "rows": [{**r, "cells": [(k, r["values"].get(k)) for k in value_keys]} for r in data["rows"]],
        "fonts": [{"weight": w, "vietnamese": (fonts / vi).as_uri(), "latin": (fonts / la).as_uri()}
                  for w, (vi, la) in FONT_FILES.items()],
        "form_code": _("Form no. %(code)s") % {"code": spec.code},
        "guide": _("Under guidance 11-HD/BTCTW"),
        "place_date": place_date(day),
        "signer": config.signer_title().upper(),
    }


def html(data: dict, *, today: dt.date | None = None) -> str:
    return render_to_string("reports/forms/pdf.html", context(data, today=today))


def render(data: dict, *, today: dt.date | None = None) -> bytes:
    """The PDF of the form's dict; DomainError when the server lacks the Pango library WeasyPrint draws with."""
    try:
        from weasyprint import HTML
    except (OSError, ImportError):  # WeasyPrint loads Pango when imported
        raise DomainError(_("PDF cannot be made on this server: the Pango library is missing "
                            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0). Download the Excel file instead."))

    document = HTML(string=html(data, today=today), url_fetcher=_fetcher(_font_dir()))
    return document.write_pdf()
