"""Registering a member: the dates are facts that have happened (not after today), the official date after the
admission, and a party card number of 8 digits — refused at the input at fault, on the form, in the API and in
the service alike."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from tests.contracts.test_api_schema import basic

from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.members.services import member_register
from dangvu.organizations.services import Decision


def _soon(days=25):
    return timezone.localdate() + dt.timedelta(days=days)


def _register(tree, **kw):
    data = {"code": "DV300", "full_name": "Lò Thị Mai", "birth_date": dt.date(1990, 1, 1), "sex": "F",
            "ethnicity": "Thái", "admitted_on": dt.date(2020, 5, 10), "cell": tree["C01"], **kw}
    return member_register(**data)


@pytest.mark.parametrize(("change", "field"), [
    ({"admitted_on": "soon"}, "admitted_on"),
    ({"placed_on": "soon"}, "placed_on"),
    ({"made_official_on": "soon"}, "made_official_on"),
    ({"decision": Decision("1-QĐ/HU", dt.date(2099, 6, 1), "Huyện ủy")}, "decision_date"),
])
def test_a_registration_dated_after_today_is_refused_at_its_date(tree, change, field):
    change = {k: _soon() if v == "soon" else v for k, v in change.items()}
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        _register(tree, **change)
    assert exc.value.field == field
    assert "không được sau ngày hôm nay" in exc.value.message
    assert not Member.objects.filter(code="DV300").exists()


@pytest.mark.parametrize("official", [dt.date(2019, 1, 1), dt.date(2020, 5, 10)])
def test_an_official_date_not_after_the_admission_is_refused_at_its_date(tree, official):
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        _register(tree, made_official_on=official)
    assert exc.value.field == "made_official_on"
    assert exc.value.message == "Ngày chính thức phải sau ngày vào Đảng (10/05/2020)."


@pytest.mark.parametrize("number", ["abcdefgh", "1234567", "123456789", "1234 678"])
def test_a_card_number_of_registration_has_eight_digits(tree, number):
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        _register(tree, made_official_on=dt.date(2021, 5, 10), card_number=number)
    assert exc.value.field == "card_number"
    assert exc.value.message == "Số thẻ đảng viên phải gồm đúng 8 chữ số."
    assert not Member.objects.filter(code="DV300").exists()
    assert _register(tree, made_official_on=dt.date(2021, 5, 10), card_number=" 01234567 ").card_number == "01234567"


FORM = {"code": "DV301", "full_name": "Lò Văn Minh", "birth_date": "05/06/1990", "sex": "M", "ethnicity": "03",
        "admitted_on": "10/05/2020"}


@pytest.mark.parametrize(("change", "field"), [
    ({"card_number": "abcdefgh", "made_official_on": "10/05/2021"}, "card_number"),
    ({"made_official_on": "01/01/2019"}, "made_official_on"),
    ({"admitted_on": "soon"}, "admitted_on"),
])
def test_the_new_member_form_shows_the_refusal_at_the_field(client, tree, make_user, change, field):
    change = {k: _soon().strftime("%d/%m/%Y") if v == "soon" else v for k, v in change.items()}
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    r = client.post("/members/new/", {**FORM, "cell": tree["C01"].pk, **change})
    assert r.status_code == 200
    assert list(r.context["form"].errors) == [field], r.context["form"].errors
    assert not Member.objects.filter(code="DV301").exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"card_number": "abcdefgh", "made_official_on": "2021-05-10"}, "card_number"),
    ({"made_official_on": "2019-01-01"}, "made_official_on"),
    ({"admitted_on": "soon"}, "admitted_on"),
])
def test_the_api_refuses_the_same_at_the_field(tree, make_user, change, field):
    change = {k: _soon().isoformat() if v == "soon" else v for k, v in change.items()}
    body = {"code": "DV302", "full_name": "Lò Thị Mai", "birth_date": "1990-01-01", "sex": "F", "ethnicity": "Thái",
            "admitted_on": "2020-05-10", "cell": "C01", **change}
    response = basic(make_user("bantochuc", tree["H01"], "organizer")).post("/api/members/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == [field], response.json()
    assert not Member.objects.filter(code="DV302").exists()
