"""One index on django-auditlog's table for what the app reads — the entries of an object: (content type,
object id) — in place of the single-column indexes on content type, object id, object pk and time stamp.

Every write of an import adds entries, and each index is written for every entry (bench/findings.md,
session 10: the audit was the costliest table of an import after the events). The app reads entries only
by content type and object id, newest first (the change logs of a member, its events and an
organization; django-auditlog's own `get_for_object` for a save, by object id since every audited model
has an integer key): the pair's index finds them, and orders the few it finds. Nothing filters by
`object_pk` (set for integer keys too, and for failed logins' usernames) or by time. Kept: the primary
key and the actor's index (a deleted user's entries are found by it).

As in 0001: only the database changes (django-auditlog's state still says `db_index=True`); a later
django-auditlog migration that brings an index back fails `core/tests/test_audit_indexes.py`."""

from django.db import migrations

SINGLE = ("content_type_id", "object_id", "object_pk", "timestamp")
NAME = "auditlog_entry_object_idx"
COLUMNS = ("content_type_id", "object_id")


def single_indexes(connection, table: str) -> list[str]:
    """The names of the plain single-column indexes of `table` on the SINGLE columns."""
    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, table)
    return sorted(name for name, c in constraints.items()
                  if c["index"] and not c["unique"] and not c["primary_key"] and len(c["columns"]) == 1
                  and c["columns"][0] in SINGLE and not name.endswith("_like"))


def forward(apps, schema_editor):
    table = apps.get_model("auditlog", "LogEntry")._meta.db_table
    q = schema_editor.quote_name
    schema_editor.execute(f"CREATE INDEX {q(NAME)} ON {q(table)} ({', '.join(map(q, COLUMNS))})")
    for name in single_indexes(schema_editor.connection, table):
        schema_editor.execute(f"DROP INDEX {q(name)}")


def backward(apps, schema_editor):
    """The single-column indexes as django-auditlog's migrations made them (same names)."""
    model = apps.get_model("auditlog", "LogEntry")
    for column in SINGLE:
        field = next(f for f in model._meta.concrete_fields if f.column == column)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_audit_unread_indexes"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
