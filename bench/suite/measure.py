"""Steps measured alone on an existing benchmark database (`measure`, `assessment`)."""

from __future__ import annotations

import json
import os
import urllib.parse

from .settings import PG_OPTIONS, PG_URL, WORK
from .steps import log, run_step
from .tables import assessment_report, reports_table, snapshot_table


def assessment_only(url: str | None) -> int:
    """`python bench/run.py assessment [URL]`: the assessment step alone on an existing database built by
    `dangvu synth --members N --ratings 2023,2024,2025` (default BENCH_PG_URL), session options of
    PG_OPTIONS; the table printed and written to $BENCH_DIR/results-assessment.md."""
    url = url or PG_URL
    if url.startswith("postgresql") and "options=" not in url:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"options": PG_OPTIONS})
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "data").mkdir(exist_ok=True)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    r = run_step("assessment", url, {})
    if "error" in r:
        return 1
    text = assessment_report(r, "PostgreSQL" if url.startswith("postgresql") else "SQLite")
    text += f"\n\nLoad average at the start: {load}; at the end: " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    text += "\n\n```\n" + "\n\n".join(r["plans"]) + "\n```\n"
    (WORK / "results-assessment.md").write_text(text)
    print(text)
    return 0


def measure(url: str | None, steps: list[str]) -> int:
    """`python bench/run.py measure [URL] [steps]`: the steps (default snapshot,reports) alone on an existing
    benchmark database (default BENCH_PG_URL, e.g. one built by a full run or by `dangvu synth
    --members 1000000 --ratings 2023,2024,2025`), session options of PG_OPTIONS; the tables printed and
    written to $BENCH_DIR/results-measure.md (the JSON beside it)."""
    url = url or PG_URL
    if url.startswith("postgresql") and "options=" not in url:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"options": PG_OPTIONS})
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "data").mkdir(exist_ok=True)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    parts = [f"Load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", ""]
    results = {}
    for step in steps:
        log(f"== {step}")
        results[step] = r = run_step(step, url, {"runs": 3} if step == "reports" else {})
        if "error" in r:
            parts.append(f"{step} FAILED: {r['error'][-500:]}")
        elif step == "snapshot":
            parts += [snapshot_table(r, backend), "", "```", *r.get("plans", []), "```"]
        elif step == "assessment":
            parts.append(assessment_report(r, backend))
        elif step == "reports":
            parts.append(reports_table(r, backend))
        parts.append("")
    parts.append(f"Load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    text = "\n".join(parts)
    (WORK / "results-measure.md").write_text(text + "\n")
    (WORK / "results-measure.json").write_text(json.dumps(results, indent=1, default=str))
    print(text)
    return 0
