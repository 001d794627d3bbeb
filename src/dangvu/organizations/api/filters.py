"""The filters of the organization list: kind, parent, name or code, existing on a day."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.accounts.api import organizations_in_scope
from dangvu.core.dates import check_day
from dangvu.core.text import fold

from ..models import Organization, OrganizationKind, OrganizationPeriod


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    parent = django_filters.ModelChoiceFilter(
        queryset=organizations_in_scope, to_field_name="code", field_name="parent", help_text=_("Code of the parent organization.")
    )
    search = django_filters.CharFilter(method="filter_search", help_text=_("Part of the name (accents optional) or the code."))
    as_of = django_filters.DateFilter(method="filter_as_of", help_text=_("Only organizations existing on that day."))

    class Meta:
        model = Organization
        fields = ["kind", "parent", "search", "as_of"]

    def filter_search(self, queryset, name, value):
        q = fold(value)
        if not q:
            return queryset
        return queryset.filter(Q(name_folded__contains=q) | Q(code__iexact=value.strip()))

    def filter_as_of(self, queryset, name, value):
        check_day(value, field="as_of")
        valid = OrganizationPeriod.objects.active_on(value)
        return queryset.filter(pk__in=valid.values("organization_id"))
