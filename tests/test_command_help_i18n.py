"""The `dangvu` commands' --help goes through Django i18n: Vietnamese by default, English when asked.

A Vietnamese literal left in a command's argparse texts (help, description, metavar) shows up in the
English rendering, which must hold no Vietnamese letters.
"""

from __future__ import annotations

import argparse
import unicodedata

import pytest
from django.core.management import get_commands, load_command_class
from django.utils import translation

from dangvu import cli


def _is_vietnamese(text: str) -> bool:
    """True when the text has a letter only Vietnamese uses here: đ, or a vowel with a tone or ă â ê ô ơ ư."""
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.combining(char) for char in decomposed)


def _dangvu_commands() -> list[tuple[str, str]]:
    return sorted((name, app) for name, app in get_commands().items() if app.startswith("dangvu"))


def _parsers(parser: argparse.ArgumentParser, prog: str):
    """The parser and every sub-command's parser, with the words a user types to reach it."""
    yield prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{prog} {name}")


def _helps(name: str, app: str, language: str) -> dict[str, str]:
    with translation.override(language):
        command = load_command_class(app, name)
        parser = command.create_parser("dangvu", name)
        return {prog: sub.format_help() for prog, sub in _parsers(parser, f"dangvu {name}")}


def test_the_commands_are_found():
    names = {name for name, _app in _dangvu_commands()}
    assert {"report", "user", "backup", "restore", "serve", "demo", "synth", "import_workbook"} <= names


@pytest.mark.parametrize(("name", "app"), _dangvu_commands())
def test_english_help_has_no_vietnamese_literal(name, app):
    for prog, text in _helps(name, app, "en").items():
        leftovers = [line for line in text.splitlines() if _is_vietnamese(line)]
        assert not leftovers, f"{prog} --help keeps Vietnamese text outside gettext: {leftovers}"


@pytest.mark.parametrize(("name", "app"), _dangvu_commands())
def test_vietnamese_help_is_translated(name, app):
    text = _helps(name, app, "vi")[f"dangvu {name}"]
    assert _is_vietnamese(text), text


def test_report_form_help_in_both_languages():
    vi = _helps("report", "dangvu.reports", "vi")["dangvu report form"]
    en = _helps("report", "dangvu.reports", "en")["dangvu report form"]
    assert "--org MÃ" in vi and "Mã tổ chức đảng" in vi and "--from NGÀY" in vi
    assert "--org CODE" in en and "Party organization code" in en and "--from DATE" in en


def test_command_line_help_is_vietnamese_by_default(capsys):
    with translation.override("en"), pytest.raises(SystemExit) as exit_info:
        cli.main(["report", "form", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--number SỐ" in out and "Mã tổ chức đảng" in out


def test_missing_argument_names_the_vietnamese_metavar(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["backup"])
    assert exit_info.value.code == 2
    assert "TỆP" in capsys.readouterr().err


#: The top-level help as the command line printed it before its texts went through gettext: the Vietnamese
#: rendering must stay byte for byte the same.
VIETNAMESE_USAGE = (
    "Cách dùng: dangvu LỆNH [tham số]\n\nCác lệnh:\n"
    "  migrate          Tạo hoặc nâng cấp cơ sở dữ liệu\n"
    "  demo             Nạp dữ liệu mẫu (nếu cơ sở dữ liệu trống) và chạy máy chủ web\n"
    "  serve            Chạy máy chủ web (kèm một tiến trình việc nền; --no-worker: không kèm)\n"
    "  worker           Chạy tiến trình việc nền (nhập tệp lớn...) khi máy chủ web chạy với --no-worker\n"
    "  import           Nhập sổ Excel hoặc thư mục CSV (--dry-run: chỉ kiểm tra)\n"
    "  report           Xuất báo cáo: snapshot (tính đến ngày), flows (biến động trong kỳ), badges (huy hiệu), "
    "assessment (đánh giá, xếp loại), profile (cơ cấu), checks (kiểm tra), summary (đoạn tóm tắt), form (biểu thống kê), "
    "excellent-streak (xuất sắc nhiều năm liền)\n"
    "  user             Quản lý tài khoản: add (thêm), list (danh sách), reset-2fa (cấp lại xác thực hai lớp)\n"
    "  synth            Sinh dữ liệu tổng hợp theo quy mô (--members N)\n"
    "  rebuild-history  Dựng lại các giai đoạn lịch sử từ biến động\n"
    "  backup           Sao lưu toàn bộ cơ sở dữ liệu vào một tệp\n"
    "  restore          Phục hồi cơ sở dữ liệu từ tệp sao lưu (--yes: không hỏi lại)\n"
    "\nXem tham số của một lệnh: dangvu LỆNH --help\n"
)


def test_top_level_usage_in_both_languages(capsys):
    with translation.override("en"):
        english = cli.usage()
        assert cli.main(["--help"]) == 0  # the command line speaks the configured language (Vietnamese)
    assert capsys.readouterr().out == VIETNAMESE_USAGE
    with translation.override("vi"):
        assert cli.usage() == VIETNAMESE_USAGE
    leftovers = [line for line in english.splitlines() if _is_vietnamese(line)]
    assert not leftovers, f"dangvu --help keeps Vietnamese text outside gettext: {leftovers}"
    assert english.startswith("Usage: dangvu COMMAND [options]\n\nCommands:\n  migrate ")
    assert cli.main(["nope"]) == 2
    assert capsys.readouterr().err == "Lỗi: không có lệnh “nope”.\n\n" + VIETNAMESE_USAGE


def test_import_progress_words_in_both_languages():
    from dangvu.imports.management.commands import import_workbook as command

    stages = ("read:DangVien", "validate", "write")
    with translation.override("vi"):
        assert [command.stage_text(s) for s in stages] == ["Đọc DangVien", "Kiểm tra", "Ghi"]
        assert f" {command.UNIT}" == " dòng"
    with translation.override("en"):
        english = [command.stage_text(s) for s in stages] + [str(command.UNIT)]
    assert english == ["Reading DangVien", "Checking", "Writing", "rows"]
