"""Member pages: list (filters, search, export), detail (timeline, audit history, periods) and forms.

Views parse input, call one service or selector and render; every query is limited to the
user's scope (members_visible_to / organizations_visible_to); a member named by the URL is looked up
in the scope and the role checked by `accounts.web.scoped_view` (404 outside, then 403).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dangvu.accounts.permissions import Action, can
from dangvu.accounts.selectors import organizations_visible_to, primary_assignment
from dangvu.accounts.web import require, scoped_view
from dangvu.assessment.selectors import member_reviews, rating_history
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError, EditConflict
from dangvu.core.ethnicity import ethnicity_name
from dangvu.lifecycle.selectors import event_permission
from dangvu.reports.views import export

from . import cancellation, services
from .change_log import audit_history
from .filters import MemberFilter
from .forms import CancelEventForm, MemberCreateForm, MemberProfileForm, cells_for_forms
from .models import Member, MemberEvent, MemberStatus, Sex
from .selectors import current_suspension, member_timeline, members_visible_to

PAGE_SIZE = 50
COUNT_CAP = 10_000
TABS = ("timeline", "ratings", "history", "periods")

#: The badge of a standing in the list (any other: "ended").
STATUS_BADGES = {
    MemberStatus.OFFICIAL: "official",
    MemberStatus.PROBATIONARY: "probationary",
}


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows (a LIMITed subquery), so a large scope stays cheap."""

    cap = COUNT_CAP

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.cap + 1].count()  # any cap+1 rows: no sort needed

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def _filtered(request) -> tuple[MemberFilter, object]:
    base = members_visible_to(request.user).select_related("cell")
    f = MemberFilter(request.GET, queryset=base, request=request)
    return f, f.qs


# ---------------------------------------------------------------- list & export

#: The sortable columns of the list: (`sort` value, heading).
SORTABLE = {"code": gettext_lazy("Code"), "name": gettext_lazy("Full name"), "cell": gettext_lazy("Party cell"),
            "status": gettext_lazy("Status"), "admitted_on": gettext_lazy("Admitted on")}


def _sort_links(request) -> dict[str, dict]:
    """For each sortable column: the address that sorts by it (the other way when it is the current
    order) and its current direction ("asc", "desc" or "")."""
    current = request.GET.get("sort", "")
    links = {}
    for key, label in SORTABLE.items():
        state = "asc" if current == key else "desc" if current == f"-{key}" else ""
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if state == "asc" else key
        links[key] = {"label": label, "href": "?" + query.urlencode(), "state": state}
    return links


#: The columns a row of the list shows: a page reads only these.
ROW_FIELDS = ("code", "full_name", "birth_date", "sex", "ethnicity", "cell__name", "status", "exempted", "suspended",
              "admitted_on", "made_official_on")
#: The short label of a current member's standing in the list.
SHORT_STATUS = {MemberStatus.OFFICIAL: gettext_lazy("Official"), MemberStatus.PROBATIONARY: gettext_lazy("Probationary")}


def _rows(members) -> list[dict]:
    """The members of a page (dicts of ROW_FIELDS) as the list shows them: the address of each, dates
    dd/mm/yyyy, the labels of sex, ethnicity and standing — made once here, not by template tags and an
    include row by row (the list is the page visited most)."""
    detail = reverse("members:detail", args=["__CODE__"])
    sexes = dict(Sex.choices)
    statuses = {**dict(MemberStatus.choices), **SHORT_STATUS}
    rows = []
    for m in members:
        status = m["status"]
        rows.append({
            "code": m["code"], "full_name": m["full_name"],
            "href": detail.replace("__CODE__", quote(m["code"], safe=RFC3986_SUBDELIMS + "~:@")),
            "birth_date": format_date(m["birth_date"]), "sex": sexes.get(m["sex"], m["sex"]),
            "ethnicity": ethnicity_name(m["ethnicity"]), "cell": m["cell__name"],
            "status": statuses.get(status, status), "badge": STATUS_BADGES.get(status, "ended"), "exempted": m["exempted"],
            "suspended": m["suspended"],
            "admitted_on": format_date(m["admitted_on"]), "made_official_on": format_date(m["made_official_on"]) or "—",
        })
    return rows


@scoped_view()
def member_list(request):
    f, qs = _filtered(request)
    paginator = CappedPaginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    ctx = {
        "filter": f,
        "filtered": any(request.GET.get(name) for name in f.form.fields if name != "sort"),  # not for ?page=, ?sort=
        "page": page,
        "rows": _rows(page.object_list.values(*ROW_FIELDS)),
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "count_cap": COUNT_CAP,
        "sort": _sort_links(request),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "members/_list_results.html", ctx)
    return render(request, "members/list.html", ctx)


