"""The backup file: a header block (the line `DANGVU-BACKUP` and a JSON manifest, padded to
`HEADER_BYTES`), then the engine's payload; the manifest read and the whole file checked against it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import DomainError, os_reason

MAGIC = b"DANGVU-BACKUP\n"
FORMAT = 1
HEADER_BYTES = 4096
CHUNK = 1024 * 1024
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

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
        raise BackupError(_("Cannot read %(path)s: %(reason)s.") % {"path": path, "reason": os_reason(exc)}) from exc
    if read != size or sha.hexdigest() != digest:
        raise BackupError(_("%(path)s is incomplete or damaged (its content does not match its checksum).")
                          % {"path": path})
    return manifest


def created_on(manifest: dict) -> dt.datetime | None:
    """The local time the backup was made, for display."""
    try:
        return timezone.localtime(dt.datetime.fromisoformat(manifest["created_at"]))
    except (KeyError, ValueError):
        return None
