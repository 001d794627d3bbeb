"""The figures of the statistics forms that `report flows` and `report snapshot` do not give:
splits of the flows (where a transfer came from or went to, the probationary members removed, the
first cards and the reissued ones), exemptions and temporary transfers of a period; organizations
and members by kind of grassroots unit on a day; the members admitted in a period by their profile
(form 2); the members of a day by ethnic group and religion (form 4). One SQL statement each (on PostgreSQL after the
small one that reads the subtree's organizations), the same on SQLite and PostgreSQL: nothing
loops over members.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection

from dangvu.lifecycle.models import Transfer, TransferKind
from dangvu.members.models import MemberStatus, Sex, period_valid_on_sql
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization
from dangvu.organizations.selectors import valid_on_sql

from ..queries.common import ME, ME_TABLE, MP, OP, ORG, E, M
from ..queries.flows import _check_period, _flows_cte, _in_subtree, flows_result, flows_select
from ..queries.snapshot import _subtree_on
from . import config

TR = Transfer._meta.db_table

#: The keys `period_figures` adds to those of `flows`.
SPLIT_KEYS = (
    "transferred_in_other_province", "transferred_in_same_province",
    "transferred_out_other_province", "transferred_out_same_province",
    "removed_probationary", "cards_first", "cards_reissued",
    "exempted", "temporary_out", "temporary_in",
)


def _province_prefix(org: Organization) -> str:
    """`LIKE` pattern of the organizations under the same root of the current tree as `org` (the
    province, or whatever the database holds whole): the "same province" of a move."""
    root = (org.path or f"/{org.pk}/").strip("/").split("/")[0]
    return f"/{root}/%"


def _period_parts(org: Organization, date_from: dt.date, date_to: dt.date) -> tuple[str, list, dict[str, tuple[str, list]]]:
    """The `WITH` of the flows (`_flows_cte`) and, after it, three selects of rows (kind, part, id):
    `splits` — each event of the flows split (id: the member event); `exempted` — the exemptions of the
    period (id: the event); `temporary` — the temporary transfer letters (id: the transfer). The
    figures count them (`period_figures`), the drill-down lists them (`period_rows`)."""
    cte, params = _flows_cte(org.pk, date_from, date_to)
    external = config.external_transfers()
    prefix = _province_prefix(org)
    same = "same_province"

    def side(exists_same: str) -> str:
        return (f"CASE WHEN e.id IS NULL THEN '{same}' WHEN e.kind = '{E.MOVED.value}' THEN"
                f" (CASE WHEN {exists_same} THEN '{same}' ELSE 'other_province' END) ELSE '{external}' END")

    came_from = side(f"EXISTS (SELECT 1 FROM {MP} a JOIN {ORG} o ON o.id = a.cell_id"
                     f" WHERE a.member_id = e.member_id AND a.valid_to = e.effective_on AND o.path LIKE %s)")
    went_to = side(f"EXISTS (SELECT 1 FROM {ORG} o WHERE o.id = e.cell_id AND o.path LIKE %s)")
    part = (
        f"CASE f.kind"
        f" WHEN '{E.TRANSFERRED_IN.value}' THEN {came_from}"
        f" WHEN '{E.TRANSFERRED_OUT.value}' THEN {went_to}"
        f" WHEN '{E.REMOVED.value}' THEN (CASE WHEN EXISTS (SELECT 1 FROM {MP} q WHERE q.member_id = e.member_id"
        f"  AND q.valid_from < e.effective_on AND q.valid_to >= e.effective_on AND q.status = %s)"
        f"  THEN 'probationary' END)"
        f" WHEN '{E.CARD_ISSUED.value}' THEN (CASE WHEN EXISTS (SELECT 1 FROM {ME} c WHERE c.member_id = e.member_id"
        f"  AND c.kind = '{E.CARD_ISSUED.value}' AND (c.effective_on < e.effective_on"
        f"  OR (c.effective_on = e.effective_on AND c.id < e.id))"
        # a card held before leaving the Party was withdrawn: after a readmission the card is a first one
        f"  AND NOT EXISTS (SELECT 1 FROM {ME} a WHERE a.member_id = e.member_id AND a.kind = '{E.ADMITTED.value}'"
        f"  AND a.effective_on > c.effective_on AND a.effective_on <= e.effective_on))"
        f" THEN 'reissued' ELSE 'first' END)"
        f" END"
    )
    kinds = ", ".join(f"'{k.value}'" for k in (E.TRANSFERRED_IN, E.TRANSFERRED_OUT, E.REMOVED, E.CARD_ISSUED))
    splits = (f"SELECT f.kind AS kind, {part} AS part, f.event_id AS id"
              f" FROM f LEFT JOIN {ME_TABLE} e ON e.id = f.event_id WHERE f.kind IN ({kinds})")
    split_params = [prefix, prefix, MemberStatus.PROBATIONARY.value]
    exempted = (
        "SELECT 'exempted' AS kind, NULL AS part, e.id AS id"
        + _in_subtree("mp", "s.vf <= e.effective_on AND s.vt > e.effective_on", f" CROSS JOIN {ME} e")
        + f" AND e.member_id = mp.member_id AND e.kind = '{E.EXEMPTED.value}'"
        f" AND e.effective_on >= %s AND e.effective_on <= %s"
        f" AND mp.valid_from <= %s AND (mp.valid_to IS NULL OR mp.valid_to > %s)"
        f" AND mp.valid_from <= e.effective_on AND (mp.valid_to IS NULL OR mp.valid_to > e.effective_on)"
    )
    exempted_params = [date_from, date_to, date_to, date_from]

    def in_s(column: str) -> str:
        return f"EXISTS (SELECT 1 FROM s WHERE s.id = t.{column} AND s.vf <= t.issued_on AND s.vt > t.issued_on)"

    temporary = (
        f"SELECT 'temporary' AS kind, CASE WHEN {in_s('from_cell_id')} THEN 'out' ELSE 'in' END AS part, t.id AS id"
        f" FROM {TR} t WHERE t.kind = %s AND t.issued_on >= %s AND t.issued_on <= %s"
        f" AND ({in_s('from_cell_id')} OR (t.to_cell_id IS NOT NULL AND {in_s('to_cell_id')}))"
    )
    temporary_params = [TransferKind.TEMPORARY.value, date_from, date_to]
    return cte, params, {"splits": (splits, split_params), "exempted": (exempted, exempted_params),
                         "temporary": (temporary, temporary_params)}


#: Each key of `period_figures`: (the select of `_period_parts` holding its rows, kind, part).
_FIGURE_ROWS = {
    "transferred_in_other_province": ("splits", E.TRANSFERRED_IN.value, "other_province"),
    "transferred_in_same_province": ("splits", E.TRANSFERRED_IN.value, "same_province"),
    "transferred_out_other_province": ("splits", E.TRANSFERRED_OUT.value, "other_province"),
    "transferred_out_same_province": ("splits", E.TRANSFERRED_OUT.value, "same_province"),
    "removed_probationary": ("splits", E.REMOVED.value, "probationary"),
    "cards_first": ("splits", E.CARD_ISSUED.value, "first"),
    "cards_reissued": ("splits", E.CARD_ISSUED.value, "reissued"),
    "exempted": ("exempted", "exempted", None),
    "temporary_out": ("temporary", "temporary", "out"),
    "temporary_in": ("temporary", "temporary", "in"),
}


def period_figures(org: Organization, date_from: dt.date, date_to: dt.date) -> dict:
    """`flows(org, date_from, date_to)` and, from the same statement (the flows' `WITH` read once), its
    splits and the member-work figures of the period:

    - transfers in / out (the `transferred_in` / `transferred_out` of flows, split): a move from or
      to a cell of this database counts "same province" when that cell is under the same root
      organization as `org`, else "other province"; a transfer across the edge of the database
      counts as `config.external_transfers()` says. They add up to the flows' figures.
    - `removed_probationary`: of `removed`, the members probationary the day before.
    - `cards_first` / `cards_reissued`: of `cards_issued`, those of a member with no earlier card
      event / with one (reissued after a loss or exchanged).
    - `exempted`: exemptions (miễn công tác và sinh hoạt đảng) dated in the period whose member was
      placed in the subtree that day.
    - `temporary_out` / `temporary_in`: temporary transfer letters issued in the period from a cell of
      the subtree / to a cell of it from a cell outside it (as the tree stood that day).
    One statement (`_period_parts` after `flows_select`); `period_rows` lists the rows behind each figure."""
    _check_period(date_from, date_to)
    cte, params, parts = _period_parts(org, date_from, date_to)
    flow_sql, flow_params = flows_select(org, date_from, date_to)
    selects = " UNION ALL ".join(f"SELECT 'figure', x.kind, NULL, COUNT(*), x.part FROM ({sql}) x GROUP BY x.kind, x.part"
                                 for sql, _p in parts.values())
    with connection.cursor() as cur:
        cur.execute(f"{cte} {flow_sql} UNION ALL {selects}",
                    [*params, *flow_params, *(p for _sql, ps in parts.values() for p in ps)])
        rows = cur.fetchall()
    result = flows_result(org, date_from, date_to, [r for r in rows if r[0] == "flow"])
    result.update(dict.fromkeys(SPLIT_KEYS, 0))
    names = {(kind, piece): key for key, (_sel, kind, piece) in _FIGURE_ROWS.items()}
    for tag, kind, _milestone, n, piece in rows:  # one row per figure, not per member
        key = names.get((kind, piece)) if tag == "figure" else None
        if key is not None:
            result[key] += int(n)
    return result


def period_rows(org: Organization, date_from: dt.date, date_to: dt.date, key: str) -> tuple[str, str, list]:
    """The rows one figure of `period_figures` counts: ("event" | "transfer", SQL selecting their ids,
    its parameters) — member events, or temporary transfer letters."""
    select, kind, piece = _FIGURE_ROWS[key]
    cte, params, parts = _period_parts(org, date_from, date_to)
    sql, part_params = parts[select]
    where = "x.kind = %s AND " + ("x.part IS NULL" if piece is None else "x.part = %s")
    extra = [kind] + ([] if piece is None else [piece])
    return ("transfer" if select == "temporary" else "event",
            f"{cte} SELECT x.id FROM ({sql}) x WHERE {where} AND x.id IS NOT NULL", [*params, *part_params, *extra])


def _unit_kind_cte(org: Organization, day: dt.date) -> tuple[str, list]:
    """`WITH RECURSIVE t(id, kind, uk)`: the organizations of `org`'s subtree on `day` with the kind of
    grassroots unit each belongs to (see `by_unit_kind`)."""
    grassroots = ", ".join(f"'{k.value}'" for k in GRASSROOTS_KINDS)
    above = ""
    if org.kind not in GRASSROOTS_KINDS:
        ids = [int(i) for i in (org.path or "").strip("/").split("/") if i]
        above = (Organization.objects.filter(pk__in=ids, kind__in=GRASSROOTS_KINDS).values_list("unit_kind", flat=True)
                 .first() or "")
    sql = (
        f"WITH RECURSIVE t(id, kind, uk) AS ("
        f" SELECT p.organization_id, p.kind,"
        f"  CAST(CASE WHEN p.kind IN ({grassroots}) THEN o.unit_kind ELSE %s END AS VARCHAR(32))"
        f"  FROM {OP} p JOIN {ORG} o ON o.id = p.organization_id WHERE p.organization_id = %s AND {valid_on_sql('p')}"
        f" UNION ALL"
        f" SELECT p.organization_id, p.kind,"
        f"  CAST(CASE WHEN p.kind IN ({grassroots}) THEN o.unit_kind ELSE t.uk END AS VARCHAR(32))"
        f"  FROM {OP} p JOIN t ON p.parent_id = t.id JOIN {ORG} o ON o.id = p.organization_id WHERE {valid_on_sql('p')})"
    )
    return sql, [above, org.pk, day, day, day, day]


def by_unit_kind(org: Organization, day: dt.date) -> dict[str, dict[str, int]]:
    """Organizations (by kind) and members of `org`'s subtree on `day`, by the kind of grassroots
    unit (loại hình cơ sở) of the grassroots organization each belongs to ("" when none is set or
    the subtree lies above or below the grassroots level without one): {unit_kind: {organization
    kind or "members": n}}. The unit kind is the organization's current one (Organization.unit_kind
    is not dated). When `org` lies below the grassroots level, its grassroots organization's kind
    is looked up in the current tree (`Organization.path`)."""
    cte, params = _unit_kind_cte(org, day)
    sql = (
        f"{cte} SELECT t.uk, t.kind, COUNT(*) FROM t GROUP BY t.uk, t.kind"
        f" UNION ALL SELECT t.uk, 'members', COUNT(*) FROM {MP} mp JOIN t ON t.id = mp.cell_id"
        f"  WHERE {period_valid_on_sql('mp')} GROUP BY t.uk"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*params, day, day])
        rows = cur.fetchall()
    result: dict[str, dict[str, int]] = {}
    for unit_kind, kind, n in rows:  # one row per unit kind and organization kind
        counts = result.setdefault(unit_kind or "", {})
        counts[kind] = counts.get(kind, 0) + int(n)
    return result


def _years_sql(birth: str, day: str) -> str:
    """Whole years from the date `birth` to the date `day` as `regulations.age_in_months` // 12 counts
    them (a birthday on 29 February is reached on 28 February of a common year), on either backend."""
    if connection.vendor == "postgresql":
        def y(x):
            return f"CAST(EXTRACT(YEAR FROM {x}) AS INTEGER)"

        def md(x):
            return f"to_char({x}, 'MMDD')"
    else:
        def y(x):
            return f"CAST(strftime('%%Y', {x}) AS INTEGER)"

        def md(x):
            return f"strftime('%%m%%d', {x})"
    leap = f"(({y(day)} %% 4 = 0 AND {y(day)} %% 100 <> 0) OR {y(day)} %% 400 = 0)"
    birthday = f"(CASE WHEN {md(birth)} = '0229' AND NOT {leap} THEN '0228' ELSE {md(birth)} END)"
    return f"({y(day)} - {y(birth)} - CASE WHEN {md(day)} < {birthday} THEN 1 ELSE 0 END)"


#: The breakdowns of `admissions`, each a column of the admitted member (or an expression of it).
ADMISSION_BREAKDOWNS = ("sex", "ethnicity", "religion", "general_education", "professional_qualification",
                        "occupation", "age", "readmitted")


def _admissions_cte(org: Organization, date_from: dt.date, date_to: dt.date) -> tuple[str, list]:
    """The `WITH` of the flows and `adm`: one row per member admitted in the period in `org`'s subtree
    (the `admitted` events of `flows`), with the event's id and each of ADMISSION_BREAKDOWNS."""
    cte, params = _flows_cte(org.pk, date_from, date_to, admitted_only=True)
    age = _years_sql("m.birth_date", "e.effective_on")
    adm = (
        f", adm AS (SELECT e.id AS event_id, m.sex, m.ethnicity, m.religion, m.general_education,"
        f" m.professional_qualification, m.occupation, {age} AS age,"
        f" CASE WHEN EXISTS (SELECT 1 FROM {ME} a WHERE a.member_id = e.member_id AND a.kind = '{E.ADMITTED.value}'"
        f"  AND a.effective_on < e.effective_on) THEN 1 ELSE 0 END AS readmitted"
        f" FROM f JOIN {ME_TABLE} e ON e.id = f.event_id JOIN {M} m ON m.id = e.member_id"
        f" WHERE f.kind = '{E.ADMITTED.value}')"
    )
    return f"{cte}{adm}", params


