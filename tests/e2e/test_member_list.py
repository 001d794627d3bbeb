"""The member list in a real browser: the organization filter is a tree of the scope loaded a level at a
time, and a search by name (typed without accents); the columns sort the list."""

import pytest

from tests.e2e.test_walkthrough import district, login  # noqa: F401 - fixtures and helpers shared

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_organization_picker_filters_the_tree_and_the_list(page, live_server, district, shot):  # noqa: F811
    login(page, live_server)
    page.goto(f"{live_server.url}/members/")
    assert page.locator("select[name=org]").count() == 0
    page.click(".org-picker-search")  # the top of the scope, opened on its children; the rest loaded on demand
    page.wait_for_selector('.org-picker-list li[data-code="X01"]')
    assert page.get_attribute('.org-picker-list li[data-code="H01"] .org-picker-toggle', "aria-expanded") == "true"
    page.click('.org-picker-list li[data-code="X01"] .org-picker-toggle')
    page.wait_for_selector('.org-picker-list li[data-code="C02"]')
    options = page.locator(".org-picker-list li[data-code]:visible")
    assert [o.get_attribute("data-code") for o in options.all()] == ["", "H01", "X02", "X01", "C01", "C02"]  # by name
    shot("member-list-org-picker-tree")
    page.keyboard.type("na hy 2")  # no accents: a search by name
    page.wait_for_selector('.org-picker-list li.match[data-code="C02"]')
    options = page.locator(".org-picker-list li[data-code]:visible")
    assert [o.get_attribute("data-code") for o in options.all()] == ["C02"]
    shot("member-list-org-picker")
    page.keyboard.press("Enter")
    page.wait_for_url("**org=C02**")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Lò Thị Bình").first.is_visible() and page.get_by_text("Nguyễn Văn An").count() == 0
    assert page.input_value(".org-picker-search") == "Chi bộ bản Nà Hỳ 2"

    page.goto(f"{live_server.url}/members/")
    page.locator("th a.sort-link").filter(has_text="Mã").click()
    page.wait_for_url("**sort=code**")
    page.locator("th a.sort-link").filter(has_text="Mã").click()
    page.wait_for_url("**sort=-code**")
    page.wait_for_load_state("networkidle")
    codes = page.locator("#member-table tbody tr td:first-child").all_inner_texts()
    assert codes == sorted(codes, reverse=True) and len(codes) == 3
    shot("member-list-sorted")
