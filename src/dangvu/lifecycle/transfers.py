"""Transfers of party activities (chuyển sinh hoạt đảng): official and temporary, between chi bộ of
this database, out of it and back in, and their receipt — checked against the rules in force on the day.

The introduction letter of an official transfer is the document of its member event
(`documents.transfer_letter`); the member is in transit until the receiving side confirms.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.accounts.selectors import organizations_visible_to, scope_q
from dangvu.core.audit import acting_user
from dangvu.core.dates import check_past, format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import check_cell, member_record_event
from dangvu.organizations.models import Organization
from dangvu.organizations.services import NO_DECISION, Decision

from .models import Transfer, TransferKind
from .services import open_case


@transaction.atomic
def transfer_issue(member: Member, *, kind: str, issued_on: dt.date, to_cell: Organization | None = None,
                   destination: str = "", letter_number: str = "", purpose: str = "work", months: int = 0,
                   decision: Decision = NO_DECISION, note: str = "", actor=None) -> Transfer:
    """Issue the introduction letter. Official: into a chi bộ of this database that exists that day
    (`to_cell`) or out of it (`destination`), recorded as the member's event on `issued_on`.
    Temporary: `months` within the limits of the rules for `purpose` ("work" or "training"); the
    member stays counted at home. Refused while a discipline case against the member is open on
    `issued_on`."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    check_past(issued_on, field="issued_on")  # a letter not yet issued changes nothing today (nor reaches the calendar)
    if member.status not in ACTIVE_STATUSES:
        raise DomainError(_("%(name)s is not an active party member.") % {"name": member.full_name}, field="kind")
    if kind not in TransferKind.values:
        raise DomainError(_("Choose official or temporary."), field="kind")
    destination = " ".join((destination or "").split())
    if to_cell is None and not destination:
        raise DomainError(_("Give the destination: the receiving chi bộ (in this system) or the receiving "
                            "organization outside this system."), field="to_cell")
    if to_cell is not None and destination:
        raise DomainError(_("Give only one: the receiving chi bộ (in this system) or the receiving organization "
                            "outside this system."), field="to_cell")
    if to_cell is not None:
        check_cell(to_cell, issued_on, field="to_cell")  # a dissolved chi bộ, or not a chi bộ: refused
        if to_cell.pk == member.cell_id:
            raise DomainError(_("The member already belongs to %(cell)s.") % {"cell": to_cell.name}, field="to_cell")
    if Transfer.objects.filter(member=member, received_on__isnull=True, kind=TransferKind.OFFICIAL).exists():
        raise DomainError(_("%(name)s is already in transit; record the receipt first.") % {"name": member.full_name},
                          field="kind")
    rules = R.rules_on(issued_on)
    case = open_case(member, issued_on)
    R.raise_refusals(R.transfer_discipline_check(case and case.opened_on, rules))
    until = None
    if kind == TransferKind.TEMPORARY:
        R.raise_refusals(R.temporary_transfer_check(months, purpose, rules), field="months")
        until = R.add_months(issued_on, months)
    transfer = Transfer(member=member, kind=kind, from_cell_id=member.cell_id, to_cell=to_cell,
                        destination=destination, issued_on=issued_on, letter_number=(letter_number or "").strip(),
                        report_by=R.deadline(issued_on, "transfer_report", rules),
                        purpose=purpose if kind == TransferKind.TEMPORARY else "", until=until, note=note,
                        recorded_by=acting_user(actor))
    if kind == TransferKind.OFFICIAL:
        decision = decision if decision.number else Decision(number=transfer.letter_number, date=issued_on,
                                                              issued_by=decision.issued_by)
        transfer.event = member_record_event(
            member, kind=E.MOVED if to_cell is not None else E.TRANSFERRED_OUT, effective_on=issued_on,
            cell=to_cell, decision=decision, note=destination or note, actor=actor, field="issued_on")
    transfer.save()
    return transfer


