"""The admission decided: the file complete, the chi bộ and đảng ủy cơ sở votes, the decision, the
ceremony (the candidate becomes a member), a rejection, an assignment, the candidacy closed."""


from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.services import (
    PROFILE_FIELDS,
    member_readmit,
    member_register,
)
from dangvu.organizations.selectors import committee_name
from dangvu.organizations.services import Decision, Vote

from .. import selectors as S
from ..models import Candidate, CandidateStage, CandidateStep, StepKind
from .steps import (
    advance,
    background_refusals,
    certificate_due,
    check_date,
    check_late,
    check_open,
    check_order,
    check_vote,
    file_document,
    file_refusals,
    introducer_refusals,
    lock,
    next_stage,
    readmission_refusals,
    record_step,
    refuse,
    vote_below,
)

St = CandidateStage
K = StepKind


@transaction.atomic
def candidate_complete_dossier(candidate: Candidate, *, on: dt.date, note: str = "", actor=None) -> CandidateStep:
    """The admission file is complete for the chi bộ: every document before the chi bộ resolution,
    a valid certificate, a clear background check, introducers who still qualify."""
    check_date(on, "effective_on")
    c = lock(candidate)
    stage = next_stage(c, K.DOSSIER_COMPLETE)
    check_order(c, K.DOSSIER_COMPLETE, on, "effective_on")
    rules = R.rules_on(on)
    refuse(file_refusals(c, on, rules, before="cell_resolution") + background_refusals(c)
            + introducer_refusals(c, on, rules))
    step = record_step(c, K.DOSSIER_COMPLETE, on, stage_after=stage, rules=rules, note=note, actor=actor)
    advance(c, candidate, stage, on, due_on=certificate_due(c))
    return step


@transaction.atomic
def candidate_cell_vote(
    candidate: Candidate, *, on: dt.date, vote: Vote, over_max_age_approved: bool = False, note: str = "",
    actor=None,
) -> CandidateStep:
    """The chi bộ considers the admission and votes (nghị quyết 6-KNĐ): the applicant's age in months
    on that day, the file, the introducers and, for a readmission, its conditions; at least `vote_threshold` of
    the official members in favour (those of `vote_denominator_excludes` left out of the count)."""
    check_date(on, "effective_on")
    c = lock(candidate)
    stage = next_stage(c, K.CELL_VOTE)
    check_order(c, K.CELL_VOTE, on, "effective_on")
    rules = R.rules_on(on)
    refuse(R.admission_age_check(c.birth_date, on, rules, over_max_age_approved=over_max_age_approved)
            + file_refusals(c, on, rules, before="cell_resolution") + background_refusals(c)
            + introducer_refusals(c, on, rules) + readmission_refusals(c, on, rules))
    if not check_vote(vote, rules, committee=False):
        raise vote_below(vote, rules, committee=False)
    payload = {"over_max_age_approved": True} if over_max_age_approved else {}
    step = record_step(c, K.CELL_VOTE, on, stage_after=stage, rules=rules, vote=vote, passed=True, payload=payload,
                   note=note, actor=actor)
    file_document(c, "cell_resolution", on, step=step, held_by=c.cell.name, actor=actor)
    advance(c, candidate, stage, on, due_on=R.deadline(on, "decide_admission", rules))
    return step


@transaction.atomic
def candidate_committee_vote(candidate: Candidate, *, on: dt.date, vote: Vote, note: str = "",
                             actor=None) -> CandidateStep:
    """The đảng ủy cơ sở votes (nghị quyết 8-KNĐ): at least `committee_vote_threshold` of its committee members in favour,
    with the review report of the đảng ủy bộ phận (7-KNĐ) where there is one."""
    check_date(on, "effective_on")
    c = lock(candidate)
    stage = next_stage(c, K.COMMITTEE_VOTE)
    check_order(c, K.COMMITTEE_VOTE, on, "effective_on")
    rules = R.rules_on(on)
    refuse(file_refusals(c, on, rules, before="committee_resolution", with_certificate=False))
    if not check_vote(vote, rules, committee=True):
        raise vote_below(vote, rules, committee=True)
    step = record_step(c, K.COMMITTEE_VOTE, on, stage_after=stage, rules=rules, vote=vote, passed=True, note=note,
                   actor=actor)
    grassroots = S.grassroots_of(c.cell)
    file_document(c, "committee_resolution", on, step=step, held_by=committee_name(grassroots), actor=actor)
    advance(c, candidate, stage, on, due_on=c.due_on)  # the time limit of the decision runs from the chi bộ resolution
    return step


