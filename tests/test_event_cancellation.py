"""Cancelling an event recorded by mistake (hủy sự kiện nhập sai): kept and marked, the history
replayed without it, refused by the same replay, with the permission that records such an event."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError
from dangvu.lifecycle import services as lifecycle
from dangvu.lifecycle import transfers
from dangvu.members.cancellation import cancel_event
from dangvu.members.change_log import audit_history
from dangvu.members.models import Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_readmit, member_record_event
from dangvu.reports.queries import flows, snapshot

D = dt.date


@pytest.fixture
def moved(tree, make_member):
    """An official member of C01, moved to C02 on 01/01/2020 by mistake (it was another member)."""
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.MOVED, effective_on=D(2020, 1, 1), cell=tree["C02"])
    return m, m.events.get(kind=E.MOVED)


def _code(call) -> str | None:
    with pytest.raises(DomainError) as exc:
        call()
    return exc.value.code


# --- The service -----------------------------------------------------------------------------------


def test_a_cancelled_event_is_kept_and_the_member_replayed_without_it(tree, make_user, moved):
    m, event = moved
    user = make_user("bithu", tree["X01"], "secretary")
    cancel_event(event, reason="  Nhập nhầm người  ", actor=user)
    m.refresh_from_db()
    assert (m.cell_id, m.status) == (tree["C01"].pk, MemberStatus.OFFICIAL)
    assert [(p.cell_id, p.valid_from, p.valid_to) for p in m.periods.order_by("valid_from")] == [
        (tree["C01"].pk, D(2015, 5, 19), D(2016, 5, 19)), (tree["C01"].pk, D(2016, 5, 19), None)]
    kept = MemberEvent.with_cancelled.get(pk=event.pk)  # never deleted nor changed, only marked
    assert (kept.kind, kept.effective_on, kept.cell_id) == (E.MOVED, D(2020, 1, 1), tree["C02"].pk)
    assert (kept.cancelled_by, kept.cancel_reason) == (user, "Nhập nhầm người") and kept.cancelled_at
    assert not m.events.filter(pk=event.pk).exists()  # out of every replay and report


def test_a_discipline_entered_twice_is_cancelled_once(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    first = lifecycle.discipline(m, form="warning", decided_on=D(2024, 9, 1))
    twice = lifecycle.discipline(m, form="warning", decided_on=D(2024, 9, 1))
    cancel_event(twice, reason="Nhập hai lần")
    assert list(m.events.filter(kind=E.DISCIPLINED)) == [first]


def test_the_reason_is_required(moved):
    m, event = moved
    with pytest.raises(DomainError) as exc:
        cancel_event(event, reason="   ")
    assert (exc.value.code, exc.value.field) == ("cancel.reason_required", "reason")
    assert MemberEvent.with_cancelled.get(pk=event.pk).cancelled_at is None


def test_an_event_a_later_one_depends_on_is_refused_by_the_replay(tree, moved):
    m, event = moved
    member_record_event(m, kind=E.MOVED, effective_on=D(2021, 1, 1), cell=tree["C01"])  # back: needs the first move
    assert _code(lambda: cancel_event(event, reason="Sai")) == "cancel.history_invalid"
    m.refresh_from_db()
    assert m.cell_id == tree["C01"].pk and MemberEvent.with_cancelled.get(pk=event.pk).cancelled_at is None


def test_the_first_admission_is_refused(tree, make_member):
    m = make_member(tree["C01"])
    assert _code(lambda: cancel_event(m.events.get(kind=E.ADMITTED), reason="Sai")) == "cancel.first_admission"


def test_a_readmission_is_refused(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.REMOVED, effective_on=D(2018, 1, 1))
    readmission = member_readmit(m, on=D(2022, 1, 1), cell=tree["C01"])
    assert _code(lambda: cancel_event(readmission, reason="Sai")) == "cancel.readmission"


def test_the_placement_of_a_member_admitted_elsewhere_is_refused(tree, make_member):
    m = make_member(tree["C01"], placed_on=D(2018, 1, 1))
    assert _code(lambda: cancel_event(m.events.get(kind=E.TRANSFERRED_IN), reason="Sai")) == "cancel.never_placed"


def test_an_event_another_record_was_made_with_is_refused(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), to_cell=tree["C02"], letter_number="1")
    assert _code(lambda: cancel_event(m.events.get(kind=E.MOVED), reason="Sai")) == "cancel.linked_record"


def test_an_event_is_cancelled_once(moved):
    _m, event = moved
    cancel_event(event, reason="Sai")
    assert _code(lambda: cancel_event(event, reason="Sai")) == "cancel.already_cancelled"


def test_the_cancellation_is_audited_with_before_and_after(tree, make_user, moved):
    m, event = moved
    user = make_user("bithu", tree["X01"], "secretary")
    with audit_context(actor=user, source="web"):  # as the pages and the API enter it
        cancel_event(event, reason="Nhập nhầm người", actor=user)
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(MemberEvent), object_id=event.pk,
                                 action=LogEntry.Action.UPDATE)
    assert entry.actor == user and entry.changes_dict["cancel_reason"] == ["", "Nhập nhầm người"]
    placement = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Member), object_id=m.pk,
                                        action=LogEntry.Action.UPDATE).latest("pk")
    assert placement.changes_dict["cell"] == [str(tree["C02"].pk), str(tree["C01"].pk)]
    shown = [(row["subject"], c["after"]) for row in audit_history(m, show_personal=False) for c in row["changes"]
             if row["action"] == "update" and c["field"] == "lý do hủy"]
    assert shown == [("Biến động: Chuyển sinh hoạt, 01/01/2020", "Nhập nhầm người")]  # on the member's change log


def test_a_report_as_of_a_day_no_longer_counts_the_cancelled_event(moved, tree):
    _m, event = moved
    assert snapshot(tree["C02"], D(2021, 1, 1))["members"]["total"] == 1
    cancel_event(event, reason="Sai")
    assert snapshot(tree["C02"], D(2021, 1, 1))["members"]["total"] == 0
    assert snapshot(tree["C01"], D(2021, 1, 1))["members"]["total"] == 1


def test_the_flows_no_longer_count_a_cancelled_card(tree, make_member):
    """The flows read the events of the period themselves (not only the periods): a card issued by mistake
    is out of them once cancelled."""
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    card = lifecycle.issue_card(m, number="01234567", issued_on=D(2020, 1, 6))
    assert flows(tree["X01"], D(2020, 1, 1), D(2020, 12, 31))["cards_issued"] == 1
    cancel_event(card, reason="Cấp nhầm người")
    assert flows(tree["X01"], D(2020, 1, 1), D(2020, 12, 31))["cards_issued"] == 0
    m.refresh_from_db()
    assert m.card_number == ""


# --- Who may ----------------------------------------------------------------------------------------


def test_cancelling_needs_the_permission_that_records_the_event(tree, make_member, make_user, client):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.MOVED, effective_on=D(2020, 1, 1), cell=tree["C02"])
    warning = lifecycle.discipline(m, form="warning", decided_on=D(2024, 9, 1))
    move = m.events.get(kind=E.MOVED)
    client.force_login(make_user("xem", tree["X01"], "viewer"))
    assert client.post(reverse("members:event_cancel", args=[m.code, move.pk]), {"reason": "Sai"}).status_code == 403
    client.force_login(make_user("ubkt", tree["X01"], "inspector"))  # disciplines, does not edit the registry
    assert client.post(reverse("members:event_cancel", args=[m.code, move.pk]), {"reason": "Sai"}).status_code == 403
    response = client.post(reverse("members:event_cancel", args=[m.code, warning.pk]), {"reason": "Sai"})
    assert response.status_code == 302
    assert MemberEvent.with_cancelled.get(pk=warning.pk).cancelled_at is not None
    assert MemberEvent.with_cancelled.get(pk=move.pk).cancelled_at is None


def test_another_communes_user_gets_404(tree, make_user, moved, client):
    m, event = moved
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    other = organization_establish(code="XB9", name="Đảng bộ xã Bên Kia", kind=K.GRASSROOTS_COMMITTEE,
                                   parent=tree["H01"], established_on=D(2012, 1, 1))
    user = make_user("khac", other, "organizer")
    client.force_login(user)
    url = reverse("members:event_cancel", args=[m.code, event.pk])
    assert client.get(url).status_code == 404 and client.post(url, {"reason": "Sai"}).status_code == 404
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(f"/api/lifecycle/members/{m.code}/events/{event.pk}/cancel/", {"reason": "Sai"}, format="json")
    assert response.status_code == 404
    assert MemberEvent.with_cancelled.get(pk=event.pk).cancelled_at is None


# --- The page and the API ---------------------------------------------------------------------------


def test_the_history_page_offers_the_cancellation_and_shows_it_done(tree, make_user, moved, client):
    m, event = moved
    client.force_login(make_user("bithu", tree["X01"], "secretary"))
    page = client.get(reverse("members:detail", args=[m.code])).content.decode()
    url = reverse("members:event_cancel", args=[m.code, event.pk])
    assert url in page and "Hủy (nhập sai)" in page
    admission = m.events.get(kind=E.ADMITTED)
    assert reverse("members:event_cancel", args=[m.code, admission.pk]) not in page  # the first admission: no link
    form = client.get(url)
    assert form.status_code == 200 and "Lý do hủy" in form.content.decode()
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and MemberEvent.with_cancelled.get(pk=event.pk).cancelled_at is None
    response = client.post(url, {"reason": "Nhập nhầm người"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("members:detail", args=[m.code])
    page = response.content.decode()
    assert "Đã hủy biến động nhập sai" in page  # the success message
    assert "Đã hủy" in page and "Nhập nhầm người" in page and "<s>" in page
    assert url not in page  # done: no second cancellation offered


def test_the_history_page_tries_only_the_events_the_user_may_cancel(tree, make_user, moved, client, monkeypatch):
    """Each try replays the member's history: a viewer's page tries none, an inspector's only the discipline."""
    from dangvu.members import cancellation

    m, event = moved
    lifecycle.discipline(m, form="warning", decided_on=D(2024, 9, 1))
    tried = []
    real = cancellation._history_without
    monkeypatch.setattr(cancellation, "_history_without", lambda ev, *a: tried.append(ev.kind) or real(ev, *a))
    client.force_login(make_user("xem", tree["X01"], "viewer"))
    page = client.get(reverse("members:detail", args=[m.code])).content.decode()
    assert tried == [] and "Hủy (nhập sai)" not in page
    client.force_login(make_user("ubkt", tree["X01"], "inspector"))
    page = client.get(reverse("members:detail", args=[m.code])).content.decode()
    assert tried == [E.DISCIPLINED] and "Hủy (nhập sai)" in page


