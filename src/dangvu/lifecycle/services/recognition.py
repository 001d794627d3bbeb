"""Công nhận đảng viên chính thức and the party card (thẻ đảng viên): the end of probation, the vote,
the card number."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import check_past, format_date
from dangvu.core.errors import DomainError
from dangvu.members.identity import visible_cell_ids
from dangvu.members.models import Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import check_card_number, member_record_event
from dangvu.organizations.services import NO_DECISION, Decision, Vote

from .checks import _require_status, _vote_passes


@transaction.atomic
def recognize_official(member: Member, *, decided_on: dt.date, vote: Vote | None = None,
                       committee_voted_on: dt.date | None = None, committee_vote: Vote | None = None,
                       decision: Decision = NO_DECISION, late_reason: str = "", actor=None) -> MemberEvent:
    """Công nhận đảng viên chính thức: the chi bộ vote and the decision, considered once the probation
    of the rules (`probation_months`) is over (from the ceremony of the current membership: the readmission, if any);
    the official date is the day probation ends (rule), even when the decision comes later. Considered after the
    chi bộ's time limit (`R.recognition_deadline`), or decided by the committee (`decision.date`) after its own
    (`R.recognition_decision_late_check`), it needs `late_reason`, kept in the event's note (its history); in
    time, no reason is kept. The đảng ủy cơ sở's vote (`committee_voted_on`, `committee_vote`:
    its members due and in favour), where there is one, comes on or after the chi bộ's and reaches
    `committee_vote_threshold`; it is kept in the note too. The decision, when dated, comes on or after the
    last of these votes."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _require_status(member, (MemberStatus.PROBATIONARY,),
                    _("%(name)s is not a probationary member (status: %(status)s)."))
    check_past(decided_on, field="decided_on")  # considered on a day that has come (the event is dated earlier)
    start = member.membership_started_on  # a readmitted member's probation runs from the readmission
    rules = R.rules_on(start)
    official_on = R.official_date(start, rules, considered_on=decided_on)
    R.raise_refusals(R.recognition_late_check(start, decided_on, rules, late_reason=late_reason), field="late_reason")
    R.raise_refusals(R.recognition_decision_late_check(decided_on, decision.date, rules, late_reason=late_reason),
                     field="late_reason")
    if vote is not None and vote.excluded and not _vote_passes(vote, rules):
        raise DomainError(
            _("The chi bộ vote does not reach %(threshold)s of the %(counted)d official members counted (%(due)d, "
              "less %(excluded)d exempted or suspended; %(for)d in favour): the member cannot be recognised.")
            % {"threshold": f"{rules.vote_threshold.numerator}/{rules.vote_threshold.denominator}",
               "counted": vote.due - vote.excluded, "due": vote.due, "excluded": vote.excluded, "for": vote.votes_for},
            field="votes_for",
        )
    if vote is not None and not _vote_passes(vote, rules):
        raise DomainError(
            _("The chi bộ vote does not reach %(threshold)s of the %(due)d official members "
              "(%(for)d in favour): the member cannot be recognised.")
            % {"threshold": f"{rules.vote_threshold.numerator}/{rules.vote_threshold.denominator}",
               "due": vote.due, "for": vote.votes_for},
            field="votes_for",
        )
    _check_committee_vote(committee_voted_on, committee_vote, decided_on, rules)
    voted_on = committee_voted_on or decided_on  # the decision follows the last vote
    if decision.date is not None and decision.date < voted_on:
        raise DomainError(_("The decision date (%(decision)s) cannot come before the vote (%(day)s).")
                          % {"decision": format_date(decision.date), "day": format_date(voted_on)},
                          field="decision_date", code="recognition.decision_before_vote")
    note = _("The chi bộ considered it on %(day)s.") % {"day": format_date(decided_on)}
    if vote is not None:
        note += " " + _("Vote: %(for)d of %(due)d in favour, %(present)d present.") % {
            "for": vote.votes_for, "due": vote.due, "present": vote.present}
    if committee_vote is not None:
        note += " " + _("Grassroots committee vote on %(day)s: %(for)d of %(due)d members in favour.") % {
            "day": format_date(committee_voted_on), "for": committee_vote.votes_for, "due": committee_vote.due}
    limit = R.recognition_deadline(start, rules)
    if decided_on > limit:
        note += " " + _("Considered after the time limit of %(limit)s: %(reason)s") % {
            "limit": format_date(limit), "reason": " ".join(late_reason.split())}
    decision_limit = R.deadline(decided_on, "recognition_decision", rules)
    if decision.date is not None and decision.date > decision_limit:
        note += " " + _("Decided by the committee on %(day)s, after the time limit of %(limit)s: %(reason)s") % {
            "day": format_date(decision.date), "limit": format_date(decision_limit),
            "reason": " ".join(late_reason.split())}
    return member_record_event(member, kind=E.MADE_OFFICIAL, effective_on=official_on,
                               decision=decision, note=note, actor=actor, field="decided_on")


