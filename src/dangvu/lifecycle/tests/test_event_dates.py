"""The dates of the actions on a member are facts that have happened: an effective or decision date after today
is refused at its input (a later date would change the member's state today, before it happens: the member
list, the organization pages and the reports would disagree), and so is a date before the admission; the same
refusal reaches the web forms and the API, from the service."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from dangvu.core.errors import DomainError
from dangvu.lifecycle import services, transfers
from dangvu.lifecycle.todo import next_award_date
from dangvu.members.models import MemberStatus
from dangvu.organizations.services import Decision, Vote


def _soon(days=13):
    return timezone.localdate() + dt.timedelta(days=days)


def _official(tree, make_member, **kw):
    """An official member, admitted elsewhere when before the cells here existed (2012)."""
    kw.setdefault("placed_on", max(kw.get("admitted_on", dt.date(2015, 5, 19)), dt.date(2012, 1, 1)))
    return make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), **kw)


ACTIONS = [  # (service, kwargs, the input named)
    (services.record_death, {}, "on", "on"),
    (services.resign, {}, "on", "on"),
    (services.remove, {"ground": "absent_or_unpaid"}, "on", "on"),
    (services.exempt, {"ground": "long_medical_treatment"}, "on", "on"),
    (services.discipline, {"form": "warning"}, "decided_on", "decided_on"),
    (services.issue_card, {"number": "12345678"}, "issued_on", "issued_on"),
    (services.award_badge, {"milestone": 30}, "award_date", "award_date"),
    (transfers.transfer_issue, {"kind": "official", "destination": "Đảng bộ tỉnh Lai Châu"}, "issued_on",
     "issued_on"),
]


@pytest.mark.parametrize(("service", "kwargs", "day_key", "field"), ACTIONS)
def test_an_action_dated_after_today_is_refused_at_its_date_and_changes_nothing(tree, make_member, service, kwargs,
                                                                               day_key, field):
    day = _soon()
    if service is services.award_badge:  # an award occasion to come, the badge due then
        day = next_award_date(_soon(1))
        kwargs = {"milestone": 30}
    m = _official(tree, make_member, admitted_on=day.replace(year=day.year - 30) if service is services.award_badge
                  else dt.date(1990, 2, 3), birth_date=dt.date(1960, 1, 1))
    if service is services.award_badge:
        assert services.badge_due(m, day) == 30
    before = list(m.events.values_list("id", flat=True))
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        service(m, **kwargs, **{day_key: day})
    assert exc.value.field == field
    assert "không được sau ngày hôm nay" in exc.value.message
    m.refresh_from_db()
    assert m.status == MemberStatus.OFFICIAL and list(m.events.values_list("id", flat=True)) == before


@pytest.mark.parametrize(("service", "kwargs", "day_key", "field"), ACTIONS[1:-1])  # a death has no decision
def test_a_decision_dated_after_today_is_refused_at_the_decision_date(tree, make_member, service, kwargs, day_key,
                                                                     field):
    m = _official(tree, make_member, admitted_on=dt.date(1990, 2, 3), birth_date=dt.date(1960, 1, 1))
    day = dt.date(2020, 2, 3) if service is services.award_badge else dt.date(2024, 9, 1)
    with pytest.raises(DomainError) as exc:
        service(m, **kwargs, **{day_key: day}, decision=Decision("1-QĐ/HU", dt.date(2099, 6, 1), "Huyện ủy"))
    assert exc.value.field == "decision_date"
    assert not m.events.filter(effective_on=day).exists()


def test_recognition_considered_after_today_is_refused_though_probation_ended_before(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with pytest.raises(DomainError) as exc:
        services.recognize_official(m, decided_on=_soon(330), vote=Vote(9, 9, 9))
    assert exc.value.field == "decided_on"
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY


def test_a_violation_after_the_discipline_decision_is_refused_at_its_date(tree, make_member):
    m = _official(tree, make_member)
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        services.discipline(m, form="warning", decided_on=dt.date(2024, 12, 1), violation_on=dt.date(2025, 6, 1))
    assert exc.value.field == "violation_on"
    assert "01/06/2025" in exc.value.message and "01/12/2024" in exc.value.message
    assert not m.events.filter(kind="disciplined").exists()


def test_a_receipt_after_today_is_refused(tree, make_member):
    m = _official(tree, make_member)
    t = transfers.transfer_issue(m, kind="official", issued_on=dt.date(2024, 9, 1), destination="Đảng bộ tỉnh Lai Châu")
    with pytest.raises(DomainError) as exc:
        transfers.transfer_receive(t, received_on=_soon())
    assert exc.value.field == "received_on"
    t.refresh_from_db()
    assert t.received_on is None


@pytest.mark.parametrize("service", [services.resign, services.record_death])
def test_an_action_before_the_admission_says_so_at_its_date(tree, make_member, service):
    m = make_member(tree["C01"], admitted_on=dt.date(2020, 5, 10))
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        service(m, on=dt.date(1900, 1, 1))
    assert exc.value.field == "on"
    assert exc.value.message == "Ngày 01/01/1900 trước ngày vào Đảng (10/05/2020)."


def test_the_web_form_shows_the_refusal_of_a_future_date_at_the_field(client, tree, make_member, organizer):
    m = _official(tree, make_member)
    client.force_login(organizer)
    soon = _soon().strftime("%d/%m/%Y")
    with translation.override("vi"):
        r = client.post(f"/lifecycle/members/{m.code}/death/", {"on": soon}, HTTP_ACCEPT_LANGUAGE="vi")
    assert r.status_code == 200
    assert r.context["form"].errors == {"on": [f"Ngày {soon} không được sau ngày hôm nay "
                                               f"({timezone.localdate():%d/%m/%Y})."]}
    m.refresh_from_db()
    assert m.status == MemberStatus.OFFICIAL
    r = client.post(f"/lifecycle/members/{m.code}/discipline/",
                    {"form": "warning", "decided_on": "01/12/2024", "violation_on": "01/06/2025"})
    assert r.status_code == 200 and list(r.context["form"].errors) == ["violation_on"]
    r = client.post(f"/lifecycle/members/{m.code}/resign/", {"on": "01/01/1900"})
    assert r.status_code == 200 and list(r.context["form"].errors) == ["on"]


def test_the_badge_form_offers_the_last_award_occasion_not_one_to_come(client, tree, make_member, organizer):
    from dangvu.lifecycle.todo import last_award_date

    m = _official(tree, make_member)
    client.force_login(organizer)
    r = client.get(f"/lifecycle/members/{m.code}/badge/")
    award = r.context["form"].initial["award_date"]
    assert award == f"{last_award_date(timezone.localdate()):%d/%m/%Y}"
    assert dt.datetime.strptime(award, "%d/%m/%Y").date() <= timezone.localdate()
