"""Writing a backup: SQLite's online backup API, or `pg_dump --format=custom`, hashed as it is written
behind the header."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import os_reason
from .archive import CHUNK, FORMAT, HEADER_BYTES, BackupError, Progress, _header, _noop, engine_of
from .audit_entry import _audit, _dangvu_version
from .pg_tools import _pg_env, _pg_server_major, _pg_tool


def backup(path: str | os.PathLike, *, using: str = "default", progress: Progress = _noop) -> dict:
    """Write a backup of the database `using` to `path` (a new file). Returns its manifest."""
    path = Path(path)
    engine = engine_of(using)
    if path.exists():
        raise BackupError(_("%(path)s already exists: choose another file name.") % {"path": path})
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": path.parent})
    if "django_migrations" not in connections[using].introspection.table_names():
        # what `dangvu restore` asks of a backup: an empty file would be "done" here and "damaged" there
        raise BackupError(_("The database %(name)s holds no Đảng vụ data (its tables were never created): "
                            "nothing to back up. Check DANGVU_DATABASE_URL and DANGVU_DATA_DIR.")
                          % {"name": connections[using].settings_dict["NAME"]})
    manifest = {"format": FORMAT, "engine": engine, "created_at": timezone.now().isoformat(timespec="seconds"),
                "dangvu_version": _dangvu_version()}
    partial = path.with_name(f".{path.name}.partial")
    try:
        # the dossiers of the party members: readable by the owner only
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            out.write(b" " * HEADER_BYTES)
            sink = _HashingWriter(out)
            if engine == "sqlite":
                manifest.update(_sqlite_backup(using, sink, progress, path.parent))
            else:
                manifest.update(_pg_backup(using, sink, progress))
            manifest.update(payload_bytes=sink.size, sha256=sink.sha.hexdigest())
            out.seek(0)
            out.write(_header(manifest))
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except OSError as exc:
        raise BackupError(_("Cannot write %(path)s: %(reason)s.") % {"path": path, "reason": os_reason(exc)}) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    _audit(using, "backup", path, manifest)
    return manifest


class _HashingWriter:
    def __init__(self, out):
        self.out, self.sha, self.size = out, hashlib.sha256(), 0

    def write(self, chunk: bytes) -> None:
        self.out.write(chunk)
        self.sha.update(chunk)
        self.size += len(chunk)


def _sqlite_backup(using: str, sink: _HashingWriter, progress: Progress, folder: Path) -> dict:
    conn = connections[using]
    conn.ensure_connection()
    with tempfile.TemporaryDirectory(prefix=".dangvu-backup-", dir=folder) as tmp:  # room beside the backup
        copy = Path(tmp) / "db.sqlite3"
        target = sqlite3.connect(copy)
        try:
            conn.connection.backup(target, pages=1024,
                                   progress=lambda _status, remaining, total: progress(total - remaining, total))
        finally:
            target.close()
        with open(copy, "rb") as fh:
            while chunk := fh.read(CHUNK):
                sink.write(chunk)
    return {"server_version": sqlite3.sqlite_version}


def _pg_backup(using: str, sink: _HashingWriter, progress: Progress) -> dict:
    server = _pg_server_major(using)
    tool, tool_major = _pg_tool("pg_dump", server)
    with subprocess.Popen([tool, "--format=custom"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=_pg_env(using)) as proc:
        while chunk := proc.stdout.read(CHUNK):
            sink.write(chunk)
            progress(sink.size, None)
        errors = proc.stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        raise BackupError(_("pg_dump failed: %(detail)s") % {"detail": errors.strip() or proc.returncode})
    return {"server_version": server, "tool_version": tool_major}
