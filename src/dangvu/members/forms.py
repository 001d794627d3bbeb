"""Web forms for members. They only parse input; the services decide (see services.py)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import check_day, format_date
from dangvu.core.errors import DomainError
from dangvu.core.ethnicity import ethnic_groups
from dangvu.organizations.forms import OrganizationPickerField
from dangvu.organizations.models import CELL_KINDS
from dangvu.organizations.services import Decision

from .models import PERSONAL_FIELDS, PoliticalTheory, Sex

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_PLACEHOLDER = "dd/mm/yyyy"


class DMYDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (yyyy-mm-dd also accepted) in a plain text box."""

    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric",
                                                       "autocomplete": "off", "class": "date"})
    default_error_messages = {"invalid": _("Enter a valid date as dd/mm/yyyy.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)

    def validate(self, value):
        """Only days of the supported range (`core.dates.check_day`) reach the services."""
        super().validate(value)
        try:
            check_day(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None


def _text(label, *, max_length=255, required=False, **attrs):
    return forms.CharField(label=label, max_length=max_length, required=required,
                           widget=forms.TextInput(attrs=attrs) if attrs else None)


class PlainSelect(forms.Select):
    """Django's select written by one template, its options inline rather than one template each, and
    made once for each name, value, attributes and choices (their labels in the language shown): the
    member list's filters and the member forms show the same selects, 55 ethnic groups among them, on
    every visit of the list."""

    template_name = "members/widgets/select.html"
    #: The selects made, by all they depend on; emptied when it holds CACHED_MAX of them.
    _made: dict[tuple, str] = {}
    CACHED_MAX = 500

    def render(self, name, value, attrs=None, renderer=None):
        key = (name, tuple(self.format_value(value)), tuple(self.build_attrs(self.attrs, attrs).items()),
               tuple((str(v), str(label)) for v, label in self.choices), type(renderer))  # labels: in the language
        html = self._made.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(self._made) >= self.CACHED_MAX:
                self._made.clear()
            self._made[key] = html
        return html


class CellChoiceField(OrganizationPickerField):
    """A party cell of `queryset`, found by typing part of its name (the organization picker over the cells
    and the committees above them) rather than in one long list; posted as its code (an id is still read)."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class DomainErrorFormMixin:
    """Show a DomainError raised by a service under the field it names, else above the form."""

    sections: list = []

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)

    def grouped_fields(self) -> list[tuple]:
        """(section title, bound fields) in the order of `sections`; fields not listed come last."""
        out, seen = [], set()
        for title, names in self.sections:
            bound = [self[n] for n in names if n in self.fields]
            seen.update(names)
            if bound:
                out.append((title, bound))
        rest = [self[n] for n in self.fields if n not in seen and not self[n].is_hidden]
        if rest:
            out.append((None, rest))
        return out


IDENTITY = (_("Identity"), ["code", "full_name", "birth_date", "sex", "ethnicity", "other_names", "religion"])
MEMBERSHIP = (_("Party membership"), ["admitted_on", "cell", "placed_on", "made_official_on", "card_number",
                                      "decision_number", "decision_date", "issued_by"])
PROFILE = (_("Profile"), ["place_of_birth", "home_town", "occupation", "general_education",
                          "professional_qualification", "political_theory_level", "biography_number"])
PERSONAL = (_("Personal data"), ["national_id_number", "phone", "residence", "current_address"])


class _ProfileFields(DomainErrorFormMixin, forms.Form):
    full_name = _text(_("Full name"), required=True, autocomplete="off")
    birth_date = DMYDateField(label=_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], widget=PlainSelect)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), widget=PlainSelect)
    other_names = _text(_("Other names"))
    religion = _text(_("Religion"), max_length=100)
    place_of_birth = _text(_("Place of birth"))
    home_town = _text(_("Home town"))
    residence = _text(_("Permanent residence"))
    current_address = _text(_("Current address"))
    national_id_number = _text(_("National ID number"), max_length=12, inputmode="numeric")
    phone = _text(_("Phone"), max_length=20, inputmode="tel")
    occupation = _text(_("Occupation"))
    general_education = _text(_("General education"), max_length=20, placeholder="12/12")
    professional_qualification = _text(_("Professional qualification"))
    political_theory_level = forms.ChoiceField(label=_("Political theory level"), required=False,
                                               choices=[("", "—"), *PoliticalTheory.choices[1:]], widget=PlainSelect)
    biography_number = _text(_("Biography number"), max_length=32)

    def __init__(self, *args, show_personal: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"].choices = [("", "—"), *ethnic_groups()]
        if not show_personal:
            for name in PERSONAL_FIELDS:
                self.fields.pop(name, None)


class MemberCreateForm(_ProfileFields):
    code = _text(_("Member code"), max_length=32, required=True, autocomplete="off")
    admitted_on = DMYDateField(label=_("Admitted on"))
    cell = CellChoiceField(label=_("Party cell"), queryset=None, empty_label="—")
    placed_on = DMYDateField(label=_("In this cell since"), required=False,
                             help_text=_("Leave empty if the member was admitted in this cell."))
    made_official_on = DMYDateField(label=_("Made official on"), required=False,
                                    help_text=_("Leave empty while the member is probationary."))
    card_number = _text(_("Party card number"), max_length=16)
    decision_number = _text(_("Admission decision number"), max_length=64)
    decision_date = DMYDateField(label=_("Decision date"), required=False)
    issued_by = _text(_("Issued by"))

    sections = [IDENTITY, MEMBERSHIP, PROFILE, PERSONAL]

    def __init__(self, *args, cells, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells
        only = list(cells[:2])
        if len(only) == 1:  # a chi bộ's account: its own chi bộ, as the candidate form does
            self.fields["cell"].initial = only[0].pk

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        decision = Decision(number=d.pop("decision_number", ""), date=d.pop("decision_date", None),
                            issued_by=d.pop("issued_by", ""))
        return {**d, "decision": decision}


class MemberProfileForm(_ProfileFields):
    """Identity and profile only: placement and status change through events.

    The form carries the member's version it was opened on (hidden) and, beside each field, the value
    it was opened with (Django's `show_hidden_initial`): `changes()` holds only what the user changed,
    whatever others saved meanwhile, and a save over a version that has moved on is refused by the
    service (EditConflict); `conflicts` and `rebased` then show what the other user changed."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    sections = [IDENTITY, PROFILE, PERSONAL]

    def __init__(self, *args, show_personal: bool = True, **kwargs):
        super().__init__(*args, show_personal=show_personal, **kwargs)
        self.show_personal = show_personal
        for name in self.profile_fields():
            self.fields[name].show_hidden_initial = True

    def profile_fields(self) -> list[str]:
        return [name for name in self.fields if name != "version"]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data
                if name in self.cleaned_data and name != "version"}

    def _opened_with(self, name: str):
        """The raw value the field had when the form was opened (its hidden initial)."""
        bound = self[name]
        return self._widget_data_value(bound.field.hidden_widget(), bound.html_initial_name)

    def _shown(self, name: str, value) -> str:
        if value in (None, ""):
            return "—"
        if isinstance(value, dt.date):
            return format_date(value)
        return str(dict(getattr(self.fields[name], "choices", ())).get(value, value))

    def conflicts(self, current) -> list[dict]:
        """The fields `current` (the record as saved now) holds otherwise than when the form was
        opened: label, value then, their value now, the value entered here."""
        rows = []
        for name in self.profile_fields():
            field, theirs = self.fields[name], getattr(current, name)
            opened = self._opened_with(name)
            if field.has_changed(theirs, opened):
                rows.append({"label": field.label, "opened": self._shown(name, field.to_python(opened)),
                             "theirs": self._shown(name, theirs), "yours": self._shown(name, self.cleaned_data[name])})
        return rows

    def rebased(self, current) -> MemberProfileForm:
        """The form again over `current`: opened on its version and values, showing them except in the
        fields the user changed, which keep what was entered, ready to be saved again."""
        changed = set(self.changes())
        data = {"version": current.version}
        for name in self.profile_fields():
            bound = self[name]
            data[bound.html_initial_name] = getattr(current, name)
            data[bound.html_name] = self.data.get(bound.html_name) if name in changed else getattr(current, name)
        initial = {name: getattr(current, name) for name in self.fields}
        return type(self)(data, initial=initial, show_personal=self.show_personal)


def cells_for_forms(orgs_qs):
    """The party cells among the organizations given (the user's scope), open ones first by name."""
    return orgs_qs.filter(kind__in=CELL_KINDS).order_by(F("dissolved_on").asc(nulls_first=True), "name", "code")


class CancelEventForm(DomainErrorFormMixin, forms.Form):
    """The confirmation of the cancellation of an event recorded by mistake, with its reason."""

    reason = forms.CharField(label=_("Reason for the cancellation"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("What was recorded by mistake, and how you know it."))
