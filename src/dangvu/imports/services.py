"""Import a workbook (contracts §2): validate everything in memory, then write it all or nothing.

`import_workbook(source, dry_run=..., actor=...)` reads the sheets present (ToChuc, DangVien,
BienDong, XepLoai), resolves every code in bulk (a bounded number of queries, none per row),
validates each row with the rules of the services (`members.services.clean_profile`, the
`check_cell` rule against an in-memory map of organization periods, `members.history.replay`
for each member's whole sequence of events, the organization tree rules), and collects every
error it can find with the sheet, the row number as the user sees it in Excel and the column
as written in the file. A dry run only checks. Otherwise the checks and the writing share one
transaction, and it is committed only when no error was found (any error rolls everything back,
so nothing is written):

1. new organizations, parents first, through `organizations.services` (audited), once the
   organizations have passed;
2. members and events through `members.bulk.bulk_write` (COPY/executemany, audited in bulk), in
   chunks of whole members written as soon as they pass, while the next ones are checked (on
   PostgreSQL the server writes one chunk as Python checks the next: `core.bulk.write_behind`);
   writing stops at the first error, the checks go on to list them all;
3. profile corrections of existing members (bulk update, audited);
4. dissolutions (`Ngày giải thể`), after the members' events, so that a cell whose members all
   moved away by that day can close; a cell that still has members that day is a row error;
5. ratings (bulk, audited). Ratings above the HTXSNV cap are kept and reported as warnings.

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

Scope: when `actor` is a user (the web), every organization, cell and member touched must be in
the user's scope (new organizations under a parent in scope); otherwise a row error. The command
line (no actor) is not limited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.accounts.selectors import is_admin, scope_roots
from dangvu.assessment import services as assessment
from dangvu.assessment.models import Rating
from dangvu.assessment.scales import MEMBER, ORGANIZATION
from dangvu.core.audit import acting_user, audit_context, log_bulk_created, log_bulk_updated
from dangvu.core.bulk import gc_paused, instance_factory, write_behind
from dangvu.core.dates import BEGINNING, format_date, parse_date
from dangvu.core.errors import DomainError
from dangvu.core.text import fold, fold_key
from dangvu.lifecycle.services import CARD_NUMBER
from dangvu.members import history
from dangvu.members import search as member_search_index
from dangvu.members.bulk import BulkErrors, bulk_write
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import (
    MINIMUM_AGE_YEARS,
    NAME_FIELDS,
    PROFILE_FIELDS,
    apply_name,
    check_member_code,
    clean_profile,
    years_between,
)
from dangvu.organizations.models import (
    ALLOWED_PARENT_KINDS,
    CELL_KINDS,
    GRASSROOTS_KINDS,
    Organization,
    OrganizationEvent,
    OrganizationKind,
    OrganizationPeriod,
)
from dangvu.organizations.selectors import subtree_q

from . import spec
from .spec import BIENDONG, DANGVIEN, SHEET_ORDER, TOCHUC, XEPLOAI
from .workbook import Workbook, WorkbookError, open_workbook

#: BienDong events checked against the rules of their date, as warnings (`_Importer._rule_warnings`).
RULE_CHECKED_KINDS = (E.EXEMPTED, E.BADGE_AWARDED, E.CARD_ISSUED, E.DISCIPLINED, E.EXPELLED)

CHUNK_MEMBERS = 2_000  # members (with all their events) written per bulk_write call: small, so that
# the server's work on the last one (write_behind) is a short tail
QUERY_CHUNK = 5_000  # values per IN (...) list
SAMPLE_ROWS = 10  # rows shown per kind of change in the preview
FAR_FUTURE = dt.timedelta(days=366)

Progress = Callable[[str, int, int | None], None]


# --- results ----------------------------------------------------------------------------------


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

    @property
    def ok(self) -> bool:
        return not self.errors

    def sample(self, sheet: str, action: str, text: str) -> None:
        rows = self.samples.setdefault(sheet, {}).setdefault(action, [])
        if len(rows) < SAMPLE_ROWS:
            rows.append(text)


# --- cell values ------------------------------------------------------------------------------


def text(v) -> str:
    """A cell as text: numbers typed as codes (1.0) become "1", real dates dd/mm/yyyy."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return format_date(v.date())
    if isinstance(v, dt.date):
        return format_date(v)
    return str(v).strip()


class _Dates:
    """parse_date with a cache (the same dates repeat a lot) and a plausible range."""

    def __init__(self):
        self.cache: dict = {}

    def __call__(self, v) -> dt.date | None:
        if v is None or v == "":
            return None
        if isinstance(v, dt.datetime):
            v = v.date()
        key = v.strip() if isinstance(v, str) else v
        if key == "":
            return None
        try:
            found = self.cache[key]
        except (KeyError, TypeError):
            found = self._parse(key)
            try:
                self.cache[key] = found
            except TypeError:  # pragma: no cover - unhashable
                pass
        if isinstance(found, DomainError):
            raise found
        return found

    @staticmethod
    def _parse(v):
        if isinstance(v, (int, float)):
            return DomainError(_("“%(value)s” is not a valid date (use dd/mm/yyyy).") % {"value": text(v)})
        try:
            d = parse_date(v)
        except DomainError as exc:
            return exc
        if d is not None and not (1890 <= d.year <= 2100):
            return DomainError(_("“%(value)s” is not a valid date (use dd/mm/yyyy).") % {"value": text(v)})
        return d


# --- rows as read -----------------------------------------------------------------------------


_REPEATING = {"general_education", "professional_qualification", "occupation", "place_of_birth", "home_town"}
_MEMOIZED = _REPEATING | {"religion", "political_theory_level"}  # few distinct values: cleaned once each


class OrgRow:
    __slots__ = ("row", "code", "name", "kind", "parent", "established_on", "dissolved_on", "unit_kind", "ok")


class MemberRow:
    __slots__ = ("row", "code", "profile", "admitted_on", "made_official_on", "cell", "placed_on", "card_number", "ok")


class EventRow:
    __slots__ = ("row", "member", "kind", "effective_on", "target", "value", "decision_number", "decision_date",
                 "issued_by", "note", "violation_on", "ok")


class RatingRow:
    __slots__ = ("row", "year", "code", "label", "level", "subject", "ok")


class Ev:
    """An event-like object for `history.replay` (cells are organization codes here)."""

    __slots__ = ("kind", "effective_on", "cell_id", "value", "pk", "src")

    def __init__(self, kind, effective_on, cell_id=None, value="", pk=None, src=None):
        self.kind, self.effective_on, self.cell_id, self.value, self.pk, self.src = (
            kind, effective_on, cell_id, value, pk, src)

    def same(self) -> tuple:
        return (self.kind, self.effective_on, self.cell_id or None, (self.value or "").strip())


@dataclass
class OrgPeriod:
    valid_from: dt.date
    valid_to: dt.date | None
    kind: str
    parent: str | None  # parent code
    name: str


class OrgInfo:
    """An organization as known to this import: from the database, from ToChuc, or both."""

    __slots__ = ("code", "id", "periods", "row", "db_name", "db_unit_kind", "closing_on", "first", "in_scope", "raw")

    def __init__(self, code):
        self.code = code
        self.id = None
        self.periods: list[OrgPeriod] = []
        self.row: OrgRow | None = None
        self.closing_on: dt.date | None = None  # dissolved by this import on that day
        self.first: OrgPeriod | None = None
        self.in_scope = True
        self.db_name = ""
        self.db_unit_kind = ""
        self.raw = None

    def period_on(self, day: dt.date) -> OrgPeriod | None:
        for p in self.periods:
            if p.valid_from <= day and (p.valid_to is None or p.valid_to > day):
                return p
        return None

    def exists_during(self, start: dt.date, end: dt.date) -> bool:
        return any(p.valid_from <= end and (p.valid_to is None or p.valid_to > start) for p in self.periods)

    def first_gap(self, start: dt.date, end: dt.date | None, kinds=CELL_KINDS) -> dt.date | None:
        """The first day of [start, end) on which this is not an organization of `kinds`, or None."""
        day = start
        for p in sorted(self.periods, key=lambda p: p.valid_from):
            if p.valid_to is not None and p.valid_to <= day:
                continue
            if p.valid_from > day or p.kind not in kinds:
                return day
            if p.valid_to is None:
                return None
            day = p.valid_to
            if end is not None and day >= end:
                return None
        return day if end is None or day < end else None


# --- the import -------------------------------------------------------------------------------


class _Rollback(Exception):
    """The writing failed: nothing was written (the counts are reset)."""


class _Invalid(Exception):
    """Validation found errors while writing: nothing was written (the counts stay as validated)."""


