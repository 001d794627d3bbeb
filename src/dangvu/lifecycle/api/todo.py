"""/api/todo/: what needs doing across the caller's scope (việc cần làm), computed when asked."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import worklist
from .discipline_cases import DisciplineCaseSerializer
from .transfer_endpoints import TransferSerializer


class TodoMemberSerializer(serializers.Serializer):
    code = serializers.CharField(source="member.code")
    full_name = serializers.CharField(source="member.full_name")
    cell = serializers.CharField(source="member.cell.code")


class ProbationSerializer(TodoMemberSerializer):
    ends_on = serializers.DateField()
    cell_deadline = serializers.DateField()
    overdue = serializers.BooleanField()


class BadgeDueSerializer(TodoMemberSerializer):
    milestone = serializers.IntegerField()


class CardDueSerializer(serializers.Serializer):
    code = serializers.CharField()
    full_name = serializers.CharField()
    cell = serializers.CharField(source="cell.code")
    made_official_on = serializers.DateField()


class CandidateDueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    cell = serializers.CharField(source="cell.code")
    next_step = serializers.CharField()
    due_on = serializers.DateField()


class OpenCaseSerializer(DisciplineCaseSerializer):
    full_name = serializers.CharField(source="member.full_name")
    cell = serializers.CharField(source="member.cell.code")

    class Meta(DisciplineCaseSerializer.Meta):
        fields = ["id", "member", "full_name", "cell", "opened_on", "authority", "violation", "violation_on"]


class CycleDueSerializer(serializers.Serializer):
    cycle = serializers.IntegerField(source="cycle.pk")
    organization = serializers.CharField(source="cycle.organization.code")
    year = serializers.IntegerField(source="cycle.year")
    members_pending = serializers.IntegerField()
    cells_pending = serializers.IntegerField()
    organizations_pending = serializers.IntegerField()
    cell = serializers.CharField(source="cell.code", allow_null=True, help_text=_(
        "The party cell of the caller's scope rated in a cycle run above it (null for the cycles of the scope)."))
    proposals_pending = serializers.IntegerField(help_text=_(
        "Members of that party cell without its proposal (or a rating) yet."))
    deadline = serializers.DateField(help_text=_("The time limit of the decisions (a default where no text gives "
                                                 "one: see deadline_unconfirmed)."))
    deadline_unconfirmed = serializers.BooleanField()
    overdue = serializers.BooleanField()


class TodoCountSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()


class TodoSerializer(serializers.Serializer):
    today = serializers.DateField()
    counts = serializers.DictField(child=TodoCountSerializer(),
                                   help_text=_("Per list: the items of the whole list and how many are overdue."))
    transfers = TransferSerializer(many=True)
    discipline_cases = OpenCaseSerializer(many=True)
    candidates = CandidateDueSerializer(many=True)
    probations = ProbationSerializer(many=True)
    assessment = CycleDueSerializer(many=True)
    award_date = serializers.DateField()
    badges = BadgeDueSerializer(many=True)
    cards = CardDueSerializer(many=True)
    cards_count = serializers.IntegerField()


#: Items of each to-do list in the API answer (`counts` gives the size of the whole list).
TODO_API_LIMIT = 200


class TodoView(APIView):
    """What needs doing across the caller's scope, computed when asked (việc cần làm)."""

    @extend_schema(summary=_("To do: candidates' steps due, transfers in transit, open discipline cases, probations "
                             "ending, assessment cycles to finish, badges due at the next award date, cards not "
                             "issued"),
                   responses={200: TodoSerializer})
    def get(self, request):
        return Response(TodoSerializer(worklist.worklist(request.user, timezone.localdate(), limit=TODO_API_LIMIT)).data)
