"""Pages of the candidates for admission (người vào Đảng): the board by stage with what is overdue,
a candidate's page (pending step, admission file, steps), the proposal and one form per step.

Views parse input, call one service or selector and render. A candidate outside the user's scope
is a 404 (`accounts.web.scoped_view`); writing needs a role that may edit, and a step owned by a
level outside the user's scope (the đảng ủy cơ sở vote, the decision) is a 403 saying whose step it is.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dangvu import regulations as R
from dangvu.accounts.permissions import Action, can
from dangvu.accounts.selectors import organizations_visible_to
from dangvu.accounts.web import scoped_view
from dangvu.core.dates import format_date, parse_date
from dangvu.core.errors import DomainError
from dangvu.core.ethnicity import ethnicity_name
from dangvu.members.selectors import members_visible_to, propose_member_code

from . import forms as F
from . import selectors as S
from . import services
from .models import OPEN_STAGES, Candidate, StepKind

#: URL slug → (step kind, form, service, submit label). "document" records a paper of the file.
STEPS = {
    "course": (StepKind.AWARENESS_COURSE, F.CourseForm, services.candidate_record_course, gettext_lazy("Record")),
    "sympathizer": (StepKind.SYMPATHIZER, F.DateForm, services.candidate_accept_sympathizer, gettext_lazy("Accept")),
    "document": ("document", F.DocumentForm, services.candidate_record_document, gettext_lazy("Record")),
    "background-check": (StepKind.BACKGROUND_CHECK, F.BackgroundCheckForm,
                         services.candidate_record_background_check, gettext_lazy("Record")),
    "introducers": (StepKind.INTRODUCERS, F.IntroducersForm, services.candidate_record_introducers,
                    gettext_lazy("Record")),
    "comments": (StepKind.COMMENTS, F.CommentsForm, services.candidate_record_comments, gettext_lazy("Record")),
    "complete-dossier": (StepKind.DOSSIER_COMPLETE, F.DateForm, services.candidate_complete_dossier,
                         gettext_lazy("Declare complete")),
    "cell-vote": (StepKind.CELL_VOTE, F.CellVoteForm, services.candidate_cell_vote, gettext_lazy("Record the vote")),
    "committee-vote": (StepKind.COMMITTEE_VOTE, F.CommitteeVoteForm, services.candidate_committee_vote,
                       gettext_lazy("Record the vote")),
    "decision": (StepKind.DECISION, F.DecisionForm, services.candidate_decide, gettext_lazy("Record the decision")),
    "ceremony": (StepKind.CEREMONY, F.CeremonyForm, services.candidate_hold_ceremony,
                 gettext_lazy("Record the ceremony")),
    "reject": (StepKind.REJECTED, F.RejectForm, services.candidate_reject, gettext_lazy("Record")),
    "assign": (StepKind.ASSIGNED, F.AssignForm, services.candidate_assign, gettext_lazy("Assign")),
    "close": (StepKind.CLOSED, F.CloseForm, services.candidate_close, gettext_lazy("Close the candidacy")),
}
SLUGS = {kind: slug for slug, (kind, *_rest) in STEPS.items()}
DOCUMENT_LABEL = gettext_lazy("Record a document")


#: The candidate named by the URL, in the user's scope (404 outside).
candidate_view = scoped_view(model=Candidate, field="pk",
                             select_related=("cell", "owner_org", "assignee", "member", "former_member"))


def _step_label(kind: str) -> str:
    return str(DOCUMENT_LABEL) if kind == "document" else str(StepKind(kind).label)


@scoped_view()
def candidate_board(request):
    today = timezone.localdate()
    organizations = organizations_visible_to(request.user)
    cell = None
    code = request.GET.get("org", "").strip()
    if code:
        cell = organizations.filter(code=code).first()
        if cell is None:
            raise Http404
    board = S.candidate_board(request.user, today, cell=cell, text=request.GET.get("q", ""))
    return render(request, "admission/candidate_board.html", {
        **board, "today": today, "org": cell, "q": request.GET.get("q", ""),
        "overdue_list": S.overdue_candidates(request.user, today).filter(pk__in=[
            c.pk for col in board["columns"] for c in col["candidates"]])[:100],
    })


@candidate_view
def candidate_detail(request, candidate: Candidate):
    today = timezone.localdate()
    steps = []
    for kind in S.available_steps(candidate, today):
        allowed, why = S.may_record(request.user, candidate, kind)
        steps.append({"slug": SLUGS[kind], "label": _step_label(kind), "allowed": allowed, "why": why,
                      "primary": kind == candidate.next_step})
    owner = S.step_owner(candidate, candidate.next_step, day=candidate.stage_since) if candidate.next_step else None
    return render(request, "admission/candidate_detail.html", {
        "candidate": candidate, "today": today, "steps": steps, "owner": owner,
        "overdue": bool(candidate.next_step and candidate.due_on and candidate.due_on < today),
        "requirements": S.step_requirements(candidate, candidate.next_step, today) if candidate.next_step else [],
        "checklist": S.checklist(candidate, today), "timeline": S.candidate_timeline(candidate),
        "ethnicity": ethnicity_name(candidate.ethnicity), "show_personal": can(request.user, Action.PERSONAL_DATA),
        "stages": OPEN_STAGES,
    })


@scoped_view(Action.EDIT)
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    form = F.ProposeForm(request.POST or None, organizations=organizations_visible_to(request.user),
                         show_personal=can(request.user, Action.PERSONAL_DATA),
                         initial={"proposed_on": format_date(timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        former = None
        code = (form.cleaned_data.get("former_member") or "").strip()
        if code:
            former = members_visible_to(request.user).filter(code=code).first()
            if former is None:
                form.add_error("former_member", _("No member with code %(code)s in your scope.") % {"code": code})
        if not form.errors:
            try:
                candidate = services.candidate_propose(**form.service_kwargs(), former_member=former,
                                                       actor=request.user)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("%(name)s has been proposed.") % {"name": candidate.full_name})
                return redirect("admission:candidate", pk=candidate.pk)
    return render(request, "admission/candidate_form.html", {
        "form": form, "title": _("Propose a candidate for admission"), "submit": _("Propose"),
        "requirements": [{"text": _("The chi bộ proposes an outstanding person of the masses; the admission needs the "
                                    "awareness course, the admission file and the votes that follow."),
                          "met": None, "unconfirmed": False}],
    })


@candidate_view
@require_http_methods(["GET", "POST"])
def candidate_step(request, candidate: Candidate, step: str):
    if step not in STEPS:
        raise Http404
    kind, form_class, service, submit = STEPS[step]
    today = timezone.localdate()
    delegated = request.POST.get("delegated") in ("on", "true", "1")
    try:  # a decision entered after the fact is owned under the rules of its own date
        day = parse_date(request.POST.get("decision_date")) if step == "decision" else None
    except DomainError:
        day = None  # the form reports the bad date
    allowed, why = S.may_record(request.user, candidate, kind, day=day, delegated=delegated)
    if not allowed:
        raise PermissionDenied(why)
    kwargs = {}
    initial = {"effective_on": format_date(today)}
    if step == "document":
        kwargs["rules"] = R.rules_on(today)
        initial = {"received_on": format_date(today), "key": request.GET.get("key", "")}
    elif step == "assign":
        kwargs["users"] = S.assignable_users(candidate)
    elif step == "course":
        initial = {"issued_on": format_date(today)}
    elif step == "decision":
        initial = {"decision_date": format_date(today)}
    elif step == "ceremony":
        kwargs["readmission"] = candidate.former_member_id is not None
        initial["member_code"] = propose_member_code(candidate.cell)  # the user may change it
    elif step == "cell-vote":
        counts = S.cell_vote_counts(candidate.cell, today)
        initial.update(votes_due=counts["official"], votes_excluded=counts["excluded"])
    form = form_class(request.POST or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            if step == "introducers":
                people = []
                visible = members_visible_to(request.user)
                for field, code, months in form.codes():
                    member = visible.filter(code=code).first()
                    if member is None:
                        raise DomainError(_("No member with code %(code)s in your scope.") % {"code": code},
                                          field=field)
                    people.append(services.IntroducerInput(member, months))
                result = service(candidate, **form.service_kwargs(people), actor=request.user)
            else:
                result = service(candidate, **form.service_kwargs(), actor=request.user)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Recorded: %(step)s.") % {"step": result})
            return redirect("admission:candidate", pk=candidate.pk)
    return render(request, "admission/candidate_form.html", {
        "form": form, "candidate": candidate, "submit": submit,
        "title": _("%(step)s: %(name)s") % {"step": _step_label(kind), "name": candidate.full_name},
        "requirements": S.step_requirements(candidate, kind, today) if kind != "document" else [],
        "refused": bool(form.errors),
    })
