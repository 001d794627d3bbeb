"""/api/members/CODE/…: the lifecycle actions on a member of the caller's scope, the member's party age
and the actions the caller may take now."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangvu.accounts.api import ScopedViewSetMixin
from dangvu.accounts.permissions import Action, can
from dangvu.accounts.web import DENIED
from dangvu.core.api import AuditedAPIMixin, StrictInputMixin
from dangvu.members import cancellation
from dangvu.members.api import MemberEventSerializer
from dangvu.members.models import Member, MemberEvent
from dangvu.organizations.api import decision_from

from .. import services, transfers
from ..models import DisciplineCase
from ..selectors import DISCIPLINE_ACTIONS, action_permission, allowed_actions, event_permission
from .actions import _endpoint
from .discipline_cases import CloseCaseInput, DisciplineCaseSerializer, OpenCaseInput
from .transfer_endpoints import TransferInput, TransferSerializer


class GapSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, help_text=_("Empty while the person is still outside the Party."))


class PartyAgeSerializer(serializers.Serializer):
    years = serializers.IntegerField(help_text=_("Whole years of party age (tuổi đảng)."))
    months = serializers.IntegerField(help_text=_("Whole months of party age (what a member of less than a year is shown)."))
    since = serializers.DateField(help_text=_("The first admission, from which the party age counts."))
    on = serializers.DateField(help_text=_("The day it is computed for (today, or the day of death)."))
    gaps = GapSerializer(many=True, source="gap_periods", help_text=_("The periods outside the Party left out of it."))


class AllowedActionsSerializer(serializers.Serializer):
    actions = serializers.ListField(child=serializers.CharField())


class CancelEventInput(StrictInputMixin, serializers.Serializer):
    """The cancellation of an event recorded by mistake: why."""

    reason = serializers.CharField(help_text=_("What was recorded by mistake, and how you know it."))


class MemberActionViewSet(ScopedViewSetMixin, AuditedAPIMixin, viewsets.GenericViewSet):
    """Lifecycle actions on a member of the caller's scope, by member code."""

    scope_model = Member
    # the cancellation of an event needs the permission recording such an event needs: asked once it is known
    action_permissions = {**{name.replace("-", "_"): action_permission(name) for name in DISCIPLINE_ACTIONS},
                          "cancel_event": Action.VIEW}
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    serializer_class = MemberEventSerializer

    recognize = _endpoint("recognize")
    card = _endpoint("card")
    badge = _endpoint("badge")
    transfer_in = _endpoint("transfer-in")
    discipline = _endpoint("discipline")
    suspend = _endpoint("suspend")
    lift_suspension = _endpoint("lift-suspension")
    exempt = _endpoint("exempt")
    end_exemption = _endpoint("end-exemption")
    remove = _endpoint("remove")
    resign = _endpoint("resign")
    death = _endpoint("death")
    restore = _endpoint("restore")

    @extend_schema(summary=_("Party age (tuổi đảng) today: from the first admission, minus the periods outside "
                             "the Party"), responses={200: PartyAgeSerializer})
    @action(detail=True, methods=["get"], url_path="party-age")
    def party_age(self, request, code=None):
        return Response(PartyAgeSerializer(services.party_age(self.get_object(), timezone.localdate())).data)

    @extend_schema(summary=_("The actions you may take on this member now"),
                   description=_("By the member's standing in the status machine of the rules, any open discipline "
                                 "case and your role: each name is the last part of an action's address."),
                   responses={200: AllowedActionsSerializer})
    @action(detail=True, methods=["get"], url_path="actions")
    def allowed(self, request, code=None):
        member = self.get_object()
        case_open = DisciplineCase.objects.filter(member=member, closed_on__isnull=True).exists()
        return Response({"actions": allowed_actions(member, request.user, case_open=case_open)})

    @extend_schema(summary=_("Transfer of party activities: issue the introduction letter (chuyển sinh hoạt đảng)"),
                   request=TransferInput, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, code=None):
        member = self.get_object()
        serializer = TransferInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        t = transfers.transfer_issue(member, kind=d["kind"], issued_on=d["issued_on"], to_cell=d["to_cell"],
                                     destination=d["destination"], letter_number=d["letter_number"],
                                     purpose=d["purpose"], months=d["months"], decision=decision_from(d),
                                     note=d["note"], actor=request.user)
        return Response(TransferSerializer(t).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Open a discipline case (vụ việc kỷ luật); no transfer while it is open"),
                   request=OpenCaseInput, responses={201: DisciplineCaseSerializer})
    @action(detail=True, methods=["post"], url_path="open-discipline-case")
    def open_discipline_case(self, request, code=None):
        member = self.get_object()
        serializer = OpenCaseInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.open_discipline_case(member, **serializer.validated_data, actor=request.user)
        return Response(DisciplineCaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Close the open discipline case by a decision not to discipline"),
                   request=CloseCaseInput, responses={200: DisciplineCaseSerializer})
    @action(detail=True, methods=["post"], url_path="close-discipline-case")
    def close_discipline_case(self, request, code=None):
        member = self.get_object()
        serializer = CloseCaseInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.close_discipline_case(member, **serializer.validated_data, actor=request.user)
        return Response(DisciplineCaseSerializer(case).data)

    @extend_schema(
        summary=_("Cancel an event recorded by mistake (hủy sự kiện nhập sai)"),
        description=_("The event is kept, marked cancelled with the reason, and the member's history is replayed "
                      "without it; refused when the history without it breaks the rules, for the first admission "
                      "and for an event another record was made with. Needs the permission recording such an event "
                      "needs."),
        parameters=[OpenApiParameter("event_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        request=CancelEventInput, responses={200: MemberEventSerializer},
    )
    @action(detail=True, methods=["post"], url_path=r"events/(?P<event_id>[0-9]+)/cancel")
    def cancel_event(self, request, code=None, event_id=None):
        member = self.get_object()
        event = get_object_or_404(MemberEvent.with_cancelled, member=member, pk=event_id)
        permission = event_permission(event.kind)
        if not can(request.user, permission):
            raise PermissionDenied(DENIED[permission])
        serializer = CancelEventInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        cancellation.cancel_event(event, reason=serializer.validated_data["reason"], actor=request.user)
        event = MemberEvent.with_cancelled.select_related("cell", "recorded_by", "cancelled_by").get(pk=event.pk)
        return Response(MemberEventSerializer(event).data)
