from django.urls import path

from . import views_actions
from .views import detail, picker, tree

app_name = "organizations"
urlpatterns = [
    path("", tree.tree, name="tree"),
    path("picker.json", picker.picker, name="picker"),
    path("<str:code>/children.json", picker.picker_children, name="picker_children"),
    path("<str:code>/", detail.detail, name="detail"),
    path("<str:code>/establish/", views_actions.EstablishView.as_view(), name="establish"),
    path("<str:code>/rename/", views_actions.RenameView.as_view(), name="rename"),
    path("<str:code>/move/", views_actions.MoveView.as_view(), name="move"),
    path("<str:code>/kind/", views_actions.ChangeKindView.as_view(), name="change_kind"),
    path("<str:code>/dissolve/", views_actions.DissolveView.as_view(), name="dissolve"),
    path("<str:code>/merge/", views_actions.MergeView.as_view(), name="merge"),
    path("<str:code>/split/", views_actions.SplitView.as_view(), name="split"),
]
