"""dangvu serve: the web application on a production WSGI server (waitress), static files by WhiteNoise,
and one background worker (django-tasks' `db_worker`, settings.TASKS) as a child process, so that the
embedded default needs no other service; `--no-worker` when workers run apart (`dangvu worker`)."""

import signal
import subprocess
import sys

from django.utils.translation import gettext as _

from dangvu.core.management.base import DangvuCommand


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


def run_server(host: str, port: int, stdout, *, worker: bool = True) -> None:
    from waitress import serve

    from dangvu.wsgi import application

    child = start_worker() if worker else None
    if child is not None:  # a service manager stops with SIGTERM: stop the worker too (finally below)
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    stdout.write(_("Serving at http://%(host)s:%(port)s/ (Ctrl+C to stop)") % {"host": host, "port": port})
    try:
        serve(application, host=host, port=port, threads=8, ident="dangvu")
    finally:
        if child is not None:
            stop_worker(child)


class Command(DangvuCommand):
    help = "Chạy máy chủ web (mặc định 127.0.0.1:8000) cùng một tiến trình chạy việc nền."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true",
                            help="Không chạy tiến trình việc nền kèm theo (khi đã chạy `dangvu worker` riêng).")

    def handle(self, *args, host, port, no_worker, **options):
        run_server(host, port, self.stdout, worker=not no_worker)
