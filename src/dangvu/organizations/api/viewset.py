"""/api/organizations/: the organizations in the caller's scope, their establishment, corrections and
dated changes (each an event with its decision), their events and their subtree on a day."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.accounts.api import ScopedViewSetMixin
from dangvu.accounts.permissions import require_change_organization
from dangvu.core.api import (
    ETAG_HEADER,
    IF_MATCH_HEADER,
    PRECONDITION_FAILED,
    AuditedAPIMixin,
    Pagination,
    VersionedAPIMixin,
)
from dangvu.members import restructuring

from .. import selectors, services
from ..models import Organization, OrganizationEvent
from .fields import decision_from
from .filters import OrganizationFilter
from .serializers import (
    AsOfSerializer,
    ChangeKindSerializer,
    DissolveSerializer,
    MergeSerializer,
    MoveSerializer,
    OrganizationCreateSerializer,
    OrganizationEventSerializer,
    OrganizationSerializer,
    OrganizationUpdateSerializer,
    RenameSerializer,
    TreeSerializer,
)

DATED_ACTION = _(
    "Recorded as a dated event with its decision; refused with field errors, and nothing written, when the "
    "tree as it stood on that day does not allow it."
)


def _dated(serializer_class, summary: str, description: str = ""):
    return extend_schema(
        request=serializer_class, responses={200: OrganizationSerializer}, summary=summary,
        description=format_lazy("{} {}", description, DATED_ACTION) if description else DATED_ACTION,
    )


@extend_schema_view(
    list=extend_schema(summary=_("List organizations in your scope")),
    retrieve=extend_schema(summary=_("Read an organization"), parameters=[ETAG_HEADER]),
    create=extend_schema(
        summary=_("Establish an organization (thành lập)"),
        request=OrganizationCreateSerializer, responses={201: OrganizationSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Correct the undated details of an organization"),
        request=OrganizationUpdateSerializer, responses={200: OrganizationSerializer, 412: PRECONDITION_FAILED},
        parameters=[IF_MATCH_HEADER, ETAG_HEADER],
    ),
)
class OrganizationViewSet(
    ScopedViewSetMixin, AuditedAPIMixin, VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Party organizations in the caller's scope, by code."""

    scope_model = Organization
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    serializer_class = OrganizationSerializer
    pagination_class = Pagination
    filterset_class = OrganizationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def refine_queryset(self, queryset):
        return queryset.select_related("parent").order_by("code")

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, org, code=status.HTTP_200_OK):
        org = Organization.objects.select_related("parent").get(pk=org.pk)
        return Response(OrganizationSerializer(org, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self._input(OrganizationCreateSerializer)
        org = services.organization_establish(
            code=data["code"], name=data["name"], kind=data["kind"], parent=data["parent"],
            established_on=data["established_on"], unit_kind=data["unit_kind"],
            admin_unit_code=data["admin_unit_code"], decision=decision_from(data), note=data["note"],
            actor=request.user,
        )
        return self._answer(org, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        org = self.get_object()
        data = self._input(OrganizationUpdateSerializer)
        version = self.if_match_version(org)
        services.organization_update_details(org, version=version, actor=request.user, **data)
        return self.with_etag(self._answer(org), org)

    @_dated(RenameSerializer, _("Rename (đổi tên) from a day"))
    @action(detail=True, methods=["post"])
    def rename(self, request, code=None):
        org = self.get_object()
        require_change_organization(request.user, org)
        data = self._input(RenameSerializer)
        services.organization_rename(org, name=data["name"], effective_on=data["effective_on"],
                                     decision=decision_from(data), note=data["note"], actor=request.user)
        return self._answer(org)

    @_dated(MoveSerializer, _("Move under another parent (chuyển giao) from a day"),
            _("The whole subtree moves with the organization."))
    @action(detail=True, methods=["post"])
    def move(self, request, code=None):
        org = self.get_object()
        require_change_organization(request.user, org)
        data = self._input(MoveSerializer)
        services.organization_move(org, parent=data["parent"], effective_on=data["effective_on"],
                                   decision=decision_from(data), note=data["note"], actor=request.user)
        return self._answer(org)

    @_dated(ChangeKindSerializer, _("Change the kind (nâng cấp / chuyển đổi) from a day"))
    @action(detail=True, methods=["post"], url_path="change-kind")
    def change_kind(self, request, code=None):
        org = self.get_object()
        require_change_organization(request.user, org)
        data = self._input(ChangeKindSerializer)
        restructuring.organization_change_kind(org, kind=data["kind"], effective_on=data["effective_on"],
                                               name=data["name"], cell_name=data["cell_name"], cell_code=data["cell_code"],
                                               decision=decision_from(data), note=data["note"], actor=request.user)
        return self._answer(org)

    @extend_schema(summary=_("The events of an organization"), responses={200: OrganizationEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def events(self, request, code=None):
        org = self.get_object()
        events = list(OrganizationEvent.objects.filter(organization=org).select_related("recorded_by")
                      .order_by("effective_on", "id"))
        names = selectors.events_as_told(events)  # as the web history tells them
        return Response(OrganizationEventSerializer(events, many=True, context={"names": names}).data)

    @extend_schema(
        summary=_("The subtree of an organization as it stood on a day"),
        parameters=[OpenApiParameter("as_of", type=OpenApiTypes.DATE, required=False,
                                     description=str(_("Day (YYYY-MM-DD); today when omitted.")))],
        responses={200: TreeSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def tree(self, request, code=None):
        org = self.get_object()
        params = AsOfSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        day = params.validated_data.get("as_of") or timezone.localdate()
        rows = selectors.tree_as_of(org.pk, day)
        # The tree of a past day may hold organizations that have since left the caller's scope.
        visible = set(self.scoped_organizations().filter(pk__in=[r["id"] for r in rows]).values_list("pk", flat=True))
        codes = {r["id"]: r["code"] for r in rows}
        kept: set[int] = set()
        nodes = []
        for r in rows:  # depth-first: a parent comes before its children
            if r["id"] not in visible or (r["depth"] > 0 and r["parent_id"] not in kept):
                continue
            kept.add(r["id"])
            parent = codes.get(r["parent_id"])
            if parent is None and r["parent_id"] is not None:  # the root's parent on that day
                parent = org.parent.code if r["parent_id"] == org.parent_id else (
                    Organization.objects.filter(pk=r["parent_id"]).values_list("code", flat=True).first()
                )
            nodes.append({"code": r["code"], "name": r["name"], "kind": r["kind"], "parent": parent, "depth": r["depth"]})
        return Response(TreeSerializer({"code": org.code, "as_of": day, "nodes": nodes}).data)

    @extend_schema(
        summary=_("Dissolve (giải thể) from a day"),
        description=_("Refused while members or subordinate organizations remain on that day."),
        request=DissolveSerializer, responses={200: OrganizationSerializer},
    )
    @action(detail=True, methods=["post"])
    def dissolve(self, request, code=None):
        org = self.get_object()
        require_change_organization(request.user, org)
        data = self._input(DissolveSerializer)
        restructuring.organization_dissolve(org, effective_on=data["effective_on"], decision=decision_from(data),
                                            note=data["note"], actor=request.user)
        return self._answer(org)

    @extend_schema(
        summary=_("Merge organizations into this one (sáp nhập)"),
        description=_("The sources end on the day; their members move into this cell and their "
                      "subordinate organizations move under this organization."),
        request=MergeSerializer, responses={200: OrganizationSerializer},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, code=None):
        target = self.get_object()
        data = self._input(MergeSerializer)
        require_change_organization(request.user, *data["sources"])
        restructuring.organization_merge(sources=data["sources"], target=target, effective_on=data["effective_on"],
                                         decision=decision_from(data), note=data["note"], actor=request.user)
        return self._answer(target)
