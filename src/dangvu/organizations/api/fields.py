"""What every API that names an organization or records a decision uses: an organization given by its
code, looked up in the caller's scope; the decision (quyết định) behind a dated change."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from dangvu.core.api import DayField, StrictInputMixin

from .. import services
from ..models import Organization


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
