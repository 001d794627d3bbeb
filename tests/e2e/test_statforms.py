"""The statistics forms 2, 4 and 6 in a real browser: the printed layout (merged headers, Vietnamese
numbers, percentages with a decimal comma), the year field of form 6 and the tabs between forms."""

import datetime as dt

import pytest

from tests.e2e.test_walkthrough import district, login  # noqa: F401 - fixtures and helpers shared

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rated(district, make_member):  # noqa: F811
    from dangvu.assessment.services import record_rating

    make_member(district["C01"], name="Vàng Thị Dua", admitted_on=dt.date(2024, 4, 2), sex="F", ethnicity="Mông",
                religion="Tin Lành", general_education="9/12", occupation="Nông dân", birth_date=dt.date(2001, 6, 1))
    for code, label in (("DV001", "Hoàn thành xuất sắc nhiệm vụ"), ("DV002", "Hoàn thành tốt nhiệm vụ")):
        from dangvu.members.models import Member

        record_rating(year=2024, member=Member.objects.get(code=code), label=label)
    return district


def test_forms_2_4_6_are_drawn_as_printed(page, live_server, rated, shot):
    login(page, live_server)
    page.goto(f"{live_server.url}/reports/forms/2/?org=X01&from=01/01/2024&to=31/12/2024")
    table = page.locator("table.statform-table")
    assert table.locator('tr[data-key="admitted"] td').nth(2).inner_text() == "1"
    assert "hồ sơ không ghi" in table.locator('tr[data-key="youth_union"]').inner_text()
    shot("statform-2")
    page.click("nav.tabs >> text=Biểu 4-BTCTW")
    page.wait_for_url("**/reports/forms/4/**")
    page.fill("#id_as_of", "31/12/2024")
    page.click("form.toolbar button[type=submit]")
    page.wait_for_url("**as_of=31%2F12%2F2024**")
    assert page.locator('tr[data-key="ethnicity_08"] td').nth(4).inner_text() == "33,3"  # 1 Mông of 3
    shot("statform-4")
    page.goto(f"{live_server.url}/reports/forms/6/?org=X01")
    page.fill("#id_year", "2024")
    page.click("form.toolbar button[type=submit]")
    page.wait_for_url("**year=2024**")
    head = page.locator("table.statform-table thead tr")
    assert head.count() == 4  # three rows of merged headers and the line of column codes
    cells = page.locator('tr[data-key="members"] td')
    assert [cells.nth(i).inner_text() for i in (2, 3, 4, 5)] == ["3", "2", "1", "50,0"]
    shot("statform-6")


def test_a_form_of_one_page_on_paper_prints_on_one_page_of_a4_landscape(page, live_server, rated):
    """The browser's print of the form pages (print style, @page A4 landscape): forms 1, 5, 6 and 7 on one
    page each, as on paper; form 4 (the 54 groups) on several, its header rows repeated."""
    import io

    from pypdf import PdfReader

    from dangvu.reports import statforms

    login(page, live_server)
    dates = {"period": "from=01/01/2024&to=31/12/2024", "day": "as_of=31/12/2024", "year": "year=2024"}
    for number, spec in statforms.FORMS.items():
        query = dates["year" if spec.yearly else "period" if spec.period else "day"]
        page.goto(f"{live_server.url}/reports/forms/{number}/?org=H01&{query}")
        page.emulate_media(media="print")
        reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
        box = reader.pages[0].mediabox
        assert float(box.width) > float(box.height)  # landscape
        if spec.pages == 1:
            assert len(reader.pages) == 1, number
        elif number == 4:
            assert len(reader.pages) > 1 and "STT" in reader.pages[1].extract_text()  # the header repeated
        page.emulate_media(media="screen")
