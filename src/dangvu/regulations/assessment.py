"""Annual quality assessment (đánh giá, xếp loại chất lượng): the rating scales by period and the rules
of each assessment regulation — the cap on "excellent", the hard limits, who is not rated (domain-rules §7).

Scales (`SCALES`, `scale_for(year)`): a year is rated on the scale in force for it.

| scale code   | years       | regulation                                      | keys |
|--------------|-------------|-------------------------------------------------|------|
| `hd27_2014`  | up to 2017  | HD 27-HD/BTCTW (2014)                            | organizations: `clean_strong_exemplary`, `clean_strong`, `good`, `completed`, `weak`; members: `excellent`, `good`, `completed`, `not_completed` |
| `qd132_2018` | 2018–2022   | QĐ 132-QĐ/TW (2018), HD 16 (2018), HD 21 (2019)  | `excellent`, `good`, `completed`, `not_completed` |
| `qd124_2023` | 2023–2024   | QĐ 124-QĐ/TW (2023), HD 25-HD/BTCTW (2023)        | same four |
| `qd366_2025` | 2025 onward | QĐ 366-QĐ/TW (2025), HD 43-HD/BTCTW (2025)        | same four, with points: ≥ 90, 70, 50, below 50 |

Labels are matched by folded text (case, diacritics, spaces and punctuation ignored), so
`Hoàn thành xuất sắc nhiệm vụ`, `HOAN THANH XUAT SAC NHIEM VU` and `HTXSNV` are the same label.
UNCONFIRMED: the member labels of the 2014 scale ("đủ tư cách, …") are recalled, accepted as
aliases only; the years before 2014 are rated on the 2014 scale (the older guides are not encoded).

Across scales, every level has a `COMMON_KEYS` key (the four levels of 2018 on): an explicit table
(`COMMON_KEY`), by rank — a correspondence the software draws, not a rule of any text (reports
that span years say so). The four-level scales map to themselves.

Rules (`AssessmentRules`, one per assessment regulation, keyed by the first year it rates;
`assessment_rules(year)` gives the rules for a year's assessment): the cap on "excellent" (ratio,
whether the base counts the excellent, which groups it binds, always within each deciding
organization), the hard limits, who is not rated. Each field cites domain-rules; the UNCONFIRMED ones
(`unconfirmed`) an administrator may set in the rules file (`core.rule_settings`), e.g.
``excellent_cap_ratio = 0.25`` or ``excellent_cap_groups = ["members", "organizations"]``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import months_between
from dangvu.core.rule_settings import rule_overrides
from dangvu.core.text import fold_key

from .refusals import Refusal, _refusal, _violation

MEMBER = "member"
ORGANIZATION = "organization"
BOTH = frozenset({MEMBER, ORGANIZATION})

#: The groups a rating is counted in (contracts §3 `report assessment`).
MEMBERS = "members"
SUBORDINATE_CELLS = "subordinate_cells"
ORGANIZATIONS = "organizations"  # grassroots organizations (tổ chức cơ sở đảng)
OTHER = "other"  # partial committees and committees above grassroots
GROUPS = (ORGANIZATIONS, SUBORDINATE_CELLS, MEMBERS)
GROUP_NAMES = {
    ORGANIZATIONS: _("grassroots organizations"),
    SUBORDINATE_CELLS: _("subordinate party cells"),
    MEMBERS: _("party members"),
    OTHER: _("other organizations"),
}

#: Display names of every key (the Vietnamese label as written is stored on each rating).
KEY_NAMES = {
    "excellent": _("Completed tasks excellently"),
    "good": _("Completed tasks well"),
    "completed": _("Completed tasks"),
    "not_completed": _("Did not complete tasks"),
    "clean_strong_exemplary": _("Clean and strong, exemplary"),
    "clean_strong": _("Clean and strong"),
    "weak": _("Weak"),
}

COMMON_KEYS = ("excellent", "good", "completed", "not_completed")


@dataclass(frozen=True)
class Level:
    """One level of a scale: its key, its label as written, for members, organizations or both;
    `min_points`: the score it needs where the scale has points."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    subjects: frozenset = BOTH
    min_points: int | None = None

    def folded(self) -> set[str]:
        return {fold_key(t) for t in (self.label, *self.aliases)}


