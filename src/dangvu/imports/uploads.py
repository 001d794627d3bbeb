"""Uploaded workbooks (tệp tải lên): MEDIA_ROOT/imports/<uuid>/.

Each upload folder holds the file as uploaded and `meta.json`: who uploaded it, when, its name, its
state (`checking` → `checked` → `importing` → `done`), the progress of the running step (stage,
rows done, total), the dry-run result and, once confirmed, the import's result. The check and the
import run in the background worker (`tasks`), which writes the progress there for the page to
show. An upload belongs to its user: for anyone else it does not exist.

The workbook itself (it holds personal data) is deleted as soon as it is no longer needed: when its
check finds errors, once the import has run (written or not), when the user cancels; the results
stay until the folder is removed, a day after the upload (`remove_stale`, at each new upload).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
import uuid
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.errors import DomainError
from dangvu.core.text import megabytes

from .results import ImportResult, Issue, SheetCounts
from .services import import_workbook

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".zip")
STALE_AFTER = dt.timedelta(days=1)
RUNNING = ("checking", "importing")  # states while the worker has the upload
PROGRESS_EVERY = 1.0  # seconds between two writes of the progress
_SAFE = re.compile(r"[^\w.\-]+")


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _folder(upload_id: str) -> Path:
    try:
        uid = uuid.UUID(str(upload_id))
    except ValueError:
        raise DomainError(_("This upload does not exist."))
    return root() / str(uid)


def result_to_dict(r: ImportResult) -> dict:
    return {
        "dry_run": r.dry_run, "written": r.written, "seconds": r.seconds,
        "counts": {k: asdict(v) for k, v in r.counts.items()},
        "errors": [asdict(i) for i in r.errors], "warnings": [asdict(i) for i in r.warnings],
        "samples": r.samples, "errors_more": r.errors_more, "warnings_more": r.warnings_more,
    }


def result_from_dict(d: dict) -> ImportResult:
    r = ImportResult(dry_run=d["dry_run"], written=d["written"], seconds=d.get("seconds", 0.0))
    r.counts = {k: SheetCounts(**v) for k, v in d["counts"].items()}
    r.errors = [Issue(**i) for i in d["errors"]]
    r.warnings = [Issue(**i) for i in d["warnings"]]
    r.samples = d.get("samples", {})
    r.errors_more, r.warnings_more = d.get("errors_more", 0), d.get("warnings_more", 0)
    return r


def _save_meta(folder: Path, meta: dict) -> None:
    tmp = folder / "meta.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / "meta.json")


def _read_meta(folder: Path) -> dict:
    try:
        return json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DomainError(_("This upload does not exist."))


def load(upload_id: str, user) -> dict:
    """The upload's metadata, or DomainError when it does not exist for `user`."""
    folder = _folder(upload_id)
    meta = _read_meta(folder)
    if meta.get("user_id") != getattr(user, "pk", None):
        raise DomainError(_("This upload does not exist."))
    meta["id"] = folder.name
    meta.setdefault("state", "done" if meta.get("outcome") else "checked")  # an upload of an earlier version
    meta["check"] = result_from_dict(meta["check"]) if meta.get("check") else None
    if meta.get("outcome"):
        meta["outcome"] = result_from_dict(meta["outcome"])
    return meta


def check_upload(uploaded, user) -> str:
    """Save an uploaded file and queue its check (dry run, `tasks.check_upload`). Returns the upload id."""
    from . import tasks

    name = Path(getattr(uploaded, "name", "") or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise DomainError(
            _("%(name)s cannot be imported: upload an Excel workbook (.xlsx) or a .zip of CSV files.") % {"name": name},
            field="file",
        )
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if uploaded.size > limit:
        raise DomainError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": megabytes(uploaded.size), "limit": megabytes(limit)},
            field="file",
        )
    remove_stale()
    upload_id = str(uuid.uuid4())
    folder = root() / upload_id
    folder.mkdir(parents=True, exist_ok=False)
    stored = folder / ("workbook" + suffix)
    with stored.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    _save_meta(folder, {
        "user_id": user.pk, "name": _SAFE.sub("_", name)[:120] or "workbook" + suffix, "file": stored.name,
        "original_name": name[:255], "uploaded_at": timezone.now().isoformat(), "state": "checking",
        "progress": None, "check": None, "outcome": None,
    })
    tasks.check_upload.enqueue(upload_id)
    return upload_id


