"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser)."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is required for browser tests in CI (apt-get install chromium)")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def shot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shot(name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    return _shot
