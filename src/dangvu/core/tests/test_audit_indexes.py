"""core 0001: django-auditlog's indexes that nothing reads are dropped, on either database, and come back
when the migration is reversed; the ones the change logs read stay."""

import importlib

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

unread_indexes = importlib.import_module("dangvu.core.migrations.0001_audit_unread_indexes").unread_indexes
TABLE = LogEntry._meta.db_table


def _indexed_columns() -> set[str]:
    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, TABLE)
    return {c["columns"][0] for c in constraints.values() if c["index"] and len(c["columns"]) == 1}


def _migrate(target):
    MigrationExecutor(connection).migrate([target])


@pytest.mark.django_db
def test_the_unread_audit_indexes_are_dropped_and_the_read_ones_kept():
    # a later django-auditlog migration that brings one back fails here: drop it again after it
    assert unread_indexes(connection, TABLE) == []
    assert {"content_type_id", "object_id", "timestamp"} <= _indexed_columns()
    assert not {"cid", "action"} & _indexed_columns()


@pytest.mark.django_db(transaction=True)
def test_the_migration_is_reversible():
    try:
        _migrate(("core", None))
        names = unread_indexes(connection, TABLE)
        assert {"cid", "action"} <= _indexed_columns()
        assert len(names) == (4 if connection.vendor == "postgresql" else 2)  # + the LIKE twins of cid, object_pk
    finally:
        _migrate(("core", "0001_audit_unread_indexes"))
    assert unread_indexes(connection, TABLE) == []
