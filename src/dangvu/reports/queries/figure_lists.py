"""Drill-down (xem chi tiết): the members or organizations behind one figure of a report, with the same
filters, in the shape of the assessment's lists (`assessment_lists.assessment_figure`: `subject`,
`subject_id`, `code`, `title`, `place_code`, `place`, `label_text`, `decided`, `score`, `is_exempted`,
`is_suspended`; and
`label_kind`: what `label_text` holds — a status, an event, an organization's or a transfer's kind)
so that one list page, one paging and one workbook serve them all.

A figure is named by a *source* and its parameters (what the report's cell declares; the statistics
forms map each cell to one, `statforms.layout.FormSpec.drill`):
- `profile` (`as_of`, `breakdown`, `key`): the members `report profile` counts there;
- `snapshot` (`as_of`, `figure`: members.<key> or organizations.<key>): those `report snapshot` counts;
- `period` (`from`, `to`, `figure`: keys of `report flows` or of `statforms.figures.period_figures`,
  comma-separated for a total; `members_start` / `members_end`; `badges_awarded` with `milestone`;
  `admitted` with `key`, a row of form 2 — the admitted of one kind —, and for its "other occupations"
  `exclude`, the occupations with a row of their own);
- `unit_kind` (`as_of`, `unit_kinds`, `column`): what form 5 counts in a row and column;
- `ethnicity_religion` (`as_of`, `key`: a row of form 4, `column`: members | female): the members of
  one ethnic group or religion, as form 4 counts them.
Each is a queryset (paged by the page, streamed by the workbook): a fixed number of statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import CharField, DateField, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from dangvu.core.errors import DomainError
from dangvu.lifecycle.models import Transfer
from dangvu.members.models import MemberEvent, MemberPeriod, MemberStatus, Sex
from dangvu.organizations.models import Organization, OrganizationKind, OrganizationPeriod
from dangvu.organizations.selectors import subtree_as_of_sql

from .common import KINH, MEMBER_KEYS
from .flows import _KIND_OF_KEY, FLOW_LIST_KEYS, _check_period, _flows_cte, _window
from .profile import BREAKDOWNS, profile_member_ids

SOURCES = ("profile", "snapshot", "period", "unit_kind", "ethnicity_religion")
K = OrganizationKind
#: The organization kinds each organizations key of the snapshot (and column of form 5) counts.
ORG_KINDS = {
    "grassroots": (K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_CELL),
    "grassroots_committees": (K.GRASSROOTS_COMMITTEE,),
    "grassroots_cells": (K.GRASSROOTS_CELL,),
    "partial_committees": (K.PARTIAL_COMMITTEE,),
    "subordinate_cells": (K.SUBORDINATE_CELL,),
    "cells": (K.GRASSROOTS_CELL, K.SUBORDINATE_CELL),  # every chi bộ (the dashboard's figure)
}
_NONE = Value(None, output_field=CharField())


def _bad(key) -> DomainError:
    return DomainError(_("Unknown figure “%(key)s”.") % {"key": key}, field="figure")


def _in_subtree(org: Organization, day: dt.date) -> RawSQL:
    sql, params = subtree_as_of_sql(org.pk, day)
    return RawSQL(sql, params)


def _members(periods: QuerySet) -> QuerySet:
    """Member periods as list rows: the cell of the day, the status."""
    return periods.values(
        subject_id=F("member_id"), code=F("member__code"), title=F("member__full_name"), place_code=F("cell__code"),
        place=F("cell__name"), label_text=F("status"), decided=Value(None, output_field=DateField()), score=_NONE,
        is_exempted=F("exempted"), is_suspended=F("suspended"),
    ).annotate(subject=Value("member"), label_kind=Value("status")).order_by("member__sort_key", "member_id")


def placed(org: Organization, day: dt.date) -> QuerySet:
    """The member periods of `day` in `org`'s subtree as the tree stood that day (what the snapshot counts)."""
    return MemberPeriod.objects.active_on(day).filter(cell_id__in=_in_subtree(org, day))


