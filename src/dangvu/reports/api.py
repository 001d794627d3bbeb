"""REST API of the reports: the snapshot and the flows of contracts §3, limited to the caller's scope."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from dangvu.accounts.selectors import organizations_visible_to
from dangvu.assessment.services import check_year
from dangvu.core.api import AuditedAPIMixin, DayField

from . import queries


def _organization_or_404(request, code: str):
    """The organization of `code` in the caller's scope; outside it, it does not exist (404)."""
    code = code.strip()
    org = organizations_visible_to(request.user).filter(code=code).first()
    if org is None:
        raise NotFound(_("No organization with code “%(code)s” in your scope.") % {"code": code})
    return org


#: The answers of every report besides its JSON.
ERRORS = {400: OpenApiResponse(description=_("Invalid parameters.")),
          404: OpenApiResponse(description=_("No such organization in your scope."))}


class OrgQuerySerializer(serializers.Serializer):
    """The parameter every report takes: the organization's code (a report's query adds its own)."""

    org = serializers.CharField(help_text=_("Code of the organization."))


class _OrgRefSerializer(serializers.Serializer):  # an organization (or a member) in a report's JSON
    code = serializers.CharField()
    name = serializers.CharField()


def query_serializer(name: str, fields: dict, doc: str) -> type[OrgQuerySerializer]:
    """A report's query serializer whose fields are named in `fields` (a name may be a Python keyword:
    `from`), beside `org`."""
    return type(name, (OrgQuerySerializer,), {"__doc__": doc, "__module__": __name__, **fields})


class ReportView(AuditedAPIMixin, APIView):
    """A report of an organization of the caller's scope (GET): the query checked by `query` (an
    `OrgQuerySerializer`: `org`, the organization's code, and the report's own parameters), the organization
    looked up in the scope (outside it, it does not exist: 404), `report(org, params)` answered as JSON. A
    report's view gives `query`, `answer` (the serializer documenting its JSON), `summary`, `description`
    (default: its docstring) and `report`; its schema is declared here, once for all."""

    query: type[serializers.Serializer]
    answer: type[serializers.Serializer]
    summary = ""
    description = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        extend_schema(summary=cls.summary, description=cls.description, parameters=[cls.query],
                      responses={200: cls.answer, **ERRORS})(cls)

    def report(self, org, params: dict) -> dict:
        raise NotImplementedError

    def get(self, request):
        params = self.query(data=request.query_params)
        params.is_valid(raise_exception=True)
        return Response(self.report(_organization_or_404(request, params.validated_data["org"]), params.validated_data))


class SnapshotQuerySerializer(OrgQuerySerializer):
    as_of = DayField(future=True, required=False, help_text=_("Day (YYYY-MM-DD); today when omitted."))


class _SnapshotOrganizationsSerializer(serializers.Serializer):
    grassroots = serializers.IntegerField()
    grassroots_committees = serializers.IntegerField()
    grassroots_cells = serializers.IntegerField()
    partial_committees = serializers.IntegerField()
    subordinate_cells = serializers.IntegerField()


class _SnapshotMembersSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    official = serializers.IntegerField()
    probationary = serializers.IntegerField()
    female = serializers.IntegerField()
    ethnic_minority = serializers.IntegerField()
    religious = serializers.IntegerField()
    exempted = serializers.IntegerField()


class SnapshotSerializer(serializers.Serializer):
    """The `report snapshot` JSON of contracts §3 (keys may be added, never removed)."""

    org = _OrgRefSerializer()
    as_of = serializers.DateField()
    organizations = _SnapshotOrganizationsSerializer()
    members = _SnapshotMembersSerializer()


class SnapshotView(ReportView):
    """How many organizations and members an organization of your scope had on a day."""

    query, answer = SnapshotQuerySerializer, SnapshotSerializer
    summary = _("Report snapshot: organizations and members on a day")

    def report(self, org, params):
        return queries.snapshot(org, params.get("as_of") or timezone.localdate())


