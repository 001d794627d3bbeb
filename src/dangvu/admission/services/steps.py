"""The machinery shared by the admission's step services (`services.py`): the checks every step
makes (its date, the stage, the order of the dates, the admission file, the introducers, the
background check, a readmission's conditions, a vote, a time limit), writing the step row and
its documents, and moving the candidate's cached stage. Only the services call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.audit import acting_user
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEventKind, MemberStatus
from dangvu.organizations.services import NO_DECISION, Decision, Vote

from .. import selectors as S
from ..models import OPEN_STAGES, Candidate, CandidateDocument, CandidateStage, CandidateStep, StepKind

St = CandidateStage
K = StepKind

#: Step → the action of the rules' status machine (`regulations.TRANSITIONS`).
ACTIONS = {
    K.AWARENESS_COURSE: R.Action.ATTEND_AWARENESS_COURSE,
    K.SYMPATHIZER: R.Action.ACCEPT_AS_SYMPATHIZER,
    K.DOSSIER_COMPLETE: R.Action.COMPLETE_DOSSIER,
    K.CELL_VOTE: R.Action.CELL_APPROVES,
    K.COMMITTEE_VOTE: R.Action.COMMITTEE_APPROVES,
    K.DECISION: R.Action.DECIDE_ADMISSION,
    K.CEREMONY: R.Action.HOLD_CEREMONY,
    K.REJECTED: R.Action.REJECT,
    K.CERTIFICATE_EXPIRED: R.Action.CERTIFICATE_EXPIRED,
}
#: Steps that move the stage: their dates follow one another.
ORDERED_STEPS = (K.PROPOSED, K.AWARENESS_COURSE, K.SYMPATHIZER, K.DOSSIER_COMPLETE, K.CELL_VOTE, K.COMMITTEE_VOTE,
                 K.DECISION, K.CEREMONY, K.REJECTED, K.CERTIFICATE_EXPIRED, K.CLOSED)
def refuse(refusals: Sequence[R.Refusal], *, field: str | None = None) -> None:
    """Raise a RuleViolation stating every refusal (nothing is written)."""
    if not refusals:
        return
    exc = R.RuleViolation(refusals[0], refusals=refusals, field=field)
    exc.message = " ".join(r.text for r in refusals)
    exc.args = (exc.message,)
    raise exc


def check_date(day: dt.date | None, field: str) -> None:
    if day is None:
        raise DomainError(_("The date is required."), field=field)
    if day > timezone.localdate():
        raise DomainError(
            _("%(day)s is in the future: record a step once it has taken place.") % {"day": format_date(day)},
            field=field,
        )


def lock(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update(of=("self",)).select_related("cell", "former_member").get(
        pk=candidate.pk)


def check_open(c: Candidate) -> None:
    if c.stage not in OPEN_STAGES:
        raise DomainError(
            _("%(name)s is no longer a candidate (%(stage)s).") % {"name": c.full_name, "stage": c.get_stage_display()}
        )


def next_stage(c: Candidate, kind: str) -> str:
    """The stage after step `kind` (the rules' status machine; a chi bộ cơ sở has no đảng ủy cơ sở
    vote, so its decision follows the chi bộ vote)."""
    check_open(c)
    if kind == K.CLOSED:
        return St.CLOSED
    grassroots_cell = S.is_grassroots_cell(c.cell)
    if kind == K.COMMITTEE_VOTE and grassroots_cell:
        raise DomainError(
            _("%(cell)s is a grassroots party cell: no grassroots committee votes after it; the admission goes to "
              "the deciding level.") % {"cell": c.cell.name}
        )
    if kind == K.DECISION and grassroots_cell and c.stage == St.CELL_APPROVED:
        return St.ADMISSION_DECIDED
    try:
        return str(R.apply(c.stage, ACTIONS[kind]))
    except R.RuleViolation:
        pending = S.next_step_for(c)
        raise DomainError(
            _("“%(step)s” cannot be recorded at the stage “%(stage)s”; the next step is “%(next)s”.")
            % {"step": K(kind).label, "stage": c.get_stage_display(), "next": K(pending).label if pending else "—"}
        ) from None


def check_order(c: Candidate, kind: str, day: dt.date, field: str) -> None:
    """A step cannot be dated before the steps that led to it."""
    later = c.steps.filter(kind__in=ORDERED_STEPS, effective_on__gt=day).order_by("effective_on", "id").first()
    if later is not None:
        raise DomainError(
            _("%(step)s (%(day)s) cannot come before: %(previous)s (%(previous_day)s).")
            % {"step": K(kind).label, "day": format_date(day), "previous": later.get_kind_display(),
               "previous_day": format_date(later.effective_on)},
            field=field,
        )


def check_file_open(c: Candidate, kind: str) -> None:
    check_open(c)
    if c.stage not in S.FILE_OPEN_STAGES:
        raise DomainError(
            _("“%(step)s” belongs to the admission file, which is closed at the stage “%(stage)s”.")
            % {"step": K(kind).label, "stage": c.get_stage_display()}
        )


def set_pending(c: Candidate, *, due_on: dt.date | None) -> None:
    """The step the candidate now waits for, its owner (a role at an organization) and its due date."""
    c.next_step = S.next_step_for(c)
    if c.next_step:
        owner = S.step_owner(c, c.next_step, day=c.stage_since)
        c.owner_org, c.owner_role = owner.organization, owner.role
    else:
        c.owner_org, c.owner_role = None, ""
    c.assignee = None
    c.due_on = due_on


def advance(c: Candidate, candidate: Candidate, stage: str, since: dt.date, *, due_on: dt.date | None) -> None:
    """Move the locked candidate `c` to `stage` from `since`, now waiting for its next step until
    `due_on` (`set_pending`); save it, and refresh the caller's instance `candidate`."""
    c.stage, c.stage_since = stage, since
    set_pending(c, due_on=due_on)
    c.save()
    candidate.refresh_from_db()


