from django.urls import path

from . import views, views_documents

app_name = "lifecycle"

urlpatterns = [
    path("todo/", views.todo_page, name="todo"),
    path("todo/<slug:key>/", views.todo_list_page, name="todo_list"),
    path("rules/", views.rules_page, name="rules"),
    path("members/<str:code>/<str:action>/", views.member_action, name="member_action"),
    path("transfers/<int:pk>/receive/", views.transfer_receive, name="transfer_receive"),
    path("documents/members/<str:code>/sheet.<str:fmt>", views_documents.member_sheet, name="document_sheet"),
    path("documents/events/<int:pk>/<str:kind>.<str:fmt>", views_documents.event_document, name="document_event"),
    path("documents/badges/<str:day>.<str:fmt>", views_documents.badge_list, name="document_badges"),
]
