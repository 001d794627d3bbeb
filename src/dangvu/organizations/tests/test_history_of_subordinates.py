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


def test_an_earlier_change_recorded_afterwards_is_told_right_by_the_later_one(tree):
    from dangvu.organizations.models import OrganizationKind as OK
    from dangvu.organizations.services import organization_establish, organization_move

    organization_rename(tree["C01"], name="Chi bộ bản C", effective_on=D(2024, 1, 1))
    organization_rename(tree["C01"], name="Chi bộ bản B", effective_on=D(2022, 1, 1))  # recorded afterwards
    rename_2024 = next(r for r in history_rows(tree["C01"]) if r["event"].effective_on == D(2024, 1, 1))
    assert "Chi bộ bản B → Chi bộ bản C" in rename_2024["text"]

    x3 = organization_establish(code="X03", name="Đảng bộ xã Ba", kind=OK.GRASSROOTS_COMMITTEE, parent=tree["H01"],
                                established_on=D(2012, 1, 1))
    x4 = organization_establish(code="X04", name="Đảng bộ xã Bốn", kind=OK.GRASSROOTS_COMMITTEE, parent=tree["H01"],
                                established_on=D(2012, 1, 1))
    organization_move(tree["C02"], parent=x3, effective_on=D(2024, 1, 1))
    organization_move(tree["C02"], parent=x4, effective_on=D(2022, 1, 1))  # recorded afterwards
    move_2024 = next(r for r in history_rows(tree["C02"]) if r["event"].effective_on == D(2024, 1, 1))
    assert "Đảng bộ xã Bốn" in move_2024["text"] and "Đảng bộ xã Nà Hỳ" not in move_2024["text"]
    # the organization it really left in 2024 tells it; the one it had left in 2022 does not
    assert any(r["event"].effective_on == D(2024, 1, 1) for r in history_rows(x4))
    assert not any(r["event"].effective_on == D(2024, 1, 1) and r["event"].kind == K.MOVED
                   for r in history_rows(tree["X01"]))


def test_the_organizations_an_event_names_are_named_as_they_were_on_its_day(tree):
    """A chi bộ established under X01 in 2015, X01 renamed in 2020: the establishment reads with X01's name
    of 2015; a subordinate renamed later is named by its name before the change on its parent's page."""
    from dangvu.organizations.models import OrganizationKind
    from dangvu.organizations.services import organization_establish

    old_x01 = tree["X01"].name
    c09 = organization_establish(code="C09", name="Chi bộ bản Chín", kind=OrganizationKind.SUBORDINATE_CELL,
                                 parent=tree["X01"], established_on=D(2015, 6, 1))
    organization_rename(tree["X01"], name="Đảng bộ xã Mới Đổi Tên", effective_on=D(2020, 1, 1))
    organization_close(c09, effective_on=D(2022, 1, 1))
    organization_rename(tree["X01"], name="Đảng bộ xã Đổi Lần Hai", effective_on=D(2023, 1, 1))
    established = _rows(c09)[("C09", K.ESTABLISHED)]["text"]
    assert old_x01 in established and "Đổi" not in established
    dissolved = _rows(tree["X01"])[("C09", K.DISSOLVED)]["text"]
    assert "Chi bộ bản Chín" in dissolved
