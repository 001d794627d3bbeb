"""The one member filter of the member list page, its xlsx export and the API (`/api/members/`), always
applied inside the user's scope. By default it keeps the current members (đang sinh hoạt); former
ones (transferred out, deceased, out of the Party) are chosen by `status`."""

from __future__ import annotations

import django_filters
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.selectors import organizations_visible_to
from dangvu.core.ethnicity import KINH, ethnic_groups
from dangvu.organizations.models import Organization
from dangvu.organizations.selectors import subtree_q

from .forms import OrganizationPicker, PlainSelect
from .models import ACTIVE_STATUSES, Member, MemberStatus, Sex
from .selectors import member_search

S = MemberStatus
CURRENT, LEFT, ALL = "current", "left", "all"
#: What each `status` keeps; no value keeps the current members.
STATUS_GROUPS = {
    CURRENT: ACTIVE_STATUSES,
    S.OFFICIAL: (S.OFFICIAL,),
    S.PROBATIONARY: (S.PROBATIONARY,),
    S.TRANSFERRED_OUT: (S.TRANSFERRED_OUT,),
    S.DIED: (S.DIED,),
    LEFT: (S.REMOVED, S.EXPELLED, S.RESIGNED),
    S.REMOVED: (S.REMOVED,),
    S.EXPELLED: (S.EXPELLED,),
    S.RESIGNED: (S.RESIGNED,),
}
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
MINORITY = "minority"
EXEMPTED_CHOICES = [("", _("All")), ("true", _("Exempted")), ("false", _("Not exempted"))]


def _organizations(request):
    return organizations_visible_to(getattr(request, "user", None))


def _ethnicity_choices():
    return [(MINORITY, _("Ethnic minority")), *ethnic_groups()]


class _Sort(django_filters.OrderingFilter):
    """Sorting by a column, then in Vietnamese name order (sort_key, id: stable, and indexed)."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        keys = {o.lstrip("-") for o in ordering}
        return qs.order_by(*ordering, *[k for k in ("sort_key", "id") if k not in keys])


class MemberFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        help_text=_("Name without or with accents ('nguyen van an'), or the member code."),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name (with or without accents) or code")}),
    )
    org = django_filters.ModelChoiceFilter(
        label=_("Organization"), queryset=_organizations, to_field_name="code", method="filter_org",
        help_text=_("Code of an organization: its members and those of its whole subtree."),
    )
    cell = django_filters.ModelChoiceFilter(
        queryset=_organizations, to_field_name="code", field_name="cell", help_text=_("Code of the party cell."),
        widget=forms.HiddenInput,
    )
    status = django_filters.ChoiceFilter(
        label=_("Standing"), choices=STATUS_CHOICES, method="filter_status", empty_label=None, widget=PlainSelect,
        help_text=_("Default: the current members (probationary or official); `all` adds the former ones."),
    )
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=_("All"), widget=PlainSelect)
    ethnicity = django_filters.ChoiceFilter(
        label=_("Ethnicity"), choices=_ethnicity_choices, method="filter_ethnicity", empty_label=_("All"), widget=PlainSelect,
        help_text=_("Code of the ethnic group (01 = Kinh), or `minority` for every group but the Kinh."),
    )
    exempted = django_filters.BooleanFilter(label=_("Exemption"), widget=PlainSelect(choices=EXEMPTED_CHOICES))
    sort = _Sort(
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
        fields = ["search", "org", "cell", "status", "sex", "ethnicity", "exempted", "sort"]

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            qs = self.filter_status(qs, "status", CURRENT)
        return qs

    def filter_search(self, qs, name, value):
        return member_search(qs, value)

    def filter_org(self, qs, name, value):
        # the subtree's cells as a subquery, as members_visible_to does (its docstring says why)
        return qs.filter(cell__in=Organization.objects.filter(subtree_q([value])))

    def filter_status(self, qs, name, value):
        if value == ALL:
            return qs
        return qs.filter(status__in=STATUS_GROUPS[value])

    def filter_ethnicity(self, qs, name, value):
        if value == MINORITY:
            return qs.exclude(ethnicity=KINH)
        return qs.filter(ethnicity=value)
