"""Discipline cases (vụ việc kỷ luật): opened against a current member, closed by the discipline
decision or by a decision not to discipline; no transfer while a case is open; roles and scope."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from dangvu.core.errors import DomainError
from dangvu.lifecycle import services, todo, transfers, worklist
from dangvu.lifecycle.models import CaseOutcome, DisciplineCase, Transfer
from dangvu.members.models import MemberStatus

D = dt.date
TODAY = timezone.localdate()


@pytest.fixture
def official(tree, make_member):
    return make_member(tree["C01"], made_official_on=D(2016, 5, 19))


def _open(member, on=dt.date(2024, 2, 1), **kw):
    kw.setdefault("authority", "UBKT Đảng ủy xã Nà Hỳ")
    kw.setdefault("violation", "Vi phạm quy định về những điều đảng viên không được làm")
    return services.open_discipline_case(member, opened_on=on, **kw)


def test_a_transfer_is_refused_while_a_case_is_open_and_nothing_changes(tree, official):
    case = _open(official)
    events = official.events.count()
    for kind, extra in (("official", {"to_cell": tree["X02"]}), ("temporary", {"destination": "Xã khác", "months": 6})):
        with pytest.raises(DomainError) as exc:
            transfers.transfer_issue(official, kind=kind, issued_on=D(2024, 3, 1), **extra)
        assert exc.value.code == "transfer.discipline_case_open"
        assert "01/02/2024" in exc.value.message and "kỷ luật" in exc.value.message
    official.refresh_from_db()
    assert not Transfer.objects.exists() and official.events.count() == events and official.cell == tree["C01"]
    case.refresh_from_db()
    assert case.closed_on is None


def test_a_transfer_is_allowed_after_the_case_is_closed_and_before_it_was_opened(tree, official):
    _open(official)
    transfers.transfer_issue(official, kind="temporary", issued_on=D(2024, 1, 15), destination="Xã khác", months=6)
    case = services.close_discipline_case(official, closed_on=D(2024, 4, 1), note="Không đủ căn cứ")
    assert case.outcome == CaseOutcome.NO_DISCIPLINE and case.event is None and "căn cứ" in case.note
    with pytest.raises(DomainError):  # the case was still open on that day
        transfers.transfer_issue(official, kind="official", issued_on=D(2024, 3, 31), to_cell=tree["X02"])
    t = transfers.transfer_issue(official, kind="official", issued_on=D(2024, 4, 1), to_cell=tree["X02"])
    assert t.event.cell_id == tree["X02"].pk


def test_discipline_closes_the_open_case_and_links_its_event(official, tree, make_user):
    inspector = make_user("ubkt_huyen", tree["H01"], role="inspector")
    case = _open(official)
    assert todo.open_discipline_cases(inspector).count() == 1
    event = services.discipline(official, form="warning", decided_on=D(2024, 5, 6))
    case.refresh_from_db()
    assert case.closed_on == D(2024, 5, 6) and case.outcome == CaseOutcome.DISCIPLINED and case.event == event
    assert todo.open_discipline_cases(inspector).count() == 0


def test_a_discipline_without_a_violation_date_takes_the_one_of_the_case_it_closes(official):
    """The limitation period is counted from the violation the open case records: a decision that does not
    repeat its date is refused the same, at the violation date, and nothing is written."""
    case = _open(official, violation_on=D(2018, 3, 1))
    events = official.events.count()
    with pytest.raises(DomainError) as exc:  # a reprimand: 5 years, over on 01/03/2023
        services.discipline(official, form="reprimand", decided_on=D(2024, 5, 6))
    assert exc.value.field == "violation_on" and "01/03/2023" in exc.value.message
    case.refresh_from_db()
    assert case.closed_on is None and official.events.count() == events
    services.discipline(official, form="warning", decided_on=D(2024, 5, 6))  # 10 years: within
    case.refresh_from_db()
    assert case.outcome == CaseOutcome.DISCIPLINED


def test_a_discipline_decided_before_the_case_was_opened_leaves_it_open(official):
    case = _open(official)
    services.discipline(official, form="reprimand", decided_on=D(2023, 5, 6))
    case.refresh_from_db()
    assert case.closed_on is None


def test_a_second_open_case_is_refused(official):
    _open(official)
    with pytest.raises(DomainError) as exc:
        _open(official, on=D(2024, 3, 1))
    assert "01/02/2024" in exc.value.message
    assert DisciplineCase.objects.count() == 1


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"on": TODAY + dt.timedelta(days=1)}, "opened_on"),
    ({"on": D(2014, 1, 1)}, "opened_on"),  # before the admission
    ({"violation_on": D(2024, 3, 1)}, "violation_on"),  # after the opening
    ({"violation": "  "}, "violation"),
    ({"authority": ""}, "authority"),
])
def test_opening_checks_its_dates_and_texts(official, kwargs, field):
    with pytest.raises(DomainError) as exc:
        _open(official, **kwargs)
    assert exc.value.field == field
    assert not DisciplineCase.objects.exists()


def test_closing_is_not_before_the_opening_nor_in_the_future_and_needs_an_open_case(official):
    with pytest.raises(DomainError):
        services.close_discipline_case(official, closed_on=D(2024, 3, 1))
    _open(official)
    for day in (D(2024, 1, 31), TODAY + dt.timedelta(days=1)):
        with pytest.raises(DomainError) as exc:
            services.close_discipline_case(official, closed_on=day)
        assert exc.value.field == "closed_on"
    assert DisciplineCase.objects.get().closed_on is None


def test_a_case_is_opened_only_against_a_current_member(tree, official):
    services.record_death(official, on=D(2023, 1, 1))
    with pytest.raises(DomainError):
        _open(official)


def test_the_todo_lists_open_cases_in_scope_only(tree, make_member, make_user):
    mine = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    other = make_member(tree["X02"], made_official_on=D(2016, 5, 19))
    _open(mine), _open(other)
    user = make_user("ubkt", tree["X01"], role="inspector")
    assert [c.member for c in worklist.worklist(user, TODAY)["discipline_cases"]] == [mine]


def test_opening_is_audited(official):
    case = _open(official)
    assert LogEntry.objects.get_for_object(case).count() == 1


def test_an_inspector_opens_and_closes_a_case_on_the_web_but_writes_nothing_else(client, tree, official, make_user):
    client.force_login(make_user("ubkt", tree["H01"], role="inspector"))
    page = client.get(reverse("members:detail", args=[official.code]))
    assert reverse("lifecycle:member_action", args=[official.code, "open-discipline-case"]) in page.content.decode()
    url = reverse("lifecycle:member_action", args=[official.code, "open-discipline-case"])
    r = client.post(url, {"opened_on": "01/02/2024", "authority": "UBKT Huyện ủy", "violation": "Vi phạm"})
    assert r.status_code == 302, r.content.decode()
    page = client.get(reverse("members:detail", args=[official.code])).content.decode()
    assert 'id="discipline-case"' in page and "01/02/2024" in page
    assert client.get(reverse("lifecycle:todo")).context["discipline_cases"][0].member == official
    assert client.post(reverse("lifecycle:member_action", args=[official.code, "close-discipline-case"]),
                       {"closed_on": "01/03/2024"}).status_code == 302
    assert DisciplineCase.objects.get().outcome == CaseOutcome.NO_DISCIPLINE
    assert client.get(reverse("lifecycle:member_action", args=[official.code, "transfer"])).status_code == 403


def test_a_viewer_cannot_open_a_case_and_outside_scope_it_is_404(client, tree, official, make_user):
    url = reverse("lifecycle:member_action", args=[official.code, "open-discipline-case"])
    client.force_login(make_user("xem", tree["H01"], role="viewer"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("ubktkhac", tree["X02"], role="inspector"))
    assert client.get(url).status_code == 404


def test_the_api_opens_and_closes_a_case_for_an_inspector_only_in_scope(tree, official, make_user):
    from rest_framework.test import APIClient

    api = APIClient()
    base = f"/api/lifecycle/members/{official.code}/"
    body = {"opened_on": "2024-02-01", "authority": "UBKT Huyện ủy", "violation": "Vi phạm"}
    api.force_authenticate(make_user("ubktkhac", tree["X02"], role="inspector"))
    assert api.post(base + "open-discipline-case/", body, format="json").status_code == 404
    api.force_authenticate(make_user("xem", tree["H01"], role="viewer"))
    assert api.post(base + "open-discipline-case/", body, format="json").status_code == 403
    inspector = make_user("ubkt", tree["H01"], role="inspector")
    api.force_authenticate(inspector)
    r = api.post(base + "open-discipline-case/", body, format="json")
    assert r.status_code == 201 and r.json()["closed_on"] is None
    assert api.post(base + "open-discipline-case/", body, format="json").status_code == 400
    r = api.post(base + "transfer/", {"kind": "official", "issued_on": "2024-03-01", "to_cell": "X02"}, format="json")
    assert r.status_code == 403  # an inspector does not transfer
    r = api.post(base + "discipline/", {"form": "reprimand", "decided_on": "2024-03-01"}, format="json")
    assert r.status_code == 201
    case = DisciplineCase.objects.get()
    assert case.outcome == CaseOutcome.DISCIPLINED and case.event_id == r.json()["id"]
    assert api.post(base + "close-discipline-case/", {"closed_on": "2024-03-02"}, format="json").status_code == 400
    official.refresh_from_db()
    assert official.status == MemberStatus.OFFICIAL


def test_the_discipline_form_shows_the_violation_date_of_the_open_case(client, tree, official, make_user):
    _open(official, violation_on=D(2018, 3, 1))
    client.force_login(make_user("bt_xa", tree["X01"], role="secretary"))
    form = client.get(reverse("lifecycle:member_action", args=[official.code, "discipline"])).context["form"]
    assert form["violation_on"].value() == "01/03/2018"


def test_a_closed_case_reads_with_its_closing_and_outcome(official):
    """What the page says once a case is closed ("Đã ghi: …") differs from what it said at its opening."""
    case = _open(official)
    assert str(case) == "vụ việc kỷ luật 01/02/2024"
    services.close_discipline_case(official, closed_on=D(2024, 3, 5))
    case.refresh_from_db()
    assert str(case) == "vụ việc kỷ luật 01/02/2024, kết thúc ngày 05/03/2024: không kỷ luật"


def test_a_discipline_without_a_note_keeps_the_violation_of_the_case_it_closes(official):
    """The member's history says what the discipline was for: the violation the case records."""
    _open(official, violation="Vắng sinh hoạt 3 tháng không lý do")
    event = services.discipline(official, form="reprimand", decided_on=D(2024, 5, 6))
    assert event.note == "Vắng sinh hoạt 3 tháng không lý do"
    _open(official, on=D(2024, 6, 1))
    event = services.discipline(official, form="warning", decided_on=D(2024, 7, 1), note="Theo kết luận của chi bộ")
    assert event.note == "Theo kết luận của chi bộ"
