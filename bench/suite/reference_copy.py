"""The import's reference limit: the same rows read by calamine and written by raw COPY (PostgreSQL)
or executemany (SQLite) into a scratch table."""

from __future__ import annotations

import datetime as dt
import time


def _scratch_copy(rows: list[list]) -> float:
    """Raw COPY (PostgreSQL) / executemany (SQLite) of `rows` into a scratch table; seconds."""
    from django.db import connection, transaction

    cols = ("code text, full_name text, birth_date date, sex text, ethnicity text, religion text, admitted_on date,"
            " made_official_on date, cell text, placed_on date, card text, education text, qualification text,"
            " theory text, occupation text")
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_scratch")
        cur.execute(f"CREATE TABLE bench_scratch ({cols})")
        cur.execute("CREATE UNIQUE INDEX bench_scratch_code ON bench_scratch (code)")
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:  # one transaction, as the import
        if connection.vendor == "postgresql":
            with cur.cursor.copy("COPY bench_scratch FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            cur.executemany("INSERT INTO bench_scratch VALUES (" + ", ".join(["%s"] * 15) + ")", rows)
    s = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_scratch")
    return s


def _read_calamine(path: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(path)
    rows = wb.get_sheet_by_name("DangVien").to_python()
    out = []
    for r in rows[1:]:
        r = list(r) + [""] * (15 - len(r))
        out.append([(v.date() if isinstance(v, dt.datetime) else (v if v != "" else None)) for v in r[:15]])
    return out