@dataclass(frozen=True)
class Scale:
    """Thang xếp loại: its levels, best first, for the years `first_year`..`last_year` (None: open)."""

    code: str
    regulation: str
    first_year: int | None
    last_year: int | None
    levels: tuple[Level, ...]
    _index: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    @property
    def has_points(self) -> bool:
        return any(level.min_points is not None for level in self.levels)

    def covers(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (self.last_year is None or year <= self.last_year)

    def match(self, text: str, subject: str | None = None) -> Level | None:
        """The level whose label (or alias, or key) folds to the same text, or None."""
        if not self._index:
            for level in self.levels:
                for k in (*level.folded(), fold_key(level.key)):
                    self._index.setdefault(k, []).append(level)
        for level in self._index.get(fold_key(text), []):
            if subject is None or subject in level.subjects:
                return level
        return None

    def level(self, key: str, subject: str | None = None) -> Level | None:
        return next((lv for lv in self.levels if lv.key == key and (subject is None or subject in lv.subjects)), None)

    def labels(self, subject: str | None = None) -> list[str]:
        return [lv.label for lv in self.levels if subject is None or subject in lv.subjects]

    def keys(self, subject: str | None = None) -> list[str]:
        return list(dict.fromkeys(lv.key for lv in self.levels if subject is None or subject in lv.subjects))

    def rank(self, key: str) -> int:
        """0 for the best level; comparable within one subject's levels."""
        return self.keys().index(key)

    def level_for_points(self, points, subject: str | None = None) -> Level | None:
        """The best level the score reaches (domain-rules §7.7, QĐ 366 Art. 10), None without points."""
        if not self.has_points:
            return None
        for level in self.levels:
            if (subject is None or subject in level.subjects) and level.min_points is not None and points >= level.min_points:
                return level
        return None


FOUR_LEVELS = (
    Level("excellent", "Hoàn thành xuất sắc nhiệm vụ", ("HTXSNV", "HTXS nhiệm vụ")),
    Level("good", "Hoàn thành tốt nhiệm vụ", ("HTTNV", "HTT nhiệm vụ")),
    Level("completed", "Hoàn thành nhiệm vụ", ("HTNV",)),
    Level("not_completed", "Không hoàn thành nhiệm vụ", ("KHTNV",)),
)
#: QĐ 366-QĐ/TW Art. 10 (domain-rules §7.3, §7.7): ≥ 90, 70 to < 90, 50 to < 70, < 50 points.
FOUR_LEVELS_WITH_POINTS = tuple(
    dataclasses.replace(level, min_points=points) for level, points in zip(FOUR_LEVELS, (90, 70, 50, 0), strict=True)
)

SCALES: tuple[Scale, ...] = (
    Scale(
        "hd27_2014", "HD 27-HD/BTCTW (2014)", None, 2017,
        (
            Level("clean_strong_exemplary", "Trong sạch vững mạnh tiêu biểu", ("TSVM tiêu biểu", "TSVMTB"),
                  frozenset({ORGANIZATION})),
            Level("clean_strong", "Trong sạch vững mạnh", ("TSVM",), frozenset({ORGANIZATION})),
            Level("excellent", "Hoàn thành xuất sắc nhiệm vụ",
                  ("HTXSNV", "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ"), frozenset({MEMBER})),
            Level("good", "Hoàn thành tốt nhiệm vụ", ("HTTNV", "Đủ tư cách, hoàn thành tốt nhiệm vụ")),
            Level("completed", "Hoàn thành nhiệm vụ",
                  ("HTNV", "Đủ tư cách, hoàn thành nhiệm vụ", "Đủ tư cách nhưng còn hạn chế")),
            Level("not_completed", "Không hoàn thành nhiệm vụ",
                  ("KHTNV", "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ"), frozenset({MEMBER})),
            Level("weak", "Yếu kém", ("Yếu kém",), frozenset({ORGANIZATION})),
        ),
    ),
    Scale("qd132_2018", "QĐ 132-QĐ/TW (2018), HD 21-HD/BTCTW (2019)", 2018, 2022, FOUR_LEVELS),
    Scale("qd124_2023", "QĐ 124-QĐ/TW (2023), HD 25-HD/BTCTW (2023)", 2023, 2024, FOUR_LEVELS),
    Scale("qd366_2025", "QĐ 366-QĐ/TW (2025), HD 43-HD/BTCTW (2025)", 2025, None, FOUR_LEVELS_WITH_POINTS),
)
SCALES_BY_CODE = {s.code: s for s in SCALES}

#: scale code → {key → common key}: every level of every scale (a test checks it is total). The 2014
#: scale by rank (UNCONFIRMED: no text maps the old levels to the new ones): "trong sạch vững mạnh",
#: the best of its four organization levels ("tiêu biểu" a distinction within it), ↔ excellent;
#: "yếu kém" ↔ not completed.
COMMON_KEY: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "hd27_2014": MappingProxyType({
        "clean_strong_exemplary": "excellent", "clean_strong": "excellent", "excellent": "excellent",
        "good": "good", "completed": "completed", "not_completed": "not_completed", "weak": "not_completed",
    }),
    **{code: MappingProxyType({k: k for k in COMMON_KEYS}) for code in ("qd132_2018", "qd124_2023", "qd366_2025")},
})


