"""Member name search without diacritics that stays fast at a million members (bench/findings.md §2).

What matches: the query is folded (`core.text.fold`) and cut into words (letters and digits); every
word must be a word of the member's folded name, the last one as a prefix, in any order: "nguyen van
an" finds Nguyễn Văn An and Nguyễn Văn Anh, "tuan" finds Tuấn, Tuân and Nguyễn Tuấn Anh, "hung nguyen"
finds Nguyễn Văn Hùng. The member code matches too (whole, as typed or in capitals). Results come in Vietnamese order
(`Member.sort_key`, then id).

How: `MemberWord` holds one row per distinct word of each member's name with the member's sort key
and all the words of the name. Its index (word, sort_key, member, words) gives the members having a
word already in Vietnamese order, and the other words of the query are checked on the index entry,
so a page of results reads about one page of index entries. A prefix ("an" → an, anh) is read as one
ordered stream per distinct word it stands for, merged (PostgreSQL); SQLite sorts the matches.

`NameMatch` is the filter expression (`member_search` in selectors). It decides when the query is
compiled: if the queryset is sliced (a page, a capped count, `exists()`), the page's member ids are
computed first on the word table with the LIMIT inside, and every other filter of the queryset (scope,
status, …) is applied there as `member_id IN (<the queryset without the search>)`, so the result is
right whatever the filters are, and fast when they keep most members; the members themselves are
then fetched by id. Unsliced (export, full count) it is a plain `id IN (matching ids)`.

The table is derived: the write paths keep it in step (`index_new` for new members in
`services.member_register` and `bulk.bulk_write`, `reindex` for renames in
`services.member_update_profile` and the import's profile corrections), and `rebuild_index()`
recomputes it (data migration 0005, repairs). It holds no cell, so moves do not touch it.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from django.core.exceptions import FullResultSet
from django.db import connection, transaction
from django.db.models import BooleanField, Expression, F, Value
from django.db.models.expressions import Col
from django.db.models.functions import Concat
from django.db.models.lookups import In, Lookup
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import AND, WhereNode

from dangvu.core.bulk import insert_rows
from dangvu.core.text import fold
from dangvu.organizations.models import Organization

from .models import Member, MemberWord

_WORD = re.compile(r"[^\W_]+")
#: An ordered page of at most this many rows streams each word of a prefix separately (PostgreSQL);
#: deeper pages sort the matches instead.
MERGE_MAX_ROWS = 1000
#: How long the word frequencies read from PostgreSQL's statistics are reused (seconds).
STATS_SECONDS = 600


def words_of(folded: str | None) -> list[str]:
    """The words of a folded text: runs of letters and digits ("h'hen" → h, hen)."""
    return _WORD.findall(folded or "")


WORD_COLUMNS = ("member_id", "word", "sort_key", "cell_id", "words")  # the order of index_rows' tuples


def index_rows(member_id: int, name_folded: str, sort_key: str, cell_id: int) -> list[tuple]:
    """The MemberWord rows of one member: (member_id, word, sort_key, cell_id, words)."""
    words, packed = _distinct_words(name_folded)
    return [(member_id, w, sort_key, cell_id, packed) for w in words]


@functools.lru_cache(maxsize=65536)
def _distinct_words(name_folded: str) -> tuple[tuple[str, ...], str]:
    """The distinct words of a folded name, in order, and the same packed as " w1 w2 " (names repeat)."""
    words = tuple(sorted(set(words_of(name_folded))))
    return words, f" {' '.join(words)} "


# ============================================================================================
# Keeping the table in step with Member
# ============================================================================================


def index_new(members: Iterable[Member]) -> None:
    """Index members that have just been inserted (saved, with name_folded, sort_key and cell set).
    Through `core.bulk.insert_rows`, so that inside `write_behind` the COPY joins the queue."""
    rows = [r for m in members for r in index_rows(m.pk, m.name_folded, m.sort_key, m.cell_id)]
    rows.sort(key=itemgetter(1, 2))  # in index order: the B-tree inserts touch fewer pages
    insert_rows(MemberWord._meta.db_table, WORD_COLUMNS, rows)


def reindex(members: Iterable[Member]) -> None:
    """Re-index members whose name (so name_folded / sort_key) has just been saved. The cell is read
    from the member's row: the instance may be older than the last move."""
    members = list(members)
    if not members:
        return
    conn = connection
    table = conn.ops.quote_name(MemberWord._meta.db_table)
    member_table = conn.ops.quote_name(Member._meta.db_table)
    ids = [m.pk for m in members]
    rows = [(mid, word, key, words, mid) for m in members
            for mid, word, key, _cell, words in index_rows(m.pk, m.name_folded, m.sort_key, None)]
    with conn.cursor() as cur:
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            cur.execute(f"DELETE FROM {table} WHERE member_id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        cur.executemany(
            f"INSERT INTO {table} (member_id, word, sort_key, cell_id, words)"
            f" SELECT %s, %s, %s, m.cell_id, %s FROM {member_table} m WHERE m.id = %s",
            rows,
        )


