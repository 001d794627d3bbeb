"""Errors raised by domain services: always with a message a user can act on."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an operation. `field` names the input at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message
