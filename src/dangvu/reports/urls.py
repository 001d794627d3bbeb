from django.urls import path

from . import views, views_assessment

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/snapshot/", views.snapshot, name="snapshot"),
    path("reports/flows/", views.flows, name="flows"),
    path("reports/badges/", views.badges, name="badges"),
    path("reports/assessment/", views.assessment, name="assessment"),
    path("reports/assessment/list/", views_assessment.assessment_list, name="assessment_list"),
    path("reports/excellent-streak/", views_assessment.excellent_streak, name="excellent_streak"),
]
