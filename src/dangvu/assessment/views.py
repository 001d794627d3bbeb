"""Pages of the yearly assessment cycle (kỳ đánh giá, xếp loại): the cycles of the scope by year (and
opening one), a cycle with its chi bộ, the rating sheet of one chi bộ (bảng xếp loại nhanh: the chi
bộ's proposals or the committee's decisions for all its members at once) and the progress of a year.

Scope and role come from `accounts.web` (404 outside the scope) and `accounts.permissions.can_on`
(who may propose for a chi bộ, who decides for a committee); each page parses, calls one service or
selector, and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dangvu import regulations as R
from dangvu.accounts.permissions import Action, can, can_on
from dangvu.accounts.selectors import organizations_visible_to
from dangvu.accounts.web import require_on, scoped_view
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization, OrganizationPeriod
from dangvu.regulations import KEY_NAMES

from . import selectors, selectors_org, services
from .forms import (
    DECIDE,
    PROPOSE,
    SHORTCUTS,
    STEPS,
    OpenCycleForm,
    OrgSheetForm,
    SheetForm,
    level_field_name,
    org_field_name,
    votes_for_field_name,
)
from .models import AssessmentCycle
from .services.cycle import CYCLE_KINDS


def _year(request, default: int) -> tuple[int, str | None]:
    text = (request.GET.get("year") or "").strip()
    if not text:
        return default, None
    try:
        return services.check_year(text), None
    except DomainError as exc:
        return default, exc.message


def _default_year() -> int:
    """The year being assessed: the current one from October, the previous one before."""
    today = timezone.localdate()
    return today.year if today.month >= 10 else today.year - 1


def _deciding_organizations(user):
    """The organizations of the scope whose committee opens a cycle and that the user may decide for."""
    today = timezone.localdate()
    ids = OrganizationPeriod.objects.active_on(today).filter(kind__in=CYCLE_KINDS).values("organization_id")
    orgs = organizations_visible_to(user).filter(pk__in=ids).order_by("path")
    return [o for o in orgs if can_on(user, Action.DECIDE_RATINGS, o)]


@scoped_view()
@require_http_methods(["GET", "POST"])
def cycle_list(request):
    """`assessment:cycles` — the cycles of the scope for a year (?year=), the chi bộ of the scope rated in a
    cycle run above it (a chi bộ trực thuộc's secretary: his sheet), and the form to open one."""
    year, error = _year(request, _default_year())
    orgs = _deciding_organizations(request.user) if can(request.user, Action.DECIDE_RATINGS) else []
    form = None
    if orgs:  # a chi bộ trực thuộc's secretary proposes, and opens nothing
        form = OpenCycleForm(request.POST or None, organizations=orgs,
                             initial={"year": year, "opened_on": timezone.localdate(),
                                      "organization": orgs[0].pk if len(orgs) == 1 else None})
        if request.method == "POST" and form.is_valid():
            org = next(o for o in orgs if o.pk == form.cleaned_data["organization"])
            try:
                cycle = services.cycle_open(organization=org, year=form.cleaned_data["year"],
                                            opened_on=form.cleaned_data["opened_on"], actor=request.user)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("The assessment of %(year)s is open for %(org)s.") % {
                    "year": cycle.year, "org": org.name})
                return redirect("assessment:cycle", pk=cycle.pk)
    elif request.method == "POST":
        require_on(request.user, Action.DECIDE_RATINGS, None)
    cycles = list(selectors.cycles_visible_to(request.user).filter(year=year).select_related("organization")
                  .order_by("organization__path"))
    return render(request, "assessment/cycles.html", {
        "year": year, "error": error, "cycles": cycles, "cells_above": selectors.cycles_above_scope(request.user, year),
        "form": form, "years": range(_default_year() + 1,
                                                                                        _default_year() - 6, -1),
    }, status=400 if error or (form is not None and form.errors) else 200)


@scoped_view(model=AssessmentCycle, field="pk", arg="cycle", select_related=("organization",))
def cycle_page(request, cycle):
    """`assessment:cycle` — one cycle: its chi bộ with their progress, each linking to its sheet."""
    cells = selectors.cycle_cells(cycle)
    counts = {row.organization_id: row for group in selectors.progress(request.user, cycle.year, under=cycle.organization)
              for row in group.cells}
    return render(request, "assessment/cycle.html", {
        "cycle": cycle, "rules": R.assessment_rules(cycle.year),
        "cells": [(cell, counts.get(cell["id"])) for cell in cells],
        "may_decide": can_on(request.user, Action.DECIDE_RATINGS, cycle.organization),
        "rates_organizations": bool(selectors_org.organization_sheet(cycle).rows),
    })


@scoped_view(model=AssessmentCycle, field="pk", arg="cycle", select_related=("organization",))
@require_http_methods(["GET", "POST"])
def organization_sheet(request, cycle):
    """`assessment:organizations` — the committee's decision on the organizations it rates in a cycle
    (its subordinate chi bộ, or the grassroots organizations under a superior committee), all at once,
    refusals shown row by row."""
    may_save = can_on(request.user, Action.DECIDE_RATINGS, cycle.organization)
    if request.method == "POST":
        require_on(request.user, Action.DECIDE_RATINGS, cycle.organization)
    sheet = selectors_org.organization_sheet(cycle)
    form = OrgSheetForm(request.POST or None, sheet=sheet)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            entries = form.decisions()
            try:
                saved = services.ratings_decide(cycle=cycle, decisions=entries,
                                                decided_on=form.cleaned_data["decided_on"],
                                                decision=form.decision(), actor=request.user) if entries else []
            except DomainError as exc:
                _show_refusals(form, exc, entries)
            else:
                messages.success(request, _("Saved: %(n)s organizations.") % {"n": len(saved)}
                                 if saved else _("Nothing changed."))
                return redirect(request.path)
        status = 400
    return render(request, "assessment/organizations.html", {
        "cycle": cycle, "sheet": sheet, "form": form, "may_save": may_save,
        "shortcuts": [(i + 1, SHORTCUTS.get(lv.key, ""), lv) for i, lv in enumerate(sheet.levels)],
    }, status=status)


