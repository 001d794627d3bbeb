"""Statistics forms (reports.statforms): the page, the API, `dangvu report form` and the printed
workbook (merged headers, print set-up, text never a formula)."""

import io
import json

import openpyxl
import pytest
from django.db import connections
from rest_framework.test import APIClient

from dangvu import cli
from dangvu.members.models import MemberEventKind as E
from dangvu.reports import statforms
from dangvu.reports.statforms import build_form
from dangvu.reports.statforms import xlsx as form_xlsx

from .flows_helpers import D, F, T, record

URL = "/reports/forms/{}/"


@pytest.fixture
def people(tree, make_member):
    for _ in range(3):
        make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    make_member(tree["C02"], admitted_on=D(2024, 3, 1))
    make_member(tree["C02"], admitted_on=D(2023, 3, 1))
    make_member(tree["C02"], admitted_on=D(2023, 4, 1))
    make_member(tree["C02"], admitted_on=D(2023, 5, 1))
    record(make_member(tree["X02"], made_official_on=D(2016, 5, 19)), E.DIED, D(2024, 7, 1))
    return tree


@pytest.fixture
def organizer(make_user, tree, client):
    client.force_login(make_user("tochuc", tree["H01"], "organizer"))
    return client


def _workbook(data):
    buffer = io.BytesIO()
    form_xlsx.write(data, buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))