def scale_for(year: int) -> Scale:
    """The scale a year is rated on."""
    return next(s for s in SCALES if s.covers(year))


def common_key(scale_code: str, key: str) -> str:
    """The level of the four-level scales that `key` of `scale_code` corresponds to (`COMMON_KEY`)."""
    return COMMON_KEY[scale_code][key]


# --- the rules of each assessment regulation -----------------------------------------------------

#: Who is not rated (không đánh giá, xếp loại): these reasons.
EXEMPTED = "exempted"  # miễn công tác và sinh hoạt đảng
SUSPENDED = "suspended"  # đình chỉ sinh hoạt
ADMITTED_RECENTLY = "admitted_recently"  # kết nạp chưa đủ `not_rated_min_months`
NOT_RATED_REASONS = (EXEMPTED, SUSPENDED, ADMITTED_RECENTLY)


@dataclass(frozen=True)
class AssessmentRules:
    """The rules of one assessment regulation, for the years from `first_year` (None: since ever)."""

    code: str
    first_year: int | None
    scale: Scale
    # The cap on "excellent" (HTXSNV): at most `ratio` × (those rated good [+ excellent]) within each
    # deciding organization (TCCSĐ for members and subordinate chi bộ, superior committee for TCCSĐ),
    # for each group of `excellent_cap_groups`. None: no cap.
    excellent_cap_ratio: Fraction | None
    excellent_cap_base_includes_excellent: bool
    excellent_cap_groups: tuple[str, ...]
    # Hard limits (not above "not completed").
    disciplined_max: str | None  # the best key for a member or organization disciplined in the year
    disciplined_exception: bool  # unless found and fixed by itself (the reason is recorded)
    units_disciplined_max_share: Fraction | None  # an organization with more of its units disciplined
    targets_min_share: Fraction | None  # an organization that met fewer of its targets
    excellent_needs_no_unit_disciplined: bool  # an organization rated excellent has no unit disciplined
    # Who is not rated.
    not_rated: tuple[str, ...]
    not_rated_min_months: int  # members admitted fewer months before are not rated
    # Time limits of the decisions, in days after 31/12 of the year assessed (0: by 31/12): the
    # grassroots committee's on its members and subordinate chi bộ, the superior committee's on its
    # grassroots organizations. No text read gives them (domain-rules §7.6, §7.7): UNCONFIRMED everywhere.
    deadline_grassroots_days: int = 0
    deadline_superior_days: int = 31
    sources: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    unconfirmed: frozenset[str] = frozenset()
    overridden: tuple[str, ...] = ()

    def decision_deadline(self, year: int, *, superior: bool) -> dt.date:
        """The day by which the ratings of `year` are decided: by the grassroots committee (members,
        subordinate chi bộ) or, `superior`, by the committee above (grassroots organizations)."""
        days = self.deadline_superior_days if superior else self.deadline_grassroots_days
        return dt.date(year, 12, 31) + dt.timedelta(days=days)

    def cap_base(self, good: int, excellent: int) -> int:
        return good + (excellent if self.excellent_cap_base_includes_excellent else 0)

    def cap_allows(self, group: str, good: int, excellent: int) -> bool:
        """Whether `excellent` ratings are within the cap of `group` given `good` ratings."""
        if self.excellent_cap_ratio is None or group not in self.excellent_cap_groups or not excellent:
            return True
        return excellent <= self.excellent_cap_ratio * self.cap_base(good, excellent)


