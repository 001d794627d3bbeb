"""The one status machine (vòng đời): from outstanding mass to member and beyond."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from .discipline import _STATUS_FORMS
from .labels import DISCIPLINE_FORM_LABELS, MEMBER_STATUS_LABELS
from .refusals import _join_labels, _violation
from .ruleset import RuleSet


class Stage(enum.StrEnum):
    """Where a person stands on the way into, through and out of the Party."""

    OUTSTANDING_MASS = "outstanding_mass"  # quần chúng ưu tú
    AWARENESS_COURSE_DONE = "awareness_course_done"  # đã học lớp bồi dưỡng nhận thức về Đảng
    SYMPATHIZER = "sympathizer"  # cảm tình đảng
    DOSSIER_COMPLETE = "dossier_complete"  # hồ sơ kết nạp đầy đủ
    CELL_APPROVED = "cell_approved"  # chi bộ biểu quyết đề nghị kết nạp
    COMMITTEE_APPROVED = "committee_approved"  # đảng ủy cơ sở biểu quyết
    ADMISSION_DECIDED = "admission_decided"  # có quyết định kết nạp
    PROBATIONARY = "probationary"  # đảng viên dự bị (after the ceremony)
    READMITTED = "readmitted"  # kết nạp lại: probationary again
    OFFICIAL = "official"  # đảng viên chính thức
    EXEMPTED = "exempted"  # miễn công tác và sinh hoạt đảng (an official member)
    PROBATION_REMOVED = "probation_removed"  # xóa tên trong danh sách đảng viên dự bị
    REMOVED = "removed"  # xóa tên
    EXPELLED = "expelled"  # khai trừ
    RESIGNED = "resigned"  # xin ra khỏi Đảng
    DIED = "died"  # từ trần


class Action(enum.StrEnum):
    ATTEND_AWARENESS_COURSE = "attend_awareness_course"
    ACCEPT_AS_SYMPATHIZER = "accept_as_sympathizer"
    COMPLETE_DOSSIER = "complete_dossier"
    CELL_APPROVES = "cell_approves"
    COMMITTEE_APPROVES = "committee_approves"
    DECIDE_ADMISSION = "decide_admission"
    HOLD_CEREMONY = "hold_ceremony"
    REJECT = "reject"
    CERTIFICATE_EXPIRED = "certificate_expired"
    MAKE_OFFICIAL = "make_official"
    REMOVE_FROM_PROBATION = "remove_from_probation"
    DISCIPLINE_REPRIMAND = "discipline_reprimand"
    DISCIPLINE_WARNING = "discipline_warning"
    DISCIPLINE_DISMISSAL = "discipline_dismissal"
    DISCIPLINE_EXPULSION = "discipline_expulsion"
    EXEMPT = "exempt"
    END_EXEMPTION = "end_exemption"
    SUSPEND = "suspend"  # đình chỉ sinh hoạt đảng: a flag beside the stage (`discipline.suspension_check`)
    LIFT_SUSPENSION = "lift_suspension"
    TRANSFER = "transfer"
    ISSUE_CARD = "issue_card"
    AWARD_BADGE = "award_badge"
    REMOVE = "remove"
    RESIGN = "resign"
    DIE = "die"
    READMIT = "readmit"
    RESTORE = "restore"


STAGE_LABELS = {
    Stage.OUTSTANDING_MASS: _("outstanding mass"),
    Stage.AWARENESS_COURSE_DONE: _("has attended the political-awareness course"),
    Stage.SYMPATHIZER: _("party sympathizer"),
    Stage.DOSSIER_COMPLETE: _("admission file complete"),
    Stage.CELL_APPROVED: _("approved by the party cell"),
    Stage.COMMITTEE_APPROVED: _("approved by the grassroots party committee"),
    Stage.ADMISSION_DECIDED: _("admission decided"),
    Stage.PROBATIONARY: _("probationary member"),
    Stage.READMITTED: _("readmitted, on probation"),
    Stage.OFFICIAL: _("official member"),
    Stage.EXEMPTED: _("exempted from activities"),
    Stage.PROBATION_REMOVED: _("removed from the list of probationary members"),
    Stage.REMOVED: _("removed from the Party"),
    Stage.EXPELLED: _("expelled"),
    Stage.RESIGNED: _("left the Party"),
    Stage.DIED: _("deceased"),
}
ACTION_LABELS = {
    Action.ATTEND_AWARENESS_COURSE: _("attend the political-awareness course"),
    Action.ACCEPT_AS_SYMPATHIZER: _("accept as party sympathizer"),
    Action.COMPLETE_DOSSIER: _("complete the admission file"),
    Action.CELL_APPROVES: _("party cell approves the admission"),
    Action.COMMITTEE_APPROVES: _("grassroots committee approves the admission"),
    Action.DECIDE_ADMISSION: _("decide the admission"),
    Action.HOLD_CEREMONY: _("hold the admission ceremony"),
    Action.REJECT: _("reject the admission"),
    Action.CERTIFICATE_EXPIRED: _("awareness-course certificate expired"),
    Action.MAKE_OFFICIAL: _("recognise as official member"),
    Action.REMOVE_FROM_PROBATION: _("remove from the list of probationary members"),
    Action.DISCIPLINE_REPRIMAND: _("discipline: reprimand"),
    Action.DISCIPLINE_WARNING: _("discipline: warning"),
    Action.DISCIPLINE_DISMISSAL: _("discipline: dismissal from posts"),
    Action.DISCIPLINE_EXPULSION: _("discipline: expulsion"),
    Action.EXEMPT: _("exempt from activities"),
    Action.END_EXEMPTION: _("end the exemption"),
    Action.SUSPEND: _("suspend from party activities"),
    Action.LIFT_SUSPENSION: _("lift the suspension of party activities"),
    Action.TRANSFER: _("transfer party activities"),
    Action.ISSUE_CARD: _("issue the party card"),
    Action.AWARD_BADGE: _("award the party badge"),
    Action.REMOVE: _("remove from the Party"),
    Action.RESIGN: _("leave the Party"),
    Action.DIE: _("record the death"),
    Action.READMIT: _("readmit"),
    Action.RESTORE: _("restore membership"),
}

S, A = Stage, Action
_PROBATION = {
    A.MAKE_OFFICIAL: S.OFFICIAL,
    A.REMOVE_FROM_PROBATION: S.PROBATION_REMOVED,
    A.DISCIPLINE_REPRIMAND: None,  # None: the stage does not change
    A.DISCIPLINE_WARNING: None,
    A.TRANSFER: None,
    A.SUSPEND: None,
    A.LIFT_SUSPENSION: None,
    A.RESIGN: S.RESIGNED,
    A.DIE: S.DIED,
}
_FULL = {
    A.DISCIPLINE_REPRIMAND: None,
    A.DISCIPLINE_WARNING: None,
    A.DISCIPLINE_DISMISSAL: None,
    A.DISCIPLINE_EXPULSION: S.EXPELLED,
    A.TRANSFER: None,
    A.SUSPEND: None,
    A.LIFT_SUSPENSION: None,
    A.ISSUE_CARD: None,
    A.AWARD_BADGE: None,
    A.REMOVE: S.REMOVED,
    A.RESIGN: S.RESIGNED,
    A.DIE: S.DIED,
}
_RAW: dict[Stage, dict[Action, Stage | None]] = {
    S.OUTSTANDING_MASS: {A.ATTEND_AWARENESS_COURSE: S.AWARENESS_COURSE_DONE},
    S.AWARENESS_COURSE_DONE: {A.ACCEPT_AS_SYMPATHIZER: S.SYMPATHIZER, A.CERTIFICATE_EXPIRED: S.OUTSTANDING_MASS},
    S.SYMPATHIZER: {A.COMPLETE_DOSSIER: S.DOSSIER_COMPLETE, A.CERTIFICATE_EXPIRED: S.OUTSTANDING_MASS},
    S.DOSSIER_COMPLETE: {
        A.CELL_APPROVES: S.CELL_APPROVED, A.REJECT: S.SYMPATHIZER, A.CERTIFICATE_EXPIRED: S.OUTSTANDING_MASS,
    },
    S.CELL_APPROVED: {A.COMMITTEE_APPROVES: S.COMMITTEE_APPROVED, A.REJECT: S.SYMPATHIZER},
    S.COMMITTEE_APPROVED: {A.DECIDE_ADMISSION: S.ADMISSION_DECIDED, A.REJECT: S.SYMPATHIZER},
    S.ADMISSION_DECIDED: {A.HOLD_CEREMONY: S.PROBATIONARY, A.REJECT: S.SYMPATHIZER},
    S.PROBATIONARY: dict(_PROBATION),
    S.READMITTED: dict(_PROBATION),
    S.OFFICIAL: {**_FULL, A.EXEMPT: S.EXEMPTED},
    S.EXEMPTED: {**_FULL, A.END_EXEMPTION: S.OFFICIAL},
    S.PROBATION_REMOVED: {A.READMIT: S.READMITTED, A.RESTORE: S.PROBATIONARY},
    S.REMOVED: {A.READMIT: S.READMITTED, A.RESTORE: S.OFFICIAL},
    S.EXPELLED: {A.READMIT: S.READMITTED, A.RESTORE: S.OFFICIAL},
    S.RESIGNED: {A.READMIT: S.READMITTED},  # only in extreme family hardship: see readmission_check
    S.DIED: {},
}

#: stage → action → the stage after it. Discipline, transfers, cards, badges and suspensions keep the stage:
#: every member may be suspended (a probationary one too: investigations are not limited to official members),
#: and whether the member is suspended already is a flag beside the stage (`discipline.suspension_check`).
TRANSITIONS: dict[Stage, dict[Action, Stage]] = {
    stage: {action: (target or stage) for action, target in actions.items()} for stage, actions in _RAW.items()
}
MEMBER_STAGES = frozenset({S.PROBATIONARY, S.READMITTED, S.OFFICIAL, S.EXEMPTED})
ENDED_STAGES = frozenset({S.PROBATION_REMOVED, S.REMOVED, S.EXPELLED, S.RESIGNED, S.DIED})
#: discipline action → form key of `RuleSet.discipline_forms`.
DISCIPLINE_ACTIONS = {
    A.DISCIPLINE_REPRIMAND: "reprimand",
    A.DISCIPLINE_WARNING: "warning",
    A.DISCIPLINE_DISMISSAL: "dismissal",
    A.DISCIPLINE_EXPULSION: "expulsion",
}


def apply(state: Stage | str, action: Action | str) -> Stage:
    """The stage after `action` from `state` in the member lifecycle (vòng đời đảng viên).

    Raises RuleViolation ("lifecycle.after_death", "lifecycle.not_a_member",
    "discipline.form_not_allowed" or "lifecycle.not_allowed") when the action is not possible.
    Conditions that depend on dates and facts are checked by the other functions of this module.
    """
    stage, act = Stage(state), Action(action)
    target = TRANSITIONS[stage].get(act)
    if target is not None:
        return target
    params = {"action": ACTION_LABELS[act], "state": STAGE_LABELS[stage], "action_key": str(act), "stage": str(stage)}
    if stage == S.DIED:
        raise _violation("lifecycle.after_death", **params)
    if stage in ENDED_STAGES:
        raise _violation("lifecycle.not_a_member", **params)
    if act in DISCIPLINE_ACTIONS and stage in MEMBER_STAGES:
        form = DISCIPLINE_ACTIONS[act]
        allowed = [f for a, f in DISCIPLINE_ACTIONS.items() if a in TRANSITIONS[stage]]
        raise _violation(
            "discipline.form_not_allowed", form=DISCIPLINE_FORM_LABELS[form],
            status=MEMBER_STATUS_LABELS[_STATUS_FORMS[str(stage)]], regulation=_("the Statute (Article 35)"),
            allowed=_join_labels(*(DISCIPLINE_FORM_LABELS[f] for f in allowed)), **params,
        )
    raise _violation("lifecycle.not_allowed", **params)


def replay_actions(
    actions: Iterable[Action | str], start: Stage | str = Stage.OUTSTANDING_MASS, *, rules: RuleSet | None = None
) -> Stage:
    """Apply `actions` in order from `start`, also enforcing what needs the history: readmission
    (kết nạp lại) at most `rules.readmission_max_times` (once by default)."""
    stage = Stage(start)
    limit = rules.readmission_max_times if rules is not None else 1
    readmissions = 0
    for action in actions:
        stage_after = apply(stage, action)
        if Action(action) == A.READMIT:
            readmissions += 1
            if readmissions > limit:
                raise _violation("lifecycle.readmitted_too_often", maximum=limit)
        stage = stage_after
    return stage


