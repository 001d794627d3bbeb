from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
    path("sample.xlsx", views.sample, name="sample"),
    path("<uuid:upload_id>/", views.preview, name="preview"),
    path("<uuid:upload_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:upload_id>/progress/", views.progress, name="progress"),
    path("<uuid:upload_id>/cancel/", views.cancel, name="cancel"),
]
