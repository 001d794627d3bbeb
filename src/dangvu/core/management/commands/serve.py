"""dangvu serve: the web application on a production WSGI server (waitress), static files by WhiteNoise."""

from django.utils.translation import gettext as _

from dangvu.core.management.base import DangvuCommand


def run_server(host: str, port: int, stdout) -> None:
    from waitress import serve

    from dangvu.wsgi import application

    stdout.write(_("Serving at http://%(host)s:%(port)s/ (Ctrl+C to stop)") % {"host": host, "port": port})
    serve(application, host=host, port=port, threads=8, ident="dangvu")


class Command(DangvuCommand):
    help = "Chạy máy chủ web (mặc định 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        run_server(host, port, self.stdout)
