"""Readmission (kết nạp lại) through the admission, on the former member's own record: the steps, the
refusals, the ceremony page and the API."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from auditlog.models import LogEntry
from tests.contracts.test_api_schema import basic

from dangvu import regulations as R
from dangvu.admission import services as C
from dangvu.admission.services.steps import readmission_refusals
from dangvu.admission.tests.candidate_steps import propose, to_cell_approved
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.services import Decision

D = dt.date


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def introducers(tree, make_member):
    """Two official members of C01 since 2016."""
    return [make_member(tree["C01"], name="Lò Văn Một", made_official_on=D(2016, 5, 19)),
            make_member(tree["C01"], name="Lò Văn Hai", made_official_on=D(2016, 5, 19))]


@pytest.fixture
def former(tree, make_member):
    """An official member of C02 removed on 01/01/2019."""
    m = make_member(tree["C02"], name="Tòng Văn Cũ", admitted_on=D(2013, 1, 5), made_official_on=D(2014, 1, 5))
    member_record_event(m, kind=E.REMOVED, effective_on=D(2019, 1, 1))
    m.refresh_from_db()
    return m


def readmit(tree, people, former, **ceremony):
    """The whole candidate path of a readmission into C01, the ceremony on 20/06/2024."""
    c = propose(tree["C01"], full_name=former.full_name, birth_date=former.birth_date, sex=former.sex,
                former_member=former)
    to_cell_approved(c, people)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)), received_on=D(2024, 6, 5))
    C.candidate_hold_ceremony(c, on=D(2024, 6, 20), **ceremony)
    return c


def unchanged(member):
    """What a refusal must leave as it was."""
    member.refresh_from_db()
    return (member.status, member.cell_id, member.ended_on, member.readmitted_on, MemberEvent.objects.count(),
            MemberPeriod.objects.count(), Member.objects.count(), LogEntry.objects.count())


def test_a_second_readmission_is_refused_and_too_soon_still_is(tree, introducers, former):
    readmit(tree, introducers, former)
    member_record_event(former, kind=E.REMOVED, effective_on=D(2024, 12, 1))
    former.refresh_from_db()
    again = propose(tree["C01"], full_name=former.full_name, proposed_on=D(2025, 1, 10), former_member=former)
    codes = {r.code for r in readmission_refusals(again, D(2025, 4, 20), R.rules_on(D(2025, 4, 20)))}
    assert codes == {"readmission.limit_reached", "readmission.too_soon"}

def test_a_new_admission_still_needs_its_member_code(tree, introducers):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)))
    with pytest.raises(DomainError) as info:
        C.candidate_hold_ceremony(c, on=D(2024, 6, 20))
    assert info.value.field == "member_code"

def test_the_ceremony_page_of_a_readmission_asks_no_member_code(client, tree, introducers, former, make_user):
    c = propose(tree["C01"], full_name=former.full_name, birth_date=former.birth_date, former_member=former)
    to_cell_approved(c, introducers)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)), received_on=D(2024, 6, 5))
    client.force_login(make_user("bt.c01", tree["C01"], "secretary"))
    url = f"/lifecycle/candidates/{c.pk}/ceremony/"
    page = client.get(url).content.decode()
    assert 'name="member_code"' not in page and former.code in page  # the requirements name the record
    assert client.post(url, {"effective_on": "20/06/2024"}).status_code == 302
    former.refresh_from_db()
    assert former.readmitted_on == D(2024, 6, 20)
    timeline = client.get(f"/members/{former.code}/").content.decode()
    assert timeline.count('class="admission-file"') == 1  # the readmission's file, beside its own event

def test_the_api_ceremony_of_a_readmission_needs_no_member_code(tree, introducers, former, make_user):
    c = propose(tree["C01"], full_name=former.full_name, birth_date=former.birth_date, former_member=former)
    to_cell_approved(c, introducers)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    C.candidate_decide(c, decision=Decision("125-QĐ/HU", D(2024, 6, 3)), received_on=D(2024, 6, 5))
    api = basic(make_user("bt.c01", tree["C01"], "secretary"))
    response = api.post(f"/api/candidates/{c.pk}/ceremony/", {"effective_on": "2024-06-20"}, format="json")
    assert response.status_code == 201, response.content
    assert api.get(f"/api/candidates/{c.pk}/").json()["member"] == former.code
    data = api.get(f"/api/members/{former.code}/").json()
    assert (data["admitted_on"], data["readmitted_on"]) == ("2013-01-05", "2024-06-20")


def test_the_requirements_name_the_values_of_the_rules_in_force(tree, former, monkeypatch):
    """The requirements the candidate's page lists read every number of the rules in force (no literal): other
    values in the rules show in the texts — the times a person may be readmitted, who is left out of the cell's
    count, the committee's majority when the grassroots committee admits by delegation."""
    from fractions import Fraction

    from dangvu.admission.models import StepKind
    from dangvu.admission.selectors.requirements import step_requirements

    c = propose(tree["C01"], full_name=former.full_name, birth_date=former.birth_date, sex=former.sex,
                former_member=former)
    rules = dataclasses.replace(R.rules_on(D(2024, 4, 1)), readmission_max_times=2, vote_denominator_excludes=("exempted",),
                                committee_vote_threshold=Fraction(3, 4))
    monkeypatch.setattr(R, "rules_on", lambda day, overrides=None: rules)
    texts = [r["text"] for r in step_requirements(c, StepKind.CELL_VOTE, D(2024, 4, 1))]
    assert any("số lần kết nạp lại một người: tối đa 2" in t for t in texts), texts
    vote = next(t for t in texts if "tổng số đảng viên chính thức của chi bộ tán thành" in t)
    assert vote.endswith("đảng viên miễn sinh hoạt không tính vào tổng số.") and "đình chỉ" not in vote
    texts = [r["text"] for r in step_requirements(c, StepKind.DECISION, D(2024, 4, 1))]
    assert any("ủy quyền kết nạp (quyết định tập thể, ít nhất 3/4 tán thành)" in t for t in texts), texts


def test_a_readmission_is_refused_a_birth_date_or_sex_other_than_the_former_members(tree, former):
    """The readmission goes onto the former member's own record and the age of the rules is counted from the
    candidate's birth date: one that differs from the record's is refused at that input, nothing written."""
    before = unchanged(former)
    with pytest.raises(DomainError) as info:
        C.candidate_propose(cell=tree["C01"], proposed_on=D(2024, 1, 10), full_name=former.full_name,
                            birth_date=D(1990, 1, 1), sex=former.sex, ethnicity="Mông", former_member=former)
    assert info.value.field == "birth_date" and "02/03/1985" in info.value.message and former.code in info.value.message
    with pytest.raises(DomainError) as info:
        C.candidate_propose(cell=tree["C01"], proposed_on=D(2024, 1, 10), full_name=former.full_name,
                            birth_date=former.birth_date, sex="F", ethnicity="Mông", former_member=former)
    assert info.value.field == "sex"
    assert unchanged(former) == before
