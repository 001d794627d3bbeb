"""Read queries behind the organization pages that need member data (the tree with member counts,
the subordinate organizations with theirs, the members of a subtree). Set-based: the number of
queries does not grow with the number of organizations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import connection
from django.db.models import Count, QuerySet

from dangvu import regulations as R
from dangvu.organizations.models import CELL_KINDS, Organization
from dangvu.organizations.selectors import (
    ORG_TABLE,
    PERIOD_TABLE,
    ancestors_as_of,
    counts_read_every_period,
    tree_as_of,
    valid_on_sql,
)

from .models import ACTIVE_STATUSES, Member, MemberPeriod, MemberStatus, period_valid_on_sql
from .selectors import members_in_subtree

OP = PERIOD_TABLE
MP = MemberPeriod._meta.db_table


def _count_sql(condition: str) -> str:
    return f"COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"


def member_counts_on(org_ids: list[int], day: dt.date) -> dict[int, dict[str, int]]:
    """Members placed directly in each of `org_ids` on `day`, by status: one grouped query."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"total": 0, "official": 0, "probationary": 0})
    if not org_ids:
        return counts
    rows = (
        MemberPeriod.objects.active_on(day).filter(cell_id__in=org_ids)
        .values("cell_id", "status")
        .annotate(n=Count("id"))
        .values_list("cell_id", "status", "n")
    )
    for cell_id, status, n in rows:
        c = counts[cell_id]
        c["total"] += n
        if status == MemberStatus.OFFICIAL:
            c["official"] += n
        elif status == MemberStatus.PROBATIONARY:
            c["probationary"] += n
    return counts


def roll_up(rows: list[dict], direct: dict[int, dict[str, int]]) -> None:
    """Add to each row of a depth-first ordered tree its own counts (`own_*`) and the counts of
    its whole subtree (`total`, `official`, `probationary`), in Python over the rows."""
    keys = ("total", "official", "probationary")
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        own = direct.get(r["id"]) or {}
        for k in keys:
            r["own_" + k] = own.get(k, 0)
            r[k] = own.get(k, 0)
    for r in reversed(rows):  # children come after their parent in depth-first order
        parent = by_id.get(r["parent_id"])
        if parent is not None and parent is not r:
            for k in keys:
                parent[k] += r[k]


def _tree_sql(root_id: int, day: dt.date, levels: int, minimum: int, *, every_period: bool) -> tuple[str, list]:
    """One statement over the subtree of `root_id` on `day` (the recursive CTE `t`, each organization
    with `top`: itself down to depth `levels`, below that its ancestor at depth `levels`): the rows down
    to depth `levels` with the member counts of the part of their subtree not shown (their own members,
    and for the deepest shown, everything under them), whether they have organizations under them, and
    — at any depth — the cells with fewer than `minimum` official members; each row also carries the
    number of organizations of the subtree. `every_period`: count every member period of the day and
    join the subtree afterwards (PostgreSQL misjudges the size of a recursive CTE and would look up
    thousands of cells one by one, see `organizations.selectors.counts_read_every_period`)."""
    valid = valid_on_sql
    cells = ", ".join(f"'{k}'" for k in CELL_KINDS)
    where_cells = "" if every_period else " AND mp.cell_id IN (SELECT id FROM t)"
    sql = (
        f"WITH RECURSIVE t(id, parent_id, top, kind, name, depth) AS ("
        f" SELECT p.organization_id, p.parent_id, p.organization_id, p.kind, p.name, 0 FROM {OP} p"
        f"  WHERE p.organization_id = %s AND {valid('p')}"
        f" UNION ALL"
        f" SELECT p.organization_id, p.parent_id, CASE WHEN t.depth < %s THEN p.organization_id ELSE t.top END,"
        f"  p.kind, p.name, t.depth + 1 FROM {OP} p JOIN t ON p.parent_id = t.id WHERE {valid('p')}"
        f"), pc AS (SELECT mp.cell_id, COUNT(*) AS total, {_count_sql('mp.status = %s')} AS official,"
        f"  {_count_sql('mp.status = %s')} AS probationary FROM {MP} mp"
        f"  WHERE {period_valid_on_sql('mp')}{where_cells} GROUP BY mp.cell_id),"
        f" agg AS (SELECT t.top, SUM(pc.total) AS total, SUM(pc.official) AS official,"
        f"  SUM(pc.probationary) AS probationary FROM t JOIN pc ON pc.cell_id = t.id GROUP BY t.top)"
        f" SELECT t.id, t.parent_id, o.code, t.name, t.kind, t.depth,"
        f"  CASE WHEN t.id IN (SELECT c.parent_id FROM t c WHERE c.depth > 0) THEN 1 ELSE 0 END,"
        f"  COALESCE(agg.total, 0), COALESCE(agg.official, 0), COALESCE(agg.probationary, 0),"
        f"  COALESCE(pc.total, 0), COALESCE(pc.official, 0), COALESCE(pc.probationary, 0),"
        f"  CASE WHEN t.kind IN ({cells}) AND COALESCE(pc.official, 0) < %s THEN 1 ELSE 0 END,"
        f"  (SELECT COUNT(*) FROM t)"
        f" FROM t JOIN {ORG_TABLE} o ON o.id = t.id LEFT JOIN agg ON agg.top = t.id LEFT JOIN pc ON pc.cell_id = t.id"
        f" WHERE t.depth <= %s OR (t.kind IN ({cells}) AND COALESCE(pc.official, 0) < %s)"
    )
    params = [root_id, day, day, levels, day, day, MemberStatus.OFFICIAL.value, MemberStatus.PROBATIONARY.value,
              day, day, minimum, levels, minimum]
    return sql, params


