"""Biểu số 6-BTCTW: results of the quality assessment (kết quả đánh giá, xếp loại chất lượng) of a
year — grassroots organizations (of which đảng bộ cơ sở, chi bộ cơ sở), đảng bộ bộ phận, subordinate chi
bộ and members: how many at the year's end, rated by level (count and share of those rated), the causes
of "did not complete tasks", not rated (of which founded less than `not_rated_min_months` before; exempted) — from
`report assessment` (`queries.assessment`: the same counts and percentages, nothing recomputed), the rows
of one kind of organization from `assessment_by_kind` in the same shape, the sub-columns from
`assessment_details`. Of the causes of "not completed" only discipline is recorded: the others are blank
columns saying so (as form 2's Youth Union row). The headings and the note that name a rule value (the months
of "founded recently", the share of the targets) format the value of the year's rules (`regulations.assessment_rules`),
as the counts read it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization
from dangvu.regulations.assessment import MEMBERS, ORGANIZATIONS, SUBORDINATE_CELLS, percent

from ..queries.assessment import _percent, _subtree, assessment, assessment_by_kind, assessment_details
from ..queries.assessment_lists import (
    NOT_COMPLETED_DISCIPLINED,
    NOT_RATED,
    NOT_RATED_EXEMPTED,
    NOT_RATED_NEW,
    RATED,
    check_figure,
)
from .layout import NUMBER, Column, FormSpec, Group, result, superior_name

#: The rows (key, number, label, level): the groups of `report assessment`, and the organizations of one kind
#: (`queries.assessment.KIND_GROUPS`) as HD 11 Biểu 6 lists them (domain-rules §12.4): the grassroots
#: organizations split into đảng bộ cơ sở and chi bộ cơ sở, the đảng bộ bộ phận, the chi bộ trực thuộc.
ROWS = (
    (ORGANIZATIONS, "1", pgettext_lazy("statistics form", "Grassroots party organizations"), 1),
    ("grassroots_committees", "", pgettext_lazy("statistics form", "Grassroots party committees"), 2),
    ("grassroots_cells", "", pgettext_lazy("statistics form", "Grassroots party cells"), 2),
    ("partial_committees", "2", pgettext_lazy("statistics form", "Partial party committees"), 1),
    (SUBORDINATE_CELLS, "3", pgettext_lazy("statistics form", "Party cells subordinate to a grassroots committee"), 1),
    (MEMBERS, "4", pgettext_lazy("statistics form", "Party members"), 1),
)


#: The causes of "did not complete tasks" of HD 11 Biểu 6 (domain-rules §12.4), each a column: only discipline
#: is on record (a disciplinary event of the year, `assessment_details`); the others stay blank. The targets' label
#: names the share of the year's rules (`causes`).
CAUSES = (
    ("not_completed_degradation", pgettext_lazy("statistics form", "Degradation (not recorded)")),
    ("not_completed_targets", _("Targets not met (not recorded)")),
    ("not_completed_civil_servant", pgettext_lazy("statistics form", "Rated as a civil servant (not recorded)")),
    (NOT_COMPLETED_DISCIPLINED, pgettext_lazy("statistics form", "Disciplined in the year")),
    ("not_completed_other", pgettext_lazy("statistics form", "Other causes (not recorded)")),
)
#: The figures of a row that a list of names backs (`drill`).
FIGURES = (RATED, *R.COMMON_KEYS, NOT_COMPLETED_DISCIPLINED, NOT_RATED, NOT_RATED_NEW, NOT_RATED_EXEMPTED)


def _rules(year: int | None) -> R.AssessmentRules:
    """The rules of the year's assessment (of last year, the form's default, when no year is given)."""
    return R.assessment_rules(timezone.localdate().year - 1 if year is None else year)


def causes(year: int | None = None) -> tuple[tuple[str, str], ...]:
    """CAUSES, the targets' label with the share under which the year's rules rate "not completed"."""
    share = _rules(year).targets_min_share
    if share is None:
        return CAUSES
    return tuple((key, gettext("Under %(share)s of the targets (not recorded)") % {"share": percent(share)}
                  if key == "not_completed_targets" else label) for key, label in CAUSES)


def heads(year: int | None = None):
    """The header of the form of `year`: the headings that name a rule value read it in the year's rules."""
    months = _rules(year).not_rated_min_months
    return (
        NUMBER,
        Column("label", pgettext_lazy("statistics form", "Party organizations, party members"), 34),
        Column("total", pgettext_lazy("statistics form", "Total at the end of the year")),
        Group(pgettext_lazy("statistics form", "Assessed and rated"), (
            Column("rated", pgettext_lazy("statistics form", "Total"), 10),
            *(Group(R.KEY_NAMES[key], (Column(key, pgettext_lazy("statistics form", "Number"), 10),
                                       Column(f"{key}_percent", pgettext_lazy("statistics form", "Rate (%)"), 9,
                                              ratio=True)))
              for key in R.COMMON_KEYS),
        )),
        Group(pgettext_lazy("statistics form", "Of which did not complete tasks, by cause"), tuple(
            Column(key, label, 10) for key, label in causes(year))),
        Group(pgettext_lazy("statistics form", "Not assessed or rated"), (
            Column(NOT_RATED, pgettext_lazy("statistics form", "Total"), 9),
            Column(NOT_RATED_NEW, gettext("Of which founded less than %(months)s months before") % {"months": months},
                   11),
            Column(NOT_RATED_EXEMPTED, pgettext_lazy("statistics form", "Of which exempted from activities"), 11),
        )),
    )


