"""The dashboard's charts in a real browser: Chart.js (vendored) draws the four trend charts under the
Content-Security-Policy (no inline script: the data comes from json_script), without a console error; a
click on a point opens the list it counts; in print the charts and their tables stay."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.test_walkthrough import district, login  # noqa: F401 - fixtures and helpers shared

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rated(district, make_member):  # noqa: F811
    from dangvu.assessment.services import record_rating

    year = timezone.localdate().year - 1
    for i, label in enumerate(("HTXSNV", "HTTNV", "HTTNV", "HTNV")):
        m = make_member(district["C01"], name=f"Đảng viên {i}", admitted_on=dt.date(2018 + i, 3, 1),
                        made_official_on=dt.date(2019 + i, 3, 1), code=f"DV1{i:02d}")
        record_rating(year=year, label=label, member=m, source="import")
    return district


def test_the_dashboard_draws_its_charts_and_prints_them(page, live_server, rated, shot):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server)
    page.wait_for_selector("#chart-members")
    page.wait_for_function("window.Chart && Object.keys(Chart.instances).length === 4")
    for key in ("members", "admitted", "shares", "levels"):
        canvas = page.locator(f"#chart-{key}")
        assert canvas.is_visible()
        box = canvas.bounding_box()
        assert box["width"] > 200 and box["height"] > 150
        assert page.evaluate(f"Chart.getChart('chart-{key}').data.datasets.length") >= 1
    # the canvas holds drawn pixels (not a blank bitmap)
    assert page.evaluate("""(() => { const c = document.getElementById('chart-members');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()""") > 1000
    assert page.locator("#figure-members table a").first.get_attribute("href").startswith("/reports/snapshot/?org=H01")
    page.locator("#dashboard-trends").scroll_into_view_if_needed()
    shot("dashboard-charts")
    assert errors == []

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 800, "height": 1130})
    page.wait_for_timeout(300)
    assert page.locator(".sidebar").is_hidden() and page.locator("#chart-levels").is_visible()
    assert page.locator("#figure-levels table").is_visible()
    page.locator("#dashboard-trends").scroll_into_view_if_needed()
    shot("dashboard-charts-print")
    assert errors == []

    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(300)
    point = page.evaluate("""(() => { const ch = Chart.getChart('chart-members'); const el = ch.getDatasetMeta(0).data.at(-1);
        const r = ch.canvas.getBoundingClientRect(); return {x: r.left + el.x, y: r.top + el.y}; })()""")
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    assert "/reports/snapshot/?org=H01" in page.url