def admissions(org: Organization, date_from: dt.date, date_to: dt.date) -> dict[str, dict]:
    """The members admitted (kết nạp, a readmission included) in the period in `org`'s subtree —
    exactly the `admitted` events of `flows` — counted by each of ADMISSION_BREAKDOWNS: {"total": n,
    breakdown: {value as recorded: n}}. `age`: whole years on the day of admission; `readmitted`: 1
    when the member had an earlier admission. One statement (PostgreSQL: after the small one that
    reads the subtree's organizations); grouped rows only, never a row per member."""
    cte, params = _admissions_cte(org, date_from, date_to)
    parts = ["SELECT 'total', NULL, COUNT(*) FROM adm"]
    parts += [f"SELECT '{b}', {_text(b)}, COUNT(*) FROM adm GROUP BY {b}" for b in ADMISSION_BREAKDOWNS]
    with connection.cursor() as cur:
        cur.execute(f"{cte} " + " UNION ALL ".join(parts), params)
        rows = cur.fetchall()
    result: dict = {"total": 0, **{b: {} for b in ADMISSION_BREAKDOWNS}}
    for breakdown, value, n in rows:  # one row per breakdown and value recorded, not per member
        if breakdown == "total":
            result["total"] = int(n)
        else:
            result[breakdown][value if value is not None else ""] = int(n)
    return result


