"""Biểu số 4-BTCTW: party members by ethnic group and by religion (đảng viên là người dân tộc thiểu
số, có đạo) on a day: every one of the 54 groups (core.ethnicity, the statistical office's list) and
the religions of the configuration (`config.religions`), each with the women among them and its share
of all members; the totals are `report snapshot`'s (members, women, ethnic minority, religious)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.ethnicity import ethnic_groups
from dangvu.core.text import fold_key
from dangvu.organizations.models import Organization, OrganizationPeriod

from ..queries.common import KINH
from . import config
from .figures import ETHNICITY, RELIGION, by_ethnicity_religion
from .layout import NUMBER, Column, FormSpec, Group, percent, result, superior_name


def heads():
    return (
        NUMBER,
        Column("label", pgettext_lazy("statistics form", "Ethnic group, religion"), 36),
        Group(pgettext_lazy("statistics form", "Party members"), (
            Column("members", pgettext_lazy("statistics form", "Total")),
            Column("female", pgettext_lazy("statistics form", "of which women")),
        )),
        Column("share", pgettext_lazy("statistics form", "Share of all party members (%)"), 16, ratio=True),
    )


def row_filter(key: str) -> tuple[str, Callable[[str], bool]] | None:
    """The breakdown of `figures.by_ethnicity_religion` ("ethnicity" | "religion") a row counts and the
    test of a value (the group's code, the religion as written; stripped, "" none) it counts: `total`,
    `by_ethnicity`, `by_religion` (every member), `ethnic_minority`, `ethnicity_<code>`, `ethnicity_other`,
    `no_religion`, `religious`, `religion_<name folded>`, `religion_other`. None for any other key. The
    form's figures and its drill-down are both counted through it."""
    if key in ("total", "by_ethnicity", "by_religion"):
        return ETHNICITY, lambda v: True
    if key == "ethnic_minority":
        return ETHNICITY, lambda v: v != KINH
    if key == "ethnicity_other":
        known = {code for code, _n in ethnic_groups()}
        return ETHNICITY, lambda v: v not in known
    if key.startswith("ethnicity_"):
        code = key[len("ethnicity_"):]
        return ETHNICITY, lambda v: v == code
    if key == "no_religion":
        return RELIGION, lambda v: not v
    if key == "religious":
        return RELIGION, lambda v: bool(v)
    if key.startswith("religion_"):
        religions = config.religions()

        def named(text: str) -> str:  # the row of a religion as written
            folded = fold_key(text)
            return next((f"religion_{fold_key(name)}" for name, keys in religions if folded in keys), "religion_other")

        return RELIGION, lambda v: bool(v) and named(v) == key
    return None


def _row(key: str, number: str, label, level: int, counts: dict, total: int) -> dict:
    breakdown, accept = row_filter(key)
    members = sum(n for value, (n, _f) in counts[breakdown].items() if accept(value))
    female = sum(f for value, (_n, f) in counts[breakdown].items() if accept(value))
    return {"key": key, "number": number, "label": str(label), "level": level,
            "values": {"members": members, "female": female, "share": percent(members, total)}}


def build(org: Organization, *, as_of: dt.date) -> dict:
    name = (OrganizationPeriod.objects.filter(organization_id=org.pk).active_on(as_of)
            .values_list("name", flat=True).first())
    if name is None:
        raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(as_of)},
                          field="as_of")
    counts = by_ethnicity_religion(org, as_of)  # one entry per group and religion written, never per member
    total = sum(n for n, _f in counts[ETHNICITY].values())
    groups = ethnic_groups()
    rows = [_row("total", "", pgettext_lazy("statistics form", "Total party members"), 0, counts, total),
            _row("by_ethnicity", "I", pgettext_lazy("statistics form", "By ethnic group"), 0, counts, total),
            _row("ethnic_minority", "", pgettext_lazy("statistics form", "of which ethnic minorities"), 2, counts,
                 total)]
    for i, (code, group_name) in enumerate(groups, start=1):
        rows.append(_row(f"ethnicity_{code}", str(i), group_name, 1, counts, total))
    rows.append(_row("ethnicity_other", str(len(groups) + 1),
                     pgettext_lazy("statistics form", "Other or not recorded"), 1, counts, total))
    # religion: each text written counts under the configured religion it names, else "other"
    rows += [
        _row("by_religion", "II", pgettext_lazy("statistics form", "By religion"), 0, counts, total),
        _row("no_religion", "1", pgettext_lazy("statistics form", "Following no religion"), 1, counts, total),
        _row("religious", "2", pgettext_lazy("statistics form", "Following a religion"), 1, counts, total),
    ]
    for religion, _keys in config.religions():
        rows.append(_row(f"religion_{fold_key(religion)}", "", religion, 2, counts, total))
    rows.append(_row("religion_other", "", pgettext_lazy("statistics form", "Other religions"), 2, counts, total))
    return result(SPEC, {"code": org.code, "name": name}, superior_name(org, as_of), {"as_of": as_of.isoformat()}, rows)


def drill(data: dict, row: dict, column: str) -> dict | None:
    """Every count (members, of which women) opens the list of the members it counts (`row_filter`):
    the source `ethnicity_religion` of `queries.figure_lists`."""
    if column not in ("members", "female") or row_filter(row["key"]) is None:
        return None
    return {"source": "ethnicity_religion", "key": row["key"], "column": column, "as_of": data["as_of"]}


SPEC = FormSpec(
    number=4, title=_("Party members by ethnic group and religion"), period=False, build=build, heads=heads,
    drill=drill,
    note=_("The 54 ethnic groups of the statistical office's list; every group but Kinh is an ethnic minority. A "
           "religion counts under the row whose name (or another name set in the software's settings) is written "
           "in the record; members of foreign origin are not recorded apart."),
)
