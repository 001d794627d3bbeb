"""Lifecycle actions on members (recognition, card, badge, discipline) and the to-do page."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from dangvu.core.errors import DomainError
from dangvu.lifecycle import services, todo
from dangvu.lifecycle.services import Vote
from dangvu.members.models import MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E

TODAY = timezone.localdate()


def _events(member):
    return list(MemberEvent.objects.filter(member=member).values_list("kind", flat=True))


@pytest.fixture
def organizer(tree, make_user):
    return make_user("bantochuc", tree["H01"], role="organizer")


@pytest.fixture
def old_cell(tree):
    """A chi bộ cơ sở that has existed since before any date here (members admitted in the 1990s)."""
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    return organization_establish(code="C00", name="Chi bộ Trạm y tế", kind=K.GRASSROOTS_CELL, parent=tree["H01"])


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
    event = services.recognize_official(m, decided_on=dt.date(2025, 5, 20), vote=Vote(9, 8, 7))
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


def test_a_card_is_not_issued_to_a_probationary_member(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with pytest.raises(DomainError):
        services.issue_card(m, number="01234567", issued_on=dt.date(2024, 6, 1))


def test_a_card_issued_to_an_official_member_is_recorded(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    services.issue_card(m, number="01234567", issued_on=dt.date(2020, 1, 6))
    m.refresh_from_db()
    assert m.card_number == "01234567"


def test_badge_due_follows_party_age_and_award_dates(old_cell, make_member):
    m = make_member(old_cell, admitted_on=dt.date(1994, 9, 1), made_official_on=dt.date(1995, 9, 1),
                    birth_date=dt.date(1970, 1, 1))
    assert services.badge_due(m, dt.date(2024, 5, 19)) is None  # 29 years 8 months
    assert services.badge_due(m, dt.date(2024, 9, 2)) == 30


def test_awarding_a_badge_that_is_not_due_is_refused(old_cell, make_member):
    m = make_member(old_cell, admitted_on=dt.date(1994, 9, 1), made_official_on=dt.date(1995, 9, 1),
                    birth_date=dt.date(1970, 1, 1))
    with pytest.raises(DomainError) as exc:
        services.award_badge(m, milestone=30, award_date=dt.date(2024, 5, 19))
    assert exc.value.field == "milestone"
    with pytest.raises(DomainError) as exc:
        services.award_badge(m, milestone=30, award_date=dt.date(2024, 9, 3))
    assert exc.value.field == "award_date"
    services.award_badge(m, milestone=30, award_date=dt.date(2024, 9, 2))
    assert services.badge_due(m, dt.date(2024, 11, 7)) is None  # already awarded


def test_discipline_delays_the_badge(old_cell, make_member):
    m = make_member(old_cell, admitted_on=dt.date(1994, 9, 1), made_official_on=dt.date(1995, 9, 1),
                    birth_date=dt.date(1970, 1, 1))
    services.discipline(m, form="warning", decided_on=dt.date(2024, 6, 1))
    assert services.badge_due(m, dt.date(2024, 9, 2)) is None
    assert services.badge_due(m, dt.date(2025, 5, 19)) == 30


def test_expelling_a_probationary_member_is_refused_with_a_vietnamese_reason(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        services.discipline(m, form="expulsion", decided_on=dt.date(2024, 9, 1))
    assert "khai trừ" in exc.value.message.lower()
    m.refresh_from_db()
    assert m.status == MemberStatus.PROBATIONARY and E.EXPELLED not in _events(m)


def test_expelling_an_official_member_ends_the_membership(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    services.discipline(m, form="expulsion", decided_on=dt.date(2024, 9, 1))
    m.refresh_from_db()
    assert m.status == MemberStatus.EXPELLED


def test_a_warning_is_stored_as_its_key_and_labelled_from_the_rules(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    event = services.discipline(m, form="warning", decided_on=dt.date(2024, 9, 1))
    assert event.kind == E.DISCIPLINED and event.value == "warning"
    with translation.override("vi"):
        assert event.value_display == "cảnh cáo"


# --- to do ---------------------------------------------------------------------------------------

def test_todo_lists_probations_ending_and_drops_them_once_recognised(tree, make_member, organizer):
    admitted = todo.R.add_months(TODAY, -12) + dt.timedelta(days=10)
    soon = make_member(tree["C01"], admitted_on=admitted, birth_date=dt.date(1990, 1, 1))
    make_member(tree["C01"], admitted_on=TODAY - dt.timedelta(days=30), birth_date=dt.date(1990, 1, 1))
    ended = make_member(tree["C01"], admitted_on=todo.R.add_months(TODAY, -13), birth_date=dt.date(1990, 1, 1))
    items = todo.probations_ending(organizer, TODAY)
    assert [i.member.pk for i in items] == [ended.pk, soon.pk]
    assert items[1].ends_on == todo.R.add_months(admitted, 12) and not items[1].overdue
    services.recognize_official(ended, decided_on=TODAY)
    assert [i.member.pk for i in todo.probations_ending(organizer, TODAY)] == [soon.pk]


def test_todo_marks_a_probation_overdue_after_the_cell_time_limit(tree, make_member, organizer):
    m = make_member(tree["C01"], admitted_on=todo.R.add_months(TODAY, -14), birth_date=dt.date(1990, 1, 1))
    (item,) = todo.probations_ending(organizer, TODAY)
    assert item.member.pk == m.pk and item.overdue


def test_probation_counts_are_those_of_the_list(tree, make_member, organizer):
    from dangvu.lifecycle import worklist

    for months, n in ((-14, 2), (-13, 1), (-12, 1), (-9, 3)):  # overdue, ended, ending soon, not yet in view
        for _ in range(n):
            make_member(tree["C01"], admitted_on=todo.R.add_months(TODAY, months) + dt.timedelta(days=3),
                        birth_date=dt.date(1990, 1, 1))
    items = todo.probations_ending(organizer, TODAY)
    expected = {"total": len(items), "overdue": sum(i.overdue for i in items)}
    assert expected == {"total": 4, "overdue": 2}
    assert todo.probation_counts(organizer, TODAY) == expected
    assert worklist.todo_counts(organizer, TODAY, keys=("probations",))["probations"] == expected


def test_todo_lists_official_members_without_a_card(tree, make_member, organizer):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    assert list(todo.cards_not_issued(organizer)) == [m]
    services.issue_card(m, number="01234567", issued_on=dt.date(2020, 1, 6))
    assert list(todo.cards_not_issued(organizer)) == []


def test_todo_lists_badges_due_on_the_next_award_date(tree, old_cell, make_member, organizer):
    award = todo.next_award_date(TODAY)
    official = todo.R.add_months(award, -12 * 29)
    m = make_member(old_cell, admitted_on=todo.R.add_months(award, -12 * 30), made_official_on=official,
                    birth_date=dt.date(1960, 1, 1))
    make_member(old_cell, admitted_on=official, made_official_on=todo.R.add_months(official, 12),
                birth_date=dt.date(1960, 1, 1))
    assert [(i.member.pk, i.milestone) for i in todo.badges_due(organizer, award)] == [(m.pk, 30)]


def test_next_award_date_is_one_of_the_four_occasions():
    assert todo.next_award_date(dt.date(2026, 11, 24)) == dt.date(2027, 2, 3)
    assert todo.next_award_date(dt.date(2026, 5, 19)) == dt.date(2026, 5, 19)


def test_todo_of_a_user_of_another_commune_does_not_show_my_members(tree, make_member, make_user):
    make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    other = make_user("xakhac", tree["X02"])
    assert list(todo.cards_not_issued(other)) == []


def test_todo_page_and_recognition_form_in_the_browser_flow(client, tree, make_member, organizer):
    m = make_member(tree["C01"], admitted_on=todo.R.add_months(TODAY, -13), birth_date=dt.date(1990, 1, 1))
    client.force_login(organizer)
    page = client.get("/lifecycle/todo/")
    assert page.status_code == 200 and m.full_name in page.content.decode()
    url = f"/lifecycle/members/{m.code}/recognize/"
    bad = client.post(url, {"decided_on": TODAY.strftime("%d/%m/%Y"), "due": 9, "present": 9, "votes_for": 3})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    ok = client.post(url, {"decided_on": TODAY.strftime("%d/%m/%Y"), "due": 9, "present": 9, "votes_for": 8})
    assert ok.status_code == 302
    m.refresh_from_db()
    assert m.status == MemberStatus.OFFICIAL
    assert m.full_name not in client.get("/lifecycle/todo/").content.decode().split('id="todo-badges"')[0]


def test_a_viewer_cannot_record_a_recognition(client, tree, make_member, make_user):
    m = make_member(tree["C01"], admitted_on=todo.R.add_months(TODAY, -13), birth_date=dt.date(1990, 1, 1))
    client.force_login(make_user("chixem", tree["H01"], role="viewer"))
    assert client.get(f"/lifecycle/members/{m.code}/recognize/").status_code == 403


def test_an_action_on_a_member_outside_scope_is_404(client, tree, make_member, make_user):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    client.force_login(make_user("xakhac", tree["X02"]))
    assert client.get(f"/lifecycle/members/{m.code}/card/").status_code == 404


# --- exemption and exits ----------------------------------------------------------------------------

def test_exemption_on_age_grounds_needs_the_age_and_poor_health(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1970, 1, 1), sex="M")
    with pytest.raises(DomainError):  # 54 years old
        services.exempt(m, on=dt.date(2024, 6, 1), treatment_months=6)
    old = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1960, 1, 1), sex="M")
    with pytest.raises(DomainError):  # old enough, but healthy
        services.exempt(old, on=dt.date(2024, 6, 1))
    services.exempt(old, on=dt.date(2024, 6, 1), treatment_months=4)
    old.refresh_from_db()
    assert old.exempted and old.status == MemberStatus.OFFICIAL
    services.end_exemption(old, on=dt.date(2025, 1, 2))
    old.refresh_from_db()
    assert not old.exempted


def test_temporary_exemption_on_a_listed_ground_skips_the_age_test(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1990, 1, 1), sex="F")
    services.exempt(m, on=dt.date(2024, 6, 1), ground="maternity_leave")
    m.refresh_from_db()
    assert m.exempted
    with pytest.raises(DomainError):
        services.exempt(make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19)), on=dt.date(2024, 6, 1),
                        ground="holiday")


def test_a_probationary_member_is_not_exempted(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with pytest.raises(DomainError):
        services.exempt(m, on=dt.date(2024, 6, 1), ground="maternity_leave")


def test_removal_needs_a_ground_that_suits_the_status(tree, make_member):
    official = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    probationer = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with pytest.raises(DomainError):
        services.remove(official, on=dt.date(2024, 6, 1), ground="probation_not_recognised")
    with pytest.raises(DomainError):
        services.remove(probationer, on=dt.date(2025, 6, 1), ground="no_progress")
    services.remove(probationer, on=dt.date(2025, 6, 1), ground="probation_not_recognised")
    services.remove(official, on=dt.date(2024, 6, 1), ground="absent_or_unpaid", vote=Vote(9, 9, 7))
    for m in (official, probationer):
        m.refresh_from_db()
        assert m.status == MemberStatus.REMOVED


def test_nothing_can_be_recorded_after_death(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    services.record_death(m, on=dt.date(2024, 6, 1))
    with pytest.raises(DomainError):
        services.resign(m, on=dt.date(2024, 7, 1))
    with pytest.raises(DomainError):
        services.issue_card(m, number="01234567", issued_on=dt.date(2024, 7, 1))
    m.refresh_from_db()
    assert m.status == MemberStatus.DIED


def test_a_seriously_ill_member_may_receive_the_badge_up_to_a_year_early(old_cell, make_member):
    m = make_member(old_cell, admitted_on=dt.date(1995, 3, 1), made_official_on=dt.date(1996, 3, 1),
                    birth_date=dt.date(1970, 1, 1))
    assert services.badge_due(m, dt.date(2024, 5, 19)) is None  # 29 years 2 months
    assert services.badge_due(m, dt.date(2024, 5, 19), seriously_ill=True) == 30
    event = services.award_badge(m, milestone=30, award_date=dt.date(2024, 5, 19), seriously_ill=True)
    assert event.value == "30" and event.note


@pytest.mark.parametrize("action,data,expected", [
    ("discipline", {"form": "warning", "decided_on": "01/09/2024"}, "disciplined"),
    ("resign", {"on": "01/09/2024"}, "resigned"),
    ("death", {"on": "01/09/2024"}, "died"),
    ("remove", {"ground": "absent_or_unpaid", "on": "01/09/2024", "due": 9, "present": 9, "votes_for": 8}, "removed"),
])
def test_every_action_has_a_web_form_on_the_member_page(client, tree, make_member, organizer, action, data, expected):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    client.force_login(organizer)
    page = client.get(f"/members/{m.code}/").content.decode()
    assert f"/lifecycle/members/{m.code}/{action}/" in page
    r = client.post(f"/lifecycle/members/{m.code}/{action}/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert m.events.filter(kind=expected).exists()


def test_the_exemption_form_shows_why_it_is_refused(client, tree, make_member, organizer):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1980, 1, 1))
    client.force_login(organizer)
    r = client.post(f"/lifecycle/members/{m.code}/exempt/", {"ground": "age", "on": "01/09/2024"})
    assert r.status_code == 200 and "field-error" in r.content.decode()
    assert not m.events.filter(kind="exempted").exists()


def test_badges_due_reads_the_events_of_all_members_in_one_query(tree, old_cell, make_member, organizer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    award = todo.next_award_date(TODAY)
    for i in range(4):
        make_member(old_cell, admitted_on=todo.R.add_months(award, -12 * 30 - i),
                    made_official_on=todo.R.add_months(award, -12 * 29), birth_date=dt.date(1960, 1, 1))
    todo.badges_due(organizer, award)  # the user's role assignments are read once, then cached
    with CaptureQueriesContext(connection) as few:
        one = todo.badges_due(organizer, award)
    make_member(old_cell, admitted_on=todo.R.add_months(award, -12 * 31),
                made_official_on=todo.R.add_months(award, -12 * 29), birth_date=dt.date(1960, 1, 1))
    with CaptureQueriesContext(connection) as more:
        two = todo.badges_due(organizer, award)
    assert (len(one), len(two)) == (4, 5) and len(few.captured_queries) == len(more.captured_queries)


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


def test_the_badge_form_takes_the_milestones_of_the_rules_in_force_on_the_award_date(client, old_cell, make_member,
                                                                                     organizer):
    m = make_member(old_cell, admitted_on=dt.date(1994, 1, 10), made_official_on=dt.date(1995, 1, 10),
                    birth_date=dt.date(1970, 1, 1))
    client.force_login(organizer)
    page = client.get(f"/lifecycle/members/{m.code}/badge/").content.decode()
    for years in todo.R.rules_on(TODAY).badge_milestones:
        assert f'<option value="{years}"' in page
    r = client.post(f"/lifecycle/members/{m.code}/badge/", {"milestone": "30", "award_date": "03/02/2024"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert m.events.filter(kind="badge_awarded", value="30").exists()


def test_the_actions_a_member_allows_come_from_the_status_machine_and_the_role(client, tree, make_member, organizer,
                                                                                make_user):
    from dangvu.lifecycle.selectors import allowed_actions
    from dangvu.members.services import member_record_event

    probationer = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    official = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    assert allowed_actions(probationer, organizer, case_open=False) == [
        "recognize", "transfer", "open-discipline-case", "discipline", "remove", "resign", "death"]
    assert allowed_actions(official, organizer, case_open=False) == [
        "card", "badge", "exempt", "transfer", "open-discipline-case", "discipline", "remove", "resign", "death"]
    assert "transfer" not in allowed_actions(official, organizer, case_open=True)
    assert "close-discipline-case" in allowed_actions(official, organizer, case_open=True)
    inspector = make_user("ubkt", tree["H01"], role="inspector")
    assert allowed_actions(official, inspector, case_open=False) == ["open-discipline-case", "discipline"]
    member_record_event(official, kind=E.EXPELLED, effective_on=dt.date(2024, 1, 1))
    official.refresh_from_db()
    assert allowed_actions(official, organizer, case_open=False) == ["restore"]
    member_record_event(probationer, kind=E.DIED, effective_on=dt.date(2024, 9, 1))
    probationer.refresh_from_db()
    assert allowed_actions(probationer, organizer, case_open=False) == []
    client.force_login(organizer)
    page = client.get(f"/members/{official.code}/").content.decode()
    assert f"/lifecycle/members/{official.code}/restore/" in page
    assert f"/lifecycle/members/{official.code}/discipline/" not in page


def test_the_rules_page_marks_the_unconfirmed_rules_and_those_the_administrator_sets(client, tree, make_user,
                                                                                      settings, tmp_path):
    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text('badge_award_rule = "first_occasion_after"\n')
    admin = make_user("quantri", tree["H01"], role="admin")
    client.force_login(admin)
    page = client.get("/lifecycle/rules/", {"on": "03/02/2026"})
    assert page.status_code == 200
    rows = {r.name: r for r in page.context["rows"]}
    assert rows["badge_award_rule"].unconfirmed and rows["badge_award_rule"].overridden
    assert rows["badge_award_rule"].value == "first_occasion_after"
    assert not rows["min_age_months"].unconfirmed and rows["cell_min_official_members"].value == "3"
    html = page.content.decode()
    assert 'data-rule="badge_award_rule"' in html and str(settings.DANGVU_RULES_FILE) in html
    assert client.get("/lifecycle/rules/", {"on": "31/02/2026"}).status_code == 400


def test_the_system_check_refuses_a_rules_file_that_overrides_a_statute_number(settings, tmp_path):
    from dangvu.lifecycle.checks import check_rules_file

    settings.DANGVU_RULES_FILE = tmp_path / "none.toml"
    assert check_rules_file() == []
    for name, text in (("statute.toml", "min_age_months = 200\n"), ("broken.toml", "min_age_months = \n")):
        (tmp_path / name).write_text(text)
        settings.DANGVU_RULES_FILE = tmp_path / name
        assert [e.id for e in check_rules_file()] == ["dangvu.E001"]


def test_the_rules_page_lists_the_assessment_rules_of_the_year_and_the_check_refuses_a_bad_setting(
        client, tree, make_user, settings, tmp_path):
    from dangvu.lifecycle.checks import check_rules_file

    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text("excellent_cap_base_includes_excellent = true\n")
    client.force_login(make_user("quantri", tree["H01"], role="admin"))
    page = client.get("/lifecycle/rules/", {"on": "03/02/2026"})
    rows = {r.name: r for r in page.context["assessment_rows"]}
    assert "QĐ 366" in page.context["assessment"].code and rows["scale"].value == "qd366_2025"
    assert rows["excellent_cap_base_includes_excellent"].unconfirmed and rows["excellent_cap_base_includes_excellent"].overridden
    assert not rows["excellent_cap_ratio"].unconfirmed and rows["excellent_cap_ratio"].value == "1/5"
    assert 'data-rule="excellent_cap_groups"' in page.content.decode()
    assert check_rules_file() == []
    settings.DANGVU_RULES_FILE = tmp_path / "bad.toml"
    settings.DANGVU_RULES_FILE.write_text("excellent_cap_ratio = 3\n")
    assert [e.id for e in check_rules_file()] == ["dangvu.E001"]
