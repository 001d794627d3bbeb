"""The organization picker's data (static/js/org-picker.js), loaded on demand as JSON: the organizations
in scope whose name matches, or those directly under one."""

from __future__ import annotations

from django.http import JsonResponse

from dangvu.accounts.selectors import organizations_visible_to, scope_root_ids
from dangvu.accounts.web import scoped_view

from ..models import Organization
from ..selectors import PICKER_SEARCH_LIMIT, name_matches, picker_rows


@scoped_view()
def picker(request):
    """`organizations:picker` — ?q=TEXT: the organizations in scope whose name matches (at most
    PICKER_SEARCH_LIMIT; "more" when there are others); without q: the top of the scope."""
    visible = organizations_visible_to(request.user)
    text = request.GET.get("q", "").strip()
    if not text:
        return _json(picker_rows(visible.filter(pk__in=scope_root_ids(request.user))), more=False)
    rows = picker_rows(name_matches(visible, text), PICKER_SEARCH_LIMIT + 1)
    return _json(rows[:PICKER_SEARCH_LIMIT], more=len(rows) > PICKER_SEARCH_LIMIT)


@scoped_view(model=Organization)
def picker_children(request, organization):
    """`organizations:picker_children` — the organizations directly under one in scope."""
    return _json(picker_rows(Organization.objects.filter(parent=organization)), more=False)


def _json(rows: list[dict], *, more: bool) -> JsonResponse:
    return JsonResponse({"results": rows, "more": more}, json_dumps_params={"ensure_ascii": False})
