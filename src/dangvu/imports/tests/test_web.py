"""The import pages: upload → preview (dry run) → confirm; writers only; the empty template."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu.imports.spec import COLUMNS, SHEET_ORDER
from dangvu.members.models import Member
from dangvu.organizations.models import Organization


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, path: Path, name: str | None = None):
    f = SimpleUploadedFile(name or path.name, path.read_bytes())
    return client.post(reverse("imports:upload"), {"file": f})


@pytest.fixture
def admin_client(client, tree, make_user):
    client.force_login(make_user("quantri", tree["H01"], role="admin"))
    return client


def _upload_bytes(client, content: bytes, name: str):
    return client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("role", ["admin", "organizer"])
def test_the_sample_offered_on_the_page_imports_and_the_user_then_sees_it(client, tree, make_user, settings, role):
    """A new user of H01 downloads the sample from the import page: it goes under H01, so they may
    import it and then see its members (an administrator too: nothing lands outside the scope)."""
    client.force_login(make_user("canbo", tree["H01"], role=role))
    page = client.get(reverse("imports:upload")).content.decode()
    assert reverse("imports:sample") in page
    sample = client.get(reverse("imports:sample"))
    assert sample.status_code == 200
    response = _upload_bytes(client, sample.content, "mau-hop-le.xlsx")
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("imports:confirm", kwargs={"upload_id": preview_url.strip("/").split("/")[-1]}) in html
    assert "MAU-0001" in html and "import-warnings" not in html  # first rows; a clean sample: no warning
    assert Member.objects.count() == 0  # nothing written before the confirmation
    confirm_url = preview_url + "confirm/"
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert Member.objects.filter(code__startswith="MAU-").count() == 10
    assert Organization.objects.get(code="MAU").parent.code == "H01"
    from auditlog.models import LogEntry

    org_entries = LogEntry.objects.filter(content_type__model="organization", object_repr__contains="MAU")
    assert org_entries.exists() and not org_entries.exclude(additional_data__source="import").exists()
    done = client.get(preview_url).content.decode()
    assert confirm_url not in done
    uploads = list((Path(settings.MEDIA_ROOT) / "imports").iterdir())
    assert len(uploads) == 1 and not list(uploads[0].glob("workbook.*"))  # the workbook is not kept
    client.post(confirm_url)  # confirming twice writes nothing more
    assert Member.objects.count() == 10
    # what was imported is in the user's lists and pages
    listed = client.get(reverse("members:list"), {"q": "Hoàng Văn Thụ"}).content.decode()
    assert "MAU-0001" in listed
    assert client.get(reverse("members:detail", kwargs={"code": "MAU-0006"})).status_code == 200


@pytest.mark.parametrize("role", ["admin", "organizer"])
def test_a_new_root_organization_is_refused_at_the_preview_naming_the_row(client, tree, make_user, sample_paths,
                                                                          role):
    """The sample as shipped (its root MAU has no parent) would land outside every scope: refused
    at the preview, for an administrator too, with the row named."""
    client.force_login(make_user("canbo", tree["H01"], role=role))
    preview_url = _upload(client, sample_paths[0])["Location"]
    html = client.get(preview_url).content.decode()
    assert "import-errors" in html and preview_url + "confirm/" not in html
    from django.utils.html import escape

    assert escape("Row 2 would create MAU outside your scope") in html or escape(
        "Dòng 2 sẽ tạo MAU ngoài phạm vi của bạn") in html
    client.post(preview_url + "confirm/")
    assert Member.objects.count() == 0 and not Organization.objects.filter(code__startswith="MAU").exists()


def test_no_sample_is_offered_where_it_cannot_be_imported(client, tree, make_user):
    client.force_login(make_user("bithu", tree["X01"], role="organizer"))  # a grassroots committee
    assert reverse("imports:sample") not in client.get(reverse("imports:upload")).content.decode()
    assert client.get(reverse("imports:sample")).status_code == 404


def test_the_template_names_the_users_organization_as_the_parent_of_new_ones(client, tree, make_user):
    client.force_login(make_user("canbo", tree["H01"], role="organizer"))
    wb = openpyxl.load_workbook(io.BytesIO(client.get(reverse("imports:template")).content))
    guide = " ".join(str(c.value) for row in wb["HuongDan"].iter_rows() for c in row if c.value)
    assert "H01 (Đảng bộ huyện Mường Lay)" in guide


def test_a_workbook_with_errors_lists_them_and_cannot_be_confirmed(admin_client, sample_paths):
    preview_url = _upload(admin_client, sample_paths[1])["Location"]
    html = admin_client.get(preview_url).content.decode()
    assert "import-errors" in html and "Ngày sinh" in html and "MAU-X9" in html
    assert preview_url + "confirm/" not in html
    admin_client.post(preview_url + "confirm/")
    assert Member.objects.count() == 0


def test_too_large_or_wrong_files_are_refused_with_a_message(admin_client, sample_paths, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    response = _upload(admin_client, sample_paths[0])
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    settings.IMPORT_MAX_UPLOAD_BYTES = 50_000_000
    response = _upload(admin_client, sample_paths[0], name="danh-sach.pdf")
    assert response.status_code == 200 and "danh-sach.pdf" in response.content.decode()
    assert not (Path(settings.MEDIA_ROOT) / "imports").exists() or not any((Path(settings.MEDIA_ROOT) / "imports").iterdir())


def test_a_viewer_gets_403(client, tree, make_user, sample_paths):
    client.force_login(make_user("xem", tree["H01"], role="viewer"))
    assert client.get(reverse("imports:upload")).status_code == 403
    assert _upload(client, sample_paths[0]).status_code == 403


def test_an_upload_belongs_to_its_user(admin_client, client, tree, make_user, sample_paths):
    preview_url = _upload(admin_client, sample_paths[0])["Location"]
    from django.test import Client

    other = Client()
    other.force_login(make_user("canbo", tree["H01"], role="organizer"))
    assert other.get(preview_url).status_code == 404
    assert other.post(preview_url + "confirm/").status_code == 404
    assert Member.objects.count() == 0


def test_a_scoped_user_cannot_import_outside_the_scope(client, tree, make_user, sample_paths):
    client.force_login(make_user("bithu", tree["X01"], role="secretary"))
    preview_url = _upload(client, sample_paths[0])["Location"]
    html = client.get(preview_url).content.decode()
    assert "import-errors" in html and "MAU" in html
    assert preview_url + "confirm/" not in html


def test_the_empty_template_has_every_sheet_with_the_contract_headers(admin_client):
    response = admin_client.get(reverse("imports:template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "HuongDan"
    for sheet in SHEET_ORDER:
        headers = [c.value for c in wb[sheet][1]]
        assert headers == [c.label for c in COLUMNS[sheet] if not c.extra]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["DangVien"].data_validations.dataValidation
             if dv.type == "list"}
    assert set(lists) == {"D2", "E2"}  # Giới tính, Dân tộc
    ethnic = wb["DanhMuc"]
    assert sum(1 for r in ethnic.iter_rows(min_col=3, max_col=3, min_row=2) if r[0].value) == 54
    assert any(dv.type == "list" for dv in wb["BienDong"].data_validations.dataValidation)
    assert any(dv.type == "list" for dv in wb["ToChuc"].data_validations.dataValidation)


def test_the_template_names_the_values_of_the_rules_in_force(admin_client, monkeypatch):
    """The instructions read the minimum age, the badge milestones and the cap on "excellent" in the rules in force
    (no literal): other values in the rules show in them."""
    import dataclasses
    from fractions import Fraction

    from dangvu import regulations as R

    rules = dataclasses.replace(R.QD24_2021, min_age_months=19 * 12 + 6, badge_milestones=(25, 50))
    cap = dataclasses.replace(R.assessment_rules(2025), excellent_cap_ratio=Fraction(1, 4))
    monkeypatch.setattr(R, "rules_on", lambda day, overrides=None: rules)
    monkeypatch.setattr(R, "assessment_rules", lambda year, overrides=None: cap)
    wb = openpyxl.load_workbook(io.BytesIO(admin_client.get(reverse("imports:template")).content))
    guide = " ".join(str(c.value) for row in wb["HuongDan"].iter_rows() for c in row if c.value)
    assert "Ngày sinh (đủ 19 tuổi 6 tháng vào ngày vào Đảng)." in guide
    assert "số năm huy hiệu, một trong 25, 50 (Trao huy hiệu)" in guide and "vượt tỷ lệ 25% hoàn thành" in guide
    assert "18 tuổi" not in guide and "20%" not in guide


def test_the_templates_list_sheet_heads_its_columns_in_vietnamese_not_with_keys_of_the_code(admin_client):
    """The sheet of the drop-down lists (hidden, but shown by "Unhide") names its columns as the user reads
    them, not "org_kind", "event_kind"…"""
    wb = openpyxl.load_workbook(io.BytesIO(admin_client.get(reverse("imports:template")).content))
    heads = [c.value for c in wb["DanhMuc"][1]]
    assert heads == ["Loại tổ chức", "Giới tính", "Dân tộc", "Loại biến động", "Loại hình", "Hình thức kỷ luật"]
