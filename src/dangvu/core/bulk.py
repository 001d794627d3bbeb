"""Fast inserts for imports and generated data: COPY on PostgreSQL, executemany on SQLite.

Primary keys are assigned before writing (from the sequence on PostgreSQL, from max(id) under the
write lock on SQLite), so that rows referring to each other can be written in one pass.
Signals are not sent: callers audit explicitly (core.audit.log_bulk_created).

`write_behind()` (PostgreSQL) runs the COPYs of a block in a background thread on the same
connection and transaction, so that the server writes (and checks the foreign keys of) one batch
while Python prepares the next: see its docstring for the rules. There, tables whose columns are all
plain types go in COPY's binary format (`BINARY_OIDS`), the others in text.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import gc
import queue
import sys
import threading
from collections.abc import Iterable, Sequence
from operator import attrgetter, itemgetter

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
    behind = _behind.get()
    if behind is not None:
        ids = behind.take_ids(table, n)
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


def bulk_insert(model, objs: Sequence, *, batch_size: int = 5000) -> None:
    """Insert `objs` (unsaved instances of `model`), giving each its primary key."""
    if not objs:
        return
    assign_ids(model, objs)
    fields = [f for f in model._meta.concrete_fields]
    db = connections[connection.alias]  # the wrapper itself: the `connection` proxy costs a lookup per value
    make = row_maker(fields, db, timezone.now())
    insert_rows(model._meta.db_table, [f.column for f in fields], map(make, objs), batch_size=batch_size)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], *, batch_size: int = 5000,
                conn=None) -> None:
    """Insert rows of values prepared for the database (in the order of `columns`): COPY on
    PostgreSQL, executemany on SQLite. `conn`: another connection than Django's default (a migration's)."""
    conn = conn or connection
    cols = ", ".join(conn.ops.quote_name(c) for c in columns)
    raw_table, table = table, conn.ops.quote_name(table)
    behind = _behind.get() if conn is connection else None
    if behind is not None:
        behind.copy(table, cols, behind.binary_types(columns, raw_table), list(rows))
        return
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            batch: list = []
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_size:
                    cur.executemany(sql, batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)


# --- write-behind (PostgreSQL) ---------------------------------------------------------------------

#: Column types (pg_type oids) that COPY's binary format takes straight from the Python values the
#: rows hold (bool, int8, int2, int4, text, varchar, date, timestamptz): a table with only these goes
#: binary (about 3× less Python per row than the text format, and no text to parse on the server);
#: any other (jsonb, inet, …) keeps the text format.
BINARY_OIDS = frozenset({16, 20, 21, 23, 25, 1043, 1082, 1184})

#: How often (s) the preparing thread lets the writing thread take the GIL back (Python's default,
#: 5 ms, made the writer wait that long after each block of data it sent).
SWITCH_INTERVAL = 0.0005
_behind: contextvars.ContextVar[_WriteBehind | None] = contextvars.ContextVar("dangvu_write_behind", default=None)
#: For measurements (bench/import_profile.py): None, or a function `sql → context manager` that the
#: writing thread enters around each statement it sends (e.g. to charge the server's CPU to each COPY).
job_hook = None


class _WriteBehind:
    """One thread that sends the COPYs handed to it, in order, on the caller's psycopg connection.
    The caller formats the rows (psycopg's COPY text format) so that the thread hardly needs the GIL:
    it waits for the server, which is the point."""

    def __init__(self):
        from psycopg import Copy
        from psycopg.copy import Writer

        class Parts(Writer):
            def __init__(self):
                self.parts: list = []

            def write(self, data) -> None:
                self.parts.append(data)

        self.raw = connection.connection  # the psycopg connection (thread-safe: one operation at a time)
        self.formatting = self.raw.cursor()  # only for its adapters: never executes anything
        self.Copy, self.Parts = Copy, Parts
        self.jobs: queue.Queue = queue.Queue(maxsize=6)  # a bound on the data held in memory
        self.error: BaseException | None = None
        self.cancelled = False
        self.ids: dict[str, list] = {}
        self.types: dict[str, dict[str, int]] = {}  # table → column → type oid (load_types)
        self.thread = threading.Thread(target=self._run, name="dangvu-write-behind", daemon=True)

    def load_types(self, cur) -> None:
        """The column types of every table of the schema, read once when the block starts (a query
        inside the block would wait for the pending COPYs)."""
        cur.execute(
            "SELECT c.relname, a.attname, a.atttypid FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " WHERE c.relkind IN ('r', 'p') AND c.relnamespace = ANY (SELECT oid FROM pg_namespace"
            " WHERE nspname = ANY (current_schemas(false))) AND a.attnum > 0 AND NOT a.attisdropped"
        )
        for table, column, oid in cur.fetchall():
            self.types.setdefault(table, {})[column] = oid

    def binary_types(self, columns: Sequence[str], table: str) -> list[int] | None:
        """The type oids of `columns` of `table` when they all go in COPY's binary format, else None."""
        known = self.types.get(table)
        if not known:
            return None
        oids = [known.get(c) for c in columns]
        return oids if all(o in BINARY_OIDS for o in oids) else None

    def _run(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None and not self.cancelled:
                    sql, data = job
                    with job_hook(sql) if job_hook is not None else contextlib.nullcontext(), self.raw.cursor() as cur:
                        if data is None:
                            cur.execute(sql)
                        else:
                            with cur.copy(sql) as copy:
                                copy.write(data)
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                self.error = exc
            finally:
                self.jobs.task_done()

    def copy(self, table: str, cols: str, types: list[int] | None, rows: list) -> None:
        """Format `rows` for `COPY table (cols)` here (binary when `types` are given) and queue them."""
        self.raise_error()
        if not rows:
            return
        data = None
        if types is not None:
            try:
                data = self._format(rows, types)
            except (TypeError, ValueError, OverflowError):
                # a value of another type than its column's (an int in a text column): the text
                # format converts it, as it always did
                types = None
        if types is None:
            data = self._format(rows, None)
        self.jobs.put((f"COPY {table} ({cols}) FROM STDIN" + ("" if types is None else " (FORMAT BINARY)"), data))

    def _format(self, rows: list, types: list[int] | None) -> bytes:
        out = self.Parts()
        with self.Copy(self.formatting, binary=types is not None, writer=out) as copy:
            if types is not None:
                copy.set_types(types)
            write = copy.write_row
            for row in rows:
                write(row)
        return b"".join(out.parts)

    def take_ids(self, table: str, n: int):
        pool = self.ids.get(table)
        if not pool or len(pool[0]) - pool[1] < n:
            return None
        ids, used = pool
        pool[1] = used + n
        return ids[used:used + n]

    def wait(self) -> None:
        self.jobs.join()

    def raise_error(self) -> None:
        if self.error is not None:
            with connection.wrap_database_errors:  # psycopg errors as Django's (IntegrityError, ...)
                raise self.error

    def before_query(self, execute, sql, params, many, context):
        # Savepoints (nested atomic blocks: bulk_write opens and releases one per call) join the
        # queue, in order; every other statement first waits for the writes handed over before it
        # (it may read them, or refer to them).
        if not params and isinstance(sql, str) and sql.startswith(("SAVEPOINT ", "RELEASE SAVEPOINT ")):
            self.raise_error()
            self.jobs.put((sql, None))
            return None
        self.wait()
        self.raise_error()
        return execute(sql, params, many, context)

    def stop(self) -> None:
        self.jobs.put(None)
        self.thread.join()


def writes_behind() -> bool:
    """Whether `write_behind` hands the writes to the database while the caller goes on (PostgreSQL)."""
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def write_behind(reserve: dict[str, int] | None = None):
    """Inside the block (in a transaction), `insert_rows`/`bulk_insert`/`core.audit` COPYs are handed
    to a background thread and run in order on the same connection, while the caller goes on.
    The constraints checked at commit (Django's foreign keys) are checked at the end of each COPY
    instead, in that thread, and deferred again after the block. Any other statement of the block
    (but savepoints, which join the queue) first waits for the pending COPYs,
    so it sees (and may refer to) every row handed over before it. `reserve` ({table: n}) draws the
    primary keys the block will need in one query per table, before the block (`reserve_ids` takes
    from them, so preparing a batch never waits for the COPY of the previous one).

    A write that fails is raised (as Django's database error) at the next statement or at the end
    of the block, not where it was handed over: the transaction must then be abandoned.
    SQLite: the block runs as written."""
    if not writes_behind() or _behind.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("write_behind() needs a transaction (transaction.atomic).")
    pools = {table: [reserve_ids(table, n), 0] for table, n in (reserve or {}).items() if n > 0}
    with connection.cursor() as cur:
        # the constraints checked at commit (Django's foreign keys): at the end of each COPY instead
        cur.execute(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname) FROM pg_constraint c"
            " JOIN pg_namespace n ON n.oid = c.connamespace"
            " WHERE c.condeferrable AND c.condeferred AND n.nspname = ANY (current_schemas(false))"
        )
        deferred = ", ".join(sorted({r[0] for r in cur.fetchall()}))
        if deferred:
            cur.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
        behind = _WriteBehind()
        behind.load_types(cur)
    behind.ids = pools
    behind.thread.start()
    token = _behind.set(behind)
    ok = False
    _fast_switching(True)
    try:
        with connection.execute_wrapper(behind.before_query):
            yield
            behind.wait()
        ok = True
    finally:
        _behind.reset(token)
        behind.cancelled = not ok
        behind.stop()
        _fast_switching(False)
    behind.raise_error()
    if deferred:
        with connection.cursor() as cur:
            cur.execute(f"SET CONSTRAINTS {deferred} DEFERRED")


_switching = {"blocks": 0, "interval": None}
_switching_lock = threading.Lock()


def _fast_switching(on: bool) -> None:
    """sys.setswitchinterval(SWITCH_INTERVAL) while any write_behind block runs (it is per process)."""
    with _switching_lock:
        if on:
            if _switching["blocks"] == 0:
                _switching["interval"] = sys.getswitchinterval()
                sys.setswitchinterval(SWITCH_INTERVAL)
            _switching["blocks"] += 1
        else:
            _switching["blocks"] -= 1
            if _switching["blocks"] == 0:
                sys.setswitchinterval(_switching["interval"])
