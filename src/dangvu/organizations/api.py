"""REST API of the organization tree (/api/organizations/).

Web layer: scope and role come from `accounts.api.ScopedViewSetMixin` (organizations outside the
caller's scope are absent from lists and answer 404; writing needs a role that may edit, 403).
Every organization named in the input is looked up in that scope (`ScopedOrganizationField`);
outside it, it does not exist. Dissolving and merging move members (`members.restructuring`).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.accounts.api import ScopedViewSetMixin, organizations_in_scope
from dangvu.core.api import (
    ETAG_HEADER,
    IF_MATCH_HEADER,
    PRECONDITION_FAILED,
    AuditedAPIMixin,
    DayField,
    Pagination,
    StrictInputMixin,
    VersionedAPIMixin,
)
from dangvu.core.dates import check_day
from dangvu.core.text import fold
from dangvu.members import restructuring

from . import selectors, services
from .models import Organization, OrganizationEvent, OrganizationKind, OrganizationPeriod, UnitKind

# --- Fields and serializers ------------------------------------------------------------------------


class ScopedOrganizationField(serializers.SlugRelatedField):
    """An organization given by its code, looked up among those the caller may see (the queryset is
    the serializer context's `organizations`; without it, nothing matches)."""

    default_error_messages = {
        "does_not_exist": _("No organization with code “{value}” in your scope."),
        "invalid": _("Enter an organization code."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Organization.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        scoped = self.context.get("organizations")
        return scoped if scoped is not None else Organization.objects.none()

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(str(data).strip())


class DecisionInputSerializer(StrictInputMixin, serializers.Serializer):
    """The decision (quyết định) behind a dated change, and a free note."""

    decision_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    decision_date = DayField(required=False, allow_null=True, default=None)
    issued_by = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


def decision_from(data: dict) -> services.Decision:
    return services.Decision(
        number=data.get("decision_number") or "", date=data.get("decision_date"), issued_by=data.get("issued_by") or ""
    )


class OrganizationSerializer(serializers.ModelSerializer):
    """An organization as it stands today (or as it stood when it ended)."""

    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit_kind = serializers.ChoiceField(choices=UnitKind.choices, allow_blank=True, read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, default=None)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "code", "name", "kind", "kind_display", "unit_kind", "admin_unit_code", "parent", "parent_name",
            "established_on", "dissolved_on",
        ]
        read_only_fields = fields


class OrganizationCreateSerializer(DecisionInputSerializer):
    """Thành lập: a new organization under a parent in the caller's scope."""

    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    parent = ScopedOrganizationField(help_text=_("Code of the parent organization."))
    established_on = DayField(future=True, required=False, allow_null=True, default=None)
    unit_kind = serializers.ChoiceField(choices=UnitKind.choices, required=False, allow_blank=True, default="")
    admin_unit_code = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")


class OrganizationUpdateSerializer(StrictInputMixin, serializers.Serializer):
    """Corrections of the undated details; name, parent and kind change only by dated actions."""

    unit_kind = serializers.ChoiceField(choices=UnitKind.choices, required=False, allow_blank=True)
    admin_unit_code = serializers.CharField(max_length=16, required=False, allow_blank=True)


class DatedInputSerializer(DecisionInputSerializer):
    effective_on = DayField(future=True, help_text=_("The day from which the change takes effect."))


class RenameSerializer(DatedInputSerializer):
    name = serializers.CharField(max_length=255)


class MoveSerializer(DatedInputSerializer):
    parent = ScopedOrganizationField(help_text=_("Code of the new parent organization."))


class ChangeKindSerializer(DatedInputSerializer):
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)


class DissolveSerializer(DatedInputSerializer):
    pass


class MergeSerializer(DatedInputSerializer):
    sources = serializers.ListField(
        child=ScopedOrganizationField(), min_length=1, max_length=100,
        help_text=_("Codes of the organizations merged into this one."),
    )


class OrganizationEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = OrganizationEvent
        fields = [
            "kind", "kind_display", "effective_on", "decision_number", "decision_date", "issued_by", "payload",
            "note", "recorded_at", "recorded_by",
        ]
        read_only_fields = fields


class TreeNodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    parent = serializers.CharField(allow_null=True, help_text=_("Code of the parent on that day."))
    depth = serializers.IntegerField(help_text=_("0 for the organization asked for."))


class TreeSerializer(serializers.Serializer):
    code = serializers.CharField()
    as_of = serializers.DateField()
    nodes = TreeNodeSerializer(many=True)


class AsOfSerializer(serializers.Serializer):
    as_of = DayField(future=True, required=False, help_text=_("Day (YYYY-MM-DD); today when omitted."))


# --- Filters ---------------------------------------------------------------------------------------


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


# --- View set --------------------------------------------------------------------------------------


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
        data = self._input(RenameSerializer)
        services.organization_rename(org, name=data["name"], effective_on=data["effective_on"],
                                     decision=decision_from(data), note=data["note"], actor=request.user)
        return self._answer(org)

    @_dated(MoveSerializer, _("Move under another parent (chuyển giao) from a day"),
            _("The whole subtree moves with the organization."))
    @action(detail=True, methods=["post"])
    def move(self, request, code=None):
        org = self.get_object()
        data = self._input(MoveSerializer)
        services.organization_move(org, parent=data["parent"], effective_on=data["effective_on"],
                                   decision=decision_from(data), note=data["note"], actor=request.user)
        return self._answer(org)

    @_dated(ChangeKindSerializer, _("Change the kind (nâng cấp / chuyển đổi) from a day"))
    @action(detail=True, methods=["post"], url_path="change-kind")
    def change_kind(self, request, code=None):
        org = self.get_object()
        data = self._input(ChangeKindSerializer)
        services.organization_change_kind(org, kind=data["kind"], effective_on=data["effective_on"],
                                          decision=decision_from(data), note=data["note"], actor=request.user)
        return self._answer(org)

    @extend_schema(summary=_("The events of an organization"), responses={200: OrganizationEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def events(self, request, code=None):
        org = self.get_object()
        events = OrganizationEvent.objects.filter(organization=org).select_related("recorded_by").order_by("effective_on", "id")
        return Response(OrganizationEventSerializer(events, many=True).data)

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
        restructuring.organization_merge(sources=data["sources"], target=target, effective_on=data["effective_on"],
                                         decision=decision_from(data), note=data["note"], actor=request.user)
        return self._answer(target)
