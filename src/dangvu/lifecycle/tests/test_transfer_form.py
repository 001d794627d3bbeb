"""The transfer form as a user meets it: the receiving chi bộ found by name, the fields labelled as what
they are, the temporary fields only for a temporary transfer — and all of it working without JavaScript."""

import datetime as dt
import json

import pytest

from dangvu.lifecycle.models import Transfer, TransferKind
from dangvu.members.restructuring import organization_dissolve
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import organization_establish

D = dt.date


@pytest.fixture
def member(tree, make_member, make_user, client):
    client.force_login(make_user("bantochuc", tree["X01"], role="organizer"))
    return make_member(tree["C01"], made_official_on=D(2016, 5, 19))


def _page(client, member) -> str:
    return client.get(f"/lifecycle/members/{member.code}/transfer/").content.decode()


def test_fields_are_labelled_as_what_they_are(client, member):
    html = _page(client, member)
    assert "Loại tổ chức" not in html and "Hình thức chuyển sinh hoạt" in html
    assert "mã" not in html.split('for="id_to_cell"')[1].split("</label>")[0].lower()
    assert "Chi bộ nơi đến (trong hệ thống)" in html and "Tổ chức đảng nơi đến ngoài hệ thống" in html


def test_the_receiving_chi_bo_is_chosen_by_name_among_every_chi_bo_of_the_system(client, member, tree):
    organization_establish(code="C09", name="Chi bộ bản Cũ", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                           established_on=D(2012, 1, 1))
    organization_dissolve(tree["C02"], effective_on=D(2020, 1, 1))
    html = _page(client, member)
    assert 'class="org-picker"' in html
    rows = json.loads(html.split('<script id="id_to_cell_tree" type="application/json">')[1].split("</script>")[0])
    picks = {r["code"]: r["pick"] for r in rows}
    assert picks["X02"] is True  # a chi bộ outside the user's scope: a transfer may go there
    assert picks["C09"] is True and picks["H01"] is False and picks["X01"] is False  # committees give the shape
    assert "C02" not in picks  # dissolved


def test_temporary_fields_show_only_for_a_temporary_transfer(client, member):
    html = _page(client, member)
    for name in ("purpose", "months"):
        tag = html.split(f'name="{name}"')[0].rsplit("<", 1)[1] + html.split(f'name="{name}"')[1].split(">")[0]
        assert 'data-show-when="kind=temporary"' in tag, name
    assert "js/forms.js" in html


def test_an_official_transfer_ignores_the_temporary_fields_sent_without_javascript(client, member, tree):
    r = client.post(f"/lifecycle/members/{member.code}/transfer/",
                    {"kind": "official", "issued_on": "01/03/2024", "to_cell": "X02", "purpose": "training", "months": "99"})
    assert r.status_code == 302
    t = Transfer.objects.get()
    assert (t.kind, t.to_cell, t.purpose, t.until) == (TransferKind.OFFICIAL, tree["X02"], "", None)


def test_a_temporary_transfer_without_javascript_is_checked_by_the_server(client, member):
    url = f"/lifecycle/members/{member.code}/transfer/"
    bad = client.post(url, {"kind": "temporary", "issued_on": "01/03/2024", "to_cell": "X02", "purpose": "work",
                            "months": "99"})
    assert bad.status_code == 200 and "field-error" in bad.content.decode() and not Transfer.objects.exists()
    ok = client.post(url, {"kind": "temporary", "issued_on": "01/03/2024", "to_cell": "X02", "purpose": "work",
                           "months": "6"})
    assert ok.status_code == 302 and Transfer.objects.get().until == D(2024, 9, 1)


def test_a_committee_is_not_a_receiving_chi_bo(client, member):
    r = client.post(f"/lifecycle/members/{member.code}/transfer/",
                    {"kind": "official", "issued_on": "01/03/2024", "to_cell": "X01"})
    assert r.status_code == 200 and "field-error" in r.content.decode() and not Transfer.objects.exists()


@pytest.mark.parametrize(("destination", "expected"), [
    ({}, "Cần nhập nơi đến: chi bộ nơi đến (trong hệ thống) hoặc tổ chức đảng nơi đến ngoài hệ thống."),
    ({"to_cell": "X02", "destination": "Đảng bộ tỉnh Lai Châu"},
     "Chỉ nhập một trong hai: chi bộ nơi đến (trong hệ thống) hoặc tổ chức đảng nơi đến ngoài hệ thống."),
])
def test_a_transfer_without_a_destination_or_with_both_says_which(client, member, destination, expected):
    r = client.post(f"/lifecycle/members/{member.code}/transfer/",
                    {"kind": "official", "issued_on": "01/03/2024", **destination}, HTTP_ACCEPT_LANGUAGE="vi")
    assert r.status_code == 200 and r.context["form"].errors == {"to_cell": [expected]}
    assert not Transfer.objects.exists()
