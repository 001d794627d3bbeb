"""Ordinary users see no technical words: no JSON downloads, no API menu, no field names or ids in the
change log, sizes as people write them."""

import datetime as dt
import re

import pytest

from dangvu.core.text import megabytes
from dangvu.organizations.models import OrganizationKind
from dangvu.organizations.services import organization_establish, organization_move


@pytest.fixture
def organizer(tree, make_user, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = make_user("bantochuc", tree["H01"], "organizer")
    client.force_login(user)
    return user


def test_report_pages_offer_excel_not_json(client, organizer):
    for url in ("/reports/snapshot/?org=H01", "/reports/flows/?org=H01", "/reports/summary/?org=H01",
                "/reports/forms/1/?org=H01", "/reports/compare/?org=H01"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "format=json" not in html and "JSON" not in html, url
        assert "format=xlsx" in html or "format=docx" in html, url
    assert client.get("/reports/snapshot/?org=H01&format=json")["Content-Type"].startswith("application/json")


def test_the_api_menu_is_for_administrators_only(client, organizer, tree, make_user):
    assert 'href="/api/docs/"' not in client.get("/").content.decode()
    client.force_login(make_user("quantri", tree["H01"], "admin"))
    assert 'href="/api/docs/"' in client.get("/").content.decode()


def test_the_change_log_names_fields_and_organizations_not_ids(client, organizer, tree):
    x3 = organization_establish(code="X03", name="Đảng bộ xã Mường Tùng", kind=OrganizationKind.GRASSROOTS_COMMITTEE,
                                parent=tree["H01"], established_on=dt.date(2012, 1, 1))
    organization_move(tree["C02"], parent=x3, effective_on=dt.date(2024, 6, 1))
    html = client.get("/organizations/C02/?tab=audit").content.decode()
    assert "old_parent_id" not in html and "parent_id" not in html
    assert "tổ chức cấp trên trước đây: Đảng bộ xã Nà Hỳ" in html
    assert "tổ chức cấp trên: Đảng bộ xã Mường Tùng" in html


def test_sizes_are_written_as_people_write_them(client, tree, make_user):
    assert (megabytes(50 * 1024 * 1024), megabytes(1536 * 1024), megabytes(1024 ** 3)) == ("50", "1,5", "1.024")
    client.force_login(make_user("quantri", tree["H01"], "admin"))
    html = client.get("/imports/").content.decode()
    # 50 MiB is never shown as 52 (decimal megabytes) or as a byte count; a token may hold "52" by chance.
    assert "Tối đa 50 MB." in html and not re.search(r"\b52(?:[,.]\d+)? ?MB|52[.,]?428[.,]?800", html)


def test_an_organization_outside_the_scope_is_named_as_such_in_the_member_filter(client, organizer):
    html = client.get("/members/?org=KHONGCO").content.decode()
    assert "Không có tổ chức nào trong phạm vi của bạn có mã này." in html
    assert "lựa chọn khả thi" not in html  # Django's stock wording


@pytest.mark.parametrize("url", ["/reports/forms/4/?org=H01", "/reports/excellent-streak/?org=H01&year=2024",
                                 "/reports/forms/4/?org=H01&format=xlsx"])
def test_report_notes_name_no_setting_or_code(client, organizer, url):
    """The notes under a report speak of the organization's settings and the software, not of a setting's
    name (DANGVU_…) or a place in the code (regulations.assessment.…)."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    if url.endswith("xlsx"):
        import io

        import openpyxl

        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    else:
        text = response.content.decode().split("<main", 1)[1]
    assert not re.search(r"DANGVU_[A-Z_]+|regulations\.\w+|COMMON_KEY", text), re.findall(r"\([^()]*_[A-Z]+[^()]*\)", text)


@pytest.mark.parametrize(("query", "expected"), [
    ({"path": "/reports/assessment/list/", "org": "H01", "year": "2024", "group": "members", "figure": "not_rated"},
     "xep-loai-H01-2024-dang-vien-"),
    ({"path": "/reports/figures/", "org": "H01", "source": "snapshot", "figure": "members.female",
      "as_of": "2024-12-31", "label": "Đảng viên nữ"}, "danh-sach-H01-dang-vien-nu-2024-12-31"),
])
def test_a_list_downloads_under_a_vietnamese_name_of_what_it_lists(client, organizer, query, expected):
    """The workbook of a list is named after what it lists, in Vietnamese without marks, not after the keys
    of its query (members, not-rated, period, snapshot…); two lists of one organization get two names."""
    path = query.pop("path")
    response = client.get(path, {**query, "format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert name.startswith(expected) and name.endswith(".xlsx"), name
    assert not re.search(r"members|rated|snapshot|period|profile|figure", name), name


def test_the_party_rules_page_names_no_setting_or_code(client, organizer):
    """The sources beside each rule (page Party rules, in every user's menu) speak of the texts, not of a
    name in the code (`vote_denominator_excludes`, rules.SUSPENDED)."""
    for year in (2023, 2024, 2026):
        html = client.get(f"/lifecycle/rules/?on=01/06/{year}", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])
        assert not re.search(r"`|\brules\.[A-Za-z_]+|\b[a-z]+_[a-z_]+\b", text), re.findall(
            r"`[^`]*`|\brules\.[A-Za-z_]+|\b[a-z]+_[a-z_]+\b", text)
