"""Web forms of the candidates for admission: they parse input only; `services` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangvu import regulations as R
from dangvu.members.forms import (
    CellChoiceField,
    DMYDateField,
    DomainErrorFormMixin,
    _ProfileFields,
    _text,
    cells_for_forms,
)
from dangvu.organizations.services import Decision

from . import services


def _note():
    return forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def _count(label, *, required=True, help_text=""):
    return forms.IntegerField(label=label, min_value=0, required=required, help_text=help_text,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class ProposeForm(_ProfileFields):
    cell = CellChoiceField(label=_("Party cell"), queryset=None, empty_label="—")
    proposed_on = DMYDateField(label=_("Proposed on"))
    former_member = _text(_("Former member code"), max_length=32,
                          help_text=_("Only for a readmission (kết nạp lại): the code of the former member's record."))
    readmission_bars = forms.MultipleChoiceField(
        label=_("Facts barring readmission"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(R.READMISSION_BAR_LABELS.items()))
    family_hardship = forms.BooleanField(label=_("Extreme family hardship"), required=False)
    record_expunged_on = DMYDateField(label=_("Criminal record expunged on"), required=False)
    note = _note()

    sections = [
        (_("Proposal"), ["cell", "proposed_on", "note"]),
        (_("Identity"), ["full_name", "birth_date", "sex", "ethnicity", "other_names", "religion"]),
        (_("Profile"), ["place_of_birth", "home_town", "occupation", "general_education",
                        "professional_qualification", "political_theory_level", "biography_number"]),
        (_("Personal data"), ["national_id_number", "phone", "residence", "current_address"]),
        (_("Readmission"), ["former_member", "readmission_bars", "family_hardship", "record_expunged_on"]),
    ]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells_for_forms(organizations)
        only = list(self.fields["cell"].queryset[:2])
        if len(only) == 1:  # a chi bộ's secretary proposes in their own chi bộ
            self.fields["cell"].initial = only[0].pk

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d.pop("former_member", None)  # resolved by the view, in the user's scope
        return d


class CourseForm(DomainErrorFormMixin, forms.Form):
    issued_on = DMYDateField(label=_("Certificate date"))
    certificate_number = _text(_("Certificate number"), max_length=64)
    issued_by = _text(pgettext_lazy("certificate", "Issued by"), help_text=_("The political training centre."))
    note = _note()

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class DateForm(DomainErrorFormMixin, forms.Form):
    effective_on = DMYDateField(label=_("Date"))
    note = _note()

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"on": d["effective_on"], "note": d["note"]}


class DocumentForm(DomainErrorFormMixin, forms.Form):
    key = forms.ChoiceField(label=_("Document"))
    received_on = DMYDateField(label=_("Received on"))
    document_date = DMYDateField(label=_("Date of the document"), required=False)
    held_by = _text(_("Held by"), help_text=_("Who holds the paper now; empty: the party cell."))
    note = _note()

    def __init__(self, *args, rules: R.RuleSet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [("", "—")] + [
            (d.key, f"{d.form_code} · {d.label}" if d.form_code else str(d.label)) for d in rules.required_documents]

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class BackgroundCheckForm(DateForm):
    result = forms.ChoiceField(label=_("Result"), choices=[("", "—"), ("clear", _("clear")),
                                                           ("issues", _("issues found"))])
    checked_by = _text(_("Checked by"))

    field_order = ["effective_on", "result", "checked_by", "note"]

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "result": self.cleaned_data["result"],
                "checked_by": self.cleaned_data["checked_by"]}


class IntroducersForm(DateForm):
    introducer_1 = _text(_("First introducer (member code)"), max_length=32)
    months_1 = _count(_("Months worked or lived with the applicant"), required=False)
    introducer_2 = _text(_("Second introducer (member code)"), max_length=32,
                         help_text=_("Leave empty when a union committee introduces."))
    months_2 = _count(_("Months worked or lived with the applicant"), required=False)
    union_introducer = forms.ChoiceField(
        label=_("Union committee introducing"), required=False,
        choices=[("", "—"), ("youth_union_committee", _("Youth Union committee")),
                 ("trade_union_committee", _("trade union committee"))])
    applicant_in_youth_union = forms.BooleanField(label=_("The applicant is a Youth Union member"), required=False)
    youth_union_at_unit = forms.BooleanField(label=_("The unit has a Youth Union organization"), required=False,
                                             initial=True)

    field_order = ["effective_on", "introducer_1", "months_1", "introducer_2", "months_2", "union_introducer",
                   "applicant_in_youth_union", "youth_union_at_unit", "note"]

    #: The input at fault for a refusal about one introducer (its `number` among those given).
    INTRODUCER_FIELDS = {"admission.introducer_not_official": "introducer", "admission.introducer_too_new": "introducer",
                         "admission.introducer_short_acquaintance": "months"}

    def add_domain_error(self, exc) -> None:
        """A refusal naming one introducer is said at that introducer's inputs; the others above the form."""
        refusals = getattr(exc, "refusals", None)
        if exc.field != "introducers" or not refusals:
            return super().add_domain_error(exc)
        given = [name for name, _code, _months in self.codes()]
        for refusal in refusals:
            number, kind = refusal.params.get("number"), self.INTRODUCER_FIELDS.get(refusal.code)
            field = None
            if kind and isinstance(number, int) and 0 < number <= len(given):
                field = given[number - 1].replace("introducer", kind)
            self.add_error(field, refusal.text)

    def codes(self) -> list[tuple[str, str, int]]:
        """(field, member code, months) of the introducers given."""
        d = self.cleaned_data
        out = []
        for n in (1, 2):
            code = (d.get(f"introducer_{n}") or "").strip()
            if code:
                out.append((f"introducer_{n}", code, d.get(f"months_{n}") or 0))
        return out

    def service_kwargs(self, introducers) -> dict:
        d = self.cleaned_data
        return {**super().service_kwargs(), "introducers": introducers, "union_introducer": d["union_introducer"],
                "applicant_in_youth_union": d["applicant_in_youth_union"],
                "youth_union_at_unit": d["youth_union_at_unit"]}