def _text(column: str) -> str:
    return f"CAST({column} AS VARCHAR(255))"


def _values_where(cte: str, params: list, table: str, column: str, accept: Callable[[str], bool]) -> tuple[str, list]:
    """The condition selecting the rows of `table` whose `column` (as text, "" for none) `accept` takes:
    the distinct values are read first (one statement, one row per value recorded, never per member) and
    those taken listed."""
    with connection.cursor() as cur:
        cur.execute(f"{cte} SELECT DISTINCT {column} FROM {table}", params)
        values = [v for (v,) in cur.fetchall() if accept("" if v is None else v)]
    conditions, where_params = [], []
    if None in values:
        conditions.append(f"{column} IS NULL")
    values = [v for v in values if v is not None]
    if values:
        conditions.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
        where_params += values
    return " OR ".join(conditions) or "1 = 0", where_params


def admission_rows(org: Organization, date_from: dt.date, date_to: dt.date, breakdown: str,
                   accept: Callable[[str], bool]) -> tuple[str, list]:
    """SQL (with parameters) selecting the ids of the ADMITTED events `admissions` counts whose value of
    `breakdown` (as `admissions` gives it) `accept` takes: the drill-down of a row of form 2."""
    if breakdown not in ADMISSION_BREAKDOWNS:
        raise ValueError(breakdown)
    cte, params = _admissions_cte(org, date_from, date_to)
    where, where_params = _values_where(cte, params, "adm", _text(breakdown), accept)
    return f"{cte} SELECT adm.event_id FROM adm WHERE {where}", [*params, *where_params]


