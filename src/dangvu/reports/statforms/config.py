"""Configuration of the statistics forms (biểu mẫu thống kê cơ bản, HD 11-HD/BTCTW): the parts the
sources leave UNCONFIRMED (domain-rules §12.4), each a Django setting or environment variable with a
documented default (README "Configuration"). Read when a form is built, so tests may override them.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from dangvu.core.text import fold_key
from dangvu.organizations.models import UnitKind

#: How a transfer across the edge of the database (a TRANSFERRED_IN / TRANSFERRED_OUT event: the other
#: side is not recorded here) is split in form 1: "other_province" (the default: a database holding
#: one province) or "same_province" (a database holding one district or commune of the province).
EXTERNAL_CHOICES = ("other_province", "same_province")
#: From this day the district level is gone (Resolution 60-NQ/TW, 2025): form 1's "another district
#: of the province" sub-rows become "another unit of the province" unless configured.
DISTRICTS_ABOLISHED_ON = dt.date(2025, 7, 1)


def _setting(name: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    return str(value).strip()


def signer_title() -> str:
    """The title signing for the committee (DANGVU_FORMS_SIGNER_TITLE; default "Trưởng ban")."""
    return _setting("DANGVU_FORMS_SIGNER_TITLE") or _("Head of the Organization Commission")


def external_transfers() -> str:
    """DANGVU_FORMS_EXTERNAL_TRANSFERS: other_province (default) or same_province."""
    value = _setting("DANGVU_FORMS_EXTERNAL_TRANSFERS") or EXTERNAL_CHOICES[0]
    if value not in EXTERNAL_CHOICES:
        raise ImproperlyConfigured(f"DANGVU_FORMS_EXTERNAL_TRANSFERS must be one of {', '.join(EXTERNAL_CHOICES)}: "
                                   f"{value!r}")
    return value


def within_province_labels(day: dt.date) -> tuple[str, str]:
    """The labels of form 1's "within the province" sub-rows (in, out) for a period ending on `day`:
    DANGVU_FORMS_WITHIN_PROVINCE_IN / _OUT when set; else "another district of the province" up to
    30/6/2025 and "another unit of the province" from 1/7/2025 (UNCONFIRMED)."""
    came, went = _setting("DANGVU_FORMS_WITHIN_PROVINCE_IN"), _setting("DANGVU_FORMS_WITHIN_PROVINCE_OUT")
    if day < DISTRICTS_ABOLISHED_ON:
        defaults = (_("From another district of the province"), _("To another district of the province"))
    else:
        defaults = (_("From another unit of the province"), _("To another unit of the province"))
    return came or defaults[0], went or defaults[1]


def unit_kind_rows() -> tuple[str, ...]:
    """The rows of form 5, in order: DANGVU_FORMS_UNIT_KINDS, comma-separated values of UnitKind
    (default: every kind in its declared order). A kind left out counts under "Other"."""
    value = _setting("DANGVU_FORMS_UNIT_KINDS")
    if not value:
        return tuple(UnitKind.values)
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    unknown = [k for k in kinds if k not in UnitKind.values]
    if unknown or len(set(kinds)) != len(kinds):
        raise ImproperlyConfigured(f"DANGVU_FORMS_UNIT_KINDS lists kinds of grassroots unit once each, among "
                                   f"{', '.join(UnitKind.values)}: {value!r}")
    if UnitKind.OTHER not in kinds:
        kinds += (UnitKind.OTHER.value,)
    return kinds


# -- forms 2 and 4: the categories of what the member's profile holds as text ----------------------------

#: Form 4's religions (DANGVU_FORMS_RELIGIONS): comma-separated entries `Name` or `Name=alias|alias`; a
#: member's religion counts under the entry whose name or alias it is (compared folded: no diacritics,
#: case, spaces); any other religion under "Tôn giáo khác". The list of the form (domain-rules §12.4).
DEFAULT_RELIGIONS = ("Phật giáo=Đạo Phật|Phật, Công giáo=Thiên Chúa giáo|Thiên Chúa|Đạo Thiên Chúa|Công giáo La Mã,"
                     " Phật giáo Hòa Hảo=Hòa Hảo, Cao Đài=Đạo Cao Đài, Tin Lành=Đạo Tin Lành, Hồi giáo=Islam|Đạo Hồi")
#: Form 2's general education (trình độ giáo dục phổ thông): the grade written "9/12", "7/10" falls in
#: primary, lower or upper secondary by the last grade of primary and of lower secondary of its school
#: system (DANGVU_FORMS_EDUCATION_SYSTEMS: `years:primary,lower` entries, comma-separated by `;`); words
#: ("Tiểu học", "THCS", "cấp 3"…) by their names.
DEFAULT_EDUCATION_SYSTEMS = "12:5,9; 10:4,7; 9:4,7"
EDUCATION_KEYS = ("primary", "lower_secondary", "upper_secondary")
_EDUCATION_WORDS = {
    "primary": ("tieuhoc", "cap1"),
    "lower_secondary": ("thcs", "trunghoccoso", "cap2"),
    "upper_secondary": ("thpt", "trunghocphothong", "cap3", "botucthpt"),
}
#: Form 2's professional qualification (trình độ chuyên môn) from the text written, by the beginning of
#: its folded words (DANGVU_FORMS_QUALIFICATIONS: `key=prefix|prefix` entries, comma-separated, first
#: match wins); keys among QUALIFICATION_KEYS.
QUALIFICATION_KEYS = ("doctor", "master", "university", "college", "intermediate", "elementary")
DEFAULT_QUALIFICATIONS = ("doctor=tien si, master=thac si|ths|bac si chuyen khoa, university=dai hoc|cu nhan|ky su|"
                          "bac si|duoc si dai hoc|kien truc su|luat su, college=cao dang,"
                          " intermediate=trung cap|trung hoc chuyen nghiep, elementary=so cap|cong nhan ky thuat")
#: Form 2: how many occupations (as written in the profile, the most frequent first) get a row of their own.
DEFAULT_OCCUPATION_ROWS = 10


def religions() -> list[tuple[str, frozenset[str]]]:
    """(name, folded names and aliases) of each religion row of form 4, in order."""
    value = _setting("DANGVU_FORMS_RELIGIONS") or DEFAULT_RELIGIONS
    out = []
    for entry in value.split(","):
        name, _sep, aliases = entry.partition("=")
        name = name.strip()
        if not name:
            continue
        keys = {fold_key(name), *(fold_key(a) for a in aliases.split("|") if a.strip())}
        out.append((name, frozenset(keys)))
    if not out:
        raise ImproperlyConfigured(f"DANGVU_FORMS_RELIGIONS lists religions, e.g. 'Phật giáo, Công giáo': {value!r}")
    return out


def education_systems() -> dict[int, tuple[int, int]]:
    """{years of the school system: (last grade of primary, last grade of lower secondary)}."""
    value = _setting("DANGVU_FORMS_EDUCATION_SYSTEMS") or DEFAULT_EDUCATION_SYSTEMS
    systems = {}
    try:
        for entry in value.split(";"):
            if entry.strip():
                years, _sep, grades = entry.partition(":")
                primary, lower = (int(g) for g in grades.split(","))
                systems[int(years)] = (primary, lower)
    except ValueError:
        systems = {}
    if not systems or any(not 0 < p < lw < y for y, (p, lw) in systems.items()):
        raise ImproperlyConfigured(f"DANGVU_FORMS_EDUCATION_SYSTEMS lists `years:primary,lower` entries separated by "
                                   f"';', e.g. '12:5,9; 10:4,7': {value!r}")
    return systems


def education_category(text: str, systems: dict[int, tuple[int, int]]) -> str | None:
    """The EDUCATION_KEYS key of a general education as written ("9/12", "Tiểu học"), None when empty or
    not understood."""
    text = (text or "").strip()
    match = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})", text)
    if match:
        grade, years = int(match[1]), int(match[2])
        if years not in systems or not 0 < grade <= years:
            return None
        primary, lower = systems[years]
        return EDUCATION_KEYS[0] if grade <= primary else EDUCATION_KEYS[1] if grade <= lower else EDUCATION_KEYS[2]
    folded = fold_key(text)
    for key, words in _EDUCATION_WORDS.items():
        if any(folded.startswith(fold_key(w)) for w in words):
            return key
    return None


def qualifications() -> list[tuple[str, tuple[str, ...]]]:
    """(key, folded prefixes) of form 2's qualification rows, the first match wins."""
    value = _setting("DANGVU_FORMS_QUALIFICATIONS") or DEFAULT_QUALIFICATIONS
    out = []
    for entry in value.split(","):
        key, _sep, prefixes = entry.partition("=")
        key = key.strip()
        if key not in QUALIFICATION_KEYS or not prefixes.strip():
            raise ImproperlyConfigured(f"DANGVU_FORMS_QUALIFICATIONS lists `key=prefix|prefix` entries, keys among "
                                       f"{', '.join(QUALIFICATION_KEYS)}: {value!r}")
        out.append((key, tuple(fold_key(p) for p in prefixes.split("|") if p.strip())))
    return out


def qualification_category(text: str, table: list[tuple[str, tuple[str, ...]]]) -> str | None:
    folded = fold_key(text)
    if not folded:
        return None
    return next((key for key, prefixes in table if any(folded.startswith(p) for p in prefixes)), "other")


def occupation_rows() -> int:
    """DANGVU_FORMS_OCCUPATION_ROWS: how many occupations get a row of form 2 (default 10)."""
    value = _setting("DANGVU_FORMS_OCCUPATION_ROWS")
    try:
        n = int(value) if value else DEFAULT_OCCUPATION_ROWS
    except ValueError:
        n = -1
    if n < 0:
        raise ImproperlyConfigured(f"DANGVU_FORMS_OCCUPATION_ROWS is a whole number ≥ 0: {value!r}")
    return n
