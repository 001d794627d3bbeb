"""Pages of the admission, under /lifecycle/candidates/ (their address before the app was split off)."""

from django.urls import path

from . import views

app_name = "admission"

urlpatterns = [
    path("", views.candidate_board, name="candidates"),
    path("new/", views.candidate_create, name="candidate_create"),
    path("<int:pk>/", views.candidate_detail, name="candidate"),
    path("<int:pk>/<slug:step>/", views.candidate_step, name="candidate_step"),
]
