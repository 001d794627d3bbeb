"""`dangvu import PATH [--dry-run]`: exit codes, summary, errors one per line, nothing written on error."""

from __future__ import annotations

import re

import pytest

from dangvu.cli import main
from dangvu.members.models import Member
from dangvu.organizations.models import Organization


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main(["import", *map(str, args)])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code or 0, out, err


@pytest.fixture
def transactional(transactional_db):
    """The command runs its own transaction; use a real one so that rollbacks are observed."""
    return transactional_db


def test_import_then_import_again_exits_0_and_changes_nothing(transactional, capsys, sample_paths):
    code, out, err = run(capsys, sample_paths[0])
    assert code == 0, err
    assert Member.objects.filter(code__startswith="MAU-").count() == 10
    assert "DangVien" in out and "10" in out
    assert "cảnh báo" not in out.lower()  # the sample is clean
    code, out, _err = run(capsys, sample_paths[0])
    assert code == 0 and Member.objects.count() == 10


def test_warnings_are_listed_and_the_rows_kept(transactional, capsys, book):
    """Ratings over the cap on excellent ratings (domain-rules §7.4): imported as decided, each year's
    warning printed with its sheet and row."""
    orgs = [["R", "Đảng bộ xã Thử", "Đảng bộ cơ sở", "", None, None, "Xã"],
            ["R-C1", "Chi bộ thôn Một", "Chi bộ trực thuộc", "R", None, None, ""]]
    members = [[f"T{n}", "Lò Văn Minh", "03/02/1980", "Nam", "Thái", "Không", "01/01/2010", "01/01/2011", "R-C1"]
               for n in (1, 2, 3)]
    ratings = [[2023, "T1", "Hoàn thành xuất sắc nhiệm vụ"], [2023, "T2", "Hoàn thành tốt nhiệm vụ"]]
    path = book({"ToChuc": orgs, "DangVien": members, "XepLoai": ratings})
    code, out, err = run(capsys, path)
    assert code == 0, err
    assert "1 cảnh báo" in out.lower() and "XepLoai" in out and "2023" in out
    assert Member.objects.count() == 3


def test_dry_run_exits_0_and_writes_nothing(transactional, capsys, sample_paths):
    code, out, _err = run(capsys, sample_paths[0], "--dry-run")
    assert code == 0 and out
    assert Organization.objects.count() == 0 and Member.objects.count() == 0


@pytest.mark.parametrize("dry_run", [False, True])
def test_errors_are_printed_one_per_line_and_exit_1_with_nothing_written(transactional, capsys, sample_paths, dry_run):
    code, _out, err = run(capsys, sample_paths[1], *(["--dry-run"] if dry_run else []))
    assert code == 1
    lines = [line for line in err.splitlines() if "DangVien" in line]
    assert any("Sheet DangVien" in line and "4" in line and "Ngày sinh" in line for line in lines)
    assert len([line for line in err.splitlines() if line.startswith("Sheet ")]) == 12
    assert err.strip().splitlines()[-1].startswith("Lỗi:")
    assert Organization.objects.count() == 0 and Member.objects.count() == 0


@pytest.mark.parametrize("name, content", [
    ("khong-co.xlsx", None),
    ("sai.txt", b"x"),
    ("hong.xlsx", b"PK\x03\x04garbage"),
])
def test_bad_paths_exit_1_with_one_clear_message(db, capsys, tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _out, err = run(capsys, path)
    assert code == 1
    assert err.strip().startswith("Lỗi:") and name in err
    assert "Traceback" not in err


def test_an_empty_workbook_exits_1(db, capsys, book):
    from dangvu.imports.spec import DANGVIEN

    code, _out, err = run(capsys, book({DANGVIEN: []}))
    assert code == 1 and err.startswith("Lỗi:")


def test_errors_past_the_cap_are_counted_not_listed(db, capsys, book, settings):
    from dangvu.imports.spec import DANGVIEN

    from .test_rules_and_limits import member

    settings.IMPORT_MAX_ISSUES = 3
    code, _out, err = run(capsys, book({DANGVIEN: [member(f"T{i}", name="") for i in range(10)]}), "--dry-run")
    lines = err.strip().splitlines()
    assert code == 1 and len([line for line in lines if line.startswith("Sheet DangVien")]) == 3
    assert any(line.startswith("… và ") and "lỗi khác" in line for line in lines)
    assert int(re.search(r"Có (\d+) lỗi", lines[-1]).group(1)) == 10  # the total, those not listed too