_F = Fraction
_CITE = {
    "cap_hd21": "HD 21-HD/BTCTW (2019): HTXSNV ≤ 20% of the members rated HTTNV within each TCCSĐ (domain-rules §7.7)",
    "cap_hd21_orgs": "no matching sentence for organizations in HD 21 (domain-rules §7.7): UNCONFIRMED",
    "cap_qd124": "the cap wording of QĐ 124 / HD 25 was not found; HD 21's carried over (domain-rules §7.4, §7.7)",
    "cap_qd366": "QĐ 366-QĐ/TW Art. 11 §1.5: ≤ 20% of those rated HTTNV, collectives and individuals (domain-rules §7.7)",
    "cap_base": "whether the HTTNV count includes the HTXSNV is not said; default: it does not (domain-rules §7.7)",
    "discipline_qd124": "QĐ 124-QĐ/TW: disciplined in the year → KHTNV, unless found and fixed by itself (domain-rules §7.7)",
    "discipline_qd366": "QĐ 366-QĐ/TW Art. 10: discipline → KHTNV; where admitted and fixed the authority considers "
                        "(domain-rules §7.7)",
    "units_qd124": "QĐ 124-QĐ/TW: more than 20% of subordinate units disciplined → KHTNV (domain-rules §7.5, §7.7)",
    "targets_qd124": "QĐ 124-QĐ/TW: under 50% of targets → KHTNV (domain-rules §7.5, §7.7)",
    "targets_qd366": "QĐ 366-QĐ/TW Art. 10: collectives under 70% of tasks → KHTNV (domain-rules §7.7)",
    "excellent_qd366": "QĐ 366-QĐ/TW Art. 10: a collective rated HTXSNV has no subordinate unit disciplined "
                       "(domain-rules §7.7)",
    "not_rated_hd21": "HD 21-HD/BTCTW: not rated — exempted, suspended; under 6 months: reviewed, not rated "
                      "(domain-rules §7.7)",
    "not_rated_qd366": "QĐ 366-QĐ/TW Art. 5 §2.1 (and QĐ 124): exempted, suspended, admitted less than 6 months "
                       "before (domain-rules §7.7)",
    "carried": "not described for this regulation; carried over from the next one (UNCONFIRMED)",
    "deadline": "year-end, usually November–December, the levels above in December or January; no cut-off "
                "date found in HD 21, HD 25 or HD 43 (domain-rules §7.6, §7.7): a configurable default, UNCONFIRMED",
}
#: The decision time limits: no text gives them under any regulation.
_DEADLINES = frozenset({"deadline_grassroots_days", "deadline_superior_days"})
_DEADLINE_SOURCES = {"deadline_grassroots_days": _CITE["deadline"], "deadline_superior_days": _CITE["deadline"]}