def test_a_refusal_is_shown_on_the_form(tree, make_user, make_member, client):
    m = make_member(tree["C01"])
    admission = m.events.get(kind=E.ADMITTED)
    client.force_login(make_user("bithu", tree["X01"], "secretary"))
    response = client.post(reverse("members:event_cancel", args=[m.code, admission.pk]), {"reason": "Sai"})
    assert response.status_code == 200 and "lần kết nạp đầu tiên" in response.content.decode()


def test_the_api_cancels_with_field_errors_and_refusals_never_a_500(tree, make_user, moved):
    m, event = moved
    api = APIClient()
    api.force_authenticate(make_user("bithu", tree["X01"], "secretary"))
    url = f"/api/lifecycle/members/{m.code}/events/{event.pk}/cancel/"
    response = api.post(url, {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    admission = m.events.get(kind=E.ADMITTED)
    refused = api.post(f"/api/lifecycle/members/{m.code}/events/{admission.pk}/cancel/", {"reason": "Sai"}, format="json")
    assert refused.status_code == 400 and "non_field_errors" in refused.json()
    assert api.post(f"/api/lifecycle/members/{m.code}/events/999999/cancel/", {"reason": "Sai"}, format="json").status_code == 404
    response = api.post(url, {"reason": "Nhập nhầm người"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["cancel_reason"], body["cancelled_by"]) == (event.pk, "Nhập nhầm người", "bithu")
    events = api.get(f"/api/members/{m.code}/events/").json()
    assert [e["cancelled_at"] is not None for e in events if e["id"] == event.pk] == [True]  # still in the history


def test_a_viewer_may_not_cancel_through_the_api(tree, make_user, moved):
    m, event = moved
    api = APIClient()
    api.force_authenticate(make_user("xem", tree["X01"], "viewer"))
    response = api.post(f"/api/lifecycle/members/{m.code}/events/{event.pk}/cancel/", {"reason": "Sai"}, format="json")
    assert response.status_code == 403


def test_an_inspector_cancels_a_discipline_through_the_api(tree, make_user, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    warning = lifecycle.discipline(m, form="warning", decided_on=D(2024, 9, 1))
    api = APIClient()
    api.force_authenticate(make_user("ubkt", tree["X01"], "inspector"))
    response = api.post(f"/api/lifecycle/members/{m.code}/events/{warning.pk}/cancel/", {"reason": "Sai"}, format="json")
    assert response.status_code == 200 and response.json()["cancelled_at"]


def test_an_event_of_another_member_is_not_found_under_this_one(tree, make_user, make_member, moved, client):
    _m, event = moved
    other = make_member(tree["C01"], name="Lò Văn Ánh")
    user = make_user("bithu", tree["X01"], "secretary")
    client.force_login(user)
    assert client.post(reverse("members:event_cancel", args=[other.code, event.pk]), {"reason": "Sai"}).status_code == 404
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(f"/api/lifecycle/members/{other.code}/events/{event.pk}/cancel/", {"reason": "Sai"}, format="json")
    assert response.status_code == 404 and MemberEvent.with_cancelled.get(pk=event.pk).cancelled_at is None


def test_the_statistics_forms_leave_cancelled_events_out(tree, make_member):
    """Form 7 reads the events itself (raw SQL over `reports.queries.common.ME`): a card cancelled as issued by
    mistake does not make the next one a reissue, nor does a cancelled exemption count."""
    from dangvu.reports.statforms import build_form
    from dangvu.reports.tests.test_statforms import values

    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    wrong = lifecycle.issue_card(m, number="01234567", issued_on=D(2020, 1, 6))
    cancel_event(wrong, reason="Cấp nhầm người")
    lifecycle.issue_card(m, number="01234568", issued_on=D(2024, 3, 1))
    exemption = member_record_event(m, kind=E.EXEMPTED, effective_on=D(2024, 5, 1), value="age")
    cancel_event(exemption, reason="Nhập nhầm")
    v = values(build_form(7, tree["X01"], date_from=D(2024, 1, 1), date_to=D(2024, 12, 31)))
    assert (v["cards_issued"], v["cards_first"], v["cards_reissued"], v["exempted"]) == (1, 1, 0, 0)
