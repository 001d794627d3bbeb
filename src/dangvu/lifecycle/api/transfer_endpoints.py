"""Transfers of party activities (chuyển sinh hoạt đảng) in the API: the letter issued, the transfers in
scope, their receipt (tiếp nhận)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dangvu import regulations as R
from dangvu.accounts.api import ScopedViewSetMixin
from dangvu.accounts.permissions import Action
from dangvu.accounts.web import require_on
from dangvu.core.api import AuditedAPIMixin, DayField
from dangvu.organizations.api import DecisionInputSerializer

from .. import selectors, transfers
from ..models import Transfer, TransferKind


class TransferInput(DecisionInputSerializer):
    kind = serializers.ChoiceField(choices=TransferKind.choices)
    issued_on = DayField()
    letter_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    to_cell = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None, max_length=32,
                                    help_text=_("Code of the receiving chi bộ in this database."))
    destination = serializers.CharField(max_length=255, required=False, allow_blank=True, default="",
                                        help_text=_("The receiving organization outside this database."))
    purpose = serializers.ChoiceField(choices=list(R.TRANSFER_PURPOSE_LABELS.items()), default="work")
    months = serializers.IntegerField(min_value=0, default=0, help_text=_("Temporary transfers: how long."))

    def validate_to_cell(self, code):
        """The destination among those the caller may name (lifecycle.selectors.transfer_destination)."""
        org = selectors.transfer_destination(self.context["request"].user, code)
        if code and org is None:
            raise serializers.ValidationError(selectors.unknown_destination())
        return org


class TransferSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.code", read_only=True)
    from_cell = serializers.CharField(source="from_cell.code", read_only=True)
    to_cell = serializers.CharField(source="to_cell.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Transfer
        fields = ["id", "member", "kind", "from_cell", "to_cell", "destination", "issued_on", "letter_number",
                  "report_by", "purpose", "until", "received_on"]


class ReceiveInput(serializers.Serializer):
    received_on = DayField()


class TransferViewSet(ScopedViewSetMixin, AuditedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Transfers from or to a chi bộ of the caller's scope."""

    scope_model = Transfer
    serializer_class = TransferSerializer

    def refine_queryset(self, queryset):
        return queryset.select_related("member", "from_cell", "to_cell").order_by("id")

    @extend_schema(summary=_("Record the receipt of a transfer (tiếp nhận)"), request=ReceiveInput,
                   responses={200: TransferSerializer})
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        transfer = self.get_object()
        require_on(request.user, Action.EDIT, transfers.receiving_side(transfer), transfers.not_receiving_side(transfer))
        serializer = ReceiveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        t = transfers.transfer_receive(transfer, received_on=serializer.validated_data["received_on"],
                                       actor=request.user)
        return Response(TransferSerializer(t).data)
