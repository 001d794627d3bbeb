"""dangvu serve: the web application on a production WSGI server (waitress), static files by WhiteNoise,
and one background worker (django-tasks' `db_worker`, settings.TASKS) as a child process, so that the
embedded default needs no other service; `--no-worker` when workers run apart (`dangvu worker`).

One waitress process runs Python on one core at a time (the GIL). On Linux with PostgreSQL, `serve`
binds the listening socket once and forks `--processes` waitress servers that accept from it (the
kernel hands each connection to one of them), so every core serves requests; the background worker is
still started once, by the parent, which restarts a server process that dies and stops them all with
the service. SQLite (one file, one writer) and Windows (no fork) keep one process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import traceback

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.management.base import DangvuCommand

#: Threads of each waitress process (requests served at once by one process).
THREADS = 8
#: Most processes chosen automatically (each holds up to THREADS database connections).
AUTO_PROCESSES_MAX = 4
#: A server process that dies sooner than this after its start is not restarted at once.
RESTART_DELAY_SECONDS = 1.0


def start_worker() -> subprocess.Popen:
    """`dangvu worker` in a child process (same interpreter, same environment)."""
    return subprocess.Popen([sys.executable, "-m", "dangvu.cli", "worker"])


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()  # the worker finishes its running task's step and stops (SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def default_processes() -> int:
    """The number of server processes when neither `--processes` nor DANGVU_SERVE_PROCESSES says:
    1 on SQLite or without fork (Windows); else one per core available, at most AUTO_PROCESSES_MAX."""
    if not hasattr(os, "fork") or connection.vendor == "sqlite":
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, AUTO_PROCESSES_MAX))


def server_processes(asked: int | None = None) -> int:
    """`asked` (the --processes option), else settings.SERVE_PROCESSES, else `default_processes()`;
    1 where there is no fork."""
    n = asked or getattr(settings, "SERVE_PROCESSES", 0) or default_processes()
    return n if hasattr(os, "fork") else 1


def bind_sockets(host: str, port: int) -> list[socket.socket]:
    """The listening sockets for host:port, resolved as waitress resolves them, bound once."""
    from waitress.adjustments import Adjustments

    adj = Adjustments(host=host, port=port)
    sockets = []
    try:
        for family, socktype, proto, sockaddr in adj.listen:
            sock = socket.socket(family, socktype, proto)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(sockaddr)
            sock.listen(adj.backlog)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _serve_child(application, sockets: list[socket.socket]) -> None:
    """In a forked child: serve from the shared sockets until told to stop; never returns."""
    from waitress import serve

    code = 0
    try:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        signal.signal(signal.SIGINT, signal.default_int_handler)
        serve(application, sockets=sockets, threads=THREADS, ident="dangvu", _quiet=True)
    except (KeyboardInterrupt, SystemExit):
        pass
    except BaseException:  # noqa: BLE001 — reported, then the parent starts another process
        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def serve_processes(application, sockets: list[socket.socket], processes: int) -> None:
    """Fork `processes` waitress servers on `sockets` and watch them: a process that dies is started
    again; on SIGTERM/Ctrl+C (SystemExit/KeyboardInterrupt here) every process is stopped."""
    connections.close_all()  # no database connection may be shared across fork
    children: dict[int, float] = {}

    def fork_one() -> None:
        pid = os.fork()
        if pid == 0:
            _serve_child(application, sockets)
        children[pid] = time.monotonic()

    try:
        for _i in range(processes):
            fork_one()
        while True:
            try:
                pid, status = os.wait()
            except KeyboardInterrupt:  # Ctrl+C reached every process of the group: they stop too
                return
            started = children.pop(pid, None)
            if started is None:  # not a server process (e.g. the background worker)
                continue
            sys.stderr.write(f"dangvu serve: process {pid} ended ({status}); starting another\n")
            if time.monotonic() - started < RESTART_DELAY_SECONDS:
                time.sleep(RESTART_DELAY_SECONDS)
            fork_one()
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        for pid in list(children):
            while time.monotonic() < deadline:
                done, _status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.05)
            else:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def run_server(host: str, port: int, stdout, *, worker: bool = True, processes: int | None = None) -> None:
    from waitress import serve

    from dangvu.wsgi import application

    processes = server_processes(processes)
    sockets = bind_sockets(host, port) if processes > 1 else None  # before the worker: a taken port fails first
    child = start_worker() if worker else None
    if child is not None or sockets:  # a service manager stops with SIGTERM: stop the children too (finally)
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    stdout.write(_("Serving at http://%(host)s:%(port)s/ (Ctrl+C to stop)") % {"host": host, "port": port})
    try:
        if sockets:
            stdout.write(_("%(n)s server processes of %(threads)s threads each") % {"n": processes, "threads": THREADS})
            stdout.flush()
            serve_processes(application, sockets, processes)
        else:
            serve(application, host=host, port=port, threads=THREADS, ident="dangvu")
    finally:
        for sock in sockets or ():
            sock.close()
        if child is not None:
            stop_worker(child)


class Command(DangvuCommand):
    help = gettext_lazy("Run the web server (default 127.0.0.1:8000) together with a background task process.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--processes", type=int, default=None,
                            help=gettext_lazy(
                                "Number of web server processes (default: DANGVU_SERVE_PROCESSES, or the number "
                                "of CPU cores — at most 4 — with PostgreSQL on Linux; 1 with SQLite and on Windows)."))
        parser.add_argument("--no-worker", action="store_true",
                            help=gettext_lazy("Do not run the background task process alongside (when `dangvu worker` runs separately)."))

    def handle(self, *args, host, port, processes, no_worker, **options):
        if processes is not None and processes < 1:
            self.fail(_("--processes must be at least 1."))
        run_server(host, port, self.stdout, worker=not no_worker, processes=processes)
