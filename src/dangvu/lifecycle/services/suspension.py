"""Suspension of party activities (đình chỉ sinh hoạt đảng) during an investigation or a prosecution, and
its lifting (domain-rules §9.3): member events, like an exemption, so that the member's periods carry it
(`MemberPeriod.suspended`) and every "as of" reading sees it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import check_day
from dangvu.core.errors import DomainError
from dangvu.members.models import Member, MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.services import NO_DECISION, Decision

#: The input at fault for each refusal of the terms of a suspension.
_TERMS_FIELDS = {"suspension.reason_unknown": "reason", "suspension.reason_text_missing": "note",
                 "suspension.planned_end_not_after_start": "planned_end"}


def _record(member: Member, **kwargs) -> MemberEvent:
    """The event recorded through the member's replay; a refusal of the history (not a member that day,
    suspended already or not suspended) names the day as the input at fault."""
    try:
        return member_record_event(member, **kwargs)
    except DomainError as exc:
        if exc.field in ("kind", "effective_on"):
            exc.field = "on"
        raise


@transaction.atomic
def suspend(member: Member, *, on: dt.date, reason: str, note: str = "", planned_end: dt.date | None = None,
            decision: Decision = NO_DECISION, actor=None) -> MemberEvent:
    """Đình chỉ sinh hoạt đảng from `on`, for `reason` (`R.SUSPENSION_REASON_LABELS`: an investigation, a
    prosecution, or another reason written out in the event's `note`), with the decision
    and an optional `planned_end` (it informs; the suspension lasts until lifted). The member is in the
    Party and not suspended on `on` (checked against the whole history: `R.suspension_check`)."""
    if on is None:
        raise DomainError(_("The effective date is required."), field="on")
    check_day(on, field="on")
    check_day(planned_end, field="planned_end")
    refusals = R.suspension_terms_check(on, reason, note, planned_end)
    R.raise_refusals(refusals, field=_TERMS_FIELDS.get(refusals[0].code) if refusals else None)
    return _record(member, kind=E.SUSPENDED, effective_on=on, value=reason, note=(note or "").strip(),
                   planned_end=planned_end, decision=decision, actor=actor)


@transaction.atomic
def lift_suspension(member: Member, *, on: dt.date, decision: Decision = NO_DECISION, note: str = "",
                    actor=None) -> MemberEvent:
    """The suspension of party activities lifted on `on` (after the day it began): the member takes part
    in activities again."""
    if on is None:
        raise DomainError(_("The effective date is required."), field="on")
    check_day(on, field="on")
    return _record(member, kind=E.SUSPENSION_LIFTED, effective_on=on, decision=decision, note=note, actor=actor)
