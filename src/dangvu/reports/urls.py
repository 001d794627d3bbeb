from django.urls import path

from . import forms_views, views, views_as_of, views_assessment, views_compare, views_exports, views_figures

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/snapshot/", views.snapshot, name="snapshot"),
    path("reports/flows/", views.flows, name="flows"),
    path("reports/badges/", views.badges, name="badges"),
    path("reports/assessment/", views.assessment, name="assessment"),
    path("reports/profile/", views_as_of.profile, name="profile"),
    path("reports/checks/", views_as_of.checks, name="checks"),
    path("reports/summary/", views_as_of.summary_page, name="summary"),
    path("reports/forms/<int:number>/", forms_views.form, name="form"),
    path("reports/assessment/list/", views_assessment.assessment_list, name="assessment_list"),
    path("reports/excellent-streak/", views_assessment.excellent_streak, name="excellent_streak"),
    path("reports/exports/", views_exports.exports, name="exports"),
    path("reports/exports/notice/", views_exports.exports_notice, name="exports_notice"),
    path("reports/exports/<uuid:job_id>/", views_exports.export_download, name="export_download"),
    path("reports/exports/<uuid:job_id>/delete/", views_exports.export_delete, name="export_delete"),
    path("reports/compare/", views_compare.compare, name="compare"),
    path("reports/figures/", views_figures.figure_list, name="figure_list"),
]
