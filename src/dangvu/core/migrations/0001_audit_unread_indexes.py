"""Drop the indexes of django-auditlog's table that nothing here reads: an import writes an entry per
new member, and each index is written for every entry (bench/findings.md, sessions 8 and 9).

The app reads entries by content type and object id, newest first (the change logs of a member and of
an organization); django-auditlog's own filters by correlation id (`cid`) and by action serve its admin,
which is not installed, and nothing filters `object_pk` with LIKE. Dropped: the indexes on `cid` and
`action`, and on PostgreSQL the LIKE-pattern twins (`varchar_pattern_ops`) of `cid` and `object_pk`.
Kept: content type, object id, object pk (plain), actor, timestamp.

Only the database changes: django-auditlog's model state still says `db_index=True`, so no migration of
its own is pending. A later django-auditlog migration still applies (dropping an index is `DROP INDEX
IF EXISTS`, or found by introspection; changing a column's type on PostgreSQL re-creates its LIKE twin;
SQLite re-creates a table with every index of its state when it rebuilds it): such a migration may
bring an index back, which `core/tests/test_audit_indexes.py` then reports; drop it again in a new
migration here, after it. The indexes are found by their columns (their names are hashes)."""

from django.db import migrations

#: Columns whose indexes go (both databases), and whose LIKE twins go (PostgreSQL).
UNREAD = ("cid", "action")
UNREAD_LIKE = ("cid", "object_pk")


def unread_indexes(connection, table: str) -> list[str]:
    """The names of the single-column indexes of `table` that UNREAD / UNREAD_LIKE name."""
    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, table)
    names = []
    for name, c in sorted(constraints.items()):
        if not c["index"] or c["unique"] or c["primary_key"] or len(c["columns"]) != 1:
            continue
        column = c["columns"][0]
        like = name.endswith("_like")
        if (column in UNREAD and not like) or (like and column in UNREAD_LIKE):
            names.append(name)
    return names


def drop(apps, schema_editor):
    table = apps.get_model("auditlog", "LogEntry")._meta.db_table
    for name in unread_indexes(schema_editor.connection, table):
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore(apps, schema_editor):
    """The indexes as django-auditlog's migrations made them (same names)."""
    model = apps.get_model("auditlog", "LogEntry")
    for column in UNREAD:
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field(column)]))
    like_sql = getattr(schema_editor, "_create_like_index_sql", None)  # PostgreSQL only
    for column in UNREAD_LIKE if like_sql else ():
        schema_editor.execute(like_sql(model, model._meta.get_field(column)))


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunPython(drop, restore),
    ]
