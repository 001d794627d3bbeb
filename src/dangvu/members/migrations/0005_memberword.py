"""The word table of member search (members.search), filled from the existing members.

On PostgreSQL the word columns compare by code point (COLLATE "C", as on SQLite), so that a prefix is
one index range whatever the database's collation, and the word column keeps detailed statistics
(the search reads them to choose which word of a query to stream)."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES_FORWARD = [
    'ALTER TABLE members_memberword ALTER COLUMN word TYPE varchar(255) COLLATE "C"',
    'ALTER TABLE members_memberword ALTER COLUMN words TYPE text COLLATE "C"',
    "ALTER TABLE members_memberword ALTER COLUMN word SET STATISTICS 1000",
]


def postgres_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_FORWARD:
            schema_editor.execute(sql)


def fill(apps, schema_editor):
    from dangvu.members.search import fill as fill_words

    member = apps.get_model("members", "Member")
    word = apps.get_model("members", "MemberWord")
    fill_words(schema_editor.connection, member._meta.db_table, word._meta.db_table)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_event_member_label'),
        ('organizations', '0002_org_path'),
    ]

    operations = [
        migrations.CreateModel(
            name='MemberWord',
            fields=[
                ('pk', models.CompositePrimaryKey('member', 'word', blank=True, editable=False, primary_key=True, serialize=False)),
                ('word', models.CharField(max_length=255)),
                ('sort_key', models.CharField(max_length=255)),
                ('words', models.TextField()),
                ('cell', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organizations.organization')),
                ('member', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member')),
            ],
            options={
                'indexes': [models.Index(fields=['word', 'sort_key', 'member', 'cell', 'words'], name='memberword_stream_idx')],
            },
        ),
        migrations.RunPython(postgres_columns, migrations.RunPython.noop),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
