"""`dangvu backup` / `dangvu restore` (sao lưu, phục hồi): a round trip gives the same records, history,
audit log and reports; a file of the other engine or a damaged file is refused with nothing changed.

Runs on the engine of the test database (SQLite, or PostgreSQL when DANGVU_DATABASE_URL points to it); a
restore always goes into a scratch database made here, never into the test database.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import io
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import load_backend

from dangvu import cli
from dangvu.accounts.models import RoleAssignment
from dangvu.core import backup
from dangvu.core.audit import audit_context
from dangvu.core.backup.archive import _header
from dangvu.core.backup.pg_tools import _pg_tool
from dangvu.demo.synth import synth
from dangvu.lifecycle import services as lifecycle
from dangvu.lifecycle import transfers
from dangvu.organizations.models import Organization
from dangvu.reports import exporters, queries

D = dt.date
SCRATCH = "backup_scratch"
OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed


@pytest.fixture
def engine():
    return backup.engine_of()


@pytest.fixture
def scratch(engine, tmp_path):
    """A second, empty database of the same engine under the alias SCRATCH."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    if engine == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "scratch.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_scratch"
        _drop_pg(settings_dict["NAME"])
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    # Set on the handler, not in its settings: Django's test case lets such a connection be opened.
    connections[SCRATCH] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, SCRATCH)
    yield SCRATCH
    connections[SCRATCH].close()
    del connections[SCRATCH]
    if engine == "postgresql":
        _drop_pg(settings_dict["NAME"])


