"""Candidates for admission (người vào Đảng): one function per step, each one transaction.

quần chúng ưu tú → lớp bồi dưỡng nhận thức về Đảng (certificate) → cảm tình đảng → the admission
file (documents 1-KNĐ …, background check, introducers, comments) → chi bộ vote → đảng ủy cơ sở
vote → admission decision → lễ kết nạp, when the candidate becomes a member
(`members.services.member_register`, in the same transaction; a readmission, kết nạp lại, is
recorded on the former member's own record by `members.services.member_readmit`).

Every step checks the rule set in force on its own date (`rules.rules_on(day)`), so that a 2019
admission is checked against the rules of 2019, and is written as one `CandidateStep` row (never
updated) with the regulation, the votes, the decision, the owner and due date it had, and who
recorded it. A refusal raises `DomainError` (a `rules.RuleViolation` when a Party rule refuses)
with every reason, and nothing is written. The cached columns of `Candidate` (stage, pending
step, owner, due date) are updated here and only here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.audit import acting_user
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEventKind, MemberStatus
from dangvu.members.services import (
    PROFILE_FIELDS,
    apply_name,
    check_cell,
    clean_profile,
    member_readmit,
    member_register,
)
from dangvu.organizations.services import NO_DECISION, Decision

from . import selectors as S
from .models import OPEN_STAGES, Candidate, CandidateDocument, CandidateStage, CandidateStep, StepKind
from .services import Vote  # noqa: F401 (part of this module's interface: C.Vote)

St = CandidateStage
K = StepKind

#: Step → the action of the rules' status machine (`rules.TRANSITIONS`).
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
#: Documents produced by a step (recorded with it); recorded by hand only to change who holds them.
STEP_DOCUMENTS = {
    "awareness_certificate": K.AWARENESS_COURSE, "introduction": K.INTRODUCERS, "union_resolution": K.INTRODUCERS,
    "comments_summary": K.COMMENTS, "cell_resolution": K.CELL_VOTE, "committee_resolution": K.COMMITTEE_VOTE,
    "admission_decision": K.DECISION,
}
BACKGROUND_RESULTS = ("clear", "issues")
UNION_INTRODUCERS = ("youth_union_committee", "trade_union_committee")


@dataclass(frozen=True)
class IntroducerInput:
    """A party member introducing the applicant, and for how many months they have worked or lived
    with the applicant in the same unit or place."""

    member: Member
    months_with_applicant: int


# --------------------------------------------------------------------------------------------
# Helpers



def _refuse(refusals: Sequence[R.Refusal], *, field: str | None = None) -> None:
    """Raise a RuleViolation stating every refusal (nothing is written)."""
    if not refusals:
        return
    exc = R.RuleViolation(refusals[0], refusals=refusals, field=field)
    exc.message = " ".join(r.text for r in refusals)
    exc.args = (exc.message,)
    raise exc


def _check_date(day: dt.date | None, field: str) -> None:
    if day is None:
        raise DomainError(_("The date is required."), field=field)
    if day > timezone.localdate():
        raise DomainError(
            _("%(day)s is in the future: record a step once it has taken place.") % {"day": format_date(day)},
            field=field,
        )


def _lock(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update(of=("self",)).select_related("cell", "former_member").get(
        pk=candidate.pk)


def _check_open(c: Candidate) -> None:
    if c.stage not in OPEN_STAGES:
        raise DomainError(
            _("%(name)s is no longer a candidate (%(stage)s).") % {"name": c.full_name, "stage": c.get_stage_display()}
        )


def _next_stage(c: Candidate, kind: str) -> str:
    """The stage after step `kind` (the rules' status machine; a chi bộ cơ sở has no đảng ủy cơ sở
    vote, so its decision follows the chi bộ vote)."""
    _check_open(c)
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


def _check_order(c: Candidate, kind: str, day: dt.date, field: str) -> None:
    """A step cannot be dated before the steps that led to it."""
    later = c.steps.filter(kind__in=ORDERED_STEPS, effective_on__gt=day).order_by("effective_on", "id").first()
    if later is not None:
        raise DomainError(
            _("%(step)s (%(day)s) cannot come before: %(previous)s (%(previous_day)s).")
            % {"step": K(kind).label, "day": format_date(day), "previous": later.get_kind_display(),
               "previous_day": format_date(later.effective_on)},
            field=field,
        )


def _check_file_open(c: Candidate, kind: str) -> None:
    _check_open(c)
    if c.stage not in S.FILE_OPEN_STAGES:
        raise DomainError(
            _("“%(step)s” belongs to the admission file, which is closed at the stage “%(stage)s”.")
            % {"step": K(kind).label, "stage": c.get_stage_display()}
        )


def _set_pending(c: Candidate, *, due_on: dt.date | None) -> None:
    """The step the candidate now waits for, its owner (a role at an organization) and its due date."""
    c.next_step = S.next_step_for(c)
    if c.next_step:
        owner = S.step_owner(c, c.next_step, day=c.stage_since)
        c.owner_org, c.owner_role = owner.organization, owner.role
    else:
        c.owner_org, c.owner_role = None, ""
    c.assignee = None
    c.due_on = due_on


def _advance(c: Candidate, candidate: Candidate, stage: str, since: dt.date, *, due_on: dt.date | None) -> None:
    """Move the locked candidate `c` to `stage` from `since`, now waiting for its next step until
    `due_on` (`_set_pending`); save it, and refresh the caller's instance `candidate`."""
    c.stage, c.stage_since = stage, since
    _set_pending(c, due_on=due_on)
    c.save()
    candidate.refresh_from_db()