@transaction.atomic
def candidate_decide(
    candidate: Candidate, *, decision: Decision, received_on: dt.date | None = None, delegated: bool = False,
    late_reason: str = "", note: str = "", actor=None,
) -> CandidateStep:
    """The admission decision (quyết định kết nạp, 9-KNĐ) by the level the rules name — the standing
    committee of the level above the grassroots organization, or a đảng ủy cơ sở delegated to admit —
    within the time limit counted from the chi bộ resolution (after it, the reason is required)."""
    number = (decision.number or "").strip()
    if not number:
        raise DomainError(_("The decision number is required."), field="decision_number")
    on = decision.date
    check_date(on, "decision_date")
    received_on = received_on or on
    check_date(received_on, "received_on")
    if received_on < on:
        raise DomainError(_("The decision cannot be received before it is issued."), field="received_on")
    c = lock(candidate)
    stage = next_stage(c, K.DECISION)
    check_order(c, K.DECISION, on, "decision_date")
    rules = R.rules_on(on)
    if delegated and not rules.admission_delegation_allowed:
        raise DomainError(_("%(regulation)s does not provide for delegating admissions to a grassroots committee.")
                          % {"regulation": rules.code}, field="delegated")
    if delegated and S.is_grassroots_cell(c.cell):
        raise DomainError(_("Only a grassroots party committee can be delegated to admit; %(cell)s is a grassroots "
                            "party cell.") % {"cell": c.cell.name}, field="delegated")
    refuse(file_refusals(c, on, rules, before="admission_decision", with_certificate=False))
    cell_vote = S.latest_step(c, K.CELL_VOTE)
    cell_rules = R.rules_on(cell_vote.effective_on)
    check_late(K.DECISION, on, c.due_on, late_reason, cell_rules.deadline_decide_admission, cell_rules)
    authority = S.deciding_authority(rules, delegated=delegated)
    owner = S.step_owner(c, K.DECISION, day=on, delegated=delegated)
    issued_by = (decision.issued_by or "").strip() or committee_name(owner.organization)
    payload = {"authority": authority, "deciding_org": owner.organization.code, "received_on": received_on.isoformat()}
    if late_reason.strip():
        payload["late_reason"] = late_reason.strip()
    step = record_step(c, K.DECISION, on, stage_after=stage, rules=rules, owner=owner,
                   decision=Decision(number=number, date=on, issued_by=issued_by), payload=payload, note=note,
                   actor=actor)
    file_document(c, "admission_decision", on, step=step, held_by=issued_by, actor=actor)
    advance(c, candidate, stage, on, due_on=R.deadline(received_on, "hold_ceremony", R.rules_on(received_on)))
    return step


@transaction.atomic
def candidate_hold_ceremony(
    candidate: Candidate, *, on: dt.date, member_code: str = "", late_reason: str = "", note: str = "", actor=None,
) -> CandidateStep:
    """Lễ kết nạp, held by the chi bộ within the time limit from receiving the decision (after it, the
    reason is required). The candidate becomes a probationary member in the chi bộ from that day, with
    the ADMITTED event carrying the admission decision — in the same transaction: registered under
    `member_code`, or, for a readmission (kết nạp lại), on the former member's own record (its code
    is kept; `member_code` is ignored), probationary again from the ceremony."""
    check_date(on, "effective_on")
    c = lock(candidate)
    stage = next_stage(c, K.CEREMONY)
    check_order(c, K.CEREMONY, on, "effective_on")
    decision_step = S.latest_step(c, K.DECISION)
    received_on = dt.date.fromisoformat(decision_step.payload.get("received_on") or decision_step.effective_on.isoformat())
    if on < received_on:
        raise DomainError(_("The ceremony cannot come before the decision was received (%(day)s).")
                          % {"day": format_date(received_on)}, field="effective_on")
    rules = R.rules_on(on)
    received_rules = R.rules_on(received_on)
    check_late(K.CEREMONY, on, c.due_on, late_reason, received_rules.deadline_hold_ceremony, received_rules)
    former = c.former_member
    code = former.code if former is not None else (member_code or "").strip()
    payload = {"member_code": code, "member_biography_due": R.deadline(on, "member_biography", rules).isoformat()}
    if former is not None:
        payload["readmission"] = True
    if late_reason.strip():
        payload["late_reason"] = late_reason.strip()
    decision = Decision(number=decision_step.decision_number, date=decision_step.decision_date,
                        issued_by=decision_step.issued_by)
    step = record_step(c, K.CEREMONY, on, stage_after=stage, rules=rules, decision=decision, payload=payload, note=note,
                   actor=actor)
    try:
        if former is not None:
            member_readmit(former, on=on, cell=c.cell, decision=decision, actor=actor)
            member = former
        else:
            member = member_register(
                code=code, full_name=c.full_name, birth_date=c.birth_date, sex=c.sex, ethnicity=c.ethnicity,
                admitted_on=on, cell=c.cell, decision=decision, candidate_id=c.pk, actor=actor,
                **{name: getattr(c, name) for name in PROFILE_FIELDS},
            )
    except DomainError as exc:
        field = {"code": "member_code", "admitted_on": "effective_on", "cell": "effective_on",
                 "kind": "effective_on"}.get(exc.field, exc.field)
        raise DomainError(exc.message, field=field, code=exc.code) from None
    c.member = member
    advance(c, candidate, stage, on, due_on=None)
    return step


