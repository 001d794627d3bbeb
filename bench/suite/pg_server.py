"""The bench's own PostgreSQL server (reference §9 settings) and its fresh benchmark database."""

from __future__ import annotations

import os
import subprocess
import urllib.parse
from pathlib import Path

from .settings import PG_OPTIONS, PG_PORT, PG_SERVER, PG_URL, WORK


def _pg_tool(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SystemExit(f"PostgreSQL's {name} not found under /usr/lib/postgresql (apt-get install postgresql)")
    return str(found[-1])


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def pg_server(start: bool) -> None:
    """Start (initdb on first use) or stop the bench's own PostgreSQL server."""
    data = WORK / "pg" / "data"
    if not start:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([_pg_tool("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                           check=False, capture_output=True)
        return
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres", str(data.parent)], check=True)
        subprocess.run(_as_postgres([_pg_tool("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                     "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
    if not (data / "postmaster.pid").exists():
        options = f"-p {PG_PORT} -k /tmp -c listen_addresses=127.0.0.1 {PG_SERVER}"
        subprocess.run(_as_postgres([_pg_tool("pg_ctl"), "-D", str(data), "-l", str(data.parent / "log"), "-w",
                                     "-o", options, "start"]), check=True, capture_output=True)


def fresh_database(backend: str) -> str:
    if backend == "sqlite":
        path = WORK / "dangvu_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    parts = urllib.parse.urlsplit(PG_URL)
    dbname = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    query = urllib.parse.urlencode({"options": PG_OPTIONS})
    return urllib.parse.urlunsplit(parts._replace(query=query))
