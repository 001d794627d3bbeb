"""The REST API under /api/: organizations, members, reports, token login, OpenAPI schema and docs.

The docs pages load Swagger UI and ReDoc from the drf-spectacular-sidecar package (no CDN).
"""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from dangvu.accounts.services import api_token_issue
from dangvu.admission.api import CandidateViewSet
from dangvu.assessment.api import CycleViewSet
from dangvu.lifecycle.api.member_actions import MemberActionViewSet
from dangvu.lifecycle.api.todo import TodoView
from dangvu.lifecycle.api.transfer_endpoints import TransferViewSet
from dangvu.members.api import MemberViewSet
from dangvu.organizations.api.viewset import OrganizationViewSet
from dangvu.reports.api import AssessmentView, BadgesView, ExcellentStreakView, FlowsView, SnapshotView
from dangvu.reports.api_as_of import ChecksView, ProfileView, SummaryView
from dangvu.reports.api_compare import CompareView
from dangvu.reports.forms_api import FormView
from dangvu.reports.statforms import FORMS


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(required=False, allow_blank=True, write_only=True,
                                help_text=_("Admins and organizers: the code of the authenticator, or a recovery code."))


@extend_schema_view(
    post=extend_schema(
        summary=_("Obtain the API token of a user"),
        description=_("Send the username and password (admins and organizers: and `otp`, the code of their "
                      "authenticator); use the answer as the header `Authorization: Token <token>`. A token "
                      "expires after DANGVU_API_TOKEN_TTL_HOURS hours; ask again for a new one."),
    )
)
class TokenView(ObtainAuthToken):
    """DRF's obtain_auth_token with the second factor and expiring tokens (accounts.services)."""

    serializer_class = TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = api_token_issue(user=serializer.validated_data["user"], otp_code=serializer.validated_data.get("otp", ""))
        return Response({"token": token.key})


router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="api-organization")
router.register("members", MemberViewSet, basename="api-member")
router.register("candidates", CandidateViewSet, basename="api-candidate")
router.register("assessment/cycles", CycleViewSet, basename="api-assessment-cycle")
router.register("lifecycle/members", MemberActionViewSet, basename="api-lifecycle-member")
router.register("lifecycle/transfers", TransferViewSet, basename="api-lifecycle-transfer")

urlpatterns = [
    # The schema answers 401/403 without a login (SERVE_PERMISSIONS); its pages send to the login page.
    # Swagger UI's script is its own request (no inline script); the pages of both tools set styles inline.
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", login_required(csp_update({"style-src": ["'unsafe-inline'"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"))), name="api-docs"),
    path("redoc/", login_required(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(
        SpectacularRedocView.as_view(url_name="api-schema", template_name="core/api_redoc.html"))), name="api-redoc"),
    path("token/", TokenView.as_view(), name="api-token"),
    path("reports/snapshot/", SnapshotView.as_view(), name="api-report-snapshot"),
    path("reports/flows/", FlowsView.as_view(), name="api-report-flows"),
    path("reports/badges/", BadgesView.as_view(), name="api-report-badges"),
    path("reports/assessment/", AssessmentView.as_view(), name="api-report-assessment"),
    path("reports/profile/", ProfileView.as_view(), name="api-report-profile"),
    path("reports/checks/", ChecksView.as_view(), name="api-report-checks"),
    path("reports/summary/", SummaryView.as_view(), name="api-report-summary"),
    *[path(f"reports/forms/{n}/", FormView.as_view(number=n), name=f"api-report-form-{n}") for n in FORMS],
    path("reports/excellent-streak/", ExcellentStreakView.as_view(), name="api-report-excellent-streak"),
    path("reports/compare/", CompareView.as_view(), name="api-report-compare"),
    path("lifecycle/todo/", TodoView.as_view(), name="api-lifecycle-todo"),
    path("", include(router.urls)),
]