_TREE_KEYS = ("id", "parent_id", "code", "name", "kind", "depth", "has_children", "total", "official",
              "probationary", "own_total", "own_official", "own_probationary", "below_minimum", "organizations")


def _depth_first(rows: list[dict]) -> list[dict]:
    """The rows of a tree (the root first) in depth-first order, children by code."""
    children: dict[int, list[dict]] = defaultdict(list)
    for r in rows[1:]:
        children[r["parent_id"]].append(r)
    out, stack = [], [rows[0]]
    while stack:
        r = stack.pop()
        out.append(r)
        stack.extend(sorted(children.get(r["id"], ()), key=lambda c: c["code"], reverse=True))
    return out


def tree_with_counts(roots: list[Organization | int], day: dt.date, levels: int | None = None) -> list[dict]:
    """For each scope root, its tree as it stood on `day` down to depth `levels` (None: all), depth-first
    by code, each organization with its member counts on that day (`total`, `official`, `probationary`:
    its whole subtree; `own_*`: its own) and `has_children`; `warnings`: the cells of the whole tree
    with fewer official members than the rules require (`below_minimum`); `organizations`: how many
    organizations the tree has. A root that lies inside another root's tree on that day is shown only
    once, inside it. One statement per root (plus, with several roots, the ancestors of each)."""
    levels = 1_000_000 if levels is None else levels
    minimum = R.rules_on(day).cell_min_official_members
    roots = [r if isinstance(r, Organization) else Organization(pk=r) for r in roots]
    if len(roots) > 1:
        ids = {r.pk for r in roots}
        roots = [r for r in roots if not ids.intersection(ancestors_as_of(r.pk, day))]
    result = []
    for root in roots:
        root_id = root.pk
        sql, params = _tree_sql(root_id, day, levels, minimum, every_period=counts_read_every_period(root))
        with connection.cursor() as cur:
            cur.execute(sql, params)
            found = [dict(zip(_TREE_KEYS, row, strict=True)) for row in cur.fetchall()]
        shown = [r for r in found if r["depth"] <= levels]
        shown.sort(key=lambda r: r["depth"])
        for r in found:
            r["has_children"] = bool(r["has_children"])
            r["below_minimum"] = bool(r["below_minimum"])
            r["is_cell"] = r["kind"] in CELL_KINDS
        rows = _depth_first(shown) if shown else []
        by_id = {r["id"]: r for r in rows}
        for r in reversed(rows):  # the shown rows' counts include those of the shown rows under them
            parent = by_id.get(r["parent_id"])
            if parent is not None and parent is not r and r["depth"] > 0:
                for k in ("total", "official", "probationary"):
                    parent[k] += r[k]
        result.append({
            "root_id": root_id,
            "rows": rows,
            "warnings": sorted((r for r in found if r["below_minimum"]), key=lambda r: (r["name"], r["id"])),
            "organizations": found[0]["organizations"] if found else 0,
        })
    return result


def children_on(org: Organization, day: dt.date) -> tuple[list[dict], dict[str, int]]:
    """The organizations directly under `org` on `day`, each with the member counts of its subtree,
    and the counts of `org`'s whole subtree (two queries)."""
    rows = tree_as_of(org.pk, day)
    if not rows:
        return [], {"total": 0, "official": 0, "probationary": 0}
    roll_up(rows, member_counts_on([r["id"] for r in rows], day))
    children = [r for r in rows if r["parent_id"] == org.pk and r["id"] != org.pk]
    return children, {k: rows[0][k] for k in ("total", "official", "probationary")}


def current_members_in_subtree(org: Organization) -> QuerySet[Member]:
    """Members whose record is held in `org`'s subtree today and who are still in the Party."""
    return members_in_subtree(org).filter(status__in=ACTIVE_STATUSES).select_related("cell")
