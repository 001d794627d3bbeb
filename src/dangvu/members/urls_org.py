"""The organization pages that need member data or the user's scope (all of them, in practice).

Mounted at /organizations/ BEFORE `dangvu.organizations.urls`, which only declares the names
`organizations:tree` and `organizations:detail` on the same paths, so that both names reverse to
the pages served here.
"""

from django.urls import path

from . import views_org as v

app_name = "orgpages"
urlpatterns = [
    path("", v.tree, name="tree"),
    path("<str:code>/", v.detail, name="detail"),
    path("<str:code>/establish/", v.EstablishView.as_view(), name="establish"),
    path("<str:code>/rename/", v.RenameView.as_view(), name="rename"),
    path("<str:code>/move/", v.MoveView.as_view(), name="move"),
    path("<str:code>/kind/", v.ChangeKindView.as_view(), name="change_kind"),
    path("<str:code>/dissolve/", v.DissolveView.as_view(), name="dissolve"),
    path("<str:code>/merge/", v.MergeView.as_view(), name="merge"),
    path("<str:code>/split/", v.SplitView.as_view(), name="split"),
]
