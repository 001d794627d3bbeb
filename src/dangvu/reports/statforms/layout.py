"""The printed layout shared by the statistics forms: header columns (grouped under merged cells),
rows (key, number, label, indent level), the "this period / same period last year / (%)" columns,
and the dict every form returns (JSON, web page and workbook are drawn from it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu.organizations.models import Organization, OrganizationPeriod


@dataclass(frozen=True)
class Column:
    """A column of the table: `key` in each row's values (or "number"/"label"), its header, its width;
    `ratio`: a percentage with one decimal (24,8), not a count."""

    key: str
    label: str
    width: int = 14
    ratio: bool = False


@dataclass(frozen=True)
class Group:
    """Columns under one merged header cell."""

    label: str
    columns: tuple[Column | Group, ...]


@dataclass(frozen=True)
class Line:
    """One row of a form: `value(figures)` gives its number from a column's figures (None: blank)."""

    key: str
    number: str
    label: str
    value: Callable[[dict], int | None]
    level: int = 0


NUMBER = Column("number", pgettext_lazy("statistics form", "No."), 6)


def figure(key: str) -> Callable[[dict], int | None]:
    return lambda f: f.get(key) or 0


def total(*keys: str) -> Callable[[dict], int | None]:
    return lambda f: sum(f.get(k) or 0 for k in keys)


def leaves(heads: Sequence[Column | Group]) -> list[Column]:
    out: list[Column] = []
    for h in heads:
        out.extend(leaves(h.columns) if isinstance(h, Group) else [h])
    return out


def _depth(heads: Sequence[Column | Group]) -> int:
    return max((1 + _depth(h.columns) if isinstance(h, Group) else 1) for h in heads)


@dataclass
class HeadCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    label: str
    key: str = ""


def header_cells(heads: Sequence[Column | Group]) -> list[list[HeadCell]]:
    """The header as rows of cells with their spans (a column spans down to the last header row)."""
    depth = _depth(heads)
    rows: list[list[HeadCell]] = [[] for _ in range(depth)]

    def place(items, row: int, col: int) -> int:
        for h in items:
            if isinstance(h, Group):
                width = len(leaves(h.columns))
                rows[row].append(HeadCell(row, col, 1, width, str(h.label)))
                place(h.columns, row + 1, col)
                col += width
            else:
                rows[row].append(HeadCell(row, col, depth - row, 1, str(h.label), h.key))
                col += 1
        return col

    place(heads, 0, 0)
    return rows


def column_codes(columns: Sequence[Column]) -> list[str]:
    """The line under the header: A, B for the label columns, then 1, 2, 3…"""
    letters, n, out = iter("ABCDEFGH"), 0, []
    for c in columns:
        if c.key in ("number", "label"):
            out.append(next(letters))
        else:
            n += 1
            out.append(str(n))
    return out


# -- "this period | same period last year | (%)" ------------------------------------------------------------

def compare_heads(label_title: str) -> tuple[Column | Group, ...]:
    """The header of forms 1, 2, 3 and 7: criterion | done: this period, same period last year | (%)."""
    return (
    NUMBER,
    Column("label", label_title, 52),
    Group(_("Done"), (Column("current", _("This period")), Column("last_year", _("Same period last year")))),
    Column("ratio", _("(%) = this period × 100 / same period last year"), 18, ratio=True),
    )


def ratio(current: int | None, last: int | None) -> float | None:
    """kỳ này × 100 / cùng kỳ, one decimal; None when the same period had nothing (or no figure)."""
    if current is None or not last:
        return None
    return round(current * 100 / last, 1)


