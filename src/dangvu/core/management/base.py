"""Base for dangvu commands: Vietnamese messages, exit 1 with a clear message on a user error."""

from __future__ import annotations

import argparse
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError


class DangvuCommand(BaseCommand):
    leave_locale_alone = True
    #: Refuse to run, saying what to do, over a database whose schema is missing or out of date (a wrong
    #: DANGVU_DATA_DIR or DANGVU_DATABASE_URL, `dangvu migrate` not run after an upgrade). The commands
    #: that migrate themselves (demo, synth) or replace the database (restore) set it to False.
    needs_schema = True

    def run_from_argv(self, argv):
        # The parser (and so --help and argparse's errors) is built before execute(): choose the language first.
        translation.activate(settings.LANGUAGE_CODE)
        return super().run_from_argv(argv)

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        _resolve_lazy_texts(parser)
        return parser

    def execute(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            if self.needs_schema:
                _check_schema()
            with audit_context(source="cli"):
                return super().execute(*args, **options)
        except (DomainError, CommandError) as exc:
            self.stderr.write(f"Lỗi: {exc}")
            sys.exit(1)

    def fail(self, message: str):
        raise CommandError(message)


def _check_schema() -> None:
    """A CommandError, in the user's words, when the database cannot be reached or lacks migrations."""
    connection = connections[DEFAULT_DB_ALIAS]
    name = connection.settings_dict["NAME"]
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise CommandError(_("Cannot open the database %(name)s: %(reason)s") % {"name": name, "reason": exc}) from exc
    if pending:
        fresh = not executor.loader.applied_migrations
        raise CommandError((_("The database %(name)s has no Đảng vụ data yet: run “dangvu migrate” first, or check "
                              "DANGVU_DATABASE_URL and DANGVU_DATA_DIR.") if fresh else
                            _("The database %(name)s is not up to date with this version: run “dangvu migrate” "
                              "first.")) % {"name": name})


def _resolve_lazy_texts(parser: argparse.ArgumentParser) -> None:
    """Turn the gettext_lazy texts of a built parser into str, in the active language.

    argparse runs str-only operations on descriptions and metavars (re.sub, str.join), which a lazy
    translation does not pass; help texts are converted too so that one language is used throughout.
    """
    if isinstance(parser.description, Promise):
        parser.description = str(parser.description)
    for action in parser._actions:
        _resolve_action(action)
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                _resolve_action(choice)
            for sub in action.choices.values():
                _resolve_lazy_texts(sub)


def _resolve_action(action: argparse.Action) -> None:
    for name in ("help", "metavar"):
        if isinstance(getattr(action, name), Promise):
            setattr(action, name, str(getattr(action, name)))
