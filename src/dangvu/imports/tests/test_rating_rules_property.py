"""Property: an import of decided ratings never fails for the cap on "excellent" or a hard limit of the
year's regulation: every rating is kept as recorded, and each broken rule is a warning."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu import regulations as R
from dangvu.assessment.models import Rating
from dangvu.imports.services import import_workbook
from dangvu.imports.spec import BIENDONG, DANGVIEN, TOCHUC, XEPLOAI

from .test_services import _member, _one_cell

D = dt.date
LABELS = {"excellent": "Hoàn thành xuất sắc nhiệm vụ", "good": "Hoàn thành tốt nhiệm vụ",
          "completed": "Hoàn thành nhiệm vụ", "not_completed": "Không hoàn thành nhiệm vụ"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.sampled_from([2016, 2020, 2024, 2025]),
       keys=st.lists(st.sampled_from(list(LABELS)), min_size=1, max_size=9),
       disciplined=st.sets(st.integers(0, 8), max_size=3))
def test_historical_ratings_are_kept_and_broken_rules_warned(db, book, year, keys, disciplined):
    codes = [f"T{i}" for i in range(len(keys))]
    disciplined = {i for i in disciplined if i < len(keys)}
    path = book({
        TOCHUC: _one_cell(),
        DANGVIEN: [_member(code) for code in codes],
        BIENDONG: [[codes[i], "Kỷ luật", D(year, 3, 1), "", "Khiển trách", "", ""] for i in sorted(disciplined)],
        XEPLOAI: [[year, code, LABELS[key]] for code, key in zip(codes, keys, strict=True)],
    })
    rules = R.assessment_rules(year)
    counts = Counter(keys)
    over_cap = not rules.cap_allows(R.GROUPS[2], counts["good"], counts["excellent"])
    above = 0
    if rules.disciplined_max is not None:
        above = sum(1 for i in disciplined if keys[i] not in ("not_completed",))
    with transaction.atomic():
        result = import_workbook(path, dry_run=False)
        assert result.errors == [] and result.written
        warnings = [w for w in result.warnings if w.sheet == XEPLOAI]
        assert len(warnings) == int(over_cap) + above, [w.message for w in warnings]
        assert Counter(Rating.objects.filter(year=year).values_list("key", flat=True)) == counts
        transaction.set_rollback(True)
