"""Rating scales (thang xếp loại) as data, keyed by the years they apply to (domain-rules §7).

| scale code   | years       | regulation                                   | keys |
|--------------|-------------|----------------------------------------------|------|
| `hd27_2014`  | up to 2017  | HD 27-HD/BTCTW (2014)                         | organizations: `clean_strong_exemplary`, `clean_strong`, `good`, `completed`, `weak`; members: `excellent`, `good`, `completed`, `not_completed` |
| `qd132_2018` | 2018–2022   | QĐ 132-QĐ/TW (2018), HD 16 (2018), HD 21 (2019) | `excellent`, `good`, `completed`, `not_completed` |
| `qd124_2023` | 2023–2024   | QĐ 124-QĐ/TW (2023), HD 25-HD/BTCTW (2023)     | same four |
| `qd366_2025` | 2025 onward | QĐ 366-QĐ/TW (2025), HD 43-HD/BTCTW (2025)     | same four |

Labels are matched by folded text (case, diacritics, spaces and punctuation ignored), so
`Hoàn thành xuất sắc nhiệm vụ`, `HOAN THANH XUAT SAC NHIEM VU` and the usual abbreviation
`HTXSNV` are the same label. UNCONFIRMED: the member labels of the 2014 scale ("đủ tư cách, …"
forms) are recalled, not read in HD 27; they are accepted as aliases only.

The HTXSNV cap (domain-rules §7.4) is data too (`EXCELLENT_CAPS`), see `services.excellent_cap`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from dangvu.core.text import fold_key

MEMBER = "member"
ORGANIZATION = "organization"
BOTH = frozenset({MEMBER, ORGANIZATION})

#: English names of every key, for display (the Vietnamese label as written is stored on the rating).
KEY_NAMES = {
    "excellent": _("Completed tasks excellently"),
    "good": _("Completed tasks well"),
    "completed": _("Completed tasks"),
    "not_completed": _("Did not complete tasks"),
    "clean_strong_exemplary": _("Clean and strong, exemplary"),
    "clean_strong": _("Clean and strong"),
    "weak": _("Weak"),
}


@dataclass(frozen=True)
class Level:
    key: str
    label: str  # as written in the regulation
    aliases: tuple[str, ...] = ()
    subjects: frozenset = BOTH

    def folded(self) -> set[str]:
        return {fold_key(t) for t in (self.label, *self.aliases)}


@dataclass(frozen=True)
class Scale:
    code: str
    regulation: str
    first_year: int | None  # None: since ever
    last_year: int | None  # None: still in force
    levels: tuple[Level, ...]
    _index: dict = field(default_factory=dict, compare=False, repr=False)

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

    def labels(self, subject: str | None = None) -> list[str]:
        return [lv.label for lv in self.levels if subject is None or subject in lv.subjects]


FOUR_LEVELS = (
    Level("excellent", "Hoàn thành xuất sắc nhiệm vụ", ("HTXSNV", "HTXS nhiệm vụ")),
    Level("good", "Hoàn thành tốt nhiệm vụ", ("HTTNV", "HTT nhiệm vụ")),
    Level("completed", "Hoàn thành nhiệm vụ", ("HTNV",)),
    Level("not_completed", "Không hoàn thành nhiệm vụ", ("KHTNV",)),
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
    Scale("qd366_2025", "QĐ 366-QĐ/TW (2025), HD 43-HD/BTCTW (2025)", 2025, None, FOUR_LEVELS),
)


@dataclass(frozen=True)
class Cap:
    """At most `ratio` of those rated `good` (HTTNV) may be rated `excellent` (HTXSNV), from
    `first_year` to `last_year`; the excellent count in the base when `base_includes_excellent`."""

    first_year: int
    last_year: int | None
    ratio: float
    regulation: str
    confirmed: bool
    base_includes_excellent: bool = True

    def base(self, counts) -> int:
        """The number the cap is a share of, from the counts of each rating key."""
        return counts["good"] + (counts["excellent"] if self.base_includes_excellent else 0)


#: domain-rules §7.4. HD 21 (2019): HTXSNV ≤ 20% of those rated HTTNV, within each TCCSĐ.
#: UNCONFIRMED: whether the HTXSNV count in that base (here they do: they were first rated HTTNV or
#: better), and the 2023 and 2025 caps. An administrator may set the ratio and the base
#: (settings DANGVU_EXCELLENT_CAP_RATIO, DANGVU_EXCELLENT_CAP_BASE_INCLUDES_EXCELLENT).
EXCELLENT_CAPS: tuple[Cap, ...] = (
    Cap(2019, 2022, 0.20, "HD 21-HD/BTCTW (2019)", True),
    Cap(2023, 2024, 0.20, "QĐ 124-QĐ/TW, HD 25-HD/BTCTW (2023)", False),
    Cap(2025, None, 0.20, "QĐ 366-QĐ/TW, HD 43-HD/BTCTW (2025)", False),
)