def import_workbook(source, *, dry_run: bool, actor=None, progress: Progress | None = None,
                    name: str | None = None) -> ImportResult:
    """Validate `source` (a path, a folder of CSV files, a .zip of CSV files, or a file object with
    `name`) and, unless `dry_run` or there is any error, write it all in one transaction."""
    started = timezone.now()
    result = ImportResult(dry_run=dry_run)
    try:
        wb = open_workbook(source, name=name)
    except WorkbookError as exc:
        result.errors.append(Issue("", None, "", exc.message))
        return result
    with wb, gc_paused():
        imp = _Importer(wb, result, actor=actor, progress=progress)
        try:
            imp.read()
            if not result.errors and not any(c.rows for c in result.counts.values()):
                result.errors.append(Issue("", None, "", _("The workbook contains no data rows.")))
            elif not imp.header_errors:
                # Rows with errors are left out; everything else is still checked, so that one run
                # lists as many errors as possible.
                if dry_run or result.errors:
                    imp.validate()
                else:
                    imp.validate_and_write()
        except WorkbookError as exc:
            result.errors.append(Issue("", None, "", exc.message))
        result.counts = {k: v for k, v in result.counts.items() if k in wb.sheets}  # only the sheets present
    result.errors.sort(key=lambda i: (_sheet_rank(i.sheet), i.row or 0))
    result.warnings.sort(key=lambda i: (_sheet_rank(i.sheet), i.row or 0))
    result.seconds = (timezone.now() - started).total_seconds()
    return result


def _sheet_rank(sheet: str) -> int:
    return SHEET_ORDER.index(sheet) + 1 if sheet in SHEET_ORDER else 0