@transaction.atomic
def candidate_reject(
    candidate: Candidate, *, on: dt.date, reason: str, vote: Vote | None = None, actor=None,
) -> CandidateStep:
    """The admission is not approved at the pending step (a vote below the majority, or the deciding
    level refuses): the person stays a party sympathizer and the file goes back to the chi bộ."""
    check_date(on, "effective_on")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason."), field="reason")
    c = lock(candidate)
    pending = c.next_step
    stage = next_stage(c, K.REJECTED)
    check_order(c, K.REJECTED, on, "effective_on")
    rules = R.rules_on(on)
    committee = pending == K.COMMITTEE_VOTE
    if vote is not None and pending not in (K.CELL_VOTE, K.COMMITTEE_VOTE):
        raise DomainError(_("No vote is pending at this stage."), field="votes_for")
    if vote is not None and check_vote(vote, rules, committee=committee):
        raise DomainError(_("The vote reaches the majority required: record the approval instead."),
                          field="votes_for")
    payload = {"rejected_step": pending, "reason": reason.strip()}
    if vote is not None and pending == K.CELL_VOTE:
        failed = S.failed_votes(c) + 1
        payload["failed_votes"] = failed
        if failed >= rules.failed_votes_before_referral:
            payload["referral_due"] = True
    step = record_step(c, K.REJECTED, on, stage_after=stage, rules=rules, owner=S.step_owner(c, pending, day=on),
                   vote=vote, passed=False if vote is not None else None, payload=payload, actor=actor)
    advance(c, candidate, stage, on, due_on=certificate_due(c))
    return step


@transaction.atomic
def candidate_assign(candidate: Candidate, *, user, note: str = "", actor=None) -> CandidateStep:
    """Give the pending step to a user (who must be able to record it); a stage change ends it."""
    c = lock(candidate)
    check_open(c)
    if user is None:
        raise DomainError(_("Choose a user."), field="user")
    allowed, why = S.may_record(user, c, c.next_step)
    if not allowed:
        raise DomainError(_("%(user)s cannot record this step: %(why)s") % {"user": user.get_username(), "why": why},
                          field="user")
    step = record_step(c, K.ASSIGNED, timezone.localdate(), owner=S.step_owner(c, c.next_step, day=timezone.localdate()), owner_user=user,
                   payload={"step": c.next_step}, note=note, actor=actor)
    c.assignee = user
    c.save(update_fields=["assignee", "updated_at"])
    candidate.refresh_from_db()
    return step


@transaction.atomic
def candidate_close(candidate: Candidate, *, on: dt.date, reason: str, actor=None) -> CandidateStep:
    """The candidacy ends without admission (the person withdraws, moves away, no longer qualifies)."""
    check_date(on, "effective_on")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason."), field="reason")
    c = lock(candidate)
    stage = next_stage(c, K.CLOSED)
    check_order(c, K.CLOSED, on, "effective_on")
    step = record_step(c, K.CLOSED, on, stage_after=stage, payload={"reason": reason.strip()}, actor=actor)
    advance(c, candidate, stage, on, due_on=None)
    return step