HD27_2014 = AssessmentRules(
    code="HD 27-HD/BTCTW (2014)", first_year=None, scale=SCALES_BY_CODE["hd27_2014"],
    excellent_cap_ratio=None, excellent_cap_base_includes_excellent=False, excellent_cap_groups=(),
    disciplined_max=None, disciplined_exception=False, units_disciplined_max_share=None, targets_min_share=None,
    excellent_needs_no_unit_disciplined=False,
    not_rated=(EXEMPTED, SUSPENDED, ADMITTED_RECENTLY), not_rated_min_months=6,
    sources={**_DEADLINE_SOURCES, "not_rated": _CITE["carried"], "not_rated_min_months": _CITE["carried"],
             "excellent_cap_ratio": "no cap known before 2019 (domain-rules §7.4)"},
    unconfirmed=frozenset({"not_rated", "not_rated_min_months", "disciplined_max"}) | _DEADLINES,
)
QD132_2018 = dataclasses.replace(
    HD27_2014, code="QĐ 132-QĐ/TW (2018), HD 16-HD/BTCTW (2018)", first_year=2018, scale=SCALES_BY_CODE["qd132_2018"],
    disciplined_max="not_completed",
    sources={**_DEADLINE_SOURCES, "disciplined_max": _CITE["carried"], "not_rated": _CITE["carried"],
             "not_rated_min_months": _CITE["carried"], "excellent_cap_ratio": "no cap known before 2019 (domain-rules §7.4)"},
    unconfirmed=frozenset({"not_rated", "not_rated_min_months", "disciplined_max"}) | _DEADLINES,
)
HD21_2019 = dataclasses.replace(
    QD132_2018, code="QĐ 132-QĐ/TW (2018), HD 21-HD/BTCTW (2019)", first_year=2019,
    excellent_cap_ratio=_F(1, 5), excellent_cap_groups=(MEMBERS,),
    sources={**_DEADLINE_SOURCES, "excellent_cap_ratio": _CITE["cap_hd21"], "excellent_cap_base_includes_excellent": _CITE["cap_hd21"],
             "excellent_cap_groups": _CITE["cap_hd21_orgs"], "disciplined_max": _CITE["carried"],
             "not_rated": _CITE["not_rated_hd21"], "not_rated_min_months": _CITE["not_rated_hd21"]},
    unconfirmed=frozenset({"excellent_cap_groups", "disciplined_max"}) | _DEADLINES,
)
QD124_2023 = dataclasses.replace(
    HD21_2019, code="QĐ 124-QĐ/TW (2023), HD 25-HD/BTCTW (2023)", first_year=2023, scale=SCALES_BY_CODE["qd124_2023"],
    disciplined_exception=True, units_disciplined_max_share=_F(1, 5), targets_min_share=_F(1, 2),
    sources={**_DEADLINE_SOURCES, "excellent_cap_ratio": _CITE["cap_qd124"], "excellent_cap_base_includes_excellent": _CITE["cap_base"],
             "excellent_cap_groups": _CITE["cap_qd124"], "disciplined_max": _CITE["discipline_qd124"],
             "disciplined_exception": _CITE["discipline_qd124"], "units_disciplined_max_share": _CITE["units_qd124"],
             "targets_min_share": _CITE["targets_qd124"], "not_rated": _CITE["not_rated_qd366"],
             "not_rated_min_months": _CITE["not_rated_qd366"]},
    unconfirmed=frozenset({"excellent_cap_ratio", "excellent_cap_base_includes_excellent", "excellent_cap_groups"}) | _DEADLINES,
)
QD366_2025 = dataclasses.replace(
    QD124_2023, code="QĐ 366-QĐ/TW (2025), HD 43-HD/BTCTW (2025)", first_year=2025, scale=SCALES_BY_CODE["qd366_2025"],
    excellent_cap_groups=(ORGANIZATIONS, SUBORDINATE_CELLS, MEMBERS), targets_min_share=_F(7, 10),
    excellent_needs_no_unit_disciplined=True,
    sources={**_DEADLINE_SOURCES, "excellent_cap_ratio": _CITE["cap_qd366"], "excellent_cap_base_includes_excellent": _CITE["cap_base"],
             "excellent_cap_groups": _CITE["cap_qd366"], "disciplined_max": _CITE["discipline_qd366"],
             "disciplined_exception": _CITE["discipline_qd366"], "units_disciplined_max_share": _CITE["carried"],
             "targets_min_share": _CITE["targets_qd366"], "excellent_needs_no_unit_disciplined": _CITE["excellent_qd366"],
             "not_rated": _CITE["not_rated_qd366"], "not_rated_min_months": _CITE["not_rated_qd366"]},
    unconfirmed=frozenset({"excellent_cap_base_includes_excellent", "units_disciplined_max_share"}) | _DEADLINES,
)

