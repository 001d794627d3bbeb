"""Exemption from activities (miễn sinh hoạt) and the ends of a membership: removal (xóa tên),
resignation, death, and the restoration of a membership wrongly ended (khôi phục đảng tịch)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import check_cell, member_record_event
from dangvu.organizations.services import NO_DECISION, Decision, Vote

from .checks import _require_status, _vote_passes

#: Grounds of removal (xóa tên) and their labels under the rules in force: the regulations' (domain-rules §10).
REMOVAL_GROUNDS = R.REMOVAL_GROUNDS
removal_ground_labels = R.removal_ground_labels


@transaction.atomic
def exempt(member: Member, *, on: dt.date, ground: str = "age", treatment_months: int = 0,
           medical_record: bool = False, decision: Decision = NO_DECISION, note: str = "", actor=None) -> MemberEvent:
    """Miễn công tác và sinh hoạt đảng. On age grounds (`ground="age"`): past the age of the rules by sex
    (`exemption_min_age_months`), in poor health (`exemption_min_treatment_months` of treatment or a medical
    record), on the member's own request.
    Temporary exemption (tạm miễn) on one of `rules.temporary_exemption_grounds`."""
    rules = R.rules_on(on)
    _require_status(member, (MemberStatus.OFFICIAL,),
                    _("Only an official member can be exempted; %(name)s is %(status)s."))
    if ground == "age":
        refusals = R.exemption_check(member.birth_date, member.sex, on, rules, treatment_months=treatment_months,
                                     medical_record=medical_record)
        health_only = bool(refusals) and all(r.code == "exemption.health" for r in refusals)
        R.raise_refusals(refusals, field="treatment_months" if health_only else "ground")
    elif ground not in rules.temporary_exemption_grounds:
        raise DomainError(_("Unknown ground of exemption."), field="ground")
    else:
        R.raise_refusals(R.temporary_exemption_check(ground, member.sex), field="ground")
    return member_record_event(member, kind=E.EXEMPTED, effective_on=on, value=ground[:64], decision=decision,
                               note=note, actor=actor, field="on")


@transaction.atomic
def end_exemption(member: Member, *, on: dt.date, decision: Decision = NO_DECISION, note: str = "",
                  actor=None) -> MemberEvent:
    """Thôi miễn sinh hoạt: the member takes part in activities again."""
    return member_record_event(member, kind=E.EXEMPTION_ENDED, effective_on=on, decision=decision, note=note,
                               actor=actor, field="on")


@transaction.atomic
def remove(member: Member, *, on: dt.date, ground: str, vote: Vote | None = None,
           decision: Decision = NO_DECISION, note: str = "", actor=None) -> MemberEvent:
    """Xóa tên on one of REMOVAL_GROUNDS, proposed by the chi bộ (its vote reaching `vote_threshold`) and decided by the
    competent committee. A probationary member not recognised is removed from the list
    (`ground="probation_not_recognised"`); that ground is for probationary members only."""
    if ground not in REMOVAL_GROUNDS:
        raise DomainError(_("Choose the ground of removal."), field="ground")
    if (ground == "probation_not_recognised") != (member.status == MemberStatus.PROBATIONARY):
        raise DomainError(_("“Probationary member not recognised” is the ground for probationary members, "
                            "and only for them."), field="ground")
    rules = R.rules_on(on)
    if vote is not None and not _vote_passes(vote, rules):
        raise DomainError(_("The chi bộ vote does not reach %(threshold)s of its official members.") % {
            "threshold": f"{rules.vote_threshold.numerator}/{rules.vote_threshold.denominator}"}, field="votes_for")
    return member_record_event(member, kind=E.REMOVED, effective_on=on, value=ground,
                               decision=decision, note=note or removal_ground_labels(rules)[ground], actor=actor,
                               field="on")


@transaction.atomic
def resign(member: Member, *, on: dt.date, decision: Decision = NO_DECISION, note: str = "", actor=None) -> MemberEvent:
    """Xin ra khỏi Đảng: considered by the chi bộ, decided by the competent committee."""
    return member_record_event(member, kind=E.RESIGNED, effective_on=on, decision=decision, note=note, actor=actor,
                               field="on")


@transaction.atomic
def restore_membership(member: Member, *, on: dt.date, cell, decision: Decision = NO_DECISION, note: str = "",
                       actor=None) -> MemberEvent:
    """Khôi phục đảng tịch: a removal or expulsion found wrongful is annulled by a decision (its
    number is required); the member returns on `on`, in the status held before (official or
    probationary), to the chi bộ `cell`, which must exist that day. The time between the ending and
    the restoration is no gap: the party age is continuous (the back dues are owed)."""
    _require_status(member, (MemberStatus.REMOVED, MemberStatus.EXPELLED),
                    _("Only the membership of a member removed or expelled from the Party can be restored; "
                      "%(name)s is “%(status)s”."), field="on")
    if not (decision.number or "").strip():
        raise DomainError(_("The number of the decision annulling the removal or expulsion is required."),
                          field="decision_number")
    if on is None:
        raise DomainError(_("The effective date is required."), field="on")
    if member.ended_on and on < member.ended_on:
        raise DomainError(_("The restoration cannot come before the member left the Party (%(day)s).")
                          % {"day": format_date(member.ended_on)}, field="on")
    check_cell(cell, on, field="cell")
    return member_record_event(member, kind=E.RESTORED, effective_on=on, cell=cell, decision=decision,
                               note=note, actor=actor, field="on")


@transaction.atomic
def record_death(member: Member, *, on: dt.date, note: str = "", actor=None) -> MemberEvent:
    """Từ trần, reported by the chi bộ; the family keeps the card and the badge."""
    return member_record_event(member, kind=E.DIED, effective_on=on, note=note, actor=actor, field="on")
