from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export.xlsx", views.member_export, name="export"),
    path("new/", views.member_create, name="create"),
    path("<str:code>/", views.member_detail, name="detail"),
    path("<str:code>/edit/", views.member_edit, name="edit"),
    path("<str:code>/events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
]