def test_the_page_shows_the_form_with_vietnamese_numbers(organizer, people):
    response = organizer.get(URL.format(1), {"org": "X01", "from": "01/01/2024", "to": "31/12/2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Biểu số 1-BTCTW" in html and "TĂNG, GIẢM ĐẢNG VIÊN" in html
    assert "(Từ ngày 01/01/2024 đến ngày 31/12/2024)" in html
    assert 'rowspan="2"' in html and 'colspan="2"' in html  # the merged header
    assert "Kỳ này" in html and "Cùng kỳ năm trước" in html
    assert "33,3" in html  # 1 admission against 3: a Vietnamese decimal comma
    assert "ĐẢNG BỘ HUYỆN MƯỜNG LAY" in html  # the committee above
    page5 = organizer.get(URL.format(5), {"org": "H01", "as_of": "31/12/2024"}).content.decode()
    assert "Loại hình cơ sở" in page5 and "(Có đến ngày 31/12/2024)" in page5
    assert organizer.get(URL.format(7), {"org": "H01"}).status_code == 200


def test_the_page_counts_with_a_thousands_point(organizer, tree, monkeypatch):
    monkeypatch.setattr("dangvu.reports.statforms.form5.by_unit_kind",
                        lambda org, day: {"xa": {"members": 1154, "grassroots_committee": 1}})
    html = organizer.get(URL.format(5), {"org": "H01", "as_of": "31/12/2024"}).content.decode()
    assert "1.154" in html


def test_the_page_refuses_bad_input_with_a_message_and_scope(organizer, people, client, make_user, tree):
    response = organizer.get(URL.format(1), {"org": "X01", "from": "31/12/2024", "to": "01/01/2024"})
    assert response.status_code == 400 and "sau ngày kết thúc" in response.content.decode()
    assert organizer.get(URL.format(1), {"org": "X01", "to": "31/02/2024"}).status_code == 400
    assert organizer.get(URL.format(5), {"org": "X01", "as_of": "hôm qua"}).status_code == 400
    assert organizer.get(URL.format(3), {"org": "X01"}).status_code == 404  # no such form
    client.force_login(make_user("chibo", tree["X02"], "secretary"))
    assert client.get(URL.format(1), {"org": "X01"}).status_code == 404  # outside the scope
    assert client.get(URL.format(5), {"org": "X01", "format": "xlsx"}).status_code == 404


def test_the_page_downloads_the_workbook_and_the_json(organizer, people):
    response = organizer.get(URL.format(1), {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bieu-1-btctw-X01-2024-12-31.xlsx"'
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["C1"].value == "Biểu số 1-BTCTW"
    data = json.loads(organizer.get(URL.format(5), {"org": "H01", "as_of": "2024-12-31", "format": "json"}).content)
    assert data["rows"][0]["values"]["members"] == 7


def test_the_workbook_is_printed_as_the_form(people):
    data = build_form(1, people["X01"], date_from=F, date_to=T)
    ws = _workbook(data).active
    assert ws.title == "1-BTCTW"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A7:A8", "B7:B8", "C7:D7", "E7:E8"} <= merged  # STT, Tiêu chí, Thực hiện over two columns, (%)
    assert [ws.cell(7, c).value for c in (1, 2, 3, 5)] == ["STT", "Tiêu chí", "Thực hiện",
                                                           "(%) = kỳ này × 100 / cùng kỳ"]
    assert [ws.cell(8, c).value for c in (3, 4)] == ["Kỳ này", "Cùng kỳ năm trước"]
    assert [ws.cell(9, c).value for c in range(1, 6)] == ["A", "B", "1", "2", "3"]
    assert ws["A1"].value == "ĐẢNG BỘ HUYỆN MƯỜNG LAY" and ws["A2"].value == "ĐẢNG BỘ XÃ NÀ HỲ"
    assert ws["A4"].value == "TĂNG, GIẢM ĐẢNG VIÊN"
    assert ws["A5"].value == "(Từ ngày 01/01/2024 đến ngày 31/12/2024)"
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in (3, 4, 5)] for r in range(10, 29)}
    assert rows["Kết nạp"] == [1, 3, 33.3]
    assert rows["Từ trần"] == [0, 0, None]
    assert ws.cell(12, 3).number_format == "#,##0" and ws.cell(12, 5).number_format == "0.0"
    # A4 landscape, one page as on paper (fitted to its width and height), the header rows repeated
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.page_setup.fitToHeight in (None, 1)  # 1 is the default of the file format: left out
    assert ws.print_title_rows == "$7:$9"
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "NGƯỜI LẬP BIỂU" in texts and "TRƯỞNG BAN" in texts


def test_the_workbook_writes_text_as_text_and_the_title_configured(people, settings):
    people["X01"].name = "=HYPERLINK(\"http://x\")"
    people["X01"].save()
    from dangvu.organizations.models import OrganizationPeriod

    OrganizationPeriod.objects.filter(organization=people["X01"]).update(name="=SUM(A1:A2)")
    settings.DANGVU_FORMS_SIGNER_TITLE = "Phó Trưởng ban"
    data = build_form(5, people["X01"], as_of=T)
    ws = _workbook(data).active
    assert ws["A2"].value == "=SUM(A1:A2)" and ws["A2"].data_type == "s"  # a string, not a formula
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"C7:E7", "A7:A8", "H7:H8"} <= merged  # TCCSĐ over total, đảng bộ cơ sở, chi bộ cơ sở
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "PHÓ TRƯỞNG BAN" in texts


def test_the_api_gives_the_rows_with_their_keys(people, make_user):
    api = APIClient()
    api.force_authenticate(make_user("tochuc", people["H01"], "organizer"))
    response = api.get("/api/reports/forms/1/", {"org": "X01", "from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200
    data = response.json()
    assert data["form"] == {"number": 1, "code": "1-BTCTW", "title": "Tăng, giảm đảng viên"}
    rows = {r["key"]: r["values"] for r in data["rows"]}
    assert rows["admitted"] == {"current": 1, "last_year": 3, "ratio": 33.3}
    assert [c["key"] for c in data["columns"]] == ["number", "label", "current", "last_year", "ratio"]
    five = api.get("/api/reports/forms/5/", {"org": "H01", "as_of": "2024-12-31"}).json()
    assert five["as_of"] == "2024-12-31" and five["rows"][0]["key"] == "total"
    assert api.get("/api/reports/forms/7/", {"org": "X01"}).status_code == 200
    bad = api.get("/api/reports/forms/1/", {"org": "X01", "from": "2024-12-31", "to": "2024-01-01"})
    assert bad.status_code == 400
    assert api.get("/api/reports/forms/5/", {"org": "X01", "as_of": "31-12"}).status_code == 400
    assert api.get("/api/reports/forms/1/", {"org": "NOPE"}).status_code == 404


@pytest.fixture
def run(monkeypatch, capsys):
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def _run(*args):
        try:
            code = cli.main(["report", "form", *args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def test_the_command_writes_json_and_xlsx(run, people, tmp_path):
    code, out, err = run("--number", "1", "--org", "X01", "--from", "2024-01-01", "--to", "31/12/2024")
    assert code == 0, err
    rows = {r["key"]: r["values"]["current"] for r in json.loads(out)["rows"]}
    assert rows["end"] == rows["start"] + rows["increase"] - rows["decrease"]
    path = tmp_path / "bieu5.xlsx"
    code, out, err = run("--number", "5", "--org", "H01", "--as-of", "2024-12-31", "--format", "xlsx",
                         "--output", str(path))
    assert code == 0, err
    assert openpyxl.load_workbook(path).active.title == "5-BTCTW"


@pytest.mark.parametrize("args,fragment", [
    (("--number", "3", "--org", "X01", "--as-of", "2024-12-31"), "Không có biểu “3”"),
    (("--org", "X01", "--as-of", "2024-12-31"), "Nhập số biểu"),
    (("--number", "1", "--org", "X01", "--from", "2024-01-01"), "--to"),
    (("--number", "1", "--org", "X01", "--as-of", "2024-12-31"), "dùng --from và --to"),
    (("--number", "5", "--org", "X01", "--from", "2024-01-01", "--to", "2024-12-31"), "dùng --as-of"),
    (("--number", "5", "--org", "NOPE"), "NOPE"),
    (("--number", "5", "--org", "X01", "--as-of", "2024-13-01"), "không phải là ngày hợp lệ"),
    (("--number", "1", "--org", "X01", "--from", "2024-12-31", "--to", "2024-01-01"), "sau ngày kết thúc"),
    (("--number", "5", "--org", "X01", "--format", "xlsx"), "--output"),
    (("--number", "5", "--org", "X01", "--bogus"), "--bogus"),
])
def test_the_command_exits_1_with_a_vietnamese_message_on_bad_input(run, people, args, fragment):
    code, out, err = run(*args)
    assert code == 1
    assert err.startswith("Lỗi: ") and "Traceback" not in err
    assert fragment in err


@pytest.mark.parametrize("number", sorted(statforms.FORMS))
def test_a_form_of_one_page_on_paper_prints_on_one_page_and_a_longer_one_numbers_its_pages(people, number):
    spec = statforms.FORMS[number]
    dates = ({"year": 2024} if spec.yearly else {"date_from": F, "date_to": T} if spec.period else {"as_of": T})
    ws = _workbook(statforms.build_form(number, people["X01"], **dates)).active
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert (1 if ws.page_setup.fitToHeight is None else ws.page_setup.fitToHeight) == spec.pages  # 1: the default
    assert (spec.pages == 1) == (number in (1, 5, 6, 7))  # the forms of one page on paper
    assert ws.print_title_rows.startswith("$7:")
    footer = ws.oddFooter.right.text or ""
    assert ("&P" in footer) == (spec.pages != 1), footer
