from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("progress/", views.progress_page, name="progress"),
    path("<int:pk>/", views.cycle_page, name="cycle"),
    path("<int:pk>/organizations/", views.organization_sheet, name="organizations"),
    path("<int:year>/cells/<str:code>/", views.cell_sheet, name="sheet"),
]
