"""The forms that change an organization (establish, rename, move, change the kind, dissolve, merge,
split): each looks the organization up in the user's scope (404 outside), needs a role that may
edit (403), and calls one service."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Case, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dangvu import regulations as R
from dangvu.accounts.permissions import Action, require_change_organization
from dangvu.accounts.web import ScopedObjectMixin
from dangvu.core.dates import check_day, format_date, parse_date
from dangvu.core.errors import DomainError
from dangvu.members import restructuring

from . import forms
from . import services as org_services
from .models import CELL_KINDS, Organization, OrganizationKind
from .selectors import organizations_on


def detail_url(org: Organization) -> str:
    return reverse("organizations:detail", args=[org.code])


class OrganizationActionView(ScopedObjectMixin, View):
    """A form page that changes one organization (looked up by code in the user's scope) by calling
    one service. GET shows the form; POST validates, calls `perform` and shows the service's refusal
    on the field at fault. Users who may not write get 403; organizations outside scope, 404."""

    model = Organization
    action = Action.EDIT
    #: Changes the organization itself (decided by the committee above it: `can_change_organization`);
    #: establishing under it does not.
    changes_itself = True

    template_name = "organizations/action_form.html"
    form_class: type[forms.DecisionForm] = forms.DecisionForm
    title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    danger = False

    @property
    def organization(self) -> Organization:
        return self.object

    def visible_organizations(self):
        return self.get_queryset()

    # -- hooks for subclasses -------------------------------------------------------------
    def get_initial(self) -> dict:
        return {"effective_on": timezone.localdate()}

    def get_form_kwargs(self) -> dict:
        return {}

    def perform(self, form) -> str | None:
        """Call the service; return the URL to go to (default: the organization's page)."""
        raise NotImplementedError

    def success_message(self, form) -> str:
        return _("Saved.")

    def get_context_data(self, **kwargs) -> dict:
        return kwargs

    # -- machinery -------------------------------------------------------------------------
    def build_form(self, data=None):
        if data is None:
            return self.form_class(initial=self.get_initial(), **self.get_form_kwargs())
        return self.form_class(data=data, **self.get_form_kwargs())

    def render_form(self, form, status=200):
        context = self.get_context_data(
            organization=self.organization,
            form=form,
            title=self.get_title(),
            intro=self.intro,
            submit_label=self.submit_label,
            danger=self.danger,
            cancel_url=detail_url(self.organization),
            refusal=getattr(self, "refusal", ""),
        )
        return render(self.request, self.template_name, context, status=status)

    def get_title(self) -> str:
        return f"{self.title}: {self.organization.name}"

    def check_may_change(self) -> None:
        if self.changes_itself:
            require_change_organization(self.request.user, self.organization)

    def get(self, request, *args, **kwargs):
        self.check_may_change()
        return self.render_form(self.build_form())

    def post(self, request, *args, **kwargs):
        self.check_may_change()
        form = self.build_form(request.POST)
        if form.is_valid():
            try:
                url = self.perform(form)
            except DomainError as exc:
                form.add_domain_error(exc)
                self.refusal = exc.message
            else:
                messages.success(request, self.success_message(form))
                return HttpResponseRedirect(url or detail_url(self.organization))
        return self.render_form(form, status=400)


class EstablishView(OrganizationActionView):
    form_class = forms.EstablishForm
    title = gettext_lazy("Establish a subordinate organization")
    intro = gettext_lazy(
        "The new organization is placed under this one from the date of establishment. "
        "A subordinate cell or partial committee can only sit inside a grassroots committee; "
        "a grassroots organization sits under a district-level or provincial committee."
    )
    submit_label = gettext_lazy("Establish")
    changes_itself = False

    def get_initial(self):
        return {"established_on": timezone.localdate()}

    def get_form_kwargs(self):
        return {"parent_kind": self.organization.kind}

    def perform(self, form):
        d = form.cleaned_data
        org = org_services.organization_establish(
            code=d["code"], name=d["name"], kind=d["kind"], parent=self.organization,
            established_on=d["established_on"], unit_kind=d["unit_kind"] or "",
            admin_unit_code=(d["admin_unit_code"] or "").strip(), decision=form.decision(), note=d["note"],
            actor=self.request.user,
        )
        self.created = org
        return detail_url(org)

    def success_message(self, form):
        return _("%(org)s has been established.") % {"org": self.created.name}


class RenameView(OrganizationActionView):
    form_class = forms.RenameForm
    title = gettext_lazy("Rename")
    intro = gettext_lazy(
        "The new name applies from the effective date; reports and the tree for earlier days keep "
        "showing the old name."
    )
    submit_label = gettext_lazy("Rename")

    def get_initial(self):
        return {**super().get_initial(), "name": self.organization.name}

    def perform(self, form):
        d = form.cleaned_data
        org_services.organization_rename(self.organization, name=d["name"], effective_on=d["effective_on"],
                                         decision=form.decision(), note=d["note"], actor=self.request.user)

    def success_message(self, form):
        return _("The organization has been renamed from %(day)s.") % {
            "day": format_date(form.cleaned_data["effective_on"])}


class MoveView(OrganizationActionView):
    form_class = forms.MoveForm
    title = gettext_lazy("Move to another parent")
    intro = gettext_lazy(
        "The organization moves with its whole subtree and its members from the effective date. "
        "The new parent must exist on that day and be of a level that may hold this kind of organization."
    )
    submit_label = gettext_lazy("Move")

    def get_form_kwargs(self):
        parents = (
            self.visible_organizations()
            .exclude(pk=self.organization.pk)
            .exclude(kind__in=CELL_KINDS)
            .filter(dissolved_on__isnull=True)
            .order_by("code")
        )
        return {"parents": parents, "current_parent": self.organization.parent, "within": self.visible_organizations()}

    def perform(self, form):
        d = form.cleaned_data
        org_services.organization_move(self.organization, parent=d["parent"], effective_on=d["effective_on"],
                                       decision=form.decision(), note=d["note"], actor=self.request.user)

    def success_message(self, form):
        return _("The organization now sits under %(parent)s from %(day)s.") % {
            "parent": form.cleaned_data["parent"].name, "day": format_date(form.cleaned_data["effective_on"])}


class ChangeKindView(OrganizationActionView):
    form_class = forms.ChangeKindForm
    title = gettext_lazy("Change the kind")
    submit_label = gettext_lazy("Change the kind")

    @property
    def intro(self):
        return _(
            "For example, a grassroots cell that reaches %(members)d members becomes a grassroots committee, and a "
            "grassroots committee that falls below that size may become a grassroots cell (Statute, art. 21). "
            "Subordinate organizations must be able to stay under the new kind; move them first if not."
        ) % {"members": R.rules_on(timezone.localdate()).grassroots_committee_min_members}

    def get_initial(self):
        initial = super().get_initial()
        swap = {OrganizationKind.GRASSROOTS_CELL: OrganizationKind.GRASSROOTS_COMMITTEE,
                OrganizationKind.GRASSROOTS_COMMITTEE: OrganizationKind.GRASSROOTS_CELL}
        if self.organization.kind in swap:
            initial["kind"] = swap[self.organization.kind]
        return initial

    def get_form_kwargs(self):
        org = self.organization
        return {"current_kind": org.kind, "asks_cell": org.is_cell and restructuring.members_in_cell_on(
            org, timezone.localdate()).exists()}

    def perform(self, form):
        d = form.cleaned_data
        restructuring.organization_change_kind(
            self.organization, kind=d["kind"], effective_on=d["effective_on"], name=d["name"],
            cell_name=d.get("cell_name") or "",
            cell_code=(d.get("cell_code") or "").strip(), decision=form.decision(), note=d["note"],
            actor=self.request.user)

    def success_message(self, form):
        return _("The organization is a %(kind)s from %(day)s.") % {
            "kind": OrganizationKind(form.cleaned_data["kind"]).label.lower(),
            "day": format_date(form.cleaned_data["effective_on"])}


class DissolveView(OrganizationActionView):
    form_class = forms.DissolveForm
    template_name = "organizations/dissolve.html"
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
        kwargs["members_list_url"] = reverse("members:list")
        return kwargs

    def perform(self, form):
        d = form.cleaned_data
        restructuring.organization_dissolve(self.organization, effective_on=d["effective_on"],
                                            decision=form.decision(), note=d["note"], actor=self.request.user)

    def success_message(self, form):
        return _("%(org)s is dissolved from %(day)s.") % {
            "org": self.organization.name, "day": format_date(form.cleaned_data["effective_on"])}


class MergeView(OrganizationActionView):
    form_class = forms.MergeForm
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
        # The boxes to tick: this one first, then those beside it (same parent), then the others by code.
        org = self.organization
        near = Case(When(pk=org.pk, then=Value(0)), When(parent_id=org.parent_id, then=Value(1)), default=Value(2))
        qs = self.visible_organizations().filter(dissolved_on__isnull=True).order_by(near, "code")
        qs = qs.filter(kind__in=CELL_KINDS) if org.is_cell else qs.exclude(kind__in=CELL_KINDS)
        return {"organizations": qs, "within": self.visible_organizations()}

    def perform(self, form):
        d = form.cleaned_data
        require_change_organization(self.request.user, *d["sources"])
        self.target = restructuring.organization_merge(
            sources=list(d["sources"]), target=d["target"], effective_on=d["effective_on"],
            decision=form.decision(), note=d["note"], actor=self.request.user,
        )
        return detail_url(self.target)

    def success_message(self, form):
        return _("%(n)d organizations merged into %(target)s from %(day)s.") % {
            "n": len(form.cleaned_data["sources"]), "target": self.target.name,
            "day": format_date(form.cleaned_data["effective_on"])}


class SplitView(OrganizationActionView):
    form_class = forms.SplitForm
    template_name = "organizations/split.html"
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
            return check_day(parse_date(raw)) or timezone.localdate(), True
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
        cells = organizations_on(visible.exclude(pk=org.pk), day, cells=True) if members else []
        parents = organizations_on(visible.exclude(pk=org.pk), day, cells=False) if children else []
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