def _organizations(org_periods: QuerySet) -> QuerySet:
    return org_periods.values(
        subject_id=F("organization_id"), code=F("organization__code"), title=F("name"), place_code=F("parent__code"),
        place=F("parent__name"), label_text=F("kind"), decided=F("organization__established_on"), score=_NONE,
        is_exempted=Value(False), is_suspended=Value(False),
    ).annotate(subject=Value("organization"), label_kind=Value("organization")).order_by("organization__code")


def _events(events: QuerySet) -> QuerySet:
    """Member events as list rows: the cell of the event (else the member's current one), the kind, the day."""
    return events.values(
        subject_id=F("member_id"), code=F("member__code"), title=F("member__full_name"),
        place_code=Coalesce(F("cell__code"), F("member__cell__code")),
        place=Coalesce(F("cell__name"), F("member__cell__name")), label_text=F("kind"), decided=F("effective_on"),
        score=_NONE, is_exempted=Value(False), is_suspended=Value(False),
    ).annotate(subject=Value("member"), label_kind=Value("event")).order_by("effective_on", "member__sort_key", "id")


# --- the sources ---------------------------------------------------------------------------------------

def profile_figure(org: Organization, day: dt.date, breakdown: str, key: str) -> QuerySet:
    if breakdown != "total" and breakdown not in BREAKDOWNS:
        raise _bad(breakdown)
    sql, params = profile_member_ids(org, day, breakdown, key)
    return _members(placed(org, day).filter(member_id__in=RawSQL(sql, params)))


def snapshot_figure(org: Organization, day: dt.date, figure: str) -> QuerySet:
    group, _dot, key = figure.partition(".")
    if group == "organizations" and key in ORG_KINDS:
        return _organizations(OrganizationPeriod.objects.active_on(day).filter(
            organization_id__in=_in_subtree(org, day), kind__in=ORG_KINDS[key]))
    if group != "members" or key not in MEMBER_KEYS:
        raise _bad(figure)
    periods = placed(org, day)
    conditions = {
        "total": Q(), "official": Q(status=MemberStatus.OFFICIAL), "probationary": Q(status=MemberStatus.PROBATIONARY),
        "female": Q(member__sex=Sex.FEMALE),
        "ethnic_minority": ~Q(member__ethnicity=KINH) & Q(member__ethnicity__isnull=False),
        "religious": ~Q(member__religion="") & Q(member__religion__isnull=False), "exempted": Q(exempted=True),
    }
    return _members(periods.filter(conditions[key]))


def period_figure(org: Organization, date_from: dt.date, date_to: dt.date, figure: str,
                  milestone: int | None = None, key: str = "", exclude: Sequence[str] = ()) -> QuerySet:
    """The rows behind a figure of a period (forms 1, 2 and 7): events of `report flows`, the splits and
    member-work rows of `period_figures`, or the members at the start / end; with `key` (figure
    `admitted`), the admitted of one kind as a row of form 2 counts them (`form2.row_filter`; `exclude`:
    the occupations with a row of their own, for "other occupations")."""
    from ..statforms import form2
    from ..statforms.figures import _FIGURE_ROWS, admission_rows, period_rows

    _check_period(date_from, date_to)
    if key:
        row = form2.row_filter(key, exclude) if figure == "admitted" else None
        if row is None:
            raise _bad(key)
        sql, params = admission_rows(org, date_from, date_to, *row)
        return _events(MemberEvent.objects.filter(pk__in=RawSQL(sql, params)))
    keys = [k.strip() for k in figure.split(",") if k.strip()]
    if keys == ["members_start"]:
        return _members(placed(org, _window(date_from, date_to)[0]))
    if keys == ["members_end"]:
        return _members(placed(org, date_to))
    if keys and all(k in _FIGURE_ROWS for k in keys):
        parts = [period_rows(org, date_from, date_to, k) for k in keys]
        if len({what for what, _sql, _params in parts}) > 1:
            raise _bad(figure)
        any_of = Q(pk__in=[])
        for _what, sql, params in parts:
            any_of |= Q(pk__in=RawSQL(sql, params))
        if parts[0][0] == "transfer":
            return Transfer.objects.filter(any_of).values(
                subject_id=F("member_id"), code=F("member__code"), title=F("member__full_name"),
                place_code=F("from_cell__code"), place=F("from_cell__name"), label_text=F("kind"),
                decided=F("issued_on"), score=_NONE, is_exempted=Value(False), is_suspended=Value(False),
            ).annotate(subject=Value("member"), label_kind=Value("transfer")).order_by("issued_on", "member__sort_key",
                                                                                       "id")
        return _events(MemberEvent.objects.filter(any_of))
    if not keys or any(k not in FLOW_LIST_KEYS for k in keys):
        raise _bad(figure)
    cte, params = _flows_cte(org.pk, date_from, date_to)
    kinds = [_KIND_OF_KEY[k] for k in keys]
    sql = f"{cte} SELECT f.event_id FROM f WHERE f.kind IN ({', '.join(['%s'] * len(kinds))})"
    params = [*params, *kinds]
    if keys == ["badges_awarded"] and milestone is not None:
        sql += " AND f.milestone = %s"
        params.append(int(milestone))
    return _events(MemberEvent.objects.filter(pk__in=RawSQL(sql, params)))


