"""Backup and restore of the whole database (sao lưu và phục hồi cơ sở dữ liệu).

PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean --if-exists --no-owner` in one transaction.
SQLite: the online backup API (`sqlite3.Connection.backup`), safe while the server runs, both ways.

A backup file starts with a header block of `HEADER_BYTES` bytes: the line `DANGVU-BACKUP`, then a JSON
manifest (format, engine, payload size and SHA-256, server and tool versions, creation time), padded with
spaces; the engine's own payload follows (a custom-format archive, or an SQLite database file). `restore`
checks the whole file against its manifest, and the payload itself, before it changes anything.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

MAGIC = b"DANGVU-BACKUP\n"
FORMAT = 1
HEADER_BYTES = 4096
CHUNK = 1024 * 1024
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
#: Tables `migrate` fills by itself: rows there do not make a database "hold data".
FRAMEWORK_MODELS = ("contenttypes.contenttype", "auth.permission")

#: progress(done, total): bytes (or SQLite pages) done so far out of total (None when unknown).
Progress = Callable[[int, int | None], None]


class BackupError(DomainError):
    """A backup or restore refused, with a message the operator can act on; nothing was changed."""


def engine_of(using: str = "default") -> str:
    vendor = ENGINES.get(connections[using].settings_dict["ENGINE"])
    if vendor is None:
        raise BackupError(_("Backup supports only SQLite and PostgreSQL databases."))
    return vendor


def _noop(done: int, total: int | None) -> None:
    pass


# --- the file ------------------------------------------------------------------------------------

def _header(manifest: dict) -> bytes:
    text = MAGIC + json.dumps(manifest, ensure_ascii=True, sort_keys=True).encode() + b"\n"
    if len(text) > HEADER_BYTES:  # pragma: no cover - the manifest is a few hundred bytes
        raise BackupError(_("The backup manifest is too long."))
    return text.ljust(HEADER_BYTES, b" ")


def read_manifest(path: str | os.PathLike) -> dict:
    """The manifest of a backup file; BackupError unless it is a whole, unaltered dangvu backup."""
    path = Path(path)
    corrupt = _("%(path)s is not a dangvu backup file, or it is damaged.") % {"path": path}
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEADER_BYTES)
            if len(head) < HEADER_BYTES or not head.startswith(MAGIC):
                raise BackupError(corrupt)
            try:
                manifest = json.loads(head[len(MAGIC):].split(b"\n", 1)[0])
                engine, size, digest = manifest["engine"], int(manifest["payload_bytes"]), manifest["sha256"]
            except (ValueError, KeyError, TypeError) as exc:
                raise BackupError(corrupt) from exc
            if manifest.get("format") != FORMAT or engine not in ENGINE_NAMES:
                raise BackupError(corrupt)
            sha, read = hashlib.sha256(), 0
            while chunk := fh.read(CHUNK):
                sha.update(chunk)
                read += len(chunk)
    except FileNotFoundError as exc:
        raise BackupError(_("The file %(path)s does not exist.") % {"path": path}) from exc
    except IsADirectoryError as exc:
        raise BackupError(_("%(path)s is a folder, not a backup file.") % {"path": path}) from exc
    except OSError as exc:
        raise BackupError(_("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": exc.strerror or exc}) from exc
    if read != size or sha.hexdigest() != digest:
        raise BackupError(_("%(path)s is incomplete or damaged (its content does not match its checksum).")
                          % {"path": path})
    return manifest


# --- backup --------------------------------------------------------------------------------------

def backup(path: str | os.PathLike, *, using: str = "default", progress: Progress = _noop) -> dict:
    """Write a backup of the database `using` to `path` (a new file). Returns its manifest."""
    path = Path(path)
    engine = engine_of(using)
    if path.exists():
        raise BackupError(_("%(path)s already exists: choose another file name.") % {"path": path})
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": path.parent})
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
        raise BackupError(_("Cannot write %(path)s: %(reason)s.") % {"path": path, "reason": exc.strerror or exc}) from exc
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


# --- restore -------------------------------------------------------------------------------------

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


# --- PostgreSQL tools ----------------------------------------------------------------------------

def _pg_server_major(using: str) -> int:
    conn = connections[using]
    conn.ensure_connection()
    return conn.pg_version // 10000


def _pg_tool(name: str, server_major: int) -> tuple[str, int]:
    """The path and major version of `name` able to work with a PostgreSQL `server_major` server:
    from DANGVU_PG_BIN_DIR, the Debian folder of that version, or the PATH."""
    places = [settings.DANGVU_PG_BIN_DIR] if settings.DANGVU_PG_BIN_DIR else []
    places += [f"/usr/lib/postgresql/{server_major}/bin", None]
    found = [tool for place in places if (tool := shutil.which(name, path=place))]
    if not found:
        raise BackupError(_("The PostgreSQL program %(tool)s was not found. Install the PostgreSQL %(major)s "
                            "client tools (Debian: apt install postgresql-client-%(major)s) or set "
                            "DANGVU_PG_BIN_DIR to their folder.") % {"tool": name, "major": server_major})
    tool = found[0]
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    major = int(match.group(1)) if match else 0
    if major < server_major:
        raise BackupError(_("%(tool)s is version %(tool_major)s but PostgreSQL %(major)s is needed. Install the "
                            "PostgreSQL %(major)s client tools (Debian: apt install postgresql-client-%(major)s) "
                            "or set DANGVU_PG_BIN_DIR to their folder.")
                          % {"tool": tool, "tool_major": major or "?", "major": server_major})
    return tool, major


def _pg_env(using: str) -> dict:
    """libpq's environment for the database `using` (the password never on a command line)."""
    sd = connections[using].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if sd.get(key):
            env[var] = str(sd[key])
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "service"):
        if sd.get("OPTIONS", {}).get(key):
            env[f"PG{key.upper()}"] = str(sd["OPTIONS"][key])
    return env


# --- audit ---------------------------------------------------------------------------------------

def _audit(using: str, operation: str, path: Path, manifest: dict, source: str = "cli") -> None:
    """One audit entry for a backup or a restore, when the (restored) database has the audit log."""
    from auditlog.models import LogEntry

    verb = _("Backup to %(file)s") if operation == "backup" else _("Restore from %(file)s")
    try:
        with transaction.atomic(using=using):
            # bulk_create: no pre_save signal, so django-auditlog's context keeps these details
            LogEntry.objects.using(using).bulk_create([LogEntry(
                content_type=ContentType.objects.db_manager(using).get_for_model(LogEntry),
                object_pk=operation, object_repr=verb % {"file": path.name},
                action=LogEntry.Action.ACCESS if operation == "backup" else LogEntry.Action.UPDATE,
                changes={}, additional_data={
                    "source": source, "operation": operation, "file": str(path.resolve()),
                    "bytes": manifest["payload_bytes"], "sha256": manifest["sha256"],
                    "backup_created_at": manifest["created_at"]})])
    except DatabaseError:  # a backup of a database without the audit log: nothing to write into
        pass


def _dangvu_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dangvu")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "?"


def created_on(manifest: dict) -> dt.datetime | None:
    """The local time the backup was made, for display."""
    try:
        return timezone.localtime(dt.datetime.fromisoformat(manifest["created_at"]))
    except (KeyError, ValueError):
        return None
