"""Comparison (so sánh): a report's table for two days or two periods side by side, with the difference,
or for the sub-units of an organization side by side (one column per direct child: which commune has the
highest share of women members), sortable by a row.

The tables compared are those of the existing reports, computed by their own queries: `report snapshot`,
`report profile` (days) and every statistics form of `statforms.FORMS` (`form-N`; forms of a period or of
a day; forms added to the registry are compared without a change here). Each is flattened into rows
(key, label, level, value, and the row holding the base of its share). Queries:
- two days / periods: the report twice;
- sub-units: the snapshot and the profile grouped by child in one statement each
  (`queries.snapshot_by_child`, `queries.profile_by_child`), plus the report of the organization itself
  (the total column); a statistics form is built once per sub-unit — its queries (the flows of a period,
  the kinds of grassroots unit) take one root — so its statements grow with the number of sub-units
  (O(sub-units), never with the members), pinned in the tests.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.text import file_slug
from dangvu.organizations.models import Organization

from . import exporters, queries, sheets, statforms
from .statforms.layout import Group, cell_drill, leaves

PERIODS, SUBUNITS = "periods", "subunits"
MODES = (PERIODS, SUBUNITS)
#: The most sub-units compared side by side (a province has over a thousand communes: compare the
#: level below a district or a province's districts).
MAX_SUBUNITS = 200


@dataclass(frozen=True)
class Span:
    """A day (`as_of`) or a period (`start`..`end`, both included) a report covers."""

    as_of: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def label(self) -> str:
        if self.as_of is not None:
            return format_date(self.as_of)
        return f"{format_date(self.start)} – {format_date(self.end)}"

    def as_dict(self) -> dict:
        if self.as_of is not None:
            return {"as_of": self.as_of.isoformat()}
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    @property
    def day(self) -> dt.date:
        """The day the tree is read on: the day, or the period's last day."""
        return self.as_of if self.as_of is not None else self.end


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    level: int
    value: int | float | None
    base: str | None = None  # the key of the row this one is a share of
    drill: dict | None = None  # the list of what the value counts (`statforms.layout.cell_drill`'s shape)


# --- the reports compared --------------------------------------------------------------------------

def reports() -> list[tuple[str, str, bool]]:
    """(key, title, covers a period) of every report that can be compared."""
    out = [("snapshot", exporters.snapshot_title(), False), ("profile", sheets.profile_title(), False)]
    out += [(f"form-{n}", f"{_('Form %(code)s') % {'code': spec.code}}: {spec.title}", spec.period) for n, spec in statforms.FORMS.items()]
    return out


def report_spec(key: str) -> tuple[str, str, bool]:
    for spec in reports():
        if spec[0] == key:
            return spec
    raise DomainError(_("Unknown report “%(value)s”; the reports compared are: %(keys)s.")
                      % {"value": key, "keys": ", ".join(k for k, _t, _p in reports())}, field="report")


def _snapshot_rows(orgs: dict, members: dict, where: dict) -> list[Row]:
    """The snapshot's rows; `where`: the organization's code and the day (`org`, `as_of`) of their lists."""
    def drill(key: str) -> dict:
        return {"source": "snapshot", "figure": key, **where}

    rows = [Row(f"organizations.{k}", str(label), level, orgs[k], drill=drill(f"organizations.{k}"))
            for k, label, level in exporters.ORGANIZATION_LABELS]
    rows += [Row(f"members.{k}", str(label), level, members[k], None if k == "total" else "members.total",
                 drill=drill(f"members.{k}")) for k, label, level in exporters.MEMBER_LABELS]
    return rows


def _profile_rows(members: dict, where: dict) -> list[Row]:
    """The profile's rows; `where` as for `_snapshot_rows`."""
    rows = [Row("total", _("Total party members"), 0, members["total"],
                drill={"source": "profile", "breakdown": "total", **where})]
    for key, title in sheets.PROFILE_SECTIONS:
        rows.append(Row(key, str(title), 0, None))
        rows += [Row(f"{key}.{k}", sheets._key_label(key, k), 1, n, "total",
                     drill={"source": "profile", "breakdown": key, "key": k, **where})
                 for k, n in members[key].items()]
    return rows


