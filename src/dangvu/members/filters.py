"""The one member filter of the member list page, its xlsx export and the API (`/api/members/`), always
applied inside the user's scope: it parses the request, `selectors.member_list` applies it (so that the
export built in the background applies the same). By default it keeps the current members (đang sinh
hoạt); former ones (transferred out, deceased, out of the Party) are chosen by `status`."""

from __future__ import annotations

import django_filters
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.selectors import organizations_visible_to
from dangvu.core.ethnicity import ethnic_groups
from dangvu.organizations.forms import OrganizationPicker

from .forms import PlainSelect
from .models import Member, MemberStatus, Sex
from .selectors import ALL, CURRENT, LEFT, MINORITY, member_list

S = MemberStatus
STATUS_CHOICES = [
    (CURRENT, _("Current members")),
    (S.OFFICIAL.value, _("Official members")),
    (S.PROBATIONARY.value, _("Probationary members")),
    (S.TRANSFERRED_OUT.value, _("Transferred out")),
    (S.DIED.value, _("Deceased")),
    (LEFT, _("Out of the Party (removed, expelled, left)")),
    (S.REMOVED.value, _("Removed from the Party")),
    (S.EXPELLED.value, _("Expelled")),
    (S.RESIGNED.value, _("Left the Party")),
    (ALL, _("All, former members included")),
]
EXEMPTED_CHOICES = [("", _("All")), ("true", _("Exempted")), ("false", _("Not exempted"))]
SUSPENDED_CHOICES = [("", _("All")), ("true", _("Suspended")), ("false", _("Not suspended"))]


def _organizations(request):
    return organizations_visible_to(getattr(request, "user", None))


def _ethnicity_choices():
    return [(MINORITY, _("Ethnic minority")), *ethnic_groups()]


class MemberFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label=_("Search"),
        help_text=_("Name without or with accents ('nguyen van an'), or the member code."),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name (with or without accents) or code")}),
    )
    org = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=_organizations, to_field_name="code",
        help_text=_("Code of an organization: its members and those of its whole subtree."),
        error_messages={"invalid_choice": _("No organization of your scope has this code.")},
    )
    cell = django_filters.ModelChoiceFilter(
        queryset=_organizations, to_field_name="code", field_name="cell", help_text=_("Code of the party cell."),
        widget=forms.HiddenInput, error_messages={"invalid_choice": _("No organization of your scope has this code.")},
    )
    status = django_filters.ChoiceFilter(
        label=_("Standing"), choices=STATUS_CHOICES, empty_label=None, widget=PlainSelect,
        help_text=_("Default: the current members (probationary or official); `all` adds the former ones."),
    )
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=_("All"), widget=PlainSelect)
    ethnicity = django_filters.ChoiceFilter(
        label=_("Ethnicity"), choices=_ethnicity_choices, empty_label=_("All"), widget=PlainSelect,
        help_text=_("Code of the ethnic group (01 = Kinh), or `minority` for every group but the Kinh."),
    )
    exempted = django_filters.BooleanFilter(label=_("Exemption"), widget=PlainSelect(choices=EXEMPTED_CHOICES))
    suspended = django_filters.BooleanFilter(
        label=_("Suspension"), widget=PlainSelect(choices=SUSPENDED_CHOICES),
        help_text=_("`true`: the members suspended from party activities now (đình chỉ sinh hoạt đảng)."))
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("sort_key", "name"), ("code", "code"), ("cell__name_folded", "cell"), ("admitted_on", "admitted_on"),
                ("status", "status")),
        help_text=_("name, code, cell, admitted_on or status; a minus sign sorts the other way (-admitted_on)."),
    )

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.form.fields["org"].widget = OrganizationPicker(  # organizations load on demand (organizations:picker)
            source=reverse_lazy("organizations:picker"), empty_label=_("All in my scope"),
            lookup=lambda code: organizations_visible_to(user).filter(code=code).values_list("name", flat=True).first())

    class Meta:
        model = Member
        fields = ["search", "org", "cell", "status", "sex", "ethnicity", "exempted", "suspended", "sort"]

    def filter_queryset(self, queryset):
        return member_list(queryset, **self.criteria())

    def criteria(self) -> dict:
        """The values of the filter as `selectors.member_list` takes them (organizations as instances); a value
        that does not validate filters nothing."""
        self.is_valid()
        data = self.form.cleaned_data
        sort = self.filters["sort"]
        return {"search": data.get("search") or "", "org": data.get("org"), "cell": data.get("cell"),
                "status": data.get("status") or "", "sex": data.get("sex") or "", "ethnicity": data.get("ethnicity") or "",
                "exempted": data.get("exempted"), "suspended": data.get("suspended"), "ordering": [sort.get_ordering_value(p) for p in data.get("sort") or []]}
