from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from dangvu.accounts import views as account_views
from dangvu.reports import views as report_views

urlpatterns = [
    # Un-namespaced names used by settings (LOGIN_URL, LOGIN_REDIRECT_URL, LOGOUT_REDIRECT_URL) and base.html.
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("dangvu.accounts.urls")),
    # Public (the login page offers both): every other page needs a login (LoginRequiredMiddleware).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("organizations/", include("dangvu.organizations.urls")),
    path("members/", include("dangvu.members.urls")),
    path("imports/", include("dangvu.imports.urls")),
    path("lifecycle/candidates/", include("dangvu.admission.urls")),
    path("lifecycle/", include("dangvu.lifecycle.urls")),
    path("assessment/", include("dangvu.assessment.urls")),
    path("", include("dangvu.reports.urls")),
    path("api/", include("dangvu.api_urls")),
    # The landing page, also reachable as reports:dashboard.
    path("", report_views.dashboard, name="dashboard"),
]
