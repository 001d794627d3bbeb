"""Report pages: the landing dashboard and the "as of" snapshot report (with JSON/XLSX download).

Views parse the request, call one query of `reports.queries`, render. Every organization comes
from `organizations_visible_to(user)`: outside the user's scope it does not exist (404).
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.accounts.selectors import primary_assignment
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.members.selectors import organizations_visible_to
from dangvu.organizations.models import OrganizationKind

from . import exporters, inputs, queries

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope_root(user):
    assignment = primary_assignment(user)
    return assignment.organization if assignment else None


def _download(data: dict, fmt: str) -> HttpResponse:
    if fmt == "json":
        response = HttpResponse(exporters.to_json(data), content_type="application/json; charset=utf-8")
    else:
        buffer = io.BytesIO()
        exporters.snapshot_xlsx(data, buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exporters.snapshot_filename(data, fmt)}"'
    return response


def _org_choices(user, selected) -> list[dict]:
    """Organizations the user may report on, in tree order with their depth (chi bộ trực thuộc are
    left out to keep the list short, except the one selected; they are reached from their page)."""
    rows = list(
        organizations_visible_to(user)
        .exclude(kind=OrganizationKind.SUBORDINATE_CELL)
        .values("id", "parent_id", "code", "name", "dissolved_on")
    )
    if selected is not None and all(r["id"] != selected.pk for r in rows):
        rows.append({"id": selected.pk, "parent_id": selected.parent_id, "code": selected.code, "name": selected.name,
                     "dissolved_on": selected.dissolved_on})
    ids = {r["id"] for r in rows}
    children: dict[int | None, list[dict]] = {}
    for r in rows:
        children.setdefault(r["parent_id"] if r["parent_id"] in ids else None, []).append(r)
    result: list[dict] = []
    stack = [(r, 0) for r in sorted(children.get(None, []), key=lambda r: r["code"], reverse=True)]
    while stack:
        row, depth = stack.pop()
        result.append({**row, "depth": depth, "indent": "\u2003" * depth})
        stack.extend((c, depth + 1) for c in sorted(children.get(row["id"], []), key=lambda r: r["code"], reverse=True))
    return result


@login_required
def snapshot(request):
    """`reports:snapshot` — ?org=CODE&as_of=YYYY-MM-DD (or dd/mm/yyyy) [&format=json|xlsx] [&partial=1]."""
    user = request.user
    root = _scope_root(user)
    code = (request.GET.get("org") or "").strip() or (root.code if root else "")
    org = organizations_visible_to(user).filter(code=code).first() if code else None
    if org is None:
        raise Http404(_("No organization has code %(code)s.") % {"code": code})
    today = timezone.localdate()
    as_of_text = (request.GET.get("as_of") or "").strip()
    fmt = (request.GET.get("format") or "").strip().lower()
    partial = request.GET.get("partial") == "1"
    data, error, status, day, day_ok = None, None, 200, today, True
    try:
        if as_of_text:
            day_ok = False
            day = inputs.parse_day(as_of_text)
            day_ok = True
        if fmt:
            inputs.parse_format(fmt)
    except DomainError as exc:
        error, status = exc.message, 400
    if error is None:
        try:
            data = queries.snapshot(org, day)
        except DomainError as exc:  # the organization did not exist on that day
            error, status = exc.message, (400 if fmt else 200)
    if data is not None and fmt:
        return _download(data, fmt)
    context = {
        "org": org,
        "day": day,
        "as_of_value": format_date(day) if day_ok else as_of_text,
        "is_today": day == today,
        "data": data,
        "rows": exporters.snapshot_rows(data) if data else None,
        "title": exporters.snapshot_title(),
        "error": error,
        "partial": partial,
    }
    if partial:  # htmx swaps only successful responses: the error is shown inside the fragment
        return render(request, "reports/_snapshot.html", context)
    context["org_choices"] = _org_choices(user, org)
    return render(request, "reports/snapshot.html", context, status=status)


@login_required
def dashboard(request):
    """The landing page: the user's root organization today (stats, children, warnings, events)."""
    root = _scope_root(request.user)
    today = timezone.localdate()
    if root is None:
        return render(request, "reports/dashboard.html", {"root": None, "today": today})
    data = queries.dashboard(request.user, root, today)
    context = {"root": root, "today": today, **data}
    if data["snapshot"]:
        context["rows"] = exporters.snapshot_rows(data["snapshot"])
        context["stats"] = _stats(data["snapshot"])
    return render(request, "reports/dashboard.html", context)


def _stats(snap: dict) -> list[dict]:
    m, o = snap["members"], snap["organizations"]
    total = m["total"]

    def share(n):
        return round(n * 100 / total, 1) if total else None

    return [
        {"label": _("Party members"), "value": total},
        {"label": _("Official members"), "value": m["official"], "percent": share(m["official"])},
        {"label": _("Probationary members"), "value": m["probationary"], "percent": share(m["probationary"])},
        {"label": _("Women"), "value": m["female"], "percent": share(m["female"]), "emphasis": "percent"},
        {"label": _("Ethnic minorities"), "value": m["ethnic_minority"], "percent": share(m["ethnic_minority"]),
         "emphasis": "percent"},
        {"label": _("Grassroots party organizations"), "value": o["grassroots"]},
        {"label": _("Party cells (chi bộ)"), "value": o["grassroots_cells"] + o["subordinate_cells"]},
    ]
