"""Uploaded workbooks waiting for confirmation: MEDIA_ROOT/imports/<uuid>/.

Each upload folder holds the file as uploaded and `meta.json` (who uploaded it, when, its name,
the dry-run result and, once confirmed, the import's result). An upload belongs to its user:
for anyone else it does not exist. After a successful import the workbook itself is deleted
(it may hold personal data); the results stay.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.errors import DomainError
from dangvu.core.text import megabytes

from .results import ImportResult, Issue, SheetCounts
from .services import import_workbook

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".zip")
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
        "samples": r.samples,
    }


def result_from_dict(d: dict) -> ImportResult:
    r = ImportResult(dry_run=d["dry_run"], written=d["written"], seconds=d.get("seconds", 0.0))
    r.counts = {k: SheetCounts(**v) for k, v in d["counts"].items()}
    r.errors = [Issue(**i) for i in d["errors"]]
    r.warnings = [Issue(**i) for i in d["warnings"]]
    r.samples = d.get("samples", {})
    return r


def _save_meta(folder: Path, meta: dict) -> None:
    tmp = folder / "meta.json.tmp"
    tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / "meta.json")


def load(upload_id: str, user) -> dict:
    """The upload's metadata, or DomainError when it does not exist for `user`."""
    folder = _folder(upload_id)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DomainError(_("This upload does not exist."))
    if meta.get("user_id") != getattr(user, "pk", None):
        raise DomainError(_("This upload does not exist."))
    meta["id"] = folder.name
    meta["check"] = result_from_dict(meta["check"])
    if meta.get("outcome"):
        meta["outcome"] = result_from_dict(meta["outcome"])
    return meta


def check_upload(uploaded, user) -> str:
    """Save an uploaded file and validate it (dry run). Returns the upload id."""
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
    upload_id = str(uuid.uuid4())
    folder = root() / upload_id
    folder.mkdir(parents=True, exist_ok=False)
    stored = folder / ("workbook" + suffix)
    with stored.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    result = import_workbook(stored, dry_run=True, actor=user, name=name)
    _save_meta(folder, {
        "user_id": user.pk, "name": _SAFE.sub("_", name)[:120] or "workbook" + suffix, "file": stored.name,
        "uploaded_at": timezone.now().isoformat(), "check": result_to_dict(result), "outcome": None,
    })
    return upload_id


def confirm_upload(upload_id: str, user) -> ImportResult:
    """Run the real import of a checked upload (all or nothing) and record its result."""
    meta = load(upload_id, user)
    folder = _folder(upload_id)
    if meta.get("outcome") is not None and meta["outcome"].written:
        return meta["outcome"]
    if meta["check"].errors:
        raise DomainError(_("This workbook has errors; correct them and upload it again."))
    stored = folder / meta["file"]
    if not stored.exists():
        raise DomainError(_("This upload does not exist."))
    result = import_workbook(stored, dry_run=False, actor=user, name=meta["name"])
    raw = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    raw["outcome"] = result_to_dict(result)
    raw["confirmed_at"] = timezone.now().isoformat()
    if result.written:
        stored.unlink(missing_ok=True)
    else:
        raw["check"] = raw["outcome"]  # the database changed since the check: show the new errors
    _save_meta(folder, raw)
    return result


def discard(upload_id: str, user) -> None:
    load(upload_id, user)
    shutil.rmtree(_folder(upload_id), ignore_errors=True)
