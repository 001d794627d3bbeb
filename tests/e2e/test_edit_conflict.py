"""Two people edit the same member's profile in two browsers: the second save, made on a form opened
before the first one was saved, is refused, says what the other changed, and keeps both (issue 9)."""

from pathlib import Path

import pytest

from dangvu.members.models import Member
from tests.e2e.test_walkthrough import district, login  # noqa: F401 - fixtures and helpers shared

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")


def test_a_save_over_a_newer_version_shows_the_conflict_and_saves_nothing(browser, live_server, district):  # noqa: F811
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        page = context.new_page()
        login(page, live_server)
        page.goto(f"{live_server.url}/members/DV001/edit/")
        pages.append(page)
    first, second = pages

    first.fill("#id_occupation", "Giáo viên")
    first.click("button[type=submit].btn-primary")
    first.wait_for_url(f"{live_server.url}/members/DV001/")

    second.fill("#id_home_town", "Điện Biên")
    second.click("button[type=submit].btn-primary")
    second.wait_for_load_state("networkidle")
    conflict = second.locator("#edit-conflict")
    assert conflict.is_visible()
    assert "Người khác đã lưu hồ sơ này" in conflict.inner_text()
    assert "Giáo viên" in conflict.locator("tbody").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=str(SHOTS / "conflict.png"), full_page=True)
    m = Member.objects.get(code="DV001")
    assert (m.occupation, m.home_town) == ("Giáo viên", "")  # nothing of the second save

    # the form shown again keeps the other's change and this user's own: saving it keeps both
    assert second.input_value("#id_occupation") == "Giáo viên"
    assert second.input_value("#id_home_town") == "Điện Biên"
    second.click("button[type=submit].btn-primary")
    second.wait_for_url(f"{live_server.url}/members/DV001/")
    m.refresh_from_db()
    assert (m.occupation, m.home_town) == ("Giáo viên", "Điện Biên")
    for page in pages:
        page.context.close()
