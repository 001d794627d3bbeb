"""What an import reports: its issues (sheet, row as in Excel, column as written), counts and samples."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from . import spec
from .spec import SHEET_ORDER

SAMPLE_ROWS = 10  # rows shown per kind of change in the preview
MESSAGE_CHARS = 500  # a message quotes cells: cut, so that the list stays small


@dataclass
class Issue:
    """An error or a warning: where (sheet, row as in Excel, column as written) and what."""

    sheet: str
    row: int | None
    column: str
    message: str

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(_("Sheet %(sheet)s") % {"sheet": self.sheet})
        if self.row:
            parts.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}: {self.message}" if loc else self.message


@dataclass
class SheetCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    dry_run: bool
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    samples: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    written: bool = False
    seconds: float = 0.0
    #: errors and warnings past settings.IMPORT_MAX_ISSUES: counted, not kept
    errors_more: int = 0
    warnings_more: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_more

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + self.warnings_more

    def sample(self, sheet: str, action: str, text: str) -> None:
        rows = self.samples.setdefault(sheet, {}).setdefault(action, [])
        if len(rows) < SAMPLE_ROWS:
            rows.append(text)

    def sort(self) -> None:
        self.errors.sort(key=lambda i: (_sheet_rank(i.sheet), i.row or 0))
        self.warnings.sort(key=lambda i: (_sheet_rank(i.sheet), i.row or 0))


def _sheet_rank(sheet: str) -> int:
    return SHEET_ORDER.index(sheet) + 1 if sheet in SHEET_ORDER else 0


class Report:
    """Collects the issues and counts of one import into its ImportResult; names the columns as
    they are written in the file (`headers`, filled while reading)."""

    def __init__(self, result: ImportResult):
        self.result = result
        self.cap = settings.IMPORT_MAX_ISSUES
        self.headers: dict[str, dict[str, str]] = {}  # sheet → column key → header as written
        self.sheet_names: dict[str, str] = {}  # canonical → as written (CSV: file name)

    def err(self, sheet: str, row: int | None, key: str | None, message: str, *, column: str = "") -> None:
        if len(self.result.errors) >= self.cap:
            self.result.errors_more += 1
        else:
            self.result.errors.append(self._issue(sheet, row, key, message, column))

    def warn(self, sheet: str, row: int | None, key: str | None, message: str, *, column: str = "") -> None:
        if len(self.result.warnings) >= self.cap:
            self.result.warnings_more += 1
        else:
            self.result.warnings.append(self._issue(sheet, row, key, message, column))

    def _issue(self, sheet, row, key, message: str, column: str) -> Issue:
        if len(message) > MESSAGE_CHARS:
            message = message[:MESSAGE_CHARS - 1] + "…"
        return Issue(self.sheet_names.get(sheet, sheet), row, (column or self.col(sheet, key))[:MESSAGE_CHARS], message)

    @property
    def failed(self) -> bool:
        return bool(self.result.errors)

    def col(self, sheet: str, key: str | None) -> str:
        if not key:
            return ""
        written = self.headers.get(sheet, {}).get(key)
        if written:
            return written
        for c in spec.COLUMNS[sheet]:
            if c.key == key:
                return c.label
        return key

    def counts(self, sheet: str) -> SheetCounts:
        return self.result.counts.setdefault(sheet, SheetCounts())

    def sample(self, sheet: str, action: str, text: str) -> None:
        self.result.sample(sheet, action, text)

    def reset_counts(self) -> None:
        """Nothing was written after all: no row was created or updated."""
        for c in self.result.counts.values():
            c.created = c.updated = 0
