"""A full run: both backends filled by synth and measured step by step, the table written."""

from __future__ import annotations

import os
import time

from .pg_server import fresh_database, pg_server
from .report import report
from .settings import BACKENDS, HERE, SCALE, SIZES, WORK
from .steps import log, run_step, save


def bench_backend(backend: str) -> dict:
    log(f"== {backend}: fresh database")
    url = fresh_database(backend)
    r = {"backend": backend}
    r["migrate"] = run_step("migrate", url, {})
    log(f"== {backend}: synth {SIZES['synth']:,} members")
    r["synth"] = run_step("synth", url, {"members": SIZES["synth"]}, timeout=7200)
    r["vacuum"] = run_step("vacuum", url, {})
    save(backend, r)
    log(f"== {backend}: snapshot")
    r["snapshot"] = run_step("snapshot", url, {})
    save(backend, r)
    log(f"== {backend}: assessment")
    r["assessment"] = run_step("assessment", url, {})
    save(backend, r)
    log(f"== {backend}: reports of a ~200k province")
    r["reports"] = run_step("reports", url, {"runs": 3})
    save(backend, r)
    sqlite = backend == "sqlite"
    queries = SIZES["queries_sqlite"] if sqlite else SIZES["queries"]
    log(f"== {backend}: search ({queries} queries)")
    r["search"] = run_step("search", url, {"queries": queries})
    save(backend, r)
    log(f"== {backend}: list page")
    r["list"] = run_step("list", url, {"pages": SIZES["pages"], "searches": SIZES["pages_sqlite"] if sqlite
                                       else SIZES["pages"]})
    save(backend, r)
    log(f"== {backend}: import {SIZES['import']:,} rows")
    r["import"] = run_step("import", url, SIZES)
    save(backend, r)
    log(f"== {backend}: import {SIZES['memory']:,} rows (peak memory)")
    r["import_memory"] = run_step("import_memory", url, SIZES)
    save(backend, r)
    return r


def orchestrate() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "data").mkdir(exist_ok=True)
    meta = {"scale": SCALE, "started": time.strftime("%Y-%m-%d %H:%M"), "host": os.uname().nodename,
            "load_start": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    log(f"Benchmark, {SCALE} scale: {SIZES}; backends {BACKENDS}; work folder {WORK}")
    log("== workbooks")
    sqlite_url = f"sqlite:///{WORK / 'scratch.sqlite3'}"
    run_step("workbooks", sqlite_url, SIZES)
    results = {}
    own_pg = "postgresql" in BACKENDS and "BENCH_PG_URL" not in os.environ
    if own_pg:
        pg_server(start=True)
    try:
        for backend in BACKENDS:
            results[backend] = bench_backend(backend)
    finally:
        if own_pg:
            pg_server(start=False)
    meta["finished"] = time.strftime("%Y-%m-%d %H:%M")
    meta["load_end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    text = report(results, meta)
    out = {"full": HERE / "results.md", "small": HERE / "results-small.md"}.get(SCALE, WORK / f"results-{SCALE}.md")
    out.write_text(text + "\n")
    print(text)
    log(f"written {out}")
    return 0
