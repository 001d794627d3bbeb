"""Forms of the member lifecycle actions: parse input only; the rules live in `services`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.forms import (
    CellChoiceField,
    DMYDateField,
    DomainErrorFormMixin,
    _text,
)
from dangvu.organizations.forms import OrganizationPicker
from dangvu.organizations.models import CELL_KINDS, Organization
from dangvu.organizations.selectors import organization_tree
from dangvu.organizations.services import NO_DECISION, Decision, Vote

from .models import TransferKind
from .selectors import transfer_destination, unknown_destination
from .services import removal_ground_labels


def _rules_today() -> R.RuleSet:
    """The rules in force today: what a form shows before the day of the action is known (the service checks
    the action against the rules of its own day)."""
    return R.rules_on(timezone.localdate())


def _labels(labels, keys) -> str:
    return ", ".join(str(labels.get(k, k)) for k in keys)


def _discipline_form_help() -> str:
    """The forms a probationary member may be given and those a chi bộ decides under the rules in force, from
    the rules."""
    rules = _rules_today()
    return gettext("A probationary member: %(forms)s only. A chi bộ decides %(cell_forms)s; the other forms are "
                   "decided by the grassroots party committee or higher, with their decision. Expulsion ends the "
                   "membership.") % {
        "forms": _labels(R.DISCIPLINE_FORM_LABELS, rules.discipline_forms.get("probationary", ())),
        "cell_forms": _labels(R.DISCIPLINE_FORM_LABELS, rules.discipline_cell_forms)}


def _protected_help() -> str:
    """The conditions that protect from discipline under the rules in force, from the rules."""
    return gettext("A member in one of these conditions is not disciplined while it lasts: %(conditions)s.") % {
        "conditions": _labels(R.PROTECTED_CONDITION_LABELS, _rules_today().discipline_protected)}


class _DecisionMixin(forms.Form):
    decision_number = _text(_("Decision number"), max_length=64)
    decision_date = DMYDateField(label=_("Decision date"), required=False)
    issued_by = _text(_("Issued by"))

    def decision(self) -> Decision:
        d = self.cleaned_data
        return Decision(number=d.get("decision_number", ""), date=d.get("decision_date"), issued_by=d.get("issued_by", ""))


#: The help of the reason for a late recognition (the form and the API).
LATE_REASON_HELP = _("Required when the chi bộ considers the recognition after its time limit after probation ends, "
                     "or the committee decides it after its own (see Party rules); kept in the member's history.")


COMMITTEE_VOTE_HELP = _("Where the chi bộ is under a grassroots party committee: the day of its vote, on or after "
                        "the chi bộ's.")


def committee_vote(due: int | None, votes_for: int | None) -> Vote | None:
    """The grassroots committee's vote of a recognition from its two counts (the form and the API); None when
    neither is given, refused when one is missing."""
    if due is None and votes_for is None:
        return None
    if due is None or votes_for is None:
        raise DomainError(gettext("Give the members of the grassroots committee and those in favour."),
                          field="committee_due" if due is None else "committee_votes_for",
                          code="recognition.committee_vote_incomplete")
    return Vote(due, due, votes_for)


class RecognitionForm(DomainErrorFormMixin, _DecisionMixin):
    today_field = "decided_on"  # the day the form starts from (`member_action`)
    decided_on = DMYDateField(label=_("Considered on"),
                              help_text=_("Not before the probation of the rules ends; the official date is the day it ends."))
    due = forms.IntegerField(label=_("Official members of the cell"), min_value=0)
    excluded = forms.IntegerField(label=_("Of whom exempted or suspended from activities"), min_value=0,
                                  required=False, help_text=_("Left out of the count."))
    present = forms.IntegerField(label=_("Present"), min_value=0)
    votes_for = forms.IntegerField(label=_("In favour"), min_value=0,
                                   help_text=_("At least the share of the cell's official members the rules require."))
    late_reason = forms.CharField(label=_("Reason for the delay"), required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 2}), help_text=LATE_REASON_HELP)

    committee_voted_on = DMYDateField(label=_("Voted on"), required=False, help_text=COMMITTEE_VOTE_HELP)
    committee_due = forms.IntegerField(label=_("Members of the committee"), min_value=0, required=False)
    committee_votes_for = forms.IntegerField(label=_("In favour"), min_value=0, required=False)

    sections = [(_("Chi bộ vote"), ["decided_on", "due", "excluded", "present", "votes_for", "late_reason"]),
                (_("Grassroots committee vote"), ["committee_voted_on", "committee_due", "committee_votes_for"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def __init__(self, *args, committee_vote: bool = True, late_after: tuple[dt.date, dt.date] | None = None,
                 **kwargs):
        """`committee_vote`: whether a đảng ủy cơ sở votes after the chi bộ (not after a chi bộ cơ sở);
        `late_after`: (the end of probation, the chi bộ's time limit) when that limit has passed, said at the
        reason's field before any refusal."""
        super().__init__(*args, **kwargs)
        if late_after is not None:
            self.fields["late_reason"].help_text = gettext(
                "The chi bộ's time limit was %(limit)s (probation ended on %(end)s): a later consideration needs the "
                "reason for the delay, kept in the member's history.") % {
                "limit": format_date(late_after[1]), "end": format_date(late_after[0])}
        if not committee_vote:
            del self.fields["committee_voted_on"], self.fields["committee_due"], self.fields["committee_votes_for"]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        vote = Vote(d["due"], d["present"], d["votes_for"], d.get("excluded") or 0)
        return {"decided_on": d["decided_on"], "vote": vote, "decision": self.decision(),
                "late_reason": d.get("late_reason", ""), "committee_voted_on": d.get("committee_voted_on"),
                "committee_vote": committee_vote(d.get("committee_due"), d.get("committee_votes_for"))}


#: The help of a card number input (the form and the API): its digits, from the rules.
CARD_DIGITS = format_lazy(_("{digits} digits."), digits=R.CARD_NUMBER_DIGITS)


class CardForm(DomainErrorFormMixin, _DecisionMixin):
    today_field = "issued_on"  # the day the form starts from (`member_action`)
    number = forms.CharField(label=_("Card number"), max_length=R.CARD_NUMBER_DIGITS, help_text=CARD_DIGITS,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    issued_on = DMYDateField(label=_("Issued on"))

    sections = [(_("Party card"), ["number", "issued_on"]), (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"number": d["number"], "issued_on": d["issued_on"], "decision": self.decision()}


class BadgeForm(DomainErrorFormMixin, _DecisionMixin):
    milestone = forms.TypedChoiceField(label=_("Badge"), coerce=int, choices=lambda: [  # in the user's language
        (y, _("%(n)d years") % {"n": y}) for y in R.rules_on(timezone.localdate()).badge_milestones])
    award_date = DMYDateField(label=_("Award date"), help_text=_("An award occasion of the rules in force on that day."))
    seriously_ill = forms.BooleanField(label=_("Seriously ill (early award)"), required=False)

    sections = [(_("Party badge"), ["milestone", "award_date", "seriously_ill"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"milestone": d["milestone"], "award_date": d["award_date"], "seriously_ill": d["seriously_ill"],
                "decision": self.decision()}


def _transfer_destinations():
    """The organizations of the database still in existence, as a tree where only chi bộ are chosen."""
    return organization_tree(Organization.objects.filter(dissolved_on__isnull=True), pick=set(CELL_KINDS))


class TransferForm(DomainErrorFormMixin, _DecisionMixin):
    """Chuyển sinh hoạt: the receiving chi bộ is found by its name (any chi bộ of this system), or the
    receiving organization outside the system is written out; the purpose and length only for a
    temporary transfer (shown only then; ignored for an official one); the decision only for an official
    one (kept with its event; a temporary transfer records none)."""
    today_field = "issued_on"  # the day the form starts from (`member_action`)

    kind = forms.ChoiceField(label=_("Type of transfer"), choices=TransferKind.choices, initial=TransferKind.OFFICIAL)
    issued_on = DMYDateField(label=_("Letter issued on"))
    letter_number = _text(_("Letter number"), max_length=64)
    to_cell = forms.CharField(
        label=_("Receiving chi bộ (in this system)"), max_length=32, required=False,
        help_text=_("Type part of its name to find it."), widget=OrganizationPicker(_transfer_destinations))
    destination = forms.CharField(
        label=_("Receiving organization outside this system"), max_length=255, required=False,
        help_text=_("Only when the receiving party organization does not use this system: its full name."))
    purpose = forms.ChoiceField(label=_("Purpose of the temporary transfer"), required=False,
                                choices=list(R.TRANSFER_PURPOSE_LABELS.items()),
                                widget=forms.Select(attrs={"data-show-when": "kind=temporary"}))
    months = forms.IntegerField(label=_("Length of the temporary transfer (months)"), required=False, min_value=0,
                                widget=forms.NumberInput(attrs={"data-show-when": "kind=temporary"}))

    sections = [(_("Transfer"), ["kind", "issued_on", "letter_number", "to_cell", "destination", "purpose", "months"])]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("decision_number", "decision_date", "issued_by"):  # kept with an official transfer's event only
            self.fields[name].widget.attrs["data-show-when"] = f"kind={TransferKind.OFFICIAL}"

    def clean_to_cell(self):
        code = self.cleaned_data.get("to_cell")
        org = transfer_destination(self.user, code)
        if code and org is None:
            raise forms.ValidationError(unknown_destination())
        return org

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        temporary = d["kind"] == TransferKind.TEMPORARY
        return {"kind": d["kind"], "issued_on": d["issued_on"], "letter_number": d.get("letter_number", ""),
                "to_cell": d.get("to_cell"), "destination": d.get("destination", ""),
                "purpose": (d.get("purpose") or "work") if temporary else "work",
                "months": (d.get("months") or 0) if temporary else 0,
                "decision": NO_DECISION if temporary else self.decision()}


class TransferInForm(DomainErrorFormMixin, _DecisionMixin):
    today_field = "on"  # the day the form starts from (`member_action`)
    on = DMYDateField(label=_("Effective on"))
    to_cell = CellChoiceField(label=_("Receiving party cell"), queryset=None, empty_label="—")
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    sections = [(_("Transfer in"), ["on", "to_cell", "note"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_cell"].queryset = cells  # the receiving side records it: a cell of the user's scope

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["on"], "to_cell": d["to_cell"], "note": d.get("note", ""), "decision": self.decision()}


class ReceiveForm(DomainErrorFormMixin, forms.Form):
    received_on = DMYDateField(label=_("Received on"))
    sections = [(None, ["received_on"])]


class DisciplineForm(DomainErrorFormMixin, _DecisionMixin):
    today_field = "decided_on"  # the day the form starts from (`member_action`)
    form = forms.ChoiceField(label=_("Disciplinary form"), choices=list(R.DISCIPLINE_FORM_LABELS.items()),
                             help_text=lazy(_discipline_form_help, str)())
    # not "Decided on": the decision's own date is asked below, under the same words
    decided_on = DMYDateField(label=_("Effective on"), help_text=_(
        "The day the discipline decision takes effect; the limitation period is counted to it."))
    violation_on = DMYDateField(label=_("Date of the violation"), required=False,
                                help_text=_("To check the limitation period."))
    conditions = forms.MultipleChoiceField(
        label=_("Does any of these hold for the member?"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(R.PROTECTED_CONDITION_LABELS.items()), help_text=lazy(_protected_help, str)())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    sections = [(_("Discipline"), ["form", "decided_on", "violation_on", "conditions", "note"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def __init__(self, *args, offered: Iterable[str] | None = None, **kwargs):
        """`offered`: the forms to offer (`services.discipline_forms_offered`); all when None."""
        super().__init__(*args, **kwargs)
        if offered is not None:
            self.fields["form"].choices = [(k, label) for k, label in self.fields["form"].choices if k in offered]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"form": d["form"], "decided_on": d["decided_on"], "violation_on": d.get("violation_on"),
                "conditions": d.get("conditions") or (), "note": d.get("note", ""), "decision": self.decision()}


class OpenCaseForm(DomainErrorFormMixin, forms.Form):
    today_field = "opened_on"  # the day the form starts from (`member_action`)
    opened_on = DMYDateField(label=_("Opened on"))
    authority = _text(_("Considered by"), required=True,
                      placeholder=_("e.g. Chi bộ, UBKT Đảng ủy xã"))
    violation = forms.CharField(label=_("Alleged violation"), widget=forms.Textarea(attrs={"rows": 3}))
    violation_on = DMYDateField(label=_("Date of the violation"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    sections = [(_("Discipline case"), ["opened_on", "authority", "violation", "violation_on", "note"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"opened_on": d["opened_on"], "authority": d["authority"], "violation": d["violation"],
                "violation_on": d.get("violation_on"), "note": d.get("note", "")}


class CloseCaseForm(DomainErrorFormMixin, forms.Form):
    today_field = "closed_on"  # the day the form starts from (`member_action`)
    closed_on = DMYDateField(label=_("Decided on"), help_text=_("The decision not to discipline."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    sections = [(_("No discipline"), ["closed_on", "note"])]

    def service_kwargs(self) -> dict:
        return {"closed_on": self.cleaned_data["closed_on"], "note": self.cleaned_data.get("note", "")}


class ExemptForm(DomainErrorFormMixin, _DecisionMixin):
    today_field = "on"  # the day the form starts from (`member_action`)
    ground = forms.ChoiceField(label=_("Ground"), choices=list(R.EXEMPTION_GROUND_LABELS.items()))
    on = DMYDateField(label=_("From"))
    treatment_months = forms.IntegerField(label=_("Months of treatment"), required=False, min_value=0,
                                          help_text=_("Old age: the ages and the months of treatment of the rules in "
                                                      "force (see Party rules)."))
    medical_record = forms.BooleanField(label=_("Medical record provided"), required=False)

    sections = [(_("Exemption"), ["ground", "on", "treatment_months", "medical_record"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"ground": d["ground"], "on": d["on"], "treatment_months": d.get("treatment_months") or 0,
                "medical_record": d["medical_record"], "decision": self.decision()}


class SuspendForm(DomainErrorFormMixin, _DecisionMixin):
    """Đình chỉ sinh hoạt đảng: from a day, for a reason, until lifted (the planned end only informs)."""
    today_field = "on"  # the day the form starts from (`member_action`)

    on = DMYDateField(label=_("From"))
    reason = forms.ChoiceField(label=_("Reason"), choices=list(R.SUSPENSION_REASON_LABELS.items()))
    note = forms.CharField(label=_("Details of the reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required for another reason."))
    planned_end = DMYDateField(label=_("Planned end"), required=False,
                               help_text=_("Optional: the suspension lasts until it is lifted."))

    sections = [(_("Suspension of party activities"), ["on", "reason", "note", "planned_end"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["on"], "reason": d["reason"], "note": d.get("note", ""),
                "planned_end": d.get("planned_end"), "decision": self.decision()}


class DatedForm(DomainErrorFormMixin, _DecisionMixin):
    on = DMYDateField(label=_("Effective on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    sections = [(None, ["on", "note"]), (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["on"], "note": d.get("note", ""), "decision": self.decision()}


class RestoreForm(DatedForm):
    cell = CellChoiceField(label=_("Returns to the party cell"), queryset=None, empty_label="—")

    sections = [(None, ["on", "cell", "note"]),
                (_("Decision annulling the removal or expulsion"), ["decision_number", "decision_date", "issued_by"])]

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
        self.fields["decision_number"].required = True

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "cell": self.cleaned_data["cell"]}


class DeathForm(DatedForm):
    """Từ trần, reported by the chi bộ: the day of death, no decision (the service keeps none)."""
    sections = [(None, ["on", "note"])]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = _("Date of death")
        for name in ("decision_number", "decision_date", "issued_by"):
            del self.fields[name]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["on"], "note": d.get("note", "")}


class RemoveForm(DatedForm):
    ground = forms.ChoiceField(label=_("Ground"), choices=lambda: list(  # in the user's language, the rules of today
        removal_ground_labels(_rules_today()).items()))
    due = forms.IntegerField(label=_("Official members of the cell"), min_value=0, required=False)
    present = forms.IntegerField(label=_("Present"), min_value=0, required=False)
    votes_for = forms.IntegerField(label=_("In favour"), min_value=0, required=False)

    sections = [(None, ["ground", "on", "note"]), (_("Chi bộ vote"), ["due", "present", "votes_for"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        vote = Vote(d["due"], d.get("present") or d["due"], d["votes_for"]) \
            if d.get("due") is not None and d.get("votes_for") is not None else None
        return {**super().service_kwargs(), "ground": d["ground"], "vote": vote}
