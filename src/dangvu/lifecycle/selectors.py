"""Read queries of the member lifecycle: which permission each action on a member needs, which actions a
member allows now (the status machine of the rules), the rules in force."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from dangvu import regulations as R
from dangvu.accounts.permissions import Action, can
from dangvu.accounts.selectors import scope_q
from dangvu.members.history import stage_of
from dangvu.members.models import MemberEventKind as E
from dangvu.members.models import MemberStatus
from dangvu.organizations.models import CELL_KINDS, Organization

from .models import DisciplineCase

#: Member actions that need the permission to discipline (the inspectors, UBKT, have it too): a suspension
#: of party activities accompanies an investigation (domain-rules §9.3).
DISCIPLINE_ACTIONS = ("discipline", "open-discipline-case", "close-discipline-case", "suspend", "lift-suspension")


def action_permission(action: str) -> Action:
    """The permission (accounts.permissions) the lifecycle action `action` on a member needs."""
    return Action.DISCIPLINE if action in DISCIPLINE_ACTIONS else Action.EDIT


#: The action recording each kind of member event (an admission: the registration or a readmission, EDIT).
EVENT_ACTIONS = {
    E.MADE_OFFICIAL: "recognize", E.CARD_ISSUED: "card", E.BADGE_AWARDED: "badge", E.TRANSFERRED_IN: "transfer-in",
    E.MOVED: "transfer", E.TRANSFERRED_OUT: "transfer", E.DISCIPLINED: "discipline", E.EXPELLED: "discipline",
    E.SUSPENDED: "suspend", E.SUSPENSION_LIFTED: "lift-suspension", E.EXEMPTED: "exempt",
    E.EXEMPTION_ENDED: "end-exemption", E.REMOVED: "remove", E.RESIGNED: "resign", E.DIED: "death",
    E.RESTORED: "restore",
}


def event_permission(kind: str) -> Action:
    """The permission recording a member event of `kind` needs: cancelling it as recorded by mistake
    (members.cancellation) needs the same."""
    return action_permission(EVENT_ACTIONS.get(kind, ""))


_A = R.Action
#: Each page/API action on a member and the actions of the status machine (regulations.machine) it
#: takes: it is offered where the member's stage has a transition for one of them.
MEMBER_ACTIONS: dict[str, tuple[R.Action, ...]] = {
    "recognize": (_A.MAKE_OFFICIAL,),
    "card": (_A.ISSUE_CARD,),
    "badge": (_A.AWARD_BADGE,),
    "exempt": (_A.EXEMPT,),
    "end-exemption": (_A.END_EXEMPTION,),
    "transfer": (_A.TRANSFER,),
    "suspend": (_A.SUSPEND,),
    "lift-suspension": (_A.LIFT_SUSPENSION,),
    "open-discipline-case": tuple(R.DISCIPLINE_ACTIONS),
    "close-discipline-case": tuple(R.DISCIPLINE_ACTIONS),
    "discipline": tuple(R.DISCIPLINE_ACTIONS),
    "remove": (_A.REMOVE, _A.REMOVE_FROM_PROBATION),
    "resign": (_A.RESIGN,),
    "death": (_A.DIE,),
    "restore": (_A.RESTORE,),
}


def allowed_actions(member, user, *, case_open: bool) -> list[str]:
    """The actions (`MEMBER_ACTIONS` names, in that order) `user` may take on `member` now: those the
    status machine allows from the member's stage and the user's role permits; a discipline case
    open (`case_open`) allows closing it and blocks a transfer and a second case; a suspension of party
    activities in force allows lifting it and blocks a second one (`R.suspension_check`). A member
    transferred out can only be transferred back in. Templates and the API ask this; scope is
    checked by the caller."""
    stage = stage_of(member.status, exempted=member.exempted, readmitted_on=member.readmitted_on,
                     made_official_on=member.made_official_on)
    if stage is None:
        names = ["transfer-in"] if member.status == MemberStatus.TRANSFERRED_OUT else []
    else:
        possible = R.TRANSITIONS[stage]
        names = [name for name, actions in MEMBER_ACTIONS.items() if any(a in possible for a in actions)]
        blocked = {"transfer", "open-discipline-case"} if case_open else {"close-discipline-case"}
        blocked.add("suspend" if member.suspended else "lift-suspension")
        names = [name for name in names if name not in blocked]
    return [name for name in names if can(user, action_permission(name))]


def discipline_cases_visible_to(user) -> QuerySet[DisciplineCase]:
    """Discipline cases against members in the user's scope."""
    return DisciplineCase.objects.filter(scope_q(user, "member__cell__"))


# ============================================================================================
# The rules in force (quy định đang áp dụng)