def record_step(
    c: Candidate, kind: str, day: dt.date, *, stage_after: str | None = None, rules: R.RuleSet | None = None,
    owner: S.Owner | None = None, vote: Vote | None = None, passed: bool | None = None,
    decision: Decision = NO_DECISION, payload: dict | None = None, note: str = "", actor=None, owner_user=None,
    stage_before: str | None = None,
) -> CandidateStep:
    """Write the step (with the due date the step had, and whether it came after it)."""
    owner = owner or S.step_owner(c, kind, day=day)
    due = c.due_on if kind == c.next_step else None
    return CandidateStep.objects.create(
        candidate=c, kind=kind, effective_on=day,
        stage_before=c.stage if stage_before is None else stage_before, stage_after=stage_after or c.stage,
        regulation=(rules or R.rules_on(day)).code, owner_org=owner.organization, owner_role=owner.role,
        owner_user=owner_user, due_on=due, late=bool(due and day > due),
        votes_due=vote.due if vote else None, votes_excluded=vote.excluded if vote else None,
        votes_present=vote.present if vote else None, votes_for=vote.votes_for if vote else None, passed=passed,
        decision_number=decision.number, decision_date=decision.date, issued_by=decision.issued_by,
        payload=payload or {}, note=note or "", recorded_by=acting_user(actor),
    )


def file_document(c: Candidate, key: str, day: dt.date, *, step: CandidateStep | None, held_by: str,
                   actor=None, note: str = "") -> CandidateDocument:
    rules = R.rules_on(day)
    document = next((d for d in rules.required_documents if d.key == key), None)
    form = document.form_code if document else ""
    if key == "introduction" and step is not None and step.payload.get("union_introducer"):
        form = "3A-KNĐ"
    return CandidateDocument.objects.create(
        candidate=c, key=key, form_code=form, document_date=day, received_on=day, held_by=held_by, step=step,
        note=note, recorded_by=acting_user(actor),
    )


def certificate_refusals(c: Candidate, day: dt.date, rules: R.RuleSet) -> list[R.Refusal]:
    """The awareness-course certificate must be on file and still valid on `day`."""
    return R.admission_documents_check(
        [], day, rules, certificate_issued_on=c.certificate_issued_on, before="application"
    )


def file_refusals(c: Candidate, day: dt.date, rules: R.RuleSet, *, before: str,
                   with_certificate: bool = True) -> list[R.Refusal]:
    """The documents of the admission file that must be on file before `before` (a document key)."""
    present = set(S.current_documents(c))
    if not with_certificate:
        present.add("awareness_certificate")
    refusals = R.admission_documents_check(
        present, day, rules, certificate_issued_on=c.certificate_issued_on if with_certificate else None,
        union_introduces=S.union_introduces(c), partial_committee=S.has_partial_committee(c.cell), before=before,
    )
    if S.is_grassroots_cell(c.cell):
        refusals = [r for r in refusals if r.params.get("key") != "committee_resolution"]
    return refusals


def introducer_refusals(c: Candidate, day: dt.date, rules: R.RuleSet) -> list[R.Refusal]:
    """The introducers on file, checked again on `day` (an introducer may have left the Party since)."""
    step = S.latest_step(c, K.INTRODUCERS)
    if step is None:
        return [R.Refusal("admission.introducers_missing", _("No introducers are recorded (form 3-KNĐ)."))]
    people = []
    for item in step.payload.get("introducers", []):
        member = Member.objects.filter(pk=item["member_id"]).first()
        people.append(introducer_of(member, item["months_with_applicant"], day) if member else
                      R.Introducer(status="", months_with_applicant=item["months_with_applicant"]))
    return R.introducers_check(
        people, rules, union_introducer=step.payload.get("union_introducer") or None,
        applicant_in_youth_union=step.payload.get("applicant_in_youth_union", False),
        youth_union_at_unit=step.payload.get("youth_union_at_unit", True),
    )


