"""A chi bộ cơ sở becoming a đảng bộ cơ sở: the members placed directly in it move, on the same day, into a chi
bộ trực thuộc established under it (dated events, the history before kept); refused without its name and code.
The reverse is refused while chi bộ sit under it. (domain-rules §1.1: a đảng bộ cơ sở holds its members in
chi bộ trực thuộc; §1.3: the upgrade and the reverse are history events.)"""

import datetime as dt

import pytest
from tests.contracts.test_api_schema import basic

from dangvu.core.errors import DomainError
from dangvu.members.models import MemberEventKind, MemberPeriod
from dangvu.members.restructuring import organization_change_kind
from dangvu.organizations.models import Organization, OrganizationEvent
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import organization_establish

D = dt.date


@pytest.fixture
def teachers(tree, make_member):
    return [make_member(tree["X02"], name="Lò Văn An", admitted_on=D(2014, 5, 19)),
            make_member(tree["X02"], name="Lò Thị Bình", admitted_on=D(2016, 3, 3), sex="F")]


def test_the_members_move_on_that_day_into_a_subordinate_cell_established_for_them(tree, teachers):
    organization_change_kind(tree["X02"], kind=K.GRASSROOTS_COMMITTEE, effective_on=D(2020, 1, 1),
                             cell_name="Chi bộ Giáo viên", cell_code="X02-GV")
    cell = Organization.objects.get(code="X02-GV")
    assert (cell.kind, cell.parent, cell.established_on) == (K.SUBORDINATE_CELL, tree["X02"], D(2020, 1, 1))
    for m in teachers:
        m.refresh_from_db()
        assert m.cell == cell
        assert m.events.get(kind=MemberEventKind.MOVED).effective_on == D(2020, 1, 1)
        # the placement before the day is kept, not overwritten
        assert MemberPeriod.objects.filter(member=m, cell=tree["X02"], valid_to=D(2020, 1, 1)).exists()
    tree["X02"].refresh_from_db()
    assert tree["X02"].kind == K.GRASSROOTS_COMMITTEE


@pytest.mark.parametrize(("name", "code", "field"), [("", "X02-GV", "cell_name"), ("Chi bộ Giáo viên", "", "cell_code")])
def test_without_the_new_cells_name_or_code_it_is_refused_and_nothing_changes(tree, teachers, name, code, field):
    with pytest.raises(DomainError) as refused:
        organization_change_kind(tree["X02"], kind=K.GRASSROOTS_COMMITTEE, effective_on=D(2020, 1, 1),
                                 cell_name=name, cell_code=code)
    assert refused.value.field == field
    assert tree["X02"].kind == K.GRASSROOTS_CELL  # the instance as stored
    assert not OrganizationEvent.objects.filter(organization=tree["X02"], kind="kind_changed").exists()
    assert not Organization.objects.filter(parent=tree["X02"]).exists()


def test_a_cell_without_members_changes_kind_without_a_new_cell(tree):
    organization_change_kind(tree["X02"], kind=K.GRASSROOTS_COMMITTEE, effective_on=D(2020, 1, 1))
    assert not Organization.objects.filter(parent=tree["X02"]).exists()


def test_a_member_placed_in_the_cell_after_the_day_is_refused(tree, teachers, make_member):
    make_member(tree["X02"], name="Lò Văn Cường", admitted_on=D(2022, 3, 3))
    with pytest.raises(DomainError) as refused:
        organization_change_kind(tree["X02"], kind=K.GRASSROOTS_COMMITTEE, effective_on=D(2020, 1, 1),
                                 cell_name="Chi bộ Giáo viên", cell_code="X02-GV")
    assert refused.value.field == "effective_on" and "Lò Văn Cường" in refused.value.message
    assert not Organization.objects.filter(code="X02-GV").exists()


def test_a_grassroots_committee_with_cells_under_it_cannot_become_a_grassroots_cell(tree):
    with pytest.raises(DomainError) as refused:
        organization_change_kind(tree["X01"], kind=K.GRASSROOTS_CELL, effective_on=D(2020, 1, 1))
    assert refused.value.field == "kind"
    x3 = organization_establish(code="X03", name="Đảng bộ xã Ba", kind=K.GRASSROOTS_COMMITTEE, parent=tree["H01"],
                                established_on=D(2012, 1, 1))
    organization_establish(code="X03-01", name="Chi bộ bản Mới", kind=K.SUBORDINATE_CELL, parent=x3,
                           established_on=D(2024, 1, 1))  # under it only after the day
    with pytest.raises(DomainError) as refused:
        organization_change_kind(x3, kind=K.GRASSROOTS_CELL, effective_on=D(2020, 1, 1))
    assert refused.value.field == "kind" and "Chi bộ bản Mới" in refused.value.message
    assert not OrganizationEvent.objects.filter(kind="kind_changed").exists()


def test_the_form_asks_for_the_new_cell_only_when_members_are_placed_in_the_cell(tree, teachers, make_user, client):
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    assert "cell_name" in client.get("/organizations/X02/kind/").context["form"].fields
    assert "cell_name" not in client.get("/organizations/X01/kind/").context["form"].fields
    r = client.post("/organizations/X02/kind/", {"kind": K.GRASSROOTS_COMMITTEE, "effective_on": "01/01/2020"})
    assert r.status_code == 400 and r.context["form"].errors["cell_name"]
    r = client.post("/organizations/X02/kind/", {"kind": K.GRASSROOTS_COMMITTEE, "effective_on": "01/01/2020",
                                                 "cell_name": "Chi bộ Giáo viên", "cell_code": "X02-GV", "name": ""})
    assert r.status_code == 302
    assert Organization.objects.get(pk=tree["X02"].pk).name == tree["X02"].name  # no new name: kept
    assert {m.cell.code for m in teachers for m in [type(m).objects.get(pk=m.pk)]} == {"X02-GV"}


def test_the_api_asks_for_the_new_cell_at_its_field(tree, teachers, make_user):
    api = basic(make_user("bantochuc", tree["H01"], "organizer"))
    body = {"kind": "grassroots_committee", "effective_on": "2020-01-01"}
    r = api.post("/api/organizations/X02/change-kind/", body, format="json")
    assert r.status_code == 400 and "cell_name" in r.json(), r.content
    r = api.post("/api/organizations/X02/change-kind/", {**body, "cell_name": "Chi bộ Giáo viên", "cell_code": "X02-GV",
                                                          "name": "Đảng bộ Trường học"}, format="json")
    assert r.status_code == 200, r.content
    assert Organization.objects.get(code="X02-GV").parent == tree["X02"]
    assert r.json()["name"] == "Đảng bộ Trường học"  # renamed by the same decision


def test_renamed_by_the_same_decision_on_the_same_day(tree, teachers):
    """A chi bộ becoming a đảng bộ is named so: the new name, given with the change of kind, is a rename of that
    day; the name of the day before is kept in the history."""
    before = tree["X02"].name
    organization_change_kind(tree["X02"], kind=K.GRASSROOTS_COMMITTEE, effective_on=D(2020, 1, 1),
                             name="  Đảng bộ  Trường học ", cell_name="Chi bộ Giáo viên", cell_code="X02-GV")
    tree["X02"].refresh_from_db()
    assert tree["X02"].name == "Đảng bộ Trường học"
    renamed = OrganizationEvent.objects.get(organization=tree["X02"], kind="renamed")
    assert (renamed.effective_on, renamed.payload["old_name"]) == (D(2020, 1, 1), before)