@transaction.atomic
def transfer_in(member: Member, *, on: dt.date, to_cell: Organization | None, decision: Decision = NO_DECISION,
                note: str = "", actor=None) -> MemberEvent:
    """Chuyển sinh hoạt đến: a member whose record is here but who was transferred out of this
    database comes back into one of its chi bộ (members new to the database are registered)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.TRANSFERRED_OUT:
        raise DomainError(_("Only a member transferred out of this database can be transferred back in; %(name)s is "
                            "%(status)s.") % {"name": member.full_name, "status": member.get_status_display()},
                          field="to_cell")
    check_cell(to_cell, on, field="to_cell")
    return member_record_event(member, kind=E.TRANSFERRED_IN, effective_on=on, cell=to_cell, decision=decision,
                               note=note, actor=actor, field="on")


@transaction.atomic
def transfer_receive(transfer: Transfer, *, received_on: dt.date, actor=None) -> Transfer:
    """The receiving side confirms (tiếp nhận): the member is no longer in transit."""
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.received_on is not None:
        raise DomainError(_("The receipt was recorded on %(day)s.") % {"day": format_date(transfer.received_on)},
                          field="received_on")
    check_past(received_on, field="received_on")
    if received_on < transfer.issued_on:
        raise DomainError(_("The receipt cannot come before the letter (%(day)s).")
                          % {"day": format_date(transfer.issued_on)}, field="received_on")
    transfer.received_on = received_on
    transfer.save()
    return transfer


def receiving_side(transfer: Transfer) -> Organization:
    """The organization whose staff record the receipt: the receiving chi bộ when it is in this database;
    for a transfer out of it, the sending one (the receiving side's confirmation comes back to it)."""
    return transfer.to_cell if transfer.to_cell_id else transfer.from_cell


def not_receiving_side(transfer: Transfer) -> str:
    """Why a user outside the receiving side may not record the receipt."""
    return _("Only the staff of %(org)s record this receipt.") % {"org": receiving_side(transfer).name}


def _receiving_side_q(user) -> Q:
    """Transfers whose receiving side (`receiving_side`) is in the user's scope."""
    return ((Q(to_cell__isnull=False) & scope_q(user, "to_cell__"))
            | (Q(to_cell__isnull=True) & scope_q(user, "from_cell__")))


def transfers_visible_to(user) -> QuerySet[Transfer]:
    """Transfers from or to a chi bộ of the user's scope."""
    return Transfer.objects.filter(scope_q(user, "from_cell__") | scope_q(user, "to_cell__"))


def transfer_letters_visible_to(user) -> QuerySet[MemberEvent]:
    """The events of the members in the user's scope and those of the transfers from or to a chi bộ of it: the
    sending chi bộ keeps the introduction letter it issued once the member has left its scope (in transit to
    another chi bộ)."""
    return MemberEvent.objects.filter(Q(member__cell__in=organizations_visible_to(user))
                                      | Q(transfer__in=transfers_visible_to(user)))


def transfers_in_transit(user, today: dt.date) -> QuerySet[Transfer]:
    """Official transfers not yet received, and temporary ones not yet started, across the scope;
    an official transfer out of the database only while the member is still transferred out (not once
    transferred back in); the oldest reporting deadline first; `receivable`: whether the receiving side is
    in the user's scope;
    `member_visible`: whether the member's page is (not for the sender once the member is in transit to
    another chi bộ)."""
    return (transfers_visible_to(user).filter(received_on__isnull=True)
            .annotate(receivable=ExpressionWrapper(_receiving_side_q(user), output_field=BooleanField()),
                      member_visible=ExpressionWrapper(Q(pk__isnull=False) & scope_q(user, "member__cell__"),
                                                       output_field=BooleanField()))
            .filter(Q(kind=TransferKind.OFFICIAL) | Q(until__gte=today))
            # out of the database: in transit while the member is still out (not once back in, or dead)
            .exclude(kind=TransferKind.OFFICIAL, to_cell__isnull=True,
                     member__status__in=[s for s in MemberStatus.values if s != MemberStatus.TRANSFERRED_OUT])
            .select_related("member", "from_cell", "to_cell").order_by("report_by", "id"))
