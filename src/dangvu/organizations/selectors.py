"""Read queries over the organization tree: the tree as it stood on a day, and management scope.

Two trees are queried here, on SQLite and PostgreSQL alike:
- the dated tree (`OrganizationPeriod`), for reports "as of" a day;
- the current tree (`Organization.parent`, dissolved organizations included under their last
  parent, materialized as `Organization.path`), for management scope: what a user may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Length, Replace

from dangvu.core.text import fold

from .models import CELL_KINDS, Organization, OrganizationEvent, OrganizationKind, OrganizationPeriod
from .models import OrganizationEventKind as K

PERIOD_TABLE = OrganizationPeriod._meta.db_table
ORG_TABLE = Organization._meta.db_table


def valid_on_sql(alias: str) -> str:
    """SQL condition: the period `alias` is valid on the day given twice as parameters."""
    return f"{alias}.valid_from <= %s AND ({alias}.valid_to IS NULL OR {alias}.valid_to > %s)"


def subtree_as_of_sql(root_id: int, day: dt.date) -> tuple[str, list]:
    """SQL selecting the ids of `root_id` and its descendants as the tree stood on `day`."""
    sql = (
        f"WITH RECURSIVE sub(id) AS ("
        f" SELECT p.organization_id FROM {PERIOD_TABLE} p WHERE p.organization_id = %s AND {valid_on_sql('p')}"
        f" UNION ALL"
        f" SELECT p.organization_id FROM {PERIOD_TABLE} p JOIN sub ON p.parent_id = sub.id WHERE {valid_on_sql('p')}"
        f") SELECT id FROM sub"
    )
    return sql, [root_id, day, day, day, day]


def subtree_ids_as_of(root_id: int, day: dt.date) -> list[int]:
    sql, params = subtree_as_of_sql(root_id, day)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [r[0] for r in cur.fetchall()]


def subtree_q(orgs, prefix: str = "") -> Q:
    """A filter on the current tree (management scope): organizations in the subtrees of `orgs`
    (`prefix=""`), or rows whose foreign key `prefix` (e.g. "cell__") points into them. A prefix
    match on the materialized path: an index range scan with an estimate the planner can trust."""
    q = Q(pk__in=[])
    for org in orgs:
        q |= Q(**{f"{prefix}path__startswith": org.path})
    return q


#: PostgreSQL counts the members of a subtree by reading every member period of the day when the subtree
#: (the current tree) holds more than this share of all organizations (`counts_read_every_period`).
LARGE_SUBTREE_SHARE = 0.5


def counts_read_every_period(org: Organization) -> bool:
    """Whether a count of the members of `org`'s subtree on a day should read every member period of the
    day and keep those of the subtree by a join, rather than look up the subtree's cells one by one (the
    member periods' index orders each cell's periods by their end: the lookups read only the periods of
    the day): on PostgreSQL, for a subtree holding most of the database (over LARGE_SUBTREE_SHARE of the
    organizations, from the table's statistics). Measured at 1M members (bench/findings.md, session 8): a
    province of 9,323 of the 46,675 organizations, 0.12 s of CPU cell by cell against 0.40 s reading every
    period; the whole tree, 0.52 s against 0.68 s. One statement (an indexed count by the materialized path)."""
    if connection.vendor != "postgresql":
        return False
    path = org.path if org.path else Organization.objects.filter(pk=org.pk).values_list("path", flat=True).first()
    if not path:
        return False
    table = Organization._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT c.reltuples > 0 AND (SELECT COUNT(*) FROM {table} o WHERE o.path LIKE %s)"
                    f" > c.reltuples * %s FROM pg_class c WHERE c.oid = %s::regclass",
                    [f"{path}%", LARGE_SUBTREE_SHARE, table])  # a path holds digits and slashes only
        return bool(cur.fetchone()[0])


def tree_as_of(root_id: int, day: dt.date) -> list[dict]:
    """The subtree of `root_id` on `day`, depth-first ordered by code, as dicts (id, parent_id, code,
    name, kind, depth)."""
    sql = (
        f"WITH RECURSIVE t(id, parent_id, name, kind, depth, path) AS ("
        f" SELECT p.organization_id, p.parent_id, p.name, p.kind, 0, CAST(o.code AS TEXT)"
        f" FROM {PERIOD_TABLE} p JOIN {ORG_TABLE} o ON o.id = p.organization_id"
        f" WHERE p.organization_id = %s AND {valid_on_sql('p')}"
        f" UNION ALL"
        f" SELECT p.organization_id, p.parent_id, p.name, p.kind, t.depth + 1, t.path || '/' || o.code"
        f" FROM {PERIOD_TABLE} p JOIN t ON p.parent_id = t.id JOIN {ORG_TABLE} o ON o.id = p.organization_id"
        f" WHERE {valid_on_sql('p')}"
        f") SELECT t.id, t.parent_id, o.code, t.name, t.kind, t.depth FROM t JOIN {ORG_TABLE} o ON o.id = t.id"
        f" ORDER BY t.path"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [root_id, day, day, day, day])
        cols = ["id", "parent_id", "code", "name", "kind", "depth"]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def period_on(org_id: int, day: dt.date) -> OrganizationPeriod | None:
    return OrganizationPeriod.objects.active_on(day).filter(organization_id=org_id).first()


def ancestors_as_of(org_id: int, day: dt.date) -> list[int]:
    """Ids of the organization's ancestors on `day`, nearest first."""
    result: list[int] = []
    current = period_on(org_id, day)
    seen = {org_id}
    while current is not None and current.parent_id is not None and current.parent_id not in seen:
        result.append(current.parent_id)
        seen.add(current.parent_id)
        current = period_on(current.parent_id, day)
    return result


def roots() -> list[Organization]:
    return list(Organization.objects.filter(parent__isnull=True).order_by("code"))


def organization_on(org: Organization, day: dt.date) -> OrganizationPeriod | None:
    return OrganizationPeriod.objects.active_on(day).filter(organization=org).select_related("parent").first()


def organizations_on(qs: QuerySet[Organization], day: dt.date, *, cells: bool | None = None) -> QuerySet[Organization]:
    """The organizations of `qs` that exist on `day`; only cells (True) or only non-cells (False),
    by their kind on that day."""
    periods = OrganizationPeriod.objects.active_on(day)
    if cells is True:
        periods = periods.filter(kind__in=CELL_KINDS)
    elif cells is False:
        periods = periods.exclude(kind__in=CELL_KINDS)
    return qs.filter(pk__in=periods.values("organization_id")).order_by("code")


def states_before(events) -> dict[tuple[int, dt.date], OrganizationPeriod]:
    """For each event, the period of its organization that ends on its day (the state the event changed),
    by (organization id, day). One query."""
    keys = {(ev.organization_id, ev.effective_on) for ev in events}
    if not keys:
        return {}
    periods = OrganizationPeriod.objects.filter(organization_id__in={k[0] for k in keys},
                                                valid_to__in={k[1] for k in keys})
    return {(p.organization_id, p.valid_to): p for p in periods if (p.organization_id, p.valid_to) in keys}


def names_on(ids) -> Callable[[int | None, dt.date], str]:
    """`name(pk, day)`: the name organization `pk` (of `ids`) bore on `day` (its periods), else its current
    name, else "—". Two queries, for a page naming a few organizations (the history tab)."""
    periods: dict[int, list[tuple[dt.date, dt.date | None, str]]] = {}
    for pk, start, end, name in OrganizationPeriod.objects.filter(organization_id__in=ids).values_list(
            "organization_id", "valid_from", "valid_to", "name"):
        periods.setdefault(pk, []).append((start, end, name))
    current = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))

    def name(pk: int | None, day: dt.date) -> str:
        then = next((n for start, end, n in periods.get(pk, ()) if start <= day and (end is None or day < end)), None)
        return then or current.get(pk) or "—"

    return name


