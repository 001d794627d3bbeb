"""Candidates overdue: the list within scope, the pending step assigned to someone who can record it,
the to-do list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dangvu.admission import selectors as S
from dangvu.admission import services as C
from dangvu.admission.models import CandidateStage
from dangvu.admission.tests.candidate_steps import D, propose, refused, to_cell_approved

pytestmark = pytest.mark.django_db

St = CandidateStage


def test_overdue_list_shows_pending_steps_past_their_due_date_within_scope(tree, introducers, make_user):
    late = propose(tree["C01"])
    to_cell_approved(late, introducers)  # decision due 16/07/2024: overdue now
    fresh = propose(tree["C02"], full_name="Lò Thị Năm")  # nothing due yet
    organizer = make_user("bantc", tree["H01"], "organizer")
    today = timezone.localdate()
    assert list(S.overdue_candidates(organizer, today)) == [late]
    board = S.candidate_board(organizer, today)
    assert (board["total"], board["overdue"]) == (2, 1)
    columns = {col["stage"]: [c.pk for c in col["candidates"]] for col in board["columns"]}
    assert columns[St.CELL_APPROVED] == [late.pk] and columns[St.OUTSTANDING_MASS] == [fresh.pk]
    other = make_user("bt.c02", tree["C02"], "secretary")
    assert list(S.overdue_candidates(other, today)) == []
    assert S.overdue_candidates(organizer, D(2024, 7, 16)).count() == 0  # on the due day itself: not yet


def test_the_pending_step_can_be_assigned_to_someone_who_can_record_it(tree, introducers, make_user):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    committee_secretary = make_user("bt.x01", tree["X01"], "secretary")
    cell_secretary = make_user("bt.c01", tree["C01"], "secretary")
    refused(c, lambda: C.candidate_assign(c, user=cell_secretary), field="user")
    step = C.candidate_assign(c, user=committee_secretary)
    assert c.assignee == committee_secretary and step.owner_user == committee_secretary
    assert committee_secretary in S.assignable_users(c) and cell_secretary not in S.assignable_users(c)
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    assert c.assignee is None  # a stage change ends the assignment


def test_todo_lists_a_candidate_whose_step_is_overdue_with_who_must_act(tree, make_user):
    organizer = make_user("bantochuc", tree["H01"], role="organizer")
    today = timezone.localdate()
    c = C.candidate_propose(cell=tree["C01"], proposed_on=dt.date(2020, 12, 1), full_name="Vàng Thị Mai",
                            birth_date=dt.date(2000, 3, 15), sex="F", ethnicity="Mông")
    C.candidate_record_course(c, issued_on=dt.date(2021, 1, 5), certificate_number="12/CN", issued_by="Trung tâm")
    c.refresh_from_db()
    due = list(S.candidate_steps_due(organizer, today))
    assert [x.pk for x in due] == [c.pk] and due[0].due_on < today
    assert (due[0].owner_org, due[0].owner_role) == (tree["C01"], "secretary")
    assert not S.candidate_steps_due(organizer, dt.date(2021, 1, 6), horizon_days=30).exists()