def _drop_pg(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def on(alias: str):
    """Run the block with `alias` as the default database (the report queries use the default one)."""
    original = connections["default"]
    connections["default"] = connections[alias]
    try:
        yield
    finally:
        connections["default"] = original


@pytest.fixture
def district(tree, make_member, make_user):
    """Demo-like data: a synthetic commune (bulk-written and audited) beside the district of conftest
    with members moved, disciplined and removed through the services, and a user."""
    synth(120, seed=7)
    c1, c2 = tree["C01"], tree["C02"]
    with audit_context(source="web"):
        make_user("bantochuc", tree["H01"], role="organizer")
        members = [make_member(c1, name=f"Lò Văn {i}", admitted_on=D(2014, 3, i + 1),
                               made_official_on=D(2015, 3, i + 1)) for i in range(6)]
        transfers.transfer_issue(members[0], kind="official", issued_on=D(2020, 5, 4), to_cell=c2)
        lifecycle.discipline(members[1], form="reprimand", decided_on=D(2021, 7, 1), violation_on=D(2021, 5, 1))
        lifecycle.resign(members[2], on=D(2022, 9, 1))
        lifecycle.record_death(members[3], on=D(2023, 2, 14))
    return tree


@pytest.fixture
def filled_scratch(district, scratch, tmp_path):
    """The scratch database holding a copy of the district (what a refused restore must leave alone)."""
    file = tmp_path / "good.backup"
    backup.backup(file)
    backup.restore(file, using=scratch)
    return scratch


def fingerprint(alias: str, *, audit_up_to: int | None = None) -> dict:
    """Every row of every table of the database `alias` (audit entries up to an id when given)."""
    conn = connections[alias]
    result = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            if table == LogEntry._meta.db_table and audit_up_to is not None:
                rows = [r for r in rows if r["id"] <= audit_up_to]
            result[table] = sorted(rows, key=repr)
    return result


def reports(org_code: str) -> dict:
    org = Organization.objects.get(code=org_code)
    return {"snapshot": exporters.to_json(queries.snapshot(org, D(2024, 12, 31))),
            "flows": exporters.to_json(queries.flows(org, D(2020, 1, 1), D(2024, 12, 31)))}


def test_a_round_trip_gives_identical_records_history_audit_and_reports(district, scratch, tmp_path):
    before = fingerprint("default")
    last_entry = LogEntry.objects.order_by("-id").first().id
    figures = {code: reports(code) for code in ("H01", "X01")}
    assert json.loads(figures["H01"]["snapshot"])  # the comparison below compares real figures
    assert len(before["members_memberevent"]) > 120 and len(before["members_memberperiod"]) > 120
    file = tmp_path / "dangvu.backup"

    backup.backup(file)
    backup.restore(file, using=scratch)

    after = fingerprint(scratch, audit_up_to=last_entry)
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    with on(scratch):
        assert {code: reports(code) for code in ("H01", "X01")} == figures


def test_backup_and_restore_are_audited_from_the_cli(district, scratch, tmp_path):
    file = tmp_path / "dangvu.backup"
    entries = LogEntry.objects.count()
    assert cli.main(["backup", str(file)]) == 0
    (logged,) = LogEntry.objects.order_by("-id")[:1]
    assert LogEntry.objects.count() == entries + 1
    assert logged.additional_data["source"] == "cli" and logged.additional_data["operation"] == "backup"
    assert logged.additional_data["sha256"] == backup.read_manifest(file)["sha256"]

    assert cli.main(["restore", str(file), "--yes", "--database", scratch]) == 0
    restored = LogEntry.objects.using(scratch).order_by("-id")
    assert restored.count() == entries + 1  # the backup's state, and the restore's own entry
    assert (restored[0].additional_data["source"], restored[0].additional_data["operation"]) == ("cli", "restore")


def test_restore_refuses_a_file_of_the_other_engine_and_changes_nothing(filled_scratch, engine, tmp_path, capsys):
    file = tmp_path / "other.backup"
    backup.backup(file)
    raw = file.read_bytes()
    manifest = json.loads(raw[: backup.HEADER_BYTES].split(b"\n")[1])
    manifest["engine"] = OTHER[engine]
    file.write_bytes(_header(manifest) + raw[backup.HEADER_BYTES:])
    before = fingerprint(filled_scratch)

    with pytest.raises(SystemExit) as exit_:
        cli.main(["restore", str(file), "--yes", "--database", filled_scratch])

    assert exit_.value.code == 1
    assert f"bản sao lưu của cơ sở dữ liệu {backup.ENGINE_NAMES[OTHER[engine]]}" in capsys.readouterr().err
    assert fingerprint(filled_scratch) == before


@pytest.mark.parametrize("damage", ["truncated", "flipped", "not_a_backup", "empty"])
def test_restore_refuses_a_damaged_file_and_changes_nothing(filled_scratch, tmp_path, damage, capsys):
    file = tmp_path / "damaged.backup"
    backup.backup(file)
    raw = bytearray(file.read_bytes())
    if damage == "truncated":
        raw = raw[: len(raw) - 100]
    elif damage == "flipped":
        raw[backup.HEADER_BYTES + 2000] ^= 0xFF
    elif damage == "not_a_backup":
        raw = b"PK\x03\x04" + raw[4:]
    else:
        raw = b""
    file.write_bytes(bytes(raw))
    before = fingerprint(filled_scratch)

    with pytest.raises(SystemExit) as exit_:
        cli.main(["restore", str(file), "--yes", "--database", filled_scratch])

    assert exit_.value.code == 1
    assert "hỏng" in capsys.readouterr().err
    assert fingerprint(filled_scratch) == before


def test_a_damaged_payload_with_a_matching_checksum_is_refused(filled_scratch, tmp_path):
    """The payload itself is checked too, not only its checksum."""
    file = tmp_path / "forged.backup"
    backup.backup(file)
    manifest = json.loads(file.read_bytes()[: backup.HEADER_BYTES].split(b"\n")[1])
    payload = b"garbage" * 1000
    manifest.update(payload_bytes=len(payload), sha256=hashlib.sha256(payload).hexdigest())
    file.write_bytes(_header(manifest) + payload)
    before = fingerprint(filled_scratch)

    with pytest.raises(backup.BackupError, match="hỏng"):
        backup.restore(file, using=filled_scratch)
    assert fingerprint(filled_scratch) == before


def test_restore_over_a_database_holding_data_needs_yes(filled_scratch, tmp_path, capsys):
    file = tmp_path / "dangvu.backup"
    backup.backup(file)
    before = fingerprint(filled_scratch)

    with pytest.raises(SystemExit) as exit_:
        cli.main(["restore", str(file), "--database", filled_scratch])

    assert exit_.value.code == 1
    assert "--yes" in capsys.readouterr().err
    assert fingerprint(filled_scratch) == before


def test_restore_into_an_empty_database_asks_first(district, scratch, tmp_path, monkeypatch, capsys):
    file = tmp_path / "dangvu.backup"
    backup.backup(file)
    call_command("migrate", database=scratch, verbosity=0)
    assert not backup.holds_data(scratch)

    monkeypatch.setattr("sys.stdin", io.StringIO("không\n"))
    with pytest.raises(SystemExit) as exit_:
        cli.main(["restore", str(file), "--database", scratch])
    assert exit_.value.code == 1 and not backup.holds_data(scratch)

    monkeypatch.setattr("sys.stdin", io.StringIO("có\n"))
    assert cli.main(["restore", str(file), "--database", scratch]) == 0
    assert Organization.objects.using(scratch).filter(code="H01").exists()
    assert "100%" in capsys.readouterr().out


def test_the_backup_file_is_readable_by_its_owner_only(tmp_path, db):
    file = tmp_path / "dangvu.backup"
    backup.backup(file)
    assert file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["dangvu.backup"]  # no temporary file left


def test_cli_exit_codes(tmp_path, db, capsys):
    file = tmp_path / "dangvu.backup"
    assert cli.main(["backup", str(file)]) == 0
    assert "MB" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exists:
        cli.main(["backup", str(file)])  # never overwrites a file
    with pytest.raises(SystemExit) as missing:
        cli.main(["restore", str(tmp_path / "none.backup"), "--yes"])
    with pytest.raises(SystemExit) as usage:
        cli.main(["restore"])
    assert (exists.value.code, missing.value.code, usage.value.code) == (1, 1, 2)
    assert "không tồn tại" in capsys.readouterr().err


def test_loaddata_writes_no_audit_entries(district, tmp_path):
    """Fixtures load rows as they were (raw saves): django-auditlog adds no entries of its own."""
    fixture = tmp_path / "users.json"
    call_command("dumpdata", "auth.user", "accounts.roleassignment", output=str(fixture), verbosity=0)
    RoleAssignment.objects.all().delete()
    get_user_model().objects.all().delete()
    entries = LogEntry.objects.count()

    call_command("loaddata", str(fixture), verbosity=0)

    assert get_user_model().objects.filter(username="bantochuc").exists()
    assert LogEntry.objects.count() == entries


def test_an_older_pg_dump_than_the_server_is_refused_with_a_clear_message(tmp_path, settings):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.11'\n")
    fake.chmod(0o755)
    settings.DANGVU_PG_BIN_DIR = str(tmp_path)

    with pytest.raises(backup.BackupError, match="cần PostgreSQL 99.*postgresql-client-99"):
        _pg_tool("pg_dump", 99)
    assert _pg_tool("pg_dump", 14) == (str(fake), 14)


def test_missing_postgresql_tools_are_named_with_what_to_install(tmp_path, settings, monkeypatch):
    settings.DANGVU_PG_BIN_DIR = str(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(backup.BackupError, match="Không tìm thấy chương trình pg_restore.*postgresql-client-98"):
        _pg_tool("pg_restore", 98)


def test_a_database_without_the_schema_is_not_backed_up(scratch, tmp_path):
    """A wrong DANGVU_DATA_DIR or DANGVU_DATABASE_URL (e.g. in the nightly job) points at an empty
    database: the backup said it was done, and `dangvu restore` then refused the file as damaged.
    It is refused at once instead, naming what to check, and no file is left."""
    file = tmp_path / "dangvu.backup"
    with pytest.raises(backup.BackupError, match="DANGVU_DATABASE_URL"):
        backup.backup(file, using=scratch)
    assert not file.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".backup")] == []
