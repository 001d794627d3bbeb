"""Errors raised by domain services: always with a message a user can act on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused an operation. `field` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class EditConflict(DomainError):
    """Somebody else saved the record after the version this write was made over (xung đột khi
    sửa): nothing was written. `current` is the record as it is now, for showing what changed."""

    def __init__(self, current):
        super().__init__(_("Someone else saved this record after you opened it; nothing has been saved."),
                         code="edit_conflict")
        self.current = current