def events_as_told(events: list[OrganizationEvent]) -> Callable[[int | None, dt.date], str]:
    """The events as the history tells them (the web page and the API alike): what a rename, move or change
    of kind changed from is set in each payload from the periods (`states_before`; the payload's own `old_*`
    may be stale); returns `names_on` for the organizations they name. Three queries."""
    before = states_before([ev for ev in events if ev.kind in (K.RENAMED, K.MOVED, K.KIND_CHANGED)])
    for ev in events:
        prev = before.get((ev.organization_id, ev.effective_on))
        if prev is not None:
            ev.payload = {**(ev.payload or {}), "old_name": prev.name, "old_parent_id": prev.parent_id,
                          "old_kind": prev.kind}
    ids: set[int] = {ev.organization_id for ev in events}
    for ev in events:
        p = ev.payload or {}
        ids.update(v for k in ("parent_id", "old_parent_id", "into_id") if isinstance(v := p.get(k), int))
        ids.update(v for v in p.get("into_ids") or [] if isinstance(v, int))
    return names_on(ids)


def event_names(ev: OrganizationEvent, names: Callable[[int | None, dt.date], str]) -> dict:
    """The organizations `ev`'s payload names by id, by their names of its day (a former parent: of the day
    before), keyed as the payload: {"parent_id": …, "old_parent_id": …, "into_id": …, "into_ids": […]}."""
    p, before = ev.payload or {}, ev.effective_on - dt.timedelta(days=1)
    out: dict = {key: names(v, before if key == "old_parent_id" else ev.effective_on)
                 for key in ("parent_id", "old_parent_id", "into_id") if isinstance(v := p.get(key), int)}
    if p.get("into_ids"):
        out["into_ids"] = [names(pk, ev.effective_on) for pk in p["into_ids"] if isinstance(pk, int)]
    return out


