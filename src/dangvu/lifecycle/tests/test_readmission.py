"""Restoration of membership (khôi phục đảng tịch), and party age (tuổi đảng) minus the gaps:
services, refusals (nothing changed), badges, the to-do page, the web pages and the API. (Readmission,
kết nạp lại, is the admission's: admission/tests/test_readmission.py.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient
from tests.contracts.test_api_schema import basic, check, schema  # noqa: F401 (fixture)

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.lifecycle import services, todo
from dangvu.members import history
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_readmit, member_record_event
from dangvu.organizations.services import Decision

D = dt.date
ANNULMENT = Decision("15-QĐ/UBKTTU", D(2024, 9, 1), "Ủy ban Kiểm tra Tỉnh ủy")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def unchanged(member):
    """What a refusal must leave as it was."""
    member.refresh_from_db()
    return (member.status, member.cell_id, member.ended_on, member.readmitted_on, MemberEvent.objects.count(),
            MemberPeriod.objects.count(), Member.objects.count(), LogEntry.objects.count())


# --- Restoration --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ending", [None, E.DIED, E.RESIGNED])
def test_restoring_a_member_not_removed_nor_expelled_is_refused_and_changes_nothing(tree, make_member, ending):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    if ending:
        member_record_event(m, kind=ending, effective_on=D(2020, 1, 1))
    before = unchanged(m)
    with pytest.raises(DomainError) as info:
        services.restore_membership(m, on=D(2024, 9, 9), cell=tree["C01"], decision=ANNULMENT)
    assert "Chỉ khôi phục đảng tịch" in info.value.message and m.full_name in info.value.message
    assert unchanged(m) == before


def test_the_history_refuses_a_restoration_recorded_as_a_plain_event_after_a_death(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.REMOVED, effective_on=D(2020, 1, 1))
    member_record_event(m, kind=E.RESTORED, effective_on=D(2021, 1, 1), cell=tree["C01"])
    member_record_event(m, kind=E.DIED, effective_on=D(2023, 1, 1))
    before = unchanged(m)
    with pytest.raises(DomainError) as info:
        member_record_event(m, kind=E.RESTORED, effective_on=D(2024, 1, 1), cell=tree["C01"])
    assert "sau khi đảng viên từ trần" in info.value.message
    assert unchanged(m) == before


@pytest.mark.parametrize("change, field", [
    ({"decision": Decision("", D(2024, 9, 1))}, "decision_number"),
    ({"cell": "X01"}, "cell"),  # not a chi bộ
    ({"on": D(2011, 6, 1)}, "on"),  # before the removal
])
def test_a_restoration_without_its_decision_cell_or_a_sound_date_is_refused(tree, make_member, change, field):
    m = make_member(tree["C01"], admitted_on=D(2005, 5, 19), made_official_on=D(2006, 5, 19),
                    placed_on=D(2012, 1, 1))
    member_record_event(m, kind=E.REMOVED, effective_on=D(2020, 1, 1))
    kwargs = {"on": D(2024, 9, 9), "cell": tree["C01"], "decision": ANNULMENT, **change}
    if kwargs["cell"] == "X01":
        kwargs["cell"] = tree["X01"]
    before = unchanged(m)
    with pytest.raises(DomainError) as info:
        services.restore_membership(m, **kwargs)
    assert info.value.field == field
    assert unchanged(m) == before


def test_a_restored_member_returns_official_to_the_given_cell_with_a_continuous_party_age(tree, make_member):
    m = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    services.discipline(m, form="expulsion", decided_on=D(2020, 3, 1),
                        decision=Decision("7-QĐ/ĐU", D(2020, 3, 1), "Đảng ủy xã Nà Hỳ"))
    event = services.restore_membership(m, on=D(2024, 9, 9), cell=tree["C01"], decision=ANNULMENT)
    m.refresh_from_db()
    assert (event.kind, event.cell, event.decision_number) == (E.RESTORED, tree["C01"], "15-QĐ/UBKTTU")
    assert (m.status, m.cell, m.ended_on, m.readmitted_on, m.made_official_on) == (
        "official", tree["C01"], None, None, D(2016, 5, 19))
    assert list(m.periods.values_list("cell__code", "valid_from", "valid_to")) == [
        ("C02", D(2015, 5, 19), D(2016, 5, 19)), ("C02", D(2016, 5, 19), D(2020, 3, 1)), ("C01", D(2024, 9, 9), None)]
    age = services.party_age(m, D(2025, 5, 19))
    assert (age.years, age.since, age.gaps) == (10, D(2015, 5, 19), ())


def test_a_removal_annulled_the_same_day_is_restored_and_the_member_sheet_says_so(tree, make_member):
    from dangvu.lifecycle import documents
    from dangvu.lifecycle.tests.docx_files import text_of

    m = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    services.remove(m, on=D(2024, 9, 9), ground="absent_or_unpaid")
    services.restore_membership(m, on=D(2024, 9, 9), cell=tree["C02"], decision=ANNULMENT)
    m.refresh_from_db()
    assert (m.status, m.cell, m.ended_on) == ("official", tree["C02"], None)
    assert "Khôi phục đảng tịch" in text_of(documents.member_sheet(m))


def test_a_probationary_member_removed_then_restored_is_probationary_again(tree, make_member):
    m = make_member(tree["C01"], admitted_on=D(2024, 3, 15))
    services.remove(m, on=D(2024, 9, 1), ground="probation_not_recognised")
    m.refresh_from_db()
    services.restore_membership(m, on=D(2024, 12, 1), cell=tree["C01"], decision=ANNULMENT)
    m.refresh_from_db()
    assert m.status == "probationary"
    assert services.recognize_official(m, decided_on=D(2025, 4, 1)).effective_on == D(2025, 3, 15)


# --- Party age and badges -------------------------------------------------------------------------------


def _badge_member(make_member, cell, ending, back):
    """Admitted 01/01/1984, official 1985; `ending` on 01/01/1990, then back on 01/01/1995 by `back`."""
    m = make_member(cell, name="Vì Văn Già", admitted_on=D(1984, 1, 1), made_official_on=D(1985, 1, 1),
                    birth_date=D(1960, 1, 1))
    member_record_event(m, kind=ending, effective_on=D(1990, 1, 1))
    if back == "readmitted":
        member_readmit(m, on=D(1995, 1, 1), cell=cell)
        member_record_event(m, kind=E.MADE_OFFICIAL, effective_on=D(1996, 1, 1))
    else:
        member_record_event(m, kind=E.RESTORED, effective_on=D(1995, 1, 1), cell=cell)
    m.refresh_from_db()
    return m


def test_badges_due_leave_out_the_time_outside_the_party(old_cell, make_member, organizer):
    m = _badge_member(make_member, old_cell, E.REMOVED, "readmitted")
    assert services.party_age(m, D(2014, 2, 3)).years == 25  # 30 years since 1984, minus 5 outside
    assert services.badge_due(m, D(2014, 2, 3)) is None
    assert services.badge_due(m, D(2019, 2, 3)) == 30
    assert todo.badges_due(organizer, D(2014, 2, 3)) == []
    assert [(i.member, i.milestone) for i in todo.badges_due(organizer, D(2019, 2, 3))] == [(m, 30)]


def test_a_restored_expulsion_neither_delays_nor_bars_the_badge(old_cell, make_member):
    m = _badge_member(make_member, old_cell, E.EXPELLED, "restored")
    assert services.party_age(m, D(2014, 2, 3)).years == 30
    assert services.badge_due(m, D(2014, 2, 3)) == 30


def test_party_age_counts_from_the_date_in_the_admission_decision_when_on_file(old_cell, make_member):
    """Ceremony 10/02/1996 on a decision dated 20/01/1996: 30 years on 20/01/2026, so the badge is due on
    03/02/2026 (counted from the ceremony it would wait for 19/05/2026). Without a decision date: the ceremony."""
    m = make_member(old_cell, name="Lường Văn Sớm", admitted_on=D(1996, 2, 10), made_official_on=D(1997, 2, 10),
                    birth_date=D(1970, 1, 1))
    assert services.party_age(m, D(2026, 2, 3)).since == D(1996, 2, 10)
    assert services.badge_due(m, D(2026, 2, 3)) is None
    MemberEvent.objects.filter(member=m, kind=E.ADMITTED).update(decision_date=D(1996, 1, 20))
    age = services.party_age(m, D(2026, 2, 3))
    assert (age.since, age.years) == (D(1996, 1, 20), 30)
    assert services.badge_due(m, D(2026, 2, 3)) == 30


def test_the_badges_due_list_counts_from_the_admission_decision_too(old_cell, make_member, organizer):
    """Decided 20/04/1995, ceremony 25/05/1995: the 30-year badge is due on 19/05/2025, on the list too."""
    m = make_member(old_cell, name="Lò Thị Sớm", admitted_on=D(1995, 5, 25), made_official_on=D(1996, 5, 25),
                    birth_date=D(1970, 1, 1), decision=Decision("12-QĐ/HU", D(1995, 4, 20)))
    assert services.badge_due(m, D(2025, 5, 19)) == 30
    assert [(i.member, i.milestone) for i in todo.badges_due(organizer, D(2025, 5, 19))] == [(m, 30)]


def test_the_badges_due_list_reads_the_gaps_without_a_query_per_member(old_cell, make_member, organizer):
    _badge_member(make_member, old_cell, E.REMOVED, "readmitted")
    todo.badges_due(organizer, D(2019, 2, 3))  # the user's scope is read once, then cached
    with CaptureQueriesContext(connection) as one:
        todo.badges_due(organizer, D(2019, 2, 3))
    for _ in range(3):
        _badge_member(make_member, old_cell, E.REMOVED, "readmitted")
    with CaptureQueriesContext(connection) as four:
        assert len(todo.badges_due(organizer, D(2019, 2, 3))) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


def test_the_member_page_shows_the_party_age_minus_the_gaps(client, old_cell, make_member, organizer):
    m = _badge_member(make_member, old_cell, E.REMOVED, "readmitted")
    client.force_login(organizer)
    page = client.get(f"/members/{m.code}/").content.decode()
    block = page.split('id="party-age"')[1].split("</dd>")[0]
    years = services.party_age(m, timezone.localdate()).years
    assert f"{years} năm" in block and "01/01/1984" in block and "1 khoảng" in block
    assert "01/01/1995" in page  # readmitted on


def test_a_member_of_less_than_a_year_is_shown_the_party_age_in_months(client, tree, make_member, organizer):
    today = timezone.localdate()
    m = make_member(tree["C01"], admitted_on=R.add_months(today, -5) - dt.timedelta(days=3))
    age = services.party_age(m, today)
    assert (age.years, age.months) == (0, 5)
    client.force_login(organizer)
    block = client.get(f"/members/{m.code}/").content.decode().split('id="party-age"')[1].split("</dd>")[0]
    assert "5 tháng" in block and "0 năm" not in block
    api = APIClient()
    api.force_authenticate(organizer)
    assert api.get(f"/api/lifecycle/members/{m.code}/party-age/").json()["months"] == 5


@dataclass
class Ev:
    kind: str
    effective_on: dt.date
    cell_id: int | None = 1
    value: str = ""
    pk: int | None = None
    decision_date: dt.date | None = None


@st.composite
def histories(draw):
    """A valid history from an admission on 01/01/1980: endings, readmissions and restorations."""
    day = D(1980, 1, 1)
    events = [Ev(E.ADMITTED, day)]
    member, official = True, False
    for action, days in draw(st.lists(st.tuples(st.sampled_from(["end", "back"]), st.integers(1, 4000)),
                                      max_size=8)):
        day = day + dt.timedelta(days=days)
        if member and action == "end":
            kind = draw(st.sampled_from([E.REMOVED, E.EXPELLED, E.RESIGNED]))
            if kind == E.EXPELLED and not official:  # only an official member is expelled
                events.append(Ev(E.MADE_OFFICIAL, day, None))
                official = True
            events.append(Ev(kind, day, None))
            member, ended = False, kind
        elif not member and action == "back":
            kind = E.ADMITTED if ended == E.RESIGNED else draw(st.sampled_from([E.ADMITTED, E.RESTORED]))
            events.append(Ev(kind, day))
            member, official = True, official and kind == E.RESTORED
    return events


@settings(max_examples=300, deadline=None)
@given(histories(), st.integers(0, 25000))
def test_party_age_minus_gaps_is_never_more_and_a_restoration_is_continuous(events, days):
    history.replay(events)  # a valid history
    admitted, on = events[0].effective_on, events[0].effective_on + dt.timedelta(days=days)
    gaps = history.gaps(events)
    assert R.party_age_years(admitted, on, gaps) <= R.party_age_years(admitted, on)
    # every day between an ending and a restoration is in the Party; every day before a readmission is not
    for ending, after in zip(events, events[1:], strict=False):
        if ending.kind in (E.REMOVED, E.EXPELLED, E.RESIGNED) and after.kind in (E.RESTORED, E.ADMITTED):
            inside = R.party_age_days(admitted, after.effective_on, gaps) - R.party_age_days(
                admitted, ending.effective_on, gaps)
            span = (after.effective_on - ending.effective_on).days
            assert inside == (span if after.kind == E.RESTORED else 0)
    # restoring every ending (none after a resignation, none still open) leaves no gap at all
    restored = [Ev(E.RESTORED, e.effective_on) if e.kind == E.ADMITTED and i else e for i, e in enumerate(events)]
    if all(e.kind != E.RESIGNED for e in restored) and restored[-1].kind not in (E.REMOVED, E.EXPELLED):
        assert history.gaps(restored) == []
        assert R.party_age_years(admitted, on, history.gaps(restored)) == R.party_age_years(admitted, on)


# --- Web and API -------------------------------------------------------------------------------------------


def test_the_restore_page_records_the_restoration_and_refuses_without_a_decision(client, tree, make_member,
                                                                                organizer):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.REMOVED, effective_on=D(2020, 1, 1))
    client.force_login(organizer)
    assert f"/lifecycle/members/{m.code}/restore/" in client.get(f"/members/{m.code}/").content.decode()
    url = f"/lifecycle/members/{m.code}/restore/"
    body = {"on": "09/09/2024", "cell": tree["C02"].pk, "decision_date": "01/09/2024"}
    before = unchanged(m)
    assert client.post(url, body).status_code == 200  # the decision number is required
    assert unchanged(m) == before
    assert client.post(url, {**body, "decision_number": "15-QĐ/UBKTTU"}).status_code == 302
    m.refresh_from_db()
    assert (m.status, m.cell) == ("official", tree["C02"])


def test_the_api_restores_a_membership_and_reads_the_party_age(schema, tree, make_member, organizer):  # noqa: F811
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.REMOVED, effective_on=D(2020, 1, 1))
    api = basic(organizer)
    url = f"/api/lifecycle/members/{m.code}/restore/"
    refused = api.post(url, {"on": "2024-09-09", "cell": "C02"}, format="json")
    assert refused.status_code == 400 and "decision_number" in refused.json()
    r = api.post(url, {"on": "2024-09-09", "cell": "C02", "decision_number": "15-QĐ/UBKTTU"}, format="json")
    assert r.status_code == 201, r.content
    check(schema, "/api/lifecycle/members/{code}/restore/", r.json(), method="post", status="201")
    assert (r.json()["kind"], r.json()["cell"]) == ("restored", "C02")
    age = api.get(f"/api/lifecycle/members/{m.code}/party-age/")
    assert age.status_code == 200
    check(schema, "/api/lifecycle/members/{code}/party-age/", age.json())
    assert (age.json()["since"], age.json()["gaps"]) == ("2015-05-19", [])
    member_record_event(m, kind=E.RESIGNED, effective_on=D(2025, 1, 1))
    assert api.get(f"/api/lifecycle/members/{m.code}/party-age/").json()["gaps"] == [
        {"start": "2025-01-01", "end": None}]
