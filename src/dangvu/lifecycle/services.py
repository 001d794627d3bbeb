"""Member lifecycle actions (nghiệp vụ đảng viên) checked against the rules in force on their date.

Each action is one transaction: it checks the rule set of `rules.rules_on(day)`, then records one
member event (biến động) through `members.services.member_record_event`, which replays the member's
history and audits the write. A refusal raises `DomainError` (a `rules.RuleViolation` when a Party
rule refuses) with a Vietnamese reason, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.audit import acting_user
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members import history
from dangvu.members.identity import visible_cell_ids
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import check_cell, member_record_event
from dangvu.organizations.services import NO_DECISION, Decision, Vote

from .models import CaseOutcome, DisciplineCase

CARD_NUMBER = re.compile(r"^\d{8}$")
#: The events that decide which badge is due: those awarded, discipline that delays it, and
#: those that make the gaps of the party age.
BADGE_EVENT_KINDS = tuple(dict.fromkeys((E.BADGE_AWARDED, E.DISCIPLINED, *history.GAP_EVENT_KINDS)))


def _vote_passes(vote: Vote, rules: R.RuleSet) -> bool:
    """At least the rules' share (2/3) of the official members, the exempted left out."""
    return R.vote_passes(vote.due, vote.present, vote.votes_for, rules, excluded={"exempted": vote.excluded})


def _require_status(member: Member, statuses: tuple[str, ...], message: str, field: str | None = None) -> None:
    if member.status not in statuses:
        raise DomainError(message % {"name": member.full_name, "status": member.get_status_display()}, field=field)


@transaction.atomic
def recognize_official(member: Member, *, decided_on: dt.date, vote: Vote | None = None,
                       decision: Decision = NO_DECISION, actor=None) -> MemberEvent:
    """Công nhận đảng viên chính thức: the chi bộ vote and the decision, considered once the 12 months
    of probation are over (from the ceremony of the current membership: the readmission, if any);
    the official date is the day probation ends (rule), even when the decision comes later."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _require_status(member, (MemberStatus.PROBATIONARY,),
                    _("%(name)s is not a probationary member (status: %(status)s)."))
    start = member.membership_started_on  # a readmitted member's probation runs from the readmission
    rules = R.rules_on(start)
    official_on = R.official_date(start, rules, considered_on=decided_on)
    if vote is not None and not _vote_passes(vote, rules):
        raise DomainError(
            _("The chi bộ vote does not reach %(threshold)s of the %(due)d official members "
              "(%(for)d in favour): the member cannot be recognised.")
            % {"threshold": f"{rules.vote_threshold.numerator}/{rules.vote_threshold.denominator}",
               "due": vote.due, "for": vote.votes_for},
            field="votes_for",
        )
    note = _("Decided on %(day)s.") % {"day": format_date(decided_on)}
    if vote is not None:
        note += " " + _("Vote: %(for)d of %(due)d in favour, %(present)d present.") % {
            "for": vote.votes_for, "due": vote.due, "present": vote.present}
    return member_record_event(member, kind=E.MADE_OFFICIAL, effective_on=official_on,
                               decision=decision, note=note, actor=actor)


@transaction.atomic
def issue_card(member: Member, *, number: str, issued_on: dt.date, decision: Decision = NO_DECISION,
               actor=None) -> MemberEvent:
    """Cấp thẻ đảng viên: to an official member, an 8-digit number not used by anyone else."""
    number = (number or "").strip()
    if not CARD_NUMBER.match(number):
        raise DomainError(_("A party card number has exactly 8 digits."), field="number")
    taken = Member.objects.filter(card_number=number).exclude(pk=member.pk).first()
    if taken is not None:
        if taken.cell_id not in visible_cell_ids(actor, [taken.cell_id]):  # named only within the scope
            raise DomainError(_("Card number %(number)s is already held by a member outside your scope.")
                              % {"number": number}, field="number")
        raise DomainError(_("Card number %(number)s is already held by %(name)s (%(code)s).")
                          % {"number": number, "name": taken.full_name, "code": taken.code}, field="number")
    return member_record_event(member, kind=E.CARD_ISSUED, effective_on=issued_on, value=number,
                               decision=decision, actor=actor)


def badge_milestone_error(milestones) -> str:
    """Why a badge milestone is refused: the milestones of the rules in force on the award date."""
    return _("Under the rules in force on the award date, badges mark %(m)s years of party age.") % {
        "m": ", ".join(map(str, milestones))}


def badge_due(member: Member, award_date: dt.date, *, seriously_ill: bool = False) -> int | None:
    """The one Party badge milestone due to `member` on the award occasion `award_date` (None: none),
    from the rules in force on that day: the highest milestone the party age (minus the gaps) reaches,
    above every badge already awarded, unless a discipline decision delays it; a seriously ill member
    may receive it early (rules.badge_early_months)."""
    events = getattr(member, "badge_events", None)  # prefetched by lists (todo.badges_due)
    if events is None:
        events = list(member.events.filter(kind__in=BADGE_EVENT_KINDS))
    return badge_due_from_events(events, award_date, member.admitted_on, seriously_ill=seriously_ill)


def badge_due_from_events(events, award_date: dt.date, admitted_on: dt.date, *, awarded: Iterable[int] = (),
                          seriously_ill: bool = False) -> int | None:
    """`badge_due` on a list of events (pure: the import checks its rows with it): any objects with
    kind, effective_on, value, decision_date and pk holding the member's BADGE_EVENT_KINDS events;
    `awarded` adds badges held without an event on file."""
    awarded = [*(int(e.value) for e in events if e.kind == E.BADGE_AWARDED and e.value.isdigit()), *awarded]
    discipline = [(e.value, e.effective_on) for e in events if e.kind == E.DISCIPLINED]
    return R.badge_due_on(award_date, party_age_start_from(events, admitted_on), history.gaps(events),
                          R.rules_on(award_date), awarded=awarded, discipline=discipline, seriously_ill=seriously_ill)


@dataclass(frozen=True)
class PartyAge:
    """Tuổi đảng on a day: whole years, counted from the first admission minus the gaps."""

    years: int
    since: dt.date
    gaps: tuple[R.Gap, ...]
    on: dt.date

    @property
    def gap_periods(self) -> list[dict]:
        return [{"start": start, "end": end} for start, end in self.gaps]


def party_age_start(member: Member, events) -> dt.date:
    """The day the party age counts from (rules.party_age_from, domain-rules §3): the date in the
    first admission decision; without a decision date on file, the first admission (`admitted_on`).
    `events`: the member's events (any list holding its ADMITTED events)."""
    return party_age_start_from(events, member.admitted_on)


