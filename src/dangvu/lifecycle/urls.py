from django.urls import path

from . import views

app_name = "lifecycle"

urlpatterns = [
    path("todo/", views.todo_page, name="todo"),
    path("members/<str:code>/<str:action>/", views.member_action, name="member_action"),
]