def introducer_of(member: Member, months_with_applicant: int, day: dt.date) -> R.Introducer:
    status = S.member_status_on(member, day)
    months_official = None
    if status == MemberStatus.OFFICIAL and member.made_official_on:
        months_official = R.months_between(member.made_official_on, day)
    return R.Introducer(status=status, months_with_applicant=months_with_applicant, months_official=months_official)


def background_refusals(c: Candidate) -> list[R.Refusal]:
    step = S.latest_step(c, K.BACKGROUND_CHECK)
    if step is None:
        return [R.Refusal("admission.background_check_missing",
                          _("The background check (thẩm tra lý lịch) is not recorded."))]
    if step.payload.get("result") != "clear":
        return [R.Refusal("admission.background_check_issues",
                          _("The background check of %(day)s found issues; they must be cleared by a new check.")
                          % {"day": format_date(step.effective_on)})]
    return []


def readmission_refusals(c: Candidate, day: dt.date, rules: R.RuleSet) -> list[R.Refusal]:
    former = c.former_member
    if former is None:
        return []
    exit_kind = {MemberStatus.EXPELLED: "expelled", MemberStatus.RESIGNED: "resigned"}.get(former.status, "removed")
    return R.readmission_check(
        former.ended_on or day, day, rules, exit_kind=exit_kind, times_readmitted=times_readmitted(former),
        bars=c.readmission_bars, family_hardship=c.family_hardship, record_expunged_on=c.record_expunged_on,
    )


def times_readmitted(member: Member) -> int:
    """How many times the person of this member record was readmitted: the admissions recorded on it
    beyond the first. Before readmissions were recorded on the former member's own record, the
    ceremony registered a new record from the former one (a candidate with both): those earlier
    records count too."""
    times, seen = 0, set()
    while member is not None and member.pk not in seen:
        seen.add(member.pk)
        times += max(member.events.filter(kind=MemberEventKind.ADMITTED).count() - 1, 0)
        came_from = Candidate.objects.filter(member=member, former_member__isnull=False).exclude(
            former_member=member).select_related("former_member").first()
        if came_from is None:
            break
        times += 1
        member = came_from.former_member
    return times


def check_vote(vote: Vote, rules: R.RuleSet, *, committee: bool) -> bool:
    excluded = None if committee else {"exempted": vote.excluded}
    try:
        return R.vote_passes(vote.due, vote.present, vote.votes_for, rules, excluded=excluded, committee=committee)
    except R.RuleViolation as exc:
        exc.field = "votes_present"
        raise


def vote_below(vote: Vote, rules: R.RuleSet, *, committee: bool) -> DomainError:
    threshold = rules.committee_vote_threshold if committee else rules.vote_threshold
    left_out = 0 if committee else vote.excluded
    params = {"for": vote.votes_for, "denominator": vote.due - left_out, "due": vote.due, "excluded": left_out,
              "threshold": f"{threshold.numerator}/{threshold.denominator}", "regulation": rules.code}
    if committee:
        message = _("%(for)s of the %(due)s committee members voted in favour: below the %(threshold)s required by "
                    "%(regulation)s. Record the vote as not approved instead.") % params
    else:
        message = _("%(for)s of %(denominator)s official members voted in favour (%(due)s due, %(excluded)s exempted "
                    "or suspended left out of the count): below the %(threshold)s required by %(regulation)s. Record "
                    "the vote as not approved instead.") % params
    return DomainError(message, field="votes_for", code="vote.below_threshold")


def check_late(kind: str, day: dt.date, due: dt.date | None, late_reason: str, limit: R.Deadline, rules: R.RuleSet) -> None:
    """After a time limit the step stands, but the body at fault must explain (a reason is required)."""
    if due is None or day <= due or (late_reason or "").strip():
        return
    raise DomainError(
        _("%(step)s on %(day)s is after the time limit of %(due)s (%(amount)s working days under %(regulation)s): "
          "the body at fault must explain; give the reason for the delay.")
        % {"step": K(kind).label, "day": format_date(day), "due": format_date(due), "amount": limit.amount,
           "regulation": rules.code},
        field="late_reason", code="deadline.passed",
    )


def certificate_due(c: Candidate) -> dt.date | None:
    """Until the chi bộ votes, the certificate's validity is the time limit."""
    return c.certificate_expires_on


