"""Biểu số 5-BTCTW: party organizations and members by kind of grassroots unit (loại hình cơ sở) on
a day: one row per kind (configuration `config.unit_kind_rows`), columns TCCSĐ (total, đảng bộ cơ
sở, chi bộ cơ sở), đảng bộ bộ phận, chi bộ trực thuộc, đảng viên; the total row equals `report
snapshot`'s counts."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization, OrganizationKind, OrganizationPeriod, UnitKind

from . import config
from .figures import by_unit_kind
from .layout import NUMBER, Column, FormSpec, Group, result, superior_name

K = OrganizationKind
VALUE_KEYS = ("grassroots", "grassroots_committees", "grassroots_cells", "partial_committees", "subordinate_cells",
              "members")
_KIND_KEY = {K.GRASSROOTS_COMMITTEE: "grassroots_committees", K.GRASSROOTS_CELL: "grassroots_cells",
             K.PARTIAL_COMMITTEE: "partial_committees", K.SUBORDINATE_CELL: "subordinate_cells", "members": "members"}
#: The row of organizations whose grassroots unit has no kind recorded.
UNSET = "unset"


def heads():
    return (
        NUMBER,
        Column("label", pgettext_lazy("statistics form", "Kind of grassroots unit"), 40),
        Group(pgettext_lazy("statistics form", "Grassroots party organizations"), (
            Column("grassroots", pgettext_lazy("statistics form", "Total")),
            Column("grassroots_committees", pgettext_lazy("statistics form", "Grassroots party committees")),
            Column("grassroots_cells", pgettext_lazy("statistics form", "Grassroots party cells")),
        )),
        Column("partial_committees", pgettext_lazy("statistics form", "Partial party committees")),
        Column("subordinate_cells", pgettext_lazy("statistics form", "Subordinate party cells")),
        Column("members", pgettext_lazy("statistics form", "Party members"), 16),
    )


def _values(counts: dict[str, int]) -> dict[str, int]:
    values = dict.fromkeys(VALUE_KEYS, 0)
    for kind, n in counts.items():
        key = _KIND_KEY.get(kind)
        if key:
            values[key] += n
    values["grassroots"] = values["grassroots_committees"] + values["grassroots_cells"]
    return values


def build(org: Organization, *, as_of: dt.date) -> dict:
    name = (OrganizationPeriod.objects.filter(organization_id=org.pk).active_on(as_of)
            .values_list("name", flat=True).first())
    if name is None:
        raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(as_of)},
                          field="as_of")
    counts = by_unit_kind(org, as_of)
    kinds = config.unit_kind_rows()
    labels = dict(UnitKind.choices)
    grouped: dict[str, dict[str, int]] = {k: {} for k in (*kinds, UNSET)}
    for unit_kind, by_kind in counts.items():
        target = unit_kind if unit_kind in kinds else (UNSET if not unit_kind else UnitKind.OTHER.value)
        for kind, n in by_kind.items():
            grouped[target][kind] = grouped[target].get(kind, 0) + n
    rows = []
    for i, kind in enumerate((*kinds, UNSET), start=1):
        label = labels[kind] if kind != UNSET else pgettext_lazy("statistics form", "Kind not recorded")
        rows.append({"key": kind, "number": str(i), "label": str(label), "level": 1, "values": _values(grouped[kind])})
    totals = {k: sum(r["values"][k] for r in rows) for k in VALUE_KEYS}
    rows.insert(0, {"key": "total", "number": "", "label": str(pgettext_lazy("statistics form", "Total")), "level": 0,
                    "values": totals})
    return result(SPEC, {"code": org.code, "name": name}, superior_name(org, as_of), {"as_of": as_of.isoformat()}, rows)


def drill(data: dict, row: dict, column: str) -> dict | None:
    """A cell of form 5 → the organizations of that column (or the members) under that row's kinds of
    grassroots unit; the total row → those of `report snapshot`."""
    if column not in VALUE_KEYS:
        return None
    if row["key"] == "total":
        figure = "members.total" if column == "members" else f"organizations.{column}"
        return {"source": "snapshot", "figure": figure, "as_of": data["as_of"]}
    kinds = config.unit_kind_rows()
    if row["key"] == UNSET:
        unit_kinds = [""]
    elif row["key"] == UnitKind.OTHER.value:
        unit_kinds = [UnitKind.OTHER.value, *(k for k in UnitKind.values if k not in kinds)]
    else:
        unit_kinds = [row["key"]]
    return {"source": "unit_kind", "unit_kinds": ",".join(unit_kinds), "column": column, "as_of": data["as_of"]}


SPEC = FormSpec(
    number=5, title=_("Party organizations and party members by kind of grassroots unit"), period=False, build=build,
    heads=heads,
    note=_("Each organization and member counts under the kind of unit of its grassroots party organization (the "
           "kind recorded today)."),
    drill=drill,
    pages=1,
)
