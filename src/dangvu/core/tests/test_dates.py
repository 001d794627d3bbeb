"""Month arithmetic (core.dates): months_between is the largest n with add_months(start, n) <= end."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.dates import add_months, months_between

days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(days, days)
def test_months_between_is_the_most_whole_months_from_start_not_past_end(start, end):
    n = months_between(start, end)
    if end <= start:
        assert n == 0
    else:
        assert add_months(start, n) <= end < add_months(start, n + 1)


def test_months_between_counts_a_shorter_months_last_day_as_the_same_day():
    assert months_between(dt.date(2023, 1, 31), dt.date(2023, 2, 28)) == 1
    assert months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 28)) == 0  # 29 days in that February
    assert months_between(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 12 * 18
