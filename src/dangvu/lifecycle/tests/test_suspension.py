"""Suspension of party activities (đình chỉ sinh hoạt đảng) and its lifting: the services' rules and refusals,
the member's periods (as of any day), the audit, the web forms and the actions offered on the member page."""

import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.lifecycle import services
from dangvu.lifecycle.selectors import allowed_actions
from dangvu.members.models import MemberEventKind as E
from dangvu.members.models import MemberPeriod
from dangvu.organizations.services import Decision

D = dt.date


@pytest.fixture
def official(tree, make_member):
    return make_member(tree["C01"], name="Lò Văn Minh", made_official_on=D(2016, 5, 19))


def test_a_suspension_is_recorded_with_its_decision_reason_and_planned_end_then_lifted(official):
    event = services.suspend(official, on=D(2024, 3, 11), reason="investigation", planned_end=D(2024, 9, 30),
                             decision=Decision("312-QĐ/UBKTHU", D(2024, 3, 8), "Ủy ban Kiểm tra Huyện ủy"))
    assert (event.kind, event.value, event.planned_end, event.decision_number) == (
        E.SUSPENDED, "investigation", D(2024, 9, 30), "312-QĐ/UBKTHU")
    assert "30/09/2024" in event.value_display
    official.refresh_from_db()
    assert official.suspended
    services.lift_suspension(official, on=D(2024, 10, 2), note="Không có vi phạm")
    official.refresh_from_db()
    assert not official.suspended
    periods = MemberPeriod.objects.filter(member=official).order_by("valid_from")
    assert [(p.valid_from, p.valid_to, p.suspended) for p in periods][-3:] == [
        (D(2016, 5, 19), D(2024, 3, 11), False), (D(2024, 3, 11), D(2024, 10, 2), True), (D(2024, 10, 2), None, False)]
    as_of = {day: MemberPeriod.objects.active_on(day).get(member=official).suspended
             for day in (D(2024, 3, 10), D(2024, 3, 11), D(2024, 10, 1), D(2024, 10, 2))}
    assert as_of == {D(2024, 3, 10): False, D(2024, 3, 11): True, D(2024, 10, 1): True, D(2024, 10, 2): False}


def test_a_probationary_member_may_be_suspended_too(tree, make_member):
    m = make_member(tree["C01"], admitted_on=D(2024, 3, 15))
    services.suspend(m, on=D(2024, 6, 1), reason="prosecution")
    m.refresh_from_db()
    assert m.suspended and m.status == "probationary"


@pytest.mark.parametrize("kwargs,field", [
    ({"reason": "holiday"}, "reason"),
    ({"reason": "other"}, "note"),
    ({"reason": "other", "note": "  "}, "note"),
    ({"reason": "investigation", "planned_end": D(2024, 3, 11)}, "planned_end"),
    ({"reason": "investigation", "planned_end": D(2300, 1, 1)}, "planned_end"),
])
def test_the_terms_of_a_suspension_are_refused_with_the_field_at_fault(official, kwargs, field):
    with pytest.raises(DomainError) as info:
        services.suspend(official, on=D(2024, 3, 11), **kwargs)
    assert info.value.field == field
    assert not official.events.filter(kind=E.SUSPENDED).exists()


def test_a_suspension_is_refused_against_the_member_s_history(tree, make_member, official):
    services.suspend(official, on=D(2024, 3, 11), reason="investigation")
    with pytest.raises(DomainError) as info:  # suspended already
        services.suspend(official, on=D(2024, 5, 1), reason="prosecution")
    assert info.value.field == "on" and "11/03/2024" in info.value.message
    with pytest.raises(DomainError):  # backdated over the suspension recorded later
        services.suspend(official, on=D(2024, 1, 2), reason="other", note="Tạm giữ")
    with pytest.raises(DomainError) as info:  # lifted on the day it began
        services.lift_suspension(official, on=D(2024, 3, 11))
    assert info.value.field == "on"
    other = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    with pytest.raises(DomainError):  # not suspended
        services.lift_suspension(other, on=D(2024, 3, 11))
    services.record_death(other, on=D(2024, 1, 5))
    with pytest.raises(DomainError):  # not a member any more
        services.suspend(other, on=D(2024, 3, 11), reason="investigation")
    assert official.events.filter(kind=E.SUSPENDED).count() == 1
    assert not official.events.filter(kind=E.SUSPENSION_LIFTED).exists()


