"""`dangvu report …` run in-process through dangvu.cli.main (contracts §1)."""

import datetime as dt
import json
import os

import openpyxl
import pytest
from django.db import connections

from dangvu import cli

D = dt.date


@pytest.fixture
def run(monkeypatch, capsys):
    # run_from_argv closes every connection when it ends, which would end the test transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def _run(*args):
        try:
            code = cli.main(["report", *args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def history(tree, make_member):
    make_member(tree["C01"], made_official_on=D(2016, 5, 19), sex="F", ethnicity="Thái")
    make_member(tree["X02"])
    return tree


def assert_user_error(result, *fragments):
    code, out, err = result
    assert code == 1
    assert err.startswith("Lỗi: ") or "\nLỗi: " in err
    assert "Traceback" not in err and "Traceback" not in out
    for fragment in fragments:
        assert fragment in err


def test_snapshot_json_to_stdout(run, history):
    code, out, err = run("snapshot", "--org", "H01", "--as-of", "2024-12-31", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["org"]["code"] == "H01" and data["as_of"] == "2024-12-31"
    assert data["members"]["total"] == 2 and data["members"]["female"] == 1
    assert data["organizations"]["grassroots"] == 2


def test_snapshot_accepts_a_vietnamese_date(run, history):
    code, out, _ = run("snapshot", "--org", "X01", "--as-of", "31/12/2024")
    assert code == 0
    assert json.loads(out)["as_of"] == "2024-12-31"


def test_snapshot_json_to_a_file(run, history, tmp_path):
    path = tmp_path / "r.json"
    code, _, err = run("snapshot", "--org", "H01", "--as-of", "2024-12-31", "--output", str(path))
    assert code == 0, err
    assert json.loads(path.read_text(encoding="utf-8"))["members"]["total"] == 2


def test_snapshot_xlsx_to_a_file(run, history, tmp_path):
    path = tmp_path / "r.xlsx"
    code, _, err = run("snapshot", "--org", "H01", "--as-of", "2024-12-31", "--format", "xlsx", "--output", str(path))
    assert code == 0, err
    ws = openpyxl.load_workbook(path).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Đảng bộ huyện Mường Lay" in values
    assert 2 in values  # two members


def test_unknown_organization_code(run, history):
    assert_user_error(run("snapshot", "--org", "ZZ9", "--as-of", "2024-12-31"), "ZZ9")


def test_missing_organization_code(run, history):
    assert_user_error(run("snapshot", "--as-of", "2024-12-31"), "--org")


@pytest.mark.parametrize("bad", ["2024-13-01", "2024-02-30", "31/02/2024", "hôm qua", "2024.12.31", "12-31-2024",
                                 "20241231", "2024-12-31T00:00"])
def test_bad_dates(run, history, bad):
    assert_user_error(run("snapshot", "--org", "H01", "--as-of", bad), bad)


def test_unknown_format(run, history, tmp_path):
    path = tmp_path / "r.pdf"
    assert_user_error(run("snapshot", "--org", "H01", "--as-of", "2024-12-31", "--format", "pdf", "--output", str(path)), "pdf")
    assert not path.exists()


def test_xlsx_needs_an_output_file(run, history):
    code, out, err = run("snapshot", "--org", "H01", "--as-of", "2024-12-31", "--format", "xlsx")
    assert_user_error((code, out, err), "--output")
    assert out == ""


def test_unwritable_output_path(run, history, tmp_path):
    path = tmp_path / "no" / "such" / "folder" / "r.xlsx"
    assert_user_error(run("snapshot", "--org", "H01", "--as-of", "2024-12-31", "--format", "xlsx", "--output", str(path)),
                      str(path), "không có tệp hoặc thư mục này")  # the system's reason in Vietnamese, not "No such file"
    assert not path.parent.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder(run, history, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert_user_error(run("snapshot", "--org", "H01", "--as-of", "2024-12-31", "--output", str(folder / "r.json")))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_output_path_that_is_a_folder(run, history, tmp_path):
    assert_user_error(run("snapshot", "--org", "H01", "--as-of", "2024-12-31", "--output", str(tmp_path)), str(tmp_path))


def test_organization_not_existing_on_that_day(run, history, tmp_path):
    path = tmp_path / "r.json"
    assert_user_error(run("snapshot", "--org", "X01", "--as-of", "2011-12-31", "--output", str(path)), "31/12/2011")
    assert not path.exists()


def test_unknown_option_is_a_user_error(run, history):
    assert_user_error(run("snapshot", "--org", "H01", "--colour", "red"), "--colour")


def test_unknown_report_name_is_a_user_error(run, history):
    assert_user_error(run("snapshat", "--org", "H01"), "snapshat")


def test_option_without_its_value_is_a_user_error(run, history):
    assert_user_error(run("snapshot", "--org"), "--org")


def test_missing_report_name(run, history):
    assert_user_error(run(), "snapshot")


def test_assessment_needs_a_year_it_can_read(run, history):
    assert_user_error(run("assessment", "--org", "H01"), "--year")
    assert_user_error(run("assessment", "--org", "H01", "--year", "năm ngoái"))
    assert_user_error(run("assessment", "--org", "H01", "--year", "2024", "--format", "xlsx"), "--output")
    code, out, _err = run("assessment", "--org", "H01", "--year", "2024")
    assert code == 0 and '"year": 2024' in out