def party_age_start_from(events, admitted_on: dt.date) -> dt.date:
    """party_age_start on a list of events (pure), `admitted_on` without an admission decision date."""
    first = min((e for e in events if e.kind == E.ADMITTED), key=lambda e: (e.effective_on, e.pk or 0), default=None)
    return R.party_age_start(first.decision_date if first is not None else None, admitted_on)


def party_age(member: Member, on: dt.date) -> PartyAge:
    """The member's party age on `on` (not after the death, when the member died): from the first
    admission decision (`party_age_start`) minus the periods outside the Party (`history.gaps`: from a
    removal, expulsion or resignation to the readmission; none for a restored membership)."""
    events = list(member.events.filter(kind__in=history.GAP_EVENT_KINDS))
    if member.status == MemberStatus.DIED and member.ended_on:
        on = min(on, member.ended_on)
    gaps = tuple(history.gaps(events))
    start = party_age_start(member, events)
    return PartyAge(R.party_age_years(start, on, gaps), start, gaps, on)


@transaction.atomic
def award_badge(member: Member, *, milestone: int, award_date: dt.date, seriously_ill: bool = False,
                decision: Decision = NO_DECISION, actor=None) -> MemberEvent:
    """Trao Huy hiệu Đảng: the milestone must be the one due on that award occasion (early for a
    seriously ill member, `seriously_ill`)."""
    rules = R.rules_on(award_date)
    if (award_date.month, award_date.day) not in tuple(rules.badge_award_days):
        days = ", ".join(f"{d:02d}/{m:02d}" for m, d in rules.badge_award_days)
        raise DomainError(_("Badges are awarded on %(days)s.") % {"days": days}, field="award_date")
    due = badge_due(member, award_date, seriously_ill=seriously_ill)
    if due != milestone:
        if due is None:
            message = _("No badge is due to %(name)s on %(day)s.")
        else:
            message = _("The badge due to %(name)s on %(day)s is the %(due)d-year badge.")
        raise DomainError(message % {"name": member.full_name, "day": format_date(award_date), "due": due or 0},
                          field="milestone")
    note = _("Early award: seriously ill.") if seriously_ill and badge_due(member, award_date) != milestone else ""
    return member_record_event(member, kind=E.BADGE_AWARDED, effective_on=award_date, value=str(milestone),
                               decision=decision, note=note, actor=actor)



#: The input at fault for each refusal of a discipline.
_DISCIPLINE_FIELDS = {"discipline.protected": "conditions", "discipline.time_barred": "violation_on"}