def _labelled_leaves(heads, prefix: str = "") -> list[tuple]:
    """(column, its label under the headers above it: "Hoàn thành xuất sắc nhiệm vụ — Số lượng")."""
    out = []
    for h in heads:
        label = f"{prefix} — {h.label}" if prefix else str(h.label)
        out += _labelled_leaves(h.columns, label) if isinstance(h, Group) else [(h, label)]
    return out


def _form_rows(data: dict) -> list[Row]:
    """A form's rows: a form with the columns "this period / same period last year / (%)" compares its "this
    period" column; any other form every value column (one row per row and column). Each count with the
    list the form's cell opens (`cell_drill`)."""
    spec = statforms.form_spec(data["form"]["number"])
    heads = spec.header(data.get("year"))
    columns = [c for c in leaves(heads) if c.key not in ("number", "label")]
    labels = {c.key: label for c, label in _labelled_leaves(heads)}

    def row(key: str, label: str, level: int, r: dict, column: str) -> Row:
        return Row(key, label, level, r["values"].get(column), drill=cell_drill(spec, data, r, column))

    if {c.key for c in columns} == {"current", "last_year", "ratio"}:  # compare_heads: this period's column
        return [row(r["key"], r["label"], r["level"], r, "current") for r in data["rows"]]
    rows = []
    for r in data["rows"]:
        if len(columns) == 1:
            rows.append(row(r["key"], r["label"], r["level"], r, columns[0].key))
            continue
        rows.append(Row(r["key"], r["label"], r["level"], None))
        rows += [row(f"{r['key']}.{c.key}", labels[c.key], r["level"] + 1, r, c.key) for c in columns]
    return rows


def _where(code: str, span: Span) -> dict:
    return {"org": code, "as_of": span.as_of.isoformat()}


def table(report: str, org: Organization, span: Span) -> tuple[dict, list[Row]]:
    """The report of `org` over `span` (its own query) and its rows."""
    key, _title, period = report_spec(report)
    if report == "snapshot":
        data = queries.snapshot(org, span.as_of)
        return data["org"], _snapshot_rows(data["organizations"], data["members"], _where(org.code, span))
    if report == "profile":
        data = queries.profile(org, span.as_of)
        return data["org"], _profile_rows(data["members"], _where(org.code, span))
    number = int(key.split("-", 1)[1])
    if statforms.FORMS[number].yearly:  # a form of a year (assessment results): the year of the day asked
        data = statforms.build_form(number, org, year=span.day.year)
        return data["org"], _form_rows(data)
    data = statforms.build_form(number, org, date_from=span.start, date_to=span.end, as_of=span.as_of)
    return data["org"], _form_rows(data)


def _merge(columns: list[list[Row]], drill: bool = False) -> list[dict]:
    """The rows of several columns aligned by key (a key missing from a column counts 0 there; keys in
    the order they first appear); with `drill`, each value's list (`drills`, None: no list)."""
    order: dict[str, Row] = {}
    for rows in columns:
        for r in rows:
            order.setdefault(r.key, r)
    by_column = [{r.key: r for r in rows} for rows in columns]
    merged = []
    for key, first in order.items():
        values, shares = [], []
        for col in by_column:
            row = col.get(key)
            value = row.value if row is not None else (None if first.value is None else 0)
            values.append(value)
            base = col.get(first.base) if first.base else None
            shares.append(round(value * 100 / base.value, 1) if base is not None and base.value and value is not None
                          else None)
        merged.append({"key": key, "label": first.label, "level": first.level, "values": values,
                       "shares": shares if first.base else None})
        if drill:
            merged[-1]["drills"] = [col[key].drill if key in col else None for col in by_column]
    return merged


def _result(report: str, mode: str, org_ref: dict, columns: list[dict], rows: list[dict], **extra) -> dict:
    key, title, period = report_spec(report)
    return {"report": {"key": key, "title": str(title), "period": period}, "mode": mode, "org": org_ref,
            "columns": columns, "rows": rows, **extra}