def _values(group: dict, common: dict[str, str]) -> dict:
    """The row of one group of `assessment`: its counts and percentages as the report gives them;
    a scale before 2018 folded onto the four levels by `regulations.COMMON_KEY` (counts summed, the
    share of the sum by the report's own function). Nobody rated: the rates are blank, not 0,0%."""
    rated = group["rated"]
    values = {"total": rated + group["not_rated"], "rated": rated, "not_rated": group["not_rated"]}
    same_scale = set(group["by_rating"]) == set(R.COMMON_KEYS)
    for key in R.COMMON_KEYS:
        n = group["by_rating"][key] if same_scale else sum(
            v for k, v in group["by_rating"].items() if common.get(k) == key)
        share = group["percent"][key] if same_scale else _percent(n, rated)
        values[key], values[f"{key}_percent"] = n, share if rated else None
    return values


def _details(key: str, details: dict) -> dict:
    """The sub-columns of a row: the recorded causes of "not completed" and the parts of "not rated" that
    apply to it (members: exempted, disciplined; organizations: founded recently); the others blank."""
    values = {k: None for k, _label in CAUSES}
    values |= {NOT_RATED_NEW: None, NOT_RATED_EXEMPTED: None}
    return values | details[key]


def build(org: Organization, *, year: int) -> dict:
    subtree = _subtree(org, year)
    data = assessment(org, year, subtree)
    groups = {**data, **assessment_by_kind(org, year, subtree)}
    details = assessment_details(org, year, subtree)
    common = data["scale"]["common_keys"]
    rows = [{"key": key, "number": number, "label": str(label), "level": level,
             "values": _values(groups[key], common) | _details(key, details)} for key, number, label, level in ROWS]
    return result(SPEC, data["org"], superior_name(org, dt.date(year, 12, 31)),
                  {"year": year}, rows, scale={"code": data["scale"]["code"], "regulation": data["scale"]["regulation"]},
                  warnings=data["warnings"])


def drill(data: dict, row: dict, column: str) -> dict | None:
    """A count of the form opens the assessment's own list of that figure (`reports:assessment_list`):
    rated, a level of the year's scale, not rated, and the sub-figures. The total at the year's end (two
    lists) and a level folded from an older scale link nowhere."""
    figure = column if column in FIGURES else None
    if figure is None:
        return None
    try:
        check_figure(data["year"], row["key"], figure)
    except DomainError:  # a level the year's scale does not have (folded onto the four levels)
        return None
    return {"list": "reports:assessment_list", "year": data["year"], "group": row["key"], "figure": figure}


def note(year: int | None = None) -> str:
    """The note under the form of `year`, with the months of "founded recently" of the year's rules."""
    return gettext(
        "From the assessment report: a rating counts where it was decided, in the subtree as it stood on 31 December, "
        "and an organization under the kind it had that day (partial party committees are rated, but are no group of "
        "the assessment report); the rate is the share of those rated. “Not rated” includes members exempted from "
        "activities and organizations founded less than %(months)s months before the year's end (reviewed, not rated; "
        "from the date of establishment on file). Of the causes of “did not complete tasks” only discipline is "
        "recorded (a disciplinary decision of the year): the other causes are left blank. Scales before 2018 are shown "
        "on the four levels of 2018 (a correspondence the software draws).") % {"months": _rules(year).not_rated_min_months}


SPEC = FormSpec(
    number=6, title=_("Results of the quality assessment of party organizations and party members"), period=False,
    yearly=True, build=build, heads=heads, drill=drill,
    note=note,
    pages=1,
)
