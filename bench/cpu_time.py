"""CPU time of report queries on PostgreSQL, the parallel workers' included.

A query that PostgreSQL runs in parallel spends part of its CPU in worker processes ("postgres: parallel
worker for PID <backend>"), which come and go with each query: the backend's own CPU time (/proc/<pid>/stat)
misses theirs. `ParallelWorkers` watches /proc while a measurement runs and keeps each worker's last
CPU reading, so a measurement adds them to the backend's (a worker that ends between two readings loses
at most one interval: 5 ms).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int | None) -> float:
    """CPU seconds (user + system) of process `pid` so far, from /proc; 0 when unknown or gone."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


class ParallelWorkers:
    """The CPU seconds of the parallel workers of backend `leader` seen while the context is open."""

    def __init__(self, leader: int, interval: float = 0.005):
        self.tag = f"parallel worker for PID {leader}".encode()
        self.interval = interval
        self.seen: dict[tuple[int, str], float] = {}  # (pid, start time): a pid may be reused
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="bench-parallel-workers", daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            for entry in os.scandir("/proc"):
                if not entry.name.isdigit():
                    continue
                try:
                    with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                        if self.tag not in f.read():
                            continue
                    fields = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.seen[(int(entry.name), fields[19])] = (int(fields[11]) + int(fields[12])) / TICK
            self._stop.wait(self.interval)

    def seconds(self) -> float:
        return sum(self.seen.values())

    def __enter__(self) -> ParallelWorkers:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(2 * self.interval)  # a last reading of the workers of the last query
        self._stop.set()
        self._thread.join()
