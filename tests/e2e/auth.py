"""Logging in through the pages in browser tests, the second factor included (admins, organizers)."""

from __future__ import annotations

PASSWORD = "Mat-khau-an-toan-2026"


def totp_code(device, steps_ahead: int = 0) -> str:
    """The code an authenticator application shows for `device` now (or `steps_ahead` periods later)."""
    import time

    from django_otp.oath import TOTP

    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time = time.time() + steps_ahead * device.step
    return f"{t.token():0{device.digits}d}"


def login(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in by the login page; on the second step, enrol (the code of the new authenticator) or give a
    recovery code made for the test. Ends on the page the login leads to."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice

    from dangvu.accounts.services import totp_device_pending

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form:has(#id_username) button[type=submit]").click()
    if "/accounts/2fa/" not in page.url:
        return
    user = get_user_model().objects.get(username=username)
    if "/accounts/2fa/enrol/" in page.url:
        page.fill("#id_code", totp_code(totp_device_pending(user)))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        with page.expect_navigation():
            page.locator(".auth-body a.btn-primary").click()
        return
    device, _ = StaticDevice.objects.get_or_create(user=user, name="e2e", defaults={"confirmed": True})
    token = device.token_set.create(token=f"e2e{device.token_set.count():05d}")
    page.fill("#id_code", token.token)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