def same_period_last_year(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    def back(day: dt.date) -> dt.date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return back(date_from), back(date_to)


def compare_rows(lines: Sequence[Line], current: dict, last: dict | None) -> list[dict]:
    rows = []
    for line in lines:
        now = line.value(current)
        before = line.value(last) if last is not None else None
        rows.append(row(line, {"current": now, "last_year": before, "ratio": ratio(now, before)}))
    return rows


def percent(n: int | None, total: int | None) -> float | None:
    """n × 100 / total, one decimal (24,8); None when there is no total."""
    if n is None or not total:
        return None
    return round(n * 100 / total, 1)


def row(line: Line, values: dict) -> dict:
    return {"key": line.key, "number": line.number, "label": str(line.label), "level": line.level, "values": values}


# -- drill-down ---------------------------------------------------------------------------------------------

#: A row's figure for `period_drill`: a figure key (or keys joined by commas), a dict of list parameters
#: ({"figure": …, "milestone": …}), or a function (data, row, column) → one of those or None.
Figure = str | dict | Callable[[dict, dict, str], "str | dict | None"]


def period_drill(figures: dict[str, Figure] | Callable[[dict, dict, str], str | dict | None],
                 ) -> Callable[[dict, dict, str], dict | None]:
    """The drill-down of a form of a period with the columns of `compare_heads`: a row of `figures` (or
    any row `figures(data, row, column)` gives a figure) links, in "this period" and "same period last
    year", to the `period` source over that column's dates."""
    def drill(data: dict, row: dict, column: str) -> dict | None:
        if column not in ("current", "last_year") or row["values"].get(column) is None:
            return None
        target = figures(data, row, column) if callable(figures) else figures.get(row["key"])
        if callable(target):
            target = target(data, row, column)
        if not target:
            return None
        dates = {"from": data["from"], "to": data["to"]} if column == "current" else dict(data["last_year"])
        return {"source": "period", **({"figure": target} if isinstance(target, str) else target), **dates}

    return drill


def value_of(data: dict, key: str, column: str):
    """The value of the row `key` in `column` of a form's dict (0 when the row is absent)."""
    return next((r["values"].get(column) or 0 for r in data["rows"] if r["key"] == key), 0)


def cell_drill(spec: FormSpec, data: dict, row: dict, column: str) -> dict | None:
    """The list parameters of one cell of a form (None: no link), with the organization's code."""
    if spec.drill is None:
        return None
    target = spec.drill(data, row, column)
    return {"org": data["org"]["code"], **target} if target else None


# -- the dict of a form -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FormSpec:
    """One form of the registry: its number, code, title, whether it covers a period, a year
    (`yearly`) or a day, the function building it (`build(org, **dates) -> dict`) and its header."""

    number: int
    title: str
    period: bool
    build: Callable[..., dict]
    #: `heads()`; a form of a year: `heads(year)`, its headings naming the rule values of that year (`header`).
    heads: Callable[..., Sequence[Column | Group]]
    #: The note under the form: a text, or for a form of a year `note(year)` (`note_for`).
    note: str | Callable[[int | None], str] = ""
    yearly: bool = False
    #: How many pages the form takes on paper, A4 landscape: its workbook prints fitted to them (0: fitted to
    #: the width, as many pages as its rows need, the header rows repeated).
    pages: int = 0
    #: Drill-down: `drill(data, row, column_key)` → the parameters of the list of what that cell counts
    #: (`queries.figure_lists`: `source` and its filters), or None for a cell that is no count (a ratio, a
    #: heading). Declared by each form (`period_drill`, or its own); a form without one has no links.
    drill: Callable[[dict, dict, str], dict | None] | None = None

    @property
    def code(self) -> str:
        return f"{self.number}-BTCTW"

    def header(self, year: int | None = None) -> Sequence[Column | Group]:
        """The header; a form of a year's for `year` (its rules' values in the headings)."""
        return self.heads(year) if self.yearly else self.heads()

    def note_for(self, year: int | None = None) -> str:
        """The note under the form (of `year` for a form of a year), "" for none."""
        return str(self.note(year) if callable(self.note) else self.note)


def superior_name(org: Organization, day: dt.date) -> str:
    """The name of the organization's parent on `day` ("" for a root): the committee above, on the
    form's first header line. One query."""
    own = OrganizationPeriod.objects.filter(organization_id=org.pk).active_on(day)
    return (OrganizationPeriod.objects.active_on(day)
            .filter(organization_id=Subquery(own.values("parent_id")[:1]))
            .values_list("name", flat=True).first() or "")


def result(spec: FormSpec, org_ref: dict, superior: str, dates: dict, rows: list[dict], **extra) -> dict:
    columns = leaves(spec.header(dates.get("year")))
    return {
        "form": {"number": spec.number, "code": spec.code, "title": str(spec.title)},
        "org": org_ref,
        "superior": superior,
        **dates,
        "columns": [{"key": c.key, "label": str(c.label), **({"ratio": True} if c.ratio else {})} for c in columns],
        "rows": rows,
        **extra,
    }