def test_leaving_the_party_ends_the_suspension(official):
    services.suspend(official, on=D(2024, 3, 11), reason="prosecution")
    services.discipline(official, form="expulsion", decided_on=D(2024, 8, 1),
                        decision=Decision("7-QĐ/ĐU", D(2024, 8, 1), "Đảng ủy xã Nà Hỳ"))
    official.refresh_from_db()
    assert official.status == "expelled" and not official.suspended


def test_each_suspension_and_its_lifting_is_audited(official, organizer):
    from auditlog.models import LogEntry

    before = LogEntry.objects.count()
    event = services.suspend(official, on=D(2024, 3, 11), reason="investigation", actor=organizer)
    entries = LogEntry.objects.get_for_object(event)
    assert entries.count() == 1 and entries.first().changes_dict["kind"][1] == E.SUSPENDED
    assert any("suspended" in e.changes_dict for e in LogEntry.objects.get_for_object(official))
    services.lift_suspension(official, on=D(2024, 6, 1), actor=organizer)
    assert LogEntry.objects.count() > before + 2


def test_the_actions_offered_follow_the_suspension(official, organizer, tree, make_user):
    assert "suspend" in allowed_actions(official, organizer, case_open=False)
    assert "lift-suspension" not in allowed_actions(official, organizer, case_open=False)
    services.suspend(official, on=D(2024, 3, 11), reason="investigation")
    official.refresh_from_db()
    assert "lift-suspension" in allowed_actions(official, organizer, case_open=False)
    assert "suspend" not in allowed_actions(official, organizer, case_open=False)
    inspector = make_user("ubkt", tree["H01"], role="inspector")  # a measure of an investigation: UBKT too
    assert "lift-suspension" in allowed_actions(official, inspector, case_open=False)
    viewer = make_user("xem", tree["H01"], role="viewer")
    assert allowed_actions(official, viewer, case_open=False) == []


def test_the_web_forms_suspend_and_lift_and_the_member_page_shows_the_suspension(client, official, organizer):
    client.force_login(organizer)
    page = client.get(f"/members/{official.code}/").content.decode()
    assert f"/lifecycle/members/{official.code}/suspend/" in page
    assert "badge-suspended" not in page
    form = client.get(f"/lifecycle/members/{official.code}/suspend/").content.decode()
    assert 'name="reason"' in form and 'name="planned_end"' in form and 'name="decision_number"' in form
    r = client.post(f"/lifecycle/members/{official.code}/suspend/", {"on": "11/03/2024", "reason": "other"})
    assert r.status_code == 200 and "field-error" in r.content.decode()  # another reason needs its text
    r = client.post(f"/lifecycle/members/{official.code}/suspend/", {
        "on": "11/03/2024", "reason": "prosecution", "planned_end": "31/12/2024", "decision_number": "312-QĐ/UBKTHU",
        "issued_by": "Ủy ban Kiểm tra Huyện ủy", "note": "Khởi tố vụ án"})
    assert r.status_code == 302, r.content.decode()[:2000]
    page = client.get(f"/members/{official.code}/").content.decode()
    assert "badge-suspended" in page and "Đình chỉ sinh hoạt" in page
    assert "11/03/2024" in page and "bị truy tố" in page and "312-QĐ/UBKTHU" in page
    assert f"/lifecycle/members/{official.code}/lift-suspension/" in page
    assert f"/lifecycle/members/{official.code}/suspend/" not in page
    periods = client.get(f"/members/{official.code}/?tab=periods").content.decode()
    assert "Đình chỉ" in periods
    r = client.post(f"/lifecycle/members/{official.code}/lift-suspension/", {"on": "11/03/2024"})
    assert r.status_code == 200 and "field-error" in r.content.decode()  # not after the start
    r = client.post(f"/lifecycle/members/{official.code}/lift-suspension/", {"on": "02/01/2025"})
    assert r.status_code == 302
    official.refresh_from_db()
    assert not official.suspended
