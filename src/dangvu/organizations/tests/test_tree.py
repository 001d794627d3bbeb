import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization, OrganizationEvent
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.selectors import subtree_ids_as_of, tree_as_of
from dangvu.organizations.services import (
    organization_change_kind,
    organization_close,
    organization_establish,
    organization_move,
    organization_rename,
)

D = dt.date


def test_tree_as_of_follows_moves_and_establishment(tree):
    h, x1, x2 = tree["H01"], tree["X01"], tree["X02"]
    c3 = organization_establish(code="C03", name="Chi bộ bản Mới", kind=K.SUBORDINATE_CELL, parent=x1,
                                established_on=D(2020, 1, 1))
    assert c3.pk not in subtree_ids_as_of(h.pk, D(2019, 12, 31))
    assert c3.pk in subtree_ids_as_of(h.pk, D(2020, 1, 1))
    organization_change_kind(x2, kind=K.GRASSROOTS_COMMITTEE, effective_on=D(2021, 1, 1))
    organization_move(c3, parent=x2, effective_on=D(2022, 1, 1))
    assert c3.pk in subtree_ids_as_of(x1.pk, D(2021, 12, 31))
    assert c3.pk in subtree_ids_as_of(x2.pk, D(2022, 1, 1))
    assert c3.pk not in subtree_ids_as_of(x1.pk, D(2022, 1, 1))


def test_rename_keeps_old_name_for_past_days(tree):
    organization_rename(tree["C01"], name="Chi bộ bản Nà Hỳ Trên", effective_on=D(2024, 3, 1))
    names = {r["code"]: r["name"] for r in tree_as_of(tree["H01"].pk, D(2023, 1, 1))}
    assert names["C01"] == "Chi bộ bản Nà Hỳ 1"
    names = {r["code"]: r["name"] for r in tree_as_of(tree["H01"].pk, D(2024, 3, 1))}
    assert names["C01"] == "Chi bộ bản Nà Hỳ Trên"


def test_cell_cannot_sit_under_a_cell_and_nothing_changes(tree):
    # C01 exists on that day (the only rule left to refuse is the placement of a cell under a cell).
    with pytest.raises(DomainError) as refused:
        organization_establish(code="BAD", name="Chi bộ X", kind=K.SUBORDINATE_CELL, parent=tree["C01"],
                               established_on=D(2020, 1, 1))
    assert refused.value.code == "organization.parent_kind"
    assert not OrganizationEvent.objects.filter(organization__code="BAD").exists()
    with pytest.raises(DomainError) as refused:  # a grassroots cell cannot hold a cell either
        organization_move(tree["C01"], parent=tree["X02"], effective_on=D(2020, 1, 1))
    assert refused.value.code == "organization.parent_kind"


def test_move_under_own_descendant_is_refused(tree):
    # A district committee may sit under a district committee: only the descendant rule refuses.
    h2 = organization_establish(code="H02", name="Đảng bộ khối", kind=K.DISTRICT, parent=tree["H01"],
                                established_on=D(2012, 1, 1))
    for parent in (h2, tree["H01"]):
        with pytest.raises(DomainError) as refused:
            organization_move(tree["H01"], parent=parent, effective_on=D(2020, 1, 1))
        assert refused.value.code == "organization.own_descendant"
    assert not OrganizationEvent.objects.filter(organization=tree["H01"], kind="moved").exists()


def test_dissolving_a_committee_with_live_children_is_refused(tree):
    with pytest.raises(DomainError):
        organization_close(tree["X01"], effective_on=D(2020, 1, 1))
    organization_close(tree["C02"], effective_on=D(2020, 1, 1))
    tree["C02"].refresh_from_db()
    assert tree["C02"].dissolved_on == D(2020, 1, 1)
    assert tree["C02"].pk in subtree_ids_as_of(tree["H01"].pk, D(2019, 12, 31))
    assert tree["C02"].pk not in subtree_ids_as_of(tree["H01"].pk, D(2020, 1, 1))


# --- materialized path of the current tree (management scope) ---------------------------------

def test_paths_follow_the_parents_from_the_root(tree):
    h, x1, c1 = tree["H01"], tree["X01"], tree["C01"]
    for o in (h, x1, c1):
        o.refresh_from_db()
    assert h.path == f"/{h.pk}/"
    assert x1.path == f"/{h.pk}/{x1.pk}/"
    assert c1.path == f"/{h.pk}/{x1.pk}/{c1.pk}/"


def test_moving_an_organization_moves_the_paths_of_its_whole_subtree(tree):
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish, organization_move

    h2 = organization_establish(code="H02", name="Đảng bộ huyện Nậm Pồ", kind=K.DISTRICT)
    organization_move(tree["X01"], parent=h2, effective_on=dt.date(2020, 1, 1))
    x1 = Organization.objects.get(code="X01")
    c1 = Organization.objects.get(code="C01")
    assert x1.path == f"/{h2.pk}/{x1.pk}/"
    assert c1.path == f"/{h2.pk}/{x1.pk}/{c1.pk}/"
    assert Organization.objects.get(code="X02").path == f"/{tree['H01'].pk}/{tree['X02'].pk}/"


def test_recompute_paths_repairs_every_path_and_reports_the_changes(tree):
    from dangvu.organizations.services import recompute_paths

    Organization.objects.update(path="")
    assert recompute_paths() == 5
    assert Organization.objects.get(code="C02").path == f"/{tree['H01'].pk}/{tree['X01'].pk}/{tree['C02'].pk}/"
    assert recompute_paths() == 0


@pytest.mark.parametrize(("kw", "field"), [({"name": "Chi bộ " + "B" * 300}, "name"), ({"code": "C" * 40}, "code")])
def test_a_code_or_name_longer_than_its_field_is_refused(tree, kw, field):
    args = {"code": "C09", "name": "Chi bộ bản Chín", "kind": K.SUBORDINATE_CELL, "parent": tree["X01"],
            "established_on": D(2013, 1, 1), **kw}
    with pytest.raises(DomainError) as exc:
        organization_establish(**args)
    assert exc.value.field == field and not Organization.objects.filter(code=args["code"]).exists()


def test_a_code_that_differs_from_another_only_in_capitals_is_refused_naming_it(tree):
    with pytest.raises(DomainError) as exc:
        organization_establish(code="c01", name="Chi bộ bản Một mới", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                               established_on=D(2013, 1, 1))
    assert exc.value.field == "code" and "C01" in exc.value.message
    assert not Organization.objects.filter(code="c01").exists()
