from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/snapshot/", views.snapshot, name="snapshot"),
    path("reports/flows/", views.flows, name="flows"),
    path("reports/badges/", views.badges, name="badges"),
    path("reports/assessment/", views.assessment, name="assessment"),
]
