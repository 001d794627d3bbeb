"""Lifecycle actions on members: recognition as official member, the party card, discipline."""

import datetime as dt

import pytest
from django.utils import translation

from dangvu.core.errors import DomainError
from dangvu.lifecycle import services
from dangvu.members.models import MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.services import Decision, Vote


def _events(member):
    return list(MemberEvent.objects.filter(member=member).values_list("kind", flat=True))


def test_recognition_before_twelve_months_is_refused_with_the_end_date_and_nothing_changes(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    before = _events(m)
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        services.recognize_official(m, decided_on=dt.date(2025, 3, 14), vote=Vote(10, 9, 9))
    assert "15/03/2025" in exc.value.message
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY and _events(m) == before


def test_recognition_below_two_thirds_is_refused(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with pytest.raises(DomainError) as exc:
        services.recognize_official(m, decided_on=dt.date(2025, 4, 1), vote=Vote(due=9, present=9, votes_for=5))
    assert exc.value.field == "votes_for"
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY


def test_official_date_is_the_end_of_probation_even_when_decided_later(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    event = services.recognize_official(m, decided_on=dt.date(2025, 5, 20), vote=Vote(9, 8, 7),
                                        late_reason="Chi bộ chờ kết quả xác minh.")  # after the chi bộ's time limit
    m.refresh_from_db()
    assert event.kind == E.MADE_OFFICIAL and event.effective_on == dt.date(2025, 3, 15)
    assert m.status == MemberStatus.OFFICIAL and m.made_official_on == dt.date(2025, 3, 15)


def test_recognising_an_official_member_again_is_refused(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2015, 5, 19), made_official_on=dt.date(2016, 5, 19))
    with pytest.raises(DomainError):
        services.recognize_official(m, decided_on=dt.date(2025, 1, 2))


@pytest.mark.parametrize("number", ["1234567", "123456789", "12a45678", ""])
def test_a_card_number_must_have_eight_digits(tree, make_member, number):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    with pytest.raises(DomainError) as exc:
        services.issue_card(m, number=number, issued_on=dt.date(2020, 1, 6))
    assert exc.value.field == "number"
    m.refresh_from_db()
    assert m.card_number == ""


def test_a_card_number_held_by_someone_else_is_refused(tree, make_member):
    a = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    b = make_member(tree["C01"], name="Lò Văn Xuân", made_official_on=dt.date(2016, 5, 19))
    services.issue_card(a, number="01234567", issued_on=dt.date(2020, 1, 6))
    with pytest.raises(DomainError) as exc:
        services.issue_card(b, number="01234567", issued_on=dt.date(2020, 1, 6))
    assert a.full_name in exc.value.message


def test_a_card_number_held_by_a_member_who_has_died_is_refused_too(tree, make_member):
    a = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    b = make_member(tree["C01"], name="Lò Văn Xuân", made_official_on=dt.date(2016, 5, 19))
    services.issue_card(a, number="01234567", issued_on=dt.date(2020, 1, 6))
    services.record_death(a, on=dt.date(2022, 3, 1))
    a.refresh_from_db()
    assert a.status == MemberStatus.DIED and a.card_number == "01234567"
    with pytest.raises(DomainError) as exc:  # the number is looked up whatever the holder's status
        services.issue_card(b, number="01234567", issued_on=dt.date(2023, 1, 6))
    assert a.full_name in exc.value.message


def test_a_card_is_not_issued_to_a_probationary_member(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with pytest.raises(DomainError):
        services.issue_card(m, number="01234567", issued_on=dt.date(2024, 6, 1))


def test_a_card_issued_to_an_official_member_is_recorded(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    services.issue_card(m, number="01234567", issued_on=dt.date(2020, 1, 6))
    m.refresh_from_db()
    assert m.card_number == "01234567"


def test_expelling_a_probationary_member_is_refused_with_a_vietnamese_reason(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        services.discipline(m, form="expulsion", decided_on=dt.date(2024, 9, 1))
    assert "khai trừ" in exc.value.message.lower()
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY and E.EXPELLED not in _events(m)


def test_expelling_an_official_member_ends_the_membership(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    services.discipline(m, form="expulsion", decided_on=dt.date(2024, 9, 1),
                        decision=Decision("7-QĐ/ĐU", dt.date(2024, 9, 1), "Đảng ủy xã Nà Hỳ"))
    m.refresh_from_db()
    assert m.status == MemberStatus.EXPELLED


def test_a_warning_is_stored_as_its_key_and_labelled_from_the_rules(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    event = services.discipline(m, form="warning", decided_on=dt.date(2024, 9, 1))
    assert event.kind == E.DISCIPLINED and event.value == "warning"
    with translation.override("vi"):
        assert event.value_display == "cảnh cáo"


@pytest.mark.parametrize("condition", ["pregnant", "caring_for_child_under_12_months", "seriously_ill"])
def test_a_protected_member_is_not_disciplined_by_the_service_or_the_form(client, tree, make_member, organizer,
                                                                          condition):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), sex="F")
    with pytest.raises(DomainError) as exc:
        services.discipline(m, form="warning", decided_on=dt.date(2024, 9, 1), conditions=[condition])
    assert exc.value.code == "discipline.protected" and exc.value.field == "conditions"
    client.force_login(organizer)
    form = client.get(f"/lifecycle/members/{m.code}/discipline/").content.decode()
    assert f'value="{condition}"' in form  # the form asks
    r = client.post(f"/lifecycle/members/{m.code}/discipline/",
                    {"form": "warning", "decided_on": "01/09/2024", "conditions": [condition]})
    assert r.status_code == 200 and "field-error" in r.content.decode()
    assert not m.events.filter(kind="disciplined").exists()


def test_the_limitation_period_allows_a_discipline_on_its_last_day(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    with pytest.raises(DomainError) as exc:
        services.discipline(m, form="reprimand", decided_on=dt.date(2024, 9, 2), violation_on=dt.date(2019, 9, 1))
    assert exc.value.code == "discipline.time_barred" and exc.value.field == "violation_on"
    event = services.discipline(m, form="reprimand", decided_on=dt.date(2024, 9, 1), violation_on=dt.date(2019, 9, 1))
    assert event.value == "reprimand"
