"""A member code that differs from another only in capitals (np00226 beside NP00226) is refused, naming the
existing one, as organizations' codes are: nobody tells the two apart."""

import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.members.models import Member

D = dt.date


def test_a_code_differing_only_in_capitals_is_refused_naming_the_existing_member(tree, make_member):
    make_member(tree["C01"], code="NP00226")
    with pytest.raises(DomainError) as refused:
        make_member(tree["C02"], code="np00226", name="Lò Văn Bình")
    assert refused.value.field == "code" and "NP00226" in refused.value.message
    assert list(Member.objects.values_list("code", flat=True)) == ["NP00226"]