def move(members: Iterable[Member]) -> None:
    """Follow members whose current cell may have changed (services.rebuild, bulk_write)."""
    pairs = [(m.cell_id, m.pk) for m in members]
    if not pairs:
        return
    conn = connection
    table = conn.ops.quote_name(MemberWord._meta.db_table)
    with conn.cursor() as cur:
        if conn.vendor == "postgresql" and len(pairs) > 1:
            for i in range(0, len(pairs), 1000):
                chunk = pairs[i:i + 1000]
                values = ", ".join(["(%s::bigint, %s::bigint)"] * len(chunk))
                cur.execute(
                    f"UPDATE {table} AS w SET cell_id = v.cell_id FROM (VALUES {values}) AS v(cell_id, member_id)"
                    f" WHERE w.member_id = v.member_id AND w.cell_id <> v.cell_id",
                    [x for pair in chunk for x in pair],
                )
        else:
            cur.executemany(f"UPDATE {table} SET cell_id = %s WHERE member_id = %s AND cell_id <> %s",
                            [(cell, member, cell) for cell, member in pairs])


def rebuild_index() -> int:
    """Recompute the whole table from Member; returns the number of rows written."""
    with transaction.atomic():
        return fill(connection, Member._meta.db_table, MemberWord._meta.db_table)


def fill(conn, member_table: str, word_table: str, *, chunk: int = 20_000) -> int:
    """Empty `word_table` and fill it from `member_table` (also used by the data migration, with the
    tables of the historical models)."""
    qm, qw = conn.ops.quote_name(member_table), conn.ops.quote_name(word_table)
    written, last = 0, 0
    with conn.cursor() as cur:
        cur.execute(f"DELETE FROM {qw}")
    while True:
        with conn.cursor() as cur:
            cur.execute(f"SELECT id, name_folded, sort_key, cell_id FROM {qm} WHERE id > %s ORDER BY id LIMIT %s",
                        [last, chunk])
            members = cur.fetchall()
        if not members:
            break
        rows = [r for mid, folded, key, cell in members for r in index_rows(mid, folded, key, cell)]
        insert_rows(word_table, WORD_COLUMNS, rows, conn=conn)
        written += len(rows)
        last = members[-1][0]
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute(f"ANALYZE {qw}")
        _STATS.clear()
    return written


# ============================================================================================
# Query
# ============================================================================================


@dataclass(frozen=True)
class Terms:
    """A parsed query: the words to match exactly, the last word (a prefix) and the code."""

    exact: tuple[str, ...]
    prefix: str | None
    code: str

    @classmethod
    def parse(cls, text: str | None) -> Terms:
        words = words_of(fold(text))
        return cls(tuple(dict.fromkeys(words[:-1])), words[-1] if words else None, (text or "").strip())

    def matches_name(self, name_folded: str) -> bool:
        """The rule in Python (tests): every exact word is a word of the name, the prefix starts one."""
        if self.prefix is None:
            return False
        words = set(words_of(name_folded))
        return all(e in words for e in self.exact) and any(w.startswith(self.prefix) for w in words)


