"""The tables of the snapshot, reports and assessment steps, and the cell formats of the report."""

from __future__ import annotations

from .settings import ASSESSMENT_TARGET_MS


def _f(v, digits=0, unit=""):
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    return f"{v:,.{digits}f}{unit}"


def _ok(cond) -> str:
    return "" if cond is None else (" ✓" if cond else " ✗")


def assessment_report(r: dict, backend: str) -> str:
    lines = [f"### report assessment {r['year']}, {backend} ({r['ratings']:,} ratings that year; target "
             f"≤ {ASSESSMENT_TARGET_MS} ms for a province)", "",
             "| subtree | members | what | median ms | runs (ms) |", "|---|---:|---|---:|---|"]
    for row in r["rows"]:
        runs = ", ".join(f"{x:.0f}" for x in row["runs"])
        lines.append(f"| {row['subtree']} | {row['members']:,} | {row['what']} | {row['ms']:.0f} | {runs} |")
    return "\n".join(lines)


def snapshot_table(r: dict, backend: str) -> str:
    """The snapshot step as app / bare query / DuckDB (issue 11's targets: a ~200k province ≤ 100 ms, the
    1M root ≤ 500 ms on PostgreSQL)."""
    lines = [f"### report snapshot, {backend}: app / bare SQL / DuckDB ({r.get('duckdb', '')})", "",
             "Wall-clock medians of 5 runs; in brackets the mean CPU time of a run (the app's and the bare"
             " query's: this process and its PostgreSQL backend; DuckDB's: all its threads), which hardly"
             " depends on how busy the machine is.", "",
             "| subtree | members | as of | members that day | app ms (CPU) | bare SQL ms (CPU) | DuckDB ms (CPU) |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for row in r.get("rows", []):
        same = "" if row.get("duckdb_members") in (None, row["members_on_day"]) else " (counts differ!)"
        lines.append(f"| {row['subtree']} | {row['members']:,} | {row['as_of']} | {_f(row['members_on_day'])}{same} |"
                     f" {_f(row['app_ms'], 1)} ({_f(row.get('app_cpu_ms'))}) | {_f(row['ref_ms'], 1)}"
                     f" ({_f(row.get('ref_cpu_ms'))}) | {_f(row.get('duckdb_ms'), 1)} ({_f(row.get('duckdb_cpu_ms'))}) |")
    return "\n".join(lines)


def reports_table(r: dict, backend: str) -> str:
    lines = [f"### reports as of {r['as_of']}, {backend} (load average {r['load']:.1f} at the end)", "",
             "| subtree | members | report | median ms | runs (ms) | CPU ms (app + PostgreSQL backend) |",
             "|---|---:|---|---:|---|---:|"]
    for row in r["rows"]:
        runs = ", ".join(f"{x:.0f}" for x in row["runs"])
        lines.append(f"| {row['subtree']} | {row['members']:,} | {row['what']} | {row['ms']:.0f} | {runs} |"
                     f" {_f(row.get('cpu_ms'))} |")
    return "\n".join(lines)
