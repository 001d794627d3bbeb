from django.urls import path

from . import forms_views, views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/snapshot/", views.snapshot, name="snapshot"),
    path("reports/flows/", views.flows, name="flows"),
    path("reports/badges/", views.badges, name="badges"),
    path("reports/assessment/", views.assessment, name="assessment"),
    path("reports/forms/<int:number>/", forms_views.form, name="form"),
]