@scoped_view()
def member_export(request):
    """The filtered list as .xlsx (`members.export`), in the user's scope: at once over a small scope, in
    the background over a large one (`reports.jobs`: the organization filtered on, else the user's)."""
    criteria = MemberFilter(request.GET, queryset=Member.objects.none(), request=request).criteria()
    assignment = primary_assignment(request.user)
    org = criteria["org"] or criteria["cell"] or (assignment.organization if assignment else None)
    if org is None:
        raise Http404
    codes = {key: criteria[key].code if criteria[key] is not None else "" for key in ("org", "cell")}
    response, error = export(request, org, "member_list", _("Members"), format_date(timezone.localdate()),
                             criteria={**criteria, **codes})
    if response is None:
        messages.error(request, error)
        return redirect("members:list")
    return response


# ---------------------------------------------------------------- detail

@scoped_view(model=Member, select_related=("cell",))
def member_detail(request, member):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "timeline"
    show_personal = can(request.user, Action.PERSONAL_DATA)
    ctx = {"member": member, "tab": tab, "show_personal": show_personal, "suspension": current_suspension(member),
           "ethnicity": ethnicity_name(member.ethnicity), "tabs": [
               ("timeline", _("History of events")), ("ratings", _("Quality ratings")), ("history", _("Change log")),
               ("periods", _("Periods"))]}
    if tab == "timeline":
        ctx["events"] = events = list(member_timeline(member))
        # the events this user may cancel as recorded by mistake: those the history allows, of kinds they record
        ctx["cancellable"] = cancellation.cancellable(
            events, among=[e for e in events if can(request.user, event_permission(e.kind))])
    elif tab == "ratings":
        ctx["ratings"] = rating_history(request.user, member=member)
        ctx["reviews"] = member_reviews(member)
    elif tab == "history":
        ctx["history"] = audit_history(member, show_personal=show_personal)
    else:
        ctx["periods"] = member.periods.select_related("cell").order_by("valid_from", "id")
    return render(request, "members/detail.html", ctx)


# ---------------------------------------------------------------- forms

def _cells(request):
    return cells_for_forms(organizations_visible_to(request.user))


@scoped_view(Action.EDIT)
@require_http_methods(["GET", "POST"])
def member_create(request):
    show_personal = can(request.user, Action.PERSONAL_DATA)
    form = MemberCreateForm(request.POST or None, cells=_cells(request), show_personal=show_personal)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_register(**form.service_kwargs(), actor=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Member %(name)s has been registered.") % {"name": member.full_name})
            return redirect("members:detail", code=member.code)
    return render(request, "members/form.html", {
        "form": form, "title": _("Register a member"), "submit": _("Register"), "cancel_url": "members:list",
    })


@scoped_view(Action.EDIT, model=Member, select_related=("cell",))
@require_http_methods(["GET", "POST"])
def member_edit(request, member):
    show_personal = can(request.user, Action.PERSONAL_DATA)
    initial = {name: getattr(member, name) for name in MemberProfileForm.base_fields}
    form = MemberProfileForm(request.POST or None, initial=initial, show_personal=show_personal)
    conflict = None
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("members:detail", code=member.code)
        try:
            services.member_update_profile(member, version=form.cleaned_data["version"], actor=request.user,
                                           **changes)
        except EditConflict as exc:
            conflict = {"message": exc.message, "fields": form.conflicts(exc.current)}
            form = form.rebased(exc.current)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("members:detail", code=member.code)
    return render(request, "members/form.html", {
        "form": form, "member": member, "title": _("Edit profile: %(name)s") % {"name": member.full_name},
        "submit": _("Save"), "conflict": conflict,
    })


@scoped_view(model=Member, select_related=("cell",))
@require_http_methods(["GET", "POST"])
def event_cancel(request, member, pk):
    """Hủy sự kiện nhập sai: confirm, with the reason, the cancellation of one of the member's events
    (`cancellation.cancel_event`); it needs the permission recording such an event does."""
    event = get_object_or_404(MemberEvent.with_cancelled, member=member, pk=pk)
    require(request.user, event_permission(event.kind))
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancellation.cancel_event(event, reason=form.cleaned_data["reason"], actor=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Cancelled as recorded by mistake: %(event)s.") % {"event": event})
            return redirect("members:detail", code=member.code)
    return render(request, "members/form.html", {
        "form": form, "member": member, "submit": _("Cancel the event"),
        "title": _("Cancel an event recorded by mistake: %(event)s") % {"event": event},
    })
