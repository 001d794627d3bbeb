"""Discipline cases (vụ việc kỷ luật) in the API: opening and closing a case, and the case as answered."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.core.api import DayField, StrictInputMixin

from ..models import DisciplineCase


class OpenCaseInput(StrictInputMixin, serializers.Serializer):
    opened_on = DayField()
    authority = serializers.CharField(max_length=255, help_text=_("The party organization or commission considering "
                                                                  "the case."))
    violation = serializers.CharField(help_text=_("The alleged violation."))
    violation_on = DayField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseCaseInput(StrictInputMixin, serializers.Serializer):
    closed_on = DayField(help_text=_("The day of the decision not to discipline."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DisciplineCaseSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.code", read_only=True)
    event = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = DisciplineCase
        fields = ["id", "member", "opened_on", "authority", "violation", "violation_on", "closed_on", "outcome",
                  "event", "note"]
