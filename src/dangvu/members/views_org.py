"""The organization pages (/organizations/...): tree, detail and the restructuring forms.

They live here, not in `dangvu.organizations`, because they need what sits above that layer:
the user's scope and role (accounts) and member data (counts, re-homing on merge and split).
The form views that only call an organization service are defined in
`dangvu.organizations.views` and get their scope from `Scoped` below.
"""

from __future__ import annotations

import datetime as dt
import json

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.accounts.selectors import can_write, scope_root_ids
from dangvu.core.dates import format_date, parse_date
from dangvu.core.errors import DomainError
from dangvu.organizations import views as org_views
from dangvu.organizations.forms import DissolveForm
from dangvu.organizations.models import (
    CELL_KINDS,
    EVENT_PAYLOAD_LABELS,
    Organization,
    OrganizationEvent,
    OrganizationKind,
)

from . import restructuring
from . import selectors_org as sel
from .forms_org import MergeForm, SplitForm
from .models import MemberStatus
from .selectors import organizations_visible_to, status_counts

TABS = (
    ("children", gettext_lazy("Subordinate organizations")),
    ("members", gettext_lazy("Party members")),
    ("history", gettext_lazy("History")),
    ("audit", gettext_lazy("Change log")),
)
MEMBERS_SHOWN = 50
AUDIT_SHOWN = 200
SOURCE_LABELS = {
    "web": gettext_lazy("Web"),
    "api": gettext_lazy("API"),
    "cli": gettext_lazy("Command line"),
    "import": gettext_lazy("Import"),
    "system": gettext_lazy("System"),
}
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
}


def _url(name: str, *args, default: str = "") -> str:
    """Reverse `name`, or `default` while the page behind it is not (yet) installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return default


def _as_of(request, key: str = "as_of") -> tuple[dt.date, str]:
    """The day asked for in ?as_of= (dd/mm/yyyy or yyyy-mm-dd), default today; with an error text."""
    today = timezone.localdate()
    try:
        return parse_date(request.GET.get(key, ""), field=key) or today, ""
    except DomainError as exc:
        return today, exc.message


class Scoped(org_views.ScopeHooks):
    """The user's scope and write permission, for the views of `dangvu.organizations.views`."""

    def visible_organizations(self):
        return organizations_visible_to(self.request.user)

    def may_write(self):
        return can_write(self.request.user)


# -- tree ----------------------------------------------------------------------------------------

@login_required
def tree(request):
    """The tree under each scope root as it stood on a day, with member counts (one grouped query)."""
    day, date_error = _as_of(request)
    root_ids = scope_root_ids(request.user)
    trees = sel.tree_with_counts(root_ids, day)
    roots = {o.pk: o for o in Organization.objects.filter(pk__in=root_ids)}
    shown_ids = [r["id"] for t in trees for r in t["rows"]]
    visible = set(organizations_visible_to(request.user).filter(pk__in=shown_ids).values_list("pk", flat=True))
    kinds = dict(OrganizationKind.choices)
    warnings = []
    for t in trees:
        rows = t["rows"]
        for i, r in enumerate(rows):
            r["kind_label"] = kinds.get(r["kind"], r["kind"])
            r["visible"] = r["id"] in visible
            r["has_children"] = i + 1 < len(rows) and rows[i + 1]["depth"] > r["depth"]
            r["indent"] = r["depth"] * 1.25
            if r["below_minimum"]:
                warnings.append(r)
        t["root"] = roots.get(t["root_id"])
        t["summary"] = rows[0] if rows else None
        t["organizations"] = len(rows)
    context = {
        "day": day,
        "is_today": day == timezone.localdate(),
        "date_error": date_error,
        "trees": trees,
        "warnings": warnings,
        "keep": [],
    }
    return render(request, "orgpages/tree.html", context)


# -- detail --------------------------------------------------------------------------------------

