import datetime as dt

import pytest

from dangvu.assessment.services import cycle_open
from dangvu.core.audit import audit_context

D = dt.date


@pytest.fixture
def rated(tree, make_member):
    """Six official members in C01 and four in C02 (X01, a grassroots committee), one in X02; the
    cycles of 2024 (QĐ 124) and 2025 (QĐ 366, points) of X01 and of the district H01."""
    with audit_context(source="system"):
        c1 = [make_member(tree["C01"], made_official_on=D(2016, 5, 19)) for _i in range(6)]
        c2 = [make_member(tree["C02"], made_official_on=D(2016, 5, 19)) for _i in range(4)]
        other = make_member(tree["X02"], made_official_on=D(2016, 5, 19))
        cycles = {(code, year): cycle_open(organization=tree[code], year=year, opened_on=D(year, 11, 1))
                  for code in ("X01", "H01") for year in (2024, 2025)}
    return {"members": c1 + c2, "other": other, "cycles": cycles}
