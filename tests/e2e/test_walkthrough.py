"""A new user's first session, in a real browser: log in, browse the tree, change the date, search
a name without accents, open a member, edit a field and see it in the history, import a workbook
with an error and then a correct one; a discipline case that holds back a transfer until it is closed."""

import datetime as dt
from pathlib import Path

import pytest

from tests.e2e import auth

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
PASSWORD = "Mat-khau-an-toan-2026"


@pytest.fixture
def district(tree, make_member, make_user):
    make_member(tree["C01"], name="Nguyễn Văn An", made_official_on=dt.date(2016, 5, 19), code="DV001")
    make_member(tree["C02"], name="Lò Thị Bình", made_official_on=dt.date(2016, 5, 19), code="DV002", sex="F",
                ethnicity="Thái")
    make_member(tree["X02"], name="Giàng A Páo", code="DV003", ethnicity="Mông")
    make_user("bantochuc", tree["H01"], "organizer")
    return tree


def login(page, live_server, username="bantochuc"):
    auth.login(page, live_server.url, username, PASSWORD)
    page.wait_for_url(f"{live_server.url}/")


def test_new_user_walkthrough(page, live_server, district, shot):
    login(page, live_server)
    shot("01-dashboard")
    assert page.locator("h1").first.is_visible()

    # the tree today, then as it stood before the cells were established
    page.goto(f"{live_server.url}/organizations/")
    page.click('a.tree-open[href*="under=X01"]')  # the cells of a commune: the tree under it
    page.wait_for_url("**under=X01**")
    assert page.get_by_text("Chi bộ bản Nà Hỳ 1").first.is_visible()
    shot("02-tree-today")
    page.goto(f"{live_server.url}/organizations/?as_of=31/12/2011")
    assert page.get_by_text("Chi bộ bản Nà Hỳ 1").count() == 0
    shot("03-tree-2011")

    # search without diacritics
    page.goto(f"{live_server.url}/members/")
    page.fill("input[name=search]", "nguyen van an")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Nguyễn Văn An").first.is_visible()
    assert page.get_by_text("Lò Thị Bình").count() == 0
    shot("04-search")

    # open the member, edit a field, see it in the change history
    page.get_by_text("Nguyễn Văn An").first.click()
    page.wait_for_url("**/members/DV001/")
    shot("05-member")
    page.goto(f"{live_server.url}/members/DV001/edit/")
    page.fill("input[name=occupation]", "Giáo viên")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/members/DV001/")
    page.goto(f"{live_server.url}/members/DV001/?tab=history")
    assert page.get_by_text("Giáo viên").first.is_visible()
    shot("06-history")


def _workbook(path, birth):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ToChuc"
    ws.append(["Mã", "Tên", "Loại", "Mã cấp trên", "Ngày thành lập"])
    ws.append(["C09", "Chi bộ bản Huổi Lếch", "Chi bộ trực thuộc", "X01", "01/03/2013"])
    ws2 = wb.create_sheet("DangVien")
    ws2.append(["Mã", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"])
    ws2.append(["DV900", "Vàng Thị Dua", birth, "Nữ", "Mông", "03/02/2018", "03/02/2019", "C09"])
    wb.save(path)
    return path


def test_import_with_an_error_then_a_correct_workbook(page, live_server, district, shot, tmp_path):
    from dangvu.members.models import Member

    login(page, live_server)
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("input[type=file]", str(_workbook(tmp_path / "loi.xlsx", "31/02/1990")))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    shot("07-import-errors")
    assert page.get_by_text("DangVien").first.is_visible()
    assert page.locator("text=Ngày sinh").first.is_visible()
    assert page.locator("button:has-text('Xác nhận')").count() == 0
    assert not Member.objects.filter(code="DV900").exists()

    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("input[type=file]", str(_workbook(tmp_path / "dung.xlsx", "12/09/1990")))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    shot("08-import-preview")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    shot("09-import-done")
    assert Member.objects.filter(code="DV900", cell__code="C09").exists()


def test_an_inspector_opens_a_discipline_case_and_the_member_cannot_be_transferred_until_it_closes(
        page, live_server, district, make_user, shot):
    from dangvu.lifecycle.models import DisciplineCase

    make_user("ubkt", district["H01"], "inspector")
    login(page, live_server, "ubkt")
    page.goto(f"{live_server.url}/members/DV001/")
    assert page.locator(".member-actions a:has-text('Chuyển sinh hoạt')").count() == 0  # an inspector does not transfer
    page.click("a:has-text('Mở vụ việc kỷ luật')")
    page.fill("input[name=opened_on]", "02/03/2024")
    page.fill("input[name=authority]", "UBKT Huyện ủy Mường Lay")
    page.fill("textarea[name=violation]", "Vi phạm quy định về những điều đảng viên không được làm")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/members/DV001/")  # back to the member the case was opened from
    page.goto(f"{live_server.url}/lifecycle/todo/")
    assert page.locator("#todo-discipline-cases").get_by_text("Nguyễn Văn An").is_visible()
    shot("10-discipline-case-todo")
    page.goto(f"{live_server.url}/members/DV001/")
    assert page.locator("#discipline-case").get_by_text("02/03/2024").is_visible()
    shot("11-discipline-case-member")

    # the organizer cannot issue a transfer letter while the case is open, with the reason
    page.context.clear_cookies()
    login(page, live_server)
    page.goto(f"{live_server.url}/lifecycle/members/DV001/transfer/")
    page.select_option("select[name=kind]", "official")
    page.fill("input[name=issued_on]", "01/04/2024")
    page.click(".org-picker-search")  # the receiving chi bộ is found by its name
    page.keyboard.type("na hy 2")
    page.keyboard.press("Enter")
    assert page.input_value("input[name=to_cell]") == "C02"
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-error").get_by_text("kỷ luật").first.is_visible()
    shot("12-transfer-refused")

    page.goto(f"{live_server.url}/lifecycle/members/DV001/close-discipline-case/")
    page.fill("input[name=closed_on]", "15/03/2024")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/members/DV001/")
    assert DisciplineCase.objects.get().outcome == "no_discipline"
    page.goto(f"{live_server.url}/members/DV001/")
    assert page.locator("#discipline-case").count() == 0
    assert page.locator(".member-actions a:has-text('Chuyển sinh hoạt')").count() == 1