def compare_periods(report: str, org: Organization, first: Span, second: Span, *, drill: bool = False) -> dict:
    """`report` of `org` over `first` and over `second` side by side, with `difference` (second − first)
    and `change` (the difference in % of the first; None when the first is 0); with `drill`, the list
    of each value (`drills`: the parameters of the report's own drill-down, None where it has none)."""
    report_spec(report)
    org_a, rows_a = table(report, org, first)
    org_b, rows_b = table(report, org, second)
    rows = _merge([rows_a, rows_b], drill)
    for r in rows:
        a, b = r["values"]
        r["difference"] = None if a is None or b is None else round(b - a, 1)
        r["change"] = round((b - a) * 100 / a, 1) if a and b is not None else None
    columns = [{"key": "first", "label": first.label(), "name": org_a["name"], **first.as_dict()},
               {"key": "second", "label": second.label(), "name": org_b["name"], **second.as_dict()}]
    return _result(report, PERIODS, org_b, columns, rows)


def _child_rows(report: str, org: Organization, span: Span, children: list[dict]) -> list[list[Row]]:
    """The rows of each child: grouped by child in one statement for the snapshot and the profile; one
    build per child for a statistics form."""
    if report == "snapshot":
        grouped = queries.snapshot_by_child(org, span.as_of)
        empty_orgs = dict.fromkeys(queries.ORG_KEYS, 0)
        empty_members = dict.fromkeys(queries.MEMBER_KEYS, 0)
        return [_snapshot_rows((grouped.get(c["id"]) or {}).get("organizations") or empty_orgs,
                               (grouped.get(c["id"]) or {}).get("members") or empty_members, _where(c["code"], span))
                for c in children]
    if report == "profile":
        grouped = queries.profile_by_child(org, span.as_of)
        out = []
        for c in children:
            members = grouped.get(c["id"])
            out.append(_profile_rows(members, _where(c["code"], span)) if members
                       else [Row("total", _("Total party members"), 0, 0)])
        return out
    by_code = {o.pk: o for o in Organization.objects.filter(pk__in=[c["id"] for c in children])}
    return [table(report, by_code[c["id"]], span)[1] for c in children]


def compare_subunits(report: str, org: Organization, span: Span, *, sort: str = "", by_share: bool = False,
                     drill: bool = False) -> dict:
    """`report` over `span` for `org` (the total column) and for each of its direct children on the span's
    (last) day side by side; with `sort` (a row key), the children ordered by that row, highest first (by
    its share of the members with `by_share`); with `drill`, each value's list as `compare_periods`."""
    report_spec(report)
    org_ref, total_rows = table(report, org, span)
    children = queries.children_on(org, span.day)
    if len(children) > MAX_SUBUNITS:
        raise DomainError(_("%(org)s has %(n)s sub-units; compare at most %(max)s side by side (choose a lower "
                            "level).") % {"org": org_ref["name"], "n": len(children), "max": MAX_SUBUNITS},
                          field="org")
    child_rows = _child_rows(report, org, span, children)
    # the total first, then the children in the order asked
    rows = _merge([total_rows, *child_rows], drill)
    columns = [{"key": "total", "code": org.code, "name": org_ref["name"], "label": _("Whole organization")}]
    columns += [{"key": c["code"], "code": c["code"], "name": c["name"], "label": c["name"]} for c in children]
    order = list(range(1, len(columns)))
    if sort:
        row = next((r for r in rows if r["key"] == sort), None)
        if row is None:
            raise DomainError(_("Unknown row “%(value)s”.") % {"value": sort}, field="sort")
        series = row["shares"] if by_share and row["shares"] else row["values"]
        order.sort(key=lambda i: (-(series[i] if series[i] is not None else -1), columns[i]["code"]))
    keep = [0, *order]
    columns = [columns[i] for i in keep]
    for r in rows:
        r["values"] = [r["values"][i] for i in keep]
        if drill:
            r["drills"] = [r["drills"][i] for i in keep]
        if r["shares"] is not None:
            r["shares"] = [r["shares"][i] for i in keep]
    return _result(report, SUBUNITS, org_ref, columns, rows, **span.as_dict(), sort=sort or None,
                   by_share=bool(by_share and sort))


