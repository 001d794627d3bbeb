"""Restoring a backup into a database (checked first, asked before replacing data): SQLite's backup API
the other way, or `pg_restore --clean --if-exists --no-owner` in one transaction."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.utils.translation import gettext as _

from .archive import CHUNK, ENGINE_NAMES, HEADER_BYTES, BackupError, Progress, _noop, engine_of, read_manifest
from .audit_entry import _audit
from .pg_tools import _pg_env, _pg_server_major, _pg_tool

#: Tables `migrate` fills by itself: rows there do not make a database "hold data".
FRAMEWORK_MODELS = ("contenttypes.contenttype", "auth.permission")


def holds_data(using: str = "default") -> bool:
    """True when a table of the application (not the ones `migrate` fills) has a row."""
    existing = set(connections[using].introspection.table_names())
    for model in apps.get_models():
        if model._meta.label_lower in FRAMEWORK_MODELS or model._meta.db_table not in existing:
            continue
        if model._default_manager.using(using).exists():
            return True
    return False


def check(path: str | os.PathLike, *, using: str = "default") -> dict:
    """The manifest of `path` when it can be restored into `using`; BackupError otherwise."""
    manifest = read_manifest(path)
    engine = engine_of(using)
    if manifest["engine"] != engine:
        raise BackupError(_("%(path)s is a backup of a %(theirs)s database; this server uses %(ours)s. "
                            "Restore it into a %(theirs)s database.")
                          % {"path": path, "theirs": ENGINE_NAMES[manifest["engine"]], "ours": ENGINE_NAMES[engine]})
    return manifest


def restore(path: str | os.PathLike, *, using: str = "default", progress: Progress = _noop) -> dict:
    """Replace the whole database `using` by the backup at `path`; all or nothing. Returns the manifest."""
    manifest = check(path, using=using)
    if manifest["engine"] == "sqlite":
        _sqlite_restore(Path(path), using, progress)
    else:
        _pg_restore(Path(path), manifest, using, progress)
    ContentType.objects.clear_cache()  # the ids are the backup's now
    _audit(using, "restore", Path(path), manifest)
    return manifest


def _sqlite_restore(path: Path, using: str, progress: Progress) -> None:
    damaged = _("%(path)s is damaged: its database does not open.") % {"path": path}
    with tempfile.TemporaryDirectory(prefix="dangvu-restore-") as tmp:
        copy = Path(tmp) / "db.sqlite3"
        with open(path, "rb") as fh, open(copy, "wb") as out:
            fh.seek(HEADER_BYTES)
            shutil.copyfileobj(fh, out, CHUNK)
        source = sqlite3.connect(copy)
        try:
            try:
                ok = source.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                ok = ok and source.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'").fetchone()
            except sqlite3.DatabaseError as exc:
                raise BackupError(damaged) from exc
            if not ok:
                raise BackupError(damaged)
            conn = connections[using]
            conn.ensure_connection()
            source.backup(conn.connection, pages=1024,
                          progress=lambda _status, remaining, total: progress(total - remaining, total))
        finally:
            source.close()


def _pg_restore(path: Path, manifest: dict, using: str, progress: Progress) -> None:
    server = _pg_server_major(using)
    made_on = int(manifest.get("server_version") or 0)
    if made_on > server:
        raise BackupError(_("%(path)s was made on PostgreSQL %(theirs)s; this server runs PostgreSQL %(ours)s. "
                            "Restore it on PostgreSQL %(theirs)s or newer.")
                          % {"path": path, "theirs": made_on, "ours": server})
    tool, _major = _pg_tool("pg_restore", max(server, int(manifest.get("tool_version") or 0)))
    env = _pg_env(using)
    listing = _run_on_payload(path, [tool, "--list"], env)
    if listing.returncode != 0:
        raise BackupError(_("%(path)s is damaged: pg_restore cannot read it (%(detail)s).")
                          % {"path": path, "detail": listing.stderr.strip()})
    connections[using].close()  # hold no lock on the tables pg_restore drops
    progress(0, manifest["payload_bytes"])
    result = _run_on_payload(path, [tool, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                    "--exit-on-error", f"--dbname={connections[using].settings_dict['NAME']}"], env)
    if result.returncode != 0:
        raise BackupError(_("pg_restore failed, the database is unchanged: %(detail)s")
                          % {"detail": result.stderr.strip()})
    progress(manifest["payload_bytes"], manifest["payload_bytes"])


def _run_on_payload(path: Path, args: list[str], env: dict) -> subprocess.CompletedProcess:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.lseek(fd, HEADER_BYTES, os.SEEK_SET)
        return subprocess.run(args, stdin=fd, capture_output=True, text=True, env=env, check=False)
    finally:
        os.close(fd)