def history_events(org: Organization) -> QuerySet[OrganizationEvent]:
    """The organization's own events, plus the events of others that concern it: organizations
    established under it, moved in, merged into it, and what happened to an organization while under it
    (moved out, renamed, changed kind, dissolved, merged, split: its period under `org` ends that day; read
    from the periods, not from the `old_*` of the payload, which an earlier change recorded afterwards
    leaves behind)."""
    under_it_then = Exists(OrganizationPeriod.objects.filter(
        organization=OuterRef("organization"), parent=org, valid_to=OuterRef("effective_on")))
    return (
        OrganizationEvent.objects.filter(
            Q(organization=org)
            | Q(kind=K.ESTABLISHED, payload__parent_id=org.pk)
            | Q(kind=K.MOVED, payload__parent_id=org.pk)
            | Q(kind=K.MERGED, payload__into_id=org.pk)
            | (Q(kind__in=[K.MOVED, K.RENAMED, K.KIND_CHANGED, K.DISSOLVED, K.MERGED, K.SPLIT]) & under_it_then)
        )
        .select_related("organization", "recorded_by")
        .order_by("-effective_on", "-id")
    )


def organization_tree(organizations: QuerySet[Organization], *, pick=None) -> list[dict]:
    """`organizations` in tree order (siblings by name, the dissolved after the others), each with its
    `depth` below the top ones:
    {"code", "name", "depth", "dissolved", "pick"}; `pick` (a set of kinds, None: all) marks those
    that may be chosen. One query."""
    rows = list(organizations.values_list("id", "parent_id", "code", "name", "dissolved_on", "kind"))
    ids = {r[0] for r in rows}
    children: dict[int | None, list[tuple]] = {}
    for r in rows:
        children.setdefault(r[1] if r[1] in ids else None, []).append(r)
    result: list[dict] = []

    def order(r):
        return r[4] is not None, fold(r[3])

    stack = [(r, 0) for r in sorted(children.get(None, []), key=order, reverse=True)]
    while stack:
        (pk, _parent, code, name, dissolved, kind), depth = stack.pop()
        result.append({"code": code, "name": name, "depth": depth, "dissolved": dissolved is not None,
                       "pick": pick is None or kind in pick})
        stack.extend((c, depth + 1) for c in sorted(children.get(pk, []), key=order, reverse=True))
    return result