# --- output ----------------------------------------------------------------------------------------

def number_text(value) -> str:
    """A figure in Vietnamese form: 1.154; a ratio 24,8; blank for none."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{int(value):,}".replace(",", ".")


def signed_text(value) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + number_text(value).replace("-", "−")


def percent_text(value) -> str:
    """A share or change in Vietnamese form: 24,8%."""
    if value is None:
        return ""
    return f"{float(value):,.1f}".replace(",", "_").replace(".", ",").replace("_", ".").replace("-", "−") + "%"


def signed_percent_text(value) -> str:
    """A change in %, signed as the difference beside it is: +3,2%, −9,1%, 0,0%."""
    if value is None:
        return ""
    return ("+" if round(float(value), 1) > 0 else "") + percent_text(value)


TITLE = gettext_lazy("Comparison")


def title(data: dict) -> str:
    return title_of(data["report"]["title"], data["mode"])


def title_of(report_title: str, mode: str) -> str:
    if mode == PERIODS:
        return _("%(report)s — two days or periods compared") % {"report": report_title}
    return _("%(report)s — sub-units side by side") % {"report": report_title}


def filename(data: dict, extension: str) -> str:
    """so-sanh-<report's title>-<periods | sub-units>-<organization>.<extension>, in the user's language."""
    return (f"{file_slug(_('Compare'))}-{file_slug(data['report']['title'])}-"
            f"{file_slug(_('two periods') if data['mode'] == PERIODS else _('sub-units'))}-"
            f"{exporters.safe_code(data['org']['code'])}.{extension}")


def heads(data: dict) -> list[str]:
    labels = [c["label"] for c in data["columns"]]
    if data["mode"] == PERIODS:
        return [*labels, _("Difference"), _("Change (%)")]
    return labels


def xlsx(data: dict) -> bytes:
    """The comparison as a one-sheet, print-ready workbook (A4 landscape, fitted to the width): the
    counts as numbers (#,##0), the shares (sub-units) and changes (%) beside them."""
    buffer = io.BytesIO()
    subunits = data["mode"] == SUBUNITS
    col_heads = []
    for h in heads(data):
        col_heads.append(h)
        if subunits:
            col_heads.append("%")
    when = (exporters.as_of_text(data) if "as_of" in data else exporters.period_text(data) if "from" in data
            else "")
    with exporters.report_sheet(buffer, title(data), data["org"]["name"], when, item_width=44,
                                heads=(_("No."), _("Item"), *col_heads), landscape=True) as sheet:
        ws, f = sheet.ws, sheet.f
        share = sheet.workbook.add_format({"font_name": "Times New Roman", "font_size": 10, "italic": True,
                                           "border": 1, "num_format": "0.0"})
        r = 4
        for n, row in enumerate(data["rows"], 1):
            r += 1
            level = min(row["level"], 2)
            ws.write_number(r, 0, n, f["blank"])
            ws.write_string(r, 1, row["label"], f["label"][level])
            col = 2
            for i, value in enumerate(row["values"]):
                _cell(ws, r, col, value, f["count"][level], f["blank"])
                col += 1
                if subunits:
                    s = row["shares"][i] if row["shares"] else None
                    _cell(ws, r, col, s, share, f["blank"])
                    col += 1
            if not subunits:
                _cell(ws, r, col, row["difference"], f["count"][level], f["blank"])
                _cell(ws, r, col + 1, row["change"], share, f["blank"])
        sheet.finish(r)
    return buffer.getvalue()


def _cell(ws, r: int, c: int, value, fmt, blank) -> None:
    if value is None:
        ws.write_blank(r, c, None, blank)
    else:
        ws.write_number(r, c, value, fmt)
