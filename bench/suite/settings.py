"""The benchmark's settings: the scale, the work folder, the PostgreSQL server and session options
(environment variables of bench/run.py), and the constants of the synthetic data measured."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

#: The bench folder (results.md is written there) and its entry point, run again for each step's worker.
HERE = Path(__file__).resolve().parent.parent
RUN = HERE / "run.py"
ROOT = HERE.parent
PYTHON = sys.executable
SCALE = os.environ.get("BENCH_SCALE", "full")
SIZES = {
    # queries/pages on SQLite are fewer at full scale: a search there scans the table (seconds per query)
    "full": {"synth": 1_000_000, "import": 20_000, "memory": 200_000, "queries": 360, "pages": 60,
             "queries_sqlite": 45, "pages_sqlite": 15},
    "small": {"synth": 100_000, "import": 20_000, "memory": 100_000, "queries": 300, "pages": 40,
              "queries_sqlite": 300, "pages_sqlite": 40},
    "tiny": {"synth": 20_000, "import": 2_000, "memory": 5_000, "queries": 300, "pages": 20,  # smoke test
             "queries_sqlite": 30, "pages_sqlite": 10},
}[SCALE]
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/dangvu-bench"))
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5433"))
PG_URL = os.environ.get("BENCH_PG_URL", f"postgresql://postgres@127.0.0.1:{PG_PORT}/dangvu_bench")
#: Server settings of the bench's own PostgreSQL (reference §9 header, and the README's deployment advice).
PG_SERVER = ("-c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB -c effective_cache_size=12GB"
             " -c max_parallel_workers_per_gather=2 -c random_page_cost=1.1 -c jit=off"
             " -c wal_compression=lz4 -c max_wal_size=4GB")
PG_OPTIONS = os.environ.get(
    "BENCH_PG_OPTIONS", "-c jit=off -c work_mem=64MB -c random_page_cost=1.1 -c effective_cache_size=12GB"
)
#: Seconds a latency step (search, list) may run before it stops early (after at least 30 samples),
#: so that a slow build still finishes; the sample count is reported beside the figures.
STEP_BUDGET = float(os.environ.get("BENCH_STEP_BUDGET", "240"))
BACKENDS = [b.strip() for b in os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
SEED = 1
ROOT_CODE = f"SYN{SEED}"
PAST = dt.date(2020, 1, 1)
MARK = "BENCH-RESULT "
#: The years of the ratings the synth writes (`dangvu synth --ratings`), and the year reported.
RATING_YEARS = (2023, 2024, 2025)
ASSESSMENT_TARGET_MS = 500
