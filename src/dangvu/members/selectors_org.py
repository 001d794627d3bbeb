"""Read queries behind the organization pages that need member data (the tree with member counts,
the subordinate organizations with theirs, the members of a subtree). Set-based: the number of
queries does not grow with the number of organizations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, QuerySet

from dangvu.organizations.models import CELL_KINDS, Organization
from dangvu.organizations.selectors import tree_as_of

from .models import ACTIVE_STATUSES, Member, MemberPeriod, MemberStatus
from .selectors import cells_below_minimum, members_in_subtree


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


def tree_with_counts(root_ids: list[int], day: dt.date) -> list[dict]:
    """For each scope root, the tree as it stood on `day` with member counts per organization
    (its subtree) and the cells below the minimum of official members. A root that lies inside
    another root's tree on that day is shown only once, inside it. Queries: 2 per root + 1."""
    trees = [(root_id, tree_as_of(root_id, day)) for root_id in root_ids]
    inside: set[int] = set()
    for _root_id, rows in trees:
        inside.update(r["id"] for r in rows[1:])
    trees = [(rid, rows) for rid, rows in trees if rid not in inside]
    all_ids = [r["id"] for _rid, rows in trees for r in rows]
    direct = member_counts_on(all_ids, day)
    result = []
    for root_id, rows in trees:
        roll_up(rows, direct)
        weak = {}
        if rows:
            weak = {c["id"]: c["official"] for c in cells_below_minimum(Organization(pk=root_id), day)}
        for r in rows:
            r["is_cell"] = r["kind"] in CELL_KINDS
            r["below_minimum"] = r["id"] in weak
        result.append({"root_id": root_id, "rows": rows})
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
