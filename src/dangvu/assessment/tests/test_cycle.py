"""The yearly cycle: each step a service with its step row and audit; the rules checked at decision time."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from auditlog.models import LogEntry

from dangvu.assessment.models import Rating, StepKind
from dangvu.assessment.services import (
    RatingDecision,
    cell_review_record,
    cycle_open,
    ratings_decide,
    residence_comment_record,
    self_assessment_record,
)
from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError
from dangvu.members.services import member_record_event

D = dt.date
DEC = D(2024, 12, 20)


def _decide(cycle, pairs, day=DEC, **kw):
    return ratings_decide(cycle=cycle, decided_on=day, decisions=[RatingDecision(member=m, key=k, **kw) for m, k in pairs])


def test_open_a_cycle_once_per_organization_and_year(tree, rated):
    cycle = rated["cycles"][("X01", 2024)]
    assert cycle.steps.get().kind == StepKind.OPENED
    assert LogEntry.objects.get_for_object(cycle).exists()
    with pytest.raises(DomainError) as exc:
        cycle_open(organization=tree["X01"], year=2024, opened_on=D(2024, 11, 2))
    assert exc.value.field == "year"
    with pytest.raises(DomainError) as exc:
        cycle_open(organization=tree["C01"], year=2024, opened_on=D(2024, 11, 2))  # a subordinate cell decides nothing
    assert exc.value.field == "organization"
    with pytest.raises(DomainError) as exc:
        cycle_open(organization=tree["X02"], year=2024, opened_on=D(2022, 11, 2))
    assert exc.value.field == "opened_on"


def test_self_assessment_with_points_where_the_scale_has_them(rated):
    m = rated["members"][0]
    step = self_assessment_record(cycle=rated["cycles"][("X01", 2025)], member=m, effective_on=D(2025, 11, 20),
                                  points="91.5", form="2B", comment="Hoàn thành tốt các nhiệm vụ được giao")
    assert (step.key, step.points, step.payload["form"]) == ("excellent", 91.5, "2B")
    with pytest.raises(DomainError) as exc:
        self_assessment_record(cycle=rated["cycles"][("X01", 2025)], member=m, effective_on=D(2025, 11, 20))
    assert exc.value.field == "points"
    with pytest.raises(DomainError) as exc:  # 75 points reach "good" at most
        self_assessment_record(cycle=rated["cycles"][("X01", 2025)], member=m, effective_on=D(2025, 11, 20),
                               points=75, key="excellent")
    assert exc.value.field == "key"
    with pytest.raises(DomainError) as exc:  # no points before 2025
        self_assessment_record(cycle=rated["cycles"][("X01", 2024)], member=m, effective_on=D(2024, 11, 20),
                               points=75, key="good")
    assert exc.value.field == "points"
    step = self_assessment_record(cycle=rated["cycles"][("X01", 2024)], member=m, effective_on=D(2024, 11, 20),
                                  key="HTTNV")
    assert step.key == "good"


def test_the_cell_review_records_its_comment_proposal_and_a_consistent_vote(rated):
    cycle, m = rated["cycles"][("X01", 2024)], rated["members"][0]
    with audit_context(source="web"):
        step = cell_review_record(cycle=cycle, member=m, effective_on=D(2024, 12, 1), key="good",
                                  comment="Gương mẫu", votes_due=9, votes_present=8, votes_for=8)
    assert (step.kind, step.organization, step.votes_for) == (StepKind.CELL_REVIEW, m.cell, 8)
    assert LogEntry.objects.get_for_object(step).exists()
    for votes, field in (((9, 10, 8), "votes_present"), ((9, 8, 9), "votes_for"), ((0, 0, 0), "votes_due"),
                         ((9, -1, 0), "votes_present")):
        with pytest.raises(DomainError) as exc:
            cell_review_record(cycle=cycle, member=m, effective_on=D(2024, 12, 1), key="good", comment="x",
                               votes_due=votes[0], votes_present=votes[1], votes_for=votes[2])
        assert exc.value.field == field
    with pytest.raises(DomainError) as exc:
        cell_review_record(cycle=cycle, member=m, effective_on=D(2024, 12, 1), key="good", comment=" ",
                           votes_due=9, votes_present=8, votes_for=8)
    assert exc.value.field == "comment"
    with pytest.raises(DomainError) as exc:  # a member of another grassroots organization
        cell_review_record(cycle=cycle, member=rated["other"], effective_on=D(2024, 12, 1), key="good", comment="x",
                           votes_due=9, votes_present=8, votes_for=8)
    assert exc.value.field == "member"


def test_residence_comments(rated):
    step = residence_comment_record(cycle=rated["cycles"][("X01", 2024)], member=rated["members"][1],
                                    effective_on=D(2024, 11, 25), comment="Chấp hành tốt", place="Chi bộ tổ 3")
    assert step.payload == {"place": "Chi bộ tổ 3"} and step.kind == StepKind.RESIDENCE_COMMENT
    with pytest.raises(DomainError):
        residence_comment_record(cycle=rated["cycles"][("X01", 2024)], member=rated["members"][1],
                                 effective_on=D(2024, 11, 25), comment="")


def test_a_decision_over_the_cap_is_refused_with_the_reason_and_nothing_is_written(rated):
    cycle, ms = rated["cycles"][("X01", 2024)], rated["members"]
    with pytest.raises(DomainError) as exc:  # 1 excellent for 4 good: over 20% of those rated good
        _decide(cycle, [(ms[0], "excellent"), *((m, "good") for m in ms[1:5])])
    assert exc.value.field == "key" and exc.value.code == "assessment.excellent_over_cap"
    assert "Đảng bộ xã Nà Hỳ" in exc.value.message and "20%" in exc.value.message
    assert not Rating.objects.exists() and not cycle.steps.filter(kind=StepKind.DECISION).exists()
    ratings = _decide(cycle, [(ms[0], "excellent"), *((m, "good") for m in ms[1:6])])
    assert [r.key for r in ratings] == ["excellent"] + ["good"] * 5
    assert cycle.steps.filter(kind=StepKind.DECISION).count() == 6
    with pytest.raises(DomainError):  # lowering a good one breaks the cap too
        _decide(cycle, [(ms[1], "completed")])
    with pytest.raises(DomainError):
        _decide(cycle, [(ms[6], "excellent")])
    _decide(cycle, [(ms[1], "completed"), (ms[6], "good")])  # together they keep 5 good
    assert Rating.objects.filter(key="good").count() == 5


def test_members_are_rated_by_their_own_grassroots_organization(rated):
    with pytest.raises(DomainError) as exc:
        _decide(rated["cycles"][("X01", 2024)], [(rated["other"], "good")])
    assert exc.value.field == "member"


def test_disciplined_in_the_year_not_above_not_completed_unless_found_and_fixed(rated):
    cycle, m = rated["cycles"][("X01", 2024)], rated["members"][0]
    member_record_event(m, kind="disciplined", effective_on=D(2024, 6, 1), value="reprimand")
    with pytest.raises(DomainError) as exc:
        _decide(cycle, [(m, "completed")])
    assert exc.value.code == "assessment.disciplined" and exc.value.field == "key"
    [rating] = _decide(cycle, [(m, "not_completed")])
    assert rating.key == "not_completed"
    [rating] = ratings_decide(cycle=cycle, decided_on=DEC, decisions=[
        RatingDecision(member=m, key="completed", exception_reason="Tự phát hiện và khắc phục xong hậu quả")])
    assert rating.exception_reason.startswith("Tự phát hiện")


def test_who_is_not_rated(rated, make_member, tree):
    cycle = rated["cycles"][("X01", 2024)]
    old = rated["members"][2]
    member_record_event(old, kind="exempted", effective_on=D(2024, 3, 1))
    with pytest.raises(DomainError) as exc:
        _decide(cycle, [(old, "good")])
    assert exc.value.code == "assessment.not_rated_exempted" and exc.value.field == "member"
    new = make_member(tree["C01"], admitted_on=D(2024, 8, 1))
    with pytest.raises(DomainError) as exc:
        _decide(cycle, [(new, "good")])
    assert exc.value.code == "assessment.not_rated_recent"


def test_organizations_are_decided_by_the_committee_above_with_their_hard_limits(rated, tree):
    district, commune = rated["cycles"][("H01", 2024)], rated["cycles"][("X01", 2024)]
    decide = ratings_decide
    [r] = decide(cycle=district, decided_on=DEC, decisions=[RatingDecision(organization=tree["X01"], key="good")])
    assert (r.group, r.decided_by, r.rated_in) == ("organizations", tree["H01"], tree["X01"])
    [r] = decide(cycle=commune, decided_on=DEC, decisions=[RatingDecision(organization=tree["C01"], key="HTTNV")])
    assert (r.group, r.decided_by) == ("subordinate_cells", tree["X01"])
    with pytest.raises(DomainError) as exc:  # a chi bộ trực thuộc is decided by its đảng ủy cơ sở
        decide(cycle=district, decided_on=DEC, decisions=[RatingDecision(organization=tree["C01"], key="good")])
    assert exc.value.field == "organization"
    with pytest.raises(DomainError) as exc:
        decide(cycle=district, decided_on=DEC, decisions=[RatingDecision(
            organization=tree["X02"], key="good", units_total=5, units_disciplined=1, targets_met=Fraction(2, 5))])
    assert exc.value.code == "assessment.targets"
    with pytest.raises(DomainError) as exc:
        decide(cycle=district, decided_on=DEC, decisions=[RatingDecision(
            organization=tree["X02"], key="good", units_total=4, units_disciplined=2)])
    assert exc.value.code == "assessment.units_disciplined"
    decide(cycle=district, decided_on=DEC, decisions=[RatingDecision(
        organization=tree["X02"], key="not_completed", units_total=4, units_disciplined=2)])


def test_a_rating_keeps_the_organization_it_was_decided_in(rated, tree):
    m = rated["members"][0]
    [r] = _decide(rated["cycles"][("X01", 2024)], [(m, "good")])
    member_record_event(m, kind="moved", effective_on=D(2025, 2, 1), cell=tree["C02"])
    r.refresh_from_db()
    assert r.rated_in == tree["C01"] and r.decided_by == tree["X01"]