def _after(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix` (code point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


_STATS: dict[tuple, tuple[float, tuple[dict[str, float], float] | None]] = {}


def word_frequencies(conn) -> tuple[dict[str, float], float] | None:
    """({frequent word: share of the rows}, share of any other word) from PostgreSQL's statistics of
    the word column, or None (SQLite, or not analysed yet). Read on the raw connection and cached:
    a catalogue lookup every few minutes, not a query of the request."""
    if conn.vendor != "postgresql":
        return None
    key = (conn.alias, conn.settings_dict.get("NAME"))
    now = time.monotonic()
    hit = _STATS.get(key)
    if hit is not None and now - hit[0] < STATS_SECONDS:
        return hit[1]
    table = MemberWord._meta.db_table
    conn.ensure_connection()
    with conn.connection.cursor() as cur:
        cur.execute(
            "SELECT s.most_common_vals::text::text[], s.most_common_freqs, s.n_distinct, c.reltuples"
            " FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename"
            " AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s.schemaname)"
            " WHERE s.schemaname = current_schema() AND s.tablename = %s AND s.attname = 'word'",
            [table],
        )
        row = cur.fetchone()
    result = None
    if row is not None and row[0]:
        values, freqs, n_distinct, reltuples = row
        distinct = -n_distinct * max(reltuples, 1) if n_distinct < 0 else n_distinct
        other = max(0.0, 1.0 - sum(freqs)) / max(1.0, distinct - len(values))
        result = (dict(zip(values, freqs, strict=True)), other)
    _STATS[key] = (now, result)
    return result


def choose_driver(terms: Terms, conn) -> str | None:
    """The word whose rows are read in order: an exact word (returned), or the prefix (None), the
    rarest by PostgreSQL's statistics; without statistics the prefix, unless it is shorter than three
    letters and there are exact words (then the first of them)."""
    if not terms.exact:
        return None
    stats = word_frequencies(conn)
    if stats is None:
        return None if len(terms.prefix) >= 3 else terms.exact[0]
    freq, other = stats
    prefix_share = sum(f for w, f in freq.items() if w.startswith(terms.prefix)) + other
    best = min(terms.exact, key=lambda w: freq.get(w, other))
    return best if freq.get(best, other) < prefix_share else None


class _Sql:
    """SQL of the matching member ids on the word table (alias `w`), for one query and backend."""

    def __init__(self, conn, terms: Terms, driver: str | None):
        qn = conn.ops.quote_name
        self.words_table = qn(MemberWord._meta.db_table)
        self.member_table = qn(Member._meta.db_table)
        self.postgres = conn.vendor == "postgresql"
        self.terms = terms
        self.driver = driver

    def _others(self) -> tuple[list[str], list]:
        """Conditions on the other words of the query (checked on the index entry)."""
        t = self.terms
        conds, params = [], []
        for e in t.exact:
            if e != self.driver:
                conds.append("w.words LIKE %s")
                params.append(f"% {e} %")
        if self.driver is not None:
            conds.append("w.words LIKE %s")
            params.append(f"% {t.prefix}%")
        return conds, params

    def _stream(self, *, once: bool) -> tuple[list[str], list]:
        """Conditions of the driving stream; `once`: a member having several words that start with
        the prefix is kept at the first of them only."""
        t = self.terms
        if self.driver is not None:
            conds, params = ["w.word = %s"], [self.driver]
        else:
            conds, params = ["w.word >= %s", "w.word < %s"], [t.prefix, _after(t.prefix)]
            if once:
                conds.append(f"{self._strpos}(w.words, %s) >= {self._strpos}(w.words, ' ' || w.word || ' ')")
                params.append(f" {t.prefix}")
        others, more = self._others()
        return conds + others, params + more

    @property
    def _strpos(self) -> str:
        return "strpos" if self.postgres else "instr"

    def all_ids(self) -> tuple[str, list]:
        conds, params = self._stream(once=False)
        return f"SELECT w.member_id FROM {self.words_table} w WHERE {' AND '.join(conds)}", params

    def page_ids(self, high: int, *, ordered: bool, extra: list[tuple[str, list]]) -> tuple[str, list]:
        """The first `high` matching ids (in Vietnamese order if `ordered`) that also meet the `extra`
        conditions on `w` (the queryset's other filters)."""
        if ordered and self.postgres and self.driver is None and high <= MERGE_MAX_ROWS:
            return self._merged(high, extra)
        conds, params = self._stream(once=True)
        for sql, more in extra:
            conds.append(sql)
            params += more
        order = " ORDER BY w.sort_key, w.member_id" if ordered else ""
        sql = f"SELECT w.member_id FROM {self.words_table} w WHERE {' AND '.join(conds)}{order} LIMIT %s"
        return sql, [*params, high]

    def _merged(self, high: int, extra: list[tuple[str, list]]) -> tuple[str, list]:
        """PostgreSQL: the distinct words starting with the prefix (a skip scan of the index), each
        read in order up to `high` rows (LATERAL), merged."""
        t, wt = self.terms, self.words_table
        upper = _after(t.prefix)
        others, oparams = self._others()
        conds = ["w.word = c.word", "strpos(w.words, %s) >= strpos(w.words, ' ' || w.word || ' ')", *others]
        params = [f" {t.prefix}", *oparams]
        for sql, more in extra:
            conds.append(sql)
            params += more
        sql = (
            f"WITH RECURSIVE c(word) AS ("
            f" SELECT MIN(x.word) FROM {wt} x WHERE x.word >= %s AND x.word < %s"
            f" UNION ALL"
            f" SELECT (SELECT MIN(x.word) FROM {wt} x WHERE x.word > c.word AND x.word < %s) FROM c"
            f" WHERE c.word IS NOT NULL)"
            f" SELECT s.member_id FROM c CROSS JOIN LATERAL ("
            f"SELECT w.member_id, w.sort_key FROM {wt} w WHERE {' AND '.join(conds)}"
            f" ORDER BY w.sort_key, w.member_id LIMIT %s) s"
            f" ORDER BY s.sort_key, s.member_id LIMIT %s"
        )
        return sql, [t.prefix, upper, upper, *params, high, high]

    def with_code(self, ids: tuple[str, list] | None) -> tuple[str, list]:
        """`ids` plus the member whose code is the query text, as typed or in capitals ("np00226" finds
        NP00226: codes are written in capitals; both looked up in the code's unique index)."""
        code = f"SELECT m.id FROM {self.member_table} m WHERE m.code IN (%s, %s)"
        typed = [self.terms.code, self.terms.code.upper()]
        if ids is None:
            return code, typed
        return f"SELECT i.member_id FROM ({ids[0]}) i UNION ALL {code}", [*ids[1], *typed]


class SearchOrder(Concat):
    """Vietnamese order of the search results: the sort key as an expression, not the column, so that
    an unsliced search sorts its matches instead of walking the sort index (where the matches of a
    given name cluster: 900,000 rows read for 'tuan'). Also how NameMatch recognises its ordering."""

    def __init__(self):
        super().__init__("sort_key", Value(""))


def _is_search_order(order) -> bool:
    """Ordered by (sort key, id): the order of the word table's streams."""
    order = list(order)
    if len(order) != 2 or order[1] not in ("id", "pk"):
        return False
    return isinstance(order[0], SearchOrder) or order[0] == "sort_key"


def _cell_alias(query, node) -> str | None:
    """The alias of the member's cell (organization) when `node` filters on it only, with plain values
    (scope and organization filters: `cell__path__startswith`), else None."""
    aliases = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, WhereNode):
            stack += n.children
            continue
        if isinstance(n, In) and isinstance(n.rhs, (list, tuple, set)) and not n.rhs:
            continue  # `pk__in=[]`, the neutral start of subtree_q: matches nothing
        if not isinstance(n, Lookup) or not isinstance(n.lhs, Col) or hasattr(n.rhs, "resolve_expression"):
            return None
        aliases.add(n.lhs.alias)
    if len(aliases) != 1:
        return None
    alias = aliases.pop()
    join = query.alias_map.get(alias)
    cell = Member._meta.get_field("cell")
    if (not isinstance(join, Join) or join.parent_alias != query.base_table or join.join_field is not cell
            or join.filtered_relation is not None):
        return None
    return alias


def _on_cell_column(query, node) -> bool:
    """Whether `node` is a lookup on the member's own cell column (`cell__in=<organizations>`, the
    scope of members_visible_to and the organization filter; `cell=…`)."""
    return (isinstance(node, Lookup) and isinstance(node.lhs, Col) and node.lhs.alias == query.base_table
            and node.lhs.target is Member._meta.get_field("cell"))


class NameMatch(Expression):
    """`Member.objects.filter(NameMatch(text))`: members whose name matches `text` (see the module),
    or whose code is `text`."""

    output_field = BooleanField()

    def __init__(self, text: str, pk=None):
        super().__init__()
        self.text = text
        self.terms = Terms.parse(text)
        self.pk = pk if pk is not None else F("pk")
        self.token = object()  # shared by the copies Django makes while resolving and compiling

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def _page(self, query) -> tuple[str, int] | None:
        """('ordered' | 'unordered', position of this filter in the top-level AND) when the query
        being compiled takes a bounded page of the results, else None."""
        if query.high_mark is None or query.combinator or query.group_by is not None or query.extra_order_by:
            return None
        where = query.where
        if where.connector != AND or where.negated or not query.standard_ordering:
            return None
        position = next((i for i, c in enumerate(where.children)
                         if getattr(c, "token", None) is self.token
                         or getattr(getattr(c, "lhs", None), "token", None) is self.token), None)
        if position is None:
            return None
        if query.order_by:
            return ("ordered", position) if _is_search_order(query.order_by) else None
        meta_order = list(query.get_meta().ordering or []) if query.default_ordering else []
        if not meta_order:
            return "unordered", position
        return ("ordered", position) if _is_search_order(meta_order) else None

    @staticmethod
    def _other_filters(query, position: int, conn) -> list[tuple[str, list]]:
        """The other filters of the compiled queryset as conditions on the word table `w`: those on
        the member's cell only (scope, organization: the cell column or a join on the cell) on
        `w.cell_id`, the rest as `w.member_id IN (<the queryset with those filters only>)`."""
        base = query.clone()
        del base.where.children[position]
        compiler = base.get_compiler(connection=conn)
        qn = conn.ops.quote_name
        extra, rest = [], []
        for child in base.where.children:
            if _on_cell_column(base, child):
                sql, params = compiler.compile(child)
                column, _ = compiler.compile(child.lhs)
                extra.append((f"w.cell_id{sql[len(column):]}", list(params)))
                continue
            alias = _cell_alias(base, child)
            if alias is None:
                rest.append(child)
                continue
            try:
                sql, params = compiler.compile(child)
            except FullResultSet:  # no restriction at all
                continue
            table = qn(base.alias_map[alias].table_name)
            pk = qn(Organization._meta.pk.column)
            extra.append((f"w.cell_id IN (SELECT {qn(alias)}.{pk} FROM {table} {qn(alias)} WHERE {sql})", list(params)))
        if rest:
            base.where.children = rest
            base.clear_ordering(force=True)
            base.clear_limits()
            base.clear_select_clause()
            base.add_fields(["pk"])
            sql, params = base.get_compiler(connection=conn).as_sql()
            extra.append((f"w.member_id IN ({sql})", list(params)))
        return extra

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        terms = self.terms
        if terms.prefix is None:
            sql, params = _Sql(connection, terms, None).with_code(None)
        else:
            builder = _Sql(connection, terms, choose_driver(terms, connection))
            page = self._page(compiler.query)
            if page is None:
                ids = builder.all_ids()
            else:
                mode, position = page
                ids = builder.page_ids(compiler.query.high_mark, ordered=mode == "ordered",
                                       extra=self._other_filters(compiler.query, position, connection))
            sql, params = builder.with_code(ids)
        return f"{pk_sql} IN ({sql})", [*pk_params, *params]
