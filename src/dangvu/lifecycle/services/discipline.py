"""Kỷ luật: a discipline decision (protected conditions, the limitation period), and discipline cases
(vụ việc) opened and closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.accounts.permissions import Action, can_on_as_committee
from dangvu.core.audit import acting_user
from dangvu.core.dates import check_past, format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.services import NO_DECISION, Decision

from ..models import CaseOutcome, DisciplineCase
from .checks import _require_status

#: The input at fault for each refusal of a discipline (`_field`: the decision's, the first part missing).
_DISCIPLINE_FIELDS = {"discipline.protected": "conditions", "discipline.time_barred": "violation_on",
                      "discipline.violation_after_decision": "violation_on"}


def _field(code: str, decision: Decision) -> str:
    if code == "discipline.decision_missing":
        parts = (("decision_number", decision.number.strip()), ("decision_date", decision.date),
                 ("issued_by", decision.issued_by.strip()))
        return next(name for name, given in parts if not given)
    return _DISCIPLINE_FIELDS.get(code, "form")


def _decides_as_cell(actor, member: Member) -> bool:
    """Whether `actor` (a logged-in user) records the discipline of `member` for the chi bộ only, not as a
    committee above it: then only the forms a chi bộ decides are allowed (`R.discipline_authority_check`)."""
    return acting_user(actor) is not None and not can_on_as_committee(actor, Action.DISCIPLINE, member.cell)


def _rules_status(member: Member) -> str:
    """The member's standing as the discipline rules read it: an exempted official member is its own case."""
    return member.status if member.status != MemberStatus.OFFICIAL or not member.exempted else "exempted"


def discipline_forms_offered(actor, member: Member, on: dt.date) -> tuple[str, ...]:
    """The disciplinary forms to offer `actor` for `member` on `on`, as `discipline` accepts them: those the
    rules in force on `on` allow for the member's status (a probationer: khiển trách, cảnh cáo), and of those
    only the forms a chi bộ decides when the actor records for the chi bộ only."""
    rules = R.rules_on(on)
    allowed = R.allowed_discipline_forms(_rules_status(member), rules)
    by_cell = _decides_as_cell(actor, member)
    return tuple(form for form in R.DISCIPLINE_FORM_LABELS
                 if form in allowed and (not by_cell or R.decided_by_cell(form, rules)))


@transaction.atomic
def discipline(member: Member, *, form: str, decided_on: dt.date, violation_on: dt.date | None = None,
               conditions: Iterable[str] = (), decision: Decision = NO_DECISION, note: str = "",
               actor=None) -> MemberEvent:
    """Kỷ luật: a form allowed for the member's status on that day (`rules.discipline_forms`: fewer for a
    probationary member), within the limitation period (its last day included), and not while one of the
    protected `conditions` of the rules holds (`rules.discipline_protected`). A form the chi bộ does not decide
    (`rules.discipline_cell_forms`: cách chức, khai trừ) needs the decision (number, date, deciding body) and an
    `actor` acting for a committee, not one whose scope is only a chi bộ (no logged-in `actor`: the command
    line, the demo). Expulsion (khai trừ) ends the membership. The
    decision closes the member's open discipline case opened on or before `decided_on`, if any; without a
    `violation_on`, the limitation period is counted from the violation date that case records; without a `note`,
    the event keeps that case's violation."""
    check_past(violation_on, field="violation_on")
    case = (DisciplineCase.objects.select_for_update()
            .filter(member=member, closed_on__isnull=True, opened_on__lte=decided_on).first())
    if violation_on is None and case is not None:
        violation_on = case.violation_on
    if not (note or "").strip() and case is not None:  # the history says what it was for: the case's violation
        note = case.violation
    rules = R.rules_on(decided_on)
    status = _rules_status(member)
    refusals = R.discipline_check(status, form, rules, on=decided_on, violation_on=violation_on, conditions=conditions)
    by_cell = _decides_as_cell(actor, member)
    refusals += R.discipline_authority_check(form, rules, by_cell=by_cell, decision_number=decision.number,
                                             decision_date=decision.date, deciding_body=decision.issued_by)
    R.raise_refusals(refusals, field=_field(refusals[0].code, decision) if refusals else None)
    if form == "expulsion":
        event = member_record_event(member, kind=E.EXPELLED, effective_on=decided_on, decision=decision,
                                    note=note, actor=actor, field="decided_on")
    else:
        event = member_record_event(member, kind=E.DISCIPLINED, effective_on=decided_on,
                                    value=form, decision=decision, note=note, actor=actor, field="decided_on")
    if case is not None:
        case.closed_on, case.outcome, case.event, case.closed_by = decided_on, CaseOutcome.DISCIPLINED, event, acting_user(actor)
        case.save()
    return event


def open_case(member: Member, on: dt.date) -> DisciplineCase | None:
    """The member's discipline case open on `on` (opened on or before, not closed by then)."""
    return (DisciplineCase.objects.filter(member=member, opened_on__lte=on)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on)).order_by("-opened_on").first())


def _check_case_date(day: dt.date, field: str, *, not_before: dt.date, label: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field=field)
    if day < not_before:
        raise DomainError(_("The date cannot come before %(what)s (%(day)s).")
                          % {"what": label, "day": format_date(not_before)}, field=field)


@transaction.atomic
def open_discipline_case(member: Member, *, opened_on: dt.date, authority: str, violation: str,
                         violation_on: dt.date | None = None, note: str = "", actor=None) -> DisciplineCase:
    """Open a discipline case (vụ việc kỷ luật) against a current member: the authority considering
    it, the alleged violation (and its date). One open case per member at a time."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _require_status(member, ACTIVE_STATUSES, _("%(name)s is not a current party member (status: %(status)s)."))
    authority, violation = " ".join((authority or "").split()), (violation or "").strip()
    if not authority:
        raise DomainError(_("Name the party organization or commission considering the case."), field="authority")
    if not violation:
        raise DomainError(_("Describe the alleged violation."), field="violation")
    _check_case_date(opened_on, "opened_on", not_before=member.admitted_on, label=_("the admission"))
    if violation_on is not None and violation_on > opened_on:
        raise DomainError(_("The violation cannot come after the case is opened."), field="violation_on")
    current = DisciplineCase.objects.filter(member=member, closed_on__isnull=True).first()
    if current is not None:
        raise DomainError(_("A discipline case against %(name)s is already open (since %(day)s).")
                          % {"name": member.full_name, "day": format_date(current.opened_on)}, field="opened_on")
    return DisciplineCase.objects.create(member=member, opened_on=opened_on, authority=authority, violation=violation,
                                         violation_on=violation_on, note=note, opened_by=acting_user(actor))


@transaction.atomic
def close_discipline_case(member: Member, *, closed_on: dt.date, note: str = "", actor=None) -> DisciplineCase:
    """Close the member's open discipline case by a decision not to discipline (a discipline decision
    closes it through `discipline`)."""
    case = DisciplineCase.objects.select_for_update().filter(member=member, closed_on__isnull=True).first()
    if case is None:
        raise DomainError(_("%(name)s has no open discipline case.") % {"name": member.full_name}, field="closed_on")
    _check_case_date(closed_on, "closed_on", not_before=case.opened_on, label=_("the opening of the case"))
    case.closed_on, case.outcome, case.closed_by = closed_on, CaseOutcome.NO_DISCIPLINE, acting_user(actor)
    if note:
        case.note = "\n".join(filter(None, (case.note, note)))
    case.save()
    return case
