"""The `dangvu` command line (contracts §1): a thin front over Django management commands.

Exit codes: 0 on success, 1 on a user error (with a Vietnamese message on stderr), 2 on bad usage. Its
texts go through Django i18n like the commands' own, in the language of `settings.LANGUAGE_CODE`.
"""

from __future__ import annotations

import os
import sys

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

COMMANDS = {
    "migrate": ("migrate", gettext_lazy("Create or upgrade the database")),
    "demo": ("demo", gettext_lazy("Load the sample data (if the database is empty) and run the web server")),
    "serve": ("serve", gettext_lazy("Run the web server (with a background worker; --no-worker: without one)")),
    "worker": ("db_worker", gettext_lazy(
        "Run the background worker (large imports...) when the web server runs with --no-worker")),
    "import": ("import_workbook", gettext_lazy("Import an Excel workbook or a folder of CSV files (--dry-run: "
                                               "only check)")),
    "report": ("report", gettext_lazy("Export reports: snapshot, flows, badges, assessment, profile, checks, summary, "
                                      "form (the statistics forms), excellent-streak")),
    "user": ("user", gettext_lazy("Manage accounts: add, list, reset-2fa")),
    "synth": ("synth", gettext_lazy("Generate synthetic data at a given scale (--members N)")),
    "rebuild-history": ("rebuild_history", gettext_lazy("Rebuild the history periods from the events")),
    "backup": ("backup", gettext_lazy("Back up the whole database into one file")),
    "restore": ("restore", gettext_lazy("Restore the database from a backup file (--yes: do not ask again)")),
}


def usage() -> str:
    """The top-level help, in the active language."""
    lines = "\n".join(f"  {name:<16} {desc}" for name, (_command, desc) in COMMANDS.items())
    return (f"{_('Usage: dangvu COMMAND [options]')}\n\n{_('Commands:')}\n{lines}\n\n"
            f"{_('The options of a command: dangvu COMMAND --help')}\n")


def _activate_language() -> None:
    """Django set up and its language activated: the texts printed before a command runs are translated."""
    import django
    from django.conf import settings
    from django.utils import translation

    django.setup()
    translation.activate(settings.LANGUAGE_CODE)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    if not argv or argv[0] in ("-h", "--help", "help"):
        _activate_language()
        sys.stdout.write(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        _activate_language()
        sys.stderr.write(_("Error: there is no command “%(name)s”.") % {"name": name} + f"\n\n{usage()}")
        return 2
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["dangvu", COMMANDS[name][0], *rest])
    except KeyboardInterrupt:
        _activate_language()
        sys.stderr.write(f"\n{_('Stopped.')}\n")
        return 130
    except BrokenPipeError:  # the output piped into a reader that stopped early (`| head`): no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
