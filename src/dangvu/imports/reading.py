"""Read the sheets of a workbook into rows, each cell checked on its own (the first stage of the
import): types, required columns, the profile through `members.services.clean_profile`, an
organization's details through `organizations.services.check_details`, lengths against the model
fields. Checks that need the database or other rows come later (`context`, `check_*`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from operator import itemgetter

from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.assessment import services as assessment
from dangvu.assessment.models import Rating
from dangvu.core.errors import DomainError
from dangvu.core.lengths import check_length
from dangvu.core.text import fold, fold_key
from dangvu.members.models import Member, MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import PROFILE_FIELDS, check_member_code, clean_profile
from dangvu.organizations.models import Organization
from dangvu.organizations.services import check_details

from . import spec
from .limits import Limits
from .results import READ, Report
from .rows import PROFILE_KEYS, EventRow, MemberRow, OrgRow, RatingRow, Rows
from .rule_warnings import kept_as_recorded, official_too_early
from .spec import BIENDONG, DANGVIEN, TOCHUC, XEPLOAI
from .values import Dates, text
from .workbook import Workbook

_REPEATING = {"general_education", "professional_qualification", "occupation", "place_of_birth", "home_town"}
_MEMOIZED = _REPEATING | {"religion", "political_theory_level"}  # few distinct values: cleaned once each


def read(wb: Workbook, report: Report, today: dt.date, progress, *, two_passes: bool = False) -> Rows:
    """The rows of `wb`. `two_passes`: DangVien's codes and cells only, its rows parsed later as the
    checks take them (`Rows.member_chunks`), when the sheet can be read again cheaply."""
    return _Reader(report, today).read(wb, progress, two_passes)


def _blank(values) -> bool:
    """Whether every cell is empty as `text` reads it (a cell of another type than text is never empty)."""
    for v in values:
        if v is not None and (v.__class__ is not str or v.strip()):
            return False
    return True


class _Reader:
    def __init__(self, report: Report, today: dt.date):
        self.report = report
        self.today = today
        self.dates = Dates(today)
        self.rows = Rows()
        self._clean_cache: dict = {}
        self._folded: dict[str, str] = {}
        self._profile_present: list[str] | None = None
        self._intern: dict[str, str] = {}
        self._positions: dict[str, dict[str, int]] = {}  # sheet → column key → index, once its header is read

    def err(self, sheet, row, key, message, **kw):
        self.report.err(sheet, row, key, message, **kw)

    def read(self, wb: Workbook, progress, two_passes: bool) -> Rows:
        report = self.report
        for name in wb.unknown:
            report.warn("", None, None, _("The sheet “%(name)s” is not an import sheet; it was ignored.") % {"name": name})
        for sheet, src in wb.sheets.items():
            report.phase = READ[sheet]
            report.sheet_names[sheet] = sheet
            report.counts(sheet)
            later = two_passes and sheet == DANGVIEN and src.rereadable  # rows parsed chunk by chunk when checked
            parse = {TOCHUC: self._org_row, DANGVIEN: self._note_member if later else self._read_member,
                     BIENDONG: self._event_row, XEPLOAI: self._rating_row}[sheet]
            n = 0
            for rownum, cells in self._data_rows(sheet, src, first=True, last=not later,
                                                 only=("code", "cell") if later else None):
                n += 1
                parse(rownum, cells)
                if n % 5000 == 0:
                    progress(f"read:{sheet}", n, src.rows_estimate)
            report.counts(sheet).rows = n
            progress(f"read:{sheet}", n, n)
            if sheet not in self._positions and not report.has_errors(sheet):
                report.warn(sheet, None, None, _("The sheet is empty."))
            if later and n:
                self.rows.pending = self._members_later(src)
            else:
                src.release()
        return self.rows

    def _data_rows(self, sheet: str, src, *, first: bool, last: bool, only: tuple[str, ...] | None = None):
        """(row number, {column key: cell}) of the data rows of `sheet`, once its header is found;
        with `only` (required columns), (row number, (their cells)) instead. The header's issues are
        reported in the `first` pass over the sheet, the excess of rows in the `last` (DangVien may be
        read twice: its codes and cells first, its rows when checked)."""
        limits = Limits.current()
        positions = None
        for rownum, values in src.rows():
            if rownum > limits.rows + 1:  # the header and the rows allowed; empty rows count (as in Excel)
                if last:
                    self.err(sheet, rownum, None, limits.rows_error(src.written))
                break
            if positions is None:
                if not any(text(v) for v in values):
                    continue
                if first:
                    found = self._header(sheet, rownum, values)
                    if found is not None:
                        self._positions[sheet] = found
                positions = self._positions.get(sheet)
                if positions is None:
                    break  # a required column is missing: the rows cannot be read
                keys, width = list(positions), max(positions.values()) + 1
                pick = itemgetter(*positions.values()) if len(positions) > 1 else (lambda v, i=positions[keys[0]]: (v[i],))
                wanted = itemgetter(*map(keys.index, only)) if only else None
                continue
            picked = pick(values) if len(values) >= width else \
                [values[i] if i < len(values) else "" for i in positions.values()]
            if _blank(picked):
                continue
            yield rownum, (wanted(picked) if wanted else dict(zip(keys, picked, strict=True)))

    def _note_member(self, rownum: int, code_and_cell: tuple) -> None:
        """The first pass over DangVien: the code and the cell of the row, as `_member_row` reads them."""
        self.rows.note_member(rownum, text(code_and_cell[0]), text(code_and_cell[1]))

    def _read_member(self, rownum: int, c: dict) -> None:
        r = self._member_row(rownum, c)
        self.rows.members.append(r)
        self.rows.note_member(rownum, r.code, r.cell)

    def _members_later(self, src) -> Iterator[MemberRow]:
        """The second pass over DangVien: each row parsed (`_member_row`) as the checks ask for it,
        its issues filed under the reading of the sheet."""
        report = self.report
        rows = self._data_rows(DANGVIEN, src, first=False, last=True)
        while True:
            checking, report.phase = report.phase, READ[DANGVIEN]
            try:
                rownum, cells = next(rows)
            except StopIteration:
                report.phase = checking
                src.release()
                return
            r = self._member_row(rownum, cells)
            report.phase = checking
            yield r

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
                self.report.warn(sheet, rownum, None, _("Unknown column “%(name)s”; it was ignored.") % {"name": t},
                                 column=t)
            elif col.key in positions:
                self.rows.header_errors += 1
                self.err(sheet, rownum, None, _("The column “%(name)s” appears twice.") % {"name": t}, column=t)
            else:
                positions[col.key] = i
                written[col.key] = t
        self.report.headers[sheet] = written
        missing = [c for c in spec.COLUMNS[sheet] if c.required and c.key not in positions]
        self.rows.header_errors += len(missing)
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

    def _length(self, sheet, rownum, key, model, model_field, value) -> bool:
        try:
            check_length(model, model_field, value)
        except DomainError as exc:
            self.err(sheet, rownum, key, exc.message)
            return False
        return True

    # ---- ToChuc
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
        unit = text(c.get("unit_kind"))
        r.unit_kind = spec.UNIT_KINDS.get(fold_key(unit), None) if unit else ""
        if r.unit_kind is None:
            ok = False
            self.err(TOCHUC, rownum, "unit_kind", _("Unknown unit kind “%(v)s”; use one of: %(labels)s.") % {
                "v": unit, "labels": ", ".join(v[0] for v in spec.UNIT_KIND_LABELS.values())})
        if ok:
            try:  # the organization service's own checks of a new organization's details
                check_details(code=r.code, name=r.name, kind=r.kind, unit_kind=r.unit_kind, admin_unit_code="")
            except DomainError as exc:
                ok = False
                self.err(TOCHUC, rownum, exc.field or "code", exc.message)
        ok &= not r.parent or self._length(TOCHUC, rownum, "parent", Organization, "code", r.parent)
        if r.code and r.parent == r.code:
            ok = False
            self.err(TOCHUC, rownum, "parent", _("An organization cannot be placed under itself or its own descendant."))
        r.ok = ok
        self.rows.orgs.append(r)

    # ---- DangVien
    def _member_row(self, rownum: int, c: dict) -> MemberRow:
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
            ("full_name", name or None, True),  # a name is often borne by several members
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
        r.profile = tuple(map(data.get, PROFILE_KEYS))
        r.admitted_on, good = self._date(DANGVIEN, rownum, "admitted_on", c.get("admitted_on"), required=True)
        ok &= good
        r.made_official_on, good = self._date(DANGVIEN, rownum, "made_official_on", c.get("made_official_on"))
        ok &= good
        r.placed_on, good = self._date(DANGVIEN, rownum, "placed_on", c.get("placed_on"))
        ok &= good
        r.cell = self._intern.setdefault(cell := self._required(DANGVIEN, rownum, "cell", c.get("cell")), cell)
        ok &= bool(r.cell)
        r.card_number = text(c.get("card_number"))
        ok &= self._length(DANGVIEN, rownum, "card_number", Member, "card_number", r.card_number)
        if birth and r.admitted_on:
            # the age on the admission date, in months, by the rules of that date (as registration
            # checks it): under the minimum an error; above the maximum (admitted with a higher
            # level's approval) a warning
            rules = R.rules_on(r.admitted_on)
            for refusal in R.admission_age_check(birth, r.admitted_on, rules):
                if refusal.code == "admission.too_young":
                    ok = False
                    self.err(DANGVIEN, rownum, "admitted_on", refusal.text)
                else:
                    self.report.warn(DANGVIEN, rownum, "admitted_on", kept_as_recorded(refusal.text, rules))
        if r.admitted_on and r.made_official_on:
            reason = official_too_early(r.admitted_on, r.made_official_on)
            if reason:
                self.report.warn(DANGVIEN, rownum, "made_official_on",
                                 kept_as_recorded(reason, R.rules_on(r.admitted_on)))
        if r.admitted_on and r.placed_on and r.placed_on < r.admitted_on:
            ok = False
            self.err(DANGVIEN, rownum, "placed_on", _("The placement cannot begin before the admission date."))
        if r.card_number and not r.made_official_on:
            ok = False
            self.err(DANGVIEN, rownum, "card_number", _("Party cards are issued to official members only."))
        elif r.card_number:  # the rule of the card form and of registration; an old record is kept as recorded
            rules = R.rules_on(r.made_official_on)
            for refusal in R.card_number_check(r.card_number):
                self.report.warn(DANGVIEN, rownum, "card_number", kept_as_recorded(refusal.text, rules))
        r.placed_on = r.placed_on or r.admitted_on
        r.ok = ok
        return r

    def _fold_key(self, t: str) -> str:
        """fold_key of a categorical cell (few distinct values), memoized."""
        folded = self._folded.get(t)
        if folded is None:
            folded = self._folded[t] = fold_key(t)
        return folded

    def _clean(self, key: str, value, memo: bool):
        """clean_profile's value for one field (DomainError when the value is refused)."""
        if not memo:
            return clean_profile({key: value}, today=self.today)[key]
        hit = self._clean_cache.get((key, value))
        if hit is None:
            try:
                hit = clean_profile({key: value}, today=self.today)[key]
            except DomainError as exc:
                hit = exc
            self._clean_cache[(key, value)] = hit
        if isinstance(hit, DomainError):
            raise hit
        return hit

    # ---- BienDong
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
        r.target = text(c.get("target")) or None
        r.value = text(c.get("value"))
        if r.kind in spec.EVENT_KINDS_WITH_TARGET:
            if not r.target:
                ok = False
                self.err(BIENDONG, rownum, "target", _("The destination cell is required."))
        elif r.target and r.kind:
            self.report.warn(BIENDONG, rownum, "target", _(
                "Only used for a move, a transfer in, a restoration or a readmission; it was ignored."))
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
            ok &= self._length(BIENDONG, rownum, "value", Member, "card_number", r.value)
        elif r.kind == E.BADGE_AWARDED:
            m = re.fullmatch(r"\s*(\d+)\s*(nam|năm)?\s*", fold(r.value) or "")
            years = int(m.group(1)) if m else None
            milestones = R.rules_on(r.effective_on or localdate()).badge_milestones
            if years not in milestones:
                ok = False
                self.err(BIENDONG, rownum, "value", _("The badge milestone must be one of %(m)s years.") % {
                    "m": ", ".join(map(str, milestones))})
            r.value = str(years) if years else r.value
        elif r.kind == E.SUSPENDED:
            r.value = spec.suspension_reason(r.value)
        elif r.kind is not None and r.value:
            r.value = ""  # no value for this kind
        r.decision_number = text(c.get("decision_number"))
        r.issued_by = text(c.get("issued_by"))
        for key in ("decision_number", "issued_by"):
            ok &= self._length(BIENDONG, rownum, key, MemberEvent, key, getattr(r, key))
        r.decision_date, good = self._date(BIENDONG, rownum, "decision_date", c.get("decision_date"))
        ok &= good
        r.note = text(c.get("note"))
        if r.kind == E.SUSPENDED and r.effective_on:  # the terms, as the suspension service checks them
            for refusal in R.suspension_terms_check(r.effective_on, r.value, r.note):
                ok = False
                self.err(BIENDONG, rownum, "note" if refusal.code == "suspension.reason_text_missing" else "value",
                         refusal.text)
        r.violation_on, good = self._date(BIENDONG, rownum, "violation_on", c.get("violation_on"))
        ok &= good
        if r.violation_on and r.kind not in (E.DISCIPLINED, E.EXPELLED):
            self.report.warn(BIENDONG, rownum, "violation_on", _("Only used for discipline; it was ignored."))
            r.violation_on = None
        for refusal in R.violation_date_check(r.violation_on, r.effective_on):  # as the discipline form refuses it
            ok = False
            self.err(BIENDONG, rownum, "violation_on", refusal.text)
        r.ok = ok
        self.rows.events.append(r)

    # ---- XepLoai
    def _rating_row(self, rownum: int, c: dict) -> None:
        r = RatingRow()
        r.row = rownum
        r.level = r.subject = None
        year_text = self._required(XEPLOAI, rownum, "year", c.get("year"))
        r.year = None
        if year_text:
            try:
                r.year = assessment.check_year(year_text)
            except DomainError as exc:
                self.err(XEPLOAI, rownum, "year", exc.message)
        r.code = self._required(XEPLOAI, rownum, "code", c.get("code"))
        r.label = " ".join(self._required(XEPLOAI, rownum, "label", c.get("label")).split())
        ok = self._length(XEPLOAI, rownum, "code", Member, "code", r.code)
        ok &= self._length(XEPLOAI, rownum, "label", Rating, "label", r.label)
        r.ok = ok and bool(r.year and r.code and r.label)
        self.rows.ratings.append(r)
