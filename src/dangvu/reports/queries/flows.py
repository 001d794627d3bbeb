"""`report flows` (contracts §3): movements across the boundary of a subtree within a period."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import OPEN_END, MemberEvent, MemberPeriod, period_valid_on_sql
from dangvu.organizations.models import (
    Organization,
    OrganizationEventKind,
)

from .common import ME, MP, OE, OP, E, array_literal

#: The counted figures of contracts §3 `report flows`, in order (then `badges_awarded` by milestone).
FLOW_KEYS = (
    "admitted", "made_official", "transferred_in", "transferred_out", "died", "removed", "expelled", "resigned",
    "cards_issued", "restored",
)
#: Every figure that has a list of events behind it (`flow_members`).
FLOW_LIST_KEYS = (*FLOW_KEYS, "badges_awarded")
#: Members who entered or left the subtree without a flow of their own, because an organization moved,
#: merged or split across its boundary (contracts §3); no list of events behind them.
FLOW_REORGANIZED = ("reorganized_in", "reorganized_out")
#: Increases and decreases of the membership (the identity of `flows`).
FLOW_INCREASES = ("admitted", "transferred_in", "restored", "reorganized_in")
FLOW_DECREASES = ("transferred_out", "reorganized_out", "died", "removed", "expelled", "resigned")

#: Events counted where the member was placed on the event's day…
_ON_THE_DAY = {
    E.ADMITTED: "admitted", E.MADE_OFFICIAL: "made_official", E.TRANSFERRED_IN: "transferred_in",
    E.CARD_ISSUED: "cards_issued", E.BADGE_AWARDED: "badges_awarded", E.RESTORED: "restored",
}
#: …and exits, counted where the member was placed the day before (the exit ends the placement).
_ON_THE_DAY_BEFORE = {
    E.TRANSFERRED_OUT: "transferred_out", E.DIED: "died", E.REMOVED: "removed", E.EXPELLED: "expelled",
    E.RESIGNED: "resigned",
}
#: The event kind each figure is stored under in the classified rows (moves are classified as the
#: transfer they amount to).
_KIND_OF_KEY = {key: kind.value for kind, key in (*_ON_THE_DAY.items(), *_ON_THE_DAY_BEFORE.items())}
_KEY_OF_KIND = {kind: key for key, kind in _KIND_OF_KEY.items()}

_ONE_DAY = dt.timedelta(days=1)


def _kinds(kinds) -> str:
    return ", ".join(f"'{k.value}'" for k in kinds)


def _subtree_over_time_sql(root_id: int, lo: dt.date, hi: dt.date) -> tuple[str, list]:
    """CTE `s(id, vf, vt)`: organization `id` lies in the subtree of `root_id` on every day of
    [vf, vt), as the dated tree stood on each of those days, within the window [lo, hi).

    A recursive walk down the organization periods that intersects each child's period with the
    interval its parent was in the subtree: one row per piece of time. The pieces of one
    organization never overlap (its periods do not, nor do its parent's pieces), so a day falls in
    at most one of them and a join on `s` counts a row once. Plain CASE instead of GREATEST/LEAST
    (SQLite has neither)."""
    sql = (
        f"s(id, vf, vt) AS ("
        f" SELECT p.organization_id,"
        f"  CASE WHEN p.valid_from > %s THEN p.valid_from ELSE %s END,"
        f"  CASE WHEN p.valid_to IS NULL OR p.valid_to > %s THEN %s ELSE p.valid_to END"
        f" FROM {OP} p WHERE p.organization_id = %s AND p.valid_from < %s AND (p.valid_to IS NULL OR p.valid_to > %s)"
        f" UNION ALL"
        f" SELECT p.organization_id,"
        f"  CASE WHEN p.valid_from > s.vf THEN p.valid_from ELSE s.vf END,"
        f"  CASE WHEN p.valid_to IS NULL OR p.valid_to > s.vt THEN s.vt ELSE p.valid_to END"
        f" FROM {OP} p JOIN s ON p.parent_id = s.id"
        f" WHERE p.valid_from < s.vt AND (p.valid_to IS NULL OR p.valid_to > s.vf))"
    )
    return sql, [lo, lo, hi, hi, root_id, hi, lo]


def _subtree_over_time(root_id: int, lo: dt.date, hi: dt.date) -> tuple[str, list]:
    """The CTE `s(id, vf, vt)` of `_subtree_over_time_sql`, as each backend plans it well.

    SQLite: the recursive CTE itself, inside the one statement. PostgreSQL cannot estimate the size
    of a recursive CTE (it assumes thousands of rows for one cell, or a handful for a province) and
    then chose whole-table hash joins for a cell, or nested loops over the CTE for a province, both
    taking seconds at 100k members; so the pieces are read first (one small statement: the
    organizations, not the members) and given back as arrays, whose length the planner sees
    (bench/findings.md §1 proposes the same for the snapshot)."""
    sql, params = _subtree_over_time_sql(root_id, lo, hi)
    if connection.vendor != "postgresql":
        return sql, params
    with connection.cursor() as cur:
        cur.execute(f"WITH RECURSIVE {sql} SELECT id, vf, vt FROM s", params)
        rows = cur.fetchall()
    columns = [array_literal(c) for c in zip(*rows, strict=True)] if rows else ["{}", "{}", "{}"]
    return "s(id, vf, vt) AS (SELECT * FROM unnest(%s::bigint[], %s::date[], %s::date[]))", columns


def _ends(alias: str) -> str:
    """The end of member period `alias` as the cell index orders it (open = OPEN_END): a condition on it
    is a range of that index, where `valid_to IS NULL OR …` is a filter over every period of the cell."""
    return f"COALESCE({alias}.valid_to, '{OPEN_END}')"


def _window(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """[the day before `date_from`, the day after `date_to`): the days the flows look at."""
    lo = date_from - _ONE_DAY if date_from > dt.date.min else date_from
    hi = date_to + _ONE_DAY if date_to < dt.date.max else date_to
    return lo, hi


def _in_subtree(period: str, on_the_day: str, others: str = "") -> str:
    """`FROM … WHERE …` over the member periods `period` whose cell is in the subtree (`s`) on the
    day that `on_the_day` tests against `s.vf`/`s.vt`, cross-joined with `others` (the caller adds
    its join conditions with AND).

    Written for each planner: PostgreSQL joins `s` (pieces never overlap, so no row is counted
    twice) and plans the join order itself; SQLite walks the periods of the cells ever in the
    subtree (`IN (SELECT id FROM s)`, the cell index, as the snapshot does) and tests the day with an
    EXISTS. A join on `s` made SQLite build Bloom filters over whole tables (100 ms at 100k members,
    even for one cell); EXISTS on PostgreSQL became a nested loop over the recursive CTE, whose
    size it cannot estimate (seconds)."""
    if connection.vendor == "postgresql":
        return f" FROM s CROSS JOIN {MP} {period}{others} WHERE {period}.cell_id = s.id AND {on_the_day}"
    return (
        f" FROM {MP} {period}{others} WHERE {period}.cell_id IN (SELECT id FROM s)"
        f" AND EXISTS (SELECT 1 FROM s WHERE s.id = {period}.cell_id AND {on_the_day})"
    )


def _flows_cte(org_id: int, date_from: dt.date, date_to: dt.date, *, admitted_only: bool = False) -> tuple[str, list]:
    """`WITH RECURSIVE s(…), came(…), went(…), f(event_id, kind, milestone)`: one row per event
    counted by `flows`, with the figure it counts in (an event kind; a move across the boundary is
    classified as `transferred_in` or `transferred_out`) and, for badges, the milestone in years.
    `admitted_only`: `WITH RECURSIVE s(…), f(…)` of the `admitted` events alone (the same rows of
    them; form 2 reads nothing else, and the moves cost most of the statement).

    Placed in the subtree on day d: the member's period valid on d is in a cell of the subtree on
    d (vf <= d < vt). Placed there the day before: the period valid on d-1 (valid_from < d <=
    valid_to), its cell in the subtree on d-1 (vf < d <= vt). Dates are compared, never computed:
    the same SQL on both backends."""
    lo, hi = _window(date_from, date_to)
    s_sql, s_params = _subtree_over_time(org_id, lo, hi)
    events = f" CROSS JOIN {ME} e"
    on_the_day = (
        f"SELECT e.id, e.kind,"
        f"  CASE WHEN e.kind = '{E.BADGE_AWARDED.value}' THEN CAST(TRIM(e.value) AS INTEGER) END"
        + _in_subtree("mp", "s.vf <= e.effective_on AND s.vt > e.effective_on", events)
        + f" AND e.member_id = mp.member_id"
        f"  AND e.kind IN ({_kinds((E.ADMITTED,) if admitted_only else _ON_THE_DAY)})"
        f"  AND e.effective_on >= %s AND e.effective_on <= %s"
        f"  AND mp.valid_from <= %s AND {_ends('mp')} > %s"
        f"  AND mp.valid_from <= e.effective_on AND (mp.valid_to IS NULL OR mp.valid_to > e.effective_on)"
        # admitted elsewhere and transferred in on the same day: one entry, the admission
        f"  AND (e.kind <> '{E.TRANSFERRED_IN.value}' OR NOT EXISTS (SELECT 1 FROM {ME} a"
        f"   WHERE a.member_id = e.member_id AND a.kind = '{E.ADMITTED.value}' AND a.effective_on = e.effective_on))"
    )
    window = [date_from, date_to]
    if admitted_only:
        return f"WITH RECURSIVE {s_sql}, f(event_id, kind, milestone) AS ({on_the_day})", [
            *s_params, *window, date_to, date_from]
    on_the_day_before = (
        "SELECT e.id, e.kind, NULL"
        + _in_subtree("mp", "s.vf < e.effective_on AND s.vt >= e.effective_on", events)
        + f" AND e.member_id = mp.member_id"
        f"  AND e.kind IN ({_kinds(_ON_THE_DAY_BEFORE)})"
        f"  AND e.effective_on >= %s AND e.effective_on <= %s"
        f"  AND mp.valid_from <= %s AND {_ends('mp')} >= %s"
        f"  AND mp.valid_from < e.effective_on AND (mp.valid_to IS NULL OR mp.valid_to >= e.effective_on)"
    )
    # A move: consecutive placements a → b of one member in two different cells, b beginning on d
    # (= a.valid_to) in the period. `came(b, a)`: the placements b beginning on a day d of the
    # period in a cell of the subtree on d, with the placement a before them (if any); `went(a, b)`:
    # the placements a ending on such a d in a cell of it on d-1, with the one after. Into the
    # subtree: b came and a did not go; out of it: a went and b did not come. Each set is one join
    # with `s` (the planners see its size); the neighbour is found by a scalar subquery on the
    # (member, valid_from) index, the sets are matched afterwards (NOT IN: hashed on both backends;
    # joins there made SQLite build Bloom filters and PostgreSQL loop over `s`).
    came = (
        f"SELECT b.id, (SELECT MAX(a.id) FROM {MP} a WHERE a.member_id = b.member_id AND a.valid_to = b.valid_from)"
        + _in_subtree("b", "s.vf <= b.valid_from AND s.vt > b.valid_from")
        + f" AND b.valid_from >= %s AND b.valid_from <= %s AND {_ends('b')} > %s"
    )
    went = (
        f"SELECT a.id, (SELECT MAX(b.id) FROM {MP} b WHERE b.member_id = a.member_id AND b.valid_from = a.valid_to)"
        + _in_subtree("a", "s.vf < a.valid_to AND s.vt >= a.valid_to")
        + f" AND a.valid_from <= %s AND {_ends('a')} >= %s AND {_ends('a')} <= %s"
    )
    # the event listed for a move is the day's last MOVED event into b's cell; a move out of a cell
    # merged or split that day is the restructuring's, not a transfer
    restructured = (
        f"EXISTS (SELECT 1 FROM {OE} oe WHERE oe.organization_id = a.cell_id AND oe.effective_on = b.valid_from"
        f" AND oe.kind IN ('{OrganizationEventKind.MERGED.value}', '{OrganizationEventKind.SPLIT.value}'))"
    )
    moved = (
        f"SELECT (SELECT MAX(x.id) FROM {ME} x WHERE x.member_id = b.member_id AND x.effective_on = b.valid_from"
        f"  AND x.kind = '{E.MOVED.value}' AND x.cell_id = b.cell_id),"
        f" CASE WHEN {restructured} THEN '{{reorganized}}' ELSE '{{kind}}' END, NULL"
        f" FROM {{this}} t CROSS JOIN {MP} a CROSS JOIN {MP} b"
        f" WHERE a.id = t.a AND b.id = t.b AND a.cell_id <> b.cell_id AND t.{{mine}} NOT IN (SELECT {{mine}} FROM {{other}})"
    )
    moved_in = moved.format(kind=E.TRANSFERRED_IN.value, reorganized="reorganized_in", this="came", mine="a",
                            other="went")
    moved_out = moved.format(kind=E.TRANSFERRED_OUT.value, reorganized="reorganized_out", this="went", mine="b",
                             other="came")
    # Carried across with their cell: the members placed in a cell on both sides of a day d of the period
    # on which the cell enters (leaves) the subtree, i.e. a piece of `s` begins (ends) on d and no other
    # piece of the same cell ends (begins) there.
    def carried(key: str, edge: str, other: str, inner: str, outer: str) -> str:
        return (
            f"SELECT NULL, '{key}', NULL FROM s CROSS JOIN {MP} p"
            f" WHERE p.cell_id = s.id AND s.{edge} >= %s AND s.{edge} <= %s"
            f" AND NOT EXISTS (SELECT 1 FROM s s2 WHERE s2.id = s.id AND s2.{other} = s.{edge})"
            f" AND {inner} AND ({outer} OR EXISTS (SELECT 1 FROM {MP} q WHERE q.member_id = p.member_id"
            f"  AND q.cell_id = p.cell_id AND q.{ {'vt': 'valid_to', 'vf': 'valid_from'}[other]} = s.{edge}))"
        )

    # placed in the cell on the day it entered (s.vf) and, in the same cell, the day before
    carried_in = carried("reorganized_in", "vf", "vt", "p.valid_from <= s.vf AND (p.valid_to IS NULL OR p.valid_to > s.vf)",
                         "p.valid_from < s.vf")
    # placed in the cell the day before it left (s.vt) and, in the same cell, on that day
    carried_out = carried("reorganized_out", "vt", "vf", "p.valid_from < s.vt AND (p.valid_to IS NULL OR p.valid_to >= s.vt)",
                          "p.valid_to IS NULL OR p.valid_to > s.vt")
    sql = (
        f"WITH RECURSIVE {s_sql}, came(b, a) AS ({came}), went(a, b) AS ({went}),"
        f" f(event_id, kind, milestone) AS ({on_the_day} UNION ALL {on_the_day_before}"
        f" UNION ALL {moved_in} UNION ALL {moved_out} UNION ALL {carried_in} UNION ALL {carried_out})"
    )
    params = [*s_params, *window, date_from, date_to, *window, *window, date_to, date_from, *window, date_to, date_from,
              *window, *window]
    return sql, params


def _check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_from > date_to:
        raise DomainError(
            _("The period starts on %(start)s, after its end on %(end)s.")
            % {"start": format_date(date_from), "end": format_date(date_to)},
            field="from",
        )


def flows(org: Organization, date_from: dt.date, date_to: dt.date) -> dict:
    """Contracts §3 `report flows`: the movements of members across the boundary of `org`'s subtree
    from `date_from` to `date_to`, both days included. One SQL statement (on PostgreSQL, after a
    small one that reads the subtree's organizations); nothing loops over members.

    "The subtree on day d" is the subtree as the dated tree stood on d; "placed on d" is the
    member's period (MemberPeriod, cell over [valid_from, valid_to)) valid on d.

    - `admitted`, `made_official`, `cards_issued`, `badges_awarded` {milestone: n}, `restored`:
      events of that kind dated in the period whose member was placed on that day in a cell of the
      subtree. A readmission (kết nạp lại) is an admission; a restoration (khôi phục đảng tịch)
      brings back a member removed or expelled, and counts as an increase.
    - `died`, `removed`, `expelled`, `resigned`: those exits dated in the period whose member was
      placed, the day before, in a cell of the subtree as it stood the day before (the exit ends
      the placement on its day).
    - `transferred_in`: a placement beginning on a day d of the period in a cell of the subtree
      on d, whose previous placement of the same member (the one ending on d) was in another cell,
      outside the subtree on d-1; or a TRANSFERRED_IN event (from outside the database) on d with
      the member placed in the subtree on d — unless the member was admitted on d, when the entry
      counts once, as the admission.
    - `transferred_out`: the reverse: a placement ending on d in a cell of the subtree on d-1
      followed by one in another cell, outside the subtree on d; or a TRANSFERRED_OUT event (out
      of the database) on d with the member placed in the subtree on d-1.
    - A move between two cells both inside the subtree is no flow; neither is an organization that
      itself moves across the boundary, with its members (restructuring is not a member flow).
    - `members_start` / `members_end`: the members `snapshot` counts on the day before `date_from`
      and on `date_to` (0 on a day the organization does not exist).

    The identity `members_end = members_start + admitted + transferred_in + restored − transferred_out
    − died − removed − expelled − resigned` holds whenever members enter or leave the subtree only by
    events, i.e. every change in whether a member counts is one of the counted flows. It does NOT
    hold when, in the period, organizations change the subtree itself:
    - an organization moves into or out of the subtree with its cells and their members
      (restructuring, `organization_move`; also when the subtree is that of a cell or committee
      which is itself moved): its members start or stop counting without any member flow. The
      difference is exactly the members carried across (`flows_unexplained`; tested against an
      independent replay and on the demo organization);
    - a cell ends (or the organization itself ends) while members are still placed in it: they
      stop counting without an exit. The services refuse it (`organization_dissolve`,
      `organization_close`), so only histories written around them can show it.
    `flow_members` lists the events behind each figure.
    """
    _check_period(date_from, date_to)
    cte, params = _flows_cte(org.pk, date_from, date_to)
    select, select_params = flows_select(org, date_from, date_to)
    with connection.cursor() as cur:
        cur.execute(f"{cte} {select}", [*params, *select_params])
        rows = cur.fetchall()
    return flows_result(org, date_from, date_to, rows)


def flows_select(org: Organization, date_from: dt.date, date_to: dt.date) -> tuple[str, list]:
    """The selects of `flows` after the `WITH` of `_flows_cte` (with their parameters): rows ("flow", figure,
    badge milestone, count, name) — one per figure and milestone, the members at the start and at the end,
    the organization's name — that `flows_result` reads."""
    lo, _hi = _window(date_from, date_to)

    def members_on(label: str) -> str:
        return (
            f"SELECT 'flow', '{label}', NULL, COUNT(*), NULL" + _in_subtree("mp", "s.vf <= %s AND s.vt > %s")
            + f" AND {period_valid_on_sql('mp')}"
        )

    sql = (
        f"SELECT 'flow', f.kind, f.milestone, COUNT(*), NULL FROM f GROUP BY f.kind, f.milestone"
        f" UNION ALL {members_on('members_start')} UNION ALL {members_on('members_end')}"
        f" UNION ALL SELECT 'flow', 'name', NULL, COUNT(*), MAX(p.name) FROM {OP} p WHERE p.organization_id = %s"
        f"  AND p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to > %s)"
        f"  AND p.valid_from = (SELECT MAX(q.valid_from) FROM {OP} q WHERE q.organization_id = %s"
        f"   AND q.valid_from <= %s AND (q.valid_to IS NULL OR q.valid_to > %s))"
    )
    return sql, [lo, lo, lo, lo, date_to, date_to, date_to, date_to, org.pk, date_to, date_from, org.pk, date_to,
                 date_from]


def flows_result(org: Organization, date_from: dt.date, date_to: dt.date, rows) -> dict:
    """`flows` from the rows of `flows_select`."""
    counts = dict.fromkeys(FLOW_KEYS, 0)
    reorganized = dict.fromkeys(FLOW_REORGANIZED, 0)
    badges: dict[int, int] = {}
    extra = {"members_start": 0, "members_end": 0}
    name = None
    for _tag, kind, milestone, n, label in rows:  # one row per figure (and badge milestone), not per member
        if kind == "name":
            name = label
        elif kind in extra:
            extra[kind] = int(n)
        elif kind == E.BADGE_AWARDED:
            badges[int(milestone)] = badges.get(int(milestone), 0) + int(n)
        elif kind in reorganized:
            reorganized[kind] += int(n)
        else:
            counts[_KEY_OF_KIND[kind]] += int(n)
    if name is None:
        raise DomainError(
            _("%(org)s does not exist between %(start)s and %(end)s.")
            % {"org": org.name, "start": format_date(date_from), "end": format_date(date_to)},
            field="org",
        )
    return {
        "org": {"code": org.code, "name": name},
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        **counts,
        "badges_awarded": {str(k): badges[k] for k in sorted(badges)},
        **reorganized,
        **extra,
    }


def flows_unexplained(data: dict) -> int:
    """What the member flows of a `flows` result leave unexplained of the change in the number of
    members (members_end − members_start − increases + decreases): non-zero only when organizations
    moved across the boundary of the subtree in the period (see `flows`)."""
    change = data["members_end"] - data["members_start"]
    return change - sum(data.get(k, 0) for k in FLOW_INCREASES) + sum(data.get(k, 0) for k in FLOW_DECREASES)


def flow_members(
    org: Organization, date_from: dt.date, date_to: dt.date, key: str, milestone: int | None = None
) -> QuerySet[MemberEvent]:
    """The events (with their members) behind one figure of `flows(org, date_from, date_to)`: as
    many as the figure counts. `key` is one of FLOW_LIST_KEYS; for `badges_awarded`, `milestone`
    keeps one milestone. A move across the boundary is its MOVED event. Each event is annotated
    with the names of the cell the member was placed in the day before (`cell_before`) and on
    the day (`cell_after`). Ordered by date, then name."""
    if key not in FLOW_LIST_KEYS:
        raise DomainError(_("Unknown figure “%(key)s”.") % {"key": key}, field="list")
    _check_period(date_from, date_to)
    cte, params = _flows_cte(org.pk, date_from, date_to)
    sql = f"{cte} SELECT f.event_id FROM f WHERE f.kind = %s"
    params = [*params, _KIND_OF_KEY[key]]
    if key == "badges_awarded" and milestone is not None:
        sql += " AND f.milestone = %s"
        params.append(int(milestone))
    placed = MemberPeriod.objects.filter(member_id=OuterRef("member_id"))
    before = placed.filter(valid_from__lt=OuterRef("effective_on")).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("effective_on")))
    after = placed.active_on(OuterRef("effective_on"))
    return (
        MemberEvent.objects.filter(pk__in=RawSQL(sql, params))
        .select_related("member")
        .annotate(cell_before=Subquery(before.values("cell__name")[:1]),
                  cell_after=Subquery(after.values("cell__name")[:1]))
        .order_by("effective_on", "member__sort_key", "id")
    )


