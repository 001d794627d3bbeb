"""The API answers its errors in Vietnamese, the framework's own messages included: a record not found
(Django's get_object_or_404 words it in English, untranslatable), a body that is not JSON, a choice,
a null, a length, a number, a page out of range (Django REST framework's Vietnamese catalogue lacks
them)."""

from __future__ import annotations

import json

import pytest

from tests.contracts.test_api_schema import basic


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(tree, make_user, make_member):
    make_member(tree["C01"], code="DV00001")
    return basic(make_user("bithu.x01", tree["X01"], "secretary"))


def _patch(api, body, *, raw: str | None = None):
    return api.patch("/api/members/DV00001/", data=raw if raw is not None else json.dumps(body),
                     content_type="application/json")


def test_a_record_not_found_is_said_in_vietnamese(api):
    for url in ("/api/members/KHONGCO/", "/api/organizations/KHONGCO/", "/api/members/KHONGCO/events/"):
        response = api.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Không tìm thấy."}, url


def test_a_body_that_is_not_json_is_said_in_vietnamese(api):
    response = _patch(api, None, raw="{khong phai json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Nội dung gửi lên không phải là JSON hợp lệ."}


@pytest.mark.parametrize(("body", "raw", "expected"), [
    ({"sex": "X"}, None, {"sex": ["“X” không phải là một lựa chọn hợp lệ."]}),
    ({"birth_date": None}, None, {"birth_date": ["Trường này không được để trống (null)."]}),
    ({"full_name": "A " * 200}, None, {"full_name": ["Tối đa 255 ký tự."]}),
    ({"full_name": ["a"]}, None, {"full_name": ["Giá trị phải là một chuỗi ký tự."]}),
    ({"full_name": "Lò\x00Văn"}, None, {"full_name": ["Không được chứa ký tự null."]}),
    (None, "[]", {"non_field_errors": ["Dữ liệu không hợp lệ: cần một đối tượng JSON, nhận được list."]}),
    (None, "null", {"non_field_errors": ["Chưa gửi dữ liệu nào."]}),
])
def test_field_errors_are_said_in_vietnamese(api, body, raw, expected):
    response = _patch(api, body, raw=raw)
    assert response.status_code == 400
    assert response.json() == expected


def test_query_errors_are_said_in_vietnamese(api):
    response = api.get("/api/reports/assessment/?org=X01&year=abc")
    assert response.status_code == 400
    assert response.json() == {"year": ["Cần một số nguyên hợp lệ."]}
    response = api.get("/api/members/?page=999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Trang không hợp lệ."}
