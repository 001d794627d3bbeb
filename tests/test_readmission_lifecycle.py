"""Readmission (kết nạp lại) across the admission and the member lifecycle: the readmitted member's
probation, recognition, party age and a restoration racing the ceremony."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.admission import services as C
from dangvu.admission.services.steps import times_readmitted
from dangvu.admission.tests.candidate_steps import propose, to_cell_approved
from dangvu.admission.tests.test_readmission import former, introducers, readmit, unchanged  # noqa: F401 (fixtures)
from dangvu.core.errors import DomainError
from dangvu.lifecycle import services, todo
from dangvu.members.models import Member
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.services import Decision, Vote

D = dt.date
ANNULMENT = Decision("15-QĐ/UBKTTU", D(2024, 9, 1), "Ủy ban Kiểm tra Tỉnh ủy")


@pytest.fixture
def organizer(tree, make_user):
    return make_user("bantochuc", tree["H01"], role="organizer")


def test_the_readmission_ceremony_admits_the_former_member_on_the_same_record(tree, introducers, former):  # noqa: F811
    member_record_event(former, kind=E.CARD_ISSUED, effective_on=D(2015, 1, 5), value="12345678")
    former.refresh_from_db()
    assert former.card_number == "12345678"
    members = Member.objects.count()
    c = readmit(tree, introducers, former, member_code="IGNORED")  # no new code: the record keeps its own
    former.refresh_from_db()
    assert Member.objects.count() == members and not Member.objects.filter(code="IGNORED").exists()
    assert c.member == former and c.steps.get(kind="ceremony").payload["member_code"] == former.code
    assert (former.status, former.cell, former.admitted_on, former.readmitted_on, former.made_official_on,
            former.ended_on) == ("probationary", tree["C01"], D(2013, 1, 5), D(2024, 6, 20), None, None)
    again = former.events.filter(kind=E.ADMITTED).order_by("effective_on").last()
    assert (again.effective_on, again.cell, again.decision_number) == (D(2024, 6, 20), tree["C01"], "125-QĐ/HU")
    assert times_readmitted(former) == 1
    assert former.card_number == ""  # the card of the first membership was withdrawn: a new one is due
    assert services.party_age(former, D(2025, 1, 5)).gaps == ((D(2019, 1, 1), D(2024, 6, 20)),)

def test_a_readmitted_member_is_recognised_12_months_after_the_readmission_ceremony(tree, introducers, former,  # noqa: F811
                                                                                  organizer):
    readmit(tree, introducers, former)
    with pytest.raises(DomainError):  # not 12 months after the first admission: after the readmission
        services.recognize_official(former, decided_on=D(2025, 6, 19), vote=Vote(9, 9, 8))
    (item,) = todo.probations_ending(organizer, D(2025, 6, 1))
    assert (item.member, item.ends_on) == (former, D(2025, 6, 20))
    event = services.recognize_official(former, decided_on=D(2025, 7, 2), vote=Vote(9, 9, 8))
    former.refresh_from_db()
    assert event.effective_on == D(2025, 6, 20)
    assert (former.status, former.made_official_on, former.admitted_on) == ("official", D(2025, 6, 20), D(2013, 1, 5))

def test_readmission_is_refused_while_the_record_is_a_member_again(tree, introducers, former):  # noqa: F811
    c = propose(tree["C01"], full_name=former.full_name, birth_date=former.birth_date, former_member=former)
    to_cell_approved(c, introducers)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)), received_on=D(2024, 6, 5))
    services.restore_membership(former, on=D(2024, 6, 10), cell=tree["C02"], decision=ANNULMENT)
    before = unchanged(former)
    with pytest.raises(DomainError) as info:
        C.candidate_hold_ceremony(c, on=D(2024, 6, 20))
    assert info.value.field == "effective_on" and "kết nạp lại" in info.value.message
    assert "đảng viên chính thức" in info.value.message  # the status machine: no readmission of a member
    assert unchanged(former) == before
    c.refresh_from_db()
    assert c.stage == "admission_decided" and c.member is None
