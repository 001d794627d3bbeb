"""Fixtures for the import tests: workbooks built in tmp_path."""

from __future__ import annotations

import pytest

from dangvu.imports import samples
from dangvu.imports.spec import COLUMNS


@pytest.fixture
def book(tmp_path):
    """book(sheets, headers=None, name="wb.xlsx") → path of an .xlsx with those sheets (name → rows)."""
    counter = {"n": 0}

    def _make(sheets: dict, headers: dict | None = None, name: str | None = None):
        counter["n"] += 1
        path = tmp_path / (name or f"wb{counter['n']}.xlsx")
        samples.write_workbook(path, sheets, headers=headers)
        return path

    return _make


@pytest.fixture
def sample_paths(tmp_path):
    return samples.write_samples(tmp_path / "samples")


def header(sheet: str) -> list[str]:
    return [c.label for c in COLUMNS[sheet] if not c.extra]


@pytest.fixture
def h01_samples(tmp_path):
    """The samples placed under H01 (the district of the `tree` fixture), as the import page offers
    them to a user of H01."""
    return samples.write_samples(tmp_path / "samples-h01", parent="H01")
