"""Audit entries for rows written in bulk by an import (source "import", with the actor).

The same entries as `core.audit.log_bulk_created` (one CREATE per row with its non-empty values;
one UPDATE per corrected row with old → new values), written faster: an import writes one entry
per member and per event, so the entries are built as plain tuples and inserted with COPY on
PostgreSQL (executemany on SQLite) instead of Django's `bulk_create`, which would otherwise be
the slowest step of a large import.
"""

from __future__ import annotations

import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

BATCH = 5000


def _next_ids(n: int):
    """n new primary keys for LogEntry rows (the sequence on PostgreSQL; max(id) under the write
    lock on SQLite, as core.bulk does)."""
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


def _repr_function(model):
    """str(obj), except that choice labels (e.g. an event's kind) are translated once, not per row."""
    from dangvu.members.models import MemberEvent

    if model is MemberEvent:
        labels = {k: str(v) for k, v in model._meta.get_field("kind").choices}
        return lambda o: f"{labels.get(o.kind, o.kind)} {o.effective_on:%d/%m/%Y}"
    return str


class _Writer:
    """Collects LogEntry rows as tuples in the table's column order and inserts them in batches."""

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
            # JSON columns are sent as JSON text (COPY's text format parses it into jsonb)
            "additional_data": json.dumps({"source": source}),
        }
        varying = ("id", "content_type_id", "object_pk", "object_id", "object_repr", "changes")
        names = [f.attname for f in fields]
        # a row is: the constant values with the varying ones put in their places
        self.template = [constant.get(n) for n in names]
        self.slots = [names.index(n) for n in varying]
        self.rows: list[tuple] = []

    def add(self, ct_id: int, obj, repr_text: str, changes: dict) -> None:
        self.rows.append((ct_id, str(obj.pk), obj.pk, repr_text[:200], json.dumps(changes, ensure_ascii=False)))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        ids = _next_ids(len(self.rows))
        tuples = []
        template, slots = self.template, self.slots
        for pk, row in zip(ids, self.rows, strict=True):
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


def log_created(objects, *, actor=None, source: str = "import") -> int:
    """One CREATE entry per object, with its non-empty values (like core.audit.log_bulk_created)."""
    w = _Writer(actor, source, LogEntry.Action.CREATE)
    cache: dict[type, tuple] = {}
    n = 0
    for obj in objects:
        model = type(obj)
        if model not in cache:
            names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
            cache[model] = (ContentType.objects.get_for_model(model).pk, names, _repr_function(model))
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


def log_updated(entries: list[tuple[object, dict]], *, actor=None, source: str = "import") -> int:
    """One UPDATE entry per (object, {field: [old, new]})."""
    w = _Writer(actor, source, LogEntry.Action.UPDATE)
    for obj, changes in entries:
        ct_id = ContentType.objects.get_for_model(type(obj)).pk
        w.add(ct_id, obj, str(obj), {k: [_s(a), _s(b)] for k, (a, b) in changes.items()})
    w.flush()
    return len(entries)
