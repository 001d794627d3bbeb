"""REST API of the comparison (`reports.comparison`): /api/reports/compare/?org=…&report=…&mode=periods|subunits
with the days or periods, limited to the caller's scope (the organization and its sub-units)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dangvu.core.api import AuditedAPIMixin

from .api import _organization_or_404, _OrgRefSerializer
from .views_compare import parse, run

_DAY = _("A day, YYYY-MM-DD.")


class _ColumnSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("first, second (two days or periods); total, then each sub-unit's code."))
    label = serializers.CharField()
    name = serializers.CharField()


class _RowSerializer(serializers.Serializer):
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
    columns = _ColumnSerializer(many=True)
    rows = _RowSerializer(many=True)


class CompareView(AuditedAPIMixin, APIView):
    """A report of an organization of your scope for two days or periods, or for its sub-units side by side."""

    @extend_schema(
        summary=_("Comparison: a report for two days or periods, or for the sub-units side by side"),
        description=_(
            "`report`: snapshot, profile or form-N (a statistics form). `mode=periods`: `a` and `b` (reports of a "
            "day) or `from_a`, `to_a`, `from_b`, `to_b` (reports of a period), with the difference. "
            "`mode=subunits`: `as_of` or `from`, `to`; the organization (column `total`) and each direct child, "
            "optionally sorted by a row (`sort`, by its share with `share=1`). An organization outside your scope "
            "does not exist (404)."),
        parameters=[
            OpenApiParameter("org", str, required=True, description=_("Code of the organization.")),
            OpenApiParameter("report", str, description=_("snapshot (default), profile, form-1, form-5, form-7, …")),
            OpenApiParameter("mode", str, enum=["periods", "subunits"], description=_("Default: periods.")),
            *[OpenApiParameter(name, str, description=_DAY)
              for name in ("a", "b", "from_a", "to_a", "from_b", "to_b", "as_of", "from", "to")],
            OpenApiParameter("sort", str, description=_("Sub-units: the key of the row to sort them by, highest first.")),
            OpenApiParameter("share", bool, description=_("Sub-units: sort by the row's share of the members.")),
        ],
        responses={200: CompareSerializer, 400: OpenApiResponse(description=_("Invalid parameters.")),
                   404: OpenApiResponse(description=_("No such organization in your scope."))},
    )
    def get(self, request):
        org = _organization_or_404(request, request.query_params.get("org") or "")
        # a bad parameter is a DomainError: 400 with the field's message (core.api.exception_handler)
        return Response(run(org, parse(request.query_params, timezone.localdate())))
