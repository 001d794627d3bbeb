"""What an import reports: its issues (sheet, row as in Excel, column as written), counts and samples."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from . import spec
from .spec import BIENDONG, DANGVIEN, SHEET_ORDER, TOCHUC, XEPLOAI

#: The stages of an import, in the order their issues are listed (`Report.phase`).
READ = {TOCHUC: 1, DANGVIEN: 2, BIENDONG: 3, XEPLOAI: 4}
(CHECK_ORGANIZATIONS, MEMBER_ROWS, NATIONAL_IDS, NATIONAL_ID_HOLDERS, MEMBER_EVENTS, MEMBERS, CLOSINGS, RATINGS,
 WRITE) = range(5, 14)

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
    they are written in the file (`headers`, filled while reading).

    The issues kept (at most settings.IMPORT_MAX_ISSUES of each kind, the rest counted) are the first
    in the order of the import's stages: each issue is filed under the stage being run (`phase`, an
    increasing number set by the pipeline) and the stages are put back in order when the report is
    closed, so that a stage run in pieces, between pieces of others (DangVien is read, checked and
    written chunk by chunk), keeps the same issues as when each stage ran whole."""

    def __init__(self, result: ImportResult):
        self.result = result
        self.cap = settings.IMPORT_MAX_ISSUES
        self.headers: dict[str, dict[str, str]] = {}  # sheet → column key → header as written
        self.sheet_names: dict[str, str] = {}  # canonical → as written (CSV: file name)
        self.phase = 0
        self._issues: dict[str, dict[int, list[Issue]]] = {"errors": {}, "warnings": {}}  # kind → phase → issues
        self._counts = {"errors": 0, "warnings": 0}
        self._error_sheets: set[str] = set()

    def err(self, sheet: str, row: int | None, key: str | None, message: str, *, column: str = "") -> None:
        self._error_sheets.add(sheet)
        self._add("errors", self._issue(sheet, row, key, message, column))

    def warn(self, sheet: str, row: int | None, key: str | None, message: str, *, column: str = "") -> None:
        self._add("warnings", self._issue(sheet, row, key, message, column))

    def _add(self, kind: str, issue: Issue) -> None:
        self._counts[kind] += 1
        kept = self._issues[kind].setdefault(self.phase, [])
        if len(kept) < self.cap:  # a later one of its stage cannot be among the first `cap` overall
            kept.append(issue)

    def close(self) -> None:
        """Put the issues into the result, stage by stage (after any it holds already), at most `cap`
        of each kind."""
        for kind in ("errors", "warnings"):
            listed: list[Issue] = getattr(self.result, kind)
            total = len(listed) + self._counts[kind]
            for phase in sorted(self._issues[kind]):
                listed += self._issues[kind][phase]
            del listed[self.cap:]
            setattr(self.result, f"{kind}_more", getattr(self.result, f"{kind}_more") + total - len(listed))
            self._issues[kind], self._counts[kind] = {}, 0

    def _issue(self, sheet, row, key, message: str, column: str) -> Issue:
        if len(message) > MESSAGE_CHARS:
            message = message[:MESSAGE_CHARS - 1] + "…"
        return Issue(self.sheet_names.get(sheet, sheet), row, (column or self.col(sheet, key))[:MESSAGE_CHARS], message)

    @property
    def failed(self) -> bool:
        return bool(self._counts["errors"] or self.result.errors)

    def has_errors(self, sheet: str) -> bool:
        """Whether an error was found on `sheet` (canonical name)."""
        return sheet in self._error_sheets

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
