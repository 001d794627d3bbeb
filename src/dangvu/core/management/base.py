"""Base for dangvu commands: Vietnamese messages, exit 1 with a clear message on a user error."""

from __future__ import annotations

import argparse
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.functional import Promise

from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError


class DangvuCommand(BaseCommand):
    leave_locale_alone = True

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
            with audit_context(source="cli"):
                return super().execute(*args, **options)
        except (DomainError, CommandError) as exc:
            self.stderr.write(f"Lỗi: {exc}")
            sys.exit(1)

    def fail(self, message: str):
        raise CommandError(message)


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
