"""Biểu số 7-BTCTW: member-work tasks (công tác đảng viên) of a period — Party badges by milestone,
party cards, transfer letters official and temporary, out and in, exemptions — from the member
events (the queries of `report flows` and `figures.period_figures`), with the same period of the
year before and the ratio."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu import regulations as R
from dangvu.organizations.models import Organization

from .form1 import period_data
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
)


def lines(milestones) -> list[Line]:
    badge_keys = [f"badges_{m}" for m in milestones]
    return [
        Line("badges", "1", pgettext_lazy("statistics form", "Party badges awarded"), total(*badge_keys)),
        *(Line(f"badges_{m}", "", pgettext_lazy("statistics form", "%(years)s-year Party badge") % {"years": m}, figure(f"badges_{m}"),
               1) for m in milestones),
        Line("cards_issued", "2", pgettext_lazy("statistics form", "Party cards issued"), figure("cards_issued")),
        Line("cards_first", "", pgettext_lazy("statistics form", "Issued to official members"), figure("cards_first"), 1),
        Line("cards_reissued", "", pgettext_lazy("statistics form", "Reissued or exchanged (lost, damaged)"), figure("cards_reissued"), 1),
        Line("official_transfers", "3", pgettext_lazy("statistics form", "Official transfer of party activities"),
             total("transferred_out", "transferred_in")),
        Line("transferred_out", "", pgettext_lazy("statistics form", "Introduced out"), figure("transferred_out"), 1),
        Line("transferred_in", "", pgettext_lazy("statistics form", "Received in"), figure("transferred_in"), 1),
        Line("temporary_transfers", "4", pgettext_lazy("statistics form", "Temporary transfer of party activities"),
             total("temporary_out", "temporary_in")),
        Line("temporary_out", "", pgettext_lazy("statistics form", "Introduced out"), figure("temporary_out"), 1),
        Line("temporary_in", "", pgettext_lazy("statistics form", "Received in"), figure("temporary_in"), 1),
        Line("exempted", "5", pgettext_lazy("statistics form", "Exempted from party work and activities"), figure("exempted")),
    ]


def build(org: Organization, *, date_from: dt.date, date_to: dt.date) -> dict:
    current = period_data(org, date_from, date_to)
    last_from, last_to = same_period_last_year(date_from, date_to)
    last = period_data(org, last_from, last_to, required=False)
    awarded = {int(k) for d in (current, last) if d for k in d["badges_awarded"]}
    milestones = sorted(set(R.rules_on(date_to).badge_milestones) | awarded)
    return result(
        SPEC, current["org"], superior_name(org, date_to),
        {"from": date_from.isoformat(), "to": date_to.isoformat(),
         "last_year": {"from": last_from.isoformat(), "to": last_to.isoformat()}},
        compare_rows(lines(milestones), current, last),
    )


def _badge(data: dict, row: dict, column: str) -> dict | str | None:
    if row["key"] == "badges":
        return "badges_awarded"
    return {"figure": "badges_awarded", "milestone": row["key"].removeprefix("badges_")}


class _Drill(dict):
    """The drill-down of form 7: the badges of every milestone row too."""

    def get(self, key, default=None):
        if key.startswith("badges"):
            return _badge
        return super().get(key, default)


DRILL = _Drill({
    **{k: k for k in ("cards_issued", "cards_first", "cards_reissued", "transferred_out", "transferred_in",
                      "temporary_out", "temporary_in", "exempted")},
    "official_transfers": "transferred_out,transferred_in",
    "temporary_transfers": "temporary_out,temporary_in",
})


SPEC = FormSpec(
    number=7, title=_("Party member work"), period=True, build=build,
    heads=lambda: compare_heads(pgettext_lazy("statistics form", "Task")),
    note=_("Official transfers are those across the boundary of the organization's subtree; temporary transfers "
           "are the letters recorded in this database."),
    drill=period_drill(DRILL),
    pages=1,
)
