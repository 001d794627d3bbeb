"""An organization's page (/organizations/CODE/) as it stood on a day, by tabs: subordinate
organizations, members, history in words, quality ratings, change log."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from dangvu.accounts.permissions import can_change_organization
from dangvu.accounts.selectors import organizations_visible_to
from dangvu.accounts.web import scoped_view
from dangvu.assessment.selectors import rating_history
from dangvu.members import selectors_org as sel
from dangvu.members.models import MemberStatus
from dangvu.members.selectors import status_counts

from ..models import Organization, OrganizationKind, UnitKind
from ..selectors import organization_on
from . import _as_of
from .change_log import _audit_rows
from .history import history_rows

TABS = (
    ("children", gettext_lazy("Subordinate organizations")),
    ("members", gettext_lazy("Party members")),
    ("history", gettext_lazy("History")),
    ("ratings", gettext_lazy("Quality ratings")),
    ("audit", gettext_lazy("Change log")),
)
MEMBERS_SHOWN = 50


@scoped_view(model=Organization, arg="org")
def detail(request, org):
    day, date_error = _as_of(request)
    tab = request.GET.get("tab") or "children"
    if tab not in dict(TABS):
        tab = "children"
    period = organization_on(org, day)
    parent = org.parent
    context = {
        "org": org,
        "day": day,
        "is_today": day == timezone.localdate(),
        "date_error": date_error,
        "period": period,
        "exists": period is not None,
        "renamed_since": period is not None and period.name != org.name,
        "parent": parent,
        "parent_visible": parent is not None and organizations_visible_to(request.user).filter(pk=parent.pk).exists(),
        "admin_unit_name": admin_unit_name(org.admin_unit_code),
        "unit_kind_label": unit_kind_label(org.unit_kind),
        "is_cell": org.is_cell,
        "is_open": org.dissolved_on is None,
        "can_change": can_change_organization(request.user, org),
        "tabs": TABS,
        "tab": tab,
        "tab_keep": [("tab", tab)],
        "snapshot_url": reverse("reports:snapshot"),
        "members_list_url": reverse("members:list"),
    }
    if tab == "children":
        children, counts = sel.children_on(org, day) if period is not None else ([], None)
        ids = [c["id"] for c in children]
        visible = set(organizations_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
        kinds = dict(OrganizationKind.choices)
        for c in children:
            c["visible"] = c["id"] in visible
            c["kind_label"] = kinds.get(c["kind"], c["kind"])
        context["children"] = children
        context["counts"] = counts
    elif tab == "members":
        qs = sel.current_members_in_subtree(org)
        by_status = status_counts(qs)
        members = list(qs[:MEMBERS_SHOWN])
        for m in members:
            m.url = reverse("members:detail", args=[m.code])
        context.update({
            "members": members,
            "member_total": sum(by_status.values()),
            "member_official": by_status.get(MemberStatus.OFFICIAL, 0),
            "member_probationary": by_status.get(MemberStatus.PROBATIONARY, 0),
        })
    elif tab == "history":
        rows = history_rows(org)
        subject_ids = [r["subject"].pk for r in rows if r["subject"] is not None]
        visible = set(organizations_visible_to(request.user).filter(pk__in=subject_ids).values_list("pk", flat=True))
        for r in rows:
            r["subject_visible"] = r["subject"] is not None and r["subject"].pk in visible
        context["history"] = rows
    elif tab == "ratings":
        context["ratings"] = rating_history(request.user, organization=org)
    elif tab == "audit":
        context["audit"] = _audit_rows(org)
    return render(request, "organizations/detail.html", context)


def unit_kind_label(value: str) -> str:
    try:
        return str(UnitKind(value).label) if value else ""
    except ValueError:
        return value


def admin_unit_name(code: str) -> str:
    """The name of a province (2-digit code) or commune (5-digit code) from vietnam-provinces,
    with its province for a commune; empty when the code is unknown."""
    from vietnam_provinces import Province, Ward

    code = (code or "").strip()
    if not code.isdigit():
        return ""
    n = int(code)
    lookups = (Province, Ward) if len(code) <= 2 else (Ward, Province)
    for cls in lookups:
        try:
            unit = cls.from_code(n)
        except (ValueError, KeyError):
            continue
        if cls is Ward:
            try:
                return f"{unit.name}, {Province.from_code(int(unit.province_code)).name}"
            except (ValueError, KeyError):
                return unit.name
        return unit.name
    return ""
