"""Serializers of the admission API (`api.py`): the candidate, its steps and documents out; one input
serializer per step in (they parse only; the services decide)."""


from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dangvu import regulations as R
from dangvu.accounts.models import Role
from dangvu.core.api import DayField, StrictInputMixin
from dangvu.members.api import PERSONAL_FIELDS, PersonalInputMixin, _profile_fields
from dangvu.members.models import Member, Sex
from dangvu.members.selectors import members_visible_to
from dangvu.organizations.api import ScopedOrganizationField

from . import services
from .models import OPEN_STAGES, Candidate, CandidateDocument, CandidateStage, CandidateStep, StepKind

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
        return obj.stage in OPEN_STAGES and obj.due_on is not None and obj.due_on < timezone.localdate()

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
    proposed_on = DayField()
    full_name = serializers.CharField(max_length=255)
    birth_date = DayField()
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
    record_expunged_on = DayField(required=False, allow_null=True, default=None)

    def get_fields(self):
        return {**super().get_fields(), **_profile_fields()}


class CourseSerializer(_Input):
    issued_on = DayField(help_text=_("Date of the certificate."))
    certificate_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    issued_by = serializers.CharField(max_length=255, required=False, allow_blank=True, default="",
                                      help_text=_("The political training centre."))


class DateSerializer(_Input):
    effective_on = DayField()


class DocumentInputSerializer(_Input):
    key = serializers.CharField(max_length=32, help_text=_("Key or form code of the document (e.g. 1-KNĐ)."))
    received_on = DayField()
    document_date = DayField(required=False, allow_null=True, default=None)
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
        help_text=_("Of those, members exempted or suspended from activities, left out of the count."),
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
    decision_date = DayField()
    issued_by = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    received_on = DayField(required=False, allow_null=True, default=None)
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
