"""Timing of a step's cases: wall-clock runs, CPU time (this process and its PostgreSQL backend),
percentiles (also bench/load/check.py's)."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path


def _timed(fn, runs: int = 5, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _server_cpu_seconds(pid: int | None) -> float:
    """CPU seconds (user + system) of the PostgreSQL backend `pid` so far, read from /proc (the bench's
    server runs on this machine); 0 when unknown."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_ms(fn, runs: int = 5) -> float:
    """Mean CPU milliseconds of `fn` over `runs` runs after a warm-up: this process (all its threads:
    DuckDB's too; on PostgreSQL the calling thread) plus the PostgreSQL backend of this connection and the
    parallel workers it starts (bench/cpu_time.py). Unlike wall-clock time it hardly depends on how busy the
    machine is (a shared machine: the figure a quiet one would show, roughly, for rows in memory)."""
    from cpu_time import ParallelWorkers
    from django.db import connection

    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            pid = cur.fetchone()[0]
    fn()
    if pid is None:
        own = time.process_time()
        for _ in range(runs):
            fn()
        return (time.process_time() - own) * 1000 / runs
    with ParallelWorkers(pid) as workers:
        own, server = time.thread_time(), _server_cpu_seconds(pid)
        for _ in range(runs):
            fn()
        own, server = time.thread_time() - own, _server_cpu_seconds(pid) - server
    return (own + server + workers.seconds()) * 1000 / runs


def pct(values: list[float], q: float) -> float:
    """The q-quantile of `values` (q in hundredths: .5, .95), interpolated between the closest ranks
    (`statistics.quantiles`' inclusive method); NaN for no values."""
    if len(values) < 2:
        return float(values[0]) if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]
