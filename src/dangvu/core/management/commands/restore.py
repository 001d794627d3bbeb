"""dangvu restore FILE [--yes]: replace the whole database by a backup of `dangvu backup` (phục hồi)."""

from __future__ import annotations

import sys
import time

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core import backup
from dangvu.core.management.base import DangvuCommand
from dangvu.core.management.commands.backup import ProgressPrinter, megabytes


class Command(DangvuCommand):
    needs_schema = False  # sets up (or replaces) the schema itself
    help = gettext_lazy(
        "Restore the whole database from a file made by dangvu backup (replaces all existing data). "
        "Example: dangvu restore /var/backups/dangvu/2026-12-06.dangvu --yes"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar=gettext_lazy("FILE"), help=gettext_lazy("Backup file to restore"))
        parser.add_argument("--yes", action="store_true",
                            help=gettext_lazy("Do not ask for confirmation; required when the database already holds data"))
        parser.add_argument("--database", default="default", help=gettext_lazy("Database alias (default: default)"))

    def handle(self, *args, file, yes, database, **options):
        manifest = backup.check(file, using=database)
        made = backup.created_on(manifest)
        self.stdout.write(_("Backup of a %(engine)s database made on %(when)s, %(mb)s MB.")
                          % {"engine": backup.ENGINE_NAMES[manifest["engine"]],
                             "when": date_format(made, "SHORT_DATETIME_FORMAT") if made else "?",
                             "mb": megabytes(manifest["payload_bytes"])})
        if not yes:
            if backup.holds_data(database):
                self.fail(_("The database holds data: restoring replaces all of it. "
                            "To do so, run again with --yes."))
            if not self._confirm():
                self.fail(_("Restore cancelled; nothing was changed."))
        started = time.monotonic()
        backup.restore(file, using=database, progress=ProgressPrinter(self.stdout))
        self.stdout.write(_("Database restored from %(file)s in %(seconds)s s.")
                          % {"file": file, "seconds": number_format(time.monotonic() - started, 1)})

    def _confirm(self) -> bool:
        self.stdout.write(_("Replace the whole database with this backup? Type “yes” to go on: "), ending="")
        self.stdout.flush()
        answer = sys.stdin.readline().strip().lower()
        return answer in ("yes", "y", "có", "co", "c")