#: The breakdowns of `by_ethnicity_religion`.
ETHNICITY, RELIGION = "ethnicity", "religion"


def _ethnicity_religion_cte(org: Organization, day: dt.date) -> tuple[str, list]:
    """`WITH s, mem`: the member periods placed in `org`'s subtree on `day` with the member's ethnicity,
    religion ("" none) and whether a woman."""
    sub_sql, sub_params = _subtree_on(org.pk, day)
    sql = (
        f"WITH s(id) AS ({sub_sql}),"
        f" mem AS (SELECT mp.id, mp.ethnicity, COALESCE(mp.religion, '') AS religion,"
        f"  CASE WHEN mp.sex = %s THEN 1 ELSE 0 END AS female"
        f"  FROM {MP} mp"
        f"  WHERE mp.cell_id IN (SELECT id FROM s) AND {period_valid_on_sql('mp')})"
    )
    return sql, [*sub_params, Sex.FEMALE.value, day, day]


def by_ethnicity_religion(org: Organization, day: dt.date) -> dict[str, dict[str, tuple[int, int]]]:
    """The members placed in `org`'s subtree on `day` by ethnicity (its code) and by religion (as
    written; "" none): {"ethnicity"|"religion": {value: (members, of which women)}}. One statement
    (PostgreSQL: after the small one that reads the subtree)."""
    cte, params = _ethnicity_religion_cte(org, day)
    sql = (
        f"{cte} SELECT 'ethnicity', ethnicity, COUNT(*), SUM(female) FROM mem GROUP BY ethnicity"
        f" UNION ALL SELECT 'religion', religion, COUNT(*), SUM(female) FROM mem GROUP BY religion"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    result: dict[str, dict[str, tuple[int, int]]] = {ETHNICITY: {}, RELIGION: {}}
    for breakdown, value, n, women in rows:  # one row per group and religion written
        key = (value or "").strip()
        members, female = result[breakdown].get(key, (0, 0))
        result[breakdown][key] = (members + int(n), female + int(women or 0))
    return result


def ethnicity_religion_rows(org: Organization, day: dt.date, breakdown: str, accept: Callable[[str], bool], *,
                            female: bool = False) -> tuple[str, list]:
    """SQL (with parameters) selecting the ids of the member periods `by_ethnicity_religion` counts whose
    `breakdown` value (stripped, "" none) `accept` takes — the women among them with `female`: the
    drill-down of a row of form 4."""
    if breakdown not in (ETHNICITY, RELIGION):
        raise ValueError(breakdown)
    cte, params = _ethnicity_religion_cte(org, day)
    where, where_params = _values_where(cte, params, "mem", f"mem.{breakdown}", lambda v: accept(v.strip()))
    women = " AND mem.female = 1" if female else ""
    return f"{cte} SELECT mem.id FROM mem WHERE ({where}){women}", [*params, *where_params]


def unit_kind_rows(org: Organization, day: dt.date, unit_kinds: list[str], kinds: list[str] | None) -> tuple[str, list]:
    """SQL (with parameters) selecting the ids of what `by_unit_kind` counts under the unit kinds
    `unit_kinds` ("" for none): the organizations of `kinds`, or the member periods of the day (`kinds`
    None)."""
    cte, params = _unit_kind_cte(org, day)
    blank = "" in unit_kinds
    values = [k for k in unit_kinds if k]
    conditions = []
    if blank:
        conditions.append("t.uk IS NULL OR t.uk = ''")
    if values:
        conditions.append("t.uk IN (" + ", ".join(["%s"] * len(values)) + ")")
    where = " OR ".join(conditions) or "1 = 0"
    if kinds is None:
        return (f"{cte} SELECT mp.id FROM {MP} mp JOIN t ON t.id = mp.cell_id WHERE {period_valid_on_sql('mp')} AND ({where})",
                [*params, day, day, *values])
    kind_list = ", ".join(["%s"] * len(kinds))
    return f"{cte} SELECT t.id FROM t WHERE t.kind IN ({kind_list}) AND ({where})", [*params, *kinds, *values]
