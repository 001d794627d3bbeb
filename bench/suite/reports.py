"""The report steps: the reports of a ~200k province, and `report assessment` with its lists."""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics

from .samples import _subtrees
from .settings import RATING_YEARS
from .timing import _cpu_ms, _timed


def w_reports(args):
    """The reports of a ~200k province that issue 11 times (median of `runs` after a warm-up): the
    snapshot, the dashboard's figures, `report profile`, `report checks`, `report summary`, `report
    assessment`, and the basic statistics forms of HD 11 (1, 2, 4, 5, 6, 7; form 3 is the profile); `full
    set` is the sum of the seven tables (forms 1, 2, 4, 5, 6, 7 and the profile)."""
    from dangvu.reports import queries, summary
    from dangvu.reports.queries.snapshot import dashboard_figures
    from dangvu.reports.statforms import build_form

    runs = int(args.get("runs", 3))
    year = max(RATING_YEARS)
    day = dt.date(year, 12, 31)
    first = dt.date(year, 1, 1)
    out = []
    for label, org, n in _subtrees():
        if not label.startswith(tuple(args.get("subtrees", ["~200k"]))):
            continue
        cases = {
            "snapshot": lambda org=org: queries.snapshot(org, day),
            "dashboard figures": lambda org=org: dashboard_figures(org, day),
            "profile": lambda org=org: queries.profile(org, day),
            "checks": lambda org=org: queries.checks(org, day),
            "summary (with year)": lambda org=org: summary.summary(org, day, year),
            "assessment": lambda org=org: queries.assessment(org, year),
            "form 1": lambda org=org: build_form(1, org, date_from=first, date_to=day),
            "form 2": lambda org=org: build_form(2, org, date_from=first, date_to=day),
            "form 4": lambda org=org: build_form(4, org, as_of=day),
            "form 5": lambda org=org: build_form(5, org, as_of=day),
            "form 6": lambda org=org: build_form(6, org, year=year),
            "form 7": lambda org=org: build_form(7, org, date_from=first, date_to=day),
        }
        times, cpu = {}, {}
        for name, fn in cases.items():
            t = _timed(fn, runs=runs)
            times[name] = statistics.median(t)
            cpu[name] = _cpu_ms(fn, runs=1)
            out.append({"subtree": label, "members": n, "what": name, "ms": times[name], "runs": t,
                        "cpu_ms": cpu[name]})
        full = ("form 1", "form 2", "profile", "form 4", "form 5", "form 6", "form 7")
        out.append({"subtree": label, "members": n, "what": "full set (forms 1–7; form 3 = profile)",
                    "ms": sum(times[k] for k in full), "runs": [], "cpu_ms": sum(cpu[k] for k in full)})
    return {"as_of": day.isoformat(), "rows": out, "load": os.getloadavg()[0]}


def w_assessment(args):
    """report assessment (reports.queries.assessment) of the last rated year, the excellent-streak list
    and a drill-down list (those not rated), for each subtree of `_subtrees` (at least: a commune and
    the root); median of 5 runs after a warm-up, with the queries' plans of the root on PostgreSQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangvu.assessment.models import Rating
    from dangvu.reports import queries

    year = max(RATING_YEARS)
    rows, plans = [], []
    ratings = Rating.objects.filter(year=year).count()
    for label, org, n in _subtrees():
        cases = (("report assessment", lambda org=org: queries.assessment(org, year)),
                 ("excellent-streak (3 years)", lambda org=org: queries.excellent_streak(org, year, len(RATING_YEARS))),
                 ("list: members not rated", lambda org=org: list(
                     queries.assessment_figure(org, year, "members", "not_rated")[:100])))
        for name, fn in cases:
            runs = _timed(fn)
            rows.append({"subtree": label, "members": n, "what": name, "ms": statistics.median(runs), "runs": runs})
        if connection.vendor == "postgresql" and org.parent_id is None:
            with CaptureQueriesContext(connection) as ctx:
                queries.assessment(org, year)
            with connection.cursor() as cur:
                for q in ctx.captured_queries:
                    if q["sql"].lstrip().upper().startswith("SELECT") and float(q["time"]) > 0.02:
                        cur.execute("EXPLAIN (ANALYZE) " + q["sql"])
                        plan = "\n".join(r[0] for r in cur.fetchall())
                        plan = re.sub(r"'\{[0-9,]{80,}\}'", lambda m: f"'{{…{m.group(0).count(',') + 1} ids…}}'", plan)
                        plans.append(f"-- {float(q['time']) * 1000:.0f} ms\n{plan}")
    return {"year": year, "ratings": ratings, "rows": rows, "plans": plans}