ASSESSMENT_REGULATIONS: tuple[AssessmentRules, ...] = (HD27_2014, QD132_2018, HD21_2019, QD124_2023, QD366_2025)

#: The fields an administrator may set (those UNCONFIRMED under some regulation), → where.
ASSESSMENT_UNCONFIRMED_FIELDS: dict[str, str] = {
    name: "unconfirmed for " + ", ".join(r.code for r in ASSESSMENT_REGULATIONS if name in r.unconfirmed)
    for name in sorted({n for r in ASSESSMENT_REGULATIONS for n in r.unconfirmed})
}


def _coerce(name: str, current: Any, value: Any) -> Any:
    if name in ("excellent_cap_ratio", "units_disciplined_max_share", "targets_min_share"):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError
        result = Fraction(str(value))
        if not 0 < result <= 1:
            raise ValueError
        return result
    if name in ("excellent_cap_base_includes_excellent", "disciplined_exception", "excellent_needs_no_unit_disciplined"):
        if not isinstance(value, bool):
            raise ValueError
        return value
    if name == "excellent_cap_groups":
        if isinstance(value, str) or any(v not in GROUPS for v in value):
            raise ValueError
        return tuple(value)
    if name == "not_rated":
        if isinstance(value, str) or any(v not in NOT_RATED_REASONS for v in value):
            raise ValueError
        return tuple(value)
    if name in _DEADLINES:  # days after 31/12, before it when negative
        if isinstance(value, bool) or not isinstance(value, int) or not -365 <= value <= 365:
            raise ValueError
        return value
    if name == "not_rated_min_months":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError
        return value
    if name == "disciplined_max":
        if value not in COMMON_KEYS:
            raise ValueError
        return value
    raise ValueError  # pragma: no cover - every unconfirmed field is listed above


def assessment_rules(year: int, overrides: Mapping[str, Any] | None = None) -> AssessmentRules:
    """The rules of the assessment of `year`, with the administrator's settings of the UNCONFIRMED ones
    (the rules file when `overrides` is None). A setting of a field confirmed under that regulation is
    ignored there (the text wins); a setting of the lifecycle rules (`rules_on`) is not this function's.
    An invalid value raises RuleViolation "rules.override_invalid"."""
    rules = ASSESSMENT_REGULATIONS[0]
    for candidate in ASSESSMENT_REGULATIONS:
        if candidate.first_year is None or candidate.first_year <= year:
            rules = candidate
    if overrides is None:
        overrides = rule_overrides()
    changes = {}
    for name, value in overrides.items():
        if name not in ASSESSMENT_UNCONFIRMED_FIELDS or name not in rules.unconfirmed:
            continue
        try:
            changes[name] = _coerce(name, getattr(rules, name), value)
        except (TypeError, ValueError, ZeroDivisionError):
            raise _violation("rules.override_invalid", field=name, setting=name, value=repr(value)) from None
    if not changes:
        return rules
    return dataclasses.replace(rules, **changes, overridden=tuple(sorted(changes)))


def percent(share: Fraction) -> str:
    """20% (a share of a rule, for messages)."""
    return f"{float(share) * 100:g}%"


