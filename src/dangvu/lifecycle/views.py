"""Pages of the member lifecycle: the to-do page and the actions on a member (recognition, card, badge,
transfer, discipline and its cases, suspension of party activities, exemption, leaving the Party, restoration
of membership)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dangvu.accounts import scope
from dangvu.accounts.permissions import Action
from dangvu.accounts.selectors import is_admin, organizations_visible_to, primary_assignment
from dangvu.accounts.web import next_url, require, require_on, scoped_view
from dangvu.core.dates import check_day, format_date, parse_date
from dangvu.core.errors import DomainError
from dangvu.core.rule_settings import rules_file
from dangvu.members.forms import cells_for_forms
from dangvu.members.models import Member
from dangvu.members.selectors import cell_vote_counts
from dangvu.organizations.models import OrganizationKind
from dangvu.reports.views import export

from . import services, todo, todo_export, transfers, worklist
from .forms import (
    BadgeForm,
    CardForm,
    CloseCaseForm,
    DatedForm,
    DeathForm,
    DisciplineForm,
    ExemptForm,
    OpenCaseForm,
    ReceiveForm,
    RecognitionForm,
    RemoveForm,
    RestoreForm,
    SuspendForm,
    TransferForm,
    TransferInForm,
)
from .models import Transfer
from .selectors import action_permission, assessment_rules_in_force, recognition_time_limit, rules_in_force


@scoped_view()
def rules_page(request):
    """`lifecycle:rules` — the Party's rules in force today (?on=dd/mm/yyyy for another day): each value
    with its source, the UNCONFIRMED ones marked, those the administrator's rules file sets."""
    day, error = timezone.localdate(), None
    try:
        day = check_day(parse_date((request.GET.get("on") or "").strip() or None, field="on"), field="on") or day
    except DomainError as exc:
        error = exc.message
    rules, rows = rules_in_force(day)
    assessment, assessment_rows = assessment_rules_in_force(day.year)
    return render(request, "lifecycle/rules.html", {
        "day": day, "rules": rules, "rows": rows, "error": error,
        "assessment": assessment, "assessment_rows": assessment_rows,
        "rules_file": rules_file() if is_admin(request.user) else None,
    }, status=400 if error else 200)


#: Items of each list shown on the to-do page; the whole list is paged on its own page.
TODO_PREVIEW = 25
TODO_PAGE_SIZE = 50


@scoped_view()
def todo_page(request):
    context = worklist.worklist(request.user, timezone.localdate(), limit=TODO_PREVIEW)
    return render(request, "lifecycle/todo.html", {**context, "preview": TODO_PREVIEW})


@scoped_view()
def todo_list_page(request, key):
    """One whole to-do list, paged, with its .xlsx download (`?format=xlsx`: `reports.downloads.todo_list`)."""
    if key not in worklist.TODO_KEYS:
        raise Http404
    today = timezone.localdate()
    award = todo.next_award_date(today)
    overdue_only = key in worklist.DEADLINE_KEYS and request.GET.get("overdue") == "1"
    title = todo_export.title(key, award, overdue_only)
    if request.GET.get("format") == "xlsx":  # at once over a small scope, else in the background (reports.jobs)
        assignment = primary_assignment(request.user)
        if assignment is None:
            raise Http404
        response, error = export(request, assignment.organization, "todo_list", title, format_date(today), key=key,
                                 overdue=overdue_only)
        if response is None:
            messages.error(request, error)
            return redirect(request.path + ("?overdue=1" if overdue_only else ""))
        return response
    rows = worklist.todo_list(request.user, today, key, overdue_only)
    page = Paginator(rows, TODO_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lifecycle/todo_list.html", {
        "key": key, "title": title, "today": today, "award_date": award, "page": page,
        "rows": page.object_list, "page_range": page.paginator.get_elided_page_range(page.number),
        "has_deadline": key in worklist.DEADLINE_KEYS, "overdue_only": overdue_only,
        "q": "overdue=1&" if overdue_only else "",  # kept by the pages' and the download's links
    })


ACTIONS = {
    # name: (form, service, title, submit)
    "recognize": (RecognitionForm, services.recognize_official, gettext_lazy("Official recognition: %(name)s"),
                  gettext_lazy("Recognise")),
    "card": (CardForm, services.issue_card, gettext_lazy("Issue a party card: %(name)s"), gettext_lazy("Issue")),
    "badge": (BadgeForm, services.award_badge, gettext_lazy("Award a Party badge: %(name)s"), gettext_lazy("Award")),
    "transfer": (TransferForm, transfers.transfer_issue, gettext_lazy("Transfer of party activities: %(name)s"),
                 gettext_lazy("Issue the letter")),
    "transfer-in": (TransferInForm, transfers.transfer_in, gettext_lazy("Transfer back into this database: %(name)s"),
                    gettext_lazy("Record")),
    "discipline": (DisciplineForm, services.discipline, gettext_lazy("Discipline: %(name)s"), gettext_lazy("Record")),
    "exempt": (ExemptForm, services.exempt, gettext_lazy("Exemption from activities: %(name)s"), gettext_lazy("Record")),
    "end-exemption": (DatedForm, services.end_exemption, gettext_lazy("End of the exemption: %(name)s"),
                      gettext_lazy("Record")),
    "suspend": (SuspendForm, services.suspend, gettext_lazy("Suspension of party activities: %(name)s"),
                gettext_lazy("Record")),
    "lift-suspension": (DatedForm, services.lift_suspension,
                        gettext_lazy("Lifting of the suspension of party activities: %(name)s"), gettext_lazy("Record")),
    "remove": (RemoveForm, services.remove, gettext_lazy("Removal from the Party: %(name)s"), gettext_lazy("Record")),
    "resign": (DatedForm, services.resign, gettext_lazy("Leaving the Party: %(name)s"), gettext_lazy("Record")),
    "death": (DeathForm, services.record_death, gettext_lazy("Death: %(name)s"), gettext_lazy("Record")),
    "open-discipline-case": (OpenCaseForm, services.open_discipline_case,
                             gettext_lazy("Open a discipline case: %(name)s"), gettext_lazy("Open the case")),
    "close-discipline-case": (CloseCaseForm, services.close_discipline_case,
                              gettext_lazy("Decision not to discipline: %(name)s"), gettext_lazy("Close the case")),
    "restore": (RestoreForm, services.restore_membership, gettext_lazy("Restoration of party membership: %(name)s"),
                gettext_lazy("Restore")),
}


