"""The dashboard's figures as the page shows them (bảng điều khiển): key figures with their change over
the year, the trends table and charts, the weakest units — each number with the URL of the list or
report it counts (drill-down). Presentation only: every figure comes from `queries.dashboard`.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.i18n import int_text
from dangvu.members.models import MemberStatus, Sex
from dangvu.regulations.assessment import MEMBERS

from .queries.trends import common_levels, same_day_last_year


def share(n: int, total: int) -> float | None:
    return round(n * 100 / total, 1) if total else None


def percent_text(value: float | None) -> str:
    return "–" if value is None else number_format(value, decimal_pos=1) + "%"


def change_text(value: float | None, *, points: bool = False) -> str:
    """+12, −3, 0; a change of a share in percentage points (+0,4 điểm %)."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    text = number_format(abs(value), decimal_pos=1) if points else int_text(abs(int(value)))
    return f"{sign}{text}" + (" " + _("pp") if points else "")


def _url(name: str, **query) -> str:
    return reverse(name) + ("?" + urlencode(query) if query else "")


def key_figures(code: str, today: dt.date, days: dict) -> list[dict]:
    """The key figures of today with their change since the same day last year; each links to the list of
    the members (members:list, today's) or organizations (the snapshot's figure list) it counts."""
    now, before = days[today], days[same_day_last_year(today)]
    m, m0 = now["members"], before["members"]
    o, o0 = now["organizations"], before["organizations"]
    members = _url("members:list", org=code)

    def organizations(key: str, label: str) -> str:  # the list of the organizations counted (figure list)
        return _url("reports:figure_list", org=code, source="snapshot", figure=f"organizations.{key}",
                    as_of=today.isoformat(), label=label)

    figures = [
        (_("Party members"), m["total"], m0["total"], None, None, members),
        (_("Official members"), m["official"], m0["official"], m["total"], m0["total"],
         _url("members:list", org=code, status=MemberStatus.OFFICIAL.value)),
        (_("Probationary members"), m["probationary"], m0["probationary"], m["total"], m0["total"],
         _url("members:list", org=code, status=MemberStatus.PROBATIONARY.value)),
        (_("Women"), m["female"], m0["female"], m["total"], m0["total"], _url("members:list", org=code, sex=Sex.FEMALE.value)),
        (_("Ethnic minorities"), m["ethnic_minority"], m0["ethnic_minority"], m["total"], m0["total"],
         _url("members:list", org=code, ethnicity="minority")),
        (_("Grassroots party organizations"), o["grassroots"], o0["grassroots"], None, None,
         organizations("grassroots", _("Grassroots party organizations"))),
        (_("Party cells (chi bộ)"), o["cells"], o0["cells"], None, None,
         organizations("cells", _("Party cells (chi bộ)"))),
    ]
    result = []
    for label, value, old, total, old_total, url in figures:
        pct, old_pct = share(value, total) if total is not None else None, share(old, old_total) if old_total else None
        shared = total is not None
        result.append({
            "label": label, "value": value, "value_text": int_text(value), "url": url,
            "percent": pct, "percent_text": percent_text(pct) if shared else "",
            "change": value - old, "change_text": change_text(value - old),
            "percent_change_text": change_text(round(pct - old_pct, 1), points=True)
            if shared and pct is not None and old_pct is not None else "",
        })
    return result


def _points(today: dt.date, trends: dict) -> list[dt.date]:
    """The points of the trends: every year-end, then today (the same day last year is for the key figures)."""
    last_year = same_day_last_year(today)
    return [d for d in sorted(trends["days"]) if d != last_year or d.month == 12 and d.day == 31]


def trend_rows(code: str, today: dt.date, trends: dict) -> list[dict]:
    """One row per point of the trends (year-ends and today), each figure with its drill-down URL: members
    and shares → the snapshot report of that day; admissions → the flows report's list of those admitted
    that year; rating levels of the members → the assessment report's list of that level."""
    rows = []
    for day in _points(today, trends):
        m = trends["days"][day]["members"]
        year = day.year
        snapshot_url = _url("reports:snapshot", org=code, as_of=day.isoformat())
        start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
        admitted = trends["admitted"].get(year)  # the full year at a year-end, this year up to today
        row = {
            "day": day, "label": format_date(day) if day == today else str(year), "is_today": day == today,
            "members": m["total"], "members_text": int_text(m["total"]), "snapshot_url": snapshot_url,
            "admitted": admitted, "admitted_text": int_text(admitted) if admitted is not None else "–",
            "admitted_url": _url("reports:flows", org=code, **{"from": start.isoformat(), "to": end.isoformat()},
                                 list="admitted"),
            "female_share": share(m["female"], m["total"]), "minority_share": share(m["ethnic_minority"], m["total"]),
        }
        row["female_text"], row["minority_text"] = percent_text(row["female_share"]), percent_text(row["minority_share"])
        ratings = trends["ratings"].get(year, {}).get(MEMBERS) if day != today else None
        row["levels"] = []
        if ratings:
            levels = common_levels(year, ratings)
            rated = sum(levels.values())
            for key in R.COMMON_KEYS:
                pct = share(levels[key], rated)
                row["levels"].append({"key": key, "n": levels[key], "percent": pct, "text": percent_text(pct),
                                      "url": _url("reports:assessment_list", org=code, year=year, group=MEMBERS,
                                                  figure=key)})
        rows.append(row)
    return rows


