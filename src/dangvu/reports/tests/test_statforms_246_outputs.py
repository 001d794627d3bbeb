"""Statistics forms 2, 4 and 6 (reports.statforms): the pages, the API, `dangvu report form` and the
printed workbooks (merged headers over three rows for form 6, percentages with one decimal, print
set-up)."""

import io
import json

import openpyxl
import pytest
from django.db import connections
from rest_framework.test import APIClient

from dangvu import cli
from dangvu.assessment.services import record_rating
from dangvu.reports.statforms import build_form
from dangvu.reports.statforms import pdf as form_pdf
from dangvu.reports.statforms import xlsx as form_xlsx

from .flows_helpers import D, F, T

URL = "/reports/forms/{}/"


@pytest.fixture
def people(tree, make_member):
    a = make_member(tree["C01"], admitted_on=D(2024, 3, 1), sex="F", ethnicity="Mông", religion="Tin Lành",
                    general_education="9/12", occupation="Nông dân")
    b = make_member(tree["C01"], made_official_on=D(2016, 5, 19), ethnicity="Thái")
    c = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    make_member(tree["X02"], admitted_on=D(2023, 3, 1))
    for m, label in ((b, "Hoàn thành xuất sắc nhiệm vụ"), (c, "Hoàn thành tốt nhiệm vụ"),
                     (a, "Hoàn thành nhiệm vụ")):
        record_rating(year=2024, member=m, label=label)
    return tree


@pytest.fixture
def organizer(make_user, tree, client):
    client.force_login(make_user("tochuc", tree["H01"], "organizer"))
    return client


