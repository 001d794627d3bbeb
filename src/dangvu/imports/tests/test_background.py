"""Uploads (issue 9): the check and the import run in the background worker with their progress on
the page; the stored workbook is removed once checked with errors, imported or cancelled, and every
upload after a day; the list of errors is capped, so that the page stays small."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangvu.imports import uploads
from dangvu.imports.spec import DANGVIEN, TOCHUC
from dangvu.members.models import Member

from .test_rules_and_limits import ORGS, member


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def importer(client, tree, make_user):
    client.force_login(make_user("quantri", tree["H01"], role="admin"))
    return client


@pytest.fixture
def in_worker(settings):
    """Tasks queued but not run (a worker that has not picked them up yet)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def upload(client, path: Path) -> str:
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].strip("/").split("/")[-1]


def folder(upload_id) -> Path:
    return uploads.root() / upload_id


def valid(book):
    orgs = [[*row[:3], "H01" if row[0] == "R" else row[3], *row[4:]] for row in ORGS]
    return book({TOCHUC: orgs, DANGVIEN: [member("T1")]})


def test_a_workbook_with_errors_is_not_kept_on_disk(importer, book):
    upload_id = upload(importer, book({TOCHUC: ORGS, DANGVIEN: [member("T1", name="")]}))
    assert not list(folder(upload_id).glob("workbook.*"))
    page = importer.get(reverse("imports:preview", kwargs={"upload_id": upload_id})).content.decode()
    assert "import-errors" in page  # the result is still shown


def test_a_cancelled_upload_is_removed(importer, book):
    upload_id = upload(importer, valid(book))
    assert list(folder(upload_id).glob("workbook.*"))
    response = importer.post(reverse("imports:cancel", kwargs={"upload_id": upload_id}))
    assert response.status_code == 302 and not folder(upload_id).exists()
    assert importer.get(reverse("imports:preview", kwargs={"upload_id": upload_id})).status_code == 404


def test_uploads_older_than_a_day_are_removed_at_the_next_upload(importer, book):
    old = upload(importer, valid(book))
    day_ago = time.time() - 25 * 3600
    os.utime(folder(old), (day_ago, day_ago))
    recent = upload(importer, valid(book))
    assert not folder(old).exists() and folder(recent).exists()


def test_the_check_and_the_import_run_in_the_worker_with_their_progress_shown(importer, book, in_worker):
    upload_id = upload(importer, valid(book))
    kwargs = {"upload_id": upload_id}
    page = importer.get(reverse("imports:preview", kwargs=kwargs)).content.decode()
    progress_url = reverse("imports:progress", kwargs=kwargs)
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 1s"' in page
    # the worker reports its progress …
    uploads._update(folder(upload_id), progress={"stage": "read:DangVien", "done": 5000, "total": 12000})
    box = importer.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    assert "DangVien" in box and "5.000" in box and "12.000" in box
    assert "<script" not in box and "hx-on" not in box  # htmx attributes only, no inline script (CSP)
    # … and once it has checked the workbook, the page reloads on the result
    uploads.run(upload_id, dry_run=True)
    done = importer.get(progress_url, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and done.headers.get("HX-Refresh") == "true"
    page = importer.get(reverse("imports:preview", kwargs=kwargs)).content.decode()
    assert reverse("imports:confirm", kwargs=kwargs) in page
    importer.post(reverse("imports:confirm", kwargs=kwargs))
    assert not Member.objects.exists()  # queued, not run in the request
    assert f'hx-get="{progress_url}"' in importer.get(reverse("imports:preview", kwargs=kwargs)).content.decode()
    uploads.run(upload_id, dry_run=False)
    uploads.run(upload_id, dry_run=False)  # a task run twice does nothing the second time
    assert Member.objects.filter(code="T1").exists()
    assert not list(folder(upload_id).glob("workbook.*"))
    assert "import-errors" not in importer.get(reverse("imports:preview", kwargs=kwargs)).content.decode()


def test_a_failure_in_the_worker_is_shown_never_an_endless_wait(importer, book, in_worker, monkeypatch):
    upload_id = upload(importer, valid(book))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(uploads, "import_workbook", broken)
    with pytest.raises(RuntimeError):
        uploads.run(upload_id, dry_run=True)
    meta = uploads.load(upload_id, uploads.get_user_model().objects.get(username="quantri"))
    assert meta["state"] == "checked" and meta["check"].errors
    assert not list(folder(upload_id).glob("workbook.*"))


def test_the_list_of_errors_is_capped_with_a_count_of_the_rest(importer, book, settings):
    settings.IMPORT_MAX_ISSUES = 50
    rows = [member(f"T{i}", name="", card="x" * 5000) for i in range(300)]  # two errors a row, long values
    upload_id = upload(importer, book({TOCHUC: ORGS, DANGVIEN: rows}))
    meta = uploads.load(upload_id, uploads.get_user_model().objects.get(username="quantri"))
    check = meta["check"]
    assert len(check.errors) == 50 and check.error_count > 600 and check.errors_more == check.error_count - 50
    page = importer.get(reverse("imports:preview", kwargs={"upload_id": upload_id})).content.decode()
    assert "import-errors-more" in page and str(check.errors_more) in page
    assert len(page) < 200_000
