"""Who decides which disciplinary form (domain-rules §9.3): a chi bộ only khiển trách and cảnh cáo; cách chức
and khai trừ by the đảng ủy cơ sở or higher, with its decision. A probationary member only khiển trách or
cảnh cáo (§3)."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import translation
from rest_framework.test import APIClient

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.lifecycle import services
from dangvu.members.models import MemberEvent
from dangvu.organizations.services import Decision

D = dt.date
COMMITTEE = Decision("12-QĐ/ĐU", D(2024, 9, 1), "Đảng ủy xã Nà Hỳ")


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def official(tree, make_member):
    return make_member(tree["C01"], made_official_on=D(2016, 5, 19))


@pytest.fixture
def cell_secretary(tree, make_user):
    return make_user("bithu_c01", tree["C01"], role="secretary")


@pytest.fixture
def commune_secretary(tree, make_user):
    return make_user("bithu_x01", tree["X01"], role="secretary")


def test_the_forms_a_chi_bo_decides_are_read_from_the_rules():
    rules = R.rules_on(D(2025, 9, 1))
    assert [f for f in R.DISCIPLINE_FORM_LABELS if R.decided_by_cell(f, rules)] == list(rules.discipline_cell_forms)
    assert not R.decided_by_cell("dismissal", rules) and not R.decided_by_cell("expulsion", rules)


@pytest.mark.parametrize(("form", "decision", "field"), [
    ("expulsion", Decision(), "decision_number"),
    ("dismissal", Decision("12-QĐ/ĐU"), "decision_date"),
    ("expulsion", Decision("12-QĐ/ĐU", D(2024, 9, 1)), "issued_by"),
    ("dismissal", Decision("12-QĐ/ĐU", D(2024, 9, 1), "  "), "issued_by"),
])
def test_dismissal_and_expulsion_need_the_decision_number_date_and_deciding_body(official, form, decision, field):
    with pytest.raises(DomainError) as exc:
        services.discipline(official, form=form, decided_on=D(2024, 9, 1), decision=decision)
    assert exc.value.code == "discipline.decision_missing" and exc.value.field == field
    assert not MemberEvent.objects.filter(member=official, kind__in=["disciplined", "expelled"]).exists()


@pytest.mark.parametrize("form", ["dismissal", "expulsion"])
def test_a_chi_bo_secretary_cannot_record_dismissal_or_expulsion_even_with_a_decision(official, cell_secretary, form):
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        services.discipline(official, form=form, decided_on=D(2024, 9, 1), decision=COMMITTEE, actor=cell_secretary)
    assert exc.value.code == "discipline.not_decided_by_cell" and exc.value.field == "form"
    assert "đảng ủy cơ sở" in exc.value.message
    official.refresh_from_db()
    assert official.status == "official"
    assert not MemberEvent.objects.filter(member=official, kind__in=["disciplined", "expelled"]).exists()


@pytest.mark.parametrize("form", ["reprimand", "warning"])
def test_a_chi_bo_secretary_records_the_forms_the_chi_bo_decides_without_a_decision(official, cell_secretary, form):
    event = services.discipline(official, form=form, decided_on=D(2024, 9, 1), actor=cell_secretary)
    assert event.value == form


def test_a_commune_secretary_records_an_expulsion_decided_by_the_committee(official, commune_secretary):
    services.discipline(official, form="expulsion", decided_on=D(2024, 9, 1), decision=COMMITTEE,
                        actor=commune_secretary)
    official.refresh_from_db()
    assert official.status == "expelled"


@pytest.mark.parametrize("form", ["dismissal", "expulsion"])
def test_a_probationary_member_gets_only_a_reprimand_or_a_warning(tree, make_member, commune_secretary, form):
    m = make_member(tree["C01"], admitted_on=D(2024, 3, 15))
    with pytest.raises(DomainError) as exc:
        services.discipline(m, form=form, decided_on=D(2024, 9, 1), decision=COMMITTEE, actor=commune_secretary)
    assert exc.value.code == "discipline.form_not_allowed" and exc.value.field == "form"
    assert not MemberEvent.objects.filter(member=m, kind__in=["disciplined", "expelled"]).exists()


def test_the_web_form_shows_the_refusals_under_their_fields_in_vietnamese(client, official, cell_secretary,
                                                                          commune_secretary):
    url = f"/lifecycle/members/{official.code}/discipline/"
    client.force_login(cell_secretary)
    # a chi bộ's account is offered only the forms a chi bộ decides; another one posted is refused at its field
    assert [k for k, _label in client.get(url).context["form"].fields["form"].choices] == ["reprimand", "warning"]
    r = client.post(url, {"form": "expulsion", "decided_on": "01/09/2024", "decision_number": "12-QĐ/ĐU",
                          "decision_date": "01/09/2024", "issued_by": "Đảng ủy xã Nà Hỳ"})
    assert r.status_code == 200 and r.context["form"].errors["form"]
    client.force_login(commune_secretary)
    assert len(client.get(url).context["form"].fields["form"].choices) == 4
    r = client.post(url, {"form": "expulsion", "decided_on": "01/09/2024"})
    assert r.status_code == 200
    assert "số, ngày và cơ quan ra quyết định" in r.context["form"].errors["decision_number"][0]
    assert not MemberEvent.objects.filter(member=official, kind="expelled").exists()


def test_the_api_answers_the_refusals_as_field_errors_in_vietnamese(official, cell_secretary, commune_secretary):
    url = f"/api/lifecycle/members/{official.code}/discipline/"
    body = {"form": "dismissal", "decided_on": "2024-09-01"}
    r = api_client(cell_secretary).post(url, {**body, "decision_number": "12-QĐ/ĐU", "decision_date": "2024-09-01",
                                              "issued_by": "Đảng ủy xã Nà Hỳ"}, format="json")
    assert r.status_code == 400 and "không phải chi bộ" in r.json()["form"][0]
    r = api_client(commune_secretary).post(url, {**body, "decision_number": "12-QĐ/ĐU"}, format="json")
    assert r.status_code == 400 and "cơ quan ra quyết định" in r.json()["decision_date"][0]
    r = api_client(commune_secretary).post(url, {**body, "decision_number": "12-QĐ/ĐU", "decision_date": "2024-09-01",
                                                 "issued_by": "Đảng ủy xã Nà Hỳ"}, format="json")
    assert r.status_code == 201 and r.json()["value"] == "dismissal"


@pytest.mark.parametrize("who", ["cell_secretary", "commune_secretary"])
def test_the_forms_offered_are_exactly_those_the_service_accepts_from_that_account(official, request, who):
    """The page offers what `discipline_forms_offered` gives, and that is what `discipline` accepts from the
    same account: the rule of who decides which form is written once, in the service."""
    user = request.getfixturevalue(who)
    offered = services.discipline_forms_offered(user, official, D(2024, 9, 1))
    accepted = []
    for form in R.DISCIPLINE_FORM_LABELS:
        try:
            with transaction.atomic():
                services.discipline(official, form=form, decided_on=D(2024, 9, 1), decision=COMMITTEE, actor=user)
                transaction.set_rollback(True)
            accepted.append(form)
        except DomainError:
            pass
    assert list(offered) == accepted
    assert accepted == (["reprimand", "warning"] if who == "cell_secretary" else list(R.DISCIPLINE_FORM_LABELS))


def test_the_web_form_offers_a_probationary_member_only_the_forms_a_probationer_may_get(client, tree, make_member,
                                                                                    commune_secretary):
    m = make_member(tree["C01"], admitted_on=D(2024, 3, 15))
    client.force_login(commune_secretary)
    choices = client.get(f"/lifecycle/members/{m.code}/discipline/").context["form"].fields["form"].choices
    assert [k for k, _label in choices] == ["reprimand", "warning"]
