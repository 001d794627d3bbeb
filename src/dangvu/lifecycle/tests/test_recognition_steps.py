"""The steps of official recognition (domain-rules §3). The chi bộ considers it within its time limit after
probation ends (the rules' `deadline_recognition_cell`, in working days); later, the reason for the delay is
required, kept with the event and shown in the member's history; the to-do list's deadline is the same. Then
the đảng ủy cơ sở votes (≥ 2/3 of its members), where there is one."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.lifecycle import services, todo
from dangvu.lifecycle.forms import LATE_REASON_HELP
from dangvu.members.models import MemberStatus
from dangvu.organizations.services import Decision, Vote

D = dt.date
CEREMONY = D(2024, 3, 15)  # probation ends on Saturday 15/03/2025


@pytest.fixture
def probationer(tree, make_member):
    return make_member(tree["C01"], admitted_on=CEREMONY)


def test_the_chi_bo_time_limit_is_the_rules_working_days_after_probation_ends():
    rules = R.rules_on(CEREMONY)
    limit = R.recognition_deadline(CEREMONY, rules)
    assert limit == R.deadline(R.probation_end(CEREMONY, rules), "recognition_cell", rules)
    assert limit == D(2025, 4, 28)  # 30 working days: weekends and Giỗ Tổ Hùng Vương (07/04/2025) left out


def test_a_recognition_on_the_last_day_of_the_time_limit_needs_no_reason(probationer):
    with translation.override("en"):
        event = services.recognize_official(probationer, decided_on=D(2025, 4, 28), vote=Vote(9, 9, 8))
    assert event.effective_on == D(2025, 3, 15) and "time limit" not in event.note


def test_a_late_recognition_without_a_reason_is_refused_and_nothing_changes(probationer):
    for reason in ("", "   "):
        with pytest.raises(DomainError) as exc:
            services.recognize_official(probationer, decided_on=D(2025, 4, 29), vote=Vote(9, 9, 8), late_reason=reason)
        assert exc.value.code == "recognition.late_without_reason" and exc.value.field == "late_reason"
        assert "28/04/2025" in exc.value.message
    probationer.refresh_from_db()
    assert probationer.status == MemberStatus.PROBATIONARY and not probationer.events.filter(kind="made_official")


def test_a_late_recognition_keeps_its_reason_in_the_member_s_history(client, probationer, organizer):
    event = services.recognize_official(probationer, decided_on=D(2025, 5, 20), vote=Vote(9, 9, 8),
                                        late_reason="Đồng chí đi công tác dài ngày ở tỉnh khác.")
    assert event.effective_on == D(2025, 3, 15)  # the official date stays the end of probation
    assert "Đồng chí đi công tác dài ngày ở tỉnh khác." in event.note and "28/04/2025" in event.note
    client.force_login(organizer)
    page = client.get(f"/members/{probationer.code}/").content.decode()
    assert "Đồng chí đi công tác dài ngày ở tỉnh khác." in page


def test_the_committee_decides_within_its_own_time_limit_or_gives_the_reason(probationer):
    considered = D(2025, 4, 28)
    limit = R.deadline(considered, "recognition_decision", R.rules_on(CEREMONY))
    assert limit == D(2025, 6, 11)  # 30 working days: weekends, 30/04, 01/05 and the Saturday 15/03 left out
    late = Decision("12-QĐ/ĐU", limit + dt.timedelta(days=1), "Đảng ủy xã")
    with pytest.raises(DomainError) as exc:
        services.recognize_official(probationer, decided_on=considered, vote=Vote(9, 9, 8), decision=late)
    assert exc.value.code == "recognition.decision_late_without_reason" and exc.value.field == "late_reason"
    assert "11/06/2025" in exc.value.message
    probationer.refresh_from_db()
    assert probationer.status == MemberStatus.PROBATIONARY
    on_time = services.recognize_official(probationer, decided_on=considered, vote=Vote(9, 9, 8),
                                          decision=Decision("12-QĐ/ĐU", limit, "Đảng ủy xã"))
    assert "11/06/2025" not in on_time.note


def test_a_late_committee_decision_keeps_its_reason(probationer):
    considered = D(2025, 4, 28)
    event = services.recognize_official(probationer, decided_on=considered, vote=Vote(9, 9, 8),
                                        decision=Decision("12-QĐ/ĐU", D(2025, 7, 1), "Đảng ủy xã"),
                                        late_reason="Đảng ủy chờ thẩm tra lý lịch bổ sung.")
    assert "Đảng ủy chờ thẩm tra lý lịch bổ sung." in event.note and "11/06/2025" in event.note


def test_the_web_form_and_the_api_ask_for_the_reason_of_a_late_recognition(client, probationer, organizer):
    client.force_login(organizer)
    url = f"/lifecycle/members/{probationer.code}/recognize/"
    body = {"decided_on": "29/04/2025", "due": 9, "present": 9, "votes_for": 8}
    r = client.post(url, body)
    assert r.status_code == 200 and "lý do" in r.context["form"].errors["late_reason"][0]
    api = APIClient()
    api.force_authenticate(organizer)
    api_url = f"/api/lifecycle/members/{probationer.code}/recognize/"
    api_body = {"decided_on": "2025-04-29", "due": 9, "present": 9, "votes_for": 8}
    r = api.post(api_url, api_body, format="json")
    assert r.status_code == 400 and "lý do" in r.json()["late_reason"][0]
    r = api.post(api_url, {**api_body, "late_reason": "Chi bộ chờ kết quả xác minh lý lịch."}, format="json")
    assert r.status_code == 201 and "Chi bộ chờ kết quả xác minh lý lịch." in r.json()["note"]


def test_the_todo_list_marks_overdue_exactly_the_probations_whose_recognition_needs_a_reason(tree, make_member,
                                                                                            organizer):
    today = timezone.localdate()
    members = [make_member(tree["C01"], admitted_on=R.add_months(today, -months) + dt.timedelta(days=days),
                           birth_date=D(1990, 1, 1)) for months, days in ((13, 0), (14, 0), (14, 20), (15, 0))]
    items = {i.member.pk: i for i in todo.probations_ending(organizer, today)}
    for m in members:
        item = items[m.pk]
        assert item.cell_deadline == R.recognition_deadline(m.admitted_on, R.rules_on(m.admitted_on))
        late = bool(R.recognition_late_check(m.admitted_on, today, R.rules_on(m.admitted_on)))
        assert item.overdue == late
    assert {i.overdue for i in items.values()} == {True, False}


def test_the_grassroots_committee_vote_is_kept_with_the_recognition(probationer):
    with translation.override("en"):
        event = services.recognize_official(probationer, decided_on=D(2025, 4, 1), vote=Vote(9, 9, 8),
                                            committee_voted_on=D(2025, 4, 10), committee_vote=Vote(9, 9, 6))
    assert "Grassroots committee vote on 10/04/2025: 6 of 9 members in favour." in event.note


@pytest.mark.parametrize(("on", "vote", "code", "field"), [
    (D(2025, 4, 10), Vote(9, 9, 5), "recognition.committee_vote_below", "committee_votes_for"),
    (D(2025, 3, 31), Vote(9, 9, 9), "recognition.committee_vote_before_cell", "committee_voted_on"),
    (D(2025, 4, 10), None, "recognition.committee_vote_incomplete", "committee_votes_for"),
    (None, Vote(9, 9, 9), "recognition.committee_vote_incomplete", "committee_voted_on"),
])
def test_a_grassroots_committee_vote_below_two_thirds_before_the_chi_bo_or_incomplete_is_refused(
        probationer, on, vote, code, field):
    with pytest.raises(DomainError) as exc:
        services.recognize_official(probationer, decided_on=D(2025, 4, 1), vote=Vote(9, 9, 8),
                                    committee_voted_on=on, committee_vote=vote)
    assert exc.value.code == code and exc.value.field == field
    probationer.refresh_from_db()
    assert probationer.status == MemberStatus.PROBATIONARY


def test_the_web_form_and_the_api_take_the_grassroots_committee_vote(client, probationer, organizer):
    client.force_login(organizer)
    url = f"/lifecycle/members/{probationer.code}/recognize/"
    body = {"decided_on": "01/04/2025", "due": 9, "present": 9, "votes_for": 8, "committee_voted_on": "10/04/2025"}
    r = client.post(url, {**body, "committee_due": 9})
    assert r.status_code == 200 and r.context["form"].errors["committee_votes_for"]
    api = APIClient()
    api.force_authenticate(organizer)
    r = api.post(f"/api/lifecycle/members/{probationer.code}/recognize/",
                 {"decided_on": "2025-04-01", "due": 9, "present": 9, "votes_for": 8,
                  "committee_voted_on": "2025-04-10", "committee_due": 9, "committee_votes_for": 6}, format="json")
    assert r.status_code == 201 and "10/04/2025" in r.json()["note"]


def test_the_web_form_asks_for_the_grassroots_committee_vote_only_where_one_votes(client, tree, make_member,
                                                                                  organizer, probationer):
    """A chi bộ trực thuộc's recognition goes on to its đảng ủy cơ sở; a chi bộ cơ sở (X02) has none."""
    client.force_login(organizer)
    in_a_subordinate_cell = client.get(f"/lifecycle/members/{probationer.code}/recognize/").context["form"]
    assert "committee_voted_on" in in_a_subordinate_cell.fields
    in_a_grassroots_cell = make_member(tree["X02"], admitted_on=CEREMONY)
    form = client.get(f"/lifecycle/members/{in_a_grassroots_cell.code}/recognize/").context["form"]
    assert not {"committee_voted_on", "committee_due", "committee_votes_for"} & set(form.fields)
    assert "Đảng ủy cơ sở biểu quyết" not in [str(title) for title, _fields in form.grouped_fields()]


