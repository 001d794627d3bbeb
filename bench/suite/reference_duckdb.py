"""The reference limit of issue 11: DuckDB over the rows exported from the benchmark database."""

from __future__ import annotations

import statistics
import time

from .settings import WORK
from .timing import _cpu_ms, _timed

#: The member columns of the snapshot over the exported rows (DuckDB), as `report snapshot` counts them.
DUCK_MEMBER_COLUMNS = ("COUNT(*), count_if(status = 'official'), count_if(status = 'probationary'),"
                       " count_if(sex = 'F'), count_if(ethnicity <> '01'), count_if(religion <> ''), count_if(exempted)")


def _duckdb_snapshots(subtrees, days) -> dict:
    """The reference limit of issue 11: DuckDB over the same rows. The member periods (with each member's
    sex, ethnicity and religion, joined once at export whatever the schema), and the organization
    periods are exported from the benchmark database (PostgreSQL: COPY … TO STDOUT as CSV; SQLite: the
    rows as CSV), loaded into an in-memory DuckDB, and the members of each subtree on each day counted
    there as the bare aggregate counts them (the periods valid that day in the subtree's cells):
    {(subtree, as_of): {ms, runs, cpu_ms, members}}; {"error": …} without duckdb (the bench extras)."""
    try:
        import duckdb
    except ImportError:
        return {"error": "duckdb not installed (pip install -e '.[bench]')"}
    import csv

    from django.db import connection

    from dangvu.members.models import Member, MemberPeriod
    from dangvu.organizations.models import OrganizationPeriod

    mp, m, op = MemberPeriod._meta.db_table, Member._meta.db_table, OrganizationPeriod._meta.db_table
    exports = {
        "mp": (f"SELECT p.cell_id, p.status, CASE WHEN p.exempted THEN 1 ELSE 0 END, p.valid_from, p.valid_to,"
               f" m.sex, m.ethnicity, COALESCE(m.religion, '') FROM {mp} p JOIN {m} m ON m.id = p.member_id",
               "cell_id BIGINT, status VARCHAR, exempted BOOLEAN, valid_from DATE, valid_to DATE, sex VARCHAR,"
               " ethnicity VARCHAR, religion VARCHAR"),
        "op": (f"SELECT organization_id, parent_id, kind, valid_from, valid_to FROM {op}",
               "organization_id BIGINT, parent_id BIGINT, kind VARCHAR, valid_from DATE, valid_to DATE"),
    }
    folder = WORK / "duckdb"
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    db = duckdb.connect()
    for name, (sql, columns) in exports.items():
        path = folder / f"{name}.csv"
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                raw = cur.cursor  # psycopg's own cursor: COPY
                with open(path, "wb") as f, raw.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                    for chunk in copy:
                        f.write(chunk)
            else:
                cur.execute(sql)
                with open(path, "w", newline="") as f:
                    w = csv.writer(f)
                    while batch := cur.fetchmany(50_000):
                        w.writerows(batch)
        types = {c.split()[0]: c.split()[1] for c in columns.split(", ")}
        db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header=false,"
                   f" columns={types!r}, nullstr='')")
    export_s = time.perf_counter() - started
    out = {"version": duckdb.__version__, "export_s": export_s}
    valid = "{a}.valid_from <= $day AND ({a}.valid_to IS NULL OR {a}.valid_to > $day)"
    # the subtree of the day: a table of ids (as the app gives PostgreSQL an array) that DuckDB's own
    # recursion reads from the exported organization periods, untimed: a recursive CTE is slow there
    # (≈ 180 ms CPU for any subtree of the 1M tree) and would hide the member aggregate
    subtree = (f"WITH RECURSIVE s(id) AS (SELECT p.organization_id FROM op p WHERE p.organization_id = $root AND "
               f"{valid.format(a='p')} UNION ALL SELECT p.organization_id FROM op p JOIN s ON p.parent_id = s.id"
               f" WHERE {valid.format(a='p')}) SELECT id FROM s")
    sql = f"SELECT {DUCK_MEMBER_COLUMNS} FROM mp WHERE mp.cell_id IN (SELECT id FROM s) AND {valid.format(a='mp')}"
    for label, org in subtrees:
        for day_label, day in days:
            db.execute("DROP TABLE IF EXISTS s")
            db.execute(f"CREATE TABLE s AS {subtree}", {"root": org.pk, "day": day})
            params = {"day": day}
            runs = _timed(lambda params=params: db.execute(sql, params).fetchall())
            out[(label, day_label)] = {"ms": statistics.median(runs), "runs": runs,
                                       "cpu_ms": _cpu_ms(lambda params=params: db.execute(sql, params).fetchall()),
                                       "members": db.execute(sql, params).fetchone()[0]}
    db.close()
    return out