def _check_committee_vote(on: dt.date | None, vote: Vote | None, cell_decided_on: dt.date, rules: R.RuleSet) -> None:
    """The đảng ủy cơ sở's vote on a recognition: both its day and its counts, or neither (a chi bộ cơ sở has
    no đảng ủy cơ sở); on or after the chi bộ's, not in the future; at least `committee_vote_threshold` of its
    members in favour."""
    if on is None and vote is None:
        return
    if on is None:
        raise DomainError(_("Give the day of the grassroots committee's vote."), field="committee_voted_on",
                          code="recognition.committee_vote_incomplete")
    if vote is None:
        raise DomainError(_("Give the members of the grassroots committee and those in favour."),
                          field="committee_votes_for", code="recognition.committee_vote_incomplete")
    check_past(on, field="committee_voted_on")
    if on < cell_decided_on:
        raise DomainError(_("The grassroots committee votes after the chi bộ (%(day)s).")
                          % {"day": format_date(cell_decided_on)}, field="committee_voted_on",
                          code="recognition.committee_vote_before_cell")
    try:
        passes = R.vote_passes(vote.due, vote.present, vote.votes_for, rules, committee=True)
    except R.RuleViolation as exc:
        exc.field = "committee_votes_for"
        raise
    if not passes:
        threshold = rules.committee_vote_threshold
        raise DomainError(
            _("%(for)d of the %(due)d members of the grassroots committee voted in favour: below the %(threshold)s "
              "required by %(regulation)s; the member cannot be recognised.")
            % {"for": vote.votes_for, "due": vote.due, "threshold": f"{threshold.numerator}/{threshold.denominator}",
               "regulation": rules.code},
            field="committee_votes_for", code="recognition.committee_vote_below")


@transaction.atomic
def issue_card(member: Member, *, number: str, issued_on: dt.date, decision: Decision = NO_DECISION,
               actor=None) -> MemberEvent:
    """Cấp thẻ đảng viên: to an official member, an 8-digit number not used by anyone else."""
    number = check_card_number(number, field="number")
    if not number:
        raise DomainError(_("The card number is required."), field="number")
    # every status: the number is found through the (status, card_number) index (models.Member)
    taken = Member.objects.filter(status__in=MemberStatus.values, card_number=number).exclude(pk=member.pk).first()
    if taken is not None:
        if taken.cell_id not in visible_cell_ids(actor, [taken.cell_id]):  # named only within the scope
            raise DomainError(_("Card number %(number)s is already held by a member outside your scope.")
                              % {"number": number}, field="number")
        raise DomainError(_("Card number %(number)s is already held by %(name)s (%(code)s).")
                          % {"number": number, "name": taken.full_name, "code": taken.code}, field="number")
    return member_record_event(member, kind=E.CARD_ISSUED, effective_on=issued_on, value=number,
                               decision=decision, actor=actor, field="issued_on")
