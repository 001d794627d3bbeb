"""dangvu backup FILE: a backup of the whole database (sao lưu), to restore with `dangvu restore FILE`."""

from __future__ import annotations

import time

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core import backup
from dangvu.core.management.base import DangvuCommand


def megabytes(size: int) -> str:
    return number_format(size / 1_000_000, 1, force_grouping=True)


class ProgressPrinter:
    """Prints progress every tenth (or every 100 MB when the total is unknown)."""

    def __init__(self, stdout):
        self.stdout, self.shown = stdout, -1

    def __call__(self, done: int, total: int | None) -> None:
        if total:
            step = done * 10 // total
            if step > self.shown:
                self.shown = step
                self.stdout.write(f"  {step * 10}%")
        elif done // 100_000_000 > max(self.shown, 0):
            self.shown = done // 100_000_000
            self.stdout.write(_("  %(mb)s MB written") % {"mb": megabytes(done)})


class Command(DangvuCommand):
    help = gettext_lazy("Back up the whole database into a new file. Example: dangvu backup /var/backups/dangvu/2026-12-06.dangvu")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar=gettext_lazy("FILE"), help=gettext_lazy("Backup file (must not exist yet)"))
        parser.add_argument("--database", default="default", help=gettext_lazy("Database alias (default: default)"))

    def handle(self, *args, file, database, **options):
        engine = backup.engine_of(database)
        self.stdout.write(_("Backing up the %(engine)s database to %(file)s…")
                          % {"engine": backup.ENGINE_NAMES[engine], "file": file})
        started = time.monotonic()
        manifest = backup.backup(file, using=database, progress=ProgressPrinter(self.stdout))
        self.stdout.write(_("Backup written: %(file)s, %(mb)s MB in %(seconds)s s.")
                          % {"file": file, "mb": megabytes(manifest["payload_bytes"]),
                             "seconds": number_format(time.monotonic() - started, 1)})
