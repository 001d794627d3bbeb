"""Vietnamese text: diacritics-free folding, name splitting and the Vietnamese sort key.

Folding (bỏ dấu) lower-cases, strips every combining mark and maps đ/Đ to d, so
"Nguyễn Văn Đạt" and "nguyen van dat" fold to the same string. It is used for the
stored search column, for import header matching and for matching choices typed by users.

The sort key orders names the Vietnamese way: by given name, then middle name, then family
name; letters in the Vietnamese alphabet order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r
s t u ư v x y), tones only as a tie-breaker (ngang, huyền, hỏi, ngã, sắc, nặng). The key is
made of lower-case ASCII letters only, so it sorts the same under SQLite's binary collation and
any PostgreSQL collation.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.utils.translation import gettext as _

from .errors import DomainError

_D = str.maketrans({"đ": "d", "Đ": "D"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse white space."""
    if not text:
        return ""
    return " ".join(w for w in map(_fold_word, str(text).split()) if w)


@functools.lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    """One word folded; names and addresses repeat their words a lot (imports fold millions)."""
    decomposed = unicodedata.normalize("NFD", word.translate(_D))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def file_slug(text: str | None, limit: int = 48) -> str:
    """A text as a part of a file name that any system keeps, at most `limit` characters: folded first
    (Django's slugify alone drops đ), then slugified: "Chuyển sinh hoạt: đang chuyển" → "chuyen-sinh-hoat-dang-chuyen"."""
    from django.utils.text import slugify

    return slugify(fold(text))[:limit].strip("-")


def fold_key(text: str | None) -> str:
    """Fold and drop everything but letters and digits: 'Ngày sinh', 'NGAY_SINH' → 'ngaysinh'."""
    return _NON_ALNUM.sub("", fold(text))


def normalize_name(text: str) -> str:
    """Collapse white space and capitalise each word the way names are written."""
    return " ".join(map(_name_word, unicodedata.normalize("NFC", text or "").split()))


@functools.lru_cache(maxsize=65536)
def _name_word(word: str) -> str:
    """One word of a name capitalised; names repeat their words a lot."""
    return word[:1].upper() + word[1:].lower()


def split_name(full_name: str) -> tuple[str, str, str]:
    """Split a Vietnamese full name into (family, middle, given): 'Lò Văn Minh' → ('Lò', 'Văn', 'Minh')."""
    words = normalize_name(full_name).split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_INDEX = {ch: i for i, ch in enumerate(_ALPHABET)}
# Letters outside the Vietnamese alphabet (f, j, w, z in ethnic-minority names) and digits sort
# after the letter they resemble most closely; keep them in a stable order after 'y'.
for _i, _ch in enumerate("fjwz0123456789"):
    _LETTER_INDEX[_ch] = len(_ALPHABET) + _i
_MODIFIERS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng
_SYMBOLS = "bcdefghijklmnopqrstuvwxyz"  # 25 symbols; 'a' is the separator, sorting lowest


def _letters_and_tones(word: str) -> tuple[list[int], list[int]]:
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFC", word.lower()):
        if ch == "đ":
            letters.append(_LETTER_INDEX["đ"])
            tones.append(0)
            continue
        parts = unicodedata.normalize("NFD", ch)
        base, marks = parts[0], parts[1:]
        tone = 0
        for m in marks:
            if m in _TONES:
                tone = _TONES[m]
            elif m in _MODIFIERS:
                base = {"a\u0306": "ă", "a\u0302": "â", "e\u0302": "ê", "o\u0302": "ô", "o\u031b": "ơ", "u\u031b": "ư"}.get(
                    base + m, base
                )
        if base in _LETTER_INDEX:
            letters.append(_LETTER_INDEX[base])
            tones.append(tone)
    return letters, tones


def _encode(n: int) -> str:
    return _SYMBOLS[n // 25] + _SYMBOLS[n % 25]


def sort_key(family: str, middle: str, given: str) -> str:
    """The key that orders names by given, middle, family name in Vietnamese alphabetical order."""
    primary: list[str] = []
    secondary: list[str] = []
    for part in (given, middle, family):
        for word in (part or "").split():
            letters, tones = _word_key(word)
            primary.append(letters)
            secondary.append(tones)
            primary.append("a")  # word separator sorts before any letter
        primary.append("a")  # part separator
    return ("".join(primary) + "a" + "".join(secondary))[:255]


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[str, str]:
    """(letters, tones) of one word as sort-key symbols; names repeat their words a lot."""
    letters, tones = _letters_and_tones(word)
    return "".join(_encode(i) for i in letters), "".join(_SYMBOLS[t] for t in tones)


def megabytes(size: int) -> str:
    """A size in bytes as people read it in megabytes (1 MB = 1024 × 1024 bytes), in the active
    language's number format, at most one decimal, none when whole: 52428800 → "50", 1572864 → "1,5"."""
    from django.utils.formats import number_format

    value = round(size / (1024 * 1024), 1)
    return number_format(value, decimal_pos=0 if value == int(value) else 1, force_grouping=True)


#: The first characters a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@")


def check_name_text(name: str | None, *, field: str) -> None:
    """A name typed by a user (a person's, an organization's) does not begin with = + - or @: it would
    be a formula in the spreadsheets the name is exported to. Pure: the services, forms, API and import
    all refuse it with this one message."""
    if (name or "").lstrip()[:1] in FORMULA_STARTS:
        raise DomainError(_("A name cannot begin with =, +, - or @."), field=field)
