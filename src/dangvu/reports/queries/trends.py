"""The dashboard's trends (xu hướng qua các năm) and its weakest units (đơn vị yếu nhất).

`trends`: for a subtree, in one SQL statement over the pieces of time each organization lay in it
(`flows._subtree_over_time`, the walk down the dated tree the flows report uses), the members and
organizations of the snapshot on each of several days (every year-end of the window, the same day a
year ago, today), the admissions of each year (the flows report's `admitted`), and the ratings of
each year by level (the assessment report's counts, where each rating was decided, in the subtree as
it stood on the year's last day). The number of statements does not grow with the years nor with the
members: the days and years are rows of a small table joined to the periods, grouped once.

`unit_indicators`: the same figures the checks and assessment reports count, grouped by the direct
child of the organization they fall under (one statement each).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection

from dangvu import regulations as R
from dangvu.assessment.models import Rating
from dangvu.organizations.selectors import valid_on_sql
from dangvu.regulations.assessment import MEMBERS

from .common import ME, MEMBER_KEYS, MP, OP, E, K, _count, _member_aggregate_list, array_literal
from .flows import _in_subtree, _subtree_over_time

#: Years the trends look back (year-ends of the last TREND_YEARS full years, and the current year).
TREND_YEARS = 6
RATING_TABLE = Rating._meta.db_table
#: Typed NULLs for the columns a part of the statement leaves empty (PostgreSQL types a UNION's columns).
NO_YEAR, NO_DAY, NO_TEXT = "CAST(NULL AS INTEGER)", "CAST(NULL AS DATE)", "CAST(NULL AS VARCHAR(32))"
#: The organization kinds the snapshot counts, in the order of its `organizations` keys (but the total).
_ORG_KINDS = (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL, K.PARTIAL_COMMITTEE, K.SUBORDINATE_CELL)


def same_day_last_year(day: dt.date) -> dt.date:
    """The same day a year before (28/02 for a 29/02)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def trend_years(today: dt.date, years: int = TREND_YEARS) -> list[int]:
    """The full years of the trends, oldest first (their year-ends are the points before today)."""
    return list(range(today.year - years, today.year))


def _values(rows: list[tuple], casts: tuple[str, ...]) -> tuple[str, list]:
    """A VALUES list of `rows` (each cell a parameter; on PostgreSQL cast to its type)."""
    pg = connection.vendor == "postgresql"
    cell = [f"CAST(%s AS {c})" if pg else "%s" for c in casts]
    sql = ", ".join("(" + ", ".join(cell) + ")" for _r in rows)
    return sql, [v for r in rows for v in r]


