"""The field-level audit log (django-auditlog) with who, when, from where (web, api, cli, import).

Every write goes through a service; signals of django-auditlog record single saves. Bulk writes
(imports, demo, synth) call `log_bulk_created` / `log_bulk_updated` so that they are audited too.
"""

from __future__ import annotations

import contextlib
import json

from auditlog.context import auditlog_value, call_context_manager
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

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


BATCH = 5000


def _next_ids(n: int):
    """n new LogEntry primary keys (the sequence on PostgreSQL; max(id) under the write lock on SQLite)."""
    table = LogEntry._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        start = cur.fetchone()[0] + 1
        return range(start, start + n)


def _s(v) -> str:
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


class _Writer:
    """LogEntry rows built as tuples in the table's column order and inserted in batches (COPY on
    PostgreSQL, executemany on SQLite): Django's bulk_create was the slowest step of a large import."""

    VARYING = ("id", "content_type_id", "object_pk", "object_id", "object_repr", "changes")

    def __init__(self, actor, source: str, action: int):
        user = actor if getattr(actor, "is_authenticated", False) else None
        fields = list(LogEntry._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        timestamp = next(f for f in fields if f.attname == "timestamp")
        constant = {
            "actor_id": user.pk if user else None,
            "actor_email": (getattr(user, "email", None) or None) if user else None,
            "action": action,
            "changes_text": "",
            "serialized_data": None,
            "cid": None,
            "remote_addr": None,
            "remote_port": None,
            "timestamp": timestamp.get_db_prep_save(timezone.now(), connection),
            "additional_data": json.dumps({"source": source}),  # COPY's text format parses JSON text
        }
        names = [f.attname for f in fields]
        self.template = [constant.get(n) for n in names]
        self.slots = [names.index(n) for n in self.VARYING]
        self.rows: list[tuple] = []

    def add(self, ct_id: int, obj, repr_text: str, changes: dict) -> None:
        self.rows.append((ct_id, str(obj.pk), obj.pk, repr_text[:200], json.dumps(changes, ensure_ascii=False)))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        tuples = []
        template, slots = self.template, self.slots
        for pk, row in zip(_next_ids(len(self.rows)), self.rows, strict=True):
            t = list(template)
            for slot, value in zip(slots, (pk, *row), strict=True):
                t[slot] = value
            tuples.append(t)
        table = connection.ops.quote_name(LogEntry._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for t in tuples:
                        copy.write_row(t)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuples)
        self.rows = []


def _audited_names(model) -> list[str]:
    excluded = set(auditlog.get_model_fields(model).get("exclude_fields") or ()) if auditlog.contains(model) else set()
    return [f.attname for f in model._meta.concrete_fields if f.attname != "id" and f.name not in excluded]


def log_bulk_created(objects, *, actor=None, source: str = "import") -> int:
    """One CREATE entry per object written in bulk (bulk writes send no signals), with its non-empty
    values, as django-auditlog writes for a single save."""
    w = _Writer(actor, source, LogEntry.Action.CREATE)
    cache: dict[type, tuple] = {}
    n = 0
    for obj in objects:
        model = type(obj)
        if model not in cache:
            rep = model.bulk_repr() if hasattr(model, "bulk_repr") else str
            cache[model] = (ContentType.objects.get_for_model(model).pk, _audited_names(model), rep)
        ct_id, names, rep = cache[model]
        values = obj.__dict__
        changes = {}
        for name in names:
            v = values.get(name)
            if v is None or v == "":
                continue
            changes[name] = ["None", v if type(v) is str else _s(v)]
        w.add(ct_id, obj, rep(obj), changes)
        n += 1
    w.flush()
    return n


def log_bulk_updated(entries: list[tuple[object, dict]], *, actor=None, source: str = "import") -> int:
    """One UPDATE entry per (object, {field: [old, new]}) written in bulk."""
    w = _Writer(actor, source, LogEntry.Action.UPDATE)
    for obj, changes in entries:
        ct_id = ContentType.objects.get_for_model(type(obj)).pk
        w.add(ct_id, obj, str(obj), {k: [_s(a), _s(b)] for k, (a, b) in changes.items()})
    w.flush()
    return len(entries)


class AuditMiddleware:
    """Set the actor and the source (web or api) of every write done while serving a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = "api" if request.path.startswith("/api/") else "web"
        user = getattr(request, "user", None)
        with audit_context(actor=user, source=source, remote_addr=request.META.get("REMOTE_ADDR")):
            return self.get_response(request)
