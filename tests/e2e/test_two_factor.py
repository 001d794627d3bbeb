"""The second factor in a real browser: an organizer's first login enrols an authenticator (the key
read off the page, as a phone would), shows the recovery codes; the next login asks the 6-digit code.
No page breaks the Content-Security-Policy on the way."""

import time
from pathlib import Path

import pyotp
import pytest

from tests.e2e.auth import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots")


def test_an_organizer_enrols_an_authenticator_then_logs_in_with_its_code(page, live_server, tree, make_user,
                                                                         make_member, shot):
    make_member(tree["C01"], name="Nguyễn Văn An")
    make_user("bantochuc", tree["H01"], "organizer")
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    def log_in():
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "bantochuc")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.locator("form:has(#id_username) button[type=submit]").click()

    log_in()
    assert "/accounts/2fa/enrol/" in page.url
    assert page.locator(".otp-qr svg").is_visible()
    shot("2fa-01-enrol")
    secret = page.locator(".otp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.fill("#id_code", "000000" if totp.now() != "000000" else "111111")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.locator(".field-error").is_visible()  # a wrong code: the same page, with the reason
    time.sleep(1.1)  # django-otp holds the next try back a second after a wrong code
    page.fill("#id_code", totp.now())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.locator(".otp-codes li").count() == 10
    shot("2fa-02-recovery-codes")
    with page.expect_navigation():
        page.locator(".auth-body a.btn-primary").click()
    assert page.url == f"{live_server.url}/"

    page.locator("form.logout button[type=submit]").first.click()
    page.wait_for_url("**/accounts/login/**")
    log_in()
    assert "/accounts/2fa/" in page.url and "/enrol/" not in page.url
    # the code of the next period: the one of this period was spent on the enrolment (no replay)
    page.fill("#id_code", totp.at(time.time() + 30))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "2fa.png"))
    shot("2fa-03-verify")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.url == f"{live_server.url}/"
    page.goto(f"{live_server.url}/members/")
    page.fill("input[name=search]", "nguyen van an")  # an htmx reload, with eval off
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Nguyễn Văn An").first.is_visible()
    page.goto(f"{live_server.url}/organizations/")
    assert violations == []
