"""Import a workbook (contracts §2), all or nothing: read → context → checks → plan → write.

`import_workbook(source, dry_run=..., actor=...)` reads the sheets present (ToChuc, DangVien,
BienDong, XepLoai) cell by cell (`reading`), loads what the database holds about them set-based
(`context`: a bounded number of queries, none per row), checks organizations, members with their
events, and ratings with the domain's own check functions (`check_organizations`, `check_members`,
`check_ratings`, `rule_warnings`), which fill a plan (`plan`), and writes it through the domain
apps' bulk services (`writing`). Every error is listed with its sheet, the row as the user sees it
in Excel and the column as written. A dry run only checks. Otherwise the checks and the writing
share one transaction, committed only when no error was found: the organizations are written once
they pass, the members in chunks as they pass while the next ones are checked (on PostgreSQL the
server writes one chunk as Python checks the next: `core.bulk.write_behind`), then the profile
corrections, dissolutions and ratings; the first error stops the writing, the checks go on to list
them all, and everything is rolled back. On PostgreSQL, DangVien is read in two passes when its rows
can be read again cheaply (`Rows`): the codes and cells of all its rows first (what the context and the checks
of the whole sheet need), then each row parsed as the checks take it, so that the server writes the
first members while Python reads the next rows; the report lists the issues by stage
(`Report.phase`), as if each stage had run over the whole workbook.

Idempotency and differences with the database (documented choice):
- An organization with the same code and the same data is "unchanged". A new `Ngày giải thể`
  closes it and a new `Loại hình` corrects it ("updated"); a different name, kind, parent or
  establishment date is an error (renames and moves are dated events: record them in the app).
- A member with the same code: profile fields that differ are corrected ("updated"; an empty
  optional cell never clears a stored value). The admission, the first placement and the official
  date must match the database (an error otherwise), except that an official date or a card
  missing from the database is added as a new event ("updated").
- An event identical to a stored one (member, kind, date, cell, value) is skipped ("unchanged").
- A rating for the same year and member/organization with the same label is "unchanged";
  a different label replaces it ("updated").

Scope: when `actor` is a user (the web), administrators included, every organization, cell and
member touched must be in the user's scope, and new organizations go under a parent in it (so that
the user sees what was imported); otherwise a row error. The command line (no actor) is not limited.
"""

from __future__ import annotations

from collections.abc import Callable

from auditlog.models import LogEntry
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import acting_user, audit_context
from dangvu.core.bulk import gc_paused, page_cache, write_behind, writes_behind
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationPeriod

from .check_members import check_members
from .check_organizations import check_organizations
from .check_ratings import check_ratings
from .context import Context
from .plan import Plan
from .reading import read
from .results import CHECK_ORGANIZATIONS, RATINGS, WRITE, ImportResult, Issue, Report
from .rows import Rows
from .workbook import WorkbookError, open_workbook
from .writing import CHUNK_MEMBERS, MemberWriter, Rollback, write_organizations, write_rest

Progress = Callable[[str, int, int | None], None]


class _Invalid(Exception):
    """The checks found errors while writing: nothing was written (the counts stay as checked)."""


def import_workbook(source, *, dry_run: bool, actor=None, progress: Progress | None = None,
                    name: str | None = None) -> ImportResult:
    """Check `source` (a path, a folder of CSV files, a .zip of CSV files, or a file object with
    `name`) and, unless `dry_run` or there is any error, write it all in one transaction."""
    started = timezone.now()
    result = ImportResult(dry_run=dry_run)
    report = Report(result)
    progress = progress or (lambda stage, n, total: None)
    try:
        wb = open_workbook(source, name=name)
    except WorkbookError as exc:
        result.errors.append(Issue("", None, "", exc.message))
        return result
    with wb, gc_paused(), page_cache():
        try:
            ctx = Context(acting_user(actor), timezone.localdate())
            # two passes over DangVien only where the server writes while Python reads on
            rows = read(wb, report, ctx.today, progress, two_passes=not dry_run and writes_behind())
            if not report.failed and not any(c.rows for c in result.counts.values()):
                report.err("", None, None, _("The workbook contains no data rows."))
            elif rows.header_errors:
                rows.read_all()  # not checked, but every row read (its own errors listed)
            elif dry_run or report.failed:
                # Rows with errors are left out; everything else is still checked, so that one run
                # lists as many errors as possible.
                _check(rows, ctx, Plan(), report, progress)
            else:
                _check_and_write(rows, ctx, report, progress)
        except WorkbookError as exc:
            report.err("", None, None, exc.message)
        result.counts = {k: v for k, v in result.counts.items() if k in wb.sheets}  # only the sheets present
    report.close()
    result.sort()
    result.seconds = (timezone.now() - started).total_seconds()
    return result


def _check(rows: Rows, ctx: Context, plan: Plan, report: Report, progress: Progress, *, write: bool = False):
    """Every check. `write` (inside _check_and_write's transaction): once the organizations pass,
    write them, then each chunk of members as soon as it passes, while no error is found."""
    progress("validate", 0, None)
    ctx.load(rows)
    report.phase = CHECK_ORGANIZATIONS
    check_organizations(rows, ctx, plan, report)
    progress("validate", len(rows.orgs), None)
    writer = None
    if write and not report.failed:
        write_organizations(ctx, plan, report)
        writer = MemberWriter(ctx, plan, report)
        plan.keep_replays = True
    check_members(rows, ctx, plan, report, passed=writer.offer if writer else (lambda: None), progress=progress)
    report.phase = RATINGS
    check_ratings(rows, ctx, plan, report)
    progress("validate", 1, 1)
    report.phase = WRITE
    return writer


def _check_and_write(rows: Rows, ctx: Context, report: Report, progress: Progress) -> None:
    result, plan = report.result, Plan()
    try:
        with transaction.atomic(), audit_context(actor=ctx.actor, source="import"):
            with write_behind(reserve=_key_bounds(rows)):
                writer = _check(rows, ctx, plan, report, progress, write=True)
                if report.failed:
                    raise _Invalid()
                writer.flush()
            write_rest(ctx, plan, report)
            progress("write", 1, 1)
            result.written = True
    except _Invalid:
        result.written = False
    except Rollback:
        result.written = False
        report.reset_counts()
        rows.read_all()  # the checks stopped: the rows not read yet still have their own errors listed
    except DatabaseError as exc:  # e.g. a concurrent change broke a constraint: nothing was written
        result.written = False
        report.reset_counts()
        rows.read_all()
        report.phase = WRITE
        report.err("", None, None, _(
            "The database refused the import (%(error)s); nothing was written. Try again.") % {"error": exc})


def _key_bounds(rows: Rows) -> dict[str, int]:
    """{table: at most the rows that the organizations and members of this workbook insert}: their
    keys are drawn at once, before the checks (core.bulk.write_behind; unused ones are left as a gap
    in the sequence). A member row makes at most four events (admission, transfer in, official,
    card); each event starts at most one period; one audit entry per chunk of new members
    (`members.bulk.bulk_write`), per event of an existing member and per organization and its event."""
    n, m = len(rows.orgs), rows.member_count
    events = 4 * m + len(rows.events)
    return {Organization._meta.db_table: n, OrganizationEvent._meta.db_table: n,
            OrganizationPeriod._meta.db_table: n, Member._meta.db_table: m,
            MemberEvent._meta.db_table: events, MemberPeriod._meta.db_table: events + m,
            LogEntry._meta.db_table: 2 * n + m // CHUNK_MEMBERS + 2 + len(rows.events)}


__all__ = ["import_workbook"]
