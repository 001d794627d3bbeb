"""`dangvu serve`: how many server processes, and the forked servers sharing one listening socket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from dangvu.core.management.commands import serve

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked servers need fork (not on Windows)")


def test_sqlite_keeps_one_process_unless_asked(settings, monkeypatch):
    settings.SERVE_PROCESSES = 0
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert serve.server_processes() == 1
    assert serve.server_processes(3) == 3  # asked for on the command line
    settings.SERVE_PROCESSES = 2
    assert serve.server_processes() == 2  # DANGVU_SERVE_PROCESSES


def test_postgresql_uses_the_cores_up_to_a_limit(settings, monkeypatch):
    settings.SERVE_PROCESSES = 0
    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(2)))
    assert serve.server_processes() == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)))
    assert serve.server_processes() == serve.AUTO_PROCESSES_MAX


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def _servers(pid: int) -> set[int] | None:
    """The two server processes under `pid`, once both are there."""
    children = _children(pid)
    return children if len(children) == 2 else None


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as r:
        r.read()
        return r.status


def _wait(predicate, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.mark.skipif(sys.platform != "linux", reason="reads the process tree with Linux ps")
def test_forked_servers_share_the_socket_restart_and_stop(tmp_path: Path):
    """Two waitress processes serve from one socket; one killed is replaced; SIGTERM stops them all."""
    port = _free_port()
    env = {**os.environ, "DANGVU_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    env.pop("DANGVU_DATABASE_URL", None)  # SQLite: one process unless asked for more, as here
    url = f"http://127.0.0.1:{port}/accounts/login/"
    subprocess.run([sys.executable, "-m", "dangvu.cli", "migrate", "-v0"], env=env, check=True)  # serve asks for it
    proc = subprocess.Popen([sys.executable, "-m", "dangvu.cli", "serve", "--port", str(port), "--processes", "2",
                             "--no-worker"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait(lambda: _get(url) == 200)
        servers = _wait(lambda: _servers(proc.pid))
        assert all(_get(url) == 200 for _ in range(6))
        killed = min(servers)
        os.kill(killed, signal.SIGKILL)
        replaced = _wait(lambda: (c := _servers(proc.pid)) and killed not in c and c)
        assert len(replaced & servers) == 1
        assert _get(url) == 200
        proc.send_signal(signal.SIGTERM)
        out, _err = proc.communicate(timeout=40)
        assert proc.returncode == 0, out
        assert f"process {killed} ended" in out
        for pid in replaced:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
