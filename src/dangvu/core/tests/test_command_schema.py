"""A command run over a database without the schema (a wrong DANGVU_DATA_DIR, `dangvu migrate` not run
yet or not after an upgrade) says what to do, in Vietnamese, instead of a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from django.db.migrations.executor import MigrationExecutor

from dangvu.core.management.base import _check_schema

DANGVU = str(Path(sys.executable).with_name("dangvu"))


def test_a_report_over_an_empty_database_asks_for_migrate(tmp_path):
    env = {**os.environ, "DANGVU_DATA_DIR": str(tmp_path)}
    env.pop("DANGVU_DATABASE_URL", None)
    result = subprocess.run([DANGVU, "report", "snapshot", "--org", "H01", "--as-of", "2024-12-31"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "chưa có dữ liệu Đảng vụ" in result.stderr and "dangvu migrate" in result.stderr


@pytest.mark.django_db
def test_a_database_behind_this_version_asks_for_migrate(monkeypatch):
    _check_schema()  # the test database is up to date
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("a migration", False)])
    with pytest.raises(CommandError, match="chưa được cập nhật theo phiên bản này.*dangvu migrate"):
        _check_schema()
