"""Report exports as background jobs (reports.jobs): over the threshold of members an export is
queued for the worker (django-tasks) and offered on "My exports" to the user who asked alone, with
the same content as the immediate file; progress and the notice when ready; failures all or nothing
with a Vietnamese message; files expire."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from dangvu.reports import downloads, jobs
from dangvu.reports.models import ExportJob, ExportState

from .flows_helpers import D

EXPORTS = "/reports/exports/"
#: Downloads of report pages (URL, query) covering each kind of file.
CASES = [
    ("/reports/snapshot/", {"org": "H01", "as_of": "2024-12-31", "format": "xlsx"}),
    ("/reports/checks/", {"org": "H01", "as_of": "2024-12-31", "format": "json"}),
    ("/reports/summary/", {"org": "H01", "as_of": "2024-12-31", "year": "2024", "format": "docx"}),
    ("/reports/forms/1/", {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", "format": "pdf"}),
    ("/reports/forms/5/", {"org": "H01", "as_of": "2024-12-31", "format": "xlsx"}),
    ("/reports/flows/", {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", "format": "xlsx"}),
    ("/reports/assessment/list/", {"org": "H01", "year": "2024", "group": "members", "figure": "not_rated",
                                   "format": "xlsx"}),
    ("/reports/figures/", {"org": "H01", "source": "period", "from": "2024-01-01", "to": "2024-12-31",
                           "figure": "admitted", "label": "Kết nạp", "format": "xlsx"}),
    ("/reports/figures/", {"org": "H01", "source": "profile", "as_of": "2024-12-31", "breakdown": "by_sex",
                           "key": "female", "format": "xlsx"}),
    ("/reports/compare/", {"org": "H01", "report": "form-1", "mode": "periods", "from_a": "2023-01-01",
                           "to_a": "2023-12-31", "from_b": "2024-01-01", "to_b": "2024-12-31", "format": "xlsx"}),
    ("/reports/compare/", {"org": "H01", "report": "profile", "mode": "subunits", "as_of": "2024-12-31",
                           "sort": "by_sex.female", "share": "1", "format": "json"}),
    ("/reports/compare/", {"org": "H01", "report": "snapshot", "mode": "periods", "a": "2023-12-31",
                           "b": "2024-12-31", "format": "xlsx"}),
    # the member list and the to-do lists: the user's scope, the same threshold
    ("/members/export.xlsx", {"status": "all", "sort": "-admitted_on"}),
    ("/lifecycle/todo/cards/", {"format": "xlsx"}),
    ("/lifecycle/todo/probations/", {"format": "xlsx"}),
]


@pytest.fixture
def people(tree, make_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    for _ in range(3):
        make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    make_member(tree["C02"], admitted_on=D(2024, 3, 1))
    return tree


@pytest.fixture
def organizer(make_user, people, client):
    user = make_user("tochuc", people["H01"], "organizer")
    client.force_login(user)
    client.user = user
    return client


def _content(body: bytes) -> object:
    """What a file says, leaving out the moment it was written (xlsx/docx properties, PDF dates)."""
    if body[:4] == b"%PDF":
        return [p.extract_text() for p in PdfReader(io.BytesIO(body)).pages]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    return body


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(("url", "query"), CASES)
def test_a_large_export_runs_as_a_job_and_gives_the_same_file_as_the_immediate_one(organizer, settings, url, query):
    settings.EXPORT_BACKGROUND_MEMBERS = 1_000
    immediate = organizer.get(url, query)
    assert immediate.status_code == 200 and not ExportJob.objects.exists()
    settings.EXPORT_BACKGROUND_MEMBERS = 3  # H01 has 4 members: large
    response = organizer.get(url, query)
    assert response.status_code == 302 and response["Location"] == EXPORTS
    job = ExportJob.objects.get()
    assert (job.user, job.organization.code, job.state) == (organizer.user, "H01", ExportState.DONE)
    page = organizer.get(EXPORTS).content.decode()
    assert "gồm nhiều đảng viên" in page and job.title in page and "Tải về" in page
    download = organizer.get(f"{EXPORTS}{job.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == immediate["Content-Disposition"]
    assert download["Content-Type"] == immediate["Content-Type"]
    assert _content(_body(download)) == _content(immediate.content)


def test_the_member_list_job_keeps_the_filters_of_the_page(organizer, people, settings, make_member):
    make_member(people["C01"], name="Lò Thị Hoa", sex="F", made_official_on=D(2016, 5, 19))
    make_member(people["X02"], name="Lò Thị Hương", sex="F", made_official_on=D(2016, 5, 19))
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    response = organizer.get("/members/export.xlsx", {"org": "X01", "sex": "F", "search": "lo thi"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.organization.code == "X01" and job.params["criteria"]["org"] == "X01"
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(_body(organizer.get(f"{EXPORTS}{job.pk}/")))).active
    assert [row[1] for row in ws.iter_rows(min_row=2, values_only=True)] == ["Lò Thị Hoa"]


def test_another_user_cannot_see_download_or_remove_the_job(organizer, client, make_user, people, settings):
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    organizer.get("/reports/snapshot/", {"org": "H01", "format": "xlsx"})
    job = ExportJob.objects.get()
    other = make_user("tochuc2", people["H01"], "admin")  # the same scope, a stronger role
    client.force_login(other)
    assert client.get(f"{EXPORTS}{job.pk}/").status_code == 404
    assert client.post(f"{EXPORTS}{job.pk}/delete/").status_code == 404
    assert job.title not in client.get(EXPORTS).content.decode()
    assert ExportJob.objects.filter(pk=job.pk, downloaded_at=None).exists()


def test_the_job_is_offered_only_while_its_organization_stays_in_the_users_scope(organizer, people, settings):
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    organizer.get("/reports/snapshot/", {"org": "X01", "format": "xlsx"})
    job = ExportJob.objects.get()
    organizer.user.role_assignments.update(organization=people["X02"])  # moved to another commune
    assert organizer.get(f"{EXPORTS}{job.pk}/").status_code == 404


def test_a_small_scope_stays_immediate(organizer, settings):
    settings.EXPORT_BACKGROUND_MEMBERS = 4  # H01 has 4 members: not above
    response = organizer.get("/reports/profile/", {"org": "H01", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert not ExportJob.objects.exists()


def test_progress_and_the_notice_when_ready(organizer, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    organizer.get("/reports/snapshot/", {"org": "H01", "format": "xlsx"})
    job = ExportJob.objects.get()  # queued: no worker has taken it yet
    assert job.state == ExportState.QUEUED and DBTaskResult.objects.get().args_kwargs["args"] == [str(job.pk)]
    page = organizer.get(EXPORTS).content.decode()
    assert "Đang chờ đến lượt" in page and 'hx-trigger="every 2s"' in page  # polled while it waits
    assert 'id="exports-notice"' in page  # the menu asks for the notice
    notice = organizer.get(f"{EXPORTS}notice/").content.decode()
    assert 'hx-trigger="every 3s"' in notice and "…" in notice
    jobs.run(str(job.pk))  # the worker
    notice = organizer.get(f"{EXPORTS}notice/").content.decode()
    assert ">1<" in notice and "every 3s" not in notice
    partial = organizer.get(EXPORTS, {"partial": "1"}).content.decode()
    assert "Tệp của bạn đã sẵn sàng." in partial and "every 2s" not in partial
    organizer.get(f"{EXPORTS}{job.pk}/")
    assert ">1<" not in organizer.get(f"{EXPORTS}notice/").content.decode()
    assert 'id="exports-notice"' not in organizer.get(EXPORTS).content.decode()  # nothing more to tell


def test_the_worker_of_the_database_backend_builds_the_file(organizer, settings, monkeypatch):
    """The production set-up: the job is a row of django-tasks-db's queue, run by `db_worker`."""
    from django_tasks_db.management.commands import db_worker

    # the worker closes connections between tasks; the test's (inside its transaction) must stay open
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    organizer.get("/reports/snapshot/", {"org": "H01", "as_of": "2024-12-31", "format": "json"})
    job = ExportJob.objects.get()
    assert job.state == ExportState.QUEUED
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.state == ExportState.DONE
    data = json.loads(_body(organizer.get(f"{EXPORTS}{job.pk}/")))
    assert data["members"]["total"] == 4


