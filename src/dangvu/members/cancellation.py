"""Cancelling a member's event recorded by mistake (hủy sự kiện nhập sai).

A mistaken event (a wrong date, the wrong member, a discipline entered twice) is never deleted nor
overwritten: it is marked cancelled — who, when and why — and stays in the member's history; the
member's periods and current standing are replayed without it (`services.rebuild`: its replay reads
`MemberEvent.objects`, which leaves cancelled events out), and so is every report.

Refused, nothing written:
- when the history without the event does not hold under the rules (the same replay, `history.replay`):
  an event a later one depends on;
- an admission: the first one, as the whole record stands on it; a readmission (kết nạp lại), as the
  ceremony of the admission file (`admission`) that readmitted the member stands on it;
- when the member would never have been placed in a cell of this database without it;
- when another record was made with the event (a transfer letter, the discipline case it decided):
  cancelling the event alone would leave that record standing on a cancelled event.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.audit import acting_user
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization

from . import history
from .models import Member, MemberEvent
from .models import MemberEventKind as E
from .services import rebuild, refuse_placed_after_cell_ends


def _linked_records(event_ids) -> dict[int, str]:
    """{event id: the kind of record made with it} for those of `event_ids` another record refers to (the
    lifecycle's transfers and discipline cases, found by their relations to the event: this app does not
    import theirs)."""
    linked: dict[int, str] = {}
    for rel in MemberEvent._meta.related_objects:
        rows = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": event_ids})
        for pk in rows.values_list(rel.field.attname, flat=True):
            linked.setdefault(pk, str(rel.related_model._meta.verbose_name))
    return linked


def _history_without(event: MemberEvent, events: list[MemberEvent], linked: dict[int, str]) -> list[history.Period]:
    """The member's periods replayed without `event` (`events`: the member's events in force), or
    DomainError when `event` may not be cancelled."""
    if event.cancelled_at is not None:
        raise DomainError(_("This event has already been cancelled."), code="cancel.already_cancelled")
    if event.pk in linked:
        raise DomainError(_("This event cannot be cancelled alone: a %(record)s was recorded with it.")
                          % {"record": linked[event.pk]}, code="cancel.linked_record")
    if event.kind == E.ADMITTED:
        first = next(e for e in history.sort_events(events) if e.kind == E.ADMITTED)
        if first.pk == event.pk:
            raise DomainError(_("The member's first admission cannot be cancelled: the whole record stands on it."),
                              code="cancel.first_admission")
        raise DomainError(_("A readmission cannot be cancelled: it is the ceremony of an admission file, which "
                            "stands on it."), code="cancel.readmission")
    try:
        periods, state = history.replay([e for e in events if e.pk != event.pk])
    except DomainError as exc:
        raise DomainError(_("Without this event the member's history would break a rule: %(reason)s")
                          % {"reason": exc.message}, code="cancel.history_invalid") from None
    if state.last_cell_id is None:
        raise DomainError(_("Without this event the member would never have been placed in a party cell of this "
                            "database."), code="cancel.never_placed")
    return periods


def cancellable(events, among=None) -> set[int]:
    """The ids of `events` (a member's history, cancelled ones included) that may be cancelled now;
    only those of `among` (default: all) are tried (each try replays the history)."""
    events = list(events)
    in_force = [e for e in events if e.cancelled_at is None]
    tried = in_force if among is None else [e for e in in_force if e.pk in {a.pk for a in among}]
    if not tried:
        return set()
    linked = _linked_records([e.pk for e in tried])
    ids = set()
    for event in tried:
        try:
            _history_without(event, in_force, linked)
        except DomainError:
            continue
        ids.add(event.pk)
    return ids


@transaction.atomic
def cancel_event(event: MemberEvent, *, reason: str, actor=None) -> MemberEvent:
    """Cancel `event` as recorded by mistake, for `reason` (required): kept, marked cancelled by `actor`
    now, and the member's periods and standing rebuilt without it. DomainError (nothing written) when
    it may not be cancelled (see the module). Who may is the caller's to check (the permission that
    records such an event)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the cancellation."), field="reason", code="cancel.reason_required")
    member = Member.objects.select_for_update().get(pk=event.member_id)
    event = MemberEvent.with_cancelled.get(pk=event.pk)  # as stored now: another user may have cancelled it
    events = list(member.events.all())
    periods = _history_without(event, events, _linked_records([event.pk]))
    try:
        for cell in Organization.objects.filter(pk__in={p.cell_id for p in periods}, dissolved_on__isnull=False):
            refuse_placed_after_cell_ends(periods, cell)
    except DomainError as exc:
        exc.field = None  # no cell is chosen here: the refusal is the form's
        raise
    event.cancelled_at, event.cancelled_by, event.cancel_reason = timezone.now(), acting_user(actor), reason
    event.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
    rebuild(member)
    return event
