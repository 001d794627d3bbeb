"""REST API of the comparison (`reports.comparison`): /api/reports/compare/?org=…&report=…&mode=periods|subunits
with the days or periods, limited to the caller's scope (the organization and its sub-units)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .api import ReportView, _OrgRefSerializer, query_serializer
from .comparison import MODES
from .views_compare import parse, run

_DAY = _("A day, YYYY-MM-DD.")


class _CompareColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("first, second (two days or periods); total, then each sub-unit's code."))
    label = serializers.CharField()
    name = serializers.CharField()


class _CompareRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("The row of the report, e.g. members.female, by_sex.female, admitted."))
    label = serializers.CharField()
    level = serializers.IntegerField()
    values = serializers.ListField(child=serializers.FloatField(allow_null=True), help_text=_(
        "One value per column, in the order of `columns` (null: a heading)."))
    shares = serializers.ListField(child=serializers.FloatField(allow_null=True), allow_null=True, help_text=_(
        "Each value as a percentage of the column's party members (rows counting members), else null."))
    difference = serializers.FloatField(required=False, allow_null=True, help_text=_("Second − first (two days "
                                                                                     "or periods)."))
    change = serializers.FloatField(required=False, allow_null=True, help_text=_("The difference as a percentage of the first."))


class _ReportRefSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    period = serializers.BooleanField()


class CompareSerializer(serializers.Serializer):
    """A report compared: its columns and its rows aligned by key."""

    report = _ReportRefSerializer()
    mode = serializers.CharField()
    org = _OrgRefSerializer()
    columns = _CompareColumnSerializer(many=True)
    rows = _CompareRowSerializer(many=True)


# `from` is a Python keyword: the fields are declared through a namespace. The days are texts, read by
# `views_compare.parse` as on the page (YYYY-MM-DD or dd/mm/yyyy).
CompareQuerySerializer = query_serializer("CompareQuerySerializer", {
    "report": serializers.CharField(required=False, allow_blank=True, help_text=_(
        "snapshot (default), profile, form-1, form-5, form-7, …")),
    "mode": serializers.ChoiceField(choices=MODES, required=False, help_text=_("Default: periods."),
                                    error_messages={"invalid_choice": _("Unknown comparison “{input}”.")}),
    **{name: serializers.CharField(required=False, allow_blank=True, help_text=_DAY)
       for name in ("a", "b", "from_a", "to_a", "from_b", "to_b", "as_of", "from", "to")},
    "sort": serializers.CharField(required=False, allow_blank=True, help_text=_(
        "Sub-units: the key of the row to sort them by, highest first.")),
    "share": serializers.BooleanField(required=False, help_text=_("Sub-units: sort by the row's share of the members.")),
}, "The parameters of a comparison.")


class CompareView(ReportView):
    """A report of an organization of your scope for two days or periods, or for its sub-units side by side."""

    query, answer = CompareQuerySerializer, CompareSerializer
    summary = _("Comparison: a report for two days or periods, or for the sub-units side by side")
    description = _(
        "`report`: snapshot, profile or form-N (a statistics form). `mode=periods`: `a` and `b` (reports of a "
        "day) or `from_a`, `to_a`, `from_b`, `to_b` (reports of a period), with the difference. "
        "`mode=subunits`: `as_of` or `from`, `to`; the organization (column `total`) and each direct child, "
        "optionally sorted by a row (`sort`, by its share with `share=1`). An organization outside your scope "
        "does not exist (404).")

    def report(self, org, params):
        # a bad parameter is a DomainError: 400 with the field's message (core.api.exception_handler)
        return run(org, parse(params, timezone.localdate()))
