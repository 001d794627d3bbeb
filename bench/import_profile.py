"""Measure (and profile) one import of the bench's generated workbook into an existing database,
inside a transaction rolled back at the end, so that every run meets the same database.

    DANGVU_DATABASE_URL=postgres://postgres@127.0.0.1:5433/<db> .venv/bin/python bench/import_profile.py \
        [--rows 20000] [--runs 3] [--profile out.prof] [--dry-run]

Prints per run: wall seconds and rows/s, the Python CPU of this process, the CPU of the PostgreSQL
backend (from /proc: the bench's server runs on this machine), split by statement (the COPY of each
table, the rest), and the number of statements sent. On SQLite the process CPU includes SQLite's, and
the "server CPU" is the writing thread's (`core.bulk.behind`: SQLite's inserts run there), by table.
The workbook is the one the bench generates (`suite.workbooks.workbook_rows`), written to $BENCH_DIR once.
Each run first measures the reference of shared/docs/reference/performance-measurements.md §9 on the same
workbook (calamine read + raw COPY, or executemany on SQLite, into a scratch table) and prints the import's
rows/s as a ratio of it: a figure that holds across machines of different speed, where rows/s do not
(`--no-reference` to skip it).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


class _Rollback(Exception):
    pass


def _backend_cpu(pid: int | None) -> float:
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


timeline: list[tuple[str, float]] = []
cpu_marks: list[tuple[str, float]] = []  # (stage, CPU time of the importing thread when it began)


def _per_statement(pid: int | None, spent: dict) -> None:
    """Charge the backend's CPU to each statement of the write-behind thread (its COPYs run one at a
    time, while the main thread waits for them before any other statement): `core.bulk.behind.job_hook`."""
    from dangvu.core.bulk import behind

    # SQLite: the writing thread's own CPU (SQLite's C code runs in it)
    measure = (lambda: _backend_cpu(pid)) if pid else time.thread_time

    @contextlib.contextmanager
    def charged(sql: str):
        before = measure()
        timeline.append(("copy-start", time.perf_counter()))
        yield
        key = sql.split(" (")[0] if sql.startswith("COPY ") else sql if sql.startswith("INSERT ") else sql.split(" ")[0]
        spent[key] += measure() - before
        timeline.append(("copy-end", time.perf_counter()))

    behind.job_hook = charged


def _stage(stage: str, n: int, total: int | None) -> None:
    if not any(what == stage for what, _t in timeline):
        timeline.append((stage, time.perf_counter()))
        cpu_marks.append((stage.split(":")[0], time.thread_time()))


def _phases(start: float, end: float) -> str:
    """When each stage began, when the first and the last COPY ran, and how long the server was busy."""
    marks, busy, began, first, last = [], 0.0, None, None, None
    for what, t in timeline:
        if what == "copy-start":
            began = t
            first = first if first is not None else t
        elif what == "copy-end":
            busy += t - began
            last = t
        elif what.split(":")[0] not in [m.split()[0] for m in marks]:
            marks.append(f"{what.split(':')[0]} {t - start:.2f}")
    cpu = ", ".join(f"{what} {t - cpu_marks[0][1]:.2f}" for what, t in cpu_marks[1:]
                    if what != cpu_marks[cpu_marks.index((what, t)) - 1][0])
    first_copy = next((t for what, t in timeline if what == "copy-start"), None)
    return (", ".join(marks) + f"; COPYs from {(first_copy or start) - start:.2f} to {(last or start) - start:.2f}"
            f" (busy {busy:.2f}); end {end - start:.2f}\n  importing thread's CPU when each stage began: {cpu}")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--profile", help="write a cProfile of the last run here")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--no-reference", action="store_true", help="do not measure the reference pipeline (§9)")
    p.add_argument("--commit", action="store_true", help="keep what the last run wrote (an empty database)")
    p.add_argument("--what-if", action="append", default=[], metavar="SQL",
                   help="run SQL first in each run's transaction, rolled back with it (PostgreSQL: what an index,"
                        " a constraint or a trigger costs, e.g. 'DROP INDEX memberword_stream_idx')")
    a = p.parse_args()

    from suite.reference_copy import _read_calamine, _scratch_copy
    from suite.settings import WORK
    from suite.workbooks import write_workbook
    from suite.workers import _django

    _django()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from dangvu.imports.services import import_workbook

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"import_import_{a.rows}.xlsx"
    if not path.exists():
        write_workbook(path, a.rows, "BI20")
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
    spent: dict[str, float] = defaultdict(float)
    _per_statement(pid, spent)
    for i in range(a.runs):
        spent.clear()
        timeline.clear()
        cpu_marks.clear()
        last = i == a.runs - 1
        prof = cProfile.Profile() if a.profile and last else None
        load = os.getloadavg()[0]
        reference = None
        if not a.no_reference:  # §9: calamine read + raw COPY of the same rows, just before the import
            t = time.perf_counter()
            sheet = _read_calamine(str(path))
            read = time.perf_counter() - t
            reference = a.rows / (read + _scratch_copy(sheet))
            del sheet
        try:
            with transaction.atomic():
                with connection.cursor() as cur:
                    for sql in a.what_if:  # before the clock starts
                        cur.execute(sql)
                start = wall = time.perf_counter()
                cpu_marks.append(("start", time.thread_time()))
                cpu, server = time.process_time(), _backend_cpu(pid)
                with CaptureQueriesContext(connection) as queries:
                    if prof:
                        prof.enable()
                    result = import_workbook(str(path), dry_run=a.dry_run, progress=_stage)
                    if prof:
                        prof.disable()
                    wall, cpu, server = (time.perf_counter() - wall, time.process_time() - cpu,
                                         _backend_cpu(pid) - server)
                if not (a.commit and last):
                    raise _Rollback()
        except _Rollback:
            pass
        if result.errors:
            print("ERRORS:", [str(e.message) for e in result.errors[:5]])
        copies = sum(spent.values())
        if pid is None:
            server = copies  # SQLite: the writing thread's CPU, part of this process's
        split = ", ".join(f"{k.removeprefix('COPY ').removeprefix('INSERT INTO ')} {v:.2f}" for k, v in sorted(spent.items(), key=lambda kv: -kv[1])
                          if v >= 0.005)
        print(f"{connection.vendor} {a.rows} rows: wall {wall:.2f} s = {a.rows / wall:,.0f} rows/s; Python CPU"
              f" {cpu:.2f} s ({a.rows / cpu:,.0f} rows/CPU-s); server CPU {server:.2f} s (COPYs {copies:.2f}: {split};"
              f" other {server - copies:.2f}); statements {len(queries.captured_queries)}; load {load:.1f}"
              f"; written {result.written}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
              f"\n  {_phases(start, start + wall)}"
              + (f"\n  reference (calamine read + raw {'COPY' if pid else 'executemany'}) {reference:,.0f} rows/s;"
                 f" import / reference {a.rows / wall / reference:.3f}" if reference else ""), flush=True)
        if prof:
            prof.dump_stats(a.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
