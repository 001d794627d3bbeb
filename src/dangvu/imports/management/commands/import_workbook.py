"""dangvu import PATH [--dry-run] — import a workbook (contracts §1, §2).

Exit 0 when the import is valid (and, without --dry-run, written); exit 1 with every error on
stderr, one per line ("Sheet DangVien, dòng 12, cột Ngày sinh: …"), when anything is wrong, in
which case nothing is written.
"""

from __future__ import annotations

import sys

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from dangvu.core.management.base import DangvuCommand
from dangvu.imports.results import ImportResult, Issue
from dangvu.imports.services import import_workbook

#: The words of the progress bars: each stage of `import_workbook`, and the unit counted.
STAGES = {"read": pgettext_lazy("import progress", "Reading"), "validate": pgettext_lazy("import progress", "Checking"),
          "write": pgettext_lazy("import progress", "Writing")}
UNIT = pgettext_lazy("import progress", "rows")


def stage_text(stage: str) -> str:
    """The bar's description of a stage ("read:DangVien" → "Đọc DangVien"), in the active language."""
    kind, _sep, sheet = stage.partition(":")
    return f"{STAGES.get(kind, kind)} {sheet}".strip()


class _Progress:
    """tqdm bars on stderr, one per stage, shown only for work that lasts (delay)."""

    def __init__(self, stream):
        self.stream = stream
        self.bar = None
        self.stage = None

    def __call__(self, stage: str, n: int, total: int | None) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            self.stage = stage
            # disable=None: no bar when stderr is not a terminal (pipes, logs, tests)
            self.bar = tqdm(total=total, desc=stage_text(stage), file=self.stream, delay=1.0, leave=False,
                            unit=f" {UNIT}", dynamic_ncols=True, mininterval=0.5, disable=None)
        if total is not None and self.bar.total != total:
            self.bar.total = total
        if n > self.bar.n:
            self.bar.update(n - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def issue_line(issue: Issue) -> str:
    """'Sheet DangVien, dòng 12, cột Ngày sinh: …' (the command line speaks Vietnamese, like 'Lỗi:')."""
    parts = []
    if issue.sheet:
        parts.append(f"Sheet {issue.sheet}")
    if issue.row:
        parts.append(f"dòng {issue.row}")
    if issue.column:
        parts.append(f"cột {issue.column}")
    return f"{', '.join(parts)}: {issue.message}" if parts else issue.message


class Command(DangvuCommand):
    help = gettext_lazy(
        "Import an Excel workbook (.xlsx) with the sheets ToChuc, DangVien, BienDong, XepLoai, or "
        "a folder / .zip file holding CSV files of the same names. All or nothing: on any error "
        "nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext_lazy("An .xlsx file, a folder of CSV files, or a .zip file of CSV files"))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("Only check and report; write nothing"))

    def handle(self, *args, path: str, dry_run: bool, **options):
        progress = _Progress(sys.stderr)
        try:
            result = import_workbook(path, dry_run=dry_run, actor=None, progress=progress)
        finally:
            progress.close()
        self._summary(result)
        if result.errors:
            file_level = [e for e in result.errors if not (e.sheet or e.row or e.column)]
            if file_level and len(file_level) == len(result.errors):
                self.fail("; ".join(e.message for e in file_level))
            for issue in result.errors:
                self.stderr.write(issue_line(issue))
            if result.errors_more:
                self.stderr.write(_("… and %(n)d more errors") % {"n": result.errors_more})
            n = result.error_count
            self.fail(ngettext("%(n)d error: nothing was written.", "%(n)d errors: nothing was written.", n) % {"n": n})

    def _summary(self, result: ImportResult) -> None:
        if result.errors and not any(c.rows for c in result.counts.values()):
            return
        if result.errors:
            title = _("Checked the workbook; it cannot be imported as it is.")
        elif result.dry_run:
            title = _("Dry run: the workbook is valid; nothing was written.")
        else:
            title = _("Imported in %(s).1f s.") % {"s": result.seconds}
        self.stdout.write(title)
        for sheet, c in result.counts.items():
            self.stdout.write("  " + _(
                "%(sheet)s: %(rows)d rows — %(created)d new, %(updated)d updated, %(unchanged)d unchanged"
            ) % {"sheet": sheet, "rows": c.rows, "created": c.created, "updated": c.updated, "unchanged": c.unchanged})
        if result.warnings:
            n = result.warning_count
            self.stdout.write(ngettext("%(n)d warning:", "%(n)d warnings:", n) % {"n": n})
            for w in result.warnings:
                self.stdout.write("  " + issue_line(w))
            if result.warnings_more:
                self.stdout.write("  " + _("… and %(n)d more warnings") % {"n": result.warnings_more})
