"""The REST API under /api/: organizations, members, reports, token login, OpenAPI schema and docs.

The docs pages load Swagger UI and ReDoc from the drf-spectacular-sidecar package (no CDN).
"""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter

from dangvu.admission.api import CandidateViewSet
from dangvu.assessment.api import CycleViewSet
from dangvu.lifecycle.api import MemberActionViewSet, TodoView, TransferViewSet
from dangvu.members.api import MemberViewSet
from dangvu.organizations.api import OrganizationViewSet
from dangvu.reports.api import AssessmentView, BadgesView, FlowsView, SnapshotView


@extend_schema_view(
    post=extend_schema(
        summary=_("Obtain the API token of a user"),
        description=_("Send the username and password; use the answer as the header `Authorization: Token <token>`."),
    )
)
class TokenView(ObtainAuthToken):
    """DRF's obtain_auth_token, documented."""


router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="api-organization")
router.register("members", MemberViewSet, basename="api-member")
router.register("candidates", CandidateViewSet, basename="api-candidate")
router.register("assessment/cycles", CycleViewSet, basename="api-assessment-cycle")
router.register("lifecycle/members", MemberActionViewSet, basename="api-lifecycle-member")
router.register("lifecycle/transfers", TransferViewSet, basename="api-lifecycle-transfer")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema", template_name="core/api_redoc.html"),
         name="api-redoc"),
    path("token/", TokenView.as_view(), name="api-token"),
    path("reports/snapshot/", SnapshotView.as_view(), name="api-report-snapshot"),
    path("reports/flows/", FlowsView.as_view(), name="api-report-flows"),
    path("reports/badges/", BadgesView.as_view(), name="api-report-badges"),
    path("reports/assessment/", AssessmentView.as_view(), name="api-report-assessment"),
    path("lifecycle/todo/", TodoView.as_view(), name="api-lifecycle-todo"),
    path("", include(router.urls)),
]
