"""The rating sheet of the organizations a committee decides: who is on it (the subordinate chi bộ of a
grassroots committee, the grassroots organizations of a district), decided on the page in one write,
the hard limits refused on their rows, the role and the scope."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangvu.assessment.models import Rating
from dangvu.assessment.selectors_org import organization_sheet

D = dt.date
DECISION = {"decided_on": "20/01/2025", "decision_number": "15-QĐ/HU", "issued_by": "Ban Thường vụ Huyện ủy"}


def _page(cycle):
    return reverse("assessment:organizations", kwargs={"pk": cycle.pk})


def _post(tree, levels: dict, **limits):
    data = dict(DECISION)
    for code, key in levels.items():
        data[f"level-{tree[code].pk}"] = key
    for name, value in limits.items():
        field, code = name.rsplit("_", 1)
        data[f"{field}-{tree[code].pk}"] = value
    return data


def test_a_district_rates_its_grassroots_organizations_and_a_commune_its_cells(tree, rated):
    district = organization_sheet(rated["cycles"][("H01", 2024)], D(2024, 12, 31))
    assert [(r.code, r.units) for r in district.rows] == [("X01", 2), ("X02", None)]
    commune = organization_sheet(rated["cycles"][("X01", 2024)], D(2024, 12, 31))
    assert [r.code for r in commune.rows] == ["C01", "C02"]
    assert {r.group for r in commune.rows} == {"subordinate_cells"}


def test_the_district_decides_on_the_page_in_one_write(client, make_user, tree, rated):
    cycle = rated["cycles"][("H01", 2024)]
    client.force_login(make_user("bantochuc_h", tree["H01"], "organizer"))
    page = client.get(_page(cycle))
    assert page.status_code == 200 and "Đảng bộ xã Nà Hỳ" in page.content.decode()
    assert 'name="decision_number"' in page.content.decode()  # the decision's own fields
    response = client.post(_page(cycle), _post(tree, {"X01": "good", "X02": "excellent"}))
    assert response.status_code == 302
    ratings = {r.organization.code: r for r in Rating.objects.filter(year=2024).select_related("organization")}
    assert {c: r.key for c, r in ratings.items()} == {"X01": "good", "X02": "excellent"}
    assert {r.decided_by_id for r in ratings.values()} == {tree["H01"].pk}
    again = client.get(_page(cycle)).content.decode()
    assert "Hoàn thành tốt nhiệm vụ" in again  # the decided level shown on its row


def test_a_hard_limit_is_refused_on_its_row_and_nothing_is_saved(client, make_user, tree, rated):
    cycle = rated["cycles"][("H01", 2024)]
    client.force_login(make_user("bantochuc_h", tree["H01"], "organizer"))
    response = client.post(_page(cycle), _post(tree, {"X01": "good", "X02": "good"}, units_X01=2,
                                               disciplined_X01=1))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="sheet-errors"' in body
    row = body.split('data-org="X01"')[1].split("</tr>")[0]
    assert '</select><div class="field-error">' in row and "field-error" not in body.split('data-org="X02"')[1].split("</tr>")[0]
    assert not Rating.objects.exists()


def test_only_a_deciding_role_of_the_committee_saves(client, make_user, tree, rated):
    cycle = rated["cycles"][("X01", 2024)]
    client.force_login(make_user("viewer_x01", tree["X01"], "viewer"))
    assert client.get(_page(cycle)).status_code == 200
    assert client.post(_page(cycle), _post(tree, {"C01": "good"})).status_code == 403
    client.force_login(make_user("bithu_c01", tree["C01"], "secretary"))  # a chi bộ under the committee
    assert client.post(_page(cycle), _post(tree, {"C01": "good"})).status_code == 404
    assert not Rating.objects.exists()
    client.force_login(make_user("bithu_x01", tree["X01"], "secretary"))  # the deciding committee's secretary
    assert client.post(_page(cycle), _post(tree, {"C01": "good"})).status_code == 302
    assert Rating.objects.get().organization == tree["C01"]
    client.force_login(make_user("bantochuc_x02", tree["X02"], "organizer"))
    assert client.get(_page(cycle)).status_code == 404  # another grassroots organization's cycle