# `from` is a Python keyword: the serializers of the flows declare their fields through a namespace.
FlowsQuerySerializer = query_serializer("FlowsQuerySerializer", {
    "from": DayField(future=True, help_text=_("First day of the period (YYYY-MM-DD), included.")),
    "to": DayField(future=True, help_text=_("Last day of the period (YYYY-MM-DD), included.")),
}, "The parameters of the flows report.")


FlowsSerializer = type("FlowsSerializer", (serializers.Serializer,), {
    "__doc__": "The `report flows` JSON of contracts §3 (keys may be added, never removed).",
    "__module__": __name__,
    "org": _OrgRefSerializer(),
    "from": serializers.DateField(),
    "to": serializers.DateField(),
    **{key: serializers.IntegerField() for key in queries.FLOW_KEYS},
    "badges_awarded": serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Badges awarded, by milestone (the years of party age as text).")),
    **{key: serializers.IntegerField(help_text=_(
        "Members who entered or left the subtree without an event of their own: their organization moved, merged "
        "or split across its boundary.")) for key in queries.FLOW_REORGANIZED},
    "members_start": serializers.IntegerField(help_text=_("Members on the day before the period.")),
    "members_end": serializers.IntegerField(help_text=_(
        "Members on the last day of the period: members_start + admitted + transferred_in + restored + "
        "reorganized_in − transferred_out − reorganized_out − died − removed − expelled − resigned.")),
})


class FlowsView(ReportView):
    """Members who joined or left the subtree of an organization of your scope in a period."""

    query, answer = FlowsQuerySerializer, FlowsSerializer
    summary = _("Report flows: changes in membership over a period")
    description = _(
        "Movements of members across the boundary of the organization's subtree from `from` to `to`, both days "
        "included, as the tree stood on each day (a move between two cells of the subtree is no flow). An "
        "organization outside your scope does not exist (404)."
    )

    def report(self, org, params):
        return queries.flows(org, params["from"], params["to"])


class BadgesQuerySerializer(OrgQuerySerializer):
    award_date = DayField(future=True, help_text=_("The award occasion (YYYY-MM-DD), e.g. 2026-02-03."))


class _BadgeMemberSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    milestone = serializers.IntegerField(help_text=_("The one badge due, in years of party age."))
    cell = _OrgRefSerializer()


class _BadgeWarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("award_date_not_regular"))
    nearest = serializers.DateField(help_text=_("The nearest award occasion of the rules."))
    message = serializers.CharField()


class BadgesSerializer(serializers.Serializer):
    """The `report badges` JSON of contracts §3 (keys may be added, never removed)."""

    org = _OrgRefSerializer()
    award_date = serializers.DateField()
    due = serializers.DictField(child=serializers.IntegerField(),
                                help_text=_("Members due, by milestone (the years of party age as text)."))
    members = _BadgeMemberSerializer(many=True)
    warnings = _BadgeWarningSerializer(many=True, help_text=_(
        "Added key: award_date_not_regular when the day is not an award occasion of the rules in force, with the "
        "nearest one; the list is still given, as for an occasion the committee decides."))


class BadgesView(ReportView):
    """The members of an organization of your scope due a Party badge on an award occasion."""

    query, answer = BadgesQuerySerializer, BadgesSerializer
    summary = _("Report badges: the members due a Party badge on an award occasion")
    description = _(
        "Each member is listed once, with the one badge due on that occasion: the highest milestone the "
        "party age reaches, never one at or below a badge already held. An organization outside your scope "
        "does not exist (404)."
    )

    def report(self, org, params):
        return queries.badges(org, params["award_date"])


class AssessmentQuerySerializer(OrgQuerySerializer):
    year = serializers.IntegerField(min_value=1930, help_text=_("The year assessed, e.g. 2024."))


class _AssessmentGroupSerializer(serializers.Serializer):
    rated = serializers.IntegerField()
    by_rating = serializers.DictField(child=serializers.IntegerField(), help_text=_(
        "Counts by level of the year's scale: excellent, good, completed, not_completed; older scales have their "
        "own keys (clean_strong_exemplary, clean_strong, weak)."))
    percent = serializers.DictField(child=serializers.FloatField(), help_text=_("Share of those rated, in %."))
    not_rated = serializers.IntegerField(help_text=_(
        "Those of the group in the subtree at the end of the year with no rating of that year."))