def unit_kind_figure(org: Organization, day: dt.date, unit_kinds: list[str], column: str) -> QuerySet:
    from ..statforms.figures import unit_kind_rows

    if column == "members":
        sql, params = unit_kind_rows(org, day, unit_kinds, None)
        return _members(MemberPeriod.objects.filter(pk__in=RawSQL(sql, params)))
    if column not in ORG_KINDS:
        raise _bad(column)
    sql, params = unit_kind_rows(org, day, unit_kinds, [k.value for k in ORG_KINDS[column]])
    return _organizations(OrganizationPeriod.objects.active_on(day).filter(organization_id__in=RawSQL(sql, params)))


def ethnicity_religion_figure(org: Organization, day: dt.date, key: str, column: str) -> QuerySet:
    from ..statforms import form4
    from ..statforms.figures import ethnicity_religion_rows

    row = form4.row_filter(key)
    if row is None:
        raise _bad(key)
    if column not in ("members", "female"):
        raise _bad(column)
    sql, params = ethnicity_religion_rows(org, day, *row, female=column == "female")
    return _members(MemberPeriod.objects.filter(pk__in=RawSQL(sql, params)))


def figure_rows(org: Organization, source: str, params) -> tuple[QuerySet, str]:
    """The rows of a figure named by `source` and its parameters (`params.get`, texts already parsed into
    dates by the caller: `as_of`, `from`, `to` are dates; `exclude` a list of texts), and the subject listed ("member" |
    "organization"). DomainError on an unknown figure."""
    if source == "profile":
        rows = profile_figure(org, params["as_of"], params.get("breakdown") or "", params.get("key") or "")
    elif source == "snapshot":
        rows = snapshot_figure(org, params["as_of"], params.get("figure") or "")
    elif source == "period":
        milestone = params.get("milestone") or None
        if milestone is not None and not str(milestone).isdigit():
            raise DomainError(_("“%(value)s” is not a badge milestone.") % {"value": milestone}, field="milestone")
        rows = period_figure(org, params["from"], params["to"], params.get("figure") or "",
                             int(milestone) if milestone else None, params.get("key") or "",
                             params.get("exclude") or ())
    elif source == "unit_kind":
        rows = unit_kind_figure(org, params["as_of"], (params.get("unit_kinds") or "").split(","),
                                params.get("column") or "")
    elif source == "ethnicity_religion":
        rows = ethnicity_religion_figure(org, params["as_of"], params.get("key") or "", params.get("column") or "")
    else:
        raise DomainError(_("Unknown figure “%(key)s”.") % {"key": source}, field="source")
    subject = "organization" if rows.query.model in (OrganizationPeriod, Organization) else "member"
    return rows, subject


__all__ = ["SOURCES", "ethnicity_religion_figure", "figure_rows", "period_figure", "placed", "profile_figure",
           "snapshot_figure", "unit_kind_figure"]
