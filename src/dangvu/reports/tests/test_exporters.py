import datetime as dt
import io
import json

import openpyxl
import pytest

from dangvu.reports import downloads
from dangvu.reports.exporters import snapshot_rows, snapshot_xlsx, to_json

DATA = {
    "org": {"code": "H01", "name": "Đảng bộ huyện Mường Lay"},
    "as_of": "2024-12-31",
    "organizations": {"grassroots": 35, "grassroots_committees": 12, "grassroots_cells": 23,
                      "partial_committees": 1, "subordinate_cells": 118},
    "members": {"total": 3120, "official": 2950, "probationary": 170, "female": 842,
                "ethnic_minority": 1210, "religious": 95, "exempted": 61},
}


def test_json_keeps_vietnamese_letters_and_round_trips():
    text = to_json(DATA)
    assert "Đảng bộ huyện Mường Lay" in text
    assert "\\u" not in text
    assert json.loads(text) == DATA
    assert text.startswith('{\n  "org"')


def test_rows_give_each_member_figure_its_share_of_the_total():
    rows = snapshot_rows(DATA)
    shares = {r.key: r.percent for r in rows["members"]}
    assert shares["total"] == 100.0
    assert shares["female"] == 27.0  # 842 / 3120
    assert shares["ethnic_minority"] == 38.8
    assert all(r.share is None for r in rows["organizations"])
    assert [r.key for r in rows["organizations"]] == list(DATA["organizations"])
    assert [r.key for r in rows["members"]] == list(DATA["members"])


def test_rows_have_no_share_when_there_are_no_members():
    empty = {**DATA, "members": dict.fromkeys(DATA["members"], 0)}
    assert all(r.share is None for r in snapshot_rows(empty)["members"])


def test_xlsx_opens_and_holds_the_numbers_and_shares(tmp_path):
    path = tmp_path / "snapshot.xlsx"
    snapshot_xlsx(DATA, path)
    ws = openpyxl.load_workbook(path).active
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row if c.value is not None}
    values = [c.value for c in cells.values()]
    assert "Đảng bộ huyện Mường Lay" in values
    assert any(isinstance(v, str) and "31/12/2024" in v for v in values)
    numbers = [c for c in cells.values() if isinstance(c.value, int | float) and c.column == 3]
    assert [c.value for c in numbers] == [*DATA["organizations"].values(), *DATA["members"].values()]
    shares = [c for c in cells.values() if c.column == 4 and isinstance(c.value, float | int)]
    assert [round(c.value, 4) for c in shares] == [round(v / 3120, 4) for v in DATA["members"].values()]
    assert all(c.number_format == "0.0%" for c in shares)
    assert all(c.number_format == "#,##0" for c in numbers)


def test_download_file_names_are_safe():
    from dangvu.reports.exporters import snapshot_filename

    assert snapshot_filename(DATA, "xlsx") == "bao-cao-so-luong-H01-2024-12-31.xlsx"
    odd = {**DATA, "org": {"code": 'Đ/"x y', "name": ""}}
    assert snapshot_filename(odd, "json") == "bao-cao-so-luong-x_y-2024-12-31.json"


def test_xlsx_can_be_written_to_a_buffer():
    buffer = io.BytesIO()
    snapshot_xlsx(DATA, buffer)
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert ws.max_row > 10


#: Each one-table report's download (`downloads` kind → its parameters): all written on one report sheet.
REPORTS = {
    "snapshot": {"as_of": "2024-12-31"},
    "flows": {"from": "2024-01-01", "to": "2024-12-31"},
    "badges": {"award_date": "2024-12-31"},
    "assessment": {"year": "2024"},
    "profile": {"as_of": "2024-12-31"},
    "checks": {"as_of": "2024-12-31"},
    "excellent_streak": {"year": "2024", "years": "2"},
    "compare": {"report": "snapshot", "mode": "subunits", "as_of": "2024-12-31"},
}


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_every_report_workbook_is_the_one_report_sheet_printed_over_as_many_pages_as_its_rows(tree, make_member,
                                                                                              kind):
    for n in range(3):
        make_member(tree["C01"], name=f"Lò Văn {n}", admitted_on=dt.date(2013, 1, 1), made_official_on=dt.date(2014, 1, 1))
    file = downloads.build(kind, tree["H01"], {**REPORTS[kind], "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(file.content)).active
    assert ws["A2"].value == tree["H01"].name and ws.cell(5, 1).value == "Số"  # title, organization, headings
    assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # as many pages as the rows
    assert ws.print_title_rows == "$5:$5"  # the headings on every page
    assert ws.print_options.horizontalCentered
    assert "Đảng vụ" in ws.cell(ws.max_row, 1).value  # the source line
