"""The comparison page in a real browser: the communes of a district side by side, sorted by the share of
women members by a click on that row, then a statistics form's cell opening the list it counts."""

import datetime as dt

import pytest

from tests.e2e.test_walkthrough import PASSWORD, login  # noqa: F401 - shared helpers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
D = dt.date


@pytest.fixture
def district(tree, make_member, make_user):
    from dangvu.core.audit import audit_context
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    with audit_context(source="system"):
        x3 = organization_establish(code="X03", name="Chi bộ xã Mường Tùng", kind=K.GRASSROOTS_CELL,
                                    parent=tree["H01"], established_on=D(2012, 1, 1), unit_kind="xa")
        for i, (cell, sex, ethnicity) in enumerate(
                [(tree["C01"], "F", "Thái")] * 3 + [(tree["C02"], "M", "Kinh")] * 4 + [(tree["X02"], "F", "Kinh")] * 2
                + [(tree["X02"], "M", "Mông")] * 3 + [(x3, "F", "Mông")] * 5 + [(x3, "M", "Thái")] * 1):
            make_member(cell, name=f"Lò Văn {chr(65 + i)}", sex=sex, ethnicity=ethnicity,
                        admitted_on=D(2024, 3, 1) if i % 4 == 0 else D(2015, 5, 19),
                        made_official_on=None if i % 4 == 0 else D(2016, 5, 19))
    make_user("xemhuyen", tree["H01"], "viewer")
    return tree


def test_compare_the_communes_by_the_share_of_women(page, live_server, district, shot):
    login(page, live_server, "xemhuyen")
    page.goto(f"{live_server.url}/reports/compare/?org=H01&report=snapshot&mode=subunits")
    table = page.locator("table.compare-table")
    assert table.is_visible()
    heads = [h.strip() for h in page.locator("table.compare-table thead th").all_inner_texts()]
    assert heads[1] == "Toàn đơn vị" and len(heads) == 5
    with page.expect_navigation():
        page.locator("tr[data-key='members.female'] th a").click()
    heads = [h.strip() for h in page.locator("table.compare-table thead th").all_inner_texts()]
    # X03: 5 women of 6 (83,3%); X02: 2 of 5 (40%); X01: 3 of 7 (42,9%)
    assert heads[2:] == ["Chi bộ xã Mường Tùng", "Đảng bộ xã Nà Hỳ", "Chi bộ Trường THCS Nà Bủng"]
    assert "83,3%" in page.locator("tr[data-key='members.female']").inner_text()
    shot("compare-subunits-women")
    page.goto(f"{live_server.url}/reports/compare/?org=H01&report=form-1&mode=periods")
    assert page.locator("table.compare-table tbody tr").count() > 10
    shot("compare-form-1-periods")
    page.goto(f"{live_server.url}/reports/forms/5/?org=H01")
    cell = page.locator("tr[data-key='xa'] td.num a").last
    number = cell.inner_text().strip()
    assert number == "13"  # X01 and X03 are communes (xã): 7 + 6 members
    with page.expect_navigation():
        cell.click()
    assert f"({number})" in page.locator("#assessment-list h2").inner_text()  # the list holds the cell's number
    assert page.locator("#assessment-list tbody tr").count() == 13
    assert "Đảng viên chính thức" in page.locator("#assessment-list tbody").inner_text()  # the status, in words
    shot("drilldown-form-5")