def test_a_failure_leaves_no_file_and_a_vietnamese_message(organizer, settings, monkeypatch):
    settings.EXPORT_BACKGROUND_MEMBERS = 0

    def broken(org, params, step, user):
        step("write")
        raise RuntimeError("disk full")

    monkeypatch.setitem(downloads.BUILDERS, "snapshot", broken)
    organizer.get("/reports/snapshot/", {"org": "H01", "format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.state == ExportState.FAILED and job.error.startswith("Không tạo được tệp")
    assert not jobs.file_path(job).exists() and not list(jobs.root().glob("*.part"))
    page = organizer.get(EXPORTS).content.decode()
    assert "Không thành công" in page and "Không tạo được tệp" in page
    response = organizer.get(f"{EXPORTS}{job.pk}/", follow=True)
    assert "Tệp này chưa sẵn sàng." in response.content.decode()


def test_a_report_that_refuses_fails_the_job_with_its_message(organizer, settings):
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    organizer.get("/reports/flows/", {"org": "H01", "from": "2024-12-31", "to": "2024-01-01", "format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.state == ExportState.FAILED and "sau ngày kết thúc" in job.error


def test_files_expire(organizer, settings):
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    organizer.get("/reports/snapshot/", {"org": "H01", "format": "xlsx"})
    job = ExportJob.objects.get()
    assert job.expires_at - job.created_at == dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert organizer.get(f"{EXPORTS}{job.pk}/").status_code == 404
    assert jobs.file_path(job).exists()
    assert jobs.remove_expired() == 1
    assert not jobs.file_path(job).exists() and not ExportJob.objects.exists()


def test_the_user_removes_a_job(organizer, settings):
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    organizer.get("/reports/snapshot/", {"org": "H01", "format": "xlsx"})
    job = ExportJob.objects.get()
    assert organizer.get(f"{EXPORTS}{job.pk}/delete/").status_code == 405
    assert organizer.post(f"{EXPORTS}{job.pk}/delete/").status_code == 302
    assert not ExportJob.objects.exists() and not jobs.file_path(job).exists()


def test_a_job_the_worker_never_finished_is_marked_interrupted(organizer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EXPORT_BACKGROUND_MEMBERS = 0
    organizer.get("/reports/snapshot/", {"org": "H01", "format": "xlsx"})
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING,
                                               started_at=timezone.now() - dt.timedelta(hours=2))
    page = organizer.get(EXPORTS).content.decode()
    assert "bị gián đoạn" in page and "every 2s" not in page


def test_the_page_reads_the_same_number_of_queries_whatever_the_number_of_jobs(organizer, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.EXPORT_BACKGROUND_MEMBERS = 0

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert organizer.get(EXPORTS).status_code == 200
        return len(ctx.captured_queries)

    organizer.get("/reports/snapshot/", {"org": "H01", "format": "xlsx"})
    one = count()
    for org in ("X01", "C01", "C02", "H01"):
        organizer.get("/reports/profile/", {"org": org, "format": "xlsx"})
    assert ExportJob.objects.count() == 5 and count() == one