def _trends_sql(org_id: int, days: list[dt.date], years: list[int], today: dt.date) -> tuple[str, list]:
    """One statement; rows (part, day, year, grp, lvl, n1…n7):
    0 — each span of `days` (year = bs × 100 + be: the days of index bs … be − 1): n1–n7 the members
        (MEMBER_KEYS) placed on each of those days in the subtree as it stood, counted once per period;
    1 — each day: n1–n4 the organizations of the subtree that day by kind (`_ORG_KINDS`);
    2 — each year of `years` and the current one: n1 the admissions dated in it (up to `today`) of members
        placed that day in the subtree as it stood that day;
    3 — each year of `years`, group and level key: n1 the ratings of that year decided in the subtree as it
        stood on 31/12."""
    lo = min(dt.date(min(years), 1, 1), min(days))
    hi = today + dt.timedelta(days=1)
    s_sql, s_params = _subtree_over_time(org_id, lo, hi)
    # PostgreSQL: the subtree's ids also as an array, whose length the planner sees (it then reads the member
    # periods and ratings of a commune by their indexes instead of scanning the tables)
    pg = connection.vendor == "postgresql"
    ids = [s_params[0]] if pg else []
    d_sql, d_params = _values([(d,) for d in days], ("date",))
    y_rows = [(y, dt.date(y, 1, 1), min(dt.date(y + 1, 1, 1), hi), dt.date(y, 12, 31)) for y in [*years, today.year]]
    y_sql, y_params = _values(y_rows, ("integer", "date", "date", "date"))
    member_cols, member_params = _member_aggregate_list()
    org_cols = [_count(f"op.kind = '{kind}'") for kind in _ORG_KINDS]
    zeros = lambda n: ", 0" * n  # noqa: E731
    # Each member period cut to the pieces of time its cell lay in the subtree: [start, end). It counts on
    # the days k with bs <= k < be (bs, be: how many of the sorted days fall before start, before end), so
    # each period is read once (not once per day) and grouped by (bs, be); trends() adds the spans up.
    day_params = [d.isoformat() if connection.vendor != "postgresql" else d for d in days]
    before = lambda col: " + ".join(f"CASE WHEN {_day_param()} < {col} THEN 1 ELSE 0 END" for _d in days)  # noqa: E731
    x_cols = [re.sub(r"\b(mp|m)\.", "x.", col) for col in member_cols]
    members = (
        f"SELECT 0, {NO_DAY}, x.bs * 100 + x.be, {NO_TEXT}, {NO_TEXT}, {', '.join(x_cols)}"
        f" FROM (SELECT p.status, p.exempted, p.sex, p.ethnicity, p.religion, {before('p.vstart')} AS bs,"
        f"  {before('p.vend')} AS be"
        f"  FROM (SELECT mp.status, mp.exempted, mp.sex, mp.ethnicity, mp.religion,"
        f"   CASE WHEN mp.valid_from > s.vf THEN mp.valid_from ELSE s.vf END AS vstart,"
        f"   CASE WHEN mp.valid_to IS NULL OR mp.valid_to > s.vt THEN s.vt ELSE mp.valid_to END AS vend"
        f"   FROM s CROSS JOIN {MP} mp"
        f"   WHERE mp.cell_id = s.id{' AND mp.cell_id = ANY(%s::bigint[])' if pg else ''} AND mp.valid_from < s.vt AND (mp.valid_to IS NULL OR mp.valid_to > s.vf)) p) x"
        f" WHERE x.bs < x.be GROUP BY x.bs, x.be"
    )
    organizations = (
        f"SELECT 1, d.day, {NO_YEAR}, {NO_TEXT}, {NO_TEXT}, {', '.join(org_cols)}{zeros(3)}"
        f" FROM d CROSS JOIN s CROSS JOIN {OP} op WHERE op.organization_id = s.id AND s.vf <= d.day AND s.vt > d.day"
        f" AND op.valid_from <= d.day AND (op.valid_to IS NULL OR op.valid_to > d.day) GROUP BY d.day"
    )
    admitted = (  # the flows report's `admitted` (flows._flows_cte, `on_the_day`), counted by year
        f"SELECT 2, {NO_DAY}, y.year, {NO_TEXT}, {NO_TEXT}, COUNT(*){zeros(6)}"
        + _in_subtree("mp", "s.vf <= e.effective_on AND s.vt > e.effective_on", f" CROSS JOIN {ME} e CROSS JOIN y")
        + f" AND e.member_id = mp.member_id AND e.kind = '{E.ADMITTED.value}'"
        f" AND e.effective_on >= y.lo AND e.effective_on < y.hi"
        # the years' whole span too, as constants: the events of those years by the date index, not all of them
        f" AND e.effective_on >= %s AND e.effective_on < %s"
        f" AND mp.valid_from <= e.effective_on AND (mp.valid_to IS NULL OR mp.valid_to > e.effective_on)"
        f" GROUP BY y.year"
    )
    group = connection.ops.quote_name("group")
    ratings = (  # the assessment report's counts (`assessment_ratings`), every year at once; counted first
        # per deciding place from the (year, rated_in, group, key) index, then added up over the subtree
        f"SELECT 3, {NO_DAY}, y.year, r.grp, r.key, SUM(r.n){zeros(6)}"
        f" FROM y CROSS JOIN s CROSS JOIN (SELECT year, rated_in_id, {group} AS grp, key, COUNT(*) AS n"
        f"  FROM {RATING_TABLE} WHERE year >= %s AND year < %s"
        f"  AND rated_in_id {'= ANY(%s::bigint[])' if pg else 'IN (SELECT id FROM s)'}"
        f"  GROUP BY year, rated_in_id, {group}, key) r"
        f" WHERE r.year = y.year AND r.rated_in_id = s.id AND s.vf <= y.last AND s.vt > y.last"
        f" GROUP BY y.year, r.grp, r.key"
    )
    sql = (f"WITH RECURSIVE {s_sql}, d(day) AS (VALUES {d_sql}), y(year, lo, hi, last) AS (VALUES {y_sql})"
           f" {members} UNION ALL {organizations} UNION ALL {admitted} UNION ALL {ratings}")
    params = [*s_params, *d_params, *y_params, *member_params, *day_params, *day_params, *ids, lo, hi, min(years), today.year, *ids]
    return sql, params


