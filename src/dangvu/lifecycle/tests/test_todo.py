"""The to-do lists of the lifecycle (probations ending, cards, badges due) and the to-do page, within the
user's scope and role."""

import datetime as dt

from django.utils import timezone

from dangvu.lifecycle import services, todo
from dangvu.members.models import MemberStatus

TODAY = timezone.localdate()


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
