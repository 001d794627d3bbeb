"""REST API of the candidates for admission (người vào Đảng): list, read, propose, and one endpoint per
step of the admission.

Scope: the queryset is `candidates_visible_to(user)`, so a candidate of a chi bộ outside the
caller's scope is absent from lists and answers 404. Writes need `can_write` (403), and a step owned
by a level above the caller's scope (the đảng ủy cơ sở vote, the decision) answers 403 with why.
A refusal of the rules answers 400 `{field: [reason]}` and nothing is written.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangvu import regulations as R
from dangvu.accounts.models import Role
from dangvu.accounts.selectors import can_see_personal_data
from dangvu.core.api import AuditedAPIMixin, Pagination, StrictInputMixin
from dangvu.members.api import PERSONAL_FIELDS, PersonalInputMixin, ScopedViewMixin, _profile_fields
from dangvu.members.models import Member, Sex
from dangvu.members.selectors import members_visible_to
from dangvu.organizations.api import ScopedOrganizationField, organizations_in_scope
from dangvu.organizations.models import Organization
from dangvu.organizations.selectors import subtree_q
from dangvu.organizations.services import Decision

from . import candidates as services
from . import selectors
from .models import Candidate, CandidateDocument, CandidateStage, CandidateStep, StepKind

# --- Output ------------------------------------------------------------------------------------------


class CandidateSerializer(serializers.ModelSerializer):
    """A candidate: profile, proposing chi bộ, stage, and the pending step with its owner and due date.
    Personal fields appear only for callers allowed to see personal data."""

    cell = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cell_name = serializers.CharField(source="cell.name", read_only=True)
    ethnicity_name = serializers.CharField(source="get_ethnicity_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    next_step = serializers.ChoiceField(choices=StepKind.choices, allow_blank=True, read_only=True,
                                        help_text=_("The step the candidate waits for; empty once admitted or closed."))
    next_step_display = serializers.CharField(source="get_next_step_display", read_only=True)
    owner_role = serializers.ChoiceField(choices=Role.choices, allow_blank=True, read_only=True)
    owner = serializers.SlugRelatedField(source="owner_org", slug_field="code", read_only=True, allow_null=True)
    owner_name = serializers.CharField(source="owner_org.name", read_only=True, allow_null=True, default=None)
    owner_role_display = serializers.CharField(source="get_owner_role_display", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    member = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    former_member = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    national_id_number = serializers.CharField(required=False)
    residence = serializers.CharField(required=False)
    current_address = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)

    class Meta:
        model = Candidate
        fields = [
            "id", "full_name", "family_name", "middle_name", "given_name", "other_names", "birth_date", "sex",
            "ethnicity", "ethnicity_name", "religion", "place_of_birth", "home_town", "occupation",
            "general_education", "professional_qualification", "political_theory_level", "biography_number",
            "cell", "cell_name", "proposed_on", "stage", "stage_display", "stage_since", "certificate_issued_on",
            "certificate_expires_on", "next_step", "next_step_display", "owner", "owner_name", "owner_role",
            "owner_role_display", "assignee", "due_on", "overdue", "member", "former_member", *PERSONAL_FIELDS,
        ]
        read_only_fields = [f for f in fields if f not in PERSONAL_FIELDS]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_overdue(self, obj) -> bool:
        return obj.stage in selectors.OPEN_STAGES and obj.due_on is not None and obj.due_on < timezone.localdate()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("personal_data", False):
            for name in PERSONAL_FIELDS:
                data.pop(name, None)
        return data


class CandidateStepSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    stage_before = serializers.ChoiceField(choices=CandidateStage.choices, allow_blank=True, read_only=True,
                                           help_text=_("Empty for the proposal."))
    stage_after = serializers.ChoiceField(choices=CandidateStage.choices, allow_blank=True, read_only=True)
    owner_role = serializers.ChoiceField(choices=Role.choices, allow_blank=True, read_only=True)
    owner = serializers.SlugRelatedField(source="owner_org", slug_field="code", read_only=True, allow_null=True)
    owner_user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    payload = serializers.DictField(read_only=True, help_text=_("Details of the step (introducers, comments, …)."))

    class Meta:
        model = CandidateStep
        fields = [
            "id", "kind", "kind_display", "effective_on", "stage_before", "stage_after", "regulation", "owner",
            "owner_role", "owner_user", "due_on", "late", "votes_due", "votes_excluded", "votes_present",
            "votes_for", "passed", "decision_number", "decision_date", "issued_by", "payload", "note",
            "recorded_at", "recorded_by",
        ]
        read_only_fields = fields


class CandidateDocumentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = CandidateDocument
        fields = ["id", "key", "form_code", "document_date", "received_on", "held_by", "note", "recorded_at",
                  "recorded_by"]
        read_only_fields = fields


class ChecklistRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    form_code = serializers.CharField()
    label = serializers.CharField()
    record = CandidateDocumentSerializer(allow_null=True)


# --- Input -------------------------------------------------------------------------------------------


class ScopedMemberField(serializers.SlugRelatedField):
    """A party member given by code, among those the caller may see."""

    default_error_messages = {"does_not_exist": _("No member with code “{value}” in your scope.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Member.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return members_visible_to(getattr(request, "user", None))


class _Input(StrictInputMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ProposeSerializer(PersonalInputMixin, _Input):
    """Propose a person (quần chúng ưu tú) in a chi bộ of the caller's scope."""

    cell = ScopedOrganizationField(help_text=_("Code of the party cell (chi bộ) proposing the person."))
    proposed_on = serializers.DateField()
    full_name = serializers.CharField(max_length=255)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    ethnicity = serializers.CharField(
        max_length=64, help_text=_("Name (e.g. Kinh, Thái, Mông) or code (01–54) of the ethnic group.")
    )
    former_member = ScopedMemberField(
        required=False, allow_null=True, default=None,
        help_text=_("For a readmission (kết nạp lại): code of the former member's record."),
    )
    readmission_bars = serializers.ListField(
        child=serializers.ChoiceField(choices=list(R.READMISSION_BAR_LABELS.items())), required=False, default=list,
    )
    family_hardship = serializers.BooleanField(required=False, default=False)
    record_expunged_on = serializers.DateField(required=False, allow_null=True, default=None)

    def get_fields(self):
        return {**super().get_fields(), **_profile_fields()}


