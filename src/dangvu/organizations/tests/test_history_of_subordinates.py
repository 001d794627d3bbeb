"""The history tab of an organization tells what happened to the organizations under it on the day it
happened (a chi bộ dissolved, renamed, merged into a sibling), in words that fit the page's side."""

import datetime as dt

from dangvu.organizations.models import OrganizationEventKind as K
from dangvu.organizations.services import organization_close, organization_rename
from dangvu.organizations.views.history import history_rows

D = dt.date


def _rows(org):
    return {(r["event"].organization.code, r["event"].kind): r for r in history_rows(org)}


def test_a_subordinate_dissolved_or_renamed_shows_on_its_parents_history(tree):
    organization_rename(tree["C01"], name="Chi bộ bản Mới", effective_on=D(2020, 1, 1))
    organization_close(tree["C02"], effective_on=D(2021, 1, 1))
    rows = _rows(tree["X01"])
    assert ("C02", K.DISSOLVED) in rows
    assert "Chi bộ bản Nà Hỳ 2" in rows[("C02", K.DISSOLVED)]["text"]
    assert ("C01", K.RENAMED) in rows
    # not on the page of an organization that was never its parent
    assert ("C02", K.DISSOLVED) not in _rows(tree["X02"])


def test_a_merger_reads_from_the_receiving_side_and_from_the_parent_of_the_source(tree):
    organization_close(tree["C02"], effective_on=D(2021, 1, 1), kind=K.MERGED,
                       payload={"into_id": tree["C01"].pk, "into_code": "C01"})
    received = _rows(tree["C01"])[("C02", K.MERGED)]
    assert str(received["kind"]) != "Sáp nhập vào tổ chức khác"
    at_parent = _rows(tree["X01"])[("C02", K.MERGED)]
    assert "Chi bộ bản Nà Hỳ 1" in at_parent["text"]  # merged into the sibling, not into the parent
    assert "tổ chức này" not in at_parent["text"]


def test_a_decision_dated_after_today_is_refused_at_its_field(tree):
    import pytest
    from django.utils import timezone

    from dangvu.core.errors import DomainError
    from dangvu.organizations.models import OrganizationEvent
    from dangvu.organizations.services import Decision

    later = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(DomainError) as refused:
        organization_rename(tree["C01"], name="Chi bộ bản Mới", effective_on=D(2020, 1, 1),
                            decision=Decision(number="1-QĐ", date=later))
    assert refused.value.field == "decision_date"
    assert not OrganizationEvent.objects.filter(organization=tree["C01"], kind=K.RENAMED).exists()
