import io
import json

import openpyxl

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
