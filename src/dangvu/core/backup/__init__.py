"""Backup and restore of the whole database (sao lưu và phục hồi cơ sở dữ liệu).

PostgreSQL: `pg_dump --format=custom` / `pg_restore --clean --if-exists --no-owner` in one transaction.
SQLite: the online backup API (`sqlite3.Connection.backup`), safe while the server runs, both ways.

A backup file starts with a header block of `HEADER_BYTES` bytes: the line `DANGVU-BACKUP`, then a JSON
manifest (format, engine, payload size and SHA-256, server and tool versions, creation time), padded with
spaces; the engine's own payload follows (a custom-format archive, or an SQLite database file). `restore`
checks the whole file against its manifest, and the payload itself, before it changes anything.

Modules: `archive` (the file and its manifest), `writing`, `restoring`, `pg_tools`, `audit_entry`.
"""

from __future__ import annotations

from .archive import ENGINE_NAMES, HEADER_BYTES, BackupError, created_on, engine_of, read_manifest
from .restoring import check, holds_data, restore
from .writing import backup

__all__ = [
    "BackupError",
    "ENGINE_NAMES",
    "HEADER_BYTES",
    "backup",
    "check",
    "created_on",
    "engine_of",
    "holds_data",
    "read_manifest",
    "restore",
]
