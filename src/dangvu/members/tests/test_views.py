"""Member web pages: list (search, order, scope, cheap count), detail (personal data, history), forms."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangvu.members.models import Member

pytestmark = pytest.mark.django_db


def names_in_order(html: str) -> list[str]:
    """The full names in the member table, in the order shown."""
    return re.findall(r'<a href="/members/[^/]+/"><strong>([^<]+)</strong></a>', html)


@pytest.fixture
def organizer(tree, make_user):
    return make_user("orgh", tree["H01"], "organizer")


@pytest.fixture
def viewer(tree, make_user):
    return make_user("xem", tree["H01"], "viewer")


def test_search_without_accents_finds_names_with_diacritics(client, tree, make_member, organizer):
    make_member(tree["C01"], name="Nguyễn Văn An")
    make_member(tree["C01"], name="Đặng Thị Hoa")
    make_member(tree["C02"], name="Lò Văn Minh")
    client.force_login(organizer)

    names = names_in_order(client.get(reverse("members:list"), {"search": "nguyen van an"}).content.decode())
    assert names == ["Nguyễn Văn An"]

    names = names_in_order(client.get(reverse("members:list"), {"search": "dang"}).content.decode())
    assert names == ["Đặng Thị Hoa"]


def test_list_is_in_vietnamese_order_by_given_name_whatever_the_family_name(client, tree, make_member, organizer):
    make_member(tree["C01"], name="Trần Văn Đức")
    make_member(tree["C01"], name="Vũ Thị An")
    make_member(tree["C02"], name="Âu Văn Bình")
    make_member(tree["X02"], name="Nguyễn Văn Dũng")
    client.force_login(organizer)

    names = names_in_order(client.get(reverse("members:list")).content.decode())
    assert names == ["Vũ Thị An", "Âu Văn Bình", "Nguyễn Văn Dũng", "Trần Văn Đức"]


def test_member_outside_scope_is_404_and_absent_from_list(client, tree, make_member, make_user):
    inside = make_member(tree["X02"], name="Hà Văn Trong")
    outside = make_member(tree["C01"], name="Lò Văn Ngoài")
    user = make_user("x02", tree["X02"], "organizer")
    client.force_login(user)

    html = client.get(reverse("members:list")).content.decode()
    assert names_in_order(html) == ["Hà Văn Trong"]
    assert outside.code not in html
    assert client.get(reverse("members:detail", args=[outside.code])).status_code == 404
    assert client.get(reverse("members:edit", args=[outside.code])).status_code == 404
    assert client.get(reverse("members:detail", args=[inside.code])).status_code == 200
    # filtering by an organization outside the scope does not reveal anything either
    html = client.get(reverse("members:list"), {"org": "C01"}).content.decode()
    assert outside.code not in html


def test_personal_data_hidden_for_viewer_and_shown_to_organizer(client, tree, make_member, organizer, viewer):
    m = make_member(tree["C01"], name="Nguyễn Văn An", national_id_number="001085012345", phone="0912000111")
    url = reverse("members:detail", args=[m.code])

    client.force_login(viewer)
    html = client.get(url).content.decode()
    assert "Nguyễn Văn An" in html
    assert "001085012345" not in html and "0912000111" not in html
    history = client.get(url, {"tab": "history"}).content.decode()
    assert "001085012345" not in history and "0912000111" not in history

    client.force_login(organizer)
    html = client.get(url).content.decode()
    assert "001085012345" in html and "0912000111" in html


def test_edit_writes_an_audit_entry_shown_on_the_history_tab(client, tree, make_member, organizer):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân")
    client.force_login(organizer)
    url = reverse("members:edit", args=[m.code])
    form = client.get(url).context["form"]
    data = {name: (bf.value() if bf.value() is not None else "") for name, bf in
            ((n, form[n]) for n in form.fields)}
    data["birth_date"] = "02/03/1985"
    data["occupation"] = "Giáo viên"

    response = client.post(url, data)
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.occupation == "Giáo viên"

    html = client.get(reverse("members:detail", args=[m.code]), {"tab": "history"}).content.decode()
    table = html[html.index('id="audit-history"'):]
    assert "Nông dân" in table and "Giáo viên" in table
    assert "orgh" in table  # who
    assert "Trên giao diện" in table  # source from additional_data, in words


def test_bad_date_gives_a_field_error_and_changes_nothing(client, tree, make_member, organizer):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân")
    client.force_login(organizer)
    url = reverse("members:edit", args=[m.code])
    response = client.post(url, {"full_name": "Nguyễn Văn Bê", "birth_date": "31/02/1985", "sex": "M",
                                 "ethnicity": "01", "occupation": "Giáo viên"})
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]
    assert 'id="id_birth_date_error"' in response.content.decode()
    m.refresh_from_db()
    assert (m.full_name, m.occupation, m.birth_date) == ("Nguyễn Văn An", "Nông dân", dt.date(1985, 3, 2))


def test_domain_error_is_shown_under_its_field(client, tree, make_member, organizer):
    m = make_member(tree["C01"], name="Nguyễn Văn An")  # admitted 19/05/2015
    client.force_login(organizer)
    # born after the admission minus 18 years: the service refuses, on field birth_date
    response = client.post(reverse("members:edit", args=[m.code]),
                           {"full_name": "Nguyễn Văn An", "birth_date": "01/01/2000", "sex": "M", "ethnicity": "01"})
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"]
    m.refresh_from_db()
    assert m.birth_date == dt.date(1985, 3, 2)


def test_viewer_cannot_post_edit_or_see_write_forms(client, tree, make_member, viewer):
    m = make_member(tree["C01"], name="Nguyễn Văn An", occupation="Nông dân")
    client.force_login(viewer)
    response = client.post(reverse("members:edit", args=[m.code]),
                           {"full_name": "Nguyễn Văn Bê", "birth_date": "02/03/1985", "sex": "M", "ethnicity": "01"})
    assert response.status_code == 403
    assert client.get(reverse("members:create")).status_code == 403
    assert client.post(reverse("lifecycle:member_action", args=[m.code, "exempt"]),
                       {"ground": "long_medical_treatment", "on": "01/01/2024"}).status_code == 403
    m.refresh_from_db()
    assert m.full_name == "Nguyễn Văn An" and not m.exempted
    html = client.get(reverse("members:detail", args=[m.code])).content.decode()
    assert reverse("members:edit", args=[m.code]) not in html


def test_list_query_count_does_not_grow_with_the_page(client, tree, make_member, organizer):
    client.force_login(organizer)
    for i in range(5):
        make_member(tree["C01" if i % 2 else "C02"], name=f"Nguyễn Văn An{chr(97 + i)}")
    client.get(reverse("members:list"))  # warm-up (content types, sessions)
    with CaptureQueriesContext(connection) as five:
        assert len(names_in_order(client.get(reverse("members:list")).content.decode())) == 5
    for i in range(25):
        make_member(tree["X02" if i % 2 else "C01"], name=f"Trần Thị Bình{chr(97 + i)}")
    with CaptureQueriesContext(connection) as thirty:
        assert len(names_in_order(client.get(reverse("members:list")).content.decode())) == 30
    assert len(five.captured_queries) == len(thirty.captured_queries)


def test_count_is_capped_for_large_results(client, tree, make_member, organizer, monkeypatch):
    from dangvu.members import views

    monkeypatch.setattr(views.CappedPaginator, "cap", 3)
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    for i in range(5):
        make_member(tree["C01"], name=f"Nguyễn Văn An{chr(97 + i)}")
    client.force_login(organizer)
    response = client.get(reverse("members:list"))
    assert response.context["paginator"].count == 4  # counted up to cap + 1, not all 5
    assert response.context["paginator"].capped


def test_filters_status_sex_ethnicity_and_organization(client, tree, make_member, organizer):
    make_member(tree["C01"], name="Lò Văn Thái", ethnicity="Thái", made_official_on=dt.date(2016, 5, 19))
    make_member(tree["C02"], name="Nguyễn Thị Kinh", sex="F")
    client.force_login(organizer)
    url = reverse("members:list")
    assert names_in_order(client.get(url, {"ethnicity": "minority"}).content.decode()) == ["Lò Văn Thái"]
    assert names_in_order(client.get(url, {"ethnicity": "01"}).content.decode()) == ["Nguyễn Thị Kinh"]
    assert names_in_order(client.get(url, {"sex": "F"}).content.decode()) == ["Nguyễn Thị Kinh"]
    assert names_in_order(client.get(url, {"status": "official"}).content.decode()) == ["Lò Văn Thái"]
    assert names_in_order(client.get(url, {"org": "C02"}).content.decode()) == ["Nguyễn Thị Kinh"]
    assert len(names_in_order(client.get(url, {"org": "X01"}).content.decode())) == 2


def test_htmx_request_gets_only_the_table(client, tree, make_member, organizer):
    make_member(tree["C01"], name="Nguyễn Văn An")
    client.force_login(organizer)
    html = client.get(reverse("members:list"), {"search": "an"}, headers={"HX-Request": "true"}).content.decode()
    assert 'id="member-table"' in html and "<html" not in html


def test_register_member_through_the_form(client, tree, organizer):
    client.force_login(organizer)
    response = client.post(reverse("members:create"), {
        "code": "DV90001", "full_name": "lò  văn   minh", "birth_date": "05/06/1990", "sex": "M",
        "ethnicity": "03", "admitted_on": "19/05/2015", "cell": tree["C01"].pk,
        "decision_number": "12-QĐ/HU", "decision_date": "19/05/2015", "issued_by": "Huyện ủy",
    })
    assert response.status_code == 302
    m = Member.objects.get(code="DV90001")
    assert (m.full_name, m.cell_id, m.admitted_on) == ("Lò Văn Minh", tree["C01"].pk, dt.date(2015, 5, 19))
    assert m.events.get().decision_number == "12-QĐ/HU"


def test_register_refuses_a_cell_outside_scope(client, tree, make_user):
    user = make_user("x02", tree["X02"], "organizer")
    client.force_login(user)
    response = client.post(reverse("members:create"), {
        "code": "DV90002", "full_name": "Lò Văn Minh", "birth_date": "05/06/1990", "sex": "M",
        "ethnicity": "01", "admitted_on": "19/05/2015", "cell": tree["C01"].pk,
    })
    assert response.status_code == 200
    assert response.context["form"].errors["cell"]
    assert not Member.objects.filter(code="DV90002").exists()


def test_a_transfer_from_the_member_page_moves_the_member_and_a_refusal_keeps_it(client, tree, make_member,
                                                                                  organizer):
    m = make_member(tree["C01"], name="Nguyễn Văn An")
    client.force_login(organizer)
    html = client.get(reverse("members:detail", args=[m.code])).content.decode()
    assert "/events/new/" not in html
    url = reverse("lifecycle:member_action", args=[m.code, "transfer"])
    assert url in html
    response = client.post(url, {"kind": "official", "issued_on": "01/02/2020", "to_cell": "C02",
                                 "letter_number": "5-QĐ/ĐU"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.cell_id == tree["C02"].pk

    # a probationary member is not exempted: refused by the rules, shown on the form, nothing written
    response = client.post(reverse("lifecycle:member_action", args=[m.code, "exempt"]),
                           {"ground": "long_medical_treatment", "on": "01/01/2021"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert m.events.count() == 2

    html = client.get(reverse("members:detail", args=[m.code])).content.decode()
    assert "01/02/2020" in html and "5-QĐ/ĐU" in html
    assert client.get(f"/members/{m.code}/events/new/").status_code == 404


def test_periods_tab_lists_the_derived_periods(client, tree, make_member, organizer):
    m = make_member(tree["C01"], name="Nguyễn Văn An", made_official_on=dt.date(2016, 5, 19))
    client.force_login(organizer)
    html = client.get(reverse("members:detail", args=[m.code]), {"tab": "periods"}).content.decode()
    table = html[html.index('id="periods"'):]
    assert "19/05/2015" in table and "19/05/2016" in table


def test_export_is_limited_to_scope_and_hides_personal_data_for_viewer(client, tree, make_member, make_user):
    import io

    from openpyxl import load_workbook

    make_member(tree["X02"], name="Hà Văn Trong", national_id_number="001085012345")
    make_member(tree["C01"], name="Lò Văn Ngoài")
    user = make_user("x02v", tree["X02"], "viewer")
    client.force_login(user)
    response = client.get(reverse("members:export"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "Hà Văn Trong"
    assert "001085012345" not in [str(v) for v in rows[1]]


def test_anonymous_user_is_sent_to_login(client, tree):
    response = client.get(reverse("members:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_organization_filter_is_a_picker_loaded_on_demand_not_a_select(client, tree, make_member, make_user):
    make_member(tree["C01"], name="Lò Văn Một")
    make_member(tree["C02"], name="Lò Văn Hai")
    client.force_login(make_user("toxa", tree["X01"], "organizer"))
    response = client.get(reverse("members:list"), {"org": "C02"})
    html = response.content.decode()
    assert '<select name="org"' not in html and 'class="org-picker"' in html and "js/org-picker.js" in html
    # the organizations load on demand (organizations:picker): none is in the page but the one chosen
    assert 'data-source="/organizations/picker.json"' in html and 'id="id_org_tree"' not in html
    assert 'data-label="Chi bộ bản Nà Hỳ 2"' in html and "Chi bộ bản Nà Hỳ 1" not in html
    assert names_in_order(html) == ["Lò Văn Hai"]
    response = client.get(reverse("members:list"), {"org": "X02"})  # outside the scope
    assert response.context["filter"].form.errors["org"]


def test_the_registration_form_finds_the_cell_by_its_name_under_its_committee(client, tree, organizer):
    """The chi bộ is found by typing part of its name (the organization picker, the committees above shown
    for context and only the chi bộ chosen), not in one long list of every chi bộ; it posts the cell's code."""
    import json

    client.force_login(organizer)
    html = client.get(reverse("members:create")).content.decode()
    assert '<select name="cell"' not in html
    assert 'class="org-picker" data-tree="id_cell_tree"' in html
    tree_json = json.loads(re.search(r'<script id="id_cell_tree" type="application/json">(.*?)</script>', html).group(1))
    rows = {r["code"]: r for r in tree_json}
    assert rows["C01"]["pick"] and rows["C02"]["pick"] and not rows["X01"]["pick"]
    assert rows["C01"]["depth"] == rows["X01"]["depth"] + 1
    response = client.post(reverse("members:create"), {
        "code": "DV90003", "full_name": "Lò Văn Minh", "birth_date": "05/06/1990", "sex": "M",
        "ethnicity": "03", "admitted_on": "19/05/2015", "cell": "C02",
    })
    assert response.status_code == 302
    assert Member.objects.get(code="DV90003").cell_id == tree["C02"].pk


def test_the_cell_picker_offers_a_dissolved_cell_after_the_open_ones(client, tree, organizer):
    """A chi bộ dissolved (kept for the members of the past) comes after the open chi bộ of its committee,
    so typing part of a name and pressing Enter picks an open one."""
    import json

    from dangvu.organizations.models import Organization

    Organization.objects.filter(pk=tree["C01"].pk).update(dissolved_on=dt.date(2020, 1, 1))
    client.force_login(organizer)
    html = client.get(reverse("members:create")).content.decode()
    rows = json.loads(re.search(r'<script id="id_cell_tree" type="application/json">(.*?)</script>', html).group(1))
    codes = [r["code"] for r in rows]
    assert codes.index("C02") < codes.index("C01") and rows[codes.index("C01")]["dissolved"]


def test_the_new_member_form_starts_from_the_chi_bo_of_an_account_that_has_only_one(client, tree, make_user):
    client.force_login(make_user("bithu_c01", tree["C01"], role="secretary"))
    assert client.get("/members/new/").context["form"]["cell"].value() == tree["C01"].pk