def _workbook(data):
    buffer = io.BytesIO()
    form_xlsx.write(data, buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active


def test_the_pages_show_the_forms_in_vietnamese(organizer, people):
    html = organizer.get(URL.format(2), {"org": "X01", "from": "01/01/2024", "to": "31/12/2024"}).content.decode()
    assert "Biểu số 2-BTCTW" in html and "ĐẢNG VIÊN MỚI KẾT NẠP" in html
    assert "Chia theo tuổi đời khi kết nạp" in html and "Từ 18 đến 30 tuổi" in html
    assert "đoàn viên TNCS Hồ Chí Minh (hồ sơ không ghi)" in html
    html = organizer.get(URL.format(4), {"org": "X01", "as_of": "31/12/2024"}).content.decode()
    assert "ĐẢNG VIÊN THEO DÂN TỘC VÀ TÔN GIÁO" in html and "(Có đến ngày 31/12/2024)" in html
    assert "Mông" in html and "Rơ-măm" in html and "Tin Lành" in html and "ĐẢNG BỘ XÃ NÀ HỲ" in html
    assert "33,3" in html  # one Mông member of three: a Vietnamese decimal comma
    html = organizer.get(URL.format(6), {"org": "X01", "year": "2024"}).content.decode()
    assert "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN" in html and "(Năm 2024)" in html
    assert 'name="year"' in html and 'value="2024"' in html
    assert "Hoàn thành xuất sắc nhiệm vụ" in html and 'colspan="9"' in html  # rated: total + 4 levels × 2
    assert organizer.get(URL.format(6), {"org": "X01"}).status_code == 200  # last year by default


def test_the_pages_refuse_bad_input_and_answer_404_outside_the_scope(organizer, people, client, make_user, tree):
    response = organizer.get(URL.format(6), {"org": "X01", "year": "hai nghìn"})
    assert response.status_code == 400 and "2024" in response.content.decode()  # "một số như 2024"
    assert organizer.get(URL.format(6), {"org": "X01", "year": "1800"}).status_code == 400
    assert organizer.get(URL.format(2), {"org": "X01", "from": "31/12/2024", "to": "01/01/2024"}).status_code == 400
    assert organizer.get(URL.format(4), {"org": "X01", "as_of": "32/01/2024"}).status_code == 400
    client.force_login(make_user("chibo", tree["X02"], "secretary"))
    for n, query in ((2, {}), (4, {"format": "xlsx"}), (6, {"year": "2024", "format": "json"})):
        assert client.get(URL.format(n), {"org": "X01", **query}).status_code == 404


def test_the_pages_download_the_workbooks_and_the_json(organizer, people):
    response = organizer.get(URL.format(6), {"org": "X01", "year": "2024", "format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="bieu-6-btctw-X01-2024.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.title == "6-BTCTW"
    data = json.loads(organizer.get(URL.format(4), {"org": "X01", "as_of": "2024-12-31", "format": "json"}).content)
    assert data["rows"][0]["values"] == {"members": 3, "female": 1, "share": 100.0}
    assert {c["key"] for c in data["columns"] if c.get("ratio")} == {"share"}


def test_the_workbook_of_form_6_has_three_header_rows_and_percentages(people):
    ws = _workbook(build_form(6, people["X01"], year=2024))
    merged = {str(r) for r in ws.merged_cells.ranges}
    # STT, label, total down three rows; "assessed and rated" over 9 columns; each level over 2; the 5 causes of
    # "not completed"; not rated over 3 (total, founded less than 6 months before, exempted)
    assert {"A7:A9", "B7:B9", "C7:C9", "D7:L7", "D8:D9", "E8:F8", "K8:L8", "M7:Q7", "M8:M9", "Q8:Q9", "R7:T7",
            "R8:R9", "T8:T9"} <= merged
    assert ws["M7"].value == "Trong đó không hoàn thành nhiệm vụ, theo nguyên nhân" and ws["P8"].value == "Bị kỷ luật trong năm"
    assert [ws.cell(8, c).value for c in (18, 19, 20)] == ["Tổng số", "Trong đó thành lập dưới 6 tháng",
                                                          "Trong đó miễn công tác và sinh hoạt đảng"]
    assert ws["D7"].value == "Đã đánh giá, xếp loại" and ws["E8"].value == "Hoàn thành xuất sắc nhiệm vụ"
    assert [ws.cell(9, c).value for c in (5, 6)] == ["Số lượng", "Tỷ lệ (%)"]
    assert [ws.cell(10, c).value for c in (1, 2, 3, 4)] == ["A", "B", "1", "2"]
    members = next(r for r in range(11, 20) if ws.cell(r, 2).value == "Đảng viên")
    assert [ws.cell(members, c).value for c in (3, 4, 5, 6, 13, 16, 18, 19, 20)] == [3, 3, 1, 33.3, None, 0, 0, None, 0]
    assert ws.cell(members, 6).number_format == "0.0" and ws.cell(members, 5).number_format == "#,##0"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$7:$10"
    assert ws["A5"].value == "(Năm 2024)"
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "NGƯỜI LẬP BIỂU" in texts and "TRƯỞNG BAN" in texts


def test_the_workbooks_of_forms_2_and_4(people):
    ws = _workbook(build_form(4, people["X01"], as_of=T))
    assert ws.title == "4-BTCTW"
    assert {"A7:A8", "B7:B8", "C7:D7", "E7:E8"} <= {str(r) for r in ws.merged_cells.ranges}
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in (3, 4, 5)] for r in range(10, ws.max_row + 1)}
    assert rows["Mông"] == [1, 1, 33.3] and rows["Kinh"] == [1, 0, 33.3] and rows["Ba-na"] == [0, 0, 0.0]
    assert len([k for k in rows if k]) > 60
    ws = _workbook(build_form(2, people["X01"], date_from=F, date_to=T))
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in (3, 4, 5)] for r in range(10, ws.max_row + 1)}
    assert rows["Đảng viên kết nạp trong kỳ"] == [1, 0, None]
    assert rows["Trong đó: đoàn viên TNCS Hồ Chí Minh (hồ sơ không ghi)"] == [None, None, None]
    assert rows["Nông dân"] == [1, 0, None]


def test_the_api_gives_the_forms(people, make_user):
    api = APIClient()
    api.force_authenticate(make_user("tochuc", people["H01"], "organizer"))
    two = api.get("/api/reports/forms/2/", {"org": "X01", "from": "2024-01-01", "to": "2024-12-31"}).json()
    assert two["form"] == {"number": 2, "code": "2-BTCTW", "title": "Đảng viên mới kết nạp"}
    assert {r["key"]: r["values"]["current"] for r in two["rows"]}["ethnic_minority"] == 1
    four = api.get("/api/reports/forms/4/", {"org": "H01", "as_of": "2024-12-31"}).json()
    assert four["as_of"] == "2024-12-31" and four["rows"][0]["values"]["members"] == 4
    six = api.get("/api/reports/forms/6/", {"org": "X01", "year": 2024})
    assert six.status_code == 200 and six.json()["year"] == 2024
    assert {r["key"]: r["values"]["rated"] for r in six.json()["rows"]}["members"] == 3
    assert api.get("/api/reports/forms/6/", {"org": "X01", "year": "abc"}).status_code == 400
    assert api.get("/api/reports/forms/6/", {"org": "X01", "year": 1800}).status_code == 400
    assert api.get("/api/reports/forms/6/", {"org": "X01"}).status_code == 200  # last year
    assert api.get("/api/reports/forms/4/", {"org": "NOPE"}).status_code == 404


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


