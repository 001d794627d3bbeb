"""The 54 ethnic groups (dân tộc) with their statistical codes; Kinh (01) is the majority."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

from .text import fold_key

KINH = "01"
_CSV = Path(__file__).with_name("data") / "dan_toc.csv"


@functools.cache
@functools.cache
def _groups() -> tuple[tuple[str, str], ...]:
    with _CSV.open(encoding="utf-8-sig") as f:
        return tuple((row["ma"], row["ten"]) for row in csv.DictReader(f))


@functools.cache
def _names() -> dict[str, str]:
    return dict(_groups())


def ethnic_groups() -> list[tuple[str, str]]:
    """(code, name) of the 54 groups, in code order (the file is read once; a new list each call)."""
    return list(_groups())


@functools.cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    with _CSV.open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            for name in [row["ten"], row["ma"], str(int(row["ma"])), *row["ten_khac"].split(";")]:
                if name.strip():
                    table.setdefault(fold_key(name), row["ma"])
    return table


def ethnicity_code(text: str) -> str | None:
    """The code of the group the user typed ('Mông', 'HMông', 'Mèo', '04'), or None when unknown."""
    return _lookup().get(fold_key(text))


def ethnicity_name(code: str) -> str:
    return _names().get(code, code)
