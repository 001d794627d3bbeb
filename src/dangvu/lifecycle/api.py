"""REST API of the member lifecycle: one POST endpoint per action (recognition, card, badge,
transfer, discipline and its cases, exemption, removal, resignation, death, restoration), each checking
the rules in force on its date through `services`, a member's party age, and the to-do lists. Scoped like
the registry (404 outside); an action needs a role that may take it (403; `selectors.action_permission`). A refusal is a
400 with the field at fault and the reason."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from dangvu import regulations as R
from dangvu.accounts.api import ScopedViewSetMixin
from dangvu.core.api import AuditedAPIMixin, DayField, StrictInputMixin
from dangvu.members.api import MemberEventSerializer
from dangvu.members.models import Member, MemberEvent
from dangvu.organizations.api import DecisionInputSerializer, ScopedOrganizationField, decision_from

from . import selectors, services, transfers, worklist
from .models import DisciplineCase, Transfer, TransferKind
from .selectors import DISCIPLINE_ACTIONS, action_permission, allowed_actions
from .services import Vote, badge_milestone_error


class VoteInput(serializers.Serializer):
    due = serializers.IntegerField(min_value=0, help_text=_("Official members of the cell."))
    present = serializers.IntegerField(min_value=0)
    votes_for = serializers.IntegerField(min_value=0)


class RecognizeInput(DecisionInputSerializer, VoteInput):
    decided_on = DayField(future=True, help_text=_("Not before the probation of the rules ends."))


class CardInput(DecisionInputSerializer):
    number = serializers.CharField(max_length=8, help_text=_("8 digits."))
    issued_on = DayField(future=True)


class BadgeInput(DecisionInputSerializer):
    milestone = serializers.IntegerField(help_text=_("Years of party age: a milestone of the rules in force on the "
                                                     "award date."))
    award_date = DayField(future=True, help_text=_("An award occasion of the rules in force on that day."))
    seriously_ill = serializers.BooleanField(default=False, help_text=_("Early award for a seriously ill member."))

    def validate(self, attrs):
        attrs = super().validate(attrs)
        milestones = R.rules_on(attrs["award_date"]).badge_milestones
        if attrs["milestone"] not in milestones:
            raise serializers.ValidationError({"milestone": badge_milestone_error(milestones)})
        return attrs


class DisciplineInput(DecisionInputSerializer):
    form = serializers.ChoiceField(choices=list(R.DISCIPLINE_FORM_LABELS.items()))
    decided_on = DayField(future=True)
    violation_on = DayField(required=False, allow_null=True, default=None)
    conditions = serializers.MultipleChoiceField(
        choices=list(R.PROTECTED_CONDITION_LABELS.items()), required=False, default=list,
        help_text=_("Conditions of the member that protect from discipline while they hold (pregnant, caring "
                    "for a child under 12 months, seriously ill): the discipline is refused."))


class ExemptInput(DecisionInputSerializer):
    on = DayField(future=True)
    ground = serializers.ChoiceField(choices=list(R.EXEMPTION_GROUND_LABELS.items()), default="age")
    treatment_months = serializers.IntegerField(min_value=0, default=0)
    medical_record = serializers.BooleanField(default=False)


class DatedInput(DecisionInputSerializer):
    on = DayField(future=True)


class RestoreInput(DatedInput):
    decision_number = serializers.CharField(max_length=64, help_text=_("The decision annulling the removal or "
                                                                       "expulsion."))
    cell = ScopedOrganizationField(help_text=_("Code of the party cell the member returns to."))


class RemoveInput(DatedInput):
    ground = serializers.ChoiceField(choices=list(services.REMOVAL_GROUNDS))
    due = serializers.IntegerField(min_value=0, required=False)
    present = serializers.IntegerField(min_value=0, required=False)
    votes_for = serializers.IntegerField(min_value=0, required=False)


def _vote(d: dict) -> Vote | None:
    if d.get("due") is None or d.get("votes_for") is None:
        return None
    return Vote(d["due"], d.get("present", d["due"]), d["votes_for"])


class TransferInInput(DatedInput):
    to_cell = ScopedOrganizationField(help_text=_("Code of the receiving party cell (in your scope)."))


#: action name → (input serializer, call(member, data, actor) → event, summary)
ACTIONS = {
    "recognize": (RecognizeInput, lambda m, d, a: services.recognize_official(
        m, decided_on=d["decided_on"], vote=_vote(d), decision=decision_from(d), actor=a),
        _("Recognise a probationary member as official (công nhận chính thức)")),
    "card": (CardInput, lambda m, d, a: services.issue_card(
        m, number=d["number"], issued_on=d["issued_on"], decision=decision_from(d), actor=a),
        _("Issue a party card (cấp thẻ đảng viên)")),
    "badge": (BadgeInput, lambda m, d, a: services.award_badge(
        m, milestone=d["milestone"], award_date=d["award_date"], seriously_ill=d["seriously_ill"],
        decision=decision_from(d), actor=a),
        _("Award the Party badge due on an award date (trao Huy hiệu Đảng)")),
    "transfer-in": (TransferInInput, lambda m, d, a: transfers.transfer_in(
        m, on=d["on"], to_cell=d["to_cell"], decision=decision_from(d), note=d["note"], actor=a),
        _("Transfer a member who had left this database back into one of its chi bộ (chuyển sinh hoạt đến)")),
    "discipline": (DisciplineInput, lambda m, d, a: services.discipline(
        m, form=d["form"], decided_on=d["decided_on"], violation_on=d["violation_on"], conditions=d["conditions"],
        decision=decision_from(d), note=d["note"], actor=a), _("Discipline (kỷ luật); expulsion ends the membership")),
    "exempt": (ExemptInput, lambda m, d, a: services.exempt(
        m, on=d["on"], ground=d["ground"], treatment_months=d["treatment_months"],
        medical_record=d["medical_record"], decision=decision_from(d), note=d["note"], actor=a),
        _("Exempt from work and party activities (miễn công tác và sinh hoạt đảng)")),
    "end-exemption": (DatedInput, lambda m, d, a: services.end_exemption(
        m, on=d["on"], decision=decision_from(d), note=d["note"], actor=a), _("End the exemption")),
    "remove": (RemoveInput, lambda m, d, a: services.remove(
        m, on=d["on"], ground=d["ground"], vote=_vote(d), decision=decision_from(d), note=d["note"], actor=a),
        _("Remove from the Party (xóa tên)")),
    "resign": (DatedInput, lambda m, d, a: services.resign(
        m, on=d["on"], decision=decision_from(d), note=d["note"], actor=a), _("Leave the Party (xin ra khỏi Đảng)")),
    "death": (DatedInput, lambda m, d, a: services.record_death(m, on=d["on"], note=d["note"], actor=a),
              _("Record a death (từ trần)")),
    "restore": (RestoreInput, lambda m, d, a: services.restore_membership(
        m, on=d["on"], cell=d["cell"], decision=decision_from(d), note=d["note"], actor=a),
        _("Restore the membership of a member wrongly removed or expelled (khôi phục đảng tịch)")),
}


def _endpoint(name: str):
    serializer_class, call, summary = ACTIONS[name]

    def endpoint(self, request, code=None):
        member = self.get_object()
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        event = call(member, serializer.validated_data, request.user)
        event = MemberEvent.objects.select_related("cell", "recorded_by").get(pk=event.pk)
        return Response(MemberEventSerializer(event).data, status=status.HTTP_201_CREATED)

    endpoint.__name__ = name.replace("-", "_")
    endpoint = action(detail=True, methods=["post"], url_path=name)(endpoint)
    return extend_schema(summary=summary, request=serializer_class, responses={201: MemberEventSerializer},
                         description=_("Checked against the rules in force on the action's date; refused with "
                                       "the field at fault and the reason, and nothing written."))(endpoint)


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


class GapSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(allow_null=True, help_text=_("Empty while the person is still outside the Party."))


class PartyAgeSerializer(serializers.Serializer):
    years = serializers.IntegerField(help_text=_("Whole years of party age (tuổi đảng)."))
    since = serializers.DateField(help_text=_("The first admission, from which the party age counts."))
    on = serializers.DateField(help_text=_("The day it is computed for (today, or the day of death)."))
    gaps = GapSerializer(many=True, source="gap_periods", help_text=_("The periods outside the Party left out of it."))


class AllowedActionsSerializer(serializers.Serializer):
    actions = serializers.ListField(child=serializers.CharField())


class MemberActionViewSet(ScopedViewSetMixin, AuditedAPIMixin, viewsets.GenericViewSet):
    """Lifecycle actions on a member of the caller's scope, by member code."""

    scope_model = Member
    action_permissions = {name.replace("-", "_"): action_permission(name) for name in DISCIPLINE_ACTIONS}
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    serializer_class = MemberEventSerializer

    recognize = _endpoint("recognize")
    card = _endpoint("card")
    badge = _endpoint("badge")
    transfer_in = _endpoint("transfer-in")
    discipline = _endpoint("discipline")
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
        serializer = ReceiveInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        t = transfers.transfer_receive(self.get_object(), received_on=serializer.validated_data["received_on"],
                                       actor=request.user)
        return Response(TransferSerializer(t).data)


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