def test_a_recognition_decision_dated_before_the_vote_it_follows_is_refused(probationer):
    from dangvu.organizations.services import Decision

    with pytest.raises(DomainError) as exc:  # before the chi bộ's consideration
        services.recognize_official(probationer, decided_on=D(2025, 4, 1), vote=Vote(9, 9, 8),
                                    decision=Decision("7-QĐ/ĐU", D(2025, 3, 20), "Đảng ủy xã"))
    assert exc.value.field == "decision_date" and "01/04/2025" in exc.value.message
    with pytest.raises(DomainError) as exc:  # before the grassroots committee's vote
        services.recognize_official(probationer, decided_on=D(2025, 4, 1), vote=Vote(9, 9, 8),
                                    committee_voted_on=D(2025, 4, 10), committee_vote=Vote(7, 7, 6),
                                    decision=Decision("7-QĐ/ĐU", D(2025, 4, 5), "Đảng ủy xã"))
    assert exc.value.field == "decision_date" and "10/04/2025" in exc.value.message
    probationer.refresh_from_db()
    assert probationer.status == MemberStatus.PROBATIONARY
    event = services.recognize_official(probationer, decided_on=D(2025, 4, 1), vote=Vote(9, 9, 8),
                                        decision=Decision("7-QĐ/ĐU", D(2025, 4, 1), "Đảng ủy xã"))
    assert event.decision_date == D(2025, 4, 1)


