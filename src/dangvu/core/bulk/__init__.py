"""Fast inserts for imports and generated data: COPY on PostgreSQL, multi-row INSERTs on SQLite.

Primary keys are assigned before writing (from the sequence on PostgreSQL, from max(id) under the
write lock on SQLite), so that rows referring to each other can be written in one pass.
Signals are not sent: callers audit explicitly (core.audit.log_bulk_created).

`write_behind()` (`behind`) runs the inserts of a block in a background thread on the same
connection and transaction, so that the database writes one batch while Python prepares the next.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterable, Sequence
from operator import attrgetter, itemgetter

from django.db import connection, connections, models
from django.db.models.base import ModelState
from django.utils import timezone

from . import behind


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


@contextlib.contextmanager
def gc_paused():
    """The cyclic garbage collector off for a bulk operation. It walks every live object again each
    time enough new ones have survived, and an import keeps hundreds of thousands of rows and model
    instances alive: that was ~15% of its Python time. Objects are still freed by reference counting;
    only reference cycles wait for the end of the block."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


#: SQLite's page cache (KiB) for a bulk write: a million rows' indexes do not fit its default 2 MB,
#: and every insert into them would go back to the file for its pages (an import of 20,000 members
#: into a million: −7% CPU with 192 MB; the cache counts in the process's memory: a 200,000-row
#: import peaks at 451 MB with it, below the 500 MB wanted).
BULK_CACHE_KIB = 192 * 1024


