"""Benchmark of Đảng vụ on SQLite and PostgreSQL (docs: reference/performance-measurements.md §8–§9).

    make bench                      # full: 1,000,000 synthetic members per backend (~30 min)
    BENCH_SCALE=small make bench    # quick: 100,000 members
    BENCH_BACKENDS=postgresql make bench

For each backend a fresh database (SQLite file under $BENCH_DIR, PostgreSQL database
`dangvu_bench`) is filled with `dangvu synth`, then measured, each step in its own process:
- report snapshot (reports.queries.snapshot) for subtrees of ~3k / ~200k / all members, as of a past
  day and today, median of 5 runs after a warm-up, against the bare aggregate SQL of the same rows and
  against DuckDB over the same rows exported from the benchmark database (the reference limit of issue 11);
- the reports of a ~200k province (snapshot, dashboard, profile, checks, summary, assessment, forms 1–7);
- member search (members.selectors.member_search, first 50 by name) over ≥300 diacritics-free
  queries built from sampled rows (full name / family + given / given only), against raw SQL;
- the member list page (/members/) through Django's test client as an admin of the root;
- import (imports.services.import_workbook) of a generated 20,000-row workbook against raw
  COPY / executemany of the same rows, and the peak memory (ru_maxrss) of a 200,000-row import.
The table is printed and written to bench/results.md. Nothing here is part of the application.

PostgreSQL runs pinned as in reference/performance-measurements.md §9: unless BENCH_PG_URL is given,
the bench starts its own server (initdb under $BENCH_DIR/pg, port 5433, as the `postgres` system user
when run as root) with the server settings of that reference (shared_buffers=2GB, …) plus the
deployment recommendations of the README (wal_compression=lz4, max_wal_size=4GB), and stops it at the
end; the machine's own server is neither used nor changed.

Environment: BENCH_SCALE (full|small), BENCH_BACKENDS (sqlite,postgresql), BENCH_DIR (work folder,
default /tmp/dangvu-bench), BENCH_PG_PORT (port of the bench's own server, default 5433), BENCH_PG_URL (an existing server instead of the bench's own),
BENCH_PG_OPTIONS (session settings of §9, default jit=off, work_mem=64MB, random_page_cost=1.1,
effective_cache_size=12GB), BENCH_STEP_BUDGET (seconds a search/list step may take before it stops
early with fewer samples, default 240; the sample count n is printed). `python bench/run.py report`
re-renders the table from the JSON of the last run. BENCH_SCALE=tiny is a 2-minute smoke test.
`python bench/run.py measure [URL] [snapshot,reports,assessment]` measures those steps alone on an
existing benchmark database (e.g. the 1M one of a full run), written to $BENCH_DIR/results-measure.md.
"""

from __future__ import annotations

import json
import os
import sys

from suite.measure import assessment_only, measure
from suite.orchestrate import orchestrate
from suite.report import report
from suite.settings import BACKENDS, SCALE, WORK
from suite.workers import worker_main

if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] in ("-h", "--help", "help"):
        print(__doc__)
    elif len(sys.argv) >= 3 and sys.argv[1] == "worker":
        worker_main(sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else {})
    elif len(sys.argv) >= 2 and sys.argv[1] == "measure":
        sys.exit(measure(sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None,
                         (sys.argv[3] if len(sys.argv) > 3 else "snapshot,reports").split(",")))
    elif len(sys.argv) >= 2 and sys.argv[1] == "assessment":
        sys.exit(assessment_only(sys.argv[2] if len(sys.argv) > 2 else None))
    elif len(sys.argv) >= 2 and sys.argv[1] == "report":
        # re-render the table from the saved JSON of the last run
        res = {b: json.loads((WORK / f"results_{b}.json").read_text()) for b in BACKENDS
               if (WORK / f"results_{b}.json").exists()}
        print(report(res, {"scale": SCALE, "started": "?", "finished": "?", "host": os.uname().nodename,
                           "load_start": "?", "load_end": "?"}))
    else:
        sys.exit(orchestrate())