def chart_figures(rows: list[dict]) -> list[dict]:
    """The charts of the page in order, each {key, title, columns, rows}: the data table under it (its
    fallback in print and without script), a row per point, a column per series, each figure linked
    to what it counts."""
    def cell(text, url):
        return {"text": text, "url": url}

    rated = [r for r in rows if r["levels"]]
    tables = {
        "members": {"columns": [_("Party members")],
                    "rows": [{"label": r["label"], "cells": [cell(r["members_text"], r["snapshot_url"])]} for r in rows]},
        "admitted": {"columns": [_("Admitted")],
                     "rows": [{"label": r["label"], "cells": [cell(r["admitted_text"], r["admitted_url"])]} for r in rows]},
        "shares": {"columns": [_("Women"), _("Ethnic minorities")],
                   "rows": [{"label": r["label"], "cells": [cell(r["female_text"], r["snapshot_url"]),
                                                             cell(r["minority_text"], r["snapshot_url"])]} for r in rows]},
        "levels": {"columns": [R.KEY_NAMES[k] for k in R.COMMON_KEYS],
                   "rows": [{"label": r["label"], "cells": [cell(lv["text"], lv["url"]) for lv in r["levels"]]}
                            for r in rated]},
    }
    titles = {"members": _("Party members"), "admitted": _("Admitted in the year"),
              "shares": _("Shares of women and of ethnic minorities"), "levels": _("Members' ratings by level")}
    return [{"key": key, "title": title, **tables[key]} for key, title in titles.items()]


def chart_data(rows: list[dict]) -> dict:
    """What static/js/dashboard-charts.js draws (passed with json_script: no inline script): the labels,
    and per chart its series with their values and drill-down URLs."""
    labels = [r["label"] for r in rows]
    rated = [r for r in rows if r["levels"]]
    level_names = {k: str(R.KEY_NAMES[k]) for k in R.COMMON_KEYS}
    return {
        "labels": labels,
        "charts": {
            "members": {"kind": "line", "series": [
                {"label": _("Party members"), "data": [r["members"] for r in rows], "urls": [r["snapshot_url"] for r in rows]}]},
            "admitted": {"kind": "bar", "series": [
                {"label": _("Admitted in the year"), "data": [r["admitted"] for r in rows],
                 "urls": [r["admitted_url"] for r in rows]}]},
            "shares": {"kind": "line", "percent": True, "series": [
                {"label": _("Women"), "data": [r["female_share"] for r in rows], "urls": [r["snapshot_url"] for r in rows]},
                {"label": _("Ethnic minorities"), "data": [r["minority_share"] for r in rows],
                 "urls": [r["snapshot_url"] for r in rows]}]},
            "levels": {"kind": "bar", "stacked": True, "percent": True, "labels": [r["label"] for r in rated], "series": [
                {"label": level_names[key], "data": [r["levels"][i]["percent"] for r in rated],
                 "urls": [r["levels"][i]["url"] for r in rated]} for i, key in enumerate(R.COMMON_KEYS)]},
        },
    }


def unit_lists(units: dict) -> list[dict]:
    """The weakest units' lists, each entry with the report of that unit that lists what it counts."""
    year = units["year"]
    lists = []
    if year:
        lists.append({"key": "lowest_rated", "title": _("Lowest share of members rated excellent or good (%(year)s)")
                      % {"year": year}, "rows": [
            {**r, "text": percent_text(r["good_share"]), "detail": f'{int_text(r["good"])}/{int_text(r["rated"])}',
             "url": _url("reports:assessment", org=r["code"], year=year)} for r in units["lowest_rated"]]})
    lists.append({"key": "cells_below", "title": _("Most party cells under the minimum of official members"), "rows": [
        {**r, "text": int_text(r["cells_below"]), "detail": "",
         "url": _url("reports:checks", org=r["code"])} for r in units["cells_below"]]})
    lists.append({"key": "probations_overdue", "title": _("Most probations past their time limit"), "rows": [
        {**r, "text": int_text(r["probations_overdue"]), "detail": "",
         "url": _url("reports:checks", org=r["code"])} for r in units["probations_overdue"]]})
    return lists