def _audit_rows(org: Organization) -> list[dict]:
    ct_org = ContentType.objects.get_for_model(Organization)
    ct_event = ContentType.objects.get_for_model(OrganizationEvent)
    entries = list(
        LogEntry.objects.filter(
            Q(content_type=ct_org, object_id=org.pk)
            | Q(content_type=ct_event, object_id__in=OrganizationEvent.objects.filter(organization=org).values("id"))
        )
        .select_related("actor")
        .order_by("-timestamp", "-id")[:AUDIT_SHOWN]
    )
    ref_ids = set()
    for e in entries:
        for field in ("parent", "organization"):
            for v in (e.changes_dict or {}).get(field, [])[:2]:
                if str(v).isdigit():
                    ref_ids.add(int(v))
        for v in (e.changes_dict or {}).get("payload", [])[:2]:
            ref_ids.update(_payload_ids(v))
    names = dict(Organization.objects.filter(pk__in=ref_ids).values_list("pk", "name")) if ref_ids else {}
    rows = []
    for e in entries:
        model = Organization if e.content_type_id == ct_org.pk else OrganizationEvent
        changes = []
        for field, values in (e.changes_dict or {}).items():
            if field in ("name_folded", "id", "recorded_by", "recorded_at") or (
                    field == "organization" and model is OrganizationEvent):
                continue
            old, new = (list(values) + ["", ""])[:2]
            try:
                f = model._meta.get_field(field)
            except FieldDoesNotExist:
                label, choices = field, None
            else:
                if not f.concrete:  # reverse relations (children, events, ...) are not changes of this record
                    continue
                label = str(f.verbose_name)
                choices = dict(f.choices) if f.choices else None
            old, new = _display(old, choices, names), _display(new, choices, names)
            if e.action == LogEntry.Action.CREATE and new == "—":
                continue
            changes.append({"field": label, "old": old, "new": new})
        rows.append({
            "entry": e,
            "action": ACTION_LABELS.get(e.action, e.get_action_display()),
            "what": _("Organization") if model is Organization else _("Event: %(e)s") % {"e": e.object_repr},
            "source": SOURCE_LABELS.get((e.additional_data or {}).get("source"), ""),
            "changes": changes,
        })
    return rows


def _payload(value) -> dict:
    try:
        data = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _payload_ids(value) -> set[int]:
    """The organization ids an event's payload (as logged) refers to."""
    ids = set()
    for key, v in _payload(value).items():
        if key.endswith("_id") and isinstance(v, int):
            ids.add(v)
        elif key.endswith("_ids") and isinstance(v, list):
            ids.update(i for i in v if isinstance(i, int))
    return ids


def _payload_text(data: dict, names: dict) -> str:
    """An event's details as people read them: labelled fields, organizations by name, kinds by label."""
    kinds = dict(OrganizationKind.choices)
    parts = []
    for key, label in EVENT_PAYLOAD_LABELS.items():
        if data.get(key) in (None, "", []):
            continue
        v = data[key]
        if key.endswith("_ids"):
            text = ", ".join(names.get(i, str(i)) for i in v)
        elif key.endswith("_id"):
            text = names.get(v, str(v))
        elif key in ("kind", "old_kind"):
            text = str(kinds.get(v, v))
        else:
            text = str(v)
        parts.append(f"{label}: {text}")
    return "; ".join(parts)


def _display(value, choices, names) -> str:
    if value in (None, "None", "", "{}"):
        return "—"
    if isinstance(value, str) and value.startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return _payload_text(data, names)
    if choices and value in choices:
        return str(choices[value])
    text = str(value)
    if names and text.isdigit() and int(text) in names:
        return names[int(text)]
    try:
        return format_date(dt.date.fromisoformat(text))
    except ValueError:
        return text


@login_required
def detail(request, code):
    org = get_object_or_404(organizations_visible_to(request.user), code=code)
    day, date_error = _as_of(request)
    tab = request.GET.get("tab") or "children"
    if tab not in dict(TABS):
        tab = "children"
    period = sel.organization_on(org, day)
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
        "admin_unit_name": org_views.admin_unit_name(org.admin_unit_code),
        "unit_kind_label": org_views.unit_kind_label(org.unit_kind),
        "is_cell": org.is_cell,
        "is_open": org.dissolved_on is None,
        "tabs": TABS,
        "tab": tab,
        "tab_keep": [("tab", tab)],
        "snapshot_url": _url("reports:snapshot", default="/reports/snapshot/"),
        "members_list_url": _url("members:list", default="/members/"),
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
            m.url = _url("members:detail", m.code)
        context.update({
            "members": members,
            "member_total": sum(by_status.values()),
            "member_official": by_status.get(MemberStatus.OFFICIAL, 0),
            "member_probationary": by_status.get(MemberStatus.PROBATIONARY, 0),
        })
    elif tab == "history":
        rows = org_views.history_rows(org)
        subject_ids = [r["subject"].pk for r in rows if r["subject"] is not None]
        visible = set(organizations_visible_to(request.user).filter(pk__in=subject_ids).values_list("pk", flat=True))
        for r in rows:
            r["subject_visible"] = r["subject"] is not None and r["subject"].pk in visible
        context["history"] = rows
    elif tab == "audit":
        context["audit"] = _audit_rows(org)
    return render(request, "orgpages/detail.html", context)


# -- forms ---------------------------------------------------------------------------------------

class EstablishView(Scoped, org_views.EstablishView):
    pass


class RenameView(Scoped, org_views.RenameView):
    pass


class MoveView(Scoped, org_views.MoveView):
    pass


