"""The `dangvu` front (dangvu.cli): its help names every report and account action; a reader that stops
early (`dangvu import … | head`) ends it without a traceback."""

from __future__ import annotations

import os

from django.core import management

from dangvu import cli


def test_the_help_names_every_report_and_account_action(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    report = next(line for line in out.splitlines() if line.strip().startswith("report "))
    for name in ("snapshot", "flows", "badges", "assessment", "profile", "checks", "summary", "form",
                 "excellent-streak"):
        assert name in report
    assert "reset-2fa" in next(line for line in out.splitlines() if line.strip().startswith("user "))


def test_a_closed_pipe_on_the_output_ends_quietly(monkeypatch, capsys):
    def closed(_argv):
        raise BrokenPipeError(32, "Broken pipe")

    redirected = []
    monkeypatch.setattr(management, "execute_from_command_line", closed)
    monkeypatch.setattr(os, "dup2", lambda fd, fd2: redirected.append(fd2))
    monkeypatch.setattr(cli.sys.stdout, "fileno", lambda: 1, raising=False)
    assert cli.main(["import", "x.xlsx"]) == 1
    assert redirected == [1]  # what Python would still flush at exit goes nowhere
    assert "Traceback" not in capsys.readouterr().err