def confirm_upload(upload_id: str, user) -> None:
    """Queue the real import of a checked upload (all or nothing, `tasks.import_upload`)."""
    from . import tasks

    meta = load(upload_id, user)
    if meta.get("state") != "checked":
        return  # already queued, running or done: confirming again does nothing
    if meta["check"].errors:
        raise DomainError(_("This workbook has errors; correct them and upload it again."))
    folder = _folder(upload_id)
    if not (folder / meta["file"]).exists():
        raise DomainError(_("This upload does not exist."))
    _update(folder, state="importing", progress=None)
    tasks.import_upload.enqueue(folder.name)


def run(upload_id: str, *, dry_run: bool) -> None:
    """The check (`dry_run`) or the import of an upload, in the worker: its progress and its result
    written to the upload's folder; the workbook deleted once it is no longer needed."""
    folder = _folder(upload_id)
    meta = _read_meta(folder)
    if meta.get("state") != ("checking" if dry_run else "importing"):
        return  # done already (a task run twice)
    stored = folder / meta["file"]
    actor = get_user_model().objects.filter(pk=meta["user_id"]).first()
    last = [0.0]

    def progress(stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            _update(folder, progress={"stage": stage, "done": done, "total": total})

    try:
        if actor is None or not stored.exists():
            raise DomainError(_("This upload does not exist."))
        result = import_workbook(stored, dry_run=dry_run, actor=actor, name=meta.get("original_name") or meta["name"],
                                 progress=progress)
    except Exception as exc:  # recorded for the page (never an endless wait), then raised for the worker's log
        stored.unlink(missing_ok=True)
        result = ImportResult(dry_run=dry_run)
        message = exc.message if isinstance(exc, DomainError) else _(
            "The workbook could not be processed; nothing was written. Try again or contact the administrator.")
        result.errors.append(Issue("", None, "", message))
        _finish(folder, result, dry_run)
        if not isinstance(exc, DomainError):
            raise
        return
    if not dry_run or result.errors:
        stored.unlink(missing_ok=True)  # imported, or refused: not kept (it holds personal data)
    _finish(folder, result, dry_run)


def _finish(folder: Path, result: ImportResult, dry_run: bool) -> None:
    data = result_to_dict(result)
    if dry_run:
        _update(folder, state="checked", progress=None, check=data)
    elif result.written:
        _update(folder, state="done", progress=None, outcome=data, confirmed_at=timezone.now().isoformat())
    else:  # the database changed since the check: show the new errors; the workbook must be uploaded again
        _update(folder, state="done", progress=None, outcome=data, check=data,
                confirmed_at=timezone.now().isoformat())


def _update(folder: Path, **changes) -> None:
    meta = _read_meta(folder)
    meta.update(changes)
    _save_meta(folder, meta)


def discard(upload_id: str, user) -> None:
    """Cancel an upload: its folder is removed (not while its check or import runs)."""
    meta = load(upload_id, user)
    if meta.get("state") in RUNNING:
        raise DomainError(_("The workbook is being processed; it cannot be cancelled now."))
    shutil.rmtree(_folder(upload_id), ignore_errors=True)


def remove_stale(now=None) -> int:
    """Remove the upload folders older than STALE_AFTER (abandoned checks, old results). Returns how many."""
    cutoff = (now or timezone.now()).timestamp() - STALE_AFTER.total_seconds()
    removed = 0
    if not root().is_dir():
        return 0
    for folder in root().iterdir():
        try:
            stale = folder.is_dir() and folder.stat().st_mtime < cutoff
        except OSError:
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
