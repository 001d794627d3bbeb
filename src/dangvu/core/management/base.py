"""Base for dangvu commands: Vietnamese messages, exit 1 with a clear message on a user error."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError


class DangvuCommand(BaseCommand):
    leave_locale_alone = True

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
