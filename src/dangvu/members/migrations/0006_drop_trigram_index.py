"""PostgreSQL only: drop the trigram index of 0002. Name search reads the ordered word index
(members.search, MemberWord) since 0005; the trigram index was no longer used by any query and cost
every insert of a member (bench/findings.md §2, §4)."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_name_trgm")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_name_trgm ON members_member USING gin (name_folded gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0005_memberword")]
    operations = [migrations.RunPython(forward, backward)]
