"""Errors raised by domain services: always with a message a user can act on."""

from __future__ import annotations

import errno

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


#: The operating system's reasons a file or a port could not be used, in the user's words (its own
#: `strerror` is English whatever the language).
_OS_REASONS = {
    errno.ENOENT: _("there is no such file or folder"),
    errno.ENOTDIR: _("part of the path is not a folder"),
    errno.EACCES: _("permission denied"),
    errno.EPERM: _("permission denied"),
    errno.ENOSPC: _("the disk is full"),
    errno.EROFS: _("the disk is read-only"),
    errno.EISDIR: _("it is a folder"),
    errno.EEXIST: _("it already exists"),
    errno.EADDRINUSE: _("the address is already in use (another program serves on this port)"),
    errno.EADDRNOTAVAIL: _("this machine has no such address"),
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in the active language (the system's words otherwise)."""
    reason = _OS_REASONS.get(exc.errno)
    return str(reason) if reason is not None else str(exc.strerror or exc)
