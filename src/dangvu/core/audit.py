"""The field-level audit log (django-auditlog) with who, when, from where (web, api, cli, import).

Every write goes through a service; signals of django-auditlog record single saves. Bulk writes
(imports, demo, synth) call `log_bulk_created` so that they are audited too.
"""

from __future__ import annotations

import contextlib

from auditlog.context import auditlog_value, call_context_manager
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

SOURCES = ("web", "api", "cli", "import", "system")


@contextlib.contextmanager
def audit_context(*, actor=None, source: str = "system", remote_addr: str | None = None):
    """Attribute every audit entry written inside the block to `actor`, coming from `source`."""
    data = {"additional_data": {"source": source}, "remote_addr": remote_addr}
    if actor is not None and getattr(actor, "is_authenticated", False):
        data["actor"] = actor
    previous = auditlog_value.get(None)
    try:
        yield from call_context_manager(data)
    finally:
        # django-auditlog does not restore an enclosing context on exit; do it here so that a
        # nested context (an import started from a web request) neither leaks nor loses the outer one.
        if previous is not None:
            auditlog_value.set(previous)


def log_bulk_created(objects, *, actor=None, source: str = "import", fields: list[str] | None = None) -> int:
    """Write one CREATE audit entry per object created by bulk_create (which skips signals)."""
    entries = []
    ct_cache: dict[type, ContentType] = {}
    for obj in objects:
        model = type(obj)
        ct = ct_cache.get(model) or ct_cache.setdefault(model, ContentType.objects.get_for_model(model))
        names = fields or [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        changes = {n: ["None", _s(getattr(obj, n))] for n in names if getattr(obj, n) not in (None, "")}
        entries.append(
            LogEntry(
                content_type=ct,
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=LogEntry.Action.CREATE,
                changes=changes,
                changes_text="",
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                additional_data={"source": source},
            )
        )
    LogEntry.objects.bulk_create(entries, batch_size=2000)
    return len(entries)


def _s(v) -> str:
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


class AuditMiddleware:
    """Set the actor and the source (web or api) of every write done while serving a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        user = getattr(request, "user", None)
        with audit_context(actor=user, source=source, remote_addr=request.META.get("REMOTE_ADDR")):
            return self.get_response(request)
