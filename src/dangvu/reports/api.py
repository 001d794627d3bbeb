"""REST API of the reports: the snapshot of contracts §3, limited to the caller's scope."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dangvu.core.api import AuditedAPIMixin
from dangvu.members.selectors import organizations_visible_to
from dangvu.organizations.api import ScopedOrganizationField

from . import queries


class SnapshotQuerySerializer(serializers.Serializer):
    org = ScopedOrganizationField(help_text=_("Code of the organization."))
    as_of = serializers.DateField(required=False, help_text=_("Day (YYYY-MM-DD); today when omitted."))


class _OrgRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class _SnapshotOrganizationsSerializer(serializers.Serializer):
    grassroots = serializers.IntegerField()
    grassroots_committees = serializers.IntegerField()
    grassroots_cells = serializers.IntegerField()
    partial_committees = serializers.IntegerField()
    subordinate_cells = serializers.IntegerField()


class _SnapshotMembersSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    official = serializers.IntegerField()
    probationary = serializers.IntegerField()
    female = serializers.IntegerField()
    ethnic_minority = serializers.IntegerField()
    religious = serializers.IntegerField()
    exempted = serializers.IntegerField()


class SnapshotSerializer(serializers.Serializer):
    """The `report snapshot` JSON of contracts §3 (keys may be added, never removed)."""

    org = _OrgRefSerializer()
    as_of = serializers.DateField()
    organizations = _SnapshotOrganizationsSerializer()
    members = _SnapshotMembersSerializer()


class SnapshotView(AuditedAPIMixin, APIView):
    """How many organizations and members an organization of your scope had on a day."""

    @extend_schema(
        summary=_("Report snapshot: organizations and members on a day"),
        parameters=[SnapshotQuerySerializer],
        responses={200: SnapshotSerializer},
    )
    def get(self, request):
        params = SnapshotQuerySerializer(
            data=request.query_params, context={"organizations": organizations_visible_to(request.user)}
        )
        params.is_valid(raise_exception=True)
        day = params.validated_data.get("as_of") or timezone.localdate()
        return Response(queries.snapshot(params.validated_data["org"], day))