@contextlib.contextmanager
def page_cache():
    """SQLite: a page cache of BULK_CACHE_KIB for this connection during the block (a bulk write);
    the previous size afterwards. PostgreSQL: nothing (its shared buffers serve every session)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        previous = int(cur.fetchone()[0])
        cur.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size={previous}")


def reserve_ids(table: str, n: int, column: str = "id"):
    """n new primary keys for `table`: from its sequence on PostgreSQL (a range when they are
    consecutive, as they are unless another session draws from the same sequence meanwhile), from
    max(id) on SQLite (the caller holds the write lock)."""
    writer = behind.current()
    if writer is not None:
        ids = writer.take_ids(table, n)
        if ids is not None:
            return ids
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            seq = cur.fetchone()[0]
            # The sequence as a constant: pg_get_serial_sequence() evaluated per row cost 2.5 µs/id.
            draw = "SELECT nextval(%s::regclass) AS v FROM generate_series(1, %s)"
            cur.execute(f"SELECT min(v), max(v), count(*) FROM ({draw}) AS s", [seq, n])
            low, high, count = cur.fetchone()
            if high - low + 1 == count:
                return range(low, high + 1)
            cur.execute(draw, [seq, n])  # interleaved with another session: take the values one by one
            return [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {table}")
        start = cur.fetchone()[0] + 1
        return range(start, start + n)


def assign_ids(model, objs: Sequence) -> None:
    pk = model._meta.pk
    todo = [o for o in objs if o.pk is None] if model._meta.parents else \
        [o for o in objs if o.__dict__.get(pk.attname) is None]
    if not todo:
        return
    ids = reserve_ids(model._meta.db_table, len(todo), pk.column)
    if model._meta.parents:
        for o, i in zip(todo, ids, strict=True):
            o.pk = i
    else:
        attname = pk.attname
        for o, i in zip(todo, ids, strict=True):
            o.__dict__[attname] = i  # what the pk setter does, without its per-object overhead


_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.AutoField,
          models.BigAutoField, models.SmallAutoField)
_NONE = type(None)


def _is_stamp(f) -> bool:
    return bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))


def _passes(f) -> frozenset | None:
    """The value types that `f` writes unchanged (get_db_prep_save is the identity for them)."""
    if type(f) is models.DateField:
        return frozenset((_NONE, dt.date))  # psycopg and Django's sqlite3 adapter write dates as is
    if isinstance(f, models.DateTimeField):
        return frozenset((_NONE,))  # an empty time (an event not cancelled) as is; a set one is converted
    if isinstance(f, _PLAIN) or (isinstance(f, models.ForeignKey) and isinstance(f.target_field, _PLAIN)):
        return frozenset((_NONE, str, int, bool))
    return None


def _passed(t: type, passes: frozenset | None) -> bool:
    # str subclasses (TextChoices members) are written as is by the per-field preparation too
    return passes is not None and (t in passes or (str in passes and issubclass(t, str)))


def _prep(f, db, now):
    """obj → f.get_db_prep_save(f.pre_save(obj, True), db), skipping Django's conversions where they
    return the value unchanged, and preparing the time stamp of auto_now fields once per call."""
    slow = lambda o: f.get_db_prep_save(f.pre_save(o, True), db)  # noqa: E731
    attname = f.attname
    if _is_stamp(f):
        prepared = f.get_db_prep_save(now, db)

        def stamp(o):
            setattr(o, attname, now)
            return prepared

        return stamp
    passes = _passes(f)
    if passes is None:
        return slow

    def prep(o):
        v = getattr(o, attname)
        return v if type(v) in passes else slow(o)

    return prep


def row_maker(fields, db, now):
    """A function obj → the values to write for `fields`, as `get_db_prep_save(pre_save(obj, True))`
    gives them. The values are read at once (from the instance's __dict__); a row whose value types (its signature:
    there are few distinct ones) all pass unchanged is written as read; any other row goes through
    the per-field preparation. Per-value Python calls were most of the time of a large import."""
    preps = [_prep(f, db, now) for f in fields]
    names = [f.attname for f in fields]
    stamp_ix = {i for i, f in enumerate(fields) if _is_stamp(f)}
    stamps = {names[i]: now for i in stamp_ix}
    stamped = [(i, fields[i].get_db_prep_save(now, db)) for i in sorted(stamp_ix)]
    passes = [None if i in stamp_ix else _passes(f) for i, f in enumerate(fields)]
    get = attrgetter(*names) if len(names) > 1 else (lambda o: (getattr(o, names[0]),))
    pick = itemgetter(*names) if len(names) > 1 else (lambda d: (d[names[0]],))
    verdicts: dict[tuple, bool] = {}

    def slow(o):
        return tuple([prep(o) for prep in preps])

    def make(o):
        d = o.__dict__
        if stamps:
            d.update(stamps)
        try:
            row = pick(d)  # the values as the instance holds them (a foreign key's descriptor is a Python call)
        except KeyError:  # a deferred field: read through the model
            row = get(o)
        sig = tuple(map(type, row))
        ok = verdicts.get(sig)
        if ok is None:
            ok = verdicts[sig] = all(i in stamp_ix or _passed(t, p) for i, (t, p) in enumerate(zip(sig, passes, strict=True)))
        if not ok:
            return slow(o)
        if stamped:
            row = list(row)
            for i, v in stamped:
                row[i] = v
        return row

    return make


def bulk_insert(model, objs: Sequence, *, now: dt.datetime | None = None) -> None:
    """Insert `objs` (unsaved instances of `model`), giving each its primary key; `now` is the time
    written in their auto_now(_add) fields (the current time by default)."""
    if not objs:
        return
    assign_ids(model, objs)
    fields = [f for f in model._meta.concrete_fields]
    db = connections[connection.alias]  # the wrapper itself: the `connection` proxy costs a lookup per value
    make = row_maker(fields, db, now or timezone.now())
    insert_rows(model._meta.db_table, [f.column for f in fields], map(make, objs))


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], *, conn=None) -> None:
    """Insert rows of values prepared for the database (in the order of `columns`): COPY on
    PostgreSQL, INSERTs of many rows each on SQLite (`sqlite_inserts`). Inside `write_behind` they
    join its queue. `conn`: another connection than Django's default (a migration's)."""
    conn = conn or connection
    cols = ", ".join(conn.ops.quote_name(c) for c in columns)
    raw_table, table = table, conn.ops.quote_name(table)
    writer = behind.current() if conn is connection else None
    if writer is not None:
        writer.insert(table, cols, raw_table, columns, list(rows))
        return
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            for sql, params in behind.sqlite_inserts(conn.connection, table, cols, len(columns), rows, mark="%s"):
                cur.execute(sql, params)


write_behind, writes_behind = behind.write_behind, behind.writes_behind
