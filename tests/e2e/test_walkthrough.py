"""A new user's first session, in a real browser: log in, browse the tree, change the date, search
a name without accents, open a member, edit a field and see it in the history, import a workbook
with an error and then a correct one."""

import datetime as dt
from pathlib import Path

import pytest

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


def login(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "bantochuc")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_new_user_walkthrough(page, live_server, district, shot):
    login(page, live_server)
    shot("01-dashboard")
    assert page.locator("h1").first.is_visible()

    # the tree today, then as it stood before the cells were established
    page.goto(f"{live_server.url}/organizations/")
    assert page.get_by_text("Chi bộ bản Nà Hỳ 1").first.is_visible()
    shot("02-tree-today")
    page.goto(f"{live_server.url}/organizations/?as_of=31/12/2011")
    assert page.get_by_text("Chi bộ bản Nà Hỳ 1").count() == 0
    shot("03-tree-2011")

    # search without diacritics
    page.goto(f"{live_server.url}/members/")
    page.fill("input[name=q]", "nguyen van an")
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
