from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.text import fold, fold_key, sort_key, split_name


def test_fold_strips_diacritics_and_maps_d_bar():
    assert fold("  Nguyễn   Văn ĐẠT ") == "nguyen van dat"
    assert fold("Đặng Thị Đào") == "dang thi dao"


def test_fold_key_matches_header_variants():
    assert fold_key("Ngày sinh") == fold_key("NGAY SINH") == fold_key("ngay_sinh") == "ngaysinh"


def test_split_name_family_middle_given():
    assert split_name("lò văn minh") == ("Lò", "Văn", "Minh")
    assert split_name("Giàng A Páo") == ("Giàng", "A", "Páo")
    assert split_name("Mùa  Mỷ") == ("Mùa", "", "Mỷ")


def _key(name):
    return sort_key(*split_name(name))


def test_sort_key_orders_by_given_then_middle_then_family():
    names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị An", "Đặng Văn Đức", "Vũ Văn Dũng"]
    ordered = sorted(names, key=_key)
    assert ordered == ["Lê Thị An", "Nguyễn Văn An", "Trần Văn Bình", "Vũ Văn Dũng", "Đặng Văn Đức"]


def test_sort_key_uses_vietnamese_alphabet_and_tones_as_tie_breaker():
    # a < ă < â ; d < đ ; o < ô < ơ ; u < ư ; tones only break ties
    assert _key("Lò Văn Anh") < _key("Lò Văn Ăn") < _key("Lò Văn Ân")
    assert _key("Lò Văn Dung") < _key("Lò Văn Đông")
    assert _key("Lò Văn Ba") < _key("Lò Văn Bà") < _key("Lò Văn Bác")
    assert _key("Lò Văn Tu") < _key("Lò Văn Tư")


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text):
    once = fold(text)
    assert fold(once) == once
    assert "đ" not in once and "Đ" not in once


VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ"


def _letters(word):
    """The word as indexes in the Vietnamese alphabet (tones dropped), computed independently."""
    base = {"á": "a", "à": "a", "ả": "a", "ã": "a", "ạ": "a", "é": "e", "è": "e", "ẻ": "e", "ẽ": "e", "ẹ": "e",
            "í": "i", "ì": "i", "ỉ": "i", "ĩ": "i", "ị": "i", "ó": "o", "ò": "o", "ỏ": "o", "õ": "o", "ọ": "o",
            "ú": "u", "ù": "u", "ủ": "u", "ũ": "u", "ụ": "u", "ý": "y", "ỳ": "y", "ỷ": "y", "ỹ": "y", "ỵ": "y"}
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    return [alphabet.index(base.get(c, c)) for c in word]


@given(st.lists(st.text(alphabet=VI, min_size=1, max_size=6), min_size=3, max_size=3),
       st.lists(st.text(alphabet=VI, min_size=1, max_size=6), min_size=3, max_size=3))
def test_sort_key_orders_by_letters_of_given_then_middle_then_family(a, b):
    ka, kb = sort_key(a[0], a[1], a[2]), sort_key(b[0], b[1], b[2])
    assert ka.isalpha() and ka.islower() and ka.isascii()  # collation-independent
    la = (_letters(a[2]), _letters(a[1]), _letters(a[0]))
    lb = (_letters(b[2]), _letters(b[1]), _letters(b[0]))
    if la != lb:
        assert (ka < kb) == (la < lb)
