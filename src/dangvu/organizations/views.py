"""Organization pages: the building blocks that need nothing above this layer.

The organizations app sits below accounts (roles, scope) and members (member counts, re-homing),
so it cannot decide on its own who may see or change what. The pages are therefore assembled in
`dangvu.members.views_org`, which supplies the two hooks of `ScopeHooks` (which organizations the
user may see, whether they may write) and serves the URLs under /organizations/. Here live the
parts that only need the organization tree: the form views that call one organization service,
and the history of an organization told in words.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError

from . import forms
from . import services as org_services
from .models import CELL_KINDS, Organization, OrganizationEvent, OrganizationKind, UnitKind
from .models import OrganizationEventKind as K


def not_served_here(request, *args, **kwargs):
    """Placeholder behind the names `organizations:tree` / `organizations:detail`: the pages are
    served by `dangvu.members.urls_org`, mounted at the same paths before this URLconf."""
    raise Http404


class ScopeHooks:
    """What a higher layer (one that knows the user's roles) must supply. Without it the views
    refuse to work, so that no page can forget the scope."""

    def visible_organizations(self) -> QuerySet[Organization]:
        raise NotImplementedError("supply the user's scope (see dangvu.members.views_org)")

    def may_write(self) -> bool:
        raise NotImplementedError("supply the user's write permission (see dangvu.members.views_org)")


def detail_url(org: Organization) -> str:
    return reverse("organizations:detail", args=[org.code])


class OrganizationActionView(LoginRequiredMixin, ScopeHooks, View):
    """A form page that changes one organization (looked up by code in the user's scope) by calling
    one service. GET shows the form; POST validates, calls `perform` and shows the service's refusal
    on the field at fault. Users who may not write get 403; organizations outside scope, 404."""

    template_name = "organizations/action_form.html"
    form_class: type[forms.DecisionForm] = forms.DecisionForm
    title = ""
    intro = ""
    submit_label = gettext_lazy("Save")
    danger = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organization = get_object_or_404(self.visible_organizations(), code=kwargs["code"])
        if not self.may_write():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

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

    def get(self, request, *args, **kwargs):
        return self.render_form(self.build_form())

    def post(self, request, *args, **kwargs):
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
        return {"parents": parents, "current_parent": self.organization.parent}

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
    intro = gettext_lazy(
        "For example, a grassroots cell that reaches 30 members becomes a grassroots committee, and a "
        "grassroots committee that falls below that size may become a grassroots cell (Statute, art. 21). "
        "Subordinate organizations must be able to stay under the new kind; move them first if not."
    )
    submit_label = gettext_lazy("Change the kind")

    def get_initial(self):
        initial = super().get_initial()
        swap = {OrganizationKind.GRASSROOTS_CELL: OrganizationKind.GRASSROOTS_COMMITTEE,
                OrganizationKind.GRASSROOTS_COMMITTEE: OrganizationKind.GRASSROOTS_CELL}
        if self.organization.kind in swap:
            initial["kind"] = swap[self.organization.kind]
        return initial

    def get_form_kwargs(self):
        return {"current_kind": self.organization.kind}

    def perform(self, form):
        d = form.cleaned_data
        org_services.organization_change_kind(self.organization, kind=d["kind"], effective_on=d["effective_on"],
                                              decision=form.decision(), note=d["note"], actor=self.request.user)

    def success_message(self, form):
        return _("The organization is a %(kind)s from %(day)s.") % {
            "kind": OrganizationKind(form.cleaned_data["kind"]).label.lower(),
            "day": format_date(form.cleaned_data["effective_on"])}


# -- history in words --------------------------------------------------------------------------

def history_events(org: Organization) -> QuerySet[OrganizationEvent]:
    """The organization's own events, plus the events of others that concern it: organizations
    established under it, moved in or out, merged into it."""
    return (
        OrganizationEvent.objects.filter(
            Q(organization=org)
            | Q(kind=K.ESTABLISHED, payload__parent_id=org.pk)
            | Q(kind=K.MOVED, payload__parent_id=org.pk)
            | Q(kind=K.MOVED, payload__old_parent_id=org.pk)
            | Q(kind=K.MERGED, payload__into_id=org.pk)
        )
        .select_related("organization", "recorded_by")
        .order_by("-effective_on", "-id")
    )


def _kind_label(value) -> str:
    try:
        return str(OrganizationKind(value).label)
    except ValueError:
        return str(value or "")


def describe_event(ev: OrganizationEvent, org: Organization, names: dict[int, Organization]) -> str:
    """One event as a sentence, seen from `org` (whose page shows it)."""
    p = ev.payload or {}

    def name(pk):
        o = names.get(pk) if pk is not None else None
        return o.name if o else "—"

    own = ev.organization_id == org.pk
    other = ev.organization.name
    if ev.kind == K.ESTABLISHED:
        if not own:
            return _("Subordinate organization established: %(org)s") % {"org": p.get("name") or other}
        if p.get("parent_id"):
            return _("Established as %(kind)s “%(name)s”, under %(parent)s") % {
                "kind": _kind_label(p.get("kind")).lower(), "name": p.get("name", ""), "parent": name(p["parent_id"])}
        return _("Established as %(kind)s “%(name)s”") % {
            "kind": _kind_label(p.get("kind")).lower(), "name": p.get("name", "")}
    if ev.kind == K.RENAMED:
        return _("Renamed: %(old)s → %(new)s") % {"old": p.get("old_name") or "—", "new": p.get("name", "")}
    if ev.kind == K.MOVED:
        if own:
            text = _("Moved to: %(parent)s") % {"parent": name(p.get("parent_id"))}
            if p.get("old_parent_id"):
                text += " " + _("(from %(old)s)") % {"old": name(p["old_parent_id"])}
            return text
        if p.get("parent_id") == org.pk:
            return _("%(org)s moved here from %(old)s") % {"org": other, "old": name(p.get("old_parent_id"))}
        return _("%(org)s moved to %(parent)s") % {"org": other, "parent": name(p.get("parent_id"))}
    if ev.kind == K.KIND_CHANGED:
        return _("Kind changed: %(old)s → %(new)s") % {
            "old": _kind_label(p.get("old_kind")) or "—", "new": _kind_label(p.get("kind"))}
    if ev.kind == K.MERGED:
        if own:
            return _("Merged into: %(target)s") % {"target": name(p.get("into_id"))}
        return _("%(org)s merged into this organization") % {"org": other}
    if ev.kind == K.SPLIT:
        into = ", ".join(name(pk) for pk in p.get("into_ids") or [])
        return _("Split into: %(list)s") % {"list": into or "—"} if into else _("Split")
    if ev.kind == K.DISSOLVED:
        return _("Dissolved")
    return ev.get_kind_display()


def history_rows(org: Organization, *, visible_ids: set[int] | None = None, limit: int = 500) -> list[dict]:
    """The history table of `org`: two queries (events, then the organizations they name)."""
    events = list(history_events(org)[:limit])
    ids: set[int] = set()
    for ev in events:
        p = ev.payload or {}
        ids.update(v for k in ("parent_id", "old_parent_id", "into_id") if isinstance(v := p.get(k), int))
        ids.update(v for v in p.get("into_ids") or [] if isinstance(v, int))
    names = {o.pk: o for o in Organization.objects.filter(pk__in=ids)} if ids else {}
    rows = []
    for ev in events:
        subject = ev.organization
        rows.append({
            "event": ev,
            "kind": ev.get_kind_display(),
            "text": describe_event(ev, org, names),
            "subject": None if subject.pk == org.pk else subject,
            "subject_visible": visible_ids is None or subject.pk in visible_ids,
        })
    return rows


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