@scoped_view(model=Member, select_related=("cell",))
@require_http_methods(["GET", "POST"])
def member_action(request, member, action):
    if action not in ACTIONS:
        raise Http404
    require(request.user, action_permission(action))
    form_class, service, title, submit = ACTIONS[action]
    initial, kwargs = {}, {}
    if action == "badge":
        award = todo.last_award_date(timezone.localdate())  # recorded once awarded: not a date to come
        due = services.badge_due(member, award)
        initial = {"award_date": format_date(award), "milestone": due}
        coming = todo.next_award_date(timezone.localdate())
        due_coming = services.badge_due(member, coming) if due is None and request.method == "GET" else None
        if due_coming:  # opened from the to-do list of the coming occasion: say when it can be recorded
            initial["milestone"] = due_coming
            messages.info(request, _(
                "No Party badge is due to %(name)s on the last award occasion (%(last)s): the %(due)d-year badge "
                "is due on the occasion of %(coming)s, and is recorded here once awarded.") % {
                "name": member.full_name, "last": format_date(award), "due": due_coming,
                "coming": format_date(coming)})
    if action == "recognize":  # the chi bộ vote starts from the registry, as the admission's
        counts = cell_vote_counts(member.cell, timezone.localdate())
        initial = {"due": counts["official"], "excluded": counts["excluded"]}
        kwargs["committee_vote"] = member.cell.kind != OrganizationKind.GRASSROOTS_CELL  # a chi bộ cơ sở: none
        ends, limit = recognition_time_limit(member)
        if timezone.localdate() > limit:  # overdue: the reason for the delay is asked upfront
            kwargs["late_after"] = (ends, limit)
    if action == "discipline":  # the limitation period counts from the violation of the case it decides
        kwargs["offered"] = services.discipline_forms_offered(request.user, member, timezone.localdate())
        case = services.open_case(member, timezone.localdate())
        if case is not None and case.violation_on is not None:
            initial = {"violation_on": format_date(case.violation_on)}
    if getattr(form_class, "today_field", None):  # a decision or a step recorded on the day it is taken, by default
        initial.setdefault(form_class.today_field, format_date(timezone.localdate()))
    if action in ("restore", "transfer-in"):
        kwargs["cells"] = cells_for_forms(organizations_visible_to(request.user))
        if action == "restore":
            initial["cell"] = member.cell_id
    if action == "transfer":
        kwargs["user"] = request.user
    form = form_class(request.POST or None, initial=initial, **kwargs)
    back = next_url(request, reverse("members:detail", args=[member.code]))  # the to-do list it came from, or the member
    if request.method == "POST" and form.is_valid():
        try:
            event = service(member, **form.service_kwargs(), actor=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded: %(event)s.") % {"event": event})
            if not scope.visible(request.user, Member).filter(pk=member.pk).exists():  # in transit out of the scope
                back = next_url(request, reverse("lifecycle:todo") + "#todo-transfers")  # where its letter is
            return redirect(back)
    return render(request, "members/form.html", {
        "form": form, "member": member, "title": str(title) % {"name": member.full_name}, "submit": submit,
        "back": back,
    })


@scoped_view(Action.EDIT, model=Transfer, field="pk", select_related=("member", "from_cell", "to_cell"))
@require_http_methods(["GET", "POST"])
def transfer_receive(request, transfer):
    require_on(request.user, Action.EDIT, transfers.receiving_side(transfer), transfers.not_receiving_side(transfer))
    form = ReceiveForm(request.POST or None, initial={"received_on": format_date(timezone.localdate())})
    back = next_url(request, reverse("lifecycle:todo"))
    if request.method == "POST" and form.is_valid():
        try:
            transfers.transfer_receive(transfer, received_on=form.cleaned_data["received_on"], actor=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Receipt recorded."))
            return redirect(back)
    return render(request, "members/form.html", {
        "form": form, "member": transfer.member, "submit": _("Record the receipt"), "back": back,
        "title": _("Receipt of the transfer: %(name)s") % {"name": transfer.member.full_name},
    })