def _day_param() -> str:
    return "CAST(%s AS DATE)" if connection.vendor == "postgresql" else "%s"


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def trends(org_id: int, today: dt.date, years: int = TREND_YEARS) -> dict:
    """The figures of the dashboard's trends for the subtree of `org_id` (one statement, `_trends_sql`):

    - `days`: {day: {"members": {MEMBER_KEYS}, "organizations": {grassroots, grassroots_committees,
      grassroots_cells, partial_committees, subordinate_cells, cells}}} for every year-end of
      `trend_years`, the same day last year and `today` — the counts of `report snapshot` on that day
      (`cells`: every chi bộ, cơ sở and trực thuộc);
    - `admitted`: {year: n} for those years and the current one up to `today` — `report flows`'
      `admitted` over the year;
    - `ratings`: {year: {group: {key: n}}} — `report assessment`'s counts by level of that year's scale.
    """
    ys = trend_years(today, years)
    days = sorted({*(dt.date(y, 12, 31) for y in ys), same_day_last_year(today), today})
    sql, params = _trends_sql(org_id, days, ys, today)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    empty_orgs = dict.fromkeys(("grassroots", "grassroots_committees", "grassroots_cells", "partial_committees",
                                "subordinate_cells", "cells"), 0)
    result = {"days": {d: {"members": dict.fromkeys(MEMBER_KEYS, 0), "organizations": dict(empty_orgs)} for d in days},
              "admitted": dict.fromkeys([*ys, today.year], 0), "ratings": {y: {} for y in ys}}
    for part, day, year, group, key, *n in rows:
        n = [int(v or 0) for v in n]
        if part == 0:
            for d in days[int(year) // 100:int(year) % 100]:
                counts = result["days"][d]["members"]
                for key, value in zip(MEMBER_KEYS, n, strict=True):
                    counts[key] += value
        elif part == 1:
            committees, cells, partial, subordinate = n[:4]
            result["days"][_day(day)]["organizations"] = {
                "grassroots": committees + cells, "grassroots_committees": committees, "grassroots_cells": cells,
                "partial_committees": partial, "subordinate_cells": subordinate, "cells": cells + subordinate}
        elif part == 2:
            result["admitted"][int(year)] = n[0]
        else:
            result["ratings"][int(year)].setdefault(group, {})[key] = n[0]
    return result


def common_levels(year: int, counts: dict[str, int]) -> dict[str, int]:
    """Counts by level of `year`'s scale → counts by the four common levels (`regulations.COMMON_KEY`)."""
    mapping = R.COMMON_KEY[R.assessment_rules(year, {}).scale.code]
    result = dict.fromkeys(R.COMMON_KEYS, 0)
    for key, n in counts.items():
        if key in mapping:
            result[mapping[key]] += n
    return result


# --- the weakest units: figures of the checks and assessment reports by child ---------------------------

def _children_walk(org_id: int, day: dt.date) -> tuple[str, list]:
    """CTE `t(id, top, depth)`: the subtree of `org_id` on `day`, each organization with the direct child
    of `org_id` it lies under (the root: itself, depth 0) — the walk of the dashboard's statement."""
    sql = (
        f"t(id, top, depth) AS ("
        f" SELECT p.organization_id, p.organization_id, 0 FROM {OP} p WHERE p.organization_id = %s AND {valid_on_sql('p')}"
        f" UNION ALL"
        f" SELECT p.organization_id, CASE WHEN t.depth = 0 THEN p.organization_id ELSE t.top END, t.depth + 1"
        f" FROM {OP} p JOIN t ON p.parent_id = t.id WHERE {valid_on_sql('p')})"
    )
    return sql, [org_id, day, day, day, day]


def _children_walk_cte(org_id: int, day: dt.date) -> tuple[str, list]:
    """`_children_walk` as each backend plans it well: inside the statement on SQLite; on PostgreSQL, which
    cannot estimate a recursive CTE's size (it looped over the walk once per rating: 106 ms for a district),
    read first (a small statement over organizations) and given back as arrays (as `_subtree_on` does)."""
    sql, params = _children_walk(org_id, day)
    if connection.vendor != "postgresql":
        return sql, params
    with connection.cursor() as cur:
        cur.execute(f"WITH RECURSIVE {sql} SELECT id, top, depth FROM t", params)
        rows = cur.fetchall()
    columns = [array_literal(c) for c in zip(*rows, strict=True)] if rows else ["{}", "{}", "{}"]
    return "t(id, top, depth) AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::int[]))", columns


def member_ratings_by_child(org_id: int, year: int) -> dict[int, dict[str, int]]:
    """{child id: {level key: n}}: the members' ratings of `year` decided in the subtree of each direct
    child of `org_id` as the tree stood on 31/12 (the assessment report of that child, group `members`)."""
    t_sql, t_params = _children_walk_cte(org_id, dt.date(year, 12, 31))
    sql = (f"WITH RECURSIVE {t_sql} SELECT t.top, r.key, COUNT(*) FROM t JOIN {RATING_TABLE} r ON r.rated_in_id = t.id"
           f" WHERE t.depth > 0 AND r.year = %s AND r.{connection.ops.quote_name('group')} = %s GROUP BY t.top, r.key")
    result: dict[int, dict[str, int]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, [*t_params, year, MEMBERS])
        for top, key, n in cur.fetchall():
            result.setdefault(top, {})[key] = int(n)
    return result


def children_of(org_id: int, day: dt.date, ids) -> dict[int, int]:
    """{organization id: the direct child of `org_id` it lies under on `day`} for the organizations `ids`."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    t_sql, t_params = _children_walk(org_id, day)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(f"WITH RECURSIVE {t_sql} SELECT t.id, t.top FROM t WHERE t.depth > 0 AND t.id IN ({marks})",
                    [*t_params, *ids])
        return dict(cur.fetchall())


#: Units listed under each of the weakest indicators.
WEAKEST_SHOWN = 5


def weakest_units(org, day: dt.date, children: list[dict], warnings: list[dict], year: int | None) -> dict:
    """The direct children of `org` with the weakest indicators on `day`, each list the worst first
    (at most WEAKEST_SHOWN): `lowest_rated` — the lowest share of members rated excellent or good in
    `year` (the assessment report of the child); `cells_below` — the most chi bộ under the minimum of
    official members (`warnings` of the dashboard's statement, the checks' `cell_below_minimum`);
    `probations_overdue` — the most probations past the chi bộ's time limit (the checks'
    `probation_overdue`). Organizations and members are counted by the queries; Python only sorts the
    children."""
    from .checks import overdue_probations

    ids = {c["id"] for c in children}
    below: dict[int, int] = {}
    for w in warnings:
        if w["top"] in ids:
            below[w["top"]] = below.get(w["top"], 0) + 1
    probations = overdue_probations(org, day) if ids else []
    tops = children_of(org.pk, day, {p["cell_id"] for p in probations})
    overdue: dict[int, int] = {}
    for p in probations:
        if tops.get(p["cell_id"]) in ids:
            overdue[tops[p["cell_id"]]] = overdue.get(tops[p["cell_id"]], 0) + 1
    ratings = member_ratings_by_child(org.pk, year) if year and ids else {}
    rows = []
    for c in children:
        levels = common_levels(year, ratings.get(c["id"], {})) if year else dict.fromkeys(R.COMMON_KEYS, 0)
        rated = sum(levels.values())
        good = levels["excellent"] + levels["good"]
        rows.append({"id": c["id"], "code": c["code"], "name": c["name"], "members": c["members"], "rated": rated,
                     "good": good, "good_share": round(good * 100 / rated, 1) if rated else None,
                     "cells_below": below.get(c["id"], 0), "probations_overdue": overdue.get(c["id"], 0)})
    return {
        "year": year,
        "lowest_rated": sorted((r for r in rows if r["rated"]), key=lambda r: (r["good_share"], r["code"]))[:WEAKEST_SHOWN],
        "cells_below": sorted((r for r in rows if r["cells_below"]),
                              key=lambda r: (-r["cells_below"], r["code"]))[:WEAKEST_SHOWN],
        "probations_overdue": sorted((r for r in rows if r["probations_overdue"]),
                                     key=lambda r: (-r["probations_overdue"], r["code"]))[:WEAKEST_SHOWN],
    }


__all__ = ["WEAKEST_SHOWN", "weakest_units", "TREND_YEARS", "children_of", "common_levels", "member_ratings_by_child", "same_day_last_year",
           "trend_years", "trends"]
