"""Write-behind: the inserts of a bulk block run in a background thread, on the caller's own
connection and transaction, so that the database writes (and indexes, and checks) one batch while
Python prepares the next. Two cores are then both at work: the database's (PostgreSQL's server, or
SQLite's C code, which runs without the GIL) and the interpreter's.

PostgreSQL: each batch is one COPY, formatted here by the caller (binary when every column is of a
plain type, `BINARY_OIDS`; else text), sent by the thread. SQLite: each batch is a few INSERTs of
many rows each (`sqlite_inserts`): one statement is one call into SQLite, which releases the GIL for
all of its rows (`executemany` would release and take it back for every row, and wait for it).
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice

from django.db import connection

#: Column types (pg_type oids) that COPY's binary format takes straight from the Python values the
#: rows hold (bool, int8, int2, int4, text, varchar, date, timestamptz): a table with only these goes
#: binary (about 3× less Python per row than the text format, and no text to parse on the server);
#: any other (jsonb, inet, …) keeps the text format.
BINARY_OIDS = frozenset({16, 20, 21, 23, 25, 1043, 1082, 1184})

#: How often (s) the preparing thread lets the writing thread take the GIL back (Python's default,
#: 5 ms, made the writer wait that long after each block of data it sent).
SWITCH_INTERVAL = 0.0005

#: SQLite: rows per INSERT statement (at most; fewer when the statement would pass SQLite's limit of
#: bound values). Larger statements hold the GIL longer while their values are bound.
SQLITE_ROWS = 500

_current: contextvars.ContextVar[_WriteBehind | None] = contextvars.ContextVar("dangvu_write_behind", default=None)
#: For measurements (bench/import_profile.py): None, or a function `sql → context manager` that the
#: writing thread enters around each statement it sends (e.g. to charge the server's CPU to each COPY).
job_hook = None


def current() -> _WriteBehind | None:
    """The write-behind of the running block, if any."""
    return _current.get()


def sqlite_inserts(raw, table: str, cols: str, width: int, rows: Iterable[Sequence],
                   mark: str = "?") -> Iterator[tuple[str, list]]:
    """(INSERT statement, its values) for `rows`: statements of up to SQLITE_ROWS rows, within the limit
    of bound values of the sqlite3 connection `raw`, the rest in statements of 2ⁿ rows — a few distinct
    statements per table, which the connection's statement cache keeps (a statement for every length
    would fill it with large compiled statements)."""
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(SQLITE_ROWS, limit // max(width, 1)))
    one = f"({', '.join([mark] * width)})"
    statements: dict[int, str] = {}
    rows = iter(rows)
    while batch := list(islice(rows, per)):
        n, start = len(batch), 0
        sizes = [n] if n == per else [1 << k for k in reversed(range(n.bit_length())) if n & (1 << k)]
        for size in sizes:
            sql = statements.get(size) or statements.setdefault(
                size, f"INSERT INTO {table} ({cols}) VALUES {', '.join([one] * size)}")
            yield sql, list(chain.from_iterable(batch[start:start + size]))
            start += size


class _WriteBehind:
    """One thread that runs the writes handed to it, in order, on the caller's database connection.
    The caller prepares them (formats the COPY data; builds the INSERTs' values) so that the thread
    hardly needs the GIL: it waits for the database, which is the point."""

    def __init__(self):
        self.raw = connection.connection  # psycopg or sqlite3 connection: one operation at a time
        self.postgresql = connection.vendor == "postgresql"
        if self.postgresql:
            from psycopg import Copy
            from psycopg.copy import Writer

            class Parts(Writer):
                def __init__(self):
                    self.parts: list = []

                def write(self, data) -> None:
                    self.parts.append(data)

            self.formatting = self.raw.cursor()  # only for its adapters: never executes anything
            self.Copy, self.Parts = Copy, Parts
        self.jobs: queue.Queue = queue.Queue(maxsize=6)  # a bound on the data held in memory
        self.error: BaseException | None = None
        self.cancelled = False
        self.ids: dict[str, list] = {}
        self.types: dict[str, dict[str, int]] = {}  # table → column → type oid (load_types)
        self.thread = threading.Thread(target=self._run, name="dangvu-write-behind", daemon=True)

    def load_types(self, cur) -> None:
        """PostgreSQL: the column types of every table of the schema, read once when the block starts
        (a query inside the block would wait for the pending COPYs)."""
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
                    with job_hook(sql) if job_hook is not None else contextlib.nullcontext():
                        self._execute(sql, data)
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                self.error = exc
            finally:
                self.jobs.task_done()

    def _execute(self, sql: str, data) -> None:
        cur = self.raw.cursor()
        try:
            if data is None:
                cur.execute(sql)
            elif self.postgresql:
                with cur.copy(sql) as copy:
                    copy.write(data)
            else:
                for statement, values in data:
                    cur.execute(statement, values)
        finally:
            cur.close()

    def insert(self, table: str, cols: str, raw_table: str, columns: Sequence[str], rows: list) -> None:
        """Queue the insert of `rows` into `table` (quoted; `raw_table` unquoted) for `cols` (quoted,
        joined) / `columns`, prepared here."""
        self.raise_error()
        if not rows:
            return
        if not self.postgresql:
            self.jobs.put((f"INSERT INTO {table}", list(sqlite_inserts(self.raw, table, cols, len(columns), rows))))
            return
        types = self.binary_types(columns, raw_table)
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
            with connection.wrap_database_errors:  # the driver's errors as Django's (IntegrityError, ...)
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
    """Whether `write_behind` hands the writes to another thread while the caller goes on (it does
    on PostgreSQL and SQLite, the databases Đảng vụ runs on)."""
    return connection.vendor in ("postgresql", "sqlite")


@contextlib.contextmanager
def write_behind(reserve: dict[str, int] | None = None):
    """Inside the block (in a transaction), `insert_rows`/`bulk_insert`/`core.audit` inserts are
    handed to a background thread and run in order on the same connection, while the caller goes on.
    PostgreSQL: the constraints checked at commit (Django's foreign keys) are checked at the end of
    each COPY instead, in that thread, and deferred again after the block (SQLite checks them at
    commit). Any other statement of the block (but savepoints, which join the queue) first waits for
    the pending inserts, so it sees (and may refer to) every row handed over before it. `reserve`
    ({table: n}) draws the primary keys the block will need in one query per table, before the block
    (`reserve_ids` takes from them, so preparing a batch never waits for the insert of the previous one).

    A write that fails is raised (as Django's database error) at the next statement or at the end
    of the block, not where it was handed over: the transaction must then be abandoned."""
    from . import reserve_ids

    if not writes_behind() or _current.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("write_behind() needs a transaction (transaction.atomic).")
    pools = {table: [reserve_ids(table, n), 0] for table, n in (reserve or {}).items() if n > 0}
    deferred = ""
    with connection.cursor() as cur:
        writer = _WriteBehind()
        if writer.postgresql:
            # the constraints checked at commit (Django's foreign keys): at the end of each COPY instead
            cur.execute(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname) FROM pg_constraint c"
                " JOIN pg_namespace n ON n.oid = c.connamespace"
                " WHERE c.condeferrable AND c.condeferred AND n.nspname = ANY (current_schemas(false))"
            )
            deferred = ", ".join(sorted({r[0] for r in cur.fetchall()}))
            if deferred:
                cur.execute(f"SET CONSTRAINTS {deferred} IMMEDIATE")
            writer.load_types(cur)
    writer.ids = pools
    writer.thread.start()
    token = _current.set(writer)
    ok = False
    _fast_switching(True)
    try:
        with connection.execute_wrapper(writer.before_query):
            yield
            writer.wait()
        ok = True
    finally:
        _current.reset(token)
        writer.cancelled = not ok
        writer.stop()
        _fast_switching(False)
    writer.raise_error()
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
