"""REST API of the yearly assessment cycle: list, read and open cycles, and one endpoint per step
(self-assessment, the chi bộ's review of one member or of all its members at once, the comments of
the place of residence, the decision).

Scope: `accounts.api.ScopedViewSetMixin` (`cycles_visible_to`): a cycle of an organization outside the
caller's scope is absent from lists and answers 404; members and organizations named in a body are
looked up in the scope (400 otherwise). Writes need a role that may edit; the chi bộ's review the
action `propose_ratings` over that chi bộ, opening and deciding `decide_ratings` over the cycle's
organization (`accounts.permissions.can_on`; 403). A refusal of the rules answers 400
`{field: [reason]}`, a batch `{items: {"index": {field: [reason]}}, field: [reason]}` (as DRF words a list's errors), and nothing is
written.
"""

from __future__ import annotations

from fractions import Fraction

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangvu.accounts.api import ScopedViewSetMixin
from dangvu.accounts.permissions import Action, can_on
from dangvu.accounts.web import DENIED
from dangvu.admission.serializers import ScopedMemberField
from dangvu.core.api import AuditedAPIMixin, Pagination, StrictInputMixin
from dangvu.organizations.api import ScopedOrganizationField
from dangvu.organizations.services import Decision

from . import services
from .models import AssessmentCycle, AssessmentStep


class CycleSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AssessmentCycle
        fields = ["id", "organization", "year", "opened_on"]


class StepSerializer(serializers.ModelSerializer):
    member = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AssessmentStep
        fields = ["id", "kind", "effective_on", "member", "organization", "key", "points", "comment", "votes_due",
                  "votes_present", "votes_for", "decision_number", "decision_date", "issued_by", "payload"]


class OpenSerializer(StrictInputMixin, serializers.Serializer):
    organization = ScopedOrganizationField(help_text=_("Code of the organization whose committee decides."))
    year = serializers.IntegerField(help_text=_("The year assessed, e.g. 2024."))
    opened_on = serializers.DateField()


class SelfAssessmentSerializer(StrictInputMixin, serializers.Serializer):
    member = ScopedMemberField()
    effective_on = serializers.DateField()
    key = serializers.CharField(required=False, allow_blank=True, default="", help_text=_(
        "The level (excellent, good, completed, not_completed, or its label); from the points when omitted."))
    points = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    form = serializers.CharField(required=False, allow_blank=True, default="", max_length=8,
                                 help_text=_("The form of the member's group, e.g. 2A, 2B, 2C."))


class CellReviewSerializer(StrictInputMixin, serializers.Serializer):
    member = ScopedMemberField()
    effective_on = serializers.DateField()
    key = serializers.CharField(help_text=_("The rating the party cell proposes."))
    comment = serializers.CharField(max_length=5000, help_text=_("The party cell's collective comment."))
    votes_due = serializers.IntegerField()
    votes_present = serializers.IntegerField()
    votes_for = serializers.IntegerField()


class ResidenceCommentSerializer(StrictInputMixin, serializers.Serializer):
    member = ScopedMemberField()
    effective_on = serializers.DateField()
    comment = serializers.CharField(max_length=5000)
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=255,
                                  help_text=_("The party cell or committee of the place of residence."))


class RatingDecisionSerializer(StrictInputMixin, serializers.Serializer):
    member = ScopedMemberField(required=False, allow_null=True, default=None)
    organization = ScopedOrganizationField(required=False, allow_null=True, default=None)
    key = serializers.CharField(help_text=_("The level decided, or its label as written."))
    points = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)
    exception_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    units_total = serializers.IntegerField(required=False, allow_null=True, default=None)
    units_disciplined = serializers.IntegerField(required=False, allow_null=True, default=None)
    targets_met = serializers.DecimalField(max_digits=5, decimal_places=4, required=False, allow_null=True,
                                           default=None, help_text=_("Share of the targets met, 0–1."))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ProposalSerializer(StrictInputMixin, serializers.Serializer):
    member = ScopedMemberField()
    key = serializers.CharField(required=False, allow_blank=True, default="", help_text=_(
        "The level proposed (or its label); from the points when omitted."))
    points = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)
    votes_for = serializers.IntegerField(required=False, allow_null=True, default=None, help_text=_(
        "The party cell's votes in favour of this proposal (at most the members present, with the majority of the "
        "members due that the rules require); when omitted, the body's `votes_for`."))


class CellReviewsSerializer(StrictInputMixin, serializers.Serializer):
    cell = ScopedOrganizationField(help_text=_("Code of the party cell whose members are reviewed."))
    effective_on = serializers.DateField()
    comment = serializers.CharField(max_length=5000, help_text=_("The party cell's collective comment."))
    votes_due = serializers.IntegerField(help_text=_("Members due to vote at the meeting."))
    votes_present = serializers.IntegerField(help_text=_("Members present at the meeting."))
    votes_for = serializers.IntegerField(required=False, allow_null=True, default=None, help_text=_(
        "Votes in favour of every proposal that gives none of its own (the earlier form of this endpoint: one "
        "vote for all)."))
    proposals = ProposalSerializer(many=True)


