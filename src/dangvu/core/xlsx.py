"""Writing .xlsx workbooks (XlsxWriter): the one place that opens a workbook (every export, report,
list, template and sample) and writes a plain table.

Text is always written as text (`write_string`): a name or a note beginning with "=" stays what the
user typed and never becomes a formula in the reader's spreadsheet.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(path_or_buffer, **options):
    """An XlsxWriter workbook on a path or a binary buffer (in memory); formulas are never inferred
    from strings."""
    import xlsxwriter

    options = {**options, "strings_to_formulas": False, "strings_to_urls": False}
    if hasattr(path_or_buffer, "write"):
        return xlsxwriter.Workbook(path_or_buffer, {"in_memory": True, **options})
    return xlsxwriter.Workbook(os.fspath(path_or_buffer), options)


def write_table(path_or_buffer, *, sheet: str, title: str, heads: Sequence[tuple[str, int]],
                rows: Iterable[Sequence]) -> int:
    """A one-sheet workbook: a title line, a header row (label, column width) and the rows (text,
    numbers, dates as dd/mm/yyyy, None blank), filterable. Returns the number of rows written."""
    wb = workbook(path_or_buffer)
    try:
        ws = wb.add_worksheet(re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31].strip() or None)  # Excel's rules
        bold = wb.add_format({"bold": True, "font_size": 13})
        head = wb.add_format({"bold": True, "bg_color": "#EEF0F3", "border": 1, "text_wrap": True, "valign": "top"})
        datefmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        ws.write_string(0, 0, title, bold)
        for col, (label, width) in enumerate(heads):
            ws.set_column(col, col, width)
            ws.write_string(2, col, str(label), head)
        ws.freeze_panes(3, 0)
        r = 2
        for values in rows:
            r += 1
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(r, col, dt.datetime.combine(value, dt.time()), datefmt)
                elif isinstance(value, bool):
                    ws.write_boolean(r, col, value)
                elif isinstance(value, int | float):
                    ws.write_number(r, col, value)
                else:
                    ws.write_string(r, col, str(value))
        if r > 2:
            ws.autofilter(2, 0, r, len(heads) - 1)
    finally:
        wb.close()
    return r - 2
