"""Helpers of the admission tests: a candidate proposed and taken through the first steps, and a call
checked to be refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry

from dangvu.admission import services as C
from dangvu.admission.models import Candidate
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEvent

D = dt.date


def propose(cell, **kw) -> Candidate:
    former = kw.get("former_member")
    if former is not None:  # a readmission: the person of the former member's record
        kw.setdefault("birth_date", former.birth_date)
        kw.setdefault("sex", former.sex)
    kw.setdefault("full_name", "Vàng Thị Mai")
    kw.setdefault("birth_date", D(2000, 3, 15))
    kw.setdefault("sex", "F")
    kw.setdefault("ethnicity", "Mông")
    kw.setdefault("proposed_on", D(2024, 1, 10))
    return C.candidate_propose(cell=cell, **kw)


def to_sympathizer(c, *, course_on=None, on=None):
    course_on, on = course_on or D(2024, 2, 20), on or D(2024, 3, 1)
    C.candidate_record_course(c, issued_on=course_on, certificate_number="12/CN", issued_by="Trung tâm chính trị")
    C.candidate_accept_sympathizer(c, on=on)


def fill_file(c, people, *, on=None):
    on = on or D(2024, 3, 5)
    C.candidate_record_document(c, key="1-KNĐ", received_on=on)
    C.candidate_record_document(c, key="biography", received_on=on + dt.timedelta(days=5))
    C.candidate_record_background_check(c, on=on + dt.timedelta(days=20), result="clear", checked_by="Chi ủy")
    C.candidate_record_introducers(c, on=on + dt.timedelta(days=25),
                                   introducers=[C.IntroducerInput(p, 24) for p in people])
    C.candidate_record_comments(c, on=on + dt.timedelta(days=30), from_organizations="Đoàn xã: tốt",
                                from_residence="Chi bộ bản: tốt")


def to_dossier(c, people):
    to_sympathizer(c)
    fill_file(c, people)
    C.candidate_complete_dossier(c, on=D(2024, 4, 15))


def to_cell_approved(c, people):
    to_dossier(c, people)
    C.candidate_cell_vote(c, on=D(2024, 4, 20), vote=C.Vote(5, 5, 4))


def snapshot(c: Candidate) -> tuple:
    """Everything a refusal must leave unchanged."""
    c.refresh_from_db()
    return (c.stage, c.stage_since, c.due_on, c.next_step, c.owner_org_id, c.steps.count(), c.documents.count(),
            Member.objects.count(), MemberEvent.objects.count(), LogEntry.objects.count())


def refused(c, call, *, code=None, field=None) -> DomainError:
    before = snapshot(c)
    with pytest.raises(DomainError) as info:
        call()
    assert snapshot(c) == before, "a refusal changed something"
    if code is not None:
        assert info.value.code == code, (info.value.code, info.value.message)
    if field is not None:
        assert info.value.field == field, (info.value.field, info.value.message)
    return info.value