class DecideSerializer(StrictInputMixin, serializers.Serializer):
    decided_on = serializers.DateField()
    decision_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
    issued_by = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    decisions = RatingDecisionSerializer(many=True)


@extend_schema_view(
    list=extend_schema(summary=_("List the assessment cycles in your scope")),
    retrieve=extend_schema(summary=_("Read an assessment cycle")),
    create=extend_schema(summary=_("Open the assessment of a year for an organization"), request=OpenSerializer,
                         responses={201: CycleSerializer}),
)
class CycleViewSet(
    ScopedViewSetMixin, AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Assessment cycles (kỳ đánh giá, xếp loại) of the organizations of the caller's scope."""

    serializer_class = CycleSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "head", "options"]
    scope_model = AssessmentCycle
    filterset_fields = ("year",)
    action_permissions = {"create": Action.DECIDE_RATINGS, "decide": Action.DECIDE_RATINGS,
                          "cell_review": Action.PROPOSE_RATINGS, "cell_reviews": Action.PROPOSE_RATINGS}

    def refine_queryset(self, queryset):
        return queryset.select_related("organization").order_by("-year", "organization__code", "id")

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _created(self, step):
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)

    def create(self, request, *args, **kwargs):
        cycle = services.cycle_open(actor=request.user, **self._input(OpenSerializer))
        return Response(CycleSerializer(cycle).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Record a member's self-assessment"), request=SelfAssessmentSerializer,
                   responses={201: StepSerializer})
    @action(detail=True, methods=["post"], url_path="self-assessment")
    def self_assessment(self, request, pk=None):
        return self._created(services.self_assessment_record(
            cycle=self.get_object(), actor=request.user, **self._input(SelfAssessmentSerializer)))

    @extend_schema(summary=_("Record the party cell's review of a member, with its vote"),
                   request=CellReviewSerializer, responses={201: StepSerializer})
    @action(detail=True, methods=["post"], url_path="cell-review")
    def cell_review(self, request, pk=None):
        return self._created(services.cell_review_record(
            cycle=self.get_object(), actor=request.user, **self._input(CellReviewSerializer)))

    @extend_schema(
        summary=_("Record the party cell's review of all its members at once, with each member's vote"),
        description=_("One meeting (comment, members due to vote, present) and per proposal its own votes in favour "
                      "(`proposals[].votes_for`, else the body's `votes_for`). All or nothing: a refused proposal, "
                      "its votes in favour (more than those present, or short of the majority the rules require) or "
                      "a wrong count of the meeting refuses the lot (400, the reasons of each refused proposal at "
                      "its index of `proposals`), and nothing is written."),
        request=CellReviewsSerializer, responses={201: StepSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="cell-reviews")
    def cell_reviews(self, request, pk=None):
        cycle = self.get_object()
        data = self._input(CellReviewsSerializer)
        if not can_on(request.user, Action.PROPOSE_RATINGS, data["cell"]):
            raise PermissionDenied(DENIED[Action.PROPOSE_RATINGS])
        votes_for = data.pop("votes_for")
        proposals = [services.Proposal(**{**p, "votes_for": votes_for if p["votes_for"] is None else p["votes_for"]})
                     for p in data.pop("proposals")]
        try:
            steps = services.cell_reviews_record(cycle=cycle, proposals=proposals, actor=request.user, **data)
        except services.RowRefusals as exc:
            return Response(exc.as_api("proposals"), status=status.HTTP_400_BAD_REQUEST)
        return Response(StepSerializer(steps, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Record the comments of a member's place of residence"),
                   request=ResidenceCommentSerializer, responses={201: StepSerializer})
    @action(detail=True, methods=["post"], url_path="residence-comment")
    def residence_comment(self, request, pk=None):
        return self._created(services.residence_comment_record(
            cycle=self.get_object(), actor=request.user, **self._input(ResidenceCommentSerializer)))

    @extend_schema(
        summary=_("Decide ratings"),
        description=_("All or nothing: a decision that breaks the cap on “excellent” or a hard limit of the year's "
                      "regulation refuses the lot with the reason (400), and nothing is written."),
        request=DecideSerializer, responses={201: StepSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = self._input(DecideSerializer)
        cycle = self.get_object()
        if not can_on(request.user, Action.DECIDE_RATINGS, cycle.organization):
            raise PermissionDenied(DENIED[Action.DECIDE_RATINGS])
        decisions = [services.RatingDecision(**{**d, "targets_met": d["targets_met"] and Fraction(d["targets_met"])})
                     for d in data["decisions"]]
        try:
            services.ratings_decide(
                cycle=cycle, decisions=decisions, decided_on=data["decided_on"], actor=request.user,
                decision=Decision(number=data["decision_number"], date=data["decided_on"], issued_by=data["issued_by"]))
        except services.RowRefusals as exc:
            return Response(exc.as_api("decisions"), status=status.HTTP_400_BAD_REQUEST)
        steps = cycle.steps.filter(kind="decision").select_related("member", "organization").order_by("-id")
        return Response(StepSerializer(list(steps[: len(decisions)])[::-1], many=True).data,
                        status=status.HTTP_201_CREATED)
