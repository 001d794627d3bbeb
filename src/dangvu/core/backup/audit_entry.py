"""The audit entry of a backup or restore (who, which file, its manifest), and the version recorded."""

from __future__ import annotations

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _


def _audit(using: str, operation: str, path: Path, manifest: dict, source: str = "cli") -> None:
    """One audit entry for a backup or a restore, when the (restored) database has the audit log."""
    from auditlog.models import LogEntry

    verb = _("Backup to %(file)s") if operation == "backup" else _("Restore from %(file)s")
    try:
        with transaction.atomic(using=using):
            # bulk_create: no pre_save signal, so django-auditlog's context keeps these details
            LogEntry.objects.using(using).bulk_create([LogEntry(
                content_type=ContentType.objects.db_manager(using).get_for_model(LogEntry),
                object_pk=operation, object_repr=verb % {"file": path.name},
                action=LogEntry.Action.ACCESS if operation == "backup" else LogEntry.Action.UPDATE,
                changes={}, additional_data={
                    "source": source, "operation": operation, "file": str(path.resolve()),
                    "bytes": manifest["payload_bytes"], "sha256": manifest["sha256"],
                    "backup_created_at": manifest["created_at"]})])
    except DatabaseError:  # a backup of a database without the audit log: nothing to write into
        pass


def _dangvu_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dangvu")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "?"