class CommentsForm(DateForm):
    from_organizations = forms.CharField(label=_("Organizations where the applicant works"),
                                         widget=forms.Textarea(attrs={"rows": 3}))
    from_residence = forms.CharField(label=_("Party cell where the applicant lives"),
                                     widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["effective_on", "from_organizations", "from_residence", "note"]

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "from_organizations": self.cleaned_data["from_organizations"],
                "from_residence": self.cleaned_data["from_residence"]}


class VoteForm(DateForm):
    votes_due = _count(_("Members due to vote"))
    votes_excluded = _count(_("Of whom exempted or suspended from activities"), required=False,
                            help_text=_("Left out of the count."))
    votes_present = _count(_("Present"))
    votes_for = _count(_("In favour"))

    field_order = ["effective_on", "votes_due", "votes_excluded", "votes_present", "votes_for", "note"]

    def vote(self) -> services.Vote:
        d = self.cleaned_data
        return services.Vote(d["votes_due"], d["votes_present"], d["votes_for"], d.get("votes_excluded") or 0)

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "vote": self.vote()}


class CellVoteForm(VoteForm):
    over_max_age_approved = forms.BooleanField(
        label=_("Over-age admission approved"), required=False,
        help_text=_("Only for an applicant above the maximum age, with the written approval of the competent level."))

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "over_max_age_approved": self.cleaned_data["over_max_age_approved"]}


class CommitteeVoteForm(VoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("votes_excluded")
        self.fields["votes_due"].label = _("Members of the committee")


class DecisionForm(DomainErrorFormMixin, forms.Form):
    decision_number = _text(_("Decision number"), max_length=64, required=True)
    decision_date = DMYDateField(label=_("Decision date"))
    issued_by = _text(_("Issued by"), help_text=_("Empty: the deciding organization."))
    received_on = DMYDateField(label=_("Received by the party cell on"), required=False,
                               help_text=_("Empty: the decision date. The time limit of the ceremony runs from it."))
    delegated = forms.BooleanField(label=_("Decided by the grassroots committee under delegation"), required=False)
    late_reason = forms.CharField(label=_("Reason for the delay"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Required after the time limit."))
    note = _note()

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"decision": Decision(d["decision_number"], d["decision_date"], d["issued_by"]),
                "received_on": d["received_on"], "delegated": d["delegated"], "late_reason": d["late_reason"],
                "note": d["note"]}


class CeremonyForm(DateForm):
    member_code = _text(_("Member code"), max_length=32, required=True,
                        help_text=_("The code of the new member in the registry: the next free code of the pattern used here is proposed."))
    late_reason = forms.CharField(label=_("Reason for the delay"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Required after the time limit."))

    field_order = ["effective_on", "member_code", "late_reason", "note"]

    def __init__(self, *args, readmission: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if readmission:  # the former member's record keeps its code
            del self.fields["member_code"]

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "member_code": self.cleaned_data.get("member_code", ""),
                "late_reason": self.cleaned_data["late_reason"]}


class RejectForm(DomainErrorFormMixin, forms.Form):
    effective_on = DMYDateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    votes_due = _count(_("Members due to vote"), required=False)
    votes_excluded = _count(_("Of whom exempted or suspended from activities"), required=False)
    votes_present = _count(_("Present"), required=False)
    votes_for = _count(_("In favour"), required=False)

    sections = [(None, ["effective_on", "reason"]),
                (_("Vote, if the step was voted on"), ["votes_due", "votes_excluded", "votes_present", "votes_for"])]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        vote = None
        if d.get("votes_due") is not None:
            vote = services.Vote(d["votes_due"], d.get("votes_present") or 0, d.get("votes_for") or 0,
                                 d.get("votes_excluded") or 0)
        return {"on": d["effective_on"], "reason": d["reason"], "vote": vote}


class AssignForm(DomainErrorFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=None, empty_label="—")
    note = _note()

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CloseForm(DomainErrorFormMixin, forms.Form):
    effective_on = DMYDateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        return {"on": self.cleaned_data["effective_on"], "reason": self.cleaned_data["reason"]}
