"""An organization cannot end on a day before what is recorded to happen under it later: a subordinate
organization established (or moved) under it after that day, or a member placed in it after that day,
would be left under an organization that no longer exists (out of the tree and of every figure)."""

import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.members.restructuring import organization_dissolve, organization_merge, organization_split
from dangvu.organizations.models import OrganizationEvent
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.selectors import subtree_ids_as_of
from dangvu.organizations.services import organization_close, organization_establish

D = dt.date


def test_a_committee_cannot_end_before_a_child_established_under_it_later(tree):
    c3 = organization_establish(code="C03", name="Chi bộ bản Mới", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                                established_on=D(2024, 1, 1))
    organization_close(tree["C01"], effective_on=D(2020, 1, 1))
    organization_close(tree["C02"], effective_on=D(2020, 1, 1))
    with pytest.raises(DomainError) as refused:
        organization_close(tree["X01"], effective_on=D(2020, 1, 1))
    assert refused.value.field == "effective_on"
    assert "Chi bộ bản Mới" in refused.value.message and "01/01/2024" in refused.value.message
    assert not OrganizationEvent.objects.filter(organization=tree["X01"], kind="dissolved").exists()
    assert c3.pk in subtree_ids_as_of(tree["H01"].pk, D(2024, 6, 1))


def test_a_cell_cannot_be_dissolved_before_a_member_placed_in_it_later(tree, make_member):
    make_member(tree["C02"], name="Lò Văn Bình", admitted_on=D(2022, 3, 3))
    with pytest.raises(DomainError) as refused:
        organization_dissolve(tree["C02"], effective_on=D(2020, 1, 1))
    assert refused.value.field == "effective_on"
    assert "03/03/2022" in refused.value.message
    assert not OrganizationEvent.objects.filter(organization=tree["C02"], kind="dissolved").exists()


def test_a_merge_is_refused_while_a_member_joins_the_source_after_the_day(tree, make_member):
    make_member(tree["C01"], name="Lò Văn An", admitted_on=D(2015, 5, 19))
    make_member(tree["C01"], name="Lò Văn Bình", admitted_on=D(2022, 3, 3))
    with pytest.raises(DomainError):
        organization_merge(sources=[tree["C01"]], target=tree["C02"], effective_on=D(2020, 1, 1))
    assert not OrganizationEvent.objects.filter(organization=tree["C01"], kind="merged").exists()


def test_a_split_is_refused_while_a_member_joins_the_source_after_the_day(tree, make_member):
    a = make_member(tree["C01"], name="Lò Văn An", admitted_on=D(2015, 5, 19))
    make_member(tree["C01"], name="Lò Văn Bình", admitted_on=D(2022, 3, 3))
    with pytest.raises(DomainError):
        organization_split(source=tree["C01"], effective_on=D(2020, 1, 1), member_cells={a.pk: tree["C02"]})
    assert not OrganizationEvent.objects.filter(organization=tree["C01"], kind="split").exists()


# -- the other way round: placing something, before its end, in an organization that ends later ------------

def test_establishing_under_a_parent_that_ends_later_is_refused(tree):
    organization_close(tree["C01"], effective_on=D(2020, 1, 1))
    organization_close(tree["C02"], effective_on=D(2020, 1, 1))
    organization_close(tree["X01"], effective_on=D(2020, 1, 1))
    with pytest.raises(DomainError) as refused:
        organization_establish(code="C03", name="Chi bộ bản Mới", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                               established_on=D(2015, 1, 1))
    assert refused.value.field == "parent"
    assert "01/01/2020" in refused.value.message
    assert not OrganizationEvent.objects.filter(organization__code="C03").exists()


def test_moving_under_a_parent_that_ends_later_is_refused(tree):
    from dangvu.organizations.services import organization_move

    x3 = organization_establish(code="X03", name="Đảng bộ xã Cũ", kind=K.GRASSROOTS_COMMITTEE, parent=tree["H01"],
                                established_on=D(2012, 1, 1))
    organization_close(x3, effective_on=D(2020, 1, 1))
    with pytest.raises(DomainError) as refused:
        organization_move(tree["C01"], parent=x3, effective_on=D(2015, 1, 1))
    assert refused.value.field == "parent"
    assert not OrganizationEvent.objects.filter(organization=tree["C01"], kind="moved").exists()


def test_placing_a_member_in_a_cell_that_ends_later_is_refused(tree, make_member):
    from dangvu.members.models import MemberEventKind
    from dangvu.members.services import member_record_event

    m = make_member(tree["C01"], name="Lò Văn An", admitted_on=D(2015, 5, 19))
    organization_close(tree["C02"], effective_on=D(2020, 1, 1))
    with pytest.raises(DomainError) as refused:
        member_record_event(m, kind=MemberEventKind.MOVED, effective_on=D(2019, 6, 1), cell=tree["C02"])
    assert refused.value.field == "cell"
    assert "01/01/2020" in refused.value.message
    assert not m.events.filter(kind=MemberEventKind.MOVED).exists()


def test_merging_an_organization_into_its_own_subordinate_is_refused_by_name(tree):
    with pytest.raises(DomainError) as refused:
        organization_merge(sources=[tree["H01"]], target=tree["X01"], effective_on=D(2020, 1, 1))
    assert refused.value.field == "target"
    assert "Đảng bộ huyện Mường Lay" in refused.value.message and "Đảng bộ xã Nà Hỳ" in refused.value.message
    assert not OrganizationEvent.objects.filter(kind__in=["merged", "moved"]).exists()


def test_establishing_many_under_a_parent_that_ends_later_is_refused(tree):
    from dangvu.organizations.services import NewOrganization, organizations_establish_many

    for code in ("C01", "C02", "X01"):
        organization_close(tree[code], effective_on=D(2020, 1, 1))
    with pytest.raises(DomainError) as refused:
        organizations_establish_many([NewOrganization(code="C03", name="Chi bộ bản Mới", kind=K.SUBORDINATE_CELL,
                                                      parent_code="X01", established_on=D(2015, 1, 1))])
    assert refused.value.code == "organization.parent_ends"
    assert not OrganizationEvent.objects.filter(organization__code="C03").exists()
