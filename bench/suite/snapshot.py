"""The snapshot step: reports.queries.snapshot against the bare aggregate SQL and DuckDB."""

from __future__ import annotations

import statistics

from .reference_duckdb import _duckdb_snapshots
from .samples import _subtrees
from .settings import PAST
from .timing import _cpu_ms, _timed


def _bare_aggregate_sql(org, day):
    """The bare aggregate (perf §9 reference) when reports.queries has no reference of its own."""
    from dangvu.members.models import Member, MemberPeriod
    from dangvu.organizations.selectors import subtree_as_of_sql

    sub, params = subtree_as_of_sql(org.pk, day)
    sql = (
        f"SELECT COUNT(*), SUM(CASE WHEN mp.status = 'official' THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN m.sex = 'F' THEN 1 ELSE 0 END), SUM(CASE WHEN m.ethnicity <> '01' THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN m.religion <> '' THEN 1 ELSE 0 END), SUM(CASE WHEN mp.exempted THEN 1 ELSE 0 END)"
        f" FROM {MemberPeriod._meta.db_table} mp JOIN {Member._meta.db_table} m ON m.id = mp.member_id"
        f" WHERE mp.cell_id IN ({sub}) AND mp.valid_from <= %s AND (mp.valid_to IS NULL OR mp.valid_to > %s)"
    )
    return sql, [*params, day, day]


def w_snapshot(args):
    from django.db import connection

    try:
        from dangvu.reports import queries
    except ImportError:  # pragma: no cover - reports written by another helper
        queries = None
    snapshot = getattr(queries, "snapshot", None)
    reference = getattr(queries, "snapshot_reference_sql", None)
    from django.utils import timezone

    today = timezone.localdate()
    rows, plans = [], []
    for label, org, n in _subtrees():
        for day_label, day in (("past", PAST), ("today", today)):
            ref_sql, ref_params = (reference or _bare_aggregate_sql)(org, day)

            def run_ref(sql=ref_sql, params=ref_params):
                with connection.cursor() as cur:
                    cur.execute(sql, params)
                    cur.fetchall()

            ref = _timed(run_ref)
            app = _timed(lambda org=org, day=day: snapshot(org, day)) if snapshot else []
            members = snapshot(org, day)["members"]["total"] if snapshot else None
            rows.append({"subtree": label, "members": n, "as_of": day_label, "members_on_day": members,
                         "app_cpu_ms": _cpu_ms(lambda org=org, day=day: snapshot(org, day)) if snapshot else None,
                         "ref_cpu_ms": _cpu_ms(run_ref),
                         "app_ms": statistics.median(app) if app else None, "ref_ms": statistics.median(ref),
                         "app_runs": app, "ref_runs": ref,
                         "reference": "reports.queries.snapshot_reference_sql" if reference else "bench bare aggregate"})
            if connection.vendor == "postgresql" and day_label == "today" and snapshot:
                sql, params = queries._snapshot_sql(org.pk, day) if hasattr(queries, "_snapshot_sql") else (ref_sql, ref_params)
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    plans.append(f"-- snapshot {label} today ({n} members)\n" + "\n".join(r[0] for r in cur.fetchall()))
            elif connection.vendor == "sqlite" and day_label == "today" and snapshot and hasattr(queries, "_snapshot_sql"):
                sql, params = queries._snapshot_sql(org.pk, day)
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN QUERY PLAN " + sql, params)
                    plans.append(f"-- snapshot {label} today ({n} members)\n" + "\n".join(str(r) for r in cur.fetchall()))
    duck = _duckdb_snapshots([(label, org) for label, org, _n in _subtrees()], (("past", PAST), ("today", today)))
    for r in rows:
        d = duck.get((r["subtree"], r["as_of"]))
        if d is not None:
            r["duckdb_ms"], r["duckdb_runs"], r["duckdb_members"] = d["ms"], d["runs"], d["members"]
            r["duckdb_cpu_ms"] = d["cpu_ms"]
    return {"rows": rows, "available": bool(snapshot), "plans": plans,
            "duckdb": duck.get("error") or f"duckdb {duck.get('version')}, export {duck.get('export_s', 0):.1f} s"}
