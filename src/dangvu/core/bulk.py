"""Fast inserts for imports and generated data: COPY on PostgreSQL, executemany on SQLite.

Primary keys are assigned before writing (from the sequence on PostgreSQL, from max(id) under the
write lock on SQLite), so that rows referring to each other can be written in one pass.
Signals are not sent: callers audit explicitly (core.audit.log_bulk_created).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection, connections, models
from django.db.models.base import ModelState
from django.utils import timezone


def instance_factory(model):
    """A fast constructor of unsaved instances for bulk writes (Model.__init__ costs ~10× more at
    this scale): every concrete field gets its default (evaluated once: pass mutable values
    explicitly), then the values given by attname."""
    defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields}

    def make(**values):
        obj = model.__new__(model)
        obj.__dict__.update(defaults)
        obj.__dict__.update(values)
        obj._state = ModelState()
        return obj

    return make


def assign_ids(model, objs: Sequence) -> None:
    todo = [o for o in objs if o.pk is None]
    if not todo:
        return
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(todo)]
            )
            ids = [r[0] for r in cur.fetchall()]
        else:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            start = cur.fetchone()[0] + 1
            ids = range(start, start + len(todo))
    for o, i in zip(todo, ids, strict=True):
        o.pk = i


_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.AutoField,
          models.BigAutoField, models.SmallAutoField)


def _prep(f, db, now):
    """obj → f.get_db_prep_save(f.pre_save(obj, True), db), skipping Django's conversions where they
    return the value unchanged (None, str, int, bool; dates), and preparing the time stamp of
    auto_now fields once per call: that per-value overhead was most of the time of a large import."""
    slow = lambda o: f.get_db_prep_save(f.pre_save(o, True), db)  # noqa: E731
    attname = f.attname
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        prepared = f.get_db_prep_save(now, db)

        def stamp(o):
            setattr(o, attname, now)
            return prepared

        return stamp
    plain = isinstance(f, _PLAIN) or (isinstance(f, models.ForeignKey) and isinstance(f.target_field, _PLAIN))
    if type(f) is models.DateField:
        postgres = db.vendor == "postgresql"

        def date(o):
            v = getattr(o, attname)
            if v is None:
                return None
            if type(v) is dt.date:
                return v if postgres else v.isoformat()
            return slow(o)

        return date
    if not plain:
        return slow
    fast = (type(None), str, int, bool)

    def prep(o):
        v = getattr(o, attname)
        return v if type(v) in fast else slow(o)

    return prep


def bulk_insert(model, objs: Sequence, *, batch_size: int = 5000) -> None:
    """Insert `objs` (unsaved instances of `model`), giving each its primary key."""
    if not objs:
        return
    assign_ids(model, objs)
    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)

    db = connections[connection.alias]  # the wrapper itself: the `connection` proxy costs a lookup per value
    now = timezone.now()
    preps = [_prep(f, db, now) for f in fields]

    def rows():
        for o in objs:
            yield tuple([prep(o) for prep in preps])

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            batch: list[tuple] = []
            for row in rows():
                batch.append(row)
                if len(batch) >= batch_size:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