def _record(
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


def _file_document(c: Candidate, key: str, day: dt.date, *, step: CandidateStep | None, held_by: str,
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


def _certificate_refusals(c: Candidate, day: dt.date, rules: R.RuleSet) -> list[R.Refusal]:
    """The awareness-course certificate must be on file and still valid on `day`."""
    return R.admission_documents_check(
        [], day, rules, certificate_issued_on=c.certificate_issued_on, before="application"
    )


def _file_refusals(c: Candidate, day: dt.date, rules: R.RuleSet, *, before: str,
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


def _introducer_refusals(c: Candidate, day: dt.date, rules: R.RuleSet) -> list[R.Refusal]:
    """The introducers on file, checked again on `day` (an introducer may have left the Party since)."""
    step = S.latest_step(c, K.INTRODUCERS)
    if step is None:
        return [R.Refusal("admission.introducers_missing", _("No introducers are recorded (form 3-KNĐ)."))]
    people = []
    for item in step.payload.get("introducers", []):
        member = Member.objects.filter(pk=item["member_id"]).first()
        people.append(_introducer(member, item["months_with_applicant"], day) if member else
                      R.Introducer(status="", months_with_applicant=item["months_with_applicant"]))
    return R.introducers_check(
        people, rules, union_introducer=step.payload.get("union_introducer") or None,
        applicant_in_youth_union=step.payload.get("applicant_in_youth_union", False),
        youth_union_at_unit=step.payload.get("youth_union_at_unit", True),
    )


def _introducer(member: Member, months_with_applicant: int, day: dt.date) -> R.Introducer:
    status = S.member_status_on(member, day)
    months_official = None
    if status == MemberStatus.OFFICIAL and member.made_official_on:
        months_official = R.months_between(member.made_official_on, day)
    return R.Introducer(status=status, months_with_applicant=months_with_applicant, months_official=months_official)


def _background_refusals(c: Candidate) -> list[R.Refusal]:
    step = S.latest_step(c, K.BACKGROUND_CHECK)
    if step is None:
        return [R.Refusal("admission.background_check_missing",
                          _("The background check (thẩm tra lý lịch) is not recorded."))]
    if step.payload.get("result") != "clear":
        return [R.Refusal("admission.background_check_issues",
                          _("The background check of %(day)s found issues; they must be cleared by a new check.")
                          % {"day": format_date(step.effective_on)})]
    return []


def _readmission_refusals(c: Candidate, day: dt.date, rules: R.RuleSet) -> list[R.Refusal]:
    former = c.former_member
    if former is None:
        return []
    exit_kind = {MemberStatus.EXPELLED: "expelled", MemberStatus.RESIGNED: "resigned"}.get(former.status, "removed")
    return R.readmission_check(
        former.ended_on or day, day, rules, exit_kind=exit_kind, times_readmitted=_times_readmitted(former),
        bars=c.readmission_bars, family_hardship=c.family_hardship, record_expunged_on=c.record_expunged_on,
    )


def _times_readmitted(member: Member) -> int:
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


def _check_vote(vote: Vote, rules: R.RuleSet, *, committee: bool) -> bool:
    excluded = None if committee else {"exempted": vote.excluded}
    try:
        return R.vote_passes(vote.due, vote.present, vote.votes_for, rules, excluded=excluded, committee=committee)
    except R.RuleViolation as exc:
        exc.field = "votes_present"
        raise


def _vote_below(vote: Vote, rules: R.RuleSet, *, committee: bool) -> DomainError:
    threshold = rules.committee_vote_threshold if committee else rules.vote_threshold
    left_out = 0 if committee else vote.excluded
    params = {"for": vote.votes_for, "denominator": vote.due - left_out, "due": vote.due, "excluded": left_out,
              "threshold": f"{threshold.numerator}/{threshold.denominator}", "regulation": rules.code}
    if committee:
        message = _("%(for)s of the %(due)s committee members voted in favour: below the %(threshold)s required by "
                    "%(regulation)s. Record the vote as not approved instead.") % params
    else:
        message = _("%(for)s of %(denominator)s official members voted in favour (%(due)s due, %(excluded)s exempted "
                    "left out of the count): below the %(threshold)s required by %(regulation)s. Record the vote as "
                    "not approved instead.") % params
    return DomainError(message, field="votes_for", code="vote.below_threshold")


def _late(kind: str, day: dt.date, due: dt.date | None, late_reason: str, limit: R.Deadline, rules: R.RuleSet) -> None:
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


def _certificate_due(c: Candidate) -> dt.date | None:
    """Until the chi bộ votes, the certificate's validity is the time limit."""
    return c.certificate_expires_on


# --------------------------------------------------------------------------------------------
# The steps


@transaction.atomic
def candidate_propose(
    *,
    cell,
    proposed_on: dt.date,
    full_name: str,
    birth_date: dt.date,
    sex: str,
    ethnicity: str,
    former_member: Member | None = None,
    readmission_bars: Iterable[str] = (),
    family_hardship: bool = False,
    record_expunged_on: dt.date | None = None,
    note: str = "",
    actor=None,
    **profile,
) -> Candidate:
    """A chi bộ proposes an outstanding person of the masses (quần chúng ưu tú), or a former member
    for readmission (kết nạp lại)."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    _check_date(proposed_on, "proposed_on")
    check_cell(cell, proposed_on)
    data = clean_profile({"full_name": full_name, "birth_date": birth_date, "sex": sex, "ethnicity": ethnicity,
                          **profile})
    if data["birth_date"] >= proposed_on:
        raise DomainError(_("The date of birth must come before the proposal."), field="birth_date")
    if data.get("national_id_number"):
        other = Candidate.objects.filter(national_id_number=data["national_id_number"], stage__in=OPEN_STAGES).first()
        if other is not None:
            raise DomainError(
                _("%(name)s, with this national ID number, is already a candidate of %(cell)s.")
                % {"name": other.full_name, "cell": other.cell.name},
                field="national_id_number",
            )
    bars = list(dict.fromkeys(readmission_bars or ()))
    unknown_bars = [b for b in bars if b not in R.READMISSION_BAR_LABELS]
    if unknown_bars:
        raise DomainError(_("Unknown fact: %(fact)s.") % {"fact": unknown_bars[0]}, field="readmission_bars")
    if former_member is not None:
        if former_member.status not in (MemberStatus.REMOVED, MemberStatus.EXPELLED, MemberStatus.RESIGNED):
            raise DomainError(
                _("%(name)s (%(code)s) is “%(status)s”: only a person who has left the Party can be readmitted.")
                % {"name": former_member.full_name, "code": former_member.code,
                   "status": former_member.get_status_display()},
                field="former_member",
            )
        if Candidate.objects.filter(former_member=former_member, stage__in=OPEN_STAGES).exists():
            raise DomainError(_("This former member is already a candidate for readmission."), field="former_member")
    elif bars or family_hardship or record_expunged_on:
        raise DomainError(_("These facts matter only for the readmission of a former member."), field="former_member")
    c = Candidate(cell=cell, proposed_on=proposed_on, stage=St.OUTSTANDING_MASS, stage_since=proposed_on,
                  former_member=former_member, readmission_bars=bars, family_hardship=bool(family_hardship),
                  record_expunged_on=record_expunged_on, **data)
    apply_name(c)
    _set_pending(c, due_on=None)
    c.save()
    payload = {"readmission": True} if former_member is not None else {}
    _record(c, K.PROPOSED, proposed_on, stage_before="", stage_after=St.OUTSTANDING_MASS, payload=payload, note=note,
            actor=actor)
    return c


@transaction.atomic
def candidate_record_course(
    candidate: Candidate, *, issued_on: dt.date, certificate_number: str = "", issued_by: str = "", note: str = "",
    actor=None,
) -> CandidateStep:
    """The certificate of the political-awareness course (lớp bồi dưỡng nhận thức về Đảng), valid
    `awareness_certificate_valid_months` from its date. A new certificate is accepted once the
    previous one has expired; the candidate then starts again from this step (rules)."""
    _check_date(issued_on, "issued_on")
    c = _lock(candidate)
    _check_open(c)
    rules = R.rules_on(issued_on)
    if c.certificate_expires_on is not None and c.stage in (St.AWARENESS_COURSE_DONE, St.SYMPATHIZER,
                                                            St.DOSSIER_COMPLETE):
        if issued_on <= c.certificate_expires_on:
            raise DomainError(
                _("The certificate of %(issued)s is valid until %(until)s: a new one is recorded once it has expired.")
                % {"issued": format_date(c.certificate_issued_on), "until": format_date(c.certificate_expires_on)},
                field="issued_on",
            )
        expired_on = c.certificate_expires_on + dt.timedelta(days=1)
        stage = _next_stage(c, K.CERTIFICATE_EXPIRED)
        _record(c, K.CERTIFICATE_EXPIRED, expired_on, stage_after=stage, rules=R.rules_on(expired_on), actor=actor)
        c.stage, c.stage_since = stage, max(c.stage_since, expired_on)
    stage = _next_stage(c, K.AWARENESS_COURSE)
    valid_until = R.add_months(issued_on, rules.awareness_certificate_valid_months) - dt.timedelta(days=1)
    if valid_until < issued_on:
        raise DomainError(_("The certificate is not valid."), field="issued_on")
    step = _record(
        c, K.AWARENESS_COURSE, issued_on, stage_after=stage, rules=rules,
        decision=Decision(number=(certificate_number or "").strip(), date=issued_on, issued_by=(issued_by or "").strip()),
        payload={"valid_until": valid_until.isoformat(), "valid_months": rules.awareness_certificate_valid_months},
        note=note, actor=actor,
    )
    _file_document(c, "awareness_certificate", issued_on, step=step, held_by=c.cell.name, actor=actor)
    c.certificate_issued_on, c.certificate_expires_on = issued_on, valid_until
    _advance(c, candidate, stage, max(c.stage_since, issued_on), due_on=_certificate_due(c))
    return step


@transaction.atomic
def candidate_accept_sympathizer(candidate: Candidate, *, on: dt.date, note: str = "", actor=None) -> CandidateStep:
    """The chi bộ accepts the person as a party sympathizer (cảm tình đảng), with a valid certificate."""
    _check_date(on, "effective_on")
    c = _lock(candidate)
    stage = _next_stage(c, K.SYMPATHIZER)
    _check_order(c, K.SYMPATHIZER, on, "effective_on")
    rules = R.rules_on(on)
    _refuse(_certificate_refusals(c, on, rules))
    step = _record(c, K.SYMPATHIZER, on, stage_after=stage, rules=rules, note=note, actor=actor)
    _advance(c, candidate, stage, on, due_on=_certificate_due(c))
    return step


@transaction.atomic
def candidate_record_document(
    candidate: Candidate, *, key: str, received_on: dt.date, document_date: dt.date | None = None,
    held_by: str = "", note: str = "", actor=None,
) -> CandidateDocument:
    """A paper of the admission file received (or handed on: a new row says who holds it now)."""
    _check_date(received_on, "received_on")
    c = _lock(candidate)
    _check_open(c)
    rules = R.rules_on(received_on)
    documents = {d.key: d for d in rules.required_documents}
    by_code = {code: d.key for d in rules.required_documents for code in (d.form_code, *d.variants) if code}
    key = (key or "").strip()
    key = by_code.get(key, key)
    if key not in documents:
        raise DomainError(_("Unknown document of the admission file: %(key)s.") % {"key": key}, field="key")
    if key in STEP_DOCUMENTS and key not in S.current_documents(c):
        raise DomainError(
            _("The %(document)s is recorded with its step (“%(step)s”).")
            % {"document": documents[key].label, "step": K(STEP_DOCUMENTS[key]).label},
            field="key",
        )
    if document_date is not None and document_date > received_on:
        raise DomainError(_("A document cannot be received before its date."), field="document_date")
    document = CandidateDocument.objects.create(
        candidate=c, key=key, form_code=documents[key].form_code, document_date=document_date,
        received_on=received_on, held_by=(held_by or "").strip() or c.cell.name, note=note or "",
        recorded_by=acting_user(actor),
    )
    return document


@transaction.atomic
def candidate_record_background_check(
    candidate: Candidate, *, on: dt.date, result: str, checked_by: str = "", note: str = "", actor=None,
) -> CandidateStep:
    """Thẩm tra lý lịch: the check of the applicant's biography (2-KNĐ) and of the relatives the rules
    name; `result` "clear", or "issues" (then the file cannot be completed until a new check is clear)."""
    _check_date(on, "effective_on")
    if result not in BACKGROUND_RESULTS:
        raise DomainError(_("Choose the result of the check."), field="result")
    c = _lock(candidate)
    _check_file_open(c, K.BACKGROUND_CHECK)
    if "biography" not in S.current_documents(c):
        raise DomainError(
            _("The background check verifies the applicant's biography (2-KNĐ): record the biography first."),
            field="result",
        )
    step = _record(c, K.BACKGROUND_CHECK, on, decision=Decision(issued_by=(checked_by or "").strip()),
                   payload={"result": result}, note=note, actor=actor)
    return step


@transaction.atomic
def candidate_record_introducers(
    candidate: Candidate, *, on: dt.date, introducers: Sequence[IntroducerInput], union_introducer: str = "",
    applicant_in_youth_union: bool = False, youth_union_at_unit: bool = True, note: str = "", actor=None,
) -> CandidateStep:
    """The introducers (người giới thiệu, 3-KNĐ): two official members who have worked or lived with
    the applicant for 12 months, or one of them plus the Youth Union (or trade union) committee."""
    _check_date(on, "effective_on")
    c = _lock(candidate)
    _check_file_open(c, K.INTRODUCERS)
    union_introducer = (union_introducer or "").strip()
    if union_introducer and union_introducer not in UNION_INTRODUCERS:
        raise DomainError(_("Unknown kind of introduction."), field="union_introducer")
    ids = [i.member.pk for i in introducers]
    if len(set(ids)) != len(ids):
        raise DomainError(_("The same member cannot introduce the applicant twice."), field="introducers")
    for item in introducers:
        if isinstance(item.months_with_applicant, bool) or not isinstance(item.months_with_applicant, int) \
                or item.months_with_applicant < 0:
            raise DomainError(_("Give the months worked or lived with the applicant as a whole number."),
                              field="introducers")
    rules = R.rules_on(on)
    people = [_introducer(i.member, i.months_with_applicant, on) for i in introducers]
    _refuse(R.introducers_check(people, rules, union_introducer=union_introducer or None,
                                applicant_in_youth_union=applicant_in_youth_union,
                                youth_union_at_unit=youth_union_at_unit), field="introducers")
    payload = {
        "introducers": [{"member_id": i.member.pk, "member": i.member.code, "name": i.member.full_name,
                         "months_with_applicant": i.months_with_applicant, "status": p.status}
                        for i, p in zip(introducers, people, strict=True)],
        "union_introducer": union_introducer, "applicant_in_youth_union": bool(applicant_in_youth_union),
        "youth_union_at_unit": bool(youth_union_at_unit),
    }
    step = _record(c, K.INTRODUCERS, on, rules=rules, payload=payload, note=note, actor=actor)
    _file_document(c, "introduction", on, step=step, held_by=c.cell.name, actor=actor)
    if union_introducer:
        _file_document(c, "union_resolution", on, step=step, held_by=c.cell.name, actor=actor)
    return step


@transaction.atomic
def candidate_record_comments(
    candidate: Candidate, *, on: dt.date, from_organizations: str, from_residence: str, note: str = "", actor=None,
) -> CandidateStep:
    """The summary of comments (5-KNĐ) of the political-social organizations where the applicant
    works and of the chi ủy or chi bộ where the applicant lives."""
    _check_date(on, "effective_on")
    if not (from_organizations or "").strip():
        raise DomainError(_("Summarize the comments of the organizations where the applicant works."),
                          field="from_organizations")
    if not (from_residence or "").strip():
        raise DomainError(_("Summarize the comments of the party cell where the applicant lives."),
                          field="from_residence")
    c = _lock(candidate)
    _check_file_open(c, K.COMMENTS)
    step = _record(c, K.COMMENTS, on, payload={"from_organizations": from_organizations.strip(),
                                               "from_residence": from_residence.strip()}, note=note, actor=actor)
    _file_document(c, "comments_summary", on, step=step, held_by=c.cell.name, actor=actor)
    return step


@transaction.atomic
def candidate_complete_dossier(candidate: Candidate, *, on: dt.date, note: str = "", actor=None) -> CandidateStep:
    """The admission file is complete for the chi bộ: every document before the chi bộ resolution,
    a valid certificate, a clear background check, introducers who still qualify."""
    _check_date(on, "effective_on")
    c = _lock(candidate)
    stage = _next_stage(c, K.DOSSIER_COMPLETE)
    _check_order(c, K.DOSSIER_COMPLETE, on, "effective_on")
    rules = R.rules_on(on)
    _refuse(_file_refusals(c, on, rules, before="cell_resolution") + _background_refusals(c)
            + _introducer_refusals(c, on, rules))
    step = _record(c, K.DOSSIER_COMPLETE, on, stage_after=stage, rules=rules, note=note, actor=actor)
    _advance(c, candidate, stage, on, due_on=_certificate_due(c))
    return step


@transaction.atomic
def candidate_cell_vote(
    candidate: Candidate, *, on: dt.date, vote: Vote, over_max_age_approved: bool = False, note: str = "",
    actor=None,
) -> CandidateStep:
    """The chi bộ considers the admission and votes (nghị quyết 6-KNĐ): the applicant's age in months
    on that day, the file, the introducers and, for a readmission, its conditions; at least 2/3 of the
    official members in favour (members exempted from activities left out of the count)."""
    _check_date(on, "effective_on")
    c = _lock(candidate)
    stage = _next_stage(c, K.CELL_VOTE)
    _check_order(c, K.CELL_VOTE, on, "effective_on")
    rules = R.rules_on(on)
    _refuse(R.admission_age_check(c.birth_date, on, rules, over_max_age_approved=over_max_age_approved)
            + _file_refusals(c, on, rules, before="cell_resolution") + _background_refusals(c)
            + _introducer_refusals(c, on, rules) + _readmission_refusals(c, on, rules))
    if not _check_vote(vote, rules, committee=False):
        raise _vote_below(vote, rules, committee=False)
    payload = {"over_max_age_approved": True} if over_max_age_approved else {}
    step = _record(c, K.CELL_VOTE, on, stage_after=stage, rules=rules, vote=vote, passed=True, payload=payload,
                   note=note, actor=actor)
    _file_document(c, "cell_resolution", on, step=step, held_by=c.cell.name, actor=actor)
    _advance(c, candidate, stage, on, due_on=R.deadline(on, "decide_admission", rules))
    return step


@transaction.atomic
def candidate_committee_vote(candidate: Candidate, *, on: dt.date, vote: Vote, note: str = "",
                             actor=None) -> CandidateStep:
    """The đảng ủy cơ sở votes (nghị quyết 8-KNĐ): at least 2/3 of its committee members in favour,
    with the review report of the đảng ủy bộ phận (7-KNĐ) where there is one."""
    _check_date(on, "effective_on")
    c = _lock(candidate)
    stage = _next_stage(c, K.COMMITTEE_VOTE)
    _check_order(c, K.COMMITTEE_VOTE, on, "effective_on")
    rules = R.rules_on(on)
    _refuse(_file_refusals(c, on, rules, before="committee_resolution", with_certificate=False))
    if not _check_vote(vote, rules, committee=True):
        raise _vote_below(vote, rules, committee=True)
    step = _record(c, K.COMMITTEE_VOTE, on, stage_after=stage, rules=rules, vote=vote, passed=True, note=note,
                   actor=actor)
    grassroots = S.grassroots_of(c.cell)
    _file_document(c, "committee_resolution", on, step=step, held_by=grassroots.name, actor=actor)
    _advance(c, candidate, stage, on, due_on=c.due_on)  # the time limit of the decision runs from the chi bộ resolution
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
    _check_date(on, "decision_date")
    received_on = received_on or on
    _check_date(received_on, "received_on")
    if received_on < on:
        raise DomainError(_("The decision cannot be received before it is issued."), field="received_on")
    c = _lock(candidate)
    stage = _next_stage(c, K.DECISION)
    _check_order(c, K.DECISION, on, "decision_date")
    rules = R.rules_on(on)
    if delegated and not rules.admission_delegation_allowed:
        raise DomainError(_("%(regulation)s does not provide for delegating admissions to a grassroots committee.")
                          % {"regulation": rules.code}, field="delegated")
    if delegated and S.is_grassroots_cell(c.cell):
        raise DomainError(_("Only a grassroots party committee can be delegated to admit; %(cell)s is a grassroots "
                            "party cell.") % {"cell": c.cell.name}, field="delegated")
    _refuse(_file_refusals(c, on, rules, before="admission_decision", with_certificate=False))
    cell_vote = S.latest_step(c, K.CELL_VOTE)
    cell_rules = R.rules_on(cell_vote.effective_on)
    _late(K.DECISION, on, c.due_on, late_reason, cell_rules.deadline_decide_admission, cell_rules)
    authority = S.deciding_authority(rules, delegated=delegated)
    owner = S.step_owner(c, K.DECISION, day=on, delegated=delegated)
    issued_by = (decision.issued_by or "").strip() or owner.organization.name
    payload = {"authority": authority, "deciding_org": owner.organization.code, "received_on": received_on.isoformat()}
    if late_reason.strip():
        payload["late_reason"] = late_reason.strip()
    step = _record(c, K.DECISION, on, stage_after=stage, rules=rules, owner=owner,
                   decision=Decision(number=number, date=on, issued_by=issued_by), payload=payload, note=note,
                   actor=actor)
    _file_document(c, "admission_decision", on, step=step, held_by=issued_by, actor=actor)
    _advance(c, candidate, stage, on, due_on=R.deadline(received_on, "hold_ceremony", R.rules_on(received_on)))
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
    _check_date(on, "effective_on")
    c = _lock(candidate)
    stage = _next_stage(c, K.CEREMONY)
    _check_order(c, K.CEREMONY, on, "effective_on")
    decision_step = S.latest_step(c, K.DECISION)
    received_on = dt.date.fromisoformat(decision_step.payload.get("received_on") or decision_step.effective_on.isoformat())
    if on < received_on:
        raise DomainError(_("The ceremony cannot come before the decision was received (%(day)s).")
                          % {"day": format_date(received_on)}, field="effective_on")
    rules = R.rules_on(on)
    received_rules = R.rules_on(received_on)
    _late(K.CEREMONY, on, c.due_on, late_reason, received_rules.deadline_hold_ceremony, received_rules)
    former = c.former_member
    code = former.code if former is not None else (member_code or "").strip()
    payload = {"member_code": code, "member_biography_due": R.deadline(on, "member_biography", rules).isoformat()}
    if former is not None:
        payload["readmission"] = True
    if late_reason.strip():
        payload["late_reason"] = late_reason.strip()
    decision = Decision(number=decision_step.decision_number, date=decision_step.decision_date,
                        issued_by=decision_step.issued_by)
    step = _record(c, K.CEREMONY, on, stage_after=stage, rules=rules, decision=decision, payload=payload, note=note,
                   actor=actor)
    try:
        if former is not None:
            member_readmit(former, on=on, cell=c.cell, decision=decision, actor=actor)
            member = former
        else:
            member = member_register(
                code=code, full_name=c.full_name, birth_date=c.birth_date, sex=c.sex, ethnicity=c.ethnicity,
                admitted_on=on, cell=c.cell, decision=decision, actor=actor,
                **{name: getattr(c, name) for name in PROFILE_FIELDS},
            )
    except DomainError as exc:
        field = {"code": "member_code", "admitted_on": "effective_on", "cell": "effective_on",
                 "kind": "effective_on"}.get(exc.field, exc.field)
        raise DomainError(exc.message, field=field, code=exc.code) from None
    c.member = member
    _advance(c, candidate, stage, on, due_on=None)
    return step


@transaction.atomic
def candidate_reject(
    candidate: Candidate, *, on: dt.date, reason: str, vote: Vote | None = None, actor=None,
) -> CandidateStep:
    """The admission is not approved at the pending step (a vote below the majority, or the deciding
    level refuses): the person stays a party sympathizer and the file goes back to the chi bộ."""
    _check_date(on, "effective_on")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason."), field="reason")
    c = _lock(candidate)
    pending = c.next_step
    stage = _next_stage(c, K.REJECTED)
    _check_order(c, K.REJECTED, on, "effective_on")
    rules = R.rules_on(on)
    committee = pending == K.COMMITTEE_VOTE
    if vote is not None and pending not in (K.CELL_VOTE, K.COMMITTEE_VOTE):
        raise DomainError(_("No vote is pending at this stage."), field="votes_for")
    if vote is not None and _check_vote(vote, rules, committee=committee):
        raise DomainError(_("The vote reaches the majority required: record the approval instead."),
                          field="votes_for")
    payload = {"rejected_step": pending, "reason": reason.strip()}
    if vote is not None and pending == K.CELL_VOTE:
        failed = S.failed_votes(c) + 1
        payload["failed_votes"] = failed
        if failed >= rules.failed_votes_before_referral:
            payload["referral_due"] = True
    step = _record(c, K.REJECTED, on, stage_after=stage, rules=rules, owner=S.step_owner(c, pending, day=on),
                   vote=vote, passed=False if vote is not None else None, payload=payload, actor=actor)
    _advance(c, candidate, stage, on, due_on=_certificate_due(c))
    return step


@transaction.atomic
def candidate_assign(candidate: Candidate, *, user, note: str = "", actor=None) -> CandidateStep:
    """Give the pending step to a user (who must be able to record it); a stage change ends it."""
    c = _lock(candidate)
    _check_open(c)
    if user is None:
        raise DomainError(_("Choose a user."), field="user")
    allowed, why = S.may_record(user, c, c.next_step)
    if not allowed:
        raise DomainError(_("%(user)s cannot record this step: %(why)s") % {"user": user.get_username(), "why": why},
                          field="user")
    step = _record(c, K.ASSIGNED, timezone.localdate(), owner=S.step_owner(c, c.next_step, day=timezone.localdate()), owner_user=user,
                   payload={"step": c.next_step}, note=note, actor=actor)
    c.assignee = user
    c.save(update_fields=["assignee", "updated_at"])
    candidate.refresh_from_db()
    return step


@transaction.atomic
def candidate_close(candidate: Candidate, *, on: dt.date, reason: str, actor=None) -> CandidateStep:
    """The candidacy ends without admission (the person withdraws, moves away, no longer qualifies)."""
    _check_date(on, "effective_on")
    if not (reason or "").strip():
        raise DomainError(_("Give the reason."), field="reason")
    c = _lock(candidate)
    stage = _next_stage(c, K.CLOSED)
    _check_order(c, K.CLOSED, on, "effective_on")
    step = _record(c, K.CLOSED, on, stage_after=stage, payload={"reason": reason.strip()}, actor=actor)
    _advance(c, candidate, stage, on, due_on=None)
    return step