class _Importer:
    def __init__(self, wb: Workbook, result: ImportResult, *, actor, progress: Progress | None):
        self.wb = wb
        self.result = result
        self.actor = acting_user(actor)
        self.progress = progress or (lambda stage, n, total: None)
        self.dates = _Dates()
        self.headers: dict[str, dict[str, str]] = {}  # sheet → column key → header as written
        self.sheet_names: dict[str, str] = {}  # canonical → as written (CSV: file name)
        self.org_rows: list[OrgRow] = []
        self.member_rows: list[MemberRow] = []
        self.event_rows: list[EventRow] = []
        self.rating_rows: list[RatingRow] = []
        self.today = timezone.localdate()
        self.orgs: dict[str, OrgInfo] = {}
        self.org_by_id: dict[int, OrgInfo] = {}
        self.scope_ids: set[int] | None = None
        # filled by validate()
        self.db_members: dict[str, dict] = {}
        self.stored: dict[int, list[Ev]] = {}
        self.member_updates: list[tuple[int, dict, dict]] = []  # (member id, old, new)
        self.new_events: dict[str, list[tuple[Ev, EventRow | MemberRow]]] = defaultdict(list)
        self.to_write: list[str] = []  # codes of the members whose events are written, in order
        self.member_info: dict[str, tuple] = {}  # code → (admitted_on, ended_on, periods) for ratings
        self.new_orgs: list[OrgInfo] = []
        self.org_updates: list[tuple[OrgInfo, str]] = []
        self.closings: list[OrgInfo] = []
        self.rating_new: list[RatingRow] = []
        self.rating_changed: list[tuple[Rating, RatingRow]] = []
        self.member_pk: dict[str, int] = {}
        self.new_member_rows: dict[str, MemberRow] = {}
        self.sink = None  # while validating and writing: writes the members validated so far (_MemberWriter)
        self.header_errors = 0
        self._clean_cache: dict = {}
        self._folded: dict[str, str] = {}
        self._profile_present: list[str] | None = None
        self._intern: dict[str, str] = {}

    # ---- helpers
    def err(self, sheet: str, row: int | None, key: str | None, message: str, *, column: str = "") -> None:
        self.result.errors.append(
            Issue(self.sheet_names.get(sheet, sheet), row, column or self.col(sheet, key), message))

    def warn(self, sheet: str, row: int | None, key: str | None, message: str, *, column: str = "") -> None:
        self.result.warnings.append(
            Issue(self.sheet_names.get(sheet, sheet), row, column or self.col(sheet, key), message))

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

    # ================================================================================ reading
    def read(self) -> None:
        for name in self.wb.unknown:
            self.warn("", None, None, _("The sheet “%(name)s” is not an import sheet; it was ignored.") % {"name": name})
        for sheet, src in self.wb.sheets.items():
            self.sheet_names[sheet] = sheet
            self.counts(sheet)
            parse = {TOCHUC: self._org_row, DANGVIEN: self._member_row, BIENDONG: self._event_row,
                     XEPLOAI: self._rating_row}[sheet]
            rows = src.rows()
            positions = None
            total = src.rows_estimate
            n = 0
            for rownum, values in rows:
                if positions is None:
                    if not any(text(v) for v in values):
                        continue
                    positions = self._header(sheet, rownum, values)
                    if positions is None:
                        break  # a required column is missing: the rows cannot be read
                    continue
                cells = {k: (values[i] if i < len(values) else "") for k, i in positions.items()}
                if not any(text(v) for v in cells.values()):
                    continue
                n += 1
                parse(rownum, cells)
                if n % 5000 == 0:
                    self.progress(f"read:{sheet}", n, total)
            self.counts(sheet).rows = n
            self.progress(f"read:{sheet}", n, n)
            if positions is None and not any(i.sheet == sheet for i in self.result.errors):
                self.warn(sheet, None, None, _("The sheet is empty."))

    def _header(self, sheet: str, rownum: int, values: list) -> dict[str, int] | None:
        index = spec.column_index(sheet)
        positions: dict[str, int] = {}
        written: dict[str, str] = {}
        for i, v in enumerate(values):
            t = text(v)
            if not t:
                continue
            col = index.get(fold_key(t))
            if col is None:
                self.warn(sheet, rownum, None, _("Unknown column “%(name)s”; it was ignored.") % {"name": t}, column=t)
            elif col.key in positions:
                self.header_errors += 1
                self.err(sheet, rownum, None, _("The column “%(name)s” appears twice.") % {"name": t}, column=t)
            else:
                positions[col.key] = i
                written[col.key] = t
        self.headers[sheet] = written
        missing = [c for c in spec.COLUMNS[sheet] if c.required and c.key not in positions]
        self.header_errors += len(missing)
        for c in missing:
            self.err(sheet, rownum, c.key, _("The required column “%(name)s” is missing.") % {"name": c.label})
        return None if missing else positions

    def _date(self, sheet, rownum, key, value, required=False) -> tuple[dt.date | None, bool]:
        try:
            d = self.dates(value)
        except DomainError as exc:
            self.err(sheet, rownum, key, exc.message)
            return None, False
        if d is None and required:
            self.err(sheet, rownum, key, _("This column is required."))
            return None, False
        return d, True

    def _required(self, sheet, rownum, key, value) -> str:
        t = text(value)
        if not t:
            self.err(sheet, rownum, key, _("This column is required."))
        return t

    def _org_row(self, rownum: int, c: dict) -> None:
        r = OrgRow()
        r.row = rownum
        ok = True
        r.code = self._required(TOCHUC, rownum, "code", c.get("code"))
        r.name = " ".join(self._required(TOCHUC, rownum, "name", c.get("name")).split())
        kind_text = self._required(TOCHUC, rownum, "kind", c.get("kind"))
        ok &= bool(r.code and r.name and kind_text)
        r.kind = spec.ORG_KINDS.get(fold_key(kind_text)) if kind_text else None
        if kind_text and r.kind is None:
            ok = False
            self.err(TOCHUC, rownum, "kind", _("Unknown organization type “%(v)s”; use one of: %(labels)s.") % {
                "v": kind_text, "labels": ", ".join(v[0] for v in spec.ORG_KIND_LABELS.values())})
        r.parent = text(c.get("parent")) or None
        r.established_on, good = self._date(TOCHUC, rownum, "established_on", c.get("established_on"))
        ok &= good
        r.dissolved_on, good = self._date(TOCHUC, rownum, "dissolved_on", c.get("dissolved_on"))
        ok &= good
        if r.established_on and r.dissolved_on and r.dissolved_on <= r.established_on:
            ok = False
            self.err(TOCHUC, rownum, "dissolved_on", _("The dissolution date must come after the establishment date."))
        if r.dissolved_on and r.dissolved_on > self.today + FAR_FUTURE:
            ok = False
            self.err(TOCHUC, rownum, "dissolved_on", _("The effective date is too far in the future."))
        unit = text(c.get("unit_kind"))
        r.unit_kind = spec.UNIT_KINDS.get(fold_key(unit), None) if unit else ""
        if r.unit_kind is None:
            ok = False
            self.err(TOCHUC, rownum, "unit_kind", _("Unknown unit kind “%(v)s”; use one of: %(labels)s.") % {
                "v": unit, "labels": ", ".join(v[0] for v in spec.UNIT_KIND_LABELS.values())})
        if r.code and r.parent == r.code:
            ok = False
            self.err(TOCHUC, rownum, "parent", _("An organization cannot be placed under itself or its own descendant."))
        r.ok = ok
        self.org_rows.append(r)

    _PROFILE_KEYS = ("full_name", "birth_date", "sex", "ethnicity", "religion", *[
        k for k in PROFILE_FIELDS if k != "religion"])

    def _member_row(self, rownum: int, c: dict) -> None:
        r = MemberRow()
        r.row = rownum
        ok = True
        r.code = self._required(DANGVIEN, rownum, "code", c.get("code"))
        if r.code:
            try:
                check_member_code(r.code)  # the code is part of the member's address (/members/<code>/)
            except DomainError as exc:
                self.err(DANGVIEN, rownum, "code", exc.message)
                ok = False
        name = self._required(DANGVIEN, rownum, "full_name", c.get("full_name"))
        birth, good = self._date(DANGVIEN, rownum, "birth_date", c.get("birth_date"), required=True)
        ok &= good and bool(r.code and name)
        sex_text = self._required(DANGVIEN, rownum, "sex", c.get("sex"))
        eth_text = self._required(DANGVIEN, rownum, "ethnicity", c.get("ethnicity"))
        ok &= bool(sex_text and eth_text)
        data: dict = {}
        # clean_profile, field by field so that every bad cell of the row is reported; the
        # categorical fields repeat a lot, so their results are memoized.
        for key, value, memo in (
            ("full_name", name or None, False),
            ("birth_date", birth, True),
            ("sex", spec.SEXES.get(self._fold_key(sex_text), sex_text) if sex_text else None, True),
            ("ethnicity", eth_text or None, True),
        ):
            if value is None:
                continue
            try:
                data[key] = self._clean(key, value, memo)
            except DomainError as exc:
                ok = False
                self.err(DANGVIEN, rownum, exc.field or key, exc.message)
        present = self._profile_present
        if present is None:  # the profile columns of this sheet, in PROFILE_FIELDS order
            present = self._profile_present = [k for k in PROFILE_FIELDS if k in c]
        for key in present:
            t = text(c[key])
            if key == "political_theory_level" and t:
                t = spec.THEORY.get(self._fold_key(t), t)
            if not t and key != "religion":
                continue
            if key in _REPEATING:
                t = self._intern.setdefault(t, t)  # one copy of each repeated text: memory of big files
            try:
                data[key] = self._clean(key, t, key in _MEMOIZED)
            except DomainError as exc:
                ok = False
                self.err(DANGVIEN, rownum, exc.field or key, exc.message)
        r.profile = tuple(map(data.get, self._PROFILE_KEYS))
        r.admitted_on, good = self._date(DANGVIEN, rownum, "admitted_on", c.get("admitted_on"), required=True)
        ok &= good
        r.made_official_on, good = self._date(DANGVIEN, rownum, "made_official_on", c.get("made_official_on"))
        ok &= good
        r.placed_on, good = self._date(DANGVIEN, rownum, "placed_on", c.get("placed_on"))
        ok &= good
        r.cell = self._intern.setdefault(cell := self._required(DANGVIEN, rownum, "cell", c.get("cell")), cell)
        ok &= bool(r.cell)
        r.card_number = text(c.get("card_number"))
        if r.admitted_on:
            if birth and years_between(birth, r.admitted_on) < MINIMUM_AGE_YEARS:
                ok = False
                self.err(DANGVIEN, rownum, "admitted_on", _(
                    "The member was under %(n)d years old on the admission date.") % {"n": MINIMUM_AGE_YEARS})
            if r.admitted_on > self.today:
                ok = False
                self.err(DANGVIEN, rownum, "admitted_on", _("The admission date is in the future."))
            if r.placed_on and r.placed_on < r.admitted_on:
                ok = False
                self.err(DANGVIEN, rownum, "placed_on", _("The placement cannot begin before the admission date."))
        for key in ("made_official_on", "placed_on"):
            d = getattr(r, key)
            if d and d > self.today + FAR_FUTURE:
                ok = False
                self.err(DANGVIEN, rownum, key, _("The effective date is too far in the future."))
        if r.card_number and not r.made_official_on:
            ok = False
            self.err(DANGVIEN, rownum, "card_number", _("Party cards are issued to official members only."))
        r.placed_on = r.placed_on or r.admitted_on
        r.ok = ok
        self.member_rows.append(r)

    def _fold_key(self, t: str) -> str:
        """fold_key of a categorical cell (few distinct values), memoized."""
        folded = self._folded.get(t)
        if folded is None:
            folded = self._folded[t] = fold_key(t)
        return folded

    def _clean(self, key: str, value, memo: bool):
        """clean_profile's value for one field (DomainError when the value is refused)."""
        if not memo:
            return clean_profile({key: value})[key]
        hit = self._clean_cache.get((key, value))
        if hit is None:
            try:
                hit = clean_profile({key: value})[key]
            except DomainError as exc:
                hit = exc
            self._clean_cache[(key, value)] = hit
        if isinstance(hit, DomainError):
            raise hit
        return hit

    def _event_row(self, rownum: int, c: dict) -> None:
        r = EventRow()
        r.row = rownum
        ok = True
        r.member = self._required(BIENDONG, rownum, "member", c.get("member"))
        kind_text = self._required(BIENDONG, rownum, "kind", c.get("kind"))
        ok &= bool(r.member and kind_text)
        r.kind = spec.EVENT_KINDS.get(fold_key(kind_text)) if kind_text else None
        if kind_text and r.kind is None:
            ok = False
            self.err(BIENDONG, rownum, "kind", _("Unknown event type “%(v)s”; use one of: %(labels)s.") % {
                "v": kind_text, "labels": ", ".join(spec.TEMPLATE_EVENT_LABELS)})
        r.effective_on, good = self._date(BIENDONG, rownum, "effective_on", c.get("effective_on"), required=True)
        ok &= good
        if r.effective_on and r.effective_on > self.today + FAR_FUTURE:
            ok = False
            self.err(BIENDONG, rownum, "effective_on", _("The effective date is too far in the future."))
        r.target = text(c.get("target")) or None
        r.value = text(c.get("value"))
        if r.kind in spec.EVENT_KINDS_WITH_TARGET:
            if not r.target:
                ok = False
                self.err(BIENDONG, rownum, "target", _("The destination cell is required."))
        elif r.target and r.kind:
            self.warn(BIENDONG, rownum, "target", _("Only used for a move, a transfer in, a restoration or a "
                                                    "readmission; it was ignored."))
            r.target = None
        if r.kind == E.DISCIPLINED:
            form = spec.DISCIPLINE_FORMS.get(fold_key(r.value))
            if form is None:
                ok = False
                self.err(BIENDONG, rownum, "value", _("The disciplinary form must be one of: %(forms)s.") % {
                    "forms": ", ".join(R.DISCIPLINE_FORM_NAMES_VI[k] for k in spec.DISCIPLINE_FORMS.values())})
            r.value = form or r.value
        elif r.kind == E.CARD_ISSUED:
            if not r.value:
                ok = False
                self.err(BIENDONG, rownum, "value", _("The card number is required."))
        elif r.kind == E.BADGE_AWARDED:
            m = re.fullmatch(r"\s*(\d+)\s*(nam|năm)?\s*", fold(r.value) or "")
            years = int(m.group(1)) if m else None
            if years not in history.BADGE_MILESTONES:
                ok = False
                self.err(BIENDONG, rownum, "value", _("The badge milestone must be one of %(m)s years.") % {
                    "m": ", ".join(map(str, history.BADGE_MILESTONES))})
            r.value = str(years) if years else r.value
        elif r.kind is not None and r.value:
            r.value = ""  # no value for this kind
        r.decision_number = text(c.get("decision_number"))[:64]
        r.decision_date, good = self._date(BIENDONG, rownum, "decision_date", c.get("decision_date"))
        ok &= good
        r.issued_by = text(c.get("issued_by"))[:255]
        r.note = text(c.get("note"))
        r.violation_on, good = self._date(BIENDONG, rownum, "violation_on", c.get("violation_on"))
        ok &= good
        if r.violation_on and r.kind not in (E.DISCIPLINED, E.EXPELLED):
            self.warn(BIENDONG, rownum, "violation_on", _("Only used for discipline; it was ignored."))
            r.violation_on = None
        r.ok = ok
        self.event_rows.append(r)

    def _rating_row(self, rownum: int, c: dict) -> None:
        r = RatingRow()
        r.row = rownum
        r.level = r.subject = None
        ok = True
        year_text = self._required(XEPLOAI, rownum, "year", c.get("year"))
        r.year = None
        if year_text:
            try:
                r.year = assessment.check_year(year_text)
            except DomainError as exc:
                self.err(XEPLOAI, rownum, "year", exc.message)
        r.code = self._required(XEPLOAI, rownum, "code", c.get("code"))
        r.label = " ".join(self._required(XEPLOAI, rownum, "label", c.get("label")).split())
        r.ok = ok and bool(r.year and r.code and r.label)
        self.rating_rows.append(r)

    # ================================================================================ resolving
    def _load_scope(self) -> None:
        if self.actor is None or is_admin(self.actor):
            return  # the command line and administrators are not limited to a subtree
        self.scope_ids = set(Organization.objects.filter(subtree_q(scope_roots(self.actor))).values_list("pk", flat=True))

    def _load_orgs(self, codes: Iterable[str] = (), ids: Iterable[int] = ()) -> None:
        """Load organizations (by code or id) with their periods, and all their ancestors."""
        todo_codes = {c for c in codes if c and c not in self.orgs}
        todo_ids = {i for i in ids if i is not None and i not in self.org_by_id}
        while todo_codes or todo_ids:
            found: list[tuple[int, str, str, str]] = []
            cols = ("pk", "code", "name", "unit_kind")
            for chunk in _chunks(sorted(todo_codes), QUERY_CHUNK):
                found += Organization.objects.filter(code__in=chunk).values_list(*cols)
            for chunk in _chunks(sorted(todo_ids), QUERY_CHUNK):
                found += Organization.objects.filter(pk__in=chunk).values_list(*cols)
            todo_codes, todo_ids = set(), set()
            new = []
            for pk, code, name, unit_kind in found:
                if pk in self.org_by_id:
                    continue
                info = self.orgs.get(code) or OrgInfo(code)
                info.id, info.db_name, info.db_unit_kind = pk, name, unit_kind
                self.orgs[code] = info
                self.org_by_id[pk] = info
                new.append(info)
            parents: set[int] = set()
            raw: dict[int, list] = defaultdict(list)
            for chunk in _chunks([i.id for i in new], QUERY_CHUNK):
                for row in OrganizationPeriod.objects.filter(organization_id__in=chunk).values_list(
                    "organization_id", "valid_from", "valid_to", "kind", "parent_id", "name"
                ):
                    raw[row[0]].append(row)
                    if row[4] is not None and row[4] not in self.org_by_id:
                        parents.add(row[4])
            for info in new:
                info.raw = raw.get(info.id, [])
            todo_ids = parents
        # resolve parent ids to codes once every ancestor is known
        for info in self.orgs.values():
            if info.raw is None:
                continue
            info.periods = sorted(
                (OrgPeriod(f, t, k, self.org_by_id[p].code if p in self.org_by_id else None, n)
                 for _, f, t, k, p, n in info.raw),
                key=lambda p: p.valid_from,
            )
            info.raw = None

    def validate(self, *, write: bool = False) -> None:
        """Check everything. `write` (inside validate_and_write's transaction): once the organizations
        pass, write them, then each chunk of members as soon as it passes, while no error is found."""
        self.progress("validate", 0, None)
        self._load_scope()
        # Codes referenced anywhere.
        org_codes = {r.code for r in self.org_rows if r.code} | {r.parent for r in self.org_rows if r.parent}
        org_codes |= {r.cell for r in self.member_rows if r.cell} | {r.target for r in self.event_rows if r.target}
        member_codes = {r.code for r in self.member_rows if r.code} | {r.member for r in self.event_rows if r.member}
        rating_codes = {r.code for r in self.rating_rows if r.code}
        self._load_members(member_codes | rating_codes)
        # Stored events of existing members in DangVien/BienDong; periods of rated existing members.
        touched_ids = [self.db_members[c]["id"] for c in member_codes if c in self.db_members]
        cell_ids = self._load_stored_events(touched_ids)
        rated_ids = [self.db_members[c]["id"] for c in rating_codes if c in self.db_members]
        db_periods = self._load_member_periods(rated_ids)
        cell_ids |= {p[0] for ps in db_periods.values() for p in ps}
        cell_ids |= {m["cell_id"] for m in self.db_members.values()}
        self._load_orgs(codes=org_codes | (rating_codes - set(self.db_members)), ids=cell_ids)
        # Children of existing organizations that this import dissolves.
        closing_ids = [self.orgs[r.code].id for r in self.org_rows
                       if r.ok and r.dissolved_on and r.code in self.orgs and self.orgs[r.code].id]
        if closing_ids:
            child_ids = set()
            for chunk in _chunks(closing_ids, QUERY_CHUNK):
                child_ids |= set(OrganizationPeriod.objects.filter(parent_id__in=chunk).values_list(
                    "organization_id", flat=True))
            self._load_orgs(ids=child_ids)
        for info in self.orgs.values():
            info.first = info.periods[0] if info.periods else None
            if self.scope_ids is not None and info.id is not None:
                info.in_scope = info.id in self.scope_ids
        self._validate_orgs()
        self.progress("validate", len(self.org_rows), None)
        if write and not self.result.errors:
            self._write_orgs()
            self.sink = _MemberWriter(self)
        self._validate_members()
        self._validate_ratings(db_periods)
        self.progress("validate", 1, 1)

    def _load_members(self, codes: set[str]) -> None:
        fields = ["id", "code", "cell_id", "admitted_on", "ended_on", "status", "exempted", "made_official_on",
                  *self._PROFILE_KEYS]
        for chunk in _chunks(sorted(c for c in codes if c), QUERY_CHUNK):
            for row in Member.objects.filter(code__in=chunk).values(*fields):
                self.db_members[row["code"]] = row

    def _load_stored_events(self, member_ids: list[int]) -> set[int]:
        cells: set[int] = set()
        for chunk in _chunks(sorted(member_ids), QUERY_CHUNK):
            for pk, mid, kind, day, cell_id, value in MemberEvent.objects.filter(member_id__in=chunk).values_list(
                "pk", "member_id", "kind", "effective_on", "cell_id", "value"
            ):
                self.stored.setdefault(mid, []).append(Ev(kind, day, cell_id, value, pk))
                if cell_id:
                    cells.add(cell_id)
        return cells

    def _load_member_periods(self, member_ids: list[int]) -> dict[int, list[tuple]]:
        out: dict[int, list[tuple]] = defaultdict(list)
        for chunk in _chunks(sorted(member_ids), QUERY_CHUNK):
            for mid, cell_id, f, t in MemberPeriod.objects.filter(member_id__in=chunk).values_list(
                "member_id", "cell_id", "valid_from", "valid_to"
            ):
                out[mid].append((cell_id, f, t))
        return out

    # ================================================================================ organizations
    def _validate_orgs(self) -> None:
        seen: dict[str, int] = {}
        rows: list[OrgRow] = []
        for r in self.org_rows:
            if r.code and r.code in seen:
                r.ok = False
                self.err(TOCHUC, r.row, "code", _("The code %(code)s is already used on row %(row)d.") % {
                    "code": r.code, "row": seen[r.code]})
                continue
            if r.code:
                seen[r.code] = r.row
            if r.ok:
                rows.append(r)
        # Register the new organizations (one period each) before checking parents.
        for r in rows:
            info = self.orgs.get(r.code)
            if info is not None and info.id is not None:
                info.row = r
                continue
            info = OrgInfo(r.code)
            info.row = r
            info.periods = [OrgPeriod(r.established_on or BEGINNING, r.dissolved_on, r.kind, r.parent, r.name)]
            info.first = info.periods[0]
            self.orgs[r.code] = info
        # Parents first (topological order); cycles among new rows are errors.
        order: list[OrgInfo] = []
        state: dict[str, int] = {}

        def visit(info: OrgInfo, path: list[str]) -> bool:
            s = state.get(info.code)
            if s in (2, 3):
                return s == 2
            if s == 1:
                self.err(TOCHUC, info.row.row, "parent", _("The parent codes form a cycle: %(codes)s.") % {
                    "codes": " → ".join([*path, info.code])})
                return False
            state[info.code] = 1
            parent = self.orgs.get(info.row.parent) if info.row.parent else None
            ok = True
            if parent is not None and parent.id is None and parent.row is not None:
                ok = visit(parent, [*path, info.code])
            state[info.code] = 2 if ok else 3
            if ok:
                order.append(info)
            return ok

        for r in rows:
            info = self.orgs[r.code]
            if info.id is None:
                visit(info, [])
        for r in rows:
            info = self.orgs[r.code]
            if info.id is not None:
                self._check_existing_org(info, r)
        failed: set[str] = set()
        for info in order:
            if info.row.parent in failed:
                failed.add(info.code)
                continue
            if not self._check_new_org(info, info.row):
                failed.add(info.code)
                continue
            self.new_orgs.append(info)
        c = self.counts(TOCHUC)
        for info in self.new_orgs:
            c.created += 1
            self.result.sample(TOCHUC, "created", f"{info.code} — {info.row.name}")

    def _check_new_org(self, info: OrgInfo, r: OrgRow) -> bool:
        day = r.established_on or BEGINNING
        if r.parent is None:
            if r.kind in (OrganizationKind.PARTIAL_COMMITTEE, OrganizationKind.SUBORDINATE_CELL):
                self.err(TOCHUC, r.row, "parent", _("This kind of organization needs a parent organization."))
                return False
            if self.scope_ids is not None:
                self.err(TOCHUC, r.row, "parent", _("Organization %(code)s is outside your scope.") % {"code": r.code})
                return False
        else:
            parent = self.orgs.get(r.parent)
            if parent is None or (parent.id is None and parent.row is None):
                self.err(TOCHUC, r.row, "parent", _("Unknown parent organization code %(code)s.") % {"code": r.parent})
                return False
            if not parent.in_scope:
                self.err(TOCHUC, r.row, "parent", _("Organization %(code)s is outside your scope.") % {"code": r.parent})
                return False
            period = parent.period_on(day)
            if period is None and r.established_on is None and parent.first is not None:
                self.err(TOCHUC, r.row, "established_on", _(
                    "The parent organization %(parent)s exists from %(day)s; enter this organization's "
                    "establishment date.") % {"parent": r.parent, "day": format_date(parent.first.valid_from)})
                return False
            if period is None:
                self.err(TOCHUC, r.row, "parent", _("The parent organization %(parent)s does not exist on %(day)s.") % {
                    "parent": r.parent, "day": format_date(day)})
                return False
            if period.kind not in ALLOWED_PARENT_KINDS[r.kind]:
                self.err(TOCHUC, r.row, "kind", _("A %(kind)s cannot be placed under a %(parent_kind)s.") % {
                    "kind": OrganizationKind(r.kind).label, "parent_kind": OrganizationKind(period.kind).label})
                return False
            # the parent must outlive the child's existence, unless the parent is dissolved by this
            # import (then its own row reports the living children)
            gap = parent.first_gap(day, r.dissolved_on, kinds=tuple(OrganizationKind.values))
            if gap is not None and not (parent.row is not None and parent.row.dissolved_on == gap):
                self.err(TOCHUC, r.row, "parent", _("The parent organization %(parent)s does not exist on %(day)s.") % {
                    "parent": r.parent, "day": format_date(gap)})
                return False
        if r.dissolved_on:
            info.closing_on = r.dissolved_on
            self.closings.append(info)
        return True

    def _check_existing_org(self, info: OrgInfo, r: OrgRow) -> None:
        if not info.in_scope:
            self.err(TOCHUC, r.row, "code", _("Organization %(code)s is outside your scope.") % {"code": r.code})
            return
        first, last = info.first, (info.periods[-1] if info.periods else None)
        names = {p.name for p in info.periods} | {info.db_name}
        ok = True
        if r.name not in names:
            ok = False
            self.err(TOCHUC, r.row, "name", _(
                "The name differs from the database (%(name)s); rename the organization in the application.") % {
                "name": info.db_name})
        if first is not None and r.kind not in (first.kind, last.kind):
            ok = False
            self.err(TOCHUC, r.row, "kind", _(
                "The type differs from the database (%(kind)s); change it in the application.") % {
                "kind": OrganizationKind(last.kind).label})
        if first is not None and r.parent not in (first.parent, last.parent):
            ok = False
            self.err(TOCHUC, r.row, "parent", _(
                "The parent differs from the database (%(code)s); move the organization in the application.") % {
                "code": last.parent or "—"})
        db_est = first.valid_from if first and first.valid_from != BEGINNING else None
        if r.established_on != db_est:
            ok = False
            self.err(TOCHUC, r.row, "established_on", _(
                "The establishment date differs from the database (%(day)s).") % {"day": format_date(db_est) or "—"})
        db_end = last.valid_to if last else None
        changed = []
        if last is None:
            ok = False
        elif r.dissolved_on != db_end:
            if db_end is not None:
                ok = False
                self.err(TOCHUC, r.row, "dissolved_on", _(
                    "The organization was dissolved on %(day)s according to the database.") % {
                    "day": format_date(db_end)})
            elif r.dissolved_on <= last.valid_from:
                ok = False
                self.err(TOCHUC, r.row, "dissolved_on", _(
                    "The dissolution date must come after the last change recorded (%(day)s).") % {
                    "day": format_date(last.valid_from)})
            else:
                changed.append("dissolved_on")
        if r.unit_kind and r.unit_kind != info.db_unit_kind:
            changed.append("unit_kind")
        if not ok:
            return
        c = self.counts(TOCHUC)
        if not changed:
            c.unchanged += 1
            return
        c.updated += 1
        self.result.sample(TOCHUC, "updated", f"{r.code} — {r.name}")
        if "unit_kind" in changed:
            self.org_updates.append((info, r.unit_kind))
        if "dissolved_on" in changed:
            info.closing_on = r.dissolved_on
            last.valid_to = r.dissolved_on
            self.closings.append(info)

    def _cell_error(self, code: str | None, day: dt.date) -> str | None:
        """check_cell's rule, in memory: the message when `code` is not a chi bộ existing on `day`."""
        info = self.orgs.get(code) if code else None
        if info is None or (info.id is None and info.row is None):
            return _("Unknown party cell code %(code)s.") % {"code": code}
        if not info.in_scope:
            return _("Organization %(code)s is outside your scope.") % {"code": code}
        period = info.period_on(day)
        if period is None:
            name = info.first.name if info.first else code
            return _("%(cell)s does not exist on %(day)s.") % {"cell": name, "day": format_date(day)}
        if period.kind not in CELL_KINDS:
            return _("%(org)s is not a party cell (chi bộ); members are placed only in cells.") % {"org": period.name}
        return None

    # ================================================================================ members
    def _row_events(self, r: MemberRow) -> list[Ev]:
        """The events a DangVien row stands for (as member_register records them)."""
        evs = [Ev(E.ADMITTED, r.admitted_on, r.cell if r.placed_on == r.admitted_on else None, "",
                  src=(DANGVIEN, r.row, "admitted_on"))]
        if r.placed_on != r.admitted_on:
            evs.append(Ev(E.TRANSFERRED_IN, r.placed_on, r.cell, "", src=(DANGVIEN, r.row, "placed_on")))
        if r.made_official_on:
            evs.append(Ev(E.MADE_OFFICIAL, r.made_official_on, None, "", src=(DANGVIEN, r.row, "made_official_on")))
        if r.card_number:
            evs.append(Ev(E.CARD_ISSUED, max(r.made_official_on, r.placed_on), None, r.card_number,
                          src=(DANGVIEN, r.row, "card_number")))
        return evs

    def _validate_members(self) -> None:
        rows_by_code: dict[str, MemberRow] = {}
        bad_members: set[str] = set()
        for r in self.member_rows:
            if not r.code:
                continue
            if r.code in rows_by_code:
                self.err(DANGVIEN, r.row, "code", _("The code %(code)s is already used on row %(row)d.") % {
                    "code": r.code, "row": rows_by_code[r.code].row})
                bad_members.add(r.code)
                continue
            rows_by_code[r.code] = r
            if not r.ok:
                bad_members.add(r.code)
                continue
            msg = self._cell_error(r.cell, r.placed_on)
            if msg:
                self.err(DANGVIEN, r.row, "cell", msg)
                r.ok = False
                bad_members.add(r.code)
            db = self.db_members.get(r.code)
            if db is not None and self.scope_ids is not None and db["cell_id"] not in self.scope_ids:
                self.err(DANGVIEN, r.row, "code", _(
                    "A member with code %(code)s already exists outside your scope.") % {"code": r.code})
                r.ok = False
                bad_members.add(r.code)
        events_by_member: dict[str, list[EventRow]] = defaultdict(list)
        seen_events: dict[tuple, int] = {}
        for e in self.event_rows:
            if not e.member:
                continue
            if e.member not in rows_by_code and e.member not in self.db_members:
                self.err(BIENDONG, e.row, "member", _("Unknown member code %(code)s.") % {"code": e.member})
                continue
            if e.member not in rows_by_code:
                db = self.db_members[e.member]
                if self.scope_ids is not None and db["cell_id"] not in self.scope_ids:
                    self.err(BIENDONG, e.row, "member", _("Member %(code)s is outside your scope.") % {"code": e.member})
                    bad_members.add(e.member)
                    continue
            if not e.ok:
                bad_members.add(e.member)
                continue
            if e.target:
                msg = self._cell_error(e.target, e.effective_on)
                if msg:
                    self.err(BIENDONG, e.row, "target", msg)
                    bad_members.add(e.member)
                    continue
            key = (e.member, e.kind, e.effective_on, e.target, e.value)
            if key in seen_events:
                self.warn(BIENDONG, e.row, None, _("The same event is already on row %(row)d; it was skipped.") % {
                    "row": seen_events[key]})
                continue
            seen_events[key] = e.row
            events_by_member[e.member].append(e)

        rated = {r.code for r in self.rating_rows if r.code}
        closing = {i.code: i.closing_on for i in self.closings}
        occupants: dict[str, list[tuple[str, EventRow | MemberRow | None]]] = defaultdict(list)
        cm, ce = self.counts(DANGVIEN), self.counts(BIENDONG)
        codes = list(rows_by_code) + [c for c in events_by_member if c not in rows_by_code]
        for n, code in enumerate(codes, start=1):
            if n % 5000 == 0:
                self.progress("validate", n, len(codes))
            if code in bad_members:
                continue
            row = rows_by_code.get(code)
            db = self.db_members.get(code)
            stored = [self._stored_ev(ev) for ev in self.stored.get(db["id"], [])] if db else []
            stored_keys = {ev.same() for ev in stored}
            new: list[tuple[Ev, object]] = []
            row_changed = False
            if row is not None:
                derived = self._row_events(row)
                if db is None:
                    new += [(ev, row) for ev in derived]
                else:
                    extra, problems = self._compare_member(row, db, derived, stored)
                    if problems:
                        continue
                    new += [(ev, row) for ev in extra]
                    row_changed = bool(extra)
                    profile_changes = self._profile_changes(row, db)
                    if profile_changes:
                        row_changed = True
                        self.member_updates.append((db["id"], {k: db[k] for k in profile_changes}, profile_changes))
            unchanged_events = 0
            for e in events_by_member.get(code, []):
                ev = Ev(e.kind, e.effective_on, e.target, e.value, src=(BIENDONG, e.row, "kind"))
                if ev.same() in stored_keys:
                    unchanged_events += 1
                    continue
                new.append((ev, e))
            ce.unchanged += unchanged_events
            if not new and db is not None:
                if row is not None and row_changed:
                    cm.updated += 1
                    self.result.sample(DANGVIEN, "updated", f"{code} — {row.profile[0]}")
                elif row is not None:
                    cm.unchanged += 1
                if code in rated:
                    self.member_info[code] = None  # use the stored periods
                continue
            first_new = min(ev.effective_on for ev, _src in new)
            try:
                periods, state = history.replay([*stored, *[ev for ev, _src in new]])
            except DomainError as exc:
                ev = getattr(exc, "event", None)
                src = getattr(ev, "src", None)
                if src is None:  # a stored event broke: point at the first new row of this member
                    src = next(((ev.src[0], ev.src[1], "kind") for ev, _s in new if ev.src), (DANGVIEN, None, None))
                self.err(src[0], src[1], src[2], exc.message)
                continue
            # Every placement must lie in a cell that exists (as a chi bộ) for as long as it lasts.
            bad = False
            for p in periods:
                start = max(p.valid_from, first_new)
                if p.valid_to is not None and p.valid_to <= start:
                    continue
                info = self.orgs.get(p.cell_id)
                gap = info.first_gap(start, p.valid_to) if info else start
                if gap is None:
                    continue
                if closing.get(p.cell_id) == gap:
                    occupants[p.cell_id].append((code, None))
                    continue
                src = next((ev.src for ev, _s in new if ev.cell_id == p.cell_id and ev.src), None)
                src = src or next((ev.src for ev, _s in new if ev.src), (DANGVIEN, None, None))
                self.err(src[0], src[1], "target" if src[0] == BIENDONG else "cell",
                         _("%(cell)s does not exist on %(day)s.") % {
                             "cell": info.first.name if info and info.first else p.cell_id, "day": format_date(gap)})
                bad = True
                break
            if bad:
                continue
            if any(isinstance(src, EventRow) and ev.kind in RULE_CHECKED_KINDS for ev, src in new):
                profile = row.profile if row is not None else (None, db["birth_date"], db["sex"])
                self._rule_warnings(profile[1], profile[2], state.admitted_on, [*stored, *(ev for ev, _s in new)], new)
            if code in rated:
                self.member_info[code] = (state.admitted_on, state.ended_on,
                                          [(p.cell_id, p.valid_from, p.valid_to) for p in periods])
            if row is not None:
                if db is None:
                    self.new_member_rows[code] = row
                    cm.created += 1
                    self.result.sample(DANGVIEN, "created", f"{code} — {row.profile[0]}")
                elif row_changed:
                    cm.updated += 1
                    self.result.sample(DANGVIEN, "updated", f"{code} — {row.profile[0]}")
                else:
                    cm.unchanged += 1
            self.to_write.append(code)
            for ev, src in new:
                if db is None and not isinstance(src, EventRow):
                    continue  # a new member's own events are made again from its row when writing
                self.new_events[code].append((ev, src))
                if isinstance(src, EventRow):
                    ce.created += 1
                    arrow = f" → {ev.cell_id}" if ev.cell_id else ""
                    self.result.sample(BIENDONG, "created",
                                       f"{code} — {E(ev.kind).label} {format_date(ev.effective_on)}{arrow}")
            if self.sink is not None:
                self.sink.offer()
        self._check_closings(occupants, set(self.to_write))

    def _rule_warnings(self, birth: dt.date | None, sex: str | None, admitted_on: dt.date, events: list[Ev],
                       new: list[tuple[Ev, object]]) -> None:
        """Warnings for the BienDong rows of one member checked against the rules in force on each
        event's date (dangvu.regulations): history is kept as recorded, like ratings above a cap.
        `events` are all the member's events (stored and new), replayed already."""
        rows = {id(ev): src for ev, src in new if isinstance(src, EventRow) and ev.kind in RULE_CHECKED_KINDS}
        awarded: list[int] = []
        discipline: list[tuple[str, dt.date]] = []
        for ev in history.sort_events(events):
            r = rows.get(id(ev))
            day = ev.effective_on
            if r is not None:
                rules = R.rules_on(day)
                key, reason = "value", None
                if ev.kind == E.EXEMPTED and birth and sex:
                    reason = next((f.text for f in R.exemption_check(birth, sex, day, rules, medical_record=True)
                                   if f.code == "exemption.too_young"), None)
                    key = "effective_on"
                elif ev.kind == E.BADGE_AWARDED:  # lower badges may predate the records: taken as awarded
                    lower = [m for m in rules.badge_milestones if m < int(ev.value)]
                    due = R.badge_due_on(day, admitted_on, (), rules, awarded=[*awarded, *lower], discipline=discipline)
                    if due != int(ev.value):
                        reason = (_("No badge was due on %(day)s.") if due is None else
                                  _("The badge due on %(day)s was the %(due)d-year badge.")) % {
                            "day": format_date(day), "due": due or 0}
                elif ev.kind == E.CARD_ISSUED and not CARD_NUMBER.match(ev.value):
                    reason = _("A party card number has exactly 8 digits.")
                elif ev.kind in (E.DISCIPLINED, E.EXPELLED) and r.violation_on:
                    form = "expulsion" if ev.kind == E.EXPELLED else ev.value
                    reason = next((f.text for f in R.discipline_check("official", form, rules, on=day,
                                                                       violation_on=r.violation_on)
                                   if f.code == "discipline.time_barred"), None)
                if reason:
                    self.warn(BIENDONG, r.row, key, _("%(reason)s (rules in force on that day: %(regulation)s; "
                                                      "kept as recorded)") % {"reason": reason, "regulation": rules.code})
            if ev.kind == E.BADGE_AWARDED:
                awarded.append(int(ev.value))
            elif ev.kind == E.DISCIPLINED:
                discipline.append((ev.value, day))
            elif ev.kind == E.EXPELLED:
                discipline.append(("expulsion", day))

    def _stored_ev(self, ev: Ev) -> Ev:
        """A stored event with its cell as a code (like the new ones)."""
        if ev.cell_id is not None and not isinstance(ev.cell_id, str):
            info = self.org_by_id.get(ev.cell_id)
            ev.cell_id = info.code if info else ev.cell_id
        return ev

    def _compare_member(self, r: MemberRow, db: dict, derived: list[Ev], stored: list[Ev]) -> tuple[list[Ev], bool]:
        """Events of the row that are not in the database yet, and whether the row conflicts with it."""
        problems = False
        if r.admitted_on != db["admitted_on"]:
            self.err(DANGVIEN, r.row, "admitted_on", _("The admission date differs from the database (%(day)s).") % {
                "day": format_date(db["admitted_on"])})
            problems = True
        first_place = next(((ev.cell_id, ev.effective_on) for ev in history.sort_events(stored)
                            if ev.kind in (E.ADMITTED, E.TRANSFERRED_IN) and ev.cell_id), None)
        if not problems and first_place is not None and first_place != (r.cell, r.placed_on):
            self.err(DANGVIEN, r.row, "cell", _(
                "The first placement differs from the database (%(cell)s from %(day)s).") % {
                "cell": first_place[0], "day": format_date(first_place[1])})
            problems = True
        # the row's official date is the first one (a readmitted member is probationary again)
        first_official = next((ev.effective_on for ev in history.sort_events(stored) if ev.kind == E.MADE_OFFICIAL),
                              None)
        if first_official and r.made_official_on != first_official:
            self.err(DANGVIEN, r.row, "made_official_on", _(
                "The official date differs from the database (%(day)s).") % {"day": format_date(first_official)})
            problems = True
        if problems:
            return [], True
        keys = {ev.same() for ev in stored}
        cards = {(ev.value or "").strip() for ev in stored if ev.kind == E.CARD_ISSUED}
        extra = []
        for ev in derived:
            if ev.kind in (E.ADMITTED, E.TRANSFERRED_IN):
                continue
            if ev.kind == E.CARD_ISSUED and ev.value in cards:
                continue
            if ev.same() not in keys:
                extra.append(ev)
        return extra, False

    def _profile_changes(self, r: MemberRow, db: dict) -> dict:
        changes = {}
        for key, value in zip(self._PROFILE_KEYS, r.profile, strict=True):
            if value is None or value == "":
                continue  # an empty optional cell never clears a stored value
            if value != db[key]:
                changes[key] = value
        return changes

    def _check_closings(self, occupants: dict, replayed_codes: set[str]) -> None:
        """Organizations dissolved by this import: no member and no child organization on that day.
        `occupants` holds the members replayed here; the others are read from their stored periods."""
        replayed_ids = {self.db_members[c]["id"] for c in replayed_codes if c in self.db_members}
        replayed_ids |= set(self.member_pk.values())  # new members already written (validate_and_write)
        for info in self.closings:
            day = info.closing_on
            count = len(occupants.get(info.code, []))
            if info.id is not None:
                others = (
                    MemberPeriod.objects.active_on(day).filter(cell_id=info.id)
                    .exclude(member_id__in=replayed_ids)
                    .values_list("member_id", flat=True)
                )
                count += len(set(others))
            if count:
                self.err(TOCHUC, info.row.row, "dissolved_on", _(
                    "%(org)s still has %(n)d members on %(day)s; move them to another cell first.") % {
                    "org": info.row.name, "n": count, "day": format_date(day)})
            children = [o.code for o in self.orgs.values() if o is not info and (p := o.period_on(day)) is not None
                        and p.parent == info.code]
            if children:
                self.err(TOCHUC, info.row.row, "dissolved_on", _(
                    "%(org)s still has %(n)d subordinate organizations on %(day)s; move or dissolve them first.") % {
                    "org": info.row.name, "n": len(children), "day": format_date(day)})

    # ================================================================================ ratings
    def _validate_ratings(self, db_periods: dict[int, list[tuple]]) -> None:
        member_codes = {r.code for r in self.member_rows if r.code}
        seen: dict[tuple, int] = {}
        good: list[RatingRow] = []
        for r in self.rating_rows:
            if not r.ok:
                continue
            is_member = r.code in member_codes or r.code in self.db_members
            info = self.orgs.get(r.code)
            is_org = info is not None and (info.id is not None or info.row is not None)
            if is_member and is_org:
                self.err(XEPLOAI, r.row, "code", _(
                    "The code %(code)s is both a member's and an organization's.") % {"code": r.code})
                continue
            if not is_member and not is_org:
                self.err(XEPLOAI, r.row, "code", _("Unknown code %(code)s: no member or organization has it.") % {
                    "code": r.code})
                continue
            key = (r.year, r.code)
            if key in seen:
                self.err(XEPLOAI, r.row, "code", _("%(code)s is already rated for %(year)s on row %(row)d.") % {
                    "code": r.code, "year": r.year, "row": seen[key]})
                continue
            seen[key] = r.row
            r.subject = MEMBER if is_member else ORGANIZATION
            try:
                r.level = assessment.match_rating(r.year, r.label, r.subject)
            except DomainError as exc:
                self.err(XEPLOAI, r.row, "label", exc.message)
                continue
            start, end = dt.date(r.year, 1, 1), dt.date(r.year, 12, 31)
            if is_member:
                db = self.db_members.get(r.code)
                if db is not None and self.scope_ids is not None and db["cell_id"] not in self.scope_ids \
                        and r.code not in member_codes:
                    self.err(XEPLOAI, r.row, "code", _("Member %(code)s is outside your scope.") % {"code": r.code})
                    continue
                if r.code not in self.member_info:
                    if db is None:
                        continue  # the DangVien row has errors, reported there
                    self.member_info[r.code] = None
                info_m = self.member_info[r.code]
                admitted, ended = (info_m[0], info_m[1]) if info_m else (db["admitted_on"], db["ended_on"])
                if admitted is None or admitted > end or (ended is not None and ended < start):
                    self.err(XEPLOAI, r.row, "year", _("%(code)s was not a party member in %(year)s.") % {
                        "code": r.code, "year": r.year})
                    continue
            else:
                if not info.in_scope:
                    self.err(XEPLOAI, r.row, "code", _("Organization %(code)s is outside your scope.") % {"code": r.code})
                    continue
                if not info.exists_during(start, end):
                    self.err(XEPLOAI, r.row, "year", _("%(code)s did not exist in %(year)s.") % {
                        "code": r.code, "year": r.year})
                    continue
            good.append(r)
        # Stored ratings of the same subjects.
        member_ids = {self.db_members[r.code]["id"] for r in good if r.subject == MEMBER and r.code in self.db_members}
        org_ids = {self.orgs[r.code].id for r in good if r.subject == ORGANIZATION and self.orgs[r.code].id}
        stored: dict[tuple, Rating] = {}
        for chunk in _chunks(sorted(member_ids), QUERY_CHUNK):
            for rating in Rating.objects.filter(member_id__in=chunk):
                stored[(rating.year, MEMBER, rating.member_id)] = rating
        for chunk in _chunks(sorted(org_ids), QUERY_CHUNK):
            for rating in Rating.objects.filter(organization_id__in=chunk):
                stored[(rating.year, ORGANIZATION, rating.organization_id)] = rating
        c = self.counts(XEPLOAI)
        for r in good:
            pk = (self.db_members[r.code]["id"] if r.code in self.db_members else None) if r.subject == MEMBER \
                else self.orgs[r.code].id
            old = stored.get((r.year, r.subject, pk)) if pk else None
            if old is None:
                self.rating_new.append(r)
                c.created += 1
                self.result.sample(XEPLOAI, "created", f"{r.year} — {r.code} — {r.label}")
            elif old.key == r.level.key and old.label == r.label:
                c.unchanged += 1
            else:
                self.rating_changed.append((old, r))
                c.updated += 1
                self.result.sample(XEPLOAI, "updated", f"{r.year} — {r.code} — {old.label} → {r.label}")
        self._cap_warnings(good, db_periods)

    def _grassroots(self, code: str | None, day: dt.date) -> str | None:
        seen = set()
        while code and code not in seen:
            seen.add(code)
            info = self.orgs.get(code)
            p = info.period_on(day) if info else None
            if p is None:
                return None
            if p.kind in GRASSROOTS_KINDS:
                return code
            code = p.parent
        return None

    def _cap_warnings(self, ratings: list[RatingRow], db_periods: dict[int, list[tuple]]) -> None:
        by_year: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        first_row: dict[tuple, int] = {}
        for r in ratings:
            if r.subject != MEMBER:
                continue
            start, end = dt.date(r.year, 1, 1), dt.date(r.year, 12, 31)
            info_m = self.member_info.get(r.code)
            if info_m:
                periods = info_m[2]
            else:
                db = self.db_members.get(r.code)
                raw = db_periods.get(db["id"], []) if db else []
                periods = [(self.org_by_id[c].code if c in self.org_by_id else None, f, t) for c, f, t in raw]
            in_year = [p for p in periods if p[1] <= end and (p[2] is None or p[2] > start)]
            if not in_year:
                continue
            cell, f, t = max(in_year, key=lambda p: p[1])
            day = end if t is None or t > end else t - dt.timedelta(days=1)
            g = self._grassroots(cell, day)
            if g is None:
                continue
            by_year[r.year][g].append(r.level.key)
            if r.level.key == "excellent":
                first_row.setdefault((r.year, g), r.row)
        for year, groups in sorted(by_year.items()):
            for w in assessment.cap_warnings(year, groups):
                info = self.orgs.get(w.group)
                name = info.row.name if info and info.row else (info.periods[-1].name if info and info.periods else w.group)
                self.warn(XEPLOAI, first_row.get((year, w.group)), "label", w.message(name))

    # ================================================================================ writing
    def validate_and_write(self) -> None:
        """Validate and write in one transaction. The members are written chunk by chunk as soon as
        they pass (on PostgreSQL the server writes a chunk while the next ones are checked); when any
        error turns up, writing stops, the checks go on (to list every error) and it is all rolled back."""
        try:
            with transaction.atomic(), audit_context(actor=self.actor, source="import"):
                with write_behind(reserve=self._key_bounds()):
                    self.validate(write=True)
                    if self.result.errors:
                        raise _Invalid()
                    self.sink.flush()
                self._write_rest()
                self.result.written = True
        except _Invalid:
            self.result.written = False
        except _Rollback:
            self.result.written = False
            self._reset_counts()
        except DatabaseError as exc:  # e.g. a concurrent change broke a constraint: nothing was written
            self.result.written = False
            self._reset_counts()
            self.result.errors.append(Issue("", None, "", _(
                "The database refused the import (%(error)s); nothing was written. Try again.") % {"error": exc}))
        finally:
            self.sink = None

    def _reset_counts(self) -> None:
        for c in self.result.counts.values():
            c.created = c.updated = 0

    def _fail(self, sheet, row, key, message):
        self.err(sheet, row, key, message)
        raise _Rollback()

    def _write_orgs(self) -> None:
        """1. New organizations in one bulk write, parents first (the order of self.new_orgs), then
        the changed unit kinds."""
        from dangvu.organizations.services import (
            NewOrganization,
            organization_update_details,
            organizations_establish_many,
        )

        specs = [NewOrganization(code=i.row.code, name=i.row.name, kind=i.row.kind,
                                 parent_code=i.row.parent or None, established_on=i.row.established_on,
                                 unit_kind=i.row.unit_kind or "", tag=i)
                 for i in self.new_orgs]
        try:
            created = organizations_establish_many(specs, actor=self.actor)
        except DomainError as exc:
            self._fail(TOCHUC, exc.spec.tag.row.row, _org_column(exc.field), exc.message)
        for info in self.new_orgs:
            info.id = created[info.row.code].pk
            self.org_by_id[info.id] = info
        for info, unit in self.org_updates:
            try:
                organization_update_details(Organization.objects.get(pk=info.id), unit_kind=unit, actor=self.actor)
            except DomainError as exc:
                self._fail(TOCHUC, info.row.row, "unit_kind", exc.message)

    def _write_rest(self) -> None:
        """After the members (written while validated): 3. profile corrections, 4. dissolutions
        (children first), 5. ratings."""
        from dangvu.members.restructuring import organization_dissolve

        if self.member_updates:
            self._write_profile_updates()
        for info in sorted(self.closings, key=lambda i: -self._depth(i.code)):
            try:
                organization_dissolve(Organization.objects.get(pk=info.id), effective_on=info.closing_on,
                                      actor=self.actor, note=_("Imported"))
            except DomainError as exc:
                self._fail(TOCHUC, info.row.row, "dissolved_on", exc.message)
        self._write_ratings()
        self.progress("write", 1, 1)

    def _depth(self, code: str) -> int:
        d, seen = 0, set()
        info = self.orgs.get(code)
        while info is not None and info.code not in seen:
            seen.add(info.code)
            p = info.periods[-1] if info.periods else None
            if p is None or not p.parent:
                break
            d += 1
            info = self.orgs.get(p.parent)
        return d

    def _key_bounds(self) -> dict[str, int]:
        """{table: at most the rows that the organizations and members of this workbook insert}: their
        keys are drawn at once, before validation (core.bulk.write_behind; unused ones are left as a gap
        in the sequence). A member row makes at most four events (admission, transfer in, official,
        card); each event starts at most one period; each new member and each event of an existing one
        one audit entry."""
        n, m = len(self.org_rows), len(self.member_rows)
        events = 4 * m + len(self.event_rows)
        return {Organization._meta.db_table: n, OrganizationEvent._meta.db_table: n,
                OrganizationPeriod._meta.db_table: n, Member._meta.db_table: m,
                MemberEvent._meta.db_table: events, MemberPeriod._meta.db_table: events + m,
                LogEntry._meta.db_table: 2 * n + m + len(self.event_rows)}

    def _write_profile_updates(self) -> None:
        ids = [mid for mid, _old, _new in self.member_updates]
        objs = {m.pk: m for m in Member.objects.filter(pk__in=ids)}
        changed: list[Member] = []
        fields: set[str] = set()
        entries = []
        for mid, old, new in self.member_updates:
            m = objs[mid]
            for k, v in new.items():
                setattr(m, k, v)
            if "full_name" in new:
                apply_name(m)
                fields |= set(NAME_FIELDS)
            fields |= set(new)
            changed.append(m)
            entries.append((m, {k: [old[k], new[k]] for k in new}))
        m_updated = timezone.now()
        for m in changed:
            m.updated_at = m_updated
        Member.objects.bulk_update(changed, sorted(fields | {"updated_at"}), batch_size=1000)
        member_search_index.reindex([m for m, diff in entries if "full_name" in diff])  # renamed: search words
        log_bulk_updated(entries, actor=self.actor)

    def _write_ratings(self) -> None:
        from dangvu.assessment.services import scale_for_year
        from dangvu.core.bulk import bulk_insert

        new = []
        for r in self.rating_new:
            if r.subject == MEMBER:
                db = self.db_members.get(r.code)
                kw = {"member_id": db["id"] if db else self.member_pk[r.code]}
            else:
                kw = {"organization_id": self.orgs[r.code].id}
            new.append(Rating(year=r.year, scale=scale_for_year(r.year).code, key=r.level.key, label=r.label,
                              source="import", **kw))
        if new:
            bulk_insert(Rating, new)
            log_bulk_created(new, actor=self.actor)
        if self.rating_changed:
            entries = []
            for old, r in self.rating_changed:
                before = {"key": old.key, "label": old.label, "scale": old.scale}
                old.key, old.label, old.scale, old.source = r.level.key, r.label, scale_for_year(r.year).code, "import"
                entries.append((old, {k: [v, getattr(old, k)] for k, v in before.items() if v != getattr(old, k)}))
            Rating.objects.bulk_update([o for o, _r in self.rating_changed], ["key", "label", "scale", "source"])
            log_bulk_updated(entries, actor=self.actor)