@dataclass(frozen=True)
class RuleRow:
    """One parameter of the rule set in force: its value, where the rules reference reads it (translated into
    the active language), whether it is UNCONFIRMED (and so set by the administrator's rules file) and whether
    that file overrides it."""

    name: str
    value: str
    source: str
    unconfirmed: bool
    overridden: bool

    @property
    def label(self) -> str:
        return R.RULE_LABELS.get(self.name, self.name)


#: Keys that the rule values hold, with their labels (the others are shown as written).
_VALUE_LABELS = {**R.AUTHORITY_LABELS, **R.DISCIPLINE_FORM_LABELS, **R.PROTECTED_CONDITION_LABELS,
                 **R.READMISSION_BAR_LABELS, **R.EXEMPTION_GROUND_LABELS, **R.MEMBER_STATUS_LABELS,
                 **R.RULE_VALUE_LABELS}


def _rule_value(value) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, R.Deadline):
        return _("%(amount)d %(unit)s from %(start)s") % {
            "amount": value.amount, "unit": R.UNIT_LABELS[value.unit],
            "start": R.COUNTED_FROM_LABELS.get(value.counted_from, value.counted_from)}
    if isinstance(value, str):
        return str(_VALUE_LABELS.get(value, value))
    if isinstance(value, tuple | list | frozenset):
        return ", ".join(_rule_value(v) for v in value)
    if hasattr(value, "items"):
        return "; ".join(f"{_rule_value(k)}: {'—' if v is None else _rule_value(v)}" for k, v in value.items())
    if isinstance(value, R.AdmissionDocument):
        return value.form_code or _rule_value(value.key)
    return str(value)


def _with_years(name: str, value) -> str:
    """A rule's value; months in whole years also in years ("216 (18 năm)")."""
    text = _rule_value(value)
    if name.endswith("_months") and type(value) is int and value >= 24 and value % 12 == 0:
        text += " (" + npgettext("duration", "%(n)d year", "%(n)d years", value // 12) % {"n": value // 12} + ")"
    return text


def _scale_value(scale) -> str:
    """A rating scale as its levels are written, best first, with the score each needs where it has points
    (the lowest: under the score of the one above it)."""
    shown, above = [], None
    for level in scale.levels:
        if level.min_points is None:
            shown.append(level.label)
        elif level.min_points == 0 and above is not None:
            shown.append(_("%(level)s (under %(points)d points)") % {"level": level.label, "points": above})
        else:
            shown.append(_("%(level)s (from %(points)d points)") % {"level": level.label, "points": level.min_points})
        above = level.min_points
    return "; ".join(shown)


def assessment_rules_in_force(year: int) -> tuple[R.AssessmentRules, list[RuleRow]]:
    """The rules of the assessment of `year` (with the administrator's settings) and each of them."""
    rules = R.assessment_rules(year)
    names = [f.name for f in dataclasses.fields(rules)
             if f.name not in ("code", "first_year", "sources", "unconfirmed", "overridden")]
    rows = [RuleRow(name, _scale_value(rules.scale) if name == "scale" else _rule_value(getattr(rules, name)),
                    str(rules.sources.get(name, rules.scale.regulation if name == "scale" else "")),
                    name in rules.unconfirmed, name in rules.overridden)
            for name in names]
    return rules, rows


def rules_in_force(day: dt.date) -> tuple[R.RuleSet, list[RuleRow]]:
    """The rule set in force on `day` (with the administrator's settings) and each of its parameters."""
    rules = R.rules_on(day)
    rows = [RuleRow(name, _with_years(name, getattr(rules, name)), str(rules.sources.get(name, "")),
                    name in rules.unconfirmed, name in rules.overridden) for name in R.PARAMETER_FIELDS]
    return rules, rows


def recognition_time_limit(member) -> tuple[dt.date, dt.date]:
    """(the end of probation, the chi bộ's time limit to consider the recognition) of a probationary member, under
    the rules of the probation (of the current membership: the readmission, if any)."""
    start = member.membership_started_on
    rules = R.rules_on(start)
    return R.probation_end(start, rules), R.recognition_deadline(start, rules)


def transfer_destination(user, code: str | None) -> Organization | None:
    """The receiving side of a transfer (chuyển sinh hoạt), by its code: any chi bộ of the system still in
    existence (a member may move anywhere), or any organization of the user's scope (its own refusals then
    say why); None otherwise, so that a code outside the scope answers as a code nobody has."""
    code = (code or "").strip()
    if not code:
        return None
    return (Organization.objects.filter(code=code)
            .filter(Q(dissolved_on__isnull=True, kind__in=CELL_KINDS) | scope_q(user)).first())


def unknown_destination() -> str:
    """The one answer for a receiving code that is not a destination (unknown, or outside the scope)."""
    return _("No party cell of this system has this code.")
