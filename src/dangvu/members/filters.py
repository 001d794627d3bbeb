"""Filters of the member list (web page and xlsx export), always applied inside the user's scope."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.selectors import organizations_visible_to
from dangvu.core.ethnicity import KINH
from dangvu.organizations.selectors import subtree_q

from .models import ACTIVE_STATUSES, MemberStatus, Sex
from .selectors import member_search

#: Above this many organizations in scope the organization filter is a code box, not a select.
MAX_ORG_OPTIONS = 1500

ACTIVE = "active"
STATUS_CHOICES = [(ACTIVE, _("Active (probationary or official)")), *MemberStatus.choices]
ETHNICITY_CHOICES = [("kinh", _("Kinh")), ("minority", _("Ethnic minority"))]
EXEMPTED_CHOICES = [("yes", _("Exempted")), ("no", _("Not exempted"))]


class OrganizationCodeField(forms.CharField):
    """An organization typed by its code; resolved within the queryset given (the user's scope)."""

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        org = self.queryset.filter(code=value.strip()).first()
        if org is None:
            raise forms.ValidationError(_("No organization with this code in your scope."))
        return org


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name (with or without accents) or code")}),
    )
    org = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=None, to_field_name="code", method="filter_org",
        empty_label=_("All in my scope"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status",
                                         empty_label=_("All"))
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=_("All"))
    ethnicity = django_filters.ChoiceFilter(label=_("Ethnicity"), choices=ETHNICITY_CHOICES,
                                            method="filter_ethnicity", empty_label=_("All"))
    exempted = django_filters.ChoiceFilter(label=_("Exemption"), choices=EXEMPTED_CHOICES,
                                           method="filter_exempted", empty_label=_("All"))

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        orgs = organizations_visible_to(user).only("id", "code", "name").order_by("name", "code")
        org_filter = self.filters["org"]
        org_filter.queryset = orgs
        # A large scope (a province has thousands of cells): type the code instead of a huge select.
        self.org_as_code = orgs.count() > MAX_ORG_OPTIONS
        if self.org_as_code:
            org_filter.field_class = OrganizationCodeField
            org_filter.extra.pop("to_field_name", None)
            org_filter.extra.pop("empty_label", None)
            org_filter.extra["widget"] = forms.TextInput(attrs={"placeholder": _("Organization code")})

    def filter_q(self, qs, name, value):
        return member_search(qs, value)

    def filter_org(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(subtree_q([value], "cell__"))

    def filter_status(self, qs, name, value):
        if value == ACTIVE:
            return qs.filter(status__in=ACTIVE_STATUSES)
        return qs.filter(status=value)

    def filter_ethnicity(self, qs, name, value):
        if value == "kinh":
            return qs.filter(ethnicity=KINH)
        if value == "minority":
            return qs.exclude(ethnicity=KINH)
        return qs

    def filter_exempted(self, qs, name, value):
        return qs.filter(exempted=(value == "yes"))