@transaction.atomic
def discipline(member: Member, *, form: str, decided_on: dt.date, violation_on: dt.date | None = None,
               conditions: Iterable[str] = (), decision: Decision = NO_DECISION, note: str = "",
               actor=None) -> MemberEvent:
    """Kỷ luật: a form allowed for the member's status on that day (a probationary member: reprimand
    or warning only), within the limitation period (its last day included), and not while one of the
    protected `conditions` of the rules holds (pregnancy, caring for a child under 12 months,
    serious illness: `rules.discipline_protected`). Expulsion (khai trừ) ends the membership. The
    decision closes the member's open discipline case opened on or before `decided_on`, if any."""
    rules = R.rules_on(decided_on)
    status = member.status if member.status != MemberStatus.OFFICIAL or not member.exempted else "exempted"
    refusals = R.discipline_check(status, form, rules, on=decided_on, violation_on=violation_on, conditions=conditions)
    R.raise_refusals(refusals, field=_DISCIPLINE_FIELDS.get(refusals[0].code, "form") if refusals else None)
    if form == "expulsion":
        event = member_record_event(member, kind=E.EXPELLED, effective_on=decided_on, decision=decision,
                                    note=note, actor=actor)
    else:
        event = member_record_event(member, kind=E.DISCIPLINED, effective_on=decided_on,
                                    value=form, decision=decision, note=note, actor=actor)
    case = (DisciplineCase.objects.select_for_update()
            .filter(member=member, closed_on__isnull=True, opened_on__lte=decided_on).first())
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


#: Grounds of removal (xóa tên), Điều lệ Điều 8 and QĐ 24/294 pt 8.1 (domain-rules §10).
REMOVAL_GROUNDS = {
    "absent_or_unpaid": _("Absent from meetings or dues unpaid for 3 months in a year without good reason"),
    "card_returned": _("Returned or destroyed the party card voluntarily"),
    "no_progress": _("No progress after 12 months of education by the chi bộ"),
    "two_years_failed": _("Two consecutive years of breaching the standards of a party member"),
    "political_standard": _("Does not meet the political standard"),
    "probation_not_recognised": _("Probationary member not recognised as official"),
}


@transaction.atomic
def exempt(member: Member, *, on: dt.date, ground: str = "age", treatment_months: int = 0,
           medical_record: bool = False, decision: Decision = NO_DECISION, note: str = "", actor=None) -> MemberEvent:
    """Miễn công tác và sinh hoạt đảng. On age grounds (`ground="age"`): men over 60, women over 55,
    in poor health (≥ 3 months of treatment or a medical record), on the member's own request.
    Temporary exemption (tạm miễn) on one of `rules.temporary_exemption_grounds`."""
    rules = R.rules_on(on)
    _require_status(member, (MemberStatus.OFFICIAL,),
                    _("Only an official member can be exempted; %(name)s is %(status)s."))
    if ground == "age":
        R.raise_refusals(R.exemption_check(member.birth_date, member.sex, on, rules, treatment_months=treatment_months,
                                           medical_record=medical_record), field="ground")
    elif ground not in rules.temporary_exemption_grounds:
        raise DomainError(_("Unknown ground of exemption."), field="ground")
    return member_record_event(member, kind=E.EXEMPTED, effective_on=on, value=ground[:64], decision=decision,
                               note=note, actor=actor)


@transaction.atomic
def end_exemption(member: Member, *, on: dt.date, decision: Decision = NO_DECISION, note: str = "",
                  actor=None) -> MemberEvent:
    """Thôi miễn sinh hoạt: the member takes part in activities again."""
    return member_record_event(member, kind=E.EXEMPTION_ENDED, effective_on=on, decision=decision, note=note,
                               actor=actor)


@transaction.atomic
def remove(member: Member, *, on: dt.date, ground: str, vote: Vote | None = None,
           decision: Decision = NO_DECISION, note: str = "", actor=None) -> MemberEvent:
    """Xóa tên on one of REMOVAL_GROUNDS, proposed by the chi bộ (≥ 2/3 vote) and decided by the
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
                               decision=decision, note=note or str(REMOVAL_GROUNDS[ground]), actor=actor)


@transaction.atomic
def resign(member: Member, *, on: dt.date, decision: Decision = NO_DECISION, note: str = "", actor=None) -> MemberEvent:
    """Xin ra khỏi Đảng: considered by the chi bộ, decided by the competent committee."""
    return member_record_event(member, kind=E.RESIGNED, effective_on=on, decision=decision, note=note, actor=actor)


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
                               note=note, actor=actor)


@transaction.atomic
def record_death(member: Member, *, on: dt.date, note: str = "", actor=None) -> MemberEvent:
    """Từ trần, reported by the chi bộ; the family keeps the card and the badge."""
    return member_record_event(member, kind=E.DIED, effective_on=on, note=note, actor=actor)
