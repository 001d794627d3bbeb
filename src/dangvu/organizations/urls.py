"""URL names of the organization pages.

The pages need the user's scope and member counts, which live in higher layers, so they are
served by `dangvu.members.urls_org`, mounted at the same paths just before this URLconf. The
names below only make `organizations:tree` and `organizations:detail` reverse to those paths; the
placeholder view is reached only if that URLconf is not mounted (it answers 404).
"""

from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.not_served_here, name="tree"),
    path("<str:code>/", views.not_served_here, name="detail"),
]
