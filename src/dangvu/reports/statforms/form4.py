"""Biểu số 4-BTCTW: party members by ethnic group and by religion (đảng viên là người dân tộc thiểu
số, có đạo) on a day: every one of the 54 groups (core.ethnicity, the statistical office's list) and
the religions of the configuration (`config.religions`), each with the women among them and its share
of all members; the totals are `report snapshot`'s (members, women, ethnic minority, religious)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.ethnicity import ethnic_groups
from dangvu.core.text import fold_key
from dangvu.organizations.models import Organization, OrganizationPeriod

from ..queries.common import KINH
from . import config
from .figures import by_ethnicity_religion
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


def _row(key: str, number: str, label, level: int, counts: tuple[int, int], total: int) -> dict:
    members, female = counts
    return {"key": key, "number": number, "label": str(label), "level": level,
            "values": {"members": members, "female": female, "share": percent(members, total)}}


def _add(*counts: tuple[int, int]) -> tuple[int, int]:
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def build(org: Organization, *, as_of: dt.date) -> dict:
    name = (OrganizationPeriod.objects.filter(organization_id=org.pk).active_on(as_of)
            .values_list("name", flat=True).first())
    if name is None:
        raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(as_of)},
                          field="as_of")
    counts = by_ethnicity_religion(org, as_of)
    by_group, by_religion = counts["ethnicity"], counts["religion"]
    total = _add(*by_group.values())
    groups = ethnic_groups()
    known = {code for code, _n in groups}
    other_groups = _add(*(v for code, v in by_group.items() if code not in known))
    minority = _add(*(v for code, v in by_group.items() if code != KINH))
    rows = [_row("total", "", pgettext_lazy("statistics form", "Total party members"), 0, total, total[0]),
            _row("by_ethnicity", "I", pgettext_lazy("statistics form", "By ethnic group"), 0, total, total[0]),
            _row("ethnic_minority", "", pgettext_lazy("statistics form", "of which ethnic minorities"), 2, minority,
                 total[0])]
    for i, (code, group_name) in enumerate(groups, start=1):
        rows.append(_row(f"ethnicity_{code}", str(i), group_name, 1, by_group.get(code, (0, 0)), total[0]))
    rows.append(_row("ethnicity_other", str(len(groups) + 1),
                     pgettext_lazy("statistics form", "Other or not recorded"), 1, other_groups, total[0]))
    # religion: each text written counts under the configured religion it names, else "other"
    religions = config.religions()
    named: dict[str, list[tuple[int, int]]] = {religion: [] for religion, _keys in religions}
    other: list[tuple[int, int]] = []
    for text, value in by_religion.items():  # one entry per religion as written
        if not text:  # none (members.services.normalize_religion stores "Không" as empty)
            continue
        target = next((religion for religion, keys in religions if fold_key(text) in keys), None)
        (named[target] if target else other).append(value)
    religious = _add(*(v for text, v in by_religion.items() if text))
    rows += [
        _row("by_religion", "II", pgettext_lazy("statistics form", "By religion"), 0, total, total[0]),
        _row("no_religion", "1", pgettext_lazy("statistics form", "Following no religion"), 1,
             (total[0] - religious[0], total[1] - religious[1]), total[0]),
        _row("religious", "2", pgettext_lazy("statistics form", "Following a religion"), 1, religious, total[0]),
    ]
    for religion, _keys in religions:
        rows.append(_row(f"religion_{fold_key(religion)}", "", religion, 2, _add(*named[religion]), total[0]))
    rows.append(_row("religion_other", "", pgettext_lazy("statistics form", "Other religions"), 2, _add(*other),
                     total[0]))
    return result(SPEC, {"code": org.code, "name": name}, superior_name(org, as_of), {"as_of": as_of.isoformat()}, rows)


#: Drill-down: the rows that are figures of the snapshot open its list (the rows of one ethnic group or
#: religion are not linked).
SNAPSHOT_FIGURES = {"total": "total", "by_ethnicity": "total", "by_religion": "total",
                    "ethnic_minority": "ethnic_minority", "religious": "religious"}


def drill(data: dict, row: dict, column: str) -> dict | None:
    key = SNAPSHOT_FIGURES.get(row["key"])
    if key is None or column not in ("members", "female") or (column == "female" and key != "total"):
        return None
    return {"source": "snapshot", "figure": f"members.{'female' if column == 'female' else key}",
            "as_of": data["as_of"]}


SPEC = FormSpec(
    number=4, title=_("Party members by ethnic group and religion"), period=False, build=build, heads=heads,
    drill=drill,
    note=_("The 54 ethnic groups of the statistical office's list; every group but Kinh is an ethnic minority. A "
           "religion counts under the row whose name it is written with (configuration DANGVU_FORMS_RELIGIONS); members "
           "of foreign origin are not recorded apart."),
)
