"""Forms of the member lifecycle actions: parse input only; the rules live in `services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.members.forms import DMYDateField, DomainErrorFormMixin, _text
from dangvu.organizations.models import Organization
from dangvu.organizations.services import Decision

from . import rules as R
from .models import TransferKind
from .services import Vote


class _DecisionMixin(forms.Form):
    decision_number = _text(_("Decision number"), max_length=64)
    decision_date = DMYDateField(label=_("Decision date"), required=False)
    issued_by = _text(_("Issued by"))

    def decision(self) -> Decision:
        d = self.cleaned_data
        return Decision(number=d.get("decision_number", ""), date=d.get("decision_date"), issued_by=d.get("issued_by", ""))


class RecognitionForm(DomainErrorFormMixin, _DecisionMixin):
    decided_on = DMYDateField(label=_("Considered on"),
                              help_text=_("Not before the 12 months of probation end; the official date is the day they end."))
    due = forms.IntegerField(label=_("Official members of the cell"), min_value=0)
    present = forms.IntegerField(label=_("Present"), min_value=0)
    votes_for = forms.IntegerField(label=_("In favour"), min_value=0,
                                   help_text=_("At least two thirds of the cell's official members."))

    sections = [(_("Chi bộ vote"), ["decided_on", "due", "present", "votes_for"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"decided_on": d["decided_on"], "vote": Vote(d["due"], d["present"], d["votes_for"]),
                "decision": self.decision()}


class CardForm(DomainErrorFormMixin, _DecisionMixin):
    number = forms.CharField(label=_("Card number"), max_length=8, help_text=_("8 digits."),
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    issued_on = DMYDateField(label=_("Issued on"))

    sections = [(_("Party card"), ["number", "issued_on"]), (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"number": d["number"], "issued_on": d["issued_on"], "decision": self.decision()}


class BadgeForm(DomainErrorFormMixin, _DecisionMixin):
    milestone = forms.TypedChoiceField(label=_("Badge"), coerce=int,
                                       choices=[(y, _("%(n)d years") % {"n": y}) for y in R.REGULATIONS[-1].badge_milestones])
    award_date = DMYDateField(label=_("Award date"), help_text=_("03/02, 19/05, 02/09 or 07/11."))
    seriously_ill = forms.BooleanField(label=_("Seriously ill (early award)"), required=False)

    sections = [(_("Party badge"), ["milestone", "award_date", "seriously_ill"]),
                (_("Decision"), ["decision_number", "decision_date", "issued_by"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"milestone": d["milestone"], "award_date": d["award_date"], "seriously_ill": d["seriously_ill"],
                "decision": self.decision()}


class TransferForm(DomainErrorFormMixin, _DecisionMixin):
    kind = forms.ChoiceField(label=_("Kind"), choices=TransferKind.choices)
    issued_on = DMYDateField(label=_("Letter issued on"))
    letter_number = _text(_("Letter number"), max_length=64)
    to_cell = forms.CharField(label=_("Receiving chi bộ (code, in this database)"), max_length=32, required=False)
    destination = _text(_("Receiving organization (outside this database)"))
    purpose = forms.ChoiceField(label=_("Purpose (temporary)"), required=False,
                                choices=[("work", _("work or stay")), ("training", _("a training course"))])
    months = forms.IntegerField(label=_("Months (temporary)"), required=False, min_value=0)

    sections = [(_("Transfer"), ["kind", "issued_on", "letter_number", "to_cell", "destination", "purpose", "months"])]

    def clean_to_cell(self):
        code = (self.cleaned_data.get("to_cell") or "").strip()
        if not code:
            return None
        org = Organization.objects.filter(code=code).first()
        if org is None:
            raise forms.ValidationError(_("No organization with this code."))
        return org

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"kind": d["kind"], "issued_on": d["issued_on"], "letter_number": d.get("letter_number", ""),
                "to_cell": d.get("to_cell"), "destination": d.get("destination", ""),
                "purpose": d.get("purpose") or "work", "months": d.get("months") or 0}


class ReceiveForm(DomainErrorFormMixin, forms.Form):
    received_on = DMYDateField(label=_("Received on"))
    sections = [(None, ["received_on"])]
