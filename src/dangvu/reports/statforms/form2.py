"""Biểu số 2-BTCTW: party members newly admitted (đảng viên mới kết nạp) in a period — the
`admitted` of `report flows`, by what the member's profile records: sex, ethnicity, religion,
readmission, age on the day of admission (bands of the configuration), general education,
professional qualification, occupation as written — with the same period of the year before and
the ratio. What the profile does not record (Youth Union membership) is a blank row saying so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import Sex
from dangvu.organizations.models import Organization, OrganizationPeriod

from ..queries.common import KINH
from ..queries.flows import _check_period
from ..queries.profile import DEFAULT_AGE_BANDS, band_keys, bands_setting
from . import config
from .figures import admissions
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
)

EDUCATION_LABELS = {
    "primary": pgettext_lazy("statistics form", "Primary"),
    "lower_secondary": pgettext_lazy("statistics form", "Lower secondary"),
    "upper_secondary": pgettext_lazy("statistics form", "Upper secondary"),
}
QUALIFICATION_LABELS = {
    "doctor": pgettext_lazy("statistics form", "Doctorate"),
    "master": pgettext_lazy("statistics form", "Master's degree"),
    "university": pgettext_lazy("statistics form", "University"),
    "college": pgettext_lazy("statistics form", "College"),
    "intermediate": pgettext_lazy("statistics form", "Intermediate vocational"),
    "elementary": pgettext_lazy("statistics form", "Elementary vocational, skilled worker"),
    "other": pgettext_lazy("statistics form", "Other qualification written"),
}


def age_bounds() -> tuple[int, ...]:
    """DANGVU_FORMS_ADMISSION_AGE_BANDS: lower bounds of the age bands (default: those of form 3)."""
    return bands_setting("DANGVU_FORMS_ADMISSION_AGE_BANDS", DEFAULT_AGE_BANDS)


#: The key prefix of an occupation as written (its row: the text after the prefix).
OCCUPATION = "occupation:"


def _band(years: int, bounds: tuple[int, ...]) -> str:
    index = max((i for i, low in enumerate(bounds) if years >= low), default=None)
    return f"age_{band_keys(bounds)[index]}" if index is not None else "age_below"


def row_filter(key: str, shown: Sequence[str] = ()) -> tuple[str, Callable[[str], bool]] | None:
    """The breakdown of `figures.admissions` a row of one kind of member counts, and the test of a value
    (as `admissions` gives it: text, "" when empty) that row counts: `female`, `ethnic_minority`,
    `religious`, `readmitted`, `age_…`, `education_…`, `qualification_…`, `occupation_none`,
    `occupation_other` (an occupation not among `shown`, those with a row of their own) and
    "occupation:TEXT" (one occupation as written). None for any other key. The form's figures and its
    drill-down are both counted through it."""
    if key == "female":
        return "sex", lambda v: v == Sex.FEMALE.value
    if key == "ethnic_minority":
        return "ethnicity", lambda v: v != KINH
    if key == "religious":
        return "religion", lambda v: bool(v.strip())
    if key == "readmitted":
        return "readmitted", lambda v: v == "1"
    if key.startswith("age_"):
        bounds = age_bounds()
        return "age", lambda v: v.strip().lstrip("-").isdigit() and _band(int(v), bounds) == key
    if key.startswith("education_"):
        systems = config.education_systems()
        return "general_education", lambda v: f"education_{config.education_category(v, systems) or 'unknown'}" == key
    if key.startswith("qualification_"):
        table = config.qualifications()
        return ("professional_qualification",
                lambda v: f"qualification_{config.qualification_category(v, table) or 'none'}" == key)
    if key == "occupation_none":
        return "occupation", lambda v: not v.strip()
    if key == "occupation_other":
        others = set(shown)
        return "occupation", lambda v: bool(v.strip()) and v.strip() not in others
    if key.startswith(OCCUPATION):
        text = key[len(OCCUPATION):].strip()
        return "occupation", lambda v: bool(text) and v.strip() == text
    return None


def occupations(counts: dict) -> dict[str, int]:
    """The occupations written (stripped) with their number of members admitted, from `admissions`."""
    out: dict[str, int] = {}
    for text, n in counts["occupation"].items():
        if text.strip():
            out[text.strip()] = out.get(text.strip(), 0) + n
    return out


def figures(counts: dict, keys: Sequence[str], shown: Sequence[str]) -> dict:
    """The figures of one period from `figures.admissions` (grouped rows: one entry per value recorded,
    never per member): `admitted`, and each of `keys` counted through `row_filter`."""
    f: dict = {"admitted": counts["total"]}
    for key in keys:
        breakdown, accept = row_filter(key, shown)
        f[key] = sum(n for value, n in counts[breakdown].items() if accept(value))
    return f


def _occupation_line(text: str) -> Line:
    """The row of one occupation as written: keyed by its text (the same occupation has the same key in
    every period, whatever its rank)."""
    return Line(f"{OCCUPATION}{text}", "", text, figure(f"{OCCUPATION}{text}"), 1)


def lines(bounds: tuple[int, ...], shown: list[str]) -> list[Line]:
    keys = band_keys(bounds)
    return [
        Line("admitted", "A", pgettext_lazy("statistics form", "Party members admitted in the period"), figure("admitted")),
        Line("female", "", pgettext_lazy("statistics form", "of which women"), figure("female"), 2),
        Line("ethnic_minority", "", pgettext_lazy("statistics form", "of which ethnic minorities"), figure("ethnic_minority"), 2),
        Line("religious", "", pgettext_lazy("statistics form", "of which following a religion"), figure("religious"), 2),
        Line("readmitted", "", pgettext_lazy("statistics form", "of which readmitted"), figure("readmitted"), 2),
        Line("youth_union", "", pgettext_lazy("statistics form", "of which Youth Union members (not recorded in the profile)"),
             lambda f: None, 2),
        Line("age", "B", pgettext_lazy("statistics form", "By age on the day of admission"), figure("admitted")),
        Line("age_below", "", pgettext_lazy("statistics form", "Under %(years)s") % {"years": bounds[0]}, figure("age_below"), 1),
        *(Line(f"age_{k}", str(i), _band_label(k), figure(f"age_{k}"), 1) for i, k in enumerate(keys, start=1)),
        Line("education", "C", pgettext_lazy("statistics form", "By general education"), figure("admitted")),
        *(Line(f"education_{k}", str(i), label, figure(f"education_{k}"), 1)
          for i, (k, label) in enumerate(EDUCATION_LABELS.items(), start=1)),
        Line("education_unknown", str(len(EDUCATION_LABELS) + 1),
             pgettext_lazy("statistics form", "Not recorded or not understood"), figure("education_unknown"), 1),
        Line("qualification", "D", pgettext_lazy("statistics form", "By professional qualification"), figure("admitted")),
        *(Line(f"qualification_{k}", str(i), label, figure(f"qualification_{k}"), 1)
          for i, (k, label) in enumerate(QUALIFICATION_LABELS.items(), start=1)),
        Line("qualification_none", str(len(QUALIFICATION_LABELS) + 1), pgettext_lazy("statistics form", "None recorded"),
             figure("qualification_none"), 1),
        Line("occupation", "E", pgettext_lazy("statistics form", "By occupation (as written in the profile)"), figure("admitted")),
        *(_occupation_line(text) for text in shown),
        Line("occupation_other", "", pgettext_lazy("statistics form", "Other occupations"), figure("occupation_other"), 1),
        Line("occupation_none", "", pgettext_lazy("statistics form", "None recorded"), figure("occupation_none"), 1),
    ]


def _band_label(key: str) -> str:
    if key.endswith("+"):
        return str(pgettext_lazy("statistics form", "%(years)s and over") % {"years": key[:-1]})
    low, _sep, high = key.partition("-")
    return str(pgettext_lazy("statistics form", "From %(low)s to %(high)s") % {"low": low, "high": high})


def _name(org: Organization, date_from: dt.date, date_to: dt.date) -> str | None:
    """The organization's name at the latest of its periods that meets [date_from, date_to] (as
    `flows` names it), None when it did not exist then. One query."""
    return (OrganizationPeriod.objects.filter(organization_id=org.pk, valid_from__lte=date_to)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date_from))
            .order_by("-valid_from").values_list("name", flat=True).first())


def build(org: Organization, *, date_from: dt.date, date_to: dt.date) -> dict:
    _check_period(date_from, date_to)
    name = _name(org, date_from, date_to)
    if name is None:
        raise DomainError(_("%(org)s does not exist between %(start)s and %(end)s.")
                          % {"org": org.name, "start": format_date(date_from), "end": format_date(date_to)},
                          field="org")
    bounds = age_bounds()
    counts = admissions(org, date_from, date_to)
    top = sorted(occupations(counts).items(), key=lambda kv: (-kv[1], kv[0]))[:config.occupation_rows()]
    shown = [text for text, _n in top]
    rows = lines(bounds, shown)
    keys = [line.key for line in rows if row_filter(line.key) is not None]
    current = figures(counts, keys, shown)
    last_from, last_to = same_period_last_year(date_from, date_to)
    last = (figures(admissions(org, last_from, last_to), keys, shown) if _name(org, last_from, last_to) is not None
            else None)
    return result(
        SPEC, {"code": org.code, "name": name}, superior_name(org, date_to),
        {"from": date_from.isoformat(), "to": date_to.isoformat(),
         "last_year": {"from": last_from.isoformat(), "to": last_to.isoformat()}},
        compare_rows(rows, current, last),
    )


#: The rows that count every member admitted (the flows' list of the admitted).
ALL_ADMITTED = ("admitted", "age", "education", "qualification", "occupation")


def drill_figure(data: dict, row: dict, column: str) -> str | dict | None:
    """The list behind a row (`period_drill`): every member admitted, or those of one kind — the
    admitted filtered by the profile as the row counts them (`row_filter`; an occupation by its text,
    "other occupations" without those that have a row of their own). The Youth Union row has no figure."""
    key = row["key"]
    if key in ALL_ADMITTED:
        return "admitted"
    if row_filter(key) is None:
        return None
    target = {"figure": "admitted", "key": key}
    if key == "occupation_other":
        target["exclude"] = shown_occupations(data)
    return target


def shown_occupations(data: dict) -> list[str]:
    """The occupations with a row of their own in a built form 2 (their labels)."""
    return [r["key"][len(OCCUPATION):] for r in data["rows"] if r["key"].startswith(OCCUPATION)]


SPEC = FormSpec(
    number=2, title=_("Party members newly admitted"), period=True, build=build, drill=period_drill(drill_figure),
    heads=lambda: compare_heads(pgettext_lazy("statistics form", "Criterion")),
    note=_("The admissions of the flows report (a readmission included). Age in whole years on the day of admission; "
           "general education, qualification and occupation are grouped from what the profile holds as written "
           "(configuration); Youth Union membership is not recorded in the member's profile."),
)
