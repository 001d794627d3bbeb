"""Abstract model bases shared by the domain apps (no tables of their own).

- `DecisionFields`: the decision (quyết định) behind a record — number, date, issuing body, each
  optional (`organizations.services.Decision` is the value passed to the services).
- `Recorded`: who recorded the row and when; the audit log keeps the rest.
- `Event`: a dated fact that happened (a member event, an organization event, a step of an
  admission), with its decision and who recorded it. Events are the truth: never updated nor
  deleted, a correction is a new event. The payload convention: what is filtered or joined on is a
  typed column of the concrete model; anything else the event carries is in `payload`, one JSON
  object (never null; ``{}`` when there is nothing), keys in English snake_case, dates as ISO
  strings (yyyy-mm-dd), another row named by its id under ``<name>_id`` beside its readable code.
  (`MemberEvent` carries its one detail, the badge years, discipline form or card number, in its
  typed `value` column, which the replay and the reports read at scale.)
- `Period`: an effective-dated row valid over the half-open interval [valid_from, valid_to); a NULL
  `valid_to` is open (still valid). `Model.objects.active_on(day)` (or `active_on_q(day, prefix)`
  through a relation) is the one way to ask "valid on that day". Raw report SQL writes the same
  condition with `organizations.selectors.valid_on_sql`.
- `Versioned`: a record edited in place (a member's profile, an organization's details) carries
  the version of its editable data; `claim_version` moves it on, atomically, for the service
  that writes those fields, and refuses a write made over a version that has moved on (ADR 0008).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .dates import format_date
from .errors import EditConflict


class DecisionFields(models.Model):
    """The decision behind a record: number, date and issuing body (all optional)."""

    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=255, blank=True)

    class Meta:
        abstract = True


class Recorded(models.Model):
    """Who recorded the row (None: the system or an import without a user) and when."""

    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class Versioned(models.Model):
    """The version (phiên bản) of the record's editable data: 1 when created, one more at each
    correction of those fields by their service (`claim_version`). Dated events do not move it."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def claim_version(record: Versioned, expected: int | None) -> None:
    """Move `record`'s version on by one if it is still `expected` (whatever it is when None), in
    one conditional UPDATE, so that two writers over the same version cannot both pass on either
    database; else raise `EditConflict` carrying the record as it is now. Call it inside the
    transaction that then writes the fields: the row stays locked until that transaction ends."""
    manager = type(record)._default_manager
    rows = manager.filter(pk=record.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(version=F("version") + 1):
        raise EditConflict(manager.get(pk=record.pk))
    record.version = (expected + 1 if expected is not None
                      else manager.filter(pk=record.pk).values_list("version", flat=True).get())


class Event(DecisionFields, Recorded):
    """A dated fact with its decision, its details (`payload`, see the module's convention), a note,
    and who recorded it. The concrete model adds what it is about, its kind and its date."""

    payload = models.JSONField(_("details"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True


def active_on_q(day: dt.date, prefix: str = "") -> Q:
    """The condition "valid on `day`" of a `Period`, through `prefix` ("periods__") when given."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


class PeriodQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> PeriodQuerySet:
        """The rows valid on `day`: valid_from <= day < valid_to (an open valid_to never ends)."""
        return self.filter(active_on_q(day))


class Period(models.Model):
    """Valid over [valid_from, valid_to); `valid_to` NULL = still valid."""

    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{format_date(self.valid_from)} – {format_date(self.valid_to)}".rstrip()
