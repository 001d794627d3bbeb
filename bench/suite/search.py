"""The search step: members.selectors.member_search against raw SQL."""

from __future__ import annotations

import statistics
import time

from .samples import _admin, _queries
from .settings import STEP_BUDGET
from .timing import pct


def w_search(args):
    from django.db import connection

    from dangvu.members.models import Member
    from dangvu.members.selectors import member_search, members_visible_to

    user = _admin()
    queries = _queries(args["queries"])
    base = members_visible_to(user)
    table = Member._meta.db_table
    ref_sql = f"SELECT id, full_name FROM {table} WHERE name_folded LIKE %s ORDER BY sort_key, id LIMIT 50"
    # warm-up
    for _kind, q in queries[:10]:
        list(member_search(base, q)[:50])
    app, ref, found, timed = {}, {}, {}, []
    started = time.perf_counter()
    for i, (kind, q) in enumerate(queries):
        if i >= 30 and time.perf_counter() - started > STEP_BUDGET:
            break
        t = time.perf_counter()
        rows = list(member_search(base, q)[:50])
        ms = (time.perf_counter() - t) * 1000
        app.setdefault(kind, []).append(ms)
        timed.append((ms, kind, q))
        found.setdefault(kind, []).append(len(rows))
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(ref_sql, [f"%{q}%"])
            cur.fetchall()
        ref.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
    all_app = [v for vs in app.values() for v in vs]
    all_ref = [v for vs in ref.values() for v in vs]
    result = {"n": len(timed), "app_p50": pct(all_app, .5), "app_p95": pct(all_app, .95),
              "ref_p50": pct(all_ref, .5), "ref_p95": pct(all_ref, .95),
              "by_kind": {k: {"app_p50": pct(app[k], .5), "app_p95": pct(app[k], .95),
                              "ref_p50": pct(ref[k], .5), "ref_p95": pct(ref[k], .95),
                              "avg_found": statistics.mean(found[k])} for k in app}}
    # the plan of the slowest query
    slow_ms, slow_kind, slow_q = max(timed)
    qs = member_search(base, slow_q)[:50]
    sql, params = qs.query.sql_with_params()
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cur:
        cur.execute(explain + sql, params)
        plan = "\n".join(r[0] if connection.vendor == "postgresql" else str(r) for r in cur.fetchall())
    result["plan"] = f"-- slowest search: '{slow_q}' ({slow_kind}, {slow_ms:.1f} ms)\n{plan}"
    return result