class CourseSerializer(_Input):
    issued_on = serializers.DateField(help_text=_("Date of the certificate."))
    certificate_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    issued_by = serializers.CharField(max_length=255, required=False, allow_blank=True, default="",
                                      help_text=_("The political training centre."))


class DateSerializer(_Input):
    effective_on = serializers.DateField()


class DocumentInputSerializer(_Input):
    key = serializers.CharField(max_length=32, help_text=_("Key or form code of the document (e.g. 1-KNĐ)."))
    received_on = serializers.DateField()
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    held_by = serializers.CharField(max_length=255, required=False, allow_blank=True, default="",
                                    help_text=_("Who holds the paper now (default: the party cell)."))


class BackgroundCheckSerializer(DateSerializer):
    result = serializers.ChoiceField(choices=[("clear", _("clear")), ("issues", _("issues found"))])
    checked_by = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class IntroducerSerializer(StrictInputMixin, serializers.Serializer):
    member = ScopedMemberField(help_text=_("Code of the introducing member."))
    months_with_applicant = serializers.IntegerField(min_value=0)


class IntroducersSerializer(DateSerializer):
    introducers = IntroducerSerializer(many=True)
    union_introducer = serializers.ChoiceField(
        choices=[("", "—"), ("youth_union_committee", _("Youth Union committee")),
                 ("trade_union_committee", _("trade union committee"))],
        required=False, allow_blank=True, default="",
    )
    applicant_in_youth_union = serializers.BooleanField(required=False, default=False)
    youth_union_at_unit = serializers.BooleanField(required=False, default=True)


class CommentsSerializer(DateSerializer):
    from_organizations = serializers.CharField(max_length=5000)
    from_residence = serializers.CharField(max_length=5000)


class VoteSerializer(DateSerializer):
    votes_due = serializers.IntegerField(min_value=0, help_text=_("Members due to vote (official members)."))
    votes_excluded = serializers.IntegerField(
        min_value=0, required=False, default=0,
        help_text=_("Of those, members exempted from activities, left out of the count."),
    )
    votes_present = serializers.IntegerField(min_value=0)
    votes_for = serializers.IntegerField(min_value=0)

    def vote(self) -> services.Vote:
        d = self.validated_data
        return services.Vote(d["votes_due"], d["votes_present"], d["votes_for"], d["votes_excluded"])


class CellVoteSerializer(VoteSerializer):
    over_max_age_approved = serializers.BooleanField(required=False, default=False)


class DecisionSerializer(_Input):
    decision_number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField()
    issued_by = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    delegated = serializers.BooleanField(required=False, default=False)
    late_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class CeremonySerializer(DateSerializer):
    member_code = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="",
        help_text=_("Code of the new member record; required, except for a readmission (kết nạp lại), which is "
                    "recorded on the former member's record (its code is kept, this one is ignored)."))
    late_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class RejectSerializer(DateSerializer):
    reason = serializers.CharField(max_length=5000)
    votes_due = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    votes_excluded = serializers.IntegerField(min_value=0, required=False, default=0)
    votes_present = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    votes_for = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)

    def vote(self):
        d = self.validated_data
        if d["votes_due"] is None:
            return None
        return services.Vote(d["votes_due"], d["votes_present"] or 0, d["votes_for"] or 0, d["votes_excluded"])


class AssignSerializer(_Input):
    username = serializers.CharField(max_length=150)


class CloseSerializer(DateSerializer):
    reason = serializers.CharField(max_length=5000)


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
        late = {"stage__in": selectors.OPEN_STAGES, "due_on__lt": timezone.localdate()}
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
    ScopedViewMixin, AuditedAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Candidates for admission (người vào Đảng) proposed by the chi bộ of the caller's scope."""

    serializer_class = CandidateSerializer
    pagination_class = Pagination
    filterset_class = CandidateFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (selectors.candidates_visible_to(getattr(self.request, "user", None))
                .select_related("cell", "owner_org", "assignee", "member", "former_member").order_by("sort_key", "id"))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["personal_data"] = can_see_personal_data(getattr(self.request, "user", None))
        return context

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
                      _("At least two thirds of the cell's official members in favour, members exempted from "
                        "activities left out of the count; the applicant's age is checked on the day of the vote."))
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
