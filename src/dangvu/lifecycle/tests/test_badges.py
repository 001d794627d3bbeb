"""The Party badge: when it is due (party age, award dates, discipline, serious illness), its award, the
badges due in one query, the badge form's milestones."""

import datetime as dt

import pytest
from django.utils import timezone

from dangvu.core.errors import DomainError
from dangvu.lifecycle import services, todo

TODAY = timezone.localdate()


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


def test_the_service_refuses_a_milestone_the_rules_of_the_award_date_do_not_have(old_cell, make_member, monkeypatch):
    """The milestones are checked once, by the service, against the rules of the award date: the page and
    the API only pass the milestone on."""
    import dataclasses

    m = make_member(old_cell, admitted_on=dt.date(1994, 9, 1), made_official_on=dt.date(1995, 9, 1),
                    birth_date=dt.date(1970, 1, 1))
    from dangvu import regulations as R

    rules_on = R.rules_on
    monkeypatch.setattr(R, "rules_on", lambda day, *a, **kw: dataclasses.replace(
        rules_on(day, *a, **kw), badge_milestones=(35, 45)))
    with pytest.raises(DomainError) as exc:
        services.award_badge(m, milestone=30, award_date=dt.date(2024, 9, 2))
    assert exc.value.field == "milestone" and "35, 45" in exc.value.message


def test_discipline_delays_the_badge(old_cell, make_member):
    m = make_member(old_cell, admitted_on=dt.date(1994, 9, 1), made_official_on=dt.date(1995, 9, 1),
                    birth_date=dt.date(1970, 1, 1))
    services.discipline(m, form="warning", decided_on=dt.date(2024, 6, 1))
    assert services.badge_due(m, dt.date(2024, 9, 2)) is None
    assert services.badge_due(m, dt.date(2025, 5, 19)) == 30


def test_a_seriously_ill_member_may_receive_the_badge_up_to_a_year_early(old_cell, make_member):
    m = make_member(old_cell, admitted_on=dt.date(1995, 3, 1), made_official_on=dt.date(1996, 3, 1),
                    birth_date=dt.date(1970, 1, 1))
    assert services.badge_due(m, dt.date(2024, 5, 19)) is None  # 29 years 2 months
    assert services.badge_due(m, dt.date(2024, 5, 19), seriously_ill=True) == 30
    event = services.award_badge(m, milestone=30, award_date=dt.date(2024, 5, 19), seriously_ill=True)
    assert event.value == "30" and event.note


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


def test_the_badge_form_of_a_member_due_on_the_coming_occasion_says_when_to_record_it(client, old_cell, make_member,
                                                                                       organizer):
    """From the to-do list of the coming occasion, "Award" opens the form on the last occasion (an award is
    recorded once it has taken place); for a member due only on the coming one the form says so, with the
    badge and the day, instead of offering a badge that will be refused."""
    from dangvu.core.dates import add_months, format_date

    today = timezone.localdate()
    last, coming = todo.last_award_date(today), todo.next_award_date(today)
    m = make_member(old_cell, name="Lò Văn Sắp", admitted_on=add_months(coming, -12 * 30), birth_date=dt.date(1970, 1, 1),
                    made_official_on=add_months(coming, -12 * 29))
    assert services.badge_due(m, last) is None and services.badge_due(m, coming) == 30
    client.force_login(organizer)
    page = client.get(f"/lifecycle/members/{m.code}/badge/").content.decode()
    assert f"huy hiệu 30 năm đến hạn trao vào dịp {format_date(coming)}" in page, page.split("<main")[1][:1500]
    assert format_date(last) in page