def _org_column(field: str | None) -> str:
    return {"parent": "parent", "code": "code", "name": "name", "kind": "kind", "unit_kind": "unit_kind",
            "effective_on": "established_on"}.get(field or "", "code")


class _MemberWriter:
    """Writes the members of an import (with their events) in chunks, in the order they passed
    validation, while no error has been found (`offer` after each member, `flush` at the end)."""

    FIRST = CHUNK_MEMBERS // 4  # a small first chunk: the server starts writing sooner

    def __init__(self, imp: _Importer):
        self.imp = imp
        self.sent = 0
        self.next_size = self.FIRST
        user = imp.actor
        self.user_id = user.pk if user is not None else None
        self.new_member, self.new_event = instance_factory(Member), instance_factory(MemberEvent)
        self.cell_pk = {code: info.id for code, info in imp.orgs.items()}  # after the organizations are written

    def offer(self) -> None:
        if len(self.imp.to_write) - self.sent >= self.next_size:
            self.flush()
            self.next_size = CHUNK_MEMBERS

    def flush(self) -> None:
        imp = self.imp
        if imp.result.errors:  # it will all be rolled back: write no more
            return
        chunk = imp.to_write[self.sent:]
        self.sent = len(imp.to_write)
        if chunk:
            self._write(chunk)  # progress: the member checks' (one stage, "validate", for both)

    def _write(self, chunk: list[str]) -> None:
        imp, cell_pk, new_event, user_id = self.imp, self.cell_pk, self.new_event, self.user_id
        new_rows, keys = imp.new_member_rows, imp._PROFILE_KEYS
        members: list[Member] = []
        by_code: dict[str, Member] = {}
        existing = [imp.db_members[c]["id"] for c in chunk if c not in new_rows]
        for ids in _chunks(existing, QUERY_CHUNK):
            # bulk_write updates the cached state of existing members from their replayed events
            for m in Member.objects.filter(pk__in=ids):
                by_code[m.code] = m
        events: list[MemberEvent] = []
        for code in chunk:
            r = new_rows.get(code)
            if r is not None:
                m = self.new_member(code=code, admitted_on=r.admitted_on, cell_id=cell_pk[r.cell], status="probationary")
                # the profile's empty cells keep the fields' defaults ("")
                m.__dict__.update({k: v for k, v in zip(keys, r.profile, strict=True) if v is not None})
                members.append(m)
                by_code[code] = m
            m = by_code[code]
            todo = imp.new_events.get(code, [])
            if r is not None:
                todo = [(ev, r) for ev in imp._row_events(r)] + todo
            for ev, src in todo:
                kw = {}
                if isinstance(src, EventRow):
                    kw = {"decision_number": src.decision_number, "decision_date": src.decision_date,
                          "issued_by": src.issued_by, "note": src.note}
                event = new_event(kind=ev.kind, effective_on=ev.effective_on,
                                  cell_id=cell_pk[ev.cell_id] if ev.cell_id else None,
                                  value=ev.value or "", recorded_by_id=user_id, _row=ev.src, **kw)
                event._state.fields_cache = {"member": m}
                events.append(event)
        try:
            bulk_write(members, events, actor=imp.actor, source="import")  # audited: one entry per new member
        except BulkErrors as exc:
            for e in exc.errors:
                src = getattr(e.event, "_row", None) or (DANGVIEN, None, "code")
                imp.err(src[0], src[1], src[2], e.message)
            raise _Rollback() from None
        for m in members:
            imp.member_pk[m.code] = m.id


def _chunks(values, size: int):
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


__all__ = ["ImportResult", "Issue", "SheetCounts", "import_workbook", "text"]