def cap_refusal(rules: AssessmentRules, *, group: str, good: int, excellent: int, org: str) -> Refusal | None:
    """The cap on "excellent" broken by `excellent` and `good` ratings of `group` decided in `org`, or None."""
    if rules.cap_allows(group, good, excellent):
        return None
    base = rules.cap_base(good, excellent)
    return _refusal("assessment.excellent_over_cap", excellent=excellent, org=org, group=GROUP_NAMES[group],
                    ratio=percent(rules.excellent_cap_ratio), base=base,
                    or_better=_(" or better") if rules.excellent_cap_base_includes_excellent else "",
                    allowed=int(rules.excellent_cap_ratio * base), regulation=rules.code)


def group_of(kind: str | None) -> str:
    """The group a rating counts in, from the organization's kind (None: a member)."""
    if kind is None:
        return MEMBERS
    if kind in ("grassroots_committee", "grassroots_cell"):
        return ORGANIZATIONS
    if kind == "subordinate_cell":
        return SUBORDINATE_CELLS
    return OTHER


def not_rated_reason(rules: AssessmentRules, *, exempted: bool = False, suspended: bool = False,
                     admitted_on: dt.date | None = None, day: dt.date | None = None) -> Refusal | None:
    """Why a member is not rated under `rules` (the first reason), or None."""
    if exempted and EXEMPTED in rules.not_rated:
        return _refusal("assessment.not_rated_exempted", regulation=rules.code)
    if suspended and SUSPENDED in rules.not_rated:
        return _refusal("assessment.not_rated_suspended", regulation=rules.code)
    if (ADMITTED_RECENTLY in rules.not_rated and admitted_on is not None and day is not None
            and months_between(admitted_on, day) < rules.not_rated_min_months):
        return _refusal("assessment.not_rated_recent", admitted=admitted_on, months=rules.not_rated_min_months,
                        regulation=rules.code)
    return None


def limit_refusals(rules: AssessmentRules, *, key: str, group: str, points=None, disciplined: bool = False,
                   exception_reason: str = "", units_total: int | None = None, units_disciplined: int | None = None,
                   targets_met: Fraction | None = None) -> list[Refusal]:
    """The hard limits a rating `key` of a member or organization (`group`) breaks under `rules`:
    the score's level (where the scale has points), discipline in the year, the share of units
    disciplined, the share of targets met. `exception_reason` (found and fixed by itself) lifts the
    discipline limit where the regulation allows it."""
    scale = rules.scale
    subject = MEMBER if group == MEMBERS else ORGANIZATION
    result = []
    worst = scale.keys(subject)[-1]
    if scale.has_points and points is not None:
        reached = scale.level_for_points(points, subject)
        if reached is not None and scale.rank(key) < scale.rank(reached.key):
            result.append(_refusal("assessment.points_too_low", points=points, level=KEY_NAMES[key],
                                   reached=KEY_NAMES[reached.key], regulation=rules.code))
    lifted = rules.disciplined_exception and exception_reason.strip()
    if disciplined and rules.disciplined_max is not None and not lifted and scale.rank(key) < scale.rank(rules.disciplined_max):
        result.append(_refusal("assessment.disciplined", level=KEY_NAMES[rules.disciplined_max], regulation=rules.code))
    if subject == ORGANIZATION and key != worst:
        if (rules.units_disciplined_max_share is not None and units_total and units_disciplined is not None
                and units_disciplined > rules.units_disciplined_max_share * units_total):
            result.append(_refusal("assessment.units_disciplined", disciplined=units_disciplined, total=units_total,
                                   share=percent(rules.units_disciplined_max_share), regulation=rules.code))
        if rules.targets_min_share is not None and targets_met is not None and targets_met < rules.targets_min_share:
            result.append(_refusal("assessment.targets", share=percent(rules.targets_min_share), regulation=rules.code))
        if rules.excellent_needs_no_unit_disciplined and key == "excellent" and units_disciplined:
            result.append(_refusal("assessment.excellent_unit_disciplined", regulation=rules.code))
    return result