def picker_tree(offered: QuerySet[Organization], *, within: QuerySet[Organization] | None = None) -> list[dict]:
    """The organization picker's rows for choosing one of `offered`: those under the organizations above
    them (only those of `within`, e.g. the user's scope, when given; shown for the tree's shape, not
    chosen), siblings by name. Two queries."""
    ids, chosen, codes = set(), set(), set()
    for pk, path, code in offered.values_list("pk", "path", "code"):
        chosen.add(pk)
        codes.add(code)
        ids.update(int(part) for part in (path or "").strip("/").split("/") if part.isdigit())
    above = Q(pk__in=ids - chosen)
    if within is not None:
        above &= Q(pk__in=within.values("pk"))
    rows = organization_tree(Organization.objects.filter(Q(pk__in=chosen) | above))
    for r in rows:
        r["pick"] = r["code"] in codes
    return rows



#: How many organizations a picker search returns (type more to narrow it).
PICKER_SEARCH_LIMIT = 50


def picker_rows(organizations: QuerySet[Organization], limit: int | None = None) -> list[dict]:
    """The first `limit` (None: all) of `organizations` for the organization picker (chọn tổ chức), the
    higher levels first (a commune's committee before its chi bộ), each level by name: {"code", "name",
    "parent" (the parent's name, to tell apart cells of the same name), "dissolved", "children" (has
    organizations under it)}. One query."""
    depth = Length("path") - Length(Replace("path", Value("/"), Value("")))
    rows = (organizations.annotate(has_children=Exists(Organization.objects.filter(parent=OuterRef("pk"))))
            .order_by(depth, "name_folded", "code")
            .values_list("code", "name", "parent__name", "dissolved_on", "has_children")[:limit])
    return [{"code": code, "name": name, "parent": parent or "", "dissolved": dissolved is not None,
             "children": children} for code, name, parent, dissolved, children in rows]


def name_matches(organizations: QuerySet[Organization], text: str) -> QuerySet[Organization]:
    """Those of `organizations` whose name has a word beginning with each word of `text`, without
    diacritics ("na hy" finds "Nà Hỳ"), or — for one word — whose code contains it."""
    words = fold(text).split()
    if not words:
        return organizations.none()
    q = Q()
    for w in words:
        q &= Q(name_folded__startswith=w) | Q(name_folded__contains=f" {w}")
    if len(words) == 1:
        q |= Q(code__icontains=words[0])
    return organizations.filter(q)

def commune_under_province(kind: str, parent_kind: str) -> bool:
    """A đảng ủy cơ sở directly under the tỉnh ủy: in the 3-level model (from 01/07/2025) a đảng ủy xã is
    itself the directly superior level of the party units in its area (domain-rules §1, §2.4), so its
    standing committee decides where the rules give "the committee directly above the grassroots"."""
    return kind == OrganizationKind.GRASSROOTS_COMMITTEE and parent_kind == OrganizationKind.PROVINCIAL


_LEVEL_COMMITTEES = (("tinh", "Tỉnh ủy"), ("huyen", "Huyện ủy"), ("quan", "Quận ủy"), ("thi xa", "Thị ủy"),
                     ("thanh pho", "Thành ủy"))


def committee_name(unit) -> str:
    """The committee (cấp ủy) that speaks and decides for an organization (anything with a name and a
    kind): 'Đảng bộ xã Nà Hỳ' → 'Đảng ủy xã Nà Hỳ', 'Đảng bộ huyện Mường Lay' → 'Huyện ủy Mường Lay';
    a chi bộ speaks for itself."""
    words, folded = unit.name.split(), fold(unit.name).split()
    if folded[:2] != ["dang", "bo"]:
        return unit.name
    rest, rest_folded = words[2:], " ".join(folded[2:])
    if unit.kind in (OrganizationKind.PROVINCIAL, OrganizationKind.DISTRICT):
        for level, committee in _LEVEL_COMMITTEES:
            if rest_folded.startswith(level + " "):
                return " ".join([committee, *rest[len(level.split()):]])
    return " ".join(["Đảng ủy", *rest])
