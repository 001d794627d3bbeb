"""The tree page (/organizations/): the tree under each scope root as it stood on a day, with member
counts, a level at a time and the first level a page at a time."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangvu import regulations as R
from dangvu.accounts.selectors import organizations_visible_to, scope_root_ids
from dangvu.accounts.web import scoped_object_or_404, scoped_view
from dangvu.core.i18n import int_text
from dangvu.members import selectors_org as sel

from ..models import Organization, OrganizationKind
from . import _as_of

#: Levels of the tree shown below its top (a province: its communes); a deeper organization opens
#: the tree under it (?under=CODE), so a page never carries the thousands of cells of a province.
TREE_LEVELS_SHOWN = 1
#: Organizations of the first level shown at once (a province has over a thousand); "Show more" adds as
#: many again (htmx appends the rows; without script the page reloads with more).
TREE_CHILDREN_SHOWN = 100
#: Cells below the minimum listed by name (the count says how many there are in all).
TREE_WARNINGS_SHOWN = 50


def _shown_count(request, name: str = "shown") -> int:
    """How many organizations of the first level to show: ?shown=N, a multiple of TREE_CHILDREN_SHOWN."""
    try:
        n = int(request.GET.get(name, ""))
    except ValueError:
        return TREE_CHILDREN_SHOWN
    return max(TREE_CHILDREN_SHOWN, -(-min(n, 1_000_000) // TREE_CHILDREN_SHOWN) * TREE_CHILDREN_SHOWN)


def _first_level_cut(rows: list[dict], count: int) -> int:
    """The index in the depth-first `rows` where the (count+1)-th organization of the first level starts
    (len(rows) when there are no more)."""
    seen = 0
    for i, r in enumerate(rows):
        if r["depth"] == 1:
            seen += 1
            if seen > count:
                return i
    return len(rows)


@scoped_view()
def tree(request):
    """The tree under each scope root — or under ?under=CODE in scope — as it stood on a day, with member
    counts (one statement per root: `members.selectors_org.tree_with_counts`), TREE_LEVELS_SHOWN levels
    deep, the first ?shown=N organizations of the first level (TREE_CHILDREN_SHOWN at first). An htmx
    request with ?root=CODE&from=K answers only the rows of that root's tree from the K-th organization
    of the first level up to the N-th, and the next "Show more" row."""
    day, date_error = _as_of(request)
    under = request.GET.get("under", "").strip()
    top = scoped_object_or_404(request.user, Organization, code=under) if under else None
    root_ids = [top.pk] if top else scope_root_ids(request.user)
    roots = {o.pk: o for o in Organization.objects.filter(pk__in=root_ids)}
    more_of = request.GET.get("root", "").strip() if request.htmx else ""
    if more_of:
        root_ids = [pk for pk in root_ids if pk in roots and roots[pk].code == more_of]
    trees = sel.tree_with_counts([roots[pk] for pk in root_ids if pk in roots], day, TREE_LEVELS_SHOWN)
    shown = _shown_count(request)
    start = min(_shown_count(request, "from"), shown) if more_of else 0
    kinds = {k: str(label) for k, label in OrganizationKind.choices}
    warnings = [w for t in trees for w in t["warnings"]]
    # What each row shows, prepared here once rather than by template tags per row: the links and the
    # numbers with the language's thousands separator.
    as_of = "" if day == timezone.localdate() else f"as_of={day:%d/%m/%Y}"
    detail_url = reverse("organizations:detail", args=["CODE"]).replace("CODE", "{}")
    keep = [("under", top.code)] if top else []
    for t in trees:
        t["root"] = roots.get(t["root_id"])
        t["summary"] = t["rows"][0] if t["rows"] else None
        first_level = sum(1 for r in t["rows"] if r["depth"] == 1)
        cut = _first_level_cut(t["rows"], shown)
        t["rows"] = t["rows"][_first_level_cut(t["rows"], start) if start else 0:cut]
        t["first_level"], t["hidden"] = first_level, max(0, first_level - shown)
        if t["hidden"] and t["root"] is not None:
            query = urlencode([*keep, *([("as_of", f"{day:%d/%m/%Y}")] if as_of else []),
                               ("shown", shown + TREE_CHILDREN_SHOWN)])
            t["more_url"] = f"?{query}"
            t["more_rows_url"] = f"?{query}&" + urlencode({"from": shown, "root": t["root"].code})
        for r in t["rows"]:
            r["kind_label"] = kinds.get(r["kind"], r["kind"])
            r["opens"] = r["has_children"] and r["depth"] == TREE_LEVELS_SHOWN  # its children are on their own page
            r["indent"] = f"{r['depth'] * 1.25:.2f}"
            r["open_url"] = f"?under={quote(r['code'])}" + (f"&{as_of}" if as_of else "")
            for k in ("total", "official", "probationary"):
                r[k + "_text"] = int_text(r[k])
    listed = warnings[:TREE_WARNINGS_SHOWN] if not more_of else []
    shown_ids = [r["id"] for t in trees for r in t["rows"]] + [w["id"] for w in listed]
    visible = set(organizations_visible_to(request.user).filter(pk__in=shown_ids).values_list("pk", flat=True))
    for r in [*(r for t in trees for r in t["rows"]), *listed]:
        r["visible"] = r["id"] in visible
        r["url"] = detail_url.format(quote(r["code"])) + (f"?{as_of}" if as_of else "")
    context = {
        "day": day,
        "cell_minimum": R.rules_on(day).cell_min_official_members,
        "is_today": day == timezone.localdate(),
        "date_error": date_error,
        "trees": trees,
        "warnings": warnings,
        "warnings_listed": listed,
        "warnings_more": len(warnings) - len(listed),
        "under": top,
        "keep": keep,
    }
    if more_of:
        return render(request, "organizations/_tree_rows.html", {**context, "t": trees[0] if trees else None})
    return render(request, "organizations/tree.html", context)
