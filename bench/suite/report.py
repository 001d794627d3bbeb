"""The results table of a full run (targets from the issues), with each step's own tables and plans."""

from __future__ import annotations

import os

from .settings import PG_OPTIONS, PG_SERVER, PG_URL, SCALE, SIZES
from .tables import _f, _ok, assessment_report, reports_table, snapshot_table


def report(results: dict, meta: dict) -> str:
    b = [k for k in ("sqlite", "postgresql") if k in results]
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    lines = [f"# Benchmark results ({meta['scale']} scale)", "",
             f"Run {meta['started']} – {meta['finished']} on {meta['host']}; load average at start "
             f"{meta['load_start']}, at end {meta['load_end']}. PostgreSQL session settings: `{PG_OPTIONS}`;"
             f" server: {'its own, `' + PG_SERVER + '`' if 'BENCH_PG_URL' not in os.environ else PG_URL}.",
             "Targets from the issue (✓ met, ✗ missed). Times are wall-clock milliseconds unless noted.", ""]
    head = "| Measure | " + " | ".join(names[x] for x in b) + " | Target |"
    lines += [head, "|" + "---|" * (len(b) + 2)]

    def row(label, cells, target=""):
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    def get(x, *path):
        v = results[x]
        for p in path:
            if not isinstance(v, dict) or p not in v:
                return None
            v = v[p]
        return v

    row("synth: members written (members/s)",
        [f"{_f(get(x, 'synth', 'members'))} in {_f(get(x, 'synth', 'seconds'))} s ({_f(get(x, 'synth', 'rate'))}/s)"
         for x in b], "1M in a few minutes")
    # import
    cells = []
    for x in b:
        rate = get(x, "import", "rows_per_s")
        target = (rate or 0) >= (10_000 if x == "postgresql" else 6_000)
        cells.append(f"{_f(rate)} rows/s{_ok(target)} ({_f(get(x, 'import', 'queries'))} queries,"
                     f" Python CPU {_f(get(x, 'import', 'cpu_seconds'), 2)} s, load {_f(get(x, 'import', 'load'), 1)})")
    row(f"import {SIZES['import']:,} rows: app ({get(b[0], 'import', 'via') or '–'})", cells,
        "≥ 10,000 rows/s PG, ≥ 6,000 SQLite; queries not growing with the rows")
    row("import: reference raw COPY / executemany", [f"{_f(get(x, 'import', 'ref_copy_rows_per_s'))} rows/s" for x in b])
    row("import: reference calamine read + COPY", [f"{_f(get(x, 'import', 'ref_pipeline_rows_per_s'))} rows/s" for x in b])
    row("import: app / reference pipeline",
        [_f((get(x, "import", "rows_per_s") or 0) / (get(x, "import", "ref_pipeline_rows_per_s") or 1), 2) +
         _ok((get(x, "import", "rows_per_s") or 0) / (get(x, "import", "ref_pipeline_rows_per_s") or 1) >= 0.5)
         for x in b], "≥ 0.5 (§9)")
    row(f"import {SIZES['memory']:,} rows: peak RSS (rows/s)",
        [f"{_f(get(x, 'import_memory', 'peak_rss_mb'))} MB{_ok((get(x, 'import_memory', 'peak_rss_mb') or 1e9) < 500)}"
         f" ({_f(get(x, 'import_memory', 'rows_per_s'))}/s)" for x in b], "< 500 MB")
    for x in b:
        for key in ("import", "import_memory"):
            errs = get(x, key, "errors")
            if errs:
                lines.append(f"| {names[x]} {key} errors | {'; '.join(errs)[:300]} | | |")
            if get(x, key, "error"):
                lines.append(f"| {names[x]} {key} FAILED | {get(x, key, 'error')[-300:]!r} | | |")
    # snapshot
    snap_rows = {x: get(x, "snapshot", "rows") or [] for x in b}
    keys = []
    for x in b:
        for r in snap_rows[x]:
            if (r["subtree"], r["as_of"]) not in keys:
                keys.append((r["subtree"], r["as_of"]))
    for subtree, as_of in keys:
        cells = []
        for x in b:
            r = next((r for r in snap_rows[x] if (r["subtree"], r["as_of"]) == (subtree, as_of)), None)
            if r is None:
                cells.append("–")
                continue
            ratio = (r["app_ms"] / r["ref_ms"]) if r["app_ms"] and r["ref_ms"] else None
            target = None
            if subtree.startswith("~200k") and x == "postgresql" and r["app_ms"] is not None:
                target = r["app_ms"] <= 100
            if "(root)" in subtree and x == "postgresql" and r["app_ms"] is not None and r["members"] >= 900_000:
                target = r["app_ms"] <= 500
            if subtree.startswith("~3k") and x == "sqlite" and r["app_ms"] is not None:
                target = r["app_ms"] <= 100
            cells.append(f"{_f(r['app_ms'], 1)}{_ok(target)} / ref {_f(r['ref_ms'], 1)} = ×{_f(ratio, 2)}"
                         f"{_ok(ratio <= 3 if ratio else None)} / DuckDB {_f(r.get('duckdb_ms'), 1)}"
                         f" ({_f(r['members_on_day'])} members)")
        tgt = {"~200k": "≤ 100 ms PG (issue 11)", "~3k ": "≤ 100 ms SQLite"}.get(subtree[:5], "")
        if "(root)" in subtree and SCALE == "full":
            tgt = "≤ 500 ms PG at 1M (issue 11)"
        row(f"snapshot {subtree}, as of {as_of}: app / bare aggregate / DuckDB", cells,
            (tgt + "; " if tgt else "") + "≤ 3× ref")
    # search
    for kind in ("full name", "family + given", "given only"):
        row(f"search p50 / p95, {kind}",
            [f"{_f(get(x, 'search', 'by_kind', kind, 'app_p50'), 1)} / {_f(get(x, 'search', 'by_kind', kind, 'app_p95'), 1)}"
             f" (ref {_f(get(x, 'search', 'by_kind', kind, 'ref_p50'), 1)} / {_f(get(x, 'search', 'by_kind', kind, 'ref_p95'), 1)})"
             for x in b])
    row("search p50 / p95, all queries (app: member_search, first 50 by name, as admin of the root)",
        [f"{_f(get(x, 'search', 'app_p50'), 1)} / {_f(get(x, 'search', 'app_p95'), 1)} (n={get(x, 'search', 'n')})"
         f"{_ok((get(x, 'search', 'app_p95') or 1e9) <= 50) if x == 'postgresql' else ''}" for x in b], "p95 ≤ 50 ms (PG, 1M)")
    row("search reference raw SQL p50 / p95", [f"{_f(get(x, 'search', 'ref_p50'), 1)} / {_f(get(x, 'search', 'ref_p95'), 1)}" for x in b])
    # list
    for key, label in (("page", "/members/?page=N"), ("search", "/members/?q=…")):
        row(f"list {label} p50 / p95 (queries per request)",
            [f"{_f(get(x, 'list', key, 'p50'), 1)} / {_f(get(x, 'list', key, 'p95'), 1)}"
             f"{_ok((get(x, 'list', key, 'p95') or 1e9) <= 200)} ({get(x, 'list', key, 'queries')}; n={get(x, 'list', key, 'n')})"
             for x in b],
            "p95 ≤ 200 ms")
    scopes = get(b[0], "list", "scopes") or {}
    for label in scopes:
        row(f"list page 2 as admin of {label}: queries (ms)",
            [f"{get(x, 'list', 'scopes', label, 'queries')} ({_f(get(x, 'list', 'scopes', label, 'ms'), 1)})" for x in b],
            "same count at every scope")
    lines.append("")
    for x in b:
        if get(x, "snapshot", "rows"):
            lines += [snapshot_table(results[x]["snapshot"], names[x]), ""]
        if get(x, "assessment", "rows"):
            lines += [assessment_report(results[x]["assessment"], names[x]), ""]
        if get(x, "reports", "rows"):
            lines += [reports_table(results[x]["reports"], names[x]), ""]
    # plans
    for x in b:
        plans = (get(x, "snapshot", "plans") or []) + ([get(x, "search", "plan")] if get(x, "search", "plan") else [])
        if plans:
            lines += [f"## Query plans, {names[x]}", "", "```", *[p for p in plans], "```", ""]
    return "\n".join(lines)