def test_the_command_writes_forms_2_4_6(run, people, tmp_path):
    code, out, err = run("--number", "6", "--org", "X01", "--year", "2024")
    assert code == 0, err
    assert {r["key"]: r["values"]["rated"] for r in json.loads(out)["rows"]}["members"] == 3
    code, out, err = run("--number", "2", "--org", "X01", "--from", "2024-01-01", "--to", "2024-12-31")
    assert code == 0 and json.loads(out)["form"]["code"] == "2-BTCTW"
    path = tmp_path / "bieu4.xlsx"
    code, out, err = run("--number", "4", "--org", "H01", "--as-of", "2024-12-31", "--format", "xlsx",
                         "--output", str(path))
    assert code == 0, err
    assert openpyxl.load_workbook(path).active.title == "4-BTCTW"


@pytest.mark.parametrize("args,fragment", [
    (("--number", "6", "--org", "X01"), "--year"),
    (("--number", "6", "--org", "X01", "--as-of", "2024-12-31"), "dùng --year"),
    (("--number", "6", "--org", "X01", "--year", "20x4"), "2024"),
    (("--number", "2", "--org", "X01", "--year", "2024"), "không dùng --year"),
    (("--number", "4", "--org", "X01", "--year", "2024"), "không dùng --year"),
])
def test_the_command_exits_1_with_a_vietnamese_message_on_bad_input(run, people, args, fragment):
    code, out, err = run(*args)
    assert code == 1
    assert err.startswith("Lỗi: ") and "Traceback" not in err
    assert fragment in err


def test_form_6_names_the_rule_values_of_the_year_in_force(organizer, tree, settings, tmp_path):
    """"Founded less than N months before" and the targets' cause name the value of the year's rules, as the count
    reads it — never a literal: an administrator's setting of the months (UNCONFIRMED under QĐ 132, 2018) shows in
    the heading, the note, the workbook and the page, and counts a cell of 8 months as founded recently."""
    from dangvu.core.audit import audit_context
    from dangvu.organizations.models import OrganizationKind
    from dangvu.organizations.services import organization_establish
    from dangvu.reports.statforms import FORMS

    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text("not_rated_min_months = 9\n")
    with audit_context(source="system"):
        organization_establish(code="C03", name="Chi bộ bản Mới", kind=OrganizationKind.SUBORDINATE_CELL,
                               parent=tree["X01"], established_on=D(2018, 5, 1))  # 8 months before 31/12/2018
    data = build_form(6, tree["X01"], year=2018)
    labels = {c["key"]: c["label"] for c in data["columns"]}
    assert labels["not_rated_new"] == "Trong đó thành lập dưới 9 tháng"
    row = next(r for r in data["rows"] if r["key"] == "subordinate_cells")
    assert row["values"]["not_rated_new"] == 1  # the count reads the same value
    assert "chưa đủ 9 tháng tính đến cuối năm" in FORMS[6].note_for(2018)
    ws = _workbook(data)
    texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert "Trong đó thành lập dưới 9 tháng" in texts and any("chưa đủ 9 tháng" in t for t in texts)
    assert not any("6 tháng" in t for t in texts)
    printed = form_pdf.context(data)
    assert "chưa đủ 9 tháng" in printed["note"]
    assert "Trong đó thành lập dưới 9 tháng" in [c.label for cells in printed["header_rows"] for c in cells]
    html = organizer.get(URL.format(6), {"org": "X01", "year": "2018"}).content.decode()
    assert "Trong đó thành lập dưới 9 tháng" in html and "chưa đủ 9 tháng" in html and "6 tháng" not in html
    assert labels["not_completed_targets"] == "Không đạt chỉ tiêu (hồ sơ không ghi)"  # no share of targets in 2018
    for year, share in ((2024, "50%"), (2025, "70%")):  # QĐ 124, then QĐ 366
        labels = {c["key"]: c["label"] for c in build_form(6, tree["X01"], year=year)["columns"]}
        assert labels["not_completed_targets"] == f"Dưới {share} chỉ tiêu (hồ sơ không ghi)"
        assert labels["not_rated_new"] == "Trong đó thành lập dưới 6 tháng"  # confirmed there: the setting is ignored
