"""The proposal and the admission file (hồ sơ kết nạp): quần chúng ưu tú proposed, the awareness
course, cảm tình đảng, the papers of the file, the background check, the introducers, the comments."""


from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.audit import acting_user
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.identity import check_national_id
from dangvu.members.models import Member, MemberStatus
from dangvu.members.services import (
    PROFILE_FIELDS,
    apply_name,
    check_cell,
    clean_profile,
)
from dangvu.organizations.services import Decision

from .. import selectors as S
from ..models import OPEN_STAGES, Candidate, CandidateDocument, CandidateStage, CandidateStep, StepKind
from .steps import (
    advance,
    certificate_due,
    certificate_refusals,
    check_date,
    check_file_open,
    check_open,
    check_order,
    file_document,
    introducer_of,
    lock,
    next_stage,
    record_step,
    refuse,
    set_pending,
)

St = CandidateStage
K = StepKind

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
    check_date(proposed_on, "proposed_on")
    check_cell(cell, proposed_on)
    data = clean_profile({"full_name": full_name, "birth_date": birth_date, "sex": sex, "ethnicity": ethnicity,
                          **profile})
    if data["birth_date"] >= proposed_on:
        raise DomainError(_("The date of birth must come before the proposal."), field="birth_date")
    check_national_id(data.get("national_id_number"), actor=actor,
                      member_id=former_member.pk if former_member is not None else None)
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
        # the readmission goes onto the former member's record: the person is the one of that record
        if former_member.birth_date and data["birth_date"] != former_member.birth_date:
            raise DomainError(_("The date of birth differs from the record of the former member %(code)s "
                                "(%(day)s).") % {"code": former_member.code, "day": format_date(former_member.birth_date)},
                              field="birth_date")
        if former_member.sex and data["sex"] != former_member.sex:
            raise DomainError(_("The sex differs from the record of the former member %(code)s (%(sex)s).")
                              % {"code": former_member.code, "sex": former_member.get_sex_display()}, field="sex")
    elif bars or family_hardship or record_expunged_on:
        raise DomainError(_("These facts matter only for the readmission of a former member."), field="former_member")
    c = Candidate(cell=cell, proposed_on=proposed_on, stage=St.OUTSTANDING_MASS, stage_since=proposed_on,
                  former_member=former_member, readmission_bars=bars, family_hardship=bool(family_hardship),
                  record_expunged_on=record_expunged_on, **data)
    apply_name(c)
    set_pending(c, due_on=None)
    c.save()
    payload = {"readmission": True} if former_member is not None else {}
    record_step(c, K.PROPOSED, proposed_on, stage_before="", stage_after=St.OUTSTANDING_MASS, payload=payload, note=note,
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
    check_date(issued_on, "issued_on")
    c = lock(candidate)
    check_open(c)
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
        stage = next_stage(c, K.CERTIFICATE_EXPIRED)
        record_step(c, K.CERTIFICATE_EXPIRED, expired_on, stage_after=stage, rules=R.rules_on(expired_on), actor=actor)
        c.stage, c.stage_since = stage, max(c.stage_since, expired_on)
    stage = next_stage(c, K.AWARENESS_COURSE)
    valid_until = R.add_months(issued_on, rules.awareness_certificate_valid_months) - dt.timedelta(days=1)
    if valid_until < issued_on:
        raise DomainError(_("The certificate is not valid."), field="issued_on")
    step = record_step(
        c, K.AWARENESS_COURSE, issued_on, stage_after=stage, rules=rules,
        decision=Decision(number=(certificate_number or "").strip(), date=issued_on, issued_by=(issued_by or "").strip()),
        payload={"valid_until": valid_until.isoformat(), "valid_months": rules.awareness_certificate_valid_months},
        note=note, actor=actor,
    )
    file_document(c, "awareness_certificate", issued_on, step=step, held_by=c.cell.name, actor=actor)
    c.certificate_issued_on, c.certificate_expires_on = issued_on, valid_until
    advance(c, candidate, stage, max(c.stage_since, issued_on), due_on=certificate_due(c))
    return step


@transaction.atomic
def candidate_accept_sympathizer(candidate: Candidate, *, on: dt.date, note: str = "", actor=None) -> CandidateStep:
    """The chi bộ accepts the person as a party sympathizer (cảm tình đảng), with a valid certificate."""
    check_date(on, "effective_on")
    c = lock(candidate)
    stage = next_stage(c, K.SYMPATHIZER)
    check_order(c, K.SYMPATHIZER, on, "effective_on")
    rules = R.rules_on(on)
    refuse(certificate_refusals(c, on, rules))
    step = record_step(c, K.SYMPATHIZER, on, stage_after=stage, rules=rules, note=note, actor=actor)
    advance(c, candidate, stage, on, due_on=certificate_due(c))
    return step


@transaction.atomic
def candidate_record_document(
    candidate: Candidate, *, key: str, received_on: dt.date, document_date: dt.date | None = None,
    held_by: str = "", note: str = "", actor=None,
) -> CandidateDocument:
    """A paper of the admission file received (or handed on: a new row says who holds it now)."""
    check_date(received_on, "received_on")
    c = lock(candidate)
    check_open(c)
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
    check_date(on, "effective_on")
    if result not in BACKGROUND_RESULTS:
        raise DomainError(_("Choose the result of the check."), field="result")
    c = lock(candidate)
    check_file_open(c, K.BACKGROUND_CHECK)
    if "biography" not in S.current_documents(c):
        raise DomainError(
            _("The background check verifies the applicant's biography (2-KNĐ): record the biography first."),
            field="result",
        )
    step = record_step(c, K.BACKGROUND_CHECK, on, decision=Decision(issued_by=(checked_by or "").strip()),
                   payload={"result": result}, note=note, actor=actor)
    return step


@transaction.atomic
def candidate_record_introducers(
    candidate: Candidate, *, on: dt.date, introducers: Sequence[IntroducerInput], union_introducer: str = "",
    applicant_in_youth_union: bool = False, youth_union_at_unit: bool = True, note: str = "", actor=None,
) -> CandidateStep:
    """The introducers (người giới thiệu, 3-KNĐ): `introducers_required` official members who have worked or
    lived with the applicant for `introducer_min_months_with_applicant`, or one of them plus the Youth Union (or
    trade union) committee."""
    check_date(on, "effective_on")
    c = lock(candidate)
    check_file_open(c, K.INTRODUCERS)
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
    people = [introducer_of(i.member, i.months_with_applicant, on) for i in introducers]
    refuse(R.introducers_check(people, rules, union_introducer=union_introducer or None,
                                applicant_in_youth_union=applicant_in_youth_union,
                                youth_union_at_unit=youth_union_at_unit), field="introducers")
    payload = {
        "introducers": [{"member_id": i.member.pk, "member": i.member.code, "name": i.member.full_name,
                         "months_with_applicant": i.months_with_applicant, "status": p.status}
                        for i, p in zip(introducers, people, strict=True)],
        "union_introducer": union_introducer, "applicant_in_youth_union": bool(applicant_in_youth_union),
        "youth_union_at_unit": bool(youth_union_at_unit),
    }
    step = record_step(c, K.INTRODUCERS, on, rules=rules, payload=payload, note=note, actor=actor)
    file_document(c, "introduction", on, step=step, held_by=c.cell.name, actor=actor)
    if union_introducer:
        file_document(c, "union_resolution", on, step=step, held_by=c.cell.name, actor=actor)
    return step


@transaction.atomic
def candidate_record_comments(
    candidate: Candidate, *, on: dt.date, from_organizations: str, from_residence: str, note: str = "", actor=None,
) -> CandidateStep:
    """The summary of comments (5-KNĐ) of the political-social organizations where the applicant
    works and of the chi ủy or chi bộ where the applicant lives."""
    check_date(on, "effective_on")
    if not (from_organizations or "").strip():
        raise DomainError(_("Summarize the comments of the organizations where the applicant works."),
                          field="from_organizations")
    if not (from_residence or "").strip():
        raise DomainError(_("Summarize the comments of the party cell where the applicant lives."),
                          field="from_residence")
    c = lock(candidate)
    check_file_open(c, K.COMMENTS)
    step = record_step(c, K.COMMENTS, on, payload={"from_organizations": from_organizations.strip(),
                                               "from_residence": from_residence.strip()}, note=note, actor=actor)
    file_document(c, "comments_summary", on, step=step, held_by=c.cell.name, actor=actor)
    return step


