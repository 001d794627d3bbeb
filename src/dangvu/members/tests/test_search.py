"""Member search (members.search): word rule, every query strategy against the rule, scope and
filters, and the word table kept in step with Member by every write path."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.core.text import fold
from dangvu.members import search
from dangvu.members.bulk import bulk_write
from dangvu.members.models import Member, MemberEvent, MemberEventKind, MemberWord
from dangvu.members.restructuring import rehome_members
from dangvu.members.selectors import member_search, members_visible_to
from dangvu.members.services import member_record_event, member_update_profile

D = dt.date
NAMES = [
    "Nguyễn Văn An", "Nguyễn Văn Anh", "Trần Thị An", "Lò Văn Minh", "Đặng Thị Hoa", "Hoàng Văn Nam",
    "Nguyễn Thị Thu Thủy", "Lê Thị Thúy", "Nguyễn Thúy Hằng", "Giàng A Páo", "Ksor H'Bia", "Hà Văn Hải",
    "Nguyễn Thanh Hà", "Vũ Anh Tuấn", "Trần Tuấn Anh", "Lê Văn An",
]
QUERIES = ["an", "nguyen van an", "NGUYỄN VĂN AN", "van an", "an nguyen", "thuy", "thu", "nguyen thu", "h",
           "ha", "hoang", "hbia", "h bia", "tuan", "tuan anh", "anh", "nguyen an", "le", "x", "nguyen a",
           "  lò   văn  ", "thi thuy", "zzz", "-", "DV00003", "dv00004"]


def oracle(members, text, *, extra=lambda m: True) -> list[str]:
    """The codes the search must return, in order, by the rule written in Python."""
    terms = search.Terms.parse(text)
    hits = [m for m in members if (terms.matches_name(m.name_folded) or m.code in (text.strip(), text.strip().upper()))
            and extra(m)]
    return [m.code for m in sorted(hits, key=lambda m: (m.sort_key, m.pk))]


@pytest.fixture
def people(tree, make_member):
    cells = [tree["C01"], tree["C02"], tree["X02"]]
    return [make_member(cells[i % 3], name=name, sex="F" if "Thị" in name else "M")
            for i, name in enumerate(NAMES)]


def codes(qs) -> list[str]:
    return [m.code for m in qs]


@pytest.fixture(params=["statistics", "prefix", "first exact word", "sorted prefix"])
def strategy(request, monkeypatch):
    """Every way of reading the word table: the driver chosen by statistics (none in tests: the
    fallback rule), forced to the prefix, forced to an exact word; the merge of the prefix's words
    (PostgreSQL) replaced by a sort."""
    if request.param == "prefix":
        monkeypatch.setattr(search, "choose_driver", lambda terms, conn: None)
    elif request.param == "first exact word":
        monkeypatch.setattr(search, "choose_driver", lambda terms, conn: terms.exact[0] if terms.exact else None)
    elif request.param == "sorted prefix":
        monkeypatch.setattr(search, "MERGE_MAX_ROWS", 0)
    return request.param


def test_words_are_matched_in_any_order_and_the_last_as_a_prefix(people):
    base = Member.objects.all()
    names = lambda q: [m.full_name for m in member_search(base, q)]  # noqa: E731
    assert names("nguyen van an") == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert names("an nguyen van") == ["Nguyễn Văn An"]  # the last word is the prefix: "van" (Văn)
    assert names("tuan") == ["Trần Tuấn Anh", "Vũ Anh Tuấn"]  # given name An(h) sorts before Tuấn
    assert names("hbia") == [] and names("ksor h bia") == ["Ksor H'bia"]
    assert names("guyen") == []  # words, not substrings


def test_every_strategy_returns_every_page_the_rule_gives(people, strategy):
    base = Member.objects.all()
    everyone = list(base)
    for q in QUERIES:
        expected = oracle(everyone, q)
        qs = member_search(base, q)
        assert codes(qs) == expected, (q, strategy)  # unsliced: export
        assert [codes(qs[i:i + 3]) for i in range(0, 18, 3)] == [expected[i:i + 3] for i in range(0, 18, 3)], q
        assert qs.count() == len(expected), q
        assert qs.order_by()[:4].count() == min(4, len(expected)), q  # the list page's capped count
        assert qs.exists() == bool(expected), q
        assert sorted(m.code for m in qs.order_by()[:100]) == sorted(expected), q  # any order


def test_search_keeps_the_scope_and_any_other_filter(people, make_user, tree, strategy):
    commune = make_user("bantc.xa", tree["X01"], "organizer")
    everyone = list(Member.objects.select_related("cell"))
    in_x01 = lambda m: m.cell.code in ("C01", "C02")  # noqa: E731
    for q in ["an", "nguyen", "thu", "nguyen van an", "h"]:
        scoped = member_search(members_visible_to(commune).select_related("cell"), q)
        assert codes(scoped[:50]) == oracle(everyone, q, extra=in_x01), q
        assert scoped.order_by()[:50].count() == len(oracle(everyone, q, extra=in_x01)), q
        women = scoped.filter(sex="F")  # a filter added after the search
        assert codes(women[:50]) == oracle(everyone, q, extra=lambda m: in_x01(m) and m.sex == "F"), q
        before = member_search(members_visible_to(commune).filter(cell__code="C02"), q)  # and before it
        assert codes(before[:2]) == oracle(everyone, q, extra=lambda m: m.cell.code == "C02")[:2], q
        assert codes(scoped.exclude(cell__code="C01")[1:3]) == oracle(
            everyone, q, extra=lambda m: m.cell.code == "C02")[1:3], q


def test_the_member_code_is_found_whole_in_any_case_with_the_names_in_their_order(people):
    base = Member.objects.all()
    code = people[0].code  # Nguyễn Văn An
    assert codes(member_search(base, code)) == [code]
    assert codes(member_search(base, code.lower())) == [code]  # typed in small letters: found all the same
    assert codes(member_search(base, code[:-1])) == []  # a code is whole, not a prefix
    assert member_search(base, "  ") .count() == base.count()  # nothing typed: everyone


def test_page_sql_reads_the_word_table_with_the_limit_inside(people):
    qs = member_search(Member.objects.all(), "nguyen van an")
    sql, _params = qs[:50].query.sql_with_params()
    assert MemberWord._meta.db_table in sql and sql.count("LIMIT") >= 2
    unsliced, _params = qs.query.sql_with_params()
    assert MemberWord._meta.db_table in unsliced and "LIMIT" not in unsliced


def test_a_scope_is_read_on_the_word_table_by_cell(people, make_user, tree):
    """The scope's cells (members_visible_to: `cell_id IN (…)`) become a condition on the word table's own
    cell column: no second pass over the members to apply it."""
    sql, _params = member_search(members_visible_to(make_user("bantc.xa", tree["X01"], "organizer")), "nguyen")[:50] \
        .query.sql_with_params()
    assert "w.cell_id IN" in sql and "w.member_id IN" not in sql


def _rows():
    return sorted(MemberWord.objects.values_list("member_id", "word", "sort_key", "cell_id", "words"))


def test_rebuild_index_and_the_repair_command_restore_a_damaged_table(people):
    before = _rows()
    assert len(before) == sum(len(set(search.words_of(fold(n)))) for n in NAMES)
    MemberWord.objects.filter(word="an").delete()
    MemberWord.objects.filter(word="van").update(cell_id=people[0].cell_id, sort_key="x")
    assert search.rebuild_index() == len(before)
    assert _rows() == before
    MemberWord.objects.filter(word="nguyen").delete()
    call_command("rebuild_history", stdout=io.StringIO())  # the repair command rebuilds it too
    assert _rows() == before


SYLLABLES = ["Nguyễn", "Văn", "Thị", "An", "Anh", "Ân", "Hùng", "Hưng", "Thủy", "Thu", "Lò", "Giàng", "A",
             "Đức", "H'Bia", "Hà", "Hải", "Tuấn", "Ngọc", "Ly"]
names = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4).map(" ".join)
steps = st.lists(st.one_of(
    st.tuples(st.just("register"), names, st.integers(0, 2)),
    st.tuples(st.just("rename"), st.integers(0, 50), names),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(0, 2)),
    st.tuples(st.just("rehome"), st.integers(0, 50), st.integers(0, 2)),
    st.tuples(st.just("bulk"), st.lists(names, max_size=3), st.lists(st.tuples(st.integers(0, 50), st.integers(0, 2)),
                                                                       max_size=3)),
), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_the_word_table_never_drifts_from_the_members(tree, make_member, steps):
    cells = [tree["C01"], tree["C02"], tree["X02"]]
    with transaction.atomic():
        members = [make_member(cells[0], name="Nguyễn Văn An")]
        day = D(2016, 1, 1)
        for step in steps:
            day += dt.timedelta(days=10)
            kind = step[0]
            if kind == "register":
                members.append(make_member(cells[step[2]], name=step[1]))
            elif kind == "rename":
                member_update_profile(members[step[1] % len(members)], full_name=step[2])
            elif kind == "move":
                m = members[step[1] % len(members)]
                m.refresh_from_db()
                if m.cell_id != cells[step[2]].pk:
                    member_record_event(m, kind=MemberEventKind.MOVED, effective_on=day, cell=cells[step[2]])
            elif kind == "rehome":
                m = Member.objects.get(pk=members[step[1] % len(members)].pk)
                if m.cell_id != cells[step[2]].pk:
                    rehome_members([m], cell=cells[step[2]], effective_on=day)
            else:
                new = [Member(code=f"B{len(members) + i}-{day:%y%m%d}", full_name=name, birth_date=D(1980, 1, 1),
                              sex="M", ethnicity="01", admitted_on=D(2010, 1, 1), cell=cells[0], status="probationary")
                       for i, name in enumerate(step[1])]
                events = [MemberEvent(member=m, kind=MemberEventKind.ADMITTED, effective_on=D(2010, 1, 1),
                                      cell=cells[0]) for m in new]
                moved = set()
                for who, cell in step[2]:
                    m = Member.objects.get(pk=members[who % len(members)].pk)
                    if m.pk not in moved and m.cell_id != cells[cell].pk:
                        moved.add(m.pk)
                        events.append(MemberEvent(member=m, kind=MemberEventKind.MOVED, effective_on=day,
                                                  cell=cells[cell]))
                bulk_write(new, events, audit=False)
                members += new
            written = _rows()
            everyone = list(Member.objects.all())
            assert codes(member_search(Member.objects.all(), "an")[:50]) == oracle(everyone, "an")[:50]
        search.rebuild_index()
        assert written == _rows()
        assert {r[0]: r[3] for r in written} == dict(Member.objects.values_list("pk", "cell_id"))
        transaction.set_rollback(True)
