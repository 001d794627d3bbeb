"""The PostgreSQL tools a backup needs: pg_dump and pg_restore of the server's major version or newer,
and the environment that connects them to the database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from .archive import BackupError


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
