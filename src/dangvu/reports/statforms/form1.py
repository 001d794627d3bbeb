"""Biểu số 1-BTCTW: increase and decrease of party members (tăng, giảm đảng viên) in a period,
from the queries of `report flows` (its identity holds in the table: D = A + B − C), with the same
period of the year before and the ratio."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization

from ..queries.flows import FLOW_DECREASES, FLOW_INCREASES
from . import config
from .figures import period_figures
from .layout import (
    FormSpec,
    Line,
    compare_heads,
    compare_rows,
    figure,
    period_drill,
    result,
    same_period_last_year,
    superior_name,
    total,
    value_of,
)


def lines(date_to: dt.date) -> list[Line]:
    within_in, within_out = config.within_province_labels(date_to)
    return [
        Line("start", "A", pgettext_lazy("statistics form", "Party members at the start of the period"), figure("members_start")),
        Line("increase", "B", pgettext_lazy("statistics form", "Increases in the period"), total(*FLOW_INCREASES)),
        Line("admitted", "1", pgettext_lazy("statistics form", "Admitted"), figure("admitted"), 1),
        Line("transferred_in", "2", pgettext_lazy("statistics form", "Transferred in"), figure("transferred_in"), 1),
        Line("transferred_in_other_province", "", pgettext_lazy("statistics form", "From another province or city"),
             figure("transferred_in_other_province"), 2),
        Line("transferred_in_same_province", "", within_in, figure("transferred_in_same_province"), 2),
        Line("restored", "3", pgettext_lazy("statistics form", "Membership restored"), figure("restored"), 1),
        Line("reorganized_in", "4", pgettext_lazy("statistics form", "Came with their organization (reorganization)"),
             figure("reorganized_in"), 1),
        Line("decrease", "C", pgettext_lazy("statistics form", "Decreases in the period"), total(*FLOW_DECREASES)),
        Line("died", "1", pgettext_lazy("statistics form", "Died"), figure("died"), 1),
        Line("expelled", "2", pgettext_lazy("statistics form", "Expelled"), figure("expelled"), 1),
        Line("removed", "3", pgettext_lazy("statistics form", "Removed from the rolls"), figure("removed"), 1),
        Line("removed_probationary", "", pgettext_lazy("statistics form", "of which probationary members"),
             figure("removed_probationary"), 2),
        Line("resigned", "4", pgettext_lazy("statistics form", "Left the Party at their own request"), figure("resigned"), 1),
        Line("transferred_out", "5", pgettext_lazy("statistics form", "Transferred out"), figure("transferred_out"), 1),
        Line("transferred_out_other_province", "", pgettext_lazy("statistics form", "To another province or city"),
             figure("transferred_out_other_province"), 2),
        Line("transferred_out_same_province", "", within_out, figure("transferred_out_same_province"), 2),
        Line("reorganized_out", "6", pgettext_lazy("statistics form", "Left with their organization (reorganization)"),
             figure("reorganized_out"), 1),
        Line("end", "D", pgettext_lazy("statistics form", "Party members at the end of the period"), figure("members_end")),
    ]


def period_data(org: Organization, date_from: dt.date, date_to: dt.date, *, required: bool = True) -> dict | None:
    """`flows` with its splits (`figures.period_figures`: one statement); for the year before
    (`required=False`), None when the organization did not exist then."""
    try:
        data = period_figures(org, date_from, date_to)
    except DomainError:
        if required:
            raise
        return None
    return {**data, **{f"badges_{k}": v for k, v in data["badges_awarded"].items()}}


def build(org: Organization, *, date_from: dt.date, date_to: dt.date) -> dict:
    current = period_data(org, date_from, date_to)
    last_from, last_to = same_period_last_year(date_from, date_to)
    last = period_data(org, last_from, last_to, required=False)
    return result(
        SPEC, current["org"], superior_name(org, date_to),
        {"from": date_from.isoformat(), "to": date_to.isoformat(),
         "last_year": {"from": last_from.isoformat(), "to": last_to.isoformat()}},
        compare_rows(lines(date_to), current, last),
    )


def _unless_reorganized(keys, reorganized: str):
    """A total lists its events only when no member came or left with an organization in that column (those
    are no member's event: the list would fall short of the figure)."""
    def target(data: dict, row: dict, column: str) -> str | None:
        return None if value_of(data, reorganized, column) else ",".join(keys)
    return target


#: Drill-down: each count of the form → the rows it counts (`queries.figure_lists`, source `period`).
DRILL = {
    "start": "members_start", "end": "members_end",
    "increase": _unless_reorganized(("admitted", "transferred_in", "restored"), "reorganized_in"),
    "decrease": _unless_reorganized(("transferred_out", "died", "removed", "expelled", "resigned"), "reorganized_out"),
    **{k: k for k in ("admitted", "transferred_in", "restored", "died", "expelled", "removed", "resigned",
                      "transferred_out", "transferred_in_other_province", "transferred_in_same_province",
                      "transferred_out_other_province", "transferred_out_same_province", "removed_probationary")},
}


SPEC = FormSpec(
    number=1, title=_("Increase and decrease of party members"), period=True, build=build,
    heads=lambda: compare_heads(pgettext_lazy("statistics form", "Criterion")),
    note=_("D = A + B − C. Members who entered or left with their organization (a move, merger or split across "
           "the boundary) are shown on their own rows."),
    drill=period_drill(DRILL),
    pages=1,
)
