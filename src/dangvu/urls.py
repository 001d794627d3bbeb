from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

urlpatterns = [
    path("accounts/", include("dangvu.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("organizations/", include("dangvu.organizations.urls")),
    path("members/", include("dangvu.members.urls")),
    path("imports/", include("dangvu.imports.urls")),
    path("", include("dangvu.reports.urls")),
    path("api/", include("dangvu.api_urls")),
]
_ = auth_views
