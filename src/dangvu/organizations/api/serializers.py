"""The organizations API's inputs and answers: an organization, its establishment and corrections, the
dated changes, its events, its subtree on a day."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangvu.core.api import DayField, StrictInputMixin

from ..models import Organization, OrganizationEvent, OrganizationKind, UnitKind
from ..selectors import event_names
from .fields import DecisionInputSerializer, ScopedOrganizationField


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
    established_on = DayField(required=False, allow_null=True, default=None)
    unit_kind = serializers.ChoiceField(choices=UnitKind.choices, required=False, allow_blank=True, default="")
    admin_unit_code = serializers.CharField(max_length=16, required=False, allow_blank=True, default="")


class OrganizationUpdateSerializer(StrictInputMixin, serializers.Serializer):
    """Corrections of the undated details; name, parent and kind change only by dated actions."""

    unit_kind = serializers.ChoiceField(choices=UnitKind.choices, required=False, allow_blank=True)
    admin_unit_code = serializers.CharField(max_length=16, required=False, allow_blank=True)


class DatedInputSerializer(DecisionInputSerializer):
    effective_on = DayField(help_text=_("The day from which the change takes effect."))


class RenameSerializer(DatedInputSerializer):
    name = serializers.CharField(max_length=255)


class MoveSerializer(DatedInputSerializer):
    parent = ScopedOrganizationField(help_text=_("Code of the new parent organization."))


class ChangeKindSerializer(DatedInputSerializer):
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="", help_text=_(
        "The new name, when the organization is renamed by the same decision; empty keeps the name."))
    cell_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="", help_text=_(
        "Only for a cell with members placed directly in it whose new kind holds none (a grassroots committee): "
        "the name of the subordinate cell established on that day, into which they move."))
    cell_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="",
                                      help_text=_("The code of that subordinate cell."))


class DissolveSerializer(DatedInputSerializer):
    pass


class MergeSerializer(DatedInputSerializer):
    sources = serializers.ListField(
        child=ScopedOrganizationField(), min_length=1, max_length=100,
        help_text=_("Codes of the organizations merged into this one."),
    )


class OrganizationEventSerializer(serializers.ModelSerializer):
    """An event as the web history tells it: the events told by `selectors.events_as_told`, whose names
    function comes in the context (`names`)."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    names = serializers.SerializerMethodField(help_text=_(
        "The organizations the payload names by id, by their names of the event's day (a former parent: of the "
        "day before), keyed as the payload."))

    class Meta:
        model = OrganizationEvent
        fields = [
            "kind", "kind_display", "effective_on", "decision_number", "decision_date", "issued_by", "payload",
            "names", "note", "recorded_at", "recorded_by",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_names(self, ev) -> dict:
        return event_names(ev, self.context["names"])


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