class ChangeKindView(Scoped, org_views.ChangeKindView):
    pass


class DissolveView(Scoped, org_views.OrganizationActionView):
    form_class = DissolveForm
    template_name = "orgpages/dissolve.html"
    title = gettext_lazy("Dissolve")
    intro = gettext_lazy(
        "From the date of dissolution the organization no longer exists; its history is kept. "
        "It can only be dissolved when, on that day, no member is placed in it any more and no "
        "organization sits under it: move the members to another cell (or merge or split the "
        "organization, which moves them for you) and move or dissolve the subordinate organizations first."
    )
    submit_label = gettext_lazy("Dissolve")
    danger = True

    def get_context_data(self, **kwargs):
        org = self.organization
        today = timezone.localdate()
        kwargs["pending"] = {
            "members": restructuring.members_in_cell_on(org, today).count() if org.is_cell else 0,
            "children": restructuring.children_on(org, today).count(),
            "day": today,
        }
        kwargs["members_list_url"] = _url("members:list", default="/members/")
        return kwargs

    def perform(self, form):
        d = form.cleaned_data
        restructuring.organization_dissolve(self.organization, effective_on=d["effective_on"],
                                            decision=form.decision(), note=d["note"], actor=self.request.user)

    def success_message(self, form):
        return _("%(org)s is dissolved from %(day)s.") % {
            "org": self.organization.name, "day": format_date(form.cleaned_data["effective_on"])}


class MergeView(Scoped, org_views.OrganizationActionView):
    form_class = MergeForm
    title = gettext_lazy("Merge")
    intro = gettext_lazy(
        "The chosen organizations end on the effective date. Their members move to the target cell "
        "(one dated transfer each, with this decision) and their subordinate organizations move "
        "under the target."
    )
    submit_label = gettext_lazy("Merge")
    danger = True

    def get_initial(self):
        return {**super().get_initial(), "sources": [self.organization.pk]}

    def get_form_kwargs(self):
        # Cells merge into a cell, committees into a committee (the services check the rest).
        qs = self.visible_organizations().filter(dissolved_on__isnull=True).order_by("code")
        qs = qs.filter(kind__in=CELL_KINDS) if self.organization.is_cell else qs.exclude(kind__in=CELL_KINDS)
        return {"organizations": qs}

    def perform(self, form):
        d = form.cleaned_data
        self.target = restructuring.organization_merge(
            sources=list(d["sources"]), target=d["target"], effective_on=d["effective_on"],
            decision=form.decision(), note=d["note"], actor=self.request.user,
        )
        return org_views.detail_url(self.target)

    def success_message(self, form):
        return _("%(n)d organizations merged into %(target)s from %(day)s.") % {
            "n": len(form.cleaned_data["sources"]), "target": self.target.name,
            "day": format_date(form.cleaned_data["effective_on"])}


class SplitView(Scoped, org_views.OrganizationActionView):
    form_class = SplitForm
    template_name = "orgpages/split.html"
    title = gettext_lazy("Split")
    intro = gettext_lazy(
        "Choose, for every member placed here on the effective date, the cell they move to, and for "
        "every subordinate organization its new parent. The organization then ends on that day."
    )
    submit_label = gettext_lazy("Split")
    danger = True

    def _day(self) -> tuple[dt.date, bool]:
        raw = self.request.POST.get("effective_on") if self.request.method == "POST" else self.request.GET.get(
            "effective_on")
        try:
            return parse_date(raw) or timezone.localdate(), True
        except DomainError:
            return timezone.localdate(), False

    def get_initial(self):
        return {**super().get_initial(), "effective_on": self._day()[0]}

    def get_form_kwargs(self):
        day = self._day()[0]
        org = self.organization
        visible = self.visible_organizations()
        members = list(restructuring.members_in_cell_on(org, day).order_by("sort_key", "id")) if org.is_cell else []
        children = list(restructuring.children_on(org, day).order_by("code"))
        cells = sel.organizations_on(visible.exclude(pk=org.pk), day, cells=True) if members else []
        parents = sel.organizations_on(visible.exclude(pk=org.pk), day, cells=False) if children else []
        self.day = day
        return {"members": members, "children": children, "cells": list(cells), "parents": list(parents)}

    def get_context_data(self, **kwargs):
        kwargs["day"] = self.day
        return kwargs

    def perform(self, form):
        d = form.cleaned_data
        restructuring.organization_split(
            source=self.organization, effective_on=d["effective_on"], member_cells=form.member_cells(),
            child_parents=form.child_parents(), decision=form.decision(), note=d["note"], actor=self.request.user,
        )

    def success_message(self, form):
        return _("%(org)s has been split from %(day)s.") % {
            "org": self.organization.name, "day": format_date(form.cleaned_data["effective_on"])}