class _AssessmentScaleSerializer(serializers.Serializer):
    code = serializers.CharField()
    regulation = serializers.CharField()
    common_keys = serializers.DictField(child=serializers.CharField(), help_text=_(
        "Each level of the scale → the level of the four-level scales of 2018 on it corresponds to."))


class _AssessmentWarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("excellent_over_cap, disciplined_above_limit, exempted_rated, "
                                             "suspended_rated"))
    org = serializers.CharField()
    group = serializers.CharField()
    message = serializers.CharField()


class AssessmentSerializer(serializers.Serializer):
    """The `report assessment` JSON of contracts §3 (keys may be added, never removed)."""

    org = _OrgRefSerializer()
    year = serializers.IntegerField()
    scale = _AssessmentScaleSerializer()
    organizations = _AssessmentGroupSerializer()
    subordinate_cells = _AssessmentGroupSerializer()
    members = _AssessmentGroupSerializer()
    warnings = _AssessmentWarningSerializer(many=True)


class AssessmentView(ReportView):
    """The ratings of a year in the subtree of an organization of your scope."""

    query, answer = AssessmentQuerySerializer, AssessmentSerializer
    summary = _("Report assessment: the ratings of a year by level")
    description = _(
        "Grassroots organizations, subordinate party cells and members of the subtree rated that year, by "
        "level of that year's scale, counted where each rating was decided, with the rules of that year's "
        "regulation the recorded ratings break. An organization outside your scope does not exist (404)."
    )

    def report(self, org, params):
        return queries.assessment(org, check_year(params["year"]))


class StreakQuerySerializer(OrgQuerySerializer):
    year = serializers.IntegerField(min_value=1930, help_text=_("The last year of the period, e.g. 2025."))
    years = serializers.IntegerField(required=False, default=queries.STREAK_DEFAULT_YEARS, min_value=1,
                                     max_value=queries.STREAK_MAX_YEARS, help_text=_("Years in a row (default 5)."))


class _StreakLevelSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    name = serializers.CharField()
    subjects = serializers.ListField(child=serializers.CharField())
    mapped = serializers.BooleanField(help_text=_("Counted as excellent by the mapping across scales."))


class _StreakMappingSerializer(serializers.Serializer):
    scale = serializers.CharField()
    regulation = serializers.CharField()
    from_year = serializers.IntegerField()
    to_year = serializers.IntegerField()
    levels = _StreakLevelSerializer(many=True)


class _StreakMemberSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    rated_in = _OrgRefSerializer()
    ratings = serializers.DictField(child=serializers.CharField(), help_text=_("Year → the rating as written."))


class _StreakOrganizationSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField(help_text=_("organizations or subordinate_cells"))
    decided_by = _OrgRefSerializer()
    ratings = serializers.DictField(child=serializers.CharField(), help_text=_("Year → the rating as written."))


class StreakSerializer(serializers.Serializer):
    """The `report excellent-streak` JSON (contracts §3, added report)."""

    org = _OrgRefSerializer()
    year = serializers.IntegerField()
    years = serializers.IntegerField()
    from_year = serializers.IntegerField()
    counts_as_excellent = _StreakMappingSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    members = _StreakMemberSerializer(many=True)
    organizations = _StreakOrganizationSerializer(many=True)


class ExcellentStreakView(ReportView):
    """Those rated excellent in each of N years in a row, in the subtree of an organization of your scope."""

    query, answer = StreakQuerySerializer, StreakSerializer
    summary = _("Report excellent-streak: rated excellent N years in a row")
    description = _(
        "The members, grassroots organizations and subordinate party cells rated in the subtree in the last "
        "year (where that rating was decided) and rated excellent in each year of the period; levels of "
        "older scales count only where the mapping across scales takes them to excellent "
        "(`counts_as_excellent`). An organization outside your scope does not exist (404)."
    )

    def report(self, org, params):
        return queries.excellent_streak(org, params["year"], params["years"])
