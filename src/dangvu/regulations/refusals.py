"""Refusals (từ chối): a rule's answer with a stable code, an English message marked for translation
and the params that fill it; `RuleViolation` raises them as a DomainError."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError


class MonthsSpan(int):
    """A number of months that reads as "17 years 11 months" in the active language."""

    def __str__(self) -> str:
        years, months = divmod(int(self), 12)
        parts = []
        if years or not months:
            parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
        if months:
            parts.append(ngettext("%(n)d month", "%(n)d months", months) % {"n": months})
        return " ".join(parts)


def _display(value: Any) -> Any:
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    return value


_join_labels = lazy(lambda *labels: ", ".join(str(label) for label in labels), str)


@dataclass(frozen=True)
class Refusal:
    """Why the rules refuse something: a stable `code`, a translatable message, its params."""

    code: str
    message: Any  # a gettext_lazy string with %(name)s placeholders
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        """The message in the active language, with dates as dd/mm/yyyy."""
        return str(self.message) % {key: _display(value) for key, value in self.params.items()}

    def __str__(self) -> str:
        return self.text


class RuleViolation(DomainError):
    """An action the rules do not allow. `code`, `refusal` and `refusals` say why."""

    def __init__(self, refusal: Refusal, *, refusals: Sequence[Refusal] = (), field: str | None = None):
        self.refusal = refusal
        self.refusals = tuple(refusals) or (refusal,)
        self.params = refusal.params
        super().__init__(refusal.text, field=field, code=refusal.code)


def raise_refusals(refusals: Sequence[Refusal], *, field: str | None = None) -> None:
    """Raise a RuleViolation for the first refusal (carrying all of them); do nothing if none."""
    if refusals:
        raise RuleViolation(refusals[0], refusals=refusals, field=field)


_MESSAGES: dict[str, Any] = {
    "admission.too_young": _(
        "The applicant is %(age)s old; the minimum is %(minimum)s (counted in months) under %(regulation)s."
    ),
    "admission.too_old": _(
        "The applicant is %(age)s old; above %(maximum)s an admission needs the approval of the "
        "%(approver)s under %(regulation)s."
    ),
    "admission.introducer_count": _(
        "%(required)s introducers are required under %(regulation)s; %(given)s given."
    ),
    "admission.introducer_not_official": _(
        "Introducer %(number)s is not an official member; introducers must be official members under "
        "%(regulation)s."
    ),
    "admission.introducer_short_acquaintance": _(
        "Introducer %(number)s has worked or lived with the applicant for %(months)s months; at least "
        "%(minimum)s months are required under %(regulation)s."
    ),
    "admission.introducer_too_new": _(
        "Introducer %(number)s has been an official member for %(months)s months; at least %(minimum)s "
        "months are required under %(regulation)s."
    ),
    "admission.union_introducer_not_allowed": _(
        "An introduction by the %(union)s is not accepted here: %(reason)s"
    ),
    "admission.document_missing": _("The admission file lacks the %(document)s %(form)s."),
    "admission.certificate_expired": _(
        "The political-awareness course certificate of %(issued)s expired on %(expired)s (valid "
        "%(months)s months under %(regulation)s)."
    ),
    "recognition.before_probation_end": _(
        "Probation ends on %(end)s, %(months)s months after the admission ceremony of %(ceremony)s; "
        "official recognition cannot be considered on %(day)s."
    ),
    "recognition.late_without_reason": _(
        "The chi bộ considers the recognition on %(day)s, after its time limit of %(limit)s (probation ended on "
        "%(end)s): give the reason for the delay."
    ),
    "recognition.decision_late_without_reason": _(
        "The committee decides on %(day)s, after its time limit of %(limit)s (the chi bộ's resolution of %(cell)s): "
        "give the reason for the delay."
    ),
    "readmission.limit_reached": _(
        "A person can be readmitted only %(maximum)s time(s) under %(regulation)s."
    ),
    "readmission.barred": _("A person who %(reason)s cannot be readmitted under %(regulation)s."),
    "readmission.too_soon": _(
        "Readmission is possible %(months)s months after leaving the Party, i.e. from %(earliest)s, "
        "under %(regulation)s."
    ),
    "readmission.too_soon_after_expunged": _(
        "Readmission is possible %(months)s months after the criminal record was expunged, i.e. from "
        "%(earliest)s, under %(regulation)s."
    ),
    "vote.invalid_counts": _(
        "The vote counts do not add up: %(due)s members due, %(excluded)s excluded, %(present)s present, "
        "%(votes_for)s in favour."
    ),
    "discipline.not_a_member": _("Only a party member can be disciplined; the person is %(status)s."),
    "discipline.form_not_allowed": _(
        "%(form)s is not a disciplinary form for a %(status)s under %(regulation)s; allowed: %(allowed)s."
    ),
    "discipline.protected": _("No disciplinary action may be taken while the member is %(condition)s."),
    "discipline.time_barred": _(
        "The limitation period for a violation warranting %(form)s ended on %(expired)s; the sanction "
        "cannot be applied."
    ),
    "discipline.not_decided_by_cell": _(
        "Discipline by %(form)s is decided by the grassroots party committee or a higher committee under "
        "%(regulation)s, not by a chi bộ: an account of that committee records it. A chi bộ decides %(allowed)s."
    ),
    "discipline.decision_missing": _(
        "Discipline by %(form)s is decided by the grassroots party committee or a higher committee: give the "
        "number, the date and the deciding body of its decision."
    ),
    "exemption.too_young": _(
        "Exemption on grounds of age starts at %(minimum)s; the member is %(age)s old."
    ),
    "exemption.health": _(
        "Exemption on grounds of age also needs poor health: at least %(minimum)s months of treatment or "
        "a medical record."
    ),
    "exemption.women_only": _("“%(ground)s” is a ground for women members only."),
    "exemption.not_voluntary": _("Exemption on grounds of age is granted only on the member's own request."),
    "discipline.violation_after_decision": _(
        "The date of the violation (%(violation)s) cannot come after the discipline decision takes effect (%(day)s)."
    ),
    "card.number_format": _("A party card number has exactly %(digits)s digits."),
    "suspension.already_suspended": _(
        "The member has been suspended from party activities since %(since)s; lift that suspension first."
    ),
    "suspension.not_suspended": _("The member is not suspended from party activities on %(day)s."),
    "suspension.lift_not_after_start": _(
        "The suspension can only be lifted after it began (%(since)s)."
    ),
    "suspension.reason_unknown": _("Choose the reason of the suspension: %(allowed)s."),
    "suspension.reason_text_missing": _("Write the reason of the suspension."),
    "suspension.planned_end_not_after_start": _(
        "The planned end (%(end)s) must come after the start of the suspension (%(start)s)."
    ),
    "transfer.too_short": _(
        "A temporary transfer for %(purpose)s lasts at least %(minimum)s months under %(regulation)s."
    ),
    "transfer.too_long": _(
        "%(months)s months is longer than a temporary transfer for %(purpose)s allows under %(regulation)s; "
        "use an official transfer."
    ),
    "transfer.discipline_case_open": _(
        "A discipline case against the member has been open since %(opened)s; under %(regulation)s a member "
        "under inspection or discipline is not transferred until the case is closed."
    ),
    "party_age.invalid_gap": _("A period outside the Party cannot end (%(end)s) before it starts (%(start)s)."),
    "lifecycle.after_death": _("Nothing can follow the death of the member (%(action)s)."),
    "lifecycle.not_a_member": _("%(action)s is not possible: the person is no longer in the Party (%(state)s)."),
    "lifecycle.not_allowed": _("%(action)s is not possible for a person who is %(state)s."),
    "lifecycle.readmitted_too_often": _("A person can be readmitted only %(maximum)s time(s)."),
    "assessment.not_rated_exempted": _(
        "Members exempted from work and party activities are not rated under %(regulation)s."
    ),
    "assessment.not_rated_suspended": _("Members suspended from party activities are not rated under %(regulation)s."),
    "assessment.not_rated_recent": _(
        "The member was admitted on %(admitted)s, less than %(months)s months before: reviewed but not rated under "
        "%(regulation)s."
    ),
    "assessment.points_too_low": _(
        "%(points)s points reach “%(reached)s” at most; “%(level)s” needs more under %(regulation)s."
    ),
    "assessment.disciplined": _(
        "Disciplined in the year: not above “%(level)s” under %(regulation)s, unless the fault was found and fixed "
        "by itself (give the reason)."
    ),
    "assessment.units_disciplined": _(
        "%(disciplined)s of %(total)s subordinate units were disciplined, more than %(share)s: the organization is "
        "rated “Did not complete tasks” under %(regulation)s."
    ),
    "assessment.targets": _(
        "Less than %(share)s of the targets were met: the organization is rated “Did not complete tasks” under "
        "%(regulation)s."
    ),
    "assessment.excellent_unit_disciplined": _(
        "An organization with a subordinate unit disciplined cannot be rated “Completed tasks excellently” under "
        "%(regulation)s."
    ),
    "assessment.excellent_over_cap": _(
        "%(excellent)s rated “Completed tasks excellently” in %(org)s (%(group)s), more than %(ratio)s of the "
        "%(base)s rated “Completed tasks well”%(or_better)s under %(regulation)s: %(limit)s"
    ),
    "assessment.proposal_without_majority": _(
        "%(votes_for)s in favour of the %(due)s members due to vote: a proposal of the party cell needs more than "
        "%(share)s of them, at least %(needed)s (%(source)s)."
    ),
    "rules.override_not_allowed": _(
        "The setting %(setting)s cannot be overridden: it comes from the text of the Statute or of "
        "%(regulation)s."
    ),
    "rules.override_invalid": _("The value given for the setting %(setting)s is not valid: %(value)s."),
    "rules.unknown_deadline": _("There is no time limit called %(key)s."),
    "rules.outside_calendar": _(
        "Time limits in working days are counted only from %(first)s to %(last)s: %(day)s is outside."
    ),
}


def _refusal(code: str, **params: Any) -> Refusal:
    return Refusal(code, _MESSAGES[code], MappingProxyType(params))


def _violation(code: str, *, field: str | None = None, **params: Any) -> RuleViolation:
    return RuleViolation(_refusal(code, **params), field=field)


