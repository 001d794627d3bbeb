"""REST API of the member registry (/api/members/).

Scope and role by `accounts.api.ScopedViewSetMixin`: a member outside the caller's scope is absent
from lists and answers 404; writing needs a role that may edit (403). Personal data (national ID
number, addresses, phone) is serialized, and accepted as input, only for callers whose role allows it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu.accounts.api import ScopedViewSetMixin
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
from dangvu.organizations.api import DecisionInputSerializer, ScopedOrganizationField, decision_from

from . import selectors, services
from .filters import MemberFilter
from .models import PERSONAL_FIELDS, Member, MemberEvent, PoliticalTheory, Sex

# --- Member serializers ------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    """A member's identity, profile and current standing. Personal fields appear only for callers
    allowed to see personal data."""

    cell = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cell_name = serializers.CharField(source="cell.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    ethnicity_name = serializers.CharField(source="get_ethnicity_display", read_only=True)
    # Not read-only so that the schema marks them optional: they are left out for some callers.
    national_id_number = serializers.CharField(required=False)
    residence = serializers.CharField(required=False)
    current_address = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)

    class Meta:
        model = Member
        fields = [
            "code", "full_name", "family_name", "middle_name", "given_name", "other_names", "birth_date", "sex",
            "ethnicity", "ethnicity_name", "religion", "place_of_birth", "home_town", "occupation",
            "general_education", "professional_qualification", "political_theory_level", "biography_number",
            "card_number", "admitted_on", "readmitted_on", "made_official_on", "status", "status_display", "exempted", "suspended", "cell",
            "cell_name", "ended_on", *PERSONAL_FIELDS,
        ]
        read_only_fields = [f for f in fields if f not in PERSONAL_FIELDS]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("personal_data", False):
            for name in PERSONAL_FIELDS:
                data.pop(name, None)
        return data


class PersonalInputMixin:
    """Personal fields are accepted only from callers allowed to see personal data."""

    def validate(self, attrs):
        if not self.context.get("personal_data", False):
            sent = [name for name in PERSONAL_FIELDS if name in getattr(self, "initial_data", {})]
            if sent:
                raise serializers.ValidationError(
                    {name: [_("Your role does not allow seeing or changing personal data.")] for name in sent}
                )
        return super().validate(attrs)


def _profile_fields():
    return {
        "other_names": serializers.CharField(max_length=255, required=False, allow_blank=True),
        "religion": serializers.CharField(max_length=100, required=False, allow_blank=True),
        "place_of_birth": serializers.CharField(max_length=255, required=False, allow_blank=True),
        "home_town": serializers.CharField(max_length=255, required=False, allow_blank=True),
        "residence": serializers.CharField(max_length=255, required=False, allow_blank=True),
        "current_address": serializers.CharField(max_length=255, required=False, allow_blank=True),
        "national_id_number": serializers.CharField(
            max_length=12, required=False, allow_blank=True, help_text=_("12 digits (CCCD).")
        ),
        "phone": serializers.CharField(max_length=20, required=False, allow_blank=True),
        "occupation": serializers.CharField(max_length=255, required=False, allow_blank=True),
        "general_education": serializers.CharField(max_length=20, required=False, allow_blank=True),
        "professional_qualification": serializers.CharField(max_length=255, required=False, allow_blank=True),
        "political_theory_level": serializers.ChoiceField(
            choices=PoliticalTheory.choices, required=False, allow_blank=True
        ),
        "biography_number": serializers.CharField(max_length=32, required=False, allow_blank=True),
    }


class MemberProfileSerializer(PersonalInputMixin, StrictInputMixin, serializers.Serializer):
    """Identity and profile corrections (partial). Placement and status change only by events."""

    full_name = serializers.CharField(max_length=255, required=False)
    birth_date = DayField(required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    ethnicity = serializers.CharField(
        max_length=64, required=False, help_text=_("Name (e.g. Kinh, Thái, Mông) or code (01–54) of the ethnic group.")
    )

    def get_fields(self):
        return {**super().get_fields(), **_profile_fields()}


class MemberCreateSerializer(PersonalInputMixin, DecisionInputSerializer):
    """Register a member: admitted on a day and placed in a cell of the caller's scope."""

    code = serializers.CharField(max_length=32)
    full_name = serializers.CharField(max_length=255)
    birth_date = DayField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    ethnicity = serializers.CharField(
        max_length=64, help_text=_("Name (e.g. Kinh, Thái, Mông) or code (01–54) of the ethnic group.")
    )
    admitted_on = DayField()
    cell = ScopedOrganizationField(help_text=_("Code of the party cell (chi bộ)."))
    placed_on = DayField(
        required=False, allow_null=True, default=None,
        help_text=_("When the member came from outside this database: the day of the transfer in."),
    )
    made_official_on = DayField(required=False, allow_null=True, default=None)
    card_number = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("note")
        return {**fields, **_profile_fields()}


class MemberEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    cell = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    cell_name = serializers.CharField(source="cell.name", read_only=True, allow_null=True, default=None)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    cancelled_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = MemberEvent
        fields = [
            "id", "kind", "kind_display", "effective_on", "cell", "cell_name", "value", "decision_number",
            "decision_date", "issued_by", "note", "planned_end", "recorded_at", "recorded_by", "cancelled_at",
            "cancelled_by", "cancel_reason",
        ]
        read_only_fields = fields


# --- Member view set (its filter: members.filters) ------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List members in your scope")),
    retrieve=extend_schema(summary=_("Read a member"), parameters=[ETAG_HEADER]),
    create=extend_schema(
        summary=_("Register a member"), request=MemberCreateSerializer, responses={201: MemberSerializer}
    ),
    partial_update=extend_schema(
        summary=_("Correct a member's identity or profile"),
        request=MemberProfileSerializer, responses={200: MemberSerializer, 412: PRECONDITION_FAILED},
        parameters=[IF_MATCH_HEADER, ETAG_HEADER],
    ),
)
class MemberViewSet(
    ScopedViewSetMixin, AuditedAPIMixin, VersionedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Party members in the caller's scope, by member code, ordered the Vietnamese way."""

    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    serializer_class = MemberSerializer
    pagination_class = Pagination
    filterset_class = MemberFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    scope_model = Member

    def refine_queryset(self, queryset):
        return queryset.select_related("cell").order_by("sort_key", "id")

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, member, code=status.HTTP_200_OK):
        member = Member.objects.select_related("cell").get(pk=member.pk)
        return Response(MemberSerializer(member, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = dict(self._input(MemberCreateSerializer))
        decision = decision_from(data)
        for key in ("decision_number", "decision_date", "issued_by"):
            data.pop(key)
        member = services.member_register(decision=decision, actor=request.user, **data)
        return self._answer(member, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        member = self.get_object()
        data = self._input(MemberProfileSerializer)
        version = self.if_match_version(member)
        services.member_update_profile(member, version=version, actor=request.user, **data)
        return self.with_etag(self._answer(member), member)

    @extend_schema(
        summary=_("The events (biến động) of a member, in date order"),
        description=_("Events are recorded by the lifecycle actions (/api/lifecycle/members/{code}/…), each "
                      "checked against the rules in force on its date."),
        responses={200: MemberEventSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def events(self, request, code=None):
        member = self.get_object()
        return Response(MemberEventSerializer(selectors.member_timeline(member), many=True).data)
