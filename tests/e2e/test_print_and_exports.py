"""Printing a report and a large export in a real browser: the print button, the print style (the
official header and signature block, no menus), and an export over the threshold prepared as a job,
announced in the menu and downloaded from "My exports"."""

import datetime as dt

import pytest

from tests.e2e import auth
from tests.e2e.conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def district(tree, make_member, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_PLACE = "Mường Lay"
    for i in range(3):
        make_member(tree["C01"], code=f"NH{i:03d}", made_official_on=dt.date(2016, 5, 19))
    make_user("xem", tree["X01"], "viewer")
    return tree


def test_a_report_prints_with_the_official_header_and_signature(page, live_server, district):
    auth.login(page, live_server.url, "xem")
    page.add_init_script("window.print = function () { window.__printed = (window.__printed || 0) + 1; };")
    page.goto(f"{live_server.url}/reports/snapshot/?org=X01&as_of=31/12/2024")
    page.click("[data-print]")
    assert page.evaluate("window.__printed") == 1
    assert not page.locator(".print-letterhead").is_visible()  # on screen: not shown
    page.emulate_media(media="print")
    assert page.locator(".print-letterhead").is_visible() and page.locator(".print-signature").is_visible()
    head = page.inner_text(".print-letterhead")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in head and "ĐẢNG BỘ XÃ NÀ HỲ" in head and "ĐẢNG BỘ HUYỆN MƯỜNG LAY" in head
    assert "Mường Lay, ngày" in head
    assert "TRƯỞNG BAN" in page.inner_text(".print-signature")
    for hidden in (".sidebar", ".topbar", "[data-print]", ".toolbar"):
        assert not page.locator(hidden).first.is_visible(), hidden
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-print.png"), full_page=True)
    page.pdf(path=str(ARTIFACTS / "report-print.pdf"), landscape=True, format="A4", print_background=True)
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/reports/forms/1/?org=X01&from=01/01/2024&to=31/12/2024")
    page.emulate_media(media="print")
    assert page.locator(".print-signature").is_visible() and page.locator(".print-letterhead").count() == 0
    assert "Mường Lay, ngày" in page.inner_text(".print-signature")
    page.pdf(path=str(ARTIFACTS / "form-1-print.pdf"), landscape=True, format="A4")


def test_a_large_export_is_announced_in_the_menu_and_downloaded(page, live_server, district, settings):
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    auth.login(page, live_server.url, "xem")
    page.goto(f"{live_server.url}/reports/snapshot/?org=X01&as_of=31/12/2024")
    page.click("text=Tải Excel")
    page.wait_for_url("**/reports/exports/")
    assert "gồm nhiều đảng viên" in page.inner_text(".messages")
    page.wait_for_selector("#exports-notice .badge")
    assert page.inner_text("#exports-notice .badge") == "1"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "my-exports.png"))
    with page.expect_download() as info:
        page.click("#exports-list a:has-text('Tải về')")
    assert info.value.suggested_filename.endswith(".xlsx")
    page.reload()
    assert page.locator("#exports-notice .badge").count() == 0
