"""REST API of the candidates for admission (người vào Đảng): list, read, propose, and one endpoint per
step of the admission.

Scope: by `accounts.api.ScopedViewSetMixin` (`candidates_visible_to`), so a candidate of a chi bộ outside the
caller's scope is absent from lists and answers 404. Writes need a role that may edit (403), and a step owned
by a level above the caller's scope (the đảng ủy cơ sở vote, the decision) answers 403 with why.
A refusal of the rules answers 400 `{field: [reason]}` and nothing is written.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangvu.accounts.api import ScopedViewSetMixin, organizations_in_scope
from dangvu.core.api import AuditedAPIMixin, Pagination
from dangvu.organizations.models import Organization
from dangvu.organizations.selectors import subtree_q
from dangvu.organizations.services import Decision

from . import selectors, services
from .models import OPEN_STAGES, Candidate, CandidateStage, CandidateStep, StepKind
from .serializers import (
    AssignSerializer,
    BackgroundCheckSerializer,
    CandidateDocumentSerializer,
    CandidateSerializer,
    CandidateStepSerializer,
    CellVoteSerializer,
    CeremonySerializer,
    ChecklistRowSerializer,
    CloseSerializer,
    CommentsSerializer,
    CourseSerializer,
    DateSerializer,
    DecisionSerializer,
    DocumentInputSerializer,
    IntroducersSerializer,
    ProposeSerializer,
    RejectSerializer,
    VoteSerializer,
)

# --- Filters and view set ------------------------------------------------------------------------------


class CandidateFilter(django_filters.FilterSet):
    cell = django_filters.ModelChoiceFilter(
        queryset=organizations_in_scope, to_field_name="code", method="filter_org",
        help_text=_("Code of an organization: its candidates and those of its whole subtree."),
    )
    stage = django_filters.ChoiceFilter(choices=CandidateStage.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text=_("Past the due date of the pending step."))
    search = django_filters.CharFilter(method="filter_search", help_text=_("Name, accents optional."))

    class Meta:
        model = Candidate
        fields = ["cell", "stage", "overdue", "search"]

    def filter_org(self, queryset, name, value: Organization):
        return queryset.filter(subtree_q([value], "cell__"))

    def filter_overdue(self, queryset, name, value):
        late = {"stage__in": OPEN_STAGES, "due_on__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)

    def filter_search(self, queryset, name, value):
        return selectors.candidate_search(queryset, value)


def _step(name: str, kind: str, summary, serializer_class, description=None):
    """A POST action recording step `kind` through `CandidateViewSet._<name>`."""

    def endpoint(self, request, pk=None):
        return getattr(self, f"_{name}")(kind, serializer_class)

    endpoint.__name__ = name
    endpoint = action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(endpoint)
    return extend_schema(
        summary=summary, description=description or _("Refused with the reasons, and nothing written, when the "
                                                       "rules in force on its date do not allow the step."),
        request=serializer_class, responses={201: CandidateStepSerializer},
    )(endpoint)


@extend_schema_view(
    list=extend_schema(summary=_("List candidates for admission in your scope")),
    retrieve=extend_schema(summary=_("Read a candidate for admission")),
    create=extend_schema(summary=_("Propose a candidate (quần chúng ưu tú)"), request=ProposeSerializer,
                         responses={201: CandidateSerializer}),
)
class CandidateViewSet(
    ScopedViewSetMixin, AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Candidates for admission (người vào Đảng) proposed by the chi bộ of the caller's scope."""

    serializer_class = CandidateSerializer
    pagination_class = Pagination
    filterset_class = CandidateFilter
    http_method_names = ["get", "post", "head", "options"]
    scope_model = Candidate

    def refine_queryset(self, queryset):
        return queryset.select_related("cell", "owner_org", "assignee", "member", "former_member").order_by(
            "sort_key", "id")

    # helpers
    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer

    def _candidate(self, kind: str, *, day=None, delegated: bool = False) -> Candidate:
        candidate = self.get_object()
        allowed, why = selectors.may_record(self.request.user, candidate, kind, day=day, delegated=delegated)
        if not allowed:
            raise PermissionDenied(why)
        return candidate

    def _created(self, step):
        step = CandidateStep.objects.select_related("owner_org", "owner_user", "recorded_by").get(pk=step.pk)
        return Response(CandidateStepSerializer(step).data, status=status.HTTP_201_CREATED)

    # create
    def create(self, request, *args, **kwargs):
        data = dict(self._input(ProposeSerializer).validated_data)
        candidate = services.candidate_propose(actor=request.user, **data)
        candidate = self.get_queryset().get(pk=candidate.pk)
        return Response(CandidateSerializer(candidate, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    # the steps
    def _awareness_course(self, kind, serializer_class):
        d = self._input(serializer_class).validated_data
        return self._created(services.candidate_record_course(self._candidate(kind), actor=self.request.user, **d))

    def _dated(self, service, kind, serializer_class):
        d = self._input(serializer_class).validated_data
        return self._created(service(self._candidate(kind), on=d["effective_on"], note=d["note"],
                                     actor=self.request.user))

    def _sympathizer(self, kind, serializer_class):
        return self._dated(services.candidate_accept_sympathizer, kind, serializer_class)

    def _complete_dossier(self, kind, serializer_class):
        return self._dated(services.candidate_complete_dossier, kind, serializer_class)

    def _background_check(self, kind, serializer_class):
        d = self._input(serializer_class).validated_data
        return self._created(services.candidate_record_background_check(
            self._candidate(kind), on=d["effective_on"], result=d["result"], checked_by=d["checked_by"],
            note=d["note"], actor=self.request.user))

    def _introducers(self, kind, serializer_class):
        d = self._input(serializer_class).validated_data
        people = [services.IntroducerInput(i["member"], i["months_with_applicant"]) for i in d["introducers"]]
        return self._created(services.candidate_record_introducers(
            self._candidate(kind), on=d["effective_on"], introducers=people, union_introducer=d["union_introducer"],
            applicant_in_youth_union=d["applicant_in_youth_union"], youth_union_at_unit=d["youth_union_at_unit"],
            note=d["note"], actor=self.request.user))

    def _comments(self, kind, serializer_class):
        d = self._input(serializer_class).validated_data
        return self._created(services.candidate_record_comments(
            self._candidate(kind), on=d["effective_on"], from_organizations=d["from_organizations"],
            from_residence=d["from_residence"], note=d["note"], actor=self.request.user))

    def _cell_vote(self, kind, serializer_class):
        s = self._input(serializer_class)
        d = s.validated_data
        return self._created(services.candidate_cell_vote(
            self._candidate(kind), on=d["effective_on"], vote=s.vote(),
            over_max_age_approved=d["over_max_age_approved"], note=d["note"], actor=self.request.user))

    def _committee_vote(self, kind, serializer_class):
        s = self._input(serializer_class)
        d = s.validated_data
        return self._created(services.candidate_committee_vote(
            self._candidate(kind), on=d["effective_on"], vote=s.vote(), note=d["note"], actor=self.request.user))

    def _decision(self, kind, serializer_class):
        d = self._input(serializer_class).validated_data
        # a decision entered after the fact is owned under the rules of its own date (as on the web)
        candidate = self._candidate(kind, day=d["decision_date"], delegated=d["delegated"])
        return self._created(services.candidate_decide(
            candidate, decision=Decision(d["decision_number"], d["decision_date"], d["issued_by"]),
            received_on=d["received_on"], delegated=d["delegated"], late_reason=d["late_reason"], note=d["note"],
            actor=self.request.user))

    def _ceremony(self, kind, serializer_class):
        d = self._input(serializer_class).validated_data
        return self._created(services.candidate_hold_ceremony(
            self._candidate(kind), on=d["effective_on"], member_code=d["member_code"], late_reason=d["late_reason"],
            note=d["note"], actor=self.request.user))

    def _reject(self, kind, serializer_class):
        s = self._input(serializer_class)
        d = s.validated_data
        return self._created(services.candidate_reject(
            self._candidate(kind), on=d["effective_on"], reason=d["reason"], vote=s.vote(),
            actor=self.request.user))

    def _assign(self, kind, serializer_class):

        d = self._input(serializer_class).validated_data
        candidate = self._candidate(kind)
        # among the users who may be assigned: naming anyone else says nothing about who exists
        user = selectors.assignable_users(candidate).filter(username=d["username"]).first()
        if user is None:
            raise serializers.ValidationError({"username": [_("No user with this name may record the pending step.")]})
        return self._created(services.candidate_assign(candidate, user=user, note=d["note"], actor=self.request.user))

    def _close(self, kind, serializer_class):
        d = self._input(serializer_class).validated_data
        return self._created(services.candidate_close(self._candidate(kind), on=d["effective_on"], reason=d["reason"],
                                                      actor=self.request.user))

    awareness_course = _step("awareness_course", StepKind.AWARENESS_COURSE,
                             _("Record the political-awareness course certificate"), CourseSerializer)
    sympathizer = _step("sympathizer", StepKind.SYMPATHIZER, _("Accept as party sympathizer (cảm tình đảng)"),
                        DateSerializer)
    background_check = _step("background_check", StepKind.BACKGROUND_CHECK,
                             _("Record the background check (thẩm tra lý lịch)"), BackgroundCheckSerializer)
    introducers = _step("introducers", StepKind.INTRODUCERS, _("Record the introducers (3-KNĐ)"),
                        IntroducersSerializer)
    comments = _step("comments", StepKind.COMMENTS,
                     _("Record the comments of organizations and of the place of residence (5-KNĐ)"),
                     CommentsSerializer)
    complete_dossier = _step("complete_dossier", StepKind.DOSSIER_COMPLETE, _("Declare the admission file complete"),
                             DateSerializer)
    cell_vote = _step("cell_vote", StepKind.CELL_VOTE, _("Record the party cell vote (6-KNĐ)"), CellVoteSerializer,
                      _("At least the share of the cell's official members the rules in force require, not "
                        "counting those the rules leave out; the applicant's age is checked on the day of the vote."))
    committee_vote = _step("committee_vote", StepKind.COMMITTEE_VOTE,
                           _("Record the grassroots committee vote (8-KNĐ)"), VoteSerializer)
    decision = _step("decision", StepKind.DECISION, _("Record the admission decision (9-KNĐ)"), DecisionSerializer,
                     _("By the level the rules in force name; after the time limit counted from the party cell "
                       "resolution, a reason for the delay is required."))
    ceremony = _step("ceremony", StepKind.CEREMONY, _("Record the admission ceremony: the candidate becomes a member"),
                     CeremonySerializer)
    reject = _step("reject", StepKind.REJECTED, _("Record that the admission was not approved"), RejectSerializer)
    assign = _step("assign", StepKind.ASSIGNED, _("Assign the pending step to a user"), AssignSerializer)
    close = _step("close", StepKind.CLOSED, _("Close the candidacy without admission"), CloseSerializer)

    @extend_schema(summary=_("The steps of a candidate, in date order"),
                   responses={200: CandidateStepSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def steps(self, request, pk=None):
        steps = selectors.candidate_timeline(self.get_object())
        return Response(CandidateStepSerializer(steps, many=True).data)

    @extend_schema(methods=["GET"], summary=_("The admission file checklist of a candidate"),
                   responses={200: ChecklistRowSerializer(many=True)})
    @extend_schema(methods=["POST"], summary=_("Record a document of the admission file received or handed on"),
                   request=DocumentInputSerializer, responses={201: CandidateDocumentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def documents(self, request, pk=None):
        if request.method == "POST":
            d = self._input(DocumentInputSerializer).validated_data
            document = services.candidate_record_document(self._candidate("document"), actor=request.user, **d)
            return Response(CandidateDocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        rows = [{"key": r["document"].key, "form_code": r["document"].form_code, "label": str(r["label"]),
                 "record": r["record"]} for r in selectors.checklist(self.get_object())]
        return Response(ChecklistRowSerializer(rows, many=True).data)
