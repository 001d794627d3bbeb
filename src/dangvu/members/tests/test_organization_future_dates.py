"""No organization event is dated after today (the project's rule for every recorded fact,
`core.dates.check_past`): establish, rename, move, change of kind, dissolve, merge, split are refused at
their date field by the services, so on the web, the API and the import alike."""

import datetime as dt

import pytest
from django.utils import timezone
from tests.contracts.test_api_schema import basic

from dangvu.core.errors import DomainError
from dangvu.members.restructuring import organization_dissolve, organization_merge, organization_split
from dangvu.organizations.models import Organization, OrganizationEvent
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import (
    NewOrganization,
    organization_change_kind,
    organization_establish,
    organization_move,
    organization_rename,
    organizations_establish_many,
)

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.mark.parametrize("operation", ["rename", "move", "change_kind", "dissolve", "merge", "split"])
def test_a_change_dated_after_today_is_refused_at_its_date(tree, operation):
    h2 = organization_establish(code="H02", name="Đảng ủy khối", kind=K.DISTRICT, parent=tree["H01"])
    calls = {
        "rename": lambda: organization_rename(tree["C01"], name="Chi bộ Mới", effective_on=TOMORROW),
        "move": lambda: organization_move(tree["X02"], parent=h2, effective_on=TOMORROW),
        "change_kind": lambda: organization_change_kind(tree["X02"], kind=K.GRASSROOTS_COMMITTEE,
                                                        effective_on=TOMORROW),
        "dissolve": lambda: organization_dissolve(tree["C02"], effective_on=TOMORROW),
        "merge": lambda: organization_merge(sources=[tree["C02"]], target=tree["C01"], effective_on=TOMORROW),
        "split": lambda: organization_split(source=tree["C02"], effective_on=TOMORROW, member_cells={}),
    }
    before = OrganizationEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        calls[operation]()
    assert refused.value.code == "date.future" and refused.value.field == "effective_on"
    assert OrganizationEvent.objects.count() == before


def test_an_establishment_dated_after_today_is_refused_at_its_date(tree):
    with pytest.raises(DomainError) as refused:
        organization_establish(code="C03", name="Chi bộ bản Mới", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                               established_on=TOMORROW)
    assert refused.value.code == "date.future" and refused.value.field == "established_on"
    with pytest.raises(DomainError) as refused:
        organizations_establish_many([NewOrganization(code="C03", name="Chi bộ bản Mới", kind=K.SUBORDINATE_CELL,
                                                      parent_code="X01", established_on=TOMORROW)])
    assert refused.value.code == "date.future" and refused.value.field == "established_on"
    assert not Organization.objects.filter(code="C03").exists()


def test_the_web_form_and_the_api_refuse_a_change_dated_after_today_at_the_date(tree, make_user, client):
    user = make_user("bantochuc", tree["H01"], "organizer")
    client.force_login(user)
    r = client.post("/organizations/C01/rename/", {"name": "Chi bộ Mới", "effective_on": TOMORROW.strftime("%d/%m/%Y")})
    assert r.status_code == 400 and r.context["form"].errors["effective_on"]
    r = basic(user).post("/api/organizations/C01/rename/", {"name": "Chi bộ Mới", "effective_on": TOMORROW.isoformat()},
                         format="json")
    assert r.status_code == 400 and "effective_on" in r.json(), r.content
    assert not OrganizationEvent.objects.filter(kind="renamed").exists()
