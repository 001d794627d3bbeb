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
