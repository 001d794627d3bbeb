"""Forms for the organization operations. They only parse input (dates as dd/mm/yyyy, choices);
the rules are checked by the services, whose `DomainError` is shown on the field at fault
(`add_domain_error`)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import check_day, format_date, parse_date
from dangvu.core.errors import DomainError

from .models import ALLOWED_PARENT_KINDS, CELL_KINDS, Organization, OrganizationKind, UnitKind
from .selectors import picker_tree
from .services import Decision


class DateTextInput(forms.TextInput):
    """A plain text input for dates written dd/mm/yyyy (no browser date picker, no US order)."""

    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "class": "date-input",
                "size": "12"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return format_date(value)
        return super().format_value(value)


class DateTextField(forms.CharField):
    """A date typed as dd/mm/yyyy (yyyy-mm-dd is accepted too)."""

    widget = DateTextInput

    def to_python(self, value):
        if isinstance(value, dt.date):
            return value
        text = super().to_python(value)
        if not text:
            return None
        try:
            return check_day(parse_date(text))
        except DomainError as exc:
            raise ValidationError(exc.message, code="invalid")

    def prepare_value(self, value):
        return format_date(value) if isinstance(value, dt.date) else value


def organization_label(org: Organization) -> str:
    return f"{org.code} — {org.name}"


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return organization_label(obj)


class OrganizationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return organization_label(obj)


FIND_BY_NAME = _("Type part of its name to find it.")


class OrganizationPicker(forms.TextInput):
    """An organization typed by its code, turned by static/js/org-picker.js into a search by name:
    over the tree `tree` (a callable giving `selectors.organization_tree` rows, read only when
    rendered), or — with `source` (the URL of organizations:picker) — over organizations loaded on
    demand, the chosen one named by `lookup(code)` (None: not offered, the code is not echoed back).
    Without JavaScript the code box stays. The organizations' own forms and those of the other apps
    (members, candidates, transfers) use it."""

    template_name = "organizations/widgets/org_picker.html"

    def __init__(self, tree=list, *, source=None, lookup=None, empty_label=None, attrs=None):
        super().__init__(attrs)
        self.tree, self.source, self.lookup, self.empty_label = tree, source, lookup, empty_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if self.source:
            widget["source"] = str(self.source)
            widget["children"] = reverse("organizations:picker_children", args=["__CODE__"])
            widget["label"] = self.lookup(widget["value"]) if widget["value"] else None
            known = widget["label"] is not None
        else:
            widget["tree"] = tree = self.tree()
            known = any(r["code"] == widget["value"] for r in tree)
        if widget["value"] and not known:
            widget["value"] = None  # a code outside the tree is not echoed back (the error says why)
        widget["empty_label"] = self.empty_label
        widget["tree_id"] = f"{widget['attrs'].get('id') or name}_tree"
        return context


class OrganizationPickerField(forms.ModelChoiceField):
    """One organization of `queryset`, found by typing part of its name (OrganizationPicker over them and
    the organizations above them, of `within` when given: the user's scope) rather than in one long
    list; posted as its code (an id is still read). Only the organizations of `queryset` are offered
    and accepted."""

    def __init__(self, *args, within=None, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("widget", OrganizationPicker())
        self.within = within
        super().__init__(*args, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        if isinstance(self.widget, OrganizationPicker):  # read only when rendered
            self.widget.tree = lambda: [] if self.queryset is None else picker_tree(self.queryset, within=self.within)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._set_queryset(result.queryset)  # the copy's widget reads the copy's organizations
        return result

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            if self.queryset is not None and str(value).isdigit():
                found = self.queryset.filter(pk=int(value)).first()
                if found is not None:
                    return found
            raise

    def label_from_instance(self, obj):
        return organization_label(obj)


class DecisionForm(forms.Form):
    """The decision behind a dated operation, plus a note. Subclasses add their own fields first."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=64, required=False)
    decision_date = DateTextField(label=_("Decision date"), required=False)
    issued_by = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    #: Maps the `field` of a DomainError raised by the service to a field of this form.
    error_fields: dict[str, str] = {}

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(number=(data.get("decision_number") or "").strip(), date=data.get("decision_date"),
                        issued_by=(data.get("issued_by") or "").strip())

    def decision_fields(self):
        return [self[name] for name in ("decision_number", "decision_date", "issued_by", "note")]

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's refusal on the field it names (or above the form)."""
        name = self.error_fields.get(exc.field or "", exc.field)
        self.add_error(name if name in self.fields else None, exc.message)


def _effective_on(label=None):
    return DateTextField(label=label or _("Effective on"), help_text=_("dd/mm/yyyy"))


class EstablishForm(DecisionForm):
    """Thành lập a subordinate organization under a given parent."""

    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    unit_kind = forms.ChoiceField(label=_("Unit kind"), choices=[("", "—"), *UnitKind.choices], required=False)
    admin_unit_code = forms.CharField(
        label=_("Administrative unit code"), max_length=16, required=False,
        help_text=_("Code of the province or commune in the official list (e.g. 01 for Hà Nội)."),
    )
    established_on = _effective_on(_("Established on"))
    field_order = ["code", "name", "kind", "unit_kind", "admin_unit_code", "established_on"]

    def __init__(self, *args, parent_kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent_kind:
            allowed = [(k, label) for k, label in OrganizationKind.choices if parent_kind in ALLOWED_PARENT_KINDS[k]]
            if allowed:
                self.fields["kind"].choices = allowed
                cells = [k for k, _label in allowed if k in CELL_KINDS]
                self.fields["kind"].initial = cells[0] if cells else allowed[0][0]


class RenameForm(DecisionForm):
    name = forms.CharField(label=_("New name"), max_length=255)
    effective_on = _effective_on()
    field_order = ["name", "effective_on"]


class MoveForm(DecisionForm):
    parent = OrganizationPickerField(label=_("New parent organization"), queryset=Organization.objects.none(),
                                     help_text=FIND_BY_NAME)
    effective_on = _effective_on()
    field_order = ["parent", "effective_on"]

    def __init__(self, *args, parents=None, current_parent: Organization | None = None, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].within = within
        if parents is not None:
            self.fields["parent"].queryset = parents
        if current_parent is not None:
            self.fields["parent"].help_text = format_lazy("{} {}", FIND_BY_NAME, _("Now under: %(parent)s") % {
                "parent": organization_label(current_parent)})


class ChangeKindForm(DecisionForm):
    """The new kind; for a cell with members placed directly in it (`asks_cell`), the name and code of the
    subordinate cell they move into when the new kind holds no members."""

    kind = forms.ChoiceField(label=_("New kind"), choices=OrganizationKind.choices)
    effective_on = _effective_on()
    cell_name = forms.CharField(
        label=_("Name of the new subordinate cell"), max_length=255, required=False,
        help_text=_("The members placed directly in this cell move into it on the effective date, when the new "
                    "kind holds no members (a grassroots committee)."))
    cell_code = forms.CharField(label=_("Code of the new subordinate cell"), max_length=32, required=False)
    name = forms.CharField(label=_("New name"), max_length=255, required=False,
                           help_text=_("When the organization is renamed by the same decision (a grassroots cell "
                                       "becoming a grassroots committee); leave it empty to keep the name."))
    field_order = ["kind", "effective_on", "name", "cell_name", "cell_code"]

    def __init__(self, *args, current_kind: str | None = None, asks_cell: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if current_kind:
            self.fields["kind"].choices = [(k, label) for k, label in OrganizationKind.choices if k != current_kind]
        if not asks_cell:
            del self.fields["cell_name"], self.fields["cell_code"]


class DissolveForm(DecisionForm):
    effective_on = _effective_on(_("Dissolved on"))
    field_order = ["effective_on"]


# -- restructuring forms that move members (the rules: dangvu.members.restructuring) -------------


class MergeForm(DecisionForm):
    """The organizations that end are ticked (this one already), the target is found by typing part of its
    name; both among `organizations` (in the user's scope, shown under the organizations of `within`)."""

    sources = OrganizationMultipleChoiceField(
        label=_("Organizations that end"), queryset=Organization.objects.none(),
        help_text=_("Tick every organization that ends with this decision."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list"}),
    )
    target = OrganizationPickerField(
        label=_("Merged into"), queryset=Organization.objects.none(),
        help_text=format_lazy("{} {}", FIND_BY_NAME,
                              _("Members move to this cell; subordinate organizations move under it.")),
    )
    effective_on = DateTextField(label=_("Effective on"), help_text=_("dd/mm/yyyy"))
    field_order = ["sources", "target", "effective_on"]
    error_fields = {"cell": "target", "parent": "target"}

    def __init__(self, *args, organizations=None, within=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].within = within
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