def test_the_history_says_the_chi_bo_considered_it_not_that_a_decision_was_made_that_day(probationer):
    with translation.override("vi"):
        event = services.recognize_official(probationer, decided_on=D(2025, 4, 1), vote=Vote(9, 9, 8))
    assert event.note.startswith("Chi bộ xét ngày 01/04/2025.") and "Quyết định ngày" not in event.note


def test_the_form_of_an_overdue_recognition_says_upfront_that_a_reason_is_needed(client, tree, make_member, organizer):
    """Opened from the to-do list's overdue row, the form names the time limit passed at the reason's field,
    before any refusal (it gave only the general rule until submitted)."""
    late = make_member(tree["C01"], admitted_on=CEREMONY)  # time limit 28/04/2025, long past
    client.force_login(organizer)
    form = client.get(f"/lifecycle/members/{late.code}/recognize/").context["form"]
    assert "28/04/2025" in str(form["late_reason"].help_text) and "15/03/2025" in str(form["late_reason"].help_text)
    on_time = make_member(tree["C01"], admitted_on=timezone.localdate() - dt.timedelta(days=370))
    form = client.get(f"/lifecycle/members/{on_time.code}/recognize/").context["form"]
    assert str(form["late_reason"].help_text) == str(LATE_REASON_HELP)
