"""core.bulk: rows written as Django would write them; write_behind keeps order, atomicity and errors."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dangvu.core.bulk import bulk_insert, gc_paused, reserve_ids, write_behind

postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


def _user(name: str, **kw) -> User:
    return User(username=name, password="!", **kw)


def test_bulk_insert_gives_keys_and_writes_the_values_django_would(db):
    joined = timezone.now() - dt.timedelta(days=3)
    users = [_user("a", first_name="Ánh", date_joined=joined, is_staff=True), _user("b", last_name="Đỗ")]
    bulk_insert(User, users)
    assert all(u.pk for u in users) and users[0].pk != users[1].pk
    a, b = User.objects.get(pk=users[0].pk), User.objects.get(pk=users[1].pk)
    assert (a.username, a.first_name, a.is_staff, a.date_joined) == ("a", "Ánh", True, joined)  # aware datetime
    assert (b.last_name, b.is_active, b.last_login) == ("Đỗ", True, None)


def test_reserve_ids_gives_fresh_distinct_keys(db):
    Group.objects.create(name="x")
    ids = list(reserve_ids(Group._meta.db_table, 5))
    assert len(set(ids)) == 5 and min(ids) > Group.objects.get().pk


def test_gc_paused_restores_the_collector():
    import gc

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.django_db(transaction=True)
def test_write_behind_rows_are_visible_to_the_next_statement_and_after_the_block():
    with transaction.atomic(), write_behind(reserve={User._meta.db_table: 3}):
        first = [_user(f"u{i}") for i in range(3)]
        bulk_insert(User, first)
        assert User.objects.filter(username__startswith="u").count() == 3  # waits for the pending COPY
        bulk_insert(User, [_user("v")])
    assert set(User.objects.values_list("username", flat=True)) == {"u0", "u1", "u2", "v"}


@pytest.mark.django_db(transaction=True)
def test_write_behind_failure_is_raised_as_a_django_error_and_nothing_is_written():
    with pytest.raises(IntegrityError), transaction.atomic(), write_behind():
        bulk_insert(User, [_user("same")])
        bulk_insert(User, [_user("same")])  # unique username: fails in the writing thread
    assert not User.objects.exists()
    with connection.cursor() as cur:  # the connection is usable again
        cur.execute("SELECT 1")


@pytest.mark.django_db(transaction=True)
def test_write_behind_needs_a_transaction():
    with pytest.raises(RuntimeError), write_behind():
        pass


@pytest.mark.django_db(transaction=True)
def test_after_write_behind_foreign_keys_are_checked_at_commit_again():
    group = Group.objects.create(name="g")
    with transaction.atomic():
        with write_behind():
            bulk_insert(User, [_user("w")])
        with connection.cursor() as cur:  # a dangling reference is allowed until the commit, as before
            cur.execute("INSERT INTO auth_user_groups (user_id, group_id) VALUES (%s, %s)", [987654, group.pk])
        bulk_insert(User, [User(pk=987654, username="late", password="!")])
    assert User.objects.get(pk=987654).groups.get() == group


@pytest.mark.django_db(transaction=True)
def test_write_behind_runs_the_inserts_in_its_own_thread_in_order_with_savepoints(monkeypatch):
    """The inserts run in the writing thread (on SQLite too: its C code then works beside Python), in
    the order handed over, savepoints among them; a rolled-back savepoint takes its rows away."""
    from dangvu.core.bulk import behind

    threads = []
    execute = behind._WriteBehind._execute

    def spy(self, sql, data):
        threads.append((sql.split(" ")[0], threading.current_thread().name))
        return execute(self, sql, data)

    monkeypatch.setattr(behind._WriteBehind, "_execute", spy)
    with transaction.atomic(), write_behind():
        bulk_insert(User, [_user("a1")])
        with pytest.raises(RuntimeError), transaction.atomic():
            bulk_insert(User, [_user("gone")])
            raise RuntimeError
        bulk_insert(User, [_user(f"b{i}") for i in range(behind.SQLITE_ROWS + 3)])
    names = set(User.objects.values_list("username", flat=True))
    assert "gone" not in names and {"a1", "b0", f"b{behind.SQLITE_ROWS + 2}"} <= names
    assert len(names) == behind.SQLITE_ROWS + 4
    assert threads and {t for _sql, t in threads} == {"dangvu-write-behind"}
    assert [sql for sql, _t in threads if sql == "SAVEPOINT"], threads


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.django_db
def test_sqlite_inserts_stay_within_the_limit_of_bound_values_in_few_distinct_statements():
    from dangvu.core.bulk import behind

    raw = connection.connection
    per = min(behind.SQLITE_ROWS, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 2)
    rest = per // 2 + 3  # not a power of two: one statement per bit
    n = 2 * per + rest
    statements = list(behind.sqlite_inserts(raw, '"t"', '"a", "b"', 2, [(i, -i) for i in range(n)]))
    sizes = [len(values) // 2 for _sql, values in statements]
    assert sum(sizes) == n and sizes[:2] == [per, per] and max(sizes) == per
    assert sizes[2:] == sorted((1 << k for k in range(rest.bit_length()) if rest & (1 << k)), reverse=True)
    assert all(sql.count("(?, ?)") == size for (sql, _values), size in zip(statements, sizes, strict=True))
    assert statements[0][1][:4] == [0, 0, 1, -1] and statements[-1][1] == [n - 1, -(n - 1)]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_write_behind_copies_plain_tables_in_binary_and_others_as_text(monkeypatch):
    """Binary COPY (set_types from the catalogue) for a table of plain columns: the values read back are
    those written, awkward text included; a table with a jsonb column (the audit) keeps the text format."""
    from auditlog.models import LogEntry

    from dangvu.core.audit import log_bulk_created
    from dangvu.core.bulk import behind

    formats = {}
    insert = behind._WriteBehind.insert

    def spy(self, table, cols, raw_table, columns, rows):
        formats[raw_table] = "binary" if self.binary_types(columns, raw_table) is not None else "text"
        return insert(self, table, cols, raw_table, columns, rows)

    monkeypatch.setattr(behind._WriteBehind, "insert", spy)
    joined = timezone.now() - dt.timedelta(days=3, microseconds=7)
    odd = "Tab\there, line\nbreak, back\\slash, Đỗ Thị Ánh"
    users = [_user("bin", first_name=odd, date_joined=joined, is_staff=True), _user("bin2", last_name="")]
    with transaction.atomic(), write_behind():
        bulk_insert(User, users)
        log_bulk_created(users, source="import")
    assert formats == {User._meta.db_table: "binary", LogEntry._meta.db_table: "text"}
    a, b = User.objects.get(username="bin"), User.objects.get(username="bin2")
    assert (a.first_name, a.date_joined, a.is_staff, a.last_login) == (odd, joined, True, None)
    assert (b.last_name, b.is_active, b.is_staff) == ("", True, False)
    entry = LogEntry.objects.get(object_id=a.pk)
    assert entry.changes["first_name"] == ["None", odd] and entry.additional_data == {"source": "import"}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_write_behind_falls_back_to_text_for_a_value_of_another_type_than_its_column():
    """An int in a text column cannot go in binary: the batch goes as text, which writes it as before."""
    with transaction.atomic(), write_behind():
        bulk_insert(User, [_user("num", first_name=12345)])
    assert User.objects.get(username="num").first_name == "12345"


@pytest.mark.skipif("connection.vendor != 'sqlite'")  # PostgreSQL: shared buffers, nothing to set
@pytest.mark.django_db
def test_page_cache_is_large_during_a_bulk_write_on_sqlite_and_as_before_after():
    from dangvu.core.bulk import BULK_CACHE_KIB, page_cache

    def size():
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size")
            return cur.fetchone()[0]

    before = size()
    with page_cache():
        assert size() == -BULK_CACHE_KIB != before
    assert size() == before


def test_an_empty_time_is_written_without_the_per_field_preparation(monkeypatch):
    """A row whose time is empty (an event not cancelled) takes the fast path: the per-field preparation, 0.05 ms
    per row, was a fifth of an import's time once events had such a column; a set time is still converted."""
    from django.db import models

    from dangvu.core.bulk import row_maker

    fields = [User._meta.get_field("username"), User._meta.get_field("last_login")]
    prepared = []
    original = models.DateTimeField.get_db_prep_save
    monkeypatch.setattr(models.DateTimeField, "get_db_prep_save",
                        lambda self, value, conn: prepared.append(value) or original(self, value, conn))
    make = row_maker(fields, connection, timezone.now())
    assert tuple(make(_user("a"))) == ("a", None) and prepared == []
    make(_user("b", last_login=timezone.now()))
    assert len(prepared) == 1
