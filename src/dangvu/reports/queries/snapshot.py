"""`report snapshot` (contracts §3), the children counts and the dashboard."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.lifecycle import worklist
from dangvu.members.models import MemberEvent, MemberStatus, period_valid_on_sql
from dangvu.organizations.models import (
    CELL_KINDS,
    Organization,
    OrganizationKind,
    OrganizationPeriod,
)
from dangvu.organizations.selectors import counts_read_every_period, subtree_as_of_sql, valid_on_sql
from dangvu.regulations.assessment import MEMBERS

from . import trends
from .common import (
    MEMBER_KEYS,
    MP,
    OP,
    ORG,
    K,
    _count,
    _member_aggregate_columns,
    _member_aggregate_list,
    array_literal,
)

ARRAY_MAX = 1000


def _subtree_on(org_id: int, day: dt.date) -> tuple[str, list]:
    """The CTE body selecting the ids of `org_id`'s subtree on `day`, as each backend plans it well:
    SQLite runs the recursive CTE inside the statement; PostgreSQL cannot estimate a recursive CTE's
    size (it planned a sequential scan of every member period for a commune: 290 ms instead of
    17 ms), so the ids are read first (one small statement over organizations) and given back as an
    array whose length the planner sees (bench/findings.md §1) — for subtrees of up to ARRAY_MAX
    organizations."""
    sql, params = subtree_as_of_sql(org_id, day)
    if connection.vendor != "postgresql":
        return sql, params
    with connection.cursor() as cur:
        cur.execute(sql + " LIMIT %s", [*params, ARRAY_MAX + 1])
        ids = [r[0] for r in cur.fetchall()]
    if len(ids) > ARRAY_MAX:  # a province: the CTE's plan (hash joins) is the better one there
        return sql, params
    return "SELECT unnest(%s::bigint[])", [array_literal(ids)]


def _subtree_kinds_on(org_id: int, day: dt.date) -> tuple[str, list]:
    """As `_subtree_on`, selecting (id, kind) of each organization of the subtree on `day`: the kind is
    read by the recursion itself (from the covering index on the organization periods' parent), not by
    a second lookup of every organization's period."""
    valid = valid_on_sql("p")
    sql = (f"WITH RECURSIVE sub(id, kind) AS ("
           f" SELECT p.organization_id, p.kind FROM {OP} p WHERE p.organization_id = %s AND {valid}"
           f" UNION ALL"
           f" SELECT p.organization_id, p.kind FROM {OP} p JOIN sub ON p.parent_id = sub.id WHERE {valid}"
           f") SELECT id, kind FROM sub")
    params = [org_id, day, day, day, day]
    if connection.vendor != "postgresql":
        return sql, params
    with connection.cursor() as cur:
        cur.execute(sql + " LIMIT %s", [*params, ARRAY_MAX + 1])
        rows = cur.fetchall()
    if len(rows) > ARRAY_MAX:  # a province: the CTE's plan (hash joins) is the better one there
        return sql, params
    return "SELECT unnest(%s::bigint[]), unnest(%s::text[])", [array_literal(r[0] for r in rows),
                                                                array_literal(r[1] for r in rows)]


def _snapshot_sql(org_id: int, day: dt.date) -> tuple[str, list]:
    """One statement: the root's name on `day` (NULL when it does not exist then), the kinds of the
    organizations of its subtree on `day` and the attributes of the members placed there (from the
    member periods alone: an index-only scan of their covering index)."""
    sub_sql, sub_params = _subtree_kinds_on(org_id, day)
    member_cols, member_params = _member_aggregate_columns()
    org_cols = ", ".join(
        _count(f"s.kind = '{kind}'")
        for kind in (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL, K.PARTIAL_COMMITTEE, K.SUBORDINATE_CELL)
    )
    sql = (
        f"WITH s(id, kind) AS ({sub_sql})"
        f" SELECT (SELECT r.name FROM {OP} r WHERE r.organization_id = %s AND {valid_on_sql('r')}), o.*, mm.*"
        f" FROM (SELECT {org_cols} FROM s) o"
        f" CROSS JOIN (SELECT {member_cols} FROM {MP} mp"
        f"  WHERE mp.cell_id IN (SELECT id FROM s) AND {period_valid_on_sql('mp')}) mm"
    )
    params = [*sub_params, org_id, day, day, *member_params, day, day]
    return sql, params


def snapshot_reference_sql(org: Organization, as_of: dt.date) -> tuple[str, list]:
    """The bare aggregate over the same rows as `snapshot` (members of the subtree on the day, with
    the same columns): the reference a benchmark compares `snapshot` against (perf §9)."""
    sub_sql, sub_params = subtree_as_of_sql(org.pk, as_of)
    member_cols, member_params = _member_aggregate_columns()
    sql = (
        f"SELECT {member_cols} FROM {MP} mp"
        f" WHERE mp.cell_id IN ({sub_sql}) AND {period_valid_on_sql('mp')}"
    )
    return sql, [*member_params, *sub_params, as_of, as_of]


def snapshot(org: Organization, as_of: dt.date) -> dict:
    """Contracts §3 `report snapshot`: how many organizations and members `org` had on `as_of`.

    Organizations: those of the subtree as the tree stood that day (the root included when it is
    of the kind counted). Members: those placed that day in a cell of that subtree (exempted
    members included). The name is the organization's name on that day. One SQL statement.
    """
    sql, params = _snapshot_sql(org.pk, as_of)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    name, counts = row[0], [int(v or 0) for v in row[1:]]
    if name is None:
        raise DomainError(
            _("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(as_of)}, field="as_of"
        )
    committees, cells, partial, subordinate = counts[:4]
    return {
        "org": {"code": org.code, "name": name},
        "as_of": as_of.isoformat(),
        "organizations": {
            "grassroots": committees + cells,
            "grassroots_committees": committees,
            "grassroots_cells": cells,
            "partial_committees": partial,
            "subordinate_cells": subordinate,
        },
        "members": dict(zip(MEMBER_KEYS, counts[4:], strict=True)),
    }


def children_counts(org: Organization, day: dt.date) -> list[dict]:
    """The organization's direct children on `day`, each with the cells and members of its subtree
    that day (one statement; a cell child counts itself)."""
    cell_kinds = ", ".join(f"'{k}'" for k in CELL_KINDS)
    sql = (
        f"WITH RECURSIVE t(id, top, kind) AS ("
        f" SELECT p.organization_id, p.organization_id, p.kind FROM {OP} p"
        f"  WHERE p.parent_id = %s AND {valid_on_sql('p')}"
        f" UNION ALL"
        f" SELECT p.organization_id, t.top, p.kind FROM {OP} p JOIN t ON p.parent_id = t.id"
        f"  WHERE {valid_on_sql('p')}"
        f"), cells AS (SELECT top, COUNT(*) AS n FROM t WHERE kind IN ({cell_kinds}) GROUP BY top),"
        f" per_cell AS (SELECT mp.cell_id, COUNT(*) AS total, {_count('mp.status = %s')} AS official"
        f"  FROM {MP} mp WHERE mp.cell_id IN (SELECT id FROM t) AND {period_valid_on_sql('mp')} GROUP BY mp.cell_id),"
        f" mem AS (SELECT t.top, SUM(per_cell.total) AS total, SUM(per_cell.official) AS official"
        f"  FROM per_cell JOIN t ON t.id = per_cell.cell_id GROUP BY t.top)"
        f" SELECT c.organization_id, o.code, c.name, c.kind,"
        f"  COALESCE(cells.n, 0), COALESCE(mem.total, 0), COALESCE(mem.official, 0)"
        f" FROM {OP} c JOIN {ORG} o ON o.id = c.organization_id"
        f" LEFT JOIN cells ON cells.top = c.organization_id LEFT JOIN mem ON mem.top = c.organization_id"
        f" WHERE c.parent_id = %s AND {valid_on_sql('c')}"
        f" ORDER BY o.code"
    )
    params = [org.pk, day, day, day, day, MemberStatus.OFFICIAL.value, day, day, org.pk, day, day]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    keys = ("id", "code", "name", "kind", "cells", "members", "official")
    result = [dict(zip(keys, r, strict=True)) for r in rows]
    for r in result:
        r["kind_label"] = OrganizationKind(r["kind"]).label
        r["probationary"] = r["members"] - r["official"]
    return result


def _dashboard_sql(org_id: int, day: dt.date, minimum: int, *, every_period: bool) -> tuple[str, list]:
    """One statement for the dashboard's figures of `org_id` on `day`, from one pass over the member
    periods of the subtree (`pc`: per cell, the member columns of the snapshot). Rows (part, id, code,
    name, kind, n1…n11):
    0 — the snapshot: the root's name on the day; n1–n4 the organizations by kind (ORG_KEYS' four
        kinds), n5–n11 the members (MEMBER_KEYS);
    1 — each direct child: n1 the cells of its subtree (itself when a cell), n2 its members, n3 official;
    2 — each cell of the subtree with fewer than `minimum` official members: n1 how many, n2 the direct
        child it lies under (itself when a child; the root when it is the cell).
    `every_period`: `pc` reads every member period of the day and the subtree is joined afterwards
    (organizations.selectors.counts_read_every_period)."""
    cells = ", ".join(f"'{k}'" for k in CELL_KINDS)
    member_cols, member_params = _member_aggregate_list()
    kinds = (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL, K.PARTIAL_COMMITTEE, K.SUBORDINATE_CELL)
    org_cols = ", ".join(_count(f"t.kind = '{kind}'") for kind in kinds)
    sums = ", ".join(f"COALESCE(SUM(pc.n{i}), 0)" for i in range(1, 8))
    pc_cols = ", ".join(f"{col} AS n{i}" for i, col in enumerate(member_cols, start=1))
    where_cells = "" if every_period else " AND mp.cell_id IN (SELECT id FROM t)"
    sql = (
        f"WITH RECURSIVE t(id, top, kind, name, depth) AS ("
        f" SELECT p.organization_id, p.organization_id, p.kind, p.name, 0 FROM {OP} p"
        f"  WHERE p.organization_id = %s AND {valid_on_sql('p')}"
        f" UNION ALL"
        f" SELECT p.organization_id, CASE WHEN t.depth = 0 THEN p.organization_id ELSE t.top END, p.kind, p.name,"
        f"  t.depth + 1 FROM {OP} p JOIN t ON p.parent_id = t.id WHERE {valid_on_sql('p')}"
        f"), pc AS (SELECT mp.cell_id, {pc_cols} FROM {MP} mp"
        f"  WHERE {period_valid_on_sql('mp')}{where_cells} GROUP BY mp.cell_id)"
        f" SELECT 0, NULL, NULL, (SELECT t.name FROM t WHERE t.depth = 0), NULL, o.*, mm.*"
        f" FROM (SELECT {org_cols} FROM t) o"
        f" CROSS JOIN (SELECT {sums} FROM pc JOIN t ON t.id = pc.cell_id) mm"
        f" UNION ALL"
        f" SELECT 1, c.id, org.code, c.name, c.kind, COALESCE(x.cells, 0), COALESCE(x.total, 0), COALESCE(x.official, 0),"
        f"  0, 0, 0, 0, 0, 0, 0, 0"
        f" FROM t c JOIN {ORG} org ON org.id = c.id"
        f" LEFT JOIN (SELECT t.top, {_count(f't.kind IN ({cells})')} AS cells, SUM(pc.n1) AS total, SUM(pc.n2) AS official"
        f"  FROM t LEFT JOIN pc ON pc.cell_id = t.id WHERE t.depth > 0 GROUP BY t.top) x ON x.top = c.id"
        f" WHERE c.depth = 1"
        f" UNION ALL"
        f" SELECT 2, t.id, org.code, t.name, t.kind, COALESCE(pc.n2, 0), t.top, 0, 0, 0, 0, 0, 0, 0, 0, 0"
        f" FROM t JOIN {ORG} org ON org.id = t.id LEFT JOIN pc ON pc.cell_id = t.id"
        f" WHERE t.kind IN ({cells}) AND COALESCE(pc.n2, 0) < %s"
    )
    params = [org_id, day, day, day, day, *member_params, day, day, minimum]
    return sql, params


def dashboard_figures(org: Organization, day: dt.date) -> tuple[dict, list[dict], list[dict]]:
    """The dashboard's figures of `org` on `day` from one statement (`_dashboard_sql`): the snapshot
    (as `snapshot` gives it), the children (as `children_counts`), the cells below the minimum of
    official members (as `members.selectors.cells_below_minimum`, with their codes)."""
    minimum = R.rules_on(day).cell_min_official_members
    sql, params = _dashboard_sql(org.pk, day, minimum, every_period=counts_read_every_period(org))
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    head = next(r for r in rows if r[0] == 0)
    if head[3] is None:
        raise DomainError(
            _("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(day)}, field="as_of"
        )
    committees, cells, partial, subordinate = (int(v or 0) for v in head[5:9])
    snap = {
        "org": {"code": org.code, "name": head[3]},
        "as_of": day.isoformat(),
        "organizations": {
            "grassroots": committees + cells,
            "grassroots_committees": committees,
            "grassroots_cells": cells,
            "partial_committees": partial,
            "subordinate_cells": subordinate,
        },
        "members": dict(zip(MEMBER_KEYS, (int(v or 0) for v in head[9:16]), strict=True)),
    }
    children = []
    for _part, pk, code, name, kind, n_cells, total, official, *_rest in sorted(
            (r for r in rows if r[0] == 1), key=lambda r: r[2]):
        children.append({"id": pk, "code": code, "name": name, "kind": kind, "cells": int(n_cells),
                         "members": int(total), "official": int(official),
                         "kind_label": OrganizationKind(kind).label, "probationary": int(total) - int(official)})
    warnings = [{"id": pk, "name": name, "official": int(n), "code": code, "top": top}
                for _part, pk, code, name, _kind, n, top, *_rest in sorted((r for r in rows if r[0] == 2),
                                                                        key=lambda r: (r[3], r[1]))]
    return snap, children, warnings


def recent_events(user, limit: int = 10, day: dt.date | None = None) -> list[MemberEvent]:
    """The latest member events (biến động) in the user's scope, up to `day`.

    Scope is `members_visible_to` (the member's cell is in the user's scope), written as a join on
    the cell so that the planner can walk an (effective_on, id) index when there is one; the ten
    ids are found first, then loaded with their member and cell (two small statements instead of
    sorting every joined row of the scope)."""
    qs = MemberEvent.objects.filter(scope_q(user, "member__cell__"))
    if day is not None:
        qs = qs.filter(effective_on__lte=day)
    ids = list(qs.order_by("-effective_on", "-id").values_list("id", flat=True)[:limit])
    return list(MemberEvent.objects.filter(pk__in=ids).select_related("member", "cell").order_by("-effective_on", "-id"))


def dashboard(user, org: Organization, day: dt.date) -> dict:
    """Everything the landing page shows for `org` on `day`: the snapshot, the children with their
    member counts, warnings (cells below the minimum of official members; the to-do figures of
    `worklist.todo_counts`, the same as the to-do page's), recent events. The snapshot, children and
    warnings come from one statement (`dashboard_figures`); `trends` (the figures of each year-end, the
    same day last year and today; admissions and ratings by year: `trends.trends`, one statement) and
    `units` (`trends.weakest_units`, of the latest year with members rated)."""
    result = {"org": org, "day": day, "snapshot": None, "error": None, "children": [], "warnings": [],
              "cell_minimum": R.rules_on(day).cell_min_official_members,
              "todo": worklist.todo_counts(user, day, keys=worklist.DASHBOARD_KEYS)}
    try:
        result["snapshot"], result["children"], result["warnings"] = dashboard_figures(org, day)
    except DomainError as exc:  # the user's organization no longer exists (dissolved, merged)
        result["error"] = exc.message
    else:
        result["trends"] = trends.trends(org.pk, day)
        rated = [y for y, groups in result["trends"]["ratings"].items() if groups.get(MEMBERS)]
        result["units"] = trends.weakest_units(org, day, result["children"], result["warnings"],
                                               max(rated) if rated else None)
    result["events"] = recent_events(user, day=day)
    return result




def children_on(org: Organization, day: dt.date) -> list[dict]:
    """The direct children of `org` on `day`: {"id", "code", "name", "kind"}, by code. One query."""
    return [{"id": pk, "code": code, "name": name, "kind": kind} for pk, code, name, kind in (
        OrganizationPeriod.objects.active_on(day).filter(parent_id=org.pk)
        .order_by("organization__code").values_list("organization_id", "organization__code", "name", "kind"))]


def snapshot_by_child(org: Organization, day: dt.date) -> dict[int, dict]:
    """`snapshot`'s `organizations` and `members` of each direct child of `org` on `day` (its subtree
    that day, the child itself included), keyed by the child's id: one statement grouped by child
    (the sub-units side by side), the same figures as `snapshot` of each child."""
    member_cols, member_params = _member_aggregate_list()
    kinds = (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL, K.PARTIAL_COMMITTEE, K.SUBORDINATE_CELL)
    org_cols = [_count(f"t.kind = '{kind}'") for kind in kinds]
    zeros = ", ".join("0" for _ in range(len(member_cols) - len(org_cols)))
    sql = (
        f"WITH RECURSIVE t(id, top, kind) AS ("
        f" SELECT p.organization_id, p.organization_id, p.kind FROM {OP} p WHERE p.parent_id = %s AND {valid_on_sql('p')}"
        f" UNION ALL"
        f" SELECT p.organization_id, t.top, p.kind FROM {OP} p JOIN t ON p.parent_id = t.id WHERE {valid_on_sql('p')})"
        f" SELECT 'o', t.top, {', '.join(org_cols)}, {zeros} FROM t GROUP BY t.top"
        f" UNION ALL"
        f" SELECT 'm', t.top, {', '.join(member_cols)} FROM {MP} mp"
        f"  JOIN t ON t.id = mp.cell_id WHERE {period_valid_on_sql('mp')} GROUP BY t.top"
    )
    params = [org.pk, day, day, day, day, *member_params, day, day]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    result: dict[int, dict] = {}
    for part, top, *values in rows:  # one row per child and part
        entry = result.setdefault(top, {"organizations": None, "members": dict.fromkeys(MEMBER_KEYS, 0)})
        counts = [int(v or 0) for v in values]
        if part == "o":
            committees, cells, partial, subordinate = counts[:4]
            entry["organizations"] = {"grassroots": committees + cells, "grassroots_committees": committees,
                                      "grassroots_cells": cells, "partial_committees": partial,
                                      "subordinate_cells": subordinate}
        else:
            entry["members"] = dict(zip(MEMBER_KEYS, counts, strict=True))
    return result