def _step_of(request, cycle, cell) -> tuple[str, bool]:
    """The step the sheet records (?step=, else the one the user may act on) and whether they may."""
    may = {PROPOSE: can_on(request.user, Action.PROPOSE_RATINGS, cell),
           DECIDE: can_on(request.user, Action.DECIDE_RATINGS, cycle.organization)}
    step = request.GET.get("step") or request.POST.get("step") or (DECIDE if may[DECIDE] else PROPOSE)
    if step not in STEPS:
        raise Http404
    return step, may[step]


def _row_field(entry, field: str | None) -> str:
    """The sheet's field a refusal of one row goes under: its votes in favour, else its level."""
    if entry.member is None:
        return org_field_name("level", entry.organization.pk)
    return votes_for_field_name(entry.member.pk) if field == "votes_for" else level_field_name(entry.member.pk)


def _show_refusals(form, exc: DomainError, entries: list) -> None:
    """A refusal of the service on a sheet: each refused row's reasons under its level (or its votes in
    favour), the others above the sheet."""
    rows = getattr(exc, "rows", None)
    if rows is None:
        form.add_domain_error(exc)
        return
    for index, errors in exc.rows.items():
        entry = entries[index]
        for e in errors:
            form.add_error(_row_field(entry, e.field), e.message)
    for e in exc.general:
        form.add_domain_error(e)


@scoped_view(model=Organization, arg="cell")
@require_http_methods(["GET", "POST"])
def cell_sheet(request, cell, year):
    """`assessment:sheet` — the rating sheet of one chi bộ of the scope for a year (?step=propose|decide),
    in the cycle of its grassroots organization: every member on one screen, saved in one service call
    (all or nothing, refusals shown row by row). The chi bộ is looked up in the user's scope (404 outside);
    the cycle is its grassroots organization's, whether or not the user's scope reaches that high."""
    cycle = selectors.cycle_of_cell(cell, year) if 1930 <= year <= 2100 else None
    if cycle is None:
        return render(request, "assessment/no_cycle.html", {"cell": cell, "year": year}, status=404)
    step, may_save = _step_of(request, cycle, cell)
    if request.method == "POST":
        require_on(request.user, Action.PROPOSE_RATINGS if step == PROPOSE else Action.DECIDE_RATINGS,
                   cell if step == PROPOSE else cycle.organization)
    sheet = selectors.cell_sheet(cycle, cell)
    bulk = request.POST.get("bulk")
    form = SheetForm(request.POST or None, sheet=sheet, step=step)
    status = 200
    if request.method == "POST" and bulk in ("fill", "clear", "unanimous"):
        form = SheetForm(sheet=sheet, step=step, initial=form.bulk_values(bulk))
    elif request.method == "POST":
        if form.is_valid():
            try:
                if step == PROPOSE:
                    entries = form.proposals()
                    d = form.cleaned_data
                    saved = services.cell_reviews_record(
                        cycle=cycle, cell=cell, effective_on=d["effective_on"], proposals=entries,
                        comment=d["comment"], votes_due=d["votes_due"], votes_present=d["votes_present"],
                        actor=request.user)
                else:
                    entries = form.decisions()
                    saved = services.ratings_decide(cycle=cycle, decisions=entries,
                                                    decided_on=form.cleaned_data["decided_on"],
                                                    decision=form.decision(), actor=request.user) if entries else []
            except DomainError as exc:
                _show_refusals(form, exc, entries)
            else:
                messages.success(request, _("Saved: %(n)s members of %(cell)s.") % {"n": len(saved), "cell": cell.name}
                                 if saved else _("Nothing changed."))
                return redirect(f"{request.path}?step={step}")
        status = 400
    cap = sheet.cap
    return render(request, "assessment/sheet.html", {
        "cycle": cycle, "cell": cell, "sheet": sheet, "form": form, "step": step, "steps": STEPS,
        "may_save": may_save, "cap": cap, "good_label": KEY_NAMES["good"],
        "cycle_in_scope": selectors.cycle_in_scope(request.user, cycle),
        "shortcuts": [(i + 1, SHORTCUTS.get(lv.key, ""), lv) for i, lv in enumerate(sheet.levels)],
        "cap_counts": _cap_counts(form, sheet) if cap else None,
    }, status=status)


def _cap_counts(form: SheetForm, sheet) -> dict:
    """The counter of the cap as the page opens (the script keeps it up to date while keys are pressed)."""
    values = [form[level_field_name(row.member.pk)].value() for row in form.rated_rows]
    good = sheet.cap.other_good + sum(v == "good" for v in values)
    excellent = sheet.cap.other_excellent + sum(v == "excellent" for v in values)
    allowed = sheet.cap.allowed(good, excellent)
    return {"good": good, "excellent": excellent, "allowed": allowed, "over": excellent > allowed}


@scoped_view()
def progress_page(request):
    """`assessment:progress` — which units of the scope have not finished the assessment of a year."""
    year, error = _year(request, _default_year())
    groups = selectors.progress(request.user, year)
    return render(request, "assessment/progress.html", {
        "year": year, "error": error, "groups": groups, "years": range(_default_year() + 1, _default_year() - 6, -1),
    }, status=400 if error else 200)
