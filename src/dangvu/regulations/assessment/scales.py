"""The rating scales (thang xếp loại) by period, their levels and labels as written, and the common
key of each level across scales."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from django.utils.translation import gettext_lazy as _

from dangvu.core.text import fold_key

from .groups import BOTH, MEMBER, ORGANIZATION

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
