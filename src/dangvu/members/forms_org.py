"""Forms for the restructuring pages that move members (merge, split). Parsing only; the rules
are in `dangvu.members.restructuring`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.organizations.forms import (
    DateTextField,
    DecisionForm,
    OrganizationChoiceField,
    OrganizationMultipleChoiceField,
    organization_label,
)
from dangvu.organizations.models import Organization


class MergeForm(DecisionForm):
    sources = OrganizationMultipleChoiceField(
        label=_("Organizations that end"), queryset=Organization.objects.none(),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    target = OrganizationChoiceField(
        label=_("Merged into"), queryset=Organization.objects.none(), empty_label=_("— choose —"),
        help_text=_("Members move to this cell; subordinate organizations move under it."),
    )
    effective_on = DateTextField(label=_("Effective on"), help_text=_("dd/mm/yyyy"))
    field_order = ["sources", "target", "effective_on"]
    error_fields = {"cell": "target", "parent": "target"}

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["sources"].queryset = organizations
            self.fields["target"].queryset = organizations

    def clean(self):
        data = super().clean()
        sources, target = data.get("sources"), data.get("target")
        if sources is not None and target is not None and target in sources:
            self.add_error("target", _("An organization cannot be merged into itself."))
        return data


class SplitForm(DecisionForm):
    """One destination cell per member and one new parent per subordinate organization. The choices
    are lists evaluated once (not one query per select)."""

    effective_on = DateTextField(label=_("Effective on"), help_text=_("dd/mm/yyyy"))
    field_order = ["effective_on"]
    error_fields = {"cell": "effective_on"}

    def __init__(self, *args, members=(), children=(), cells=(), parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.children = list(children)
        self._cells = {str(o.pk): o for o in cells}
        self._parents = {str(o.pk): o for o in parents}
        cell_choices = [("", _("— choose a cell —"))] + [(pk, organization_label(o)) for pk, o in self._cells.items()]
        parent_choices = [("", _("— choose a parent —"))] + [
            (pk, organization_label(o)) for pk, o in self._parents.items()
        ]
        for m in self.members:
            self.fields[f"member_{m.pk}"] = forms.ChoiceField(label=m.full_name, choices=cell_choices)
        for c in self.children:
            self.fields[f"child_{c.pk}"] = forms.ChoiceField(label=c.name, choices=parent_choices)

    def member_rows(self):
        return [(m, self[f"member_{m.pk}"]) for m in self.members]

    def child_rows(self):
        return [(c, self[f"child_{c.pk}"]) for c in self.children]

    def member_cells(self) -> dict:
        return {m.pk: self._cells[self.cleaned_data[f"member_{m.pk}"]] for m in self.members}

    def child_parents(self) -> dict:
        return {c.pk: self._parents[self.cleaned_data[f"child_{c.pk}"]] for c in self.children}
