from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from dangvu.accounts import views as account_views
from dangvu.reports import views as report_views

urlpatterns = [
    # Un-namespaced names used by settings (LOGIN_URL, LOGIN_REDIRECT_URL, LOGOUT_REDIRECT_URL) and base.html.
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("dangvu.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Organization pages (scope + member data) first; the organizations URLconf only names them.
    path("organizations/", include("dangvu.members.urls_org")),
    path("organizations/", include("dangvu.organizations.urls")),
    path("members/", include("dangvu.members.urls")),
    path("imports/", include("dangvu.imports.urls")),
    path("lifecycle/candidates/", include("dangvu.admission.urls")),
    path("lifecycle/", include("dangvu.lifecycle.urls")),
    path("", include("dangvu.reports.urls")),
    path("api/", include("dangvu.api_urls")),
    # The landing page, also reachable as reports:dashboard.
    path("", report_views.dashboard, name="dashboard"),
]
_ = auth_views
