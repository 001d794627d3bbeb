"""Read queries of the admission (người vào Đảng): what a user may see (scope by the proposing chi
bộ), the board by stage, what is overdue, the admission file checklist, who owns each step and
whether a user may record it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.accounts.models import Role
from dangvu.accounts.permissions import Action, can, roles_allowed
from dangvu.accounts.selectors import scope_q
from dangvu.core.dates import format_date
from dangvu.members.identity import Holder
from dangvu.members.models import MemberPeriod, MemberStatus
from dangvu.organizations.models import Organization, OrganizationKind
from dangvu.organizations.selectors import subtree_q

from .models import OPEN_STAGES, Candidate, CandidateDocument, CandidateStage, CandidateStep, StepKind


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Candidates proposed by a chi bộ in the user's scope (outside scope: not there)."""
    return Candidate.objects.filter(scope_q(user, "cell__"))


def national_id_holders(numbers) -> list[Holder]:
    """The open candidates holding one of these national ID numbers (members.identity asks)."""
    return [Holder(number=c.national_id_number, name=c.full_name, cell_id=c.cell_id, cell_name=c.cell.name,
                   member_id=c.former_member_id, candidate_id=c.pk)
            for c in Candidate.objects.filter(national_id_number__in=set(numbers), stage__in=OPEN_STAGES)
            .select_related("cell")]


def candidate_search(qs: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    from dangvu.core.text import fold

    q = fold(text or "")
    return qs.filter(name_folded__contains=q) if q else qs


# --- The organizations around a chi bộ (current tree) ---------------------------------------------


def grassroots_of(cell: Organization) -> Organization:
    """The grassroots organization (tổ chức cơ sở đảng) of a chi bộ: itself for a chi bộ cơ sở, else
    the đảng ủy cơ sở above it."""
    org, seen = cell, set()
    while org is not None and org.pk not in seen:
        if org.kind in (OrganizationKind.GRASSROOTS_CELL, OrganizationKind.GRASSROOTS_COMMITTEE):
            return org
        seen.add(org.pk)
        org = org.parent
    return cell


def is_grassroots_cell(cell: Organization) -> bool:
    """A chi bộ cơ sở: no đảng ủy cơ sở votes after it."""
    return cell.kind == OrganizationKind.GRASSROOTS_CELL


def has_partial_committee(cell: Organization) -> bool:
    """Whether a đảng ủy bộ phận stands between the chi bộ and the đảng ủy cơ sở (its review report,
    7-KNĐ, is then part of the file)."""
    org = cell.parent
    while org is not None and org.kind not in (OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL):
        if org.kind == OrganizationKind.PARTIAL_COMMITTEE:
            return True
        org = org.parent
    return False


def deciding_authority(rules: R.RuleSet, *, delegated: bool = False) -> str:
    """Who decides the admission under `rules`: a key of `regulations.AUTHORITY_LABELS`, or
    "delegated_grassroots_committee" when the đảng ủy cơ sở was delegated (ủy quyền) to admit."""
    return "delegated_grassroots_committee" if delegated else rules.admission_decided_by


def deciding_org(cell: Organization, authority: str) -> Organization:
    """The organization whose committee decides: the level above the grassroots organization, or the
    grassroots organization itself (delegation; the BTV of the đảng ủy cơ sở under QĐ 208)."""
    grassroots = grassroots_of(cell)
    if authority == "delegated_grassroots_committee" or (
        authority == "grassroots_standing_committee" and grassroots.kind == OrganizationKind.GRASSROOTS_COMMITTEE
    ):
        return grassroots
    if authority == "provincial_standing_committee":
        org = grassroots
        while org.parent is not None:
            org = org.parent
        return org
    return grassroots.parent or grassroots


def authority_label(authority: str) -> str:
    if authority == "delegated_grassroots_committee":
        return _("grassroots party committee delegated to admit")
    return str(R.AUTHORITY_LABELS.get(authority, authority))


@dataclass(frozen=True)
class Owner:
    organization: Organization
    role: str

    def __str__(self) -> str:
        return f"{Role(self.role).label} · {self.organization.name}"


#: Steps taken by the chi bộ itself (its secretary, chi ủy).
CELL_STEPS = {
    StepKind.PROPOSED, StepKind.AWARENESS_COURSE, StepKind.SYMPATHIZER, StepKind.BACKGROUND_CHECK,
    StepKind.INTRODUCERS, StepKind.COMMENTS, StepKind.DOSSIER_COMPLETE, StepKind.CELL_VOTE, StepKind.CEREMONY,
    StepKind.REJECTED, StepKind.CERTIFICATE_EXPIRED, StepKind.CLOSED, StepKind.ASSIGNED,
}


def step_owner(candidate: Candidate, kind: str, *, day: dt.date | None = None, delegated: bool = False) -> Owner:
    """Who owns a step: the chi bộ's secretary for the chi bộ's steps; the đảng ủy cơ sở for its vote;
    the Ban tổ chức of the deciding level (under the rules in force on `day`) for the decision."""
    cell = candidate.cell
    if kind == StepKind.COMMITTEE_VOTE:
        return Owner(grassroots_of(cell), Role.SECRETARY)
    if kind == StepKind.DECISION:
        rules = R.rules_on(day or timezone.localdate())
        return Owner(deciding_org(cell, deciding_authority(rules, delegated=delegated)), Role.ORGANIZER)
    return Owner(cell, Role.SECRETARY)


def next_step_for(candidate: Candidate) -> str:
    """The step the candidate waits for at their stage ("" when none)."""
    s = CandidateStage
    return {
        s.OUTSTANDING_MASS: StepKind.AWARENESS_COURSE,
        s.AWARENESS_COURSE_DONE: StepKind.SYMPATHIZER,
        s.SYMPATHIZER: StepKind.DOSSIER_COMPLETE,
        s.DOSSIER_COMPLETE: StepKind.CELL_VOTE,
        s.CELL_APPROVED: StepKind.DECISION if is_grassroots_cell(candidate.cell) else StepKind.COMMITTEE_VOTE,
        s.COMMITTEE_APPROVED: StepKind.DECISION,
        s.ADMISSION_DECIDED: StepKind.CEREMONY,
    }.get(candidate.stage, "")


def in_scope(user, org: Organization) -> bool:
    return Organization.objects.filter(scope_q(user), pk=org.pk).exists()


def may_record(user, candidate: Candidate, kind: str, *, day: dt.date | None = None,
               delegated: bool = False) -> tuple[bool, str]:
    """Whether `user` may record step `kind` of `candidate` (already known to be in scope) dated
    `day` (None: today): a role that writes, whose scope holds the organization owning the step under
    the rules of that day. A paper of the file (`"document"`) is the chi bộ's, as the proposal; a
    rejection is the owner's of the step pending. (False, why) otherwise."""
    if not can(user, Action.EDIT):
        return False, _("Your role cannot change the registry.")
    if kind == "document":
        kind = StepKind.PROPOSED
    elif kind == StepKind.REJECTED:
        kind = candidate.next_step or kind
    owner = step_owner(candidate, kind, day=day, delegated=delegated)
    if not in_scope(user, owner.organization):
        return False, _("This step belongs to %(owner)s, outside your scope.") % {"owner": owner}
    return True, ""


# --- Lists --------------------------------------------------------------------------------------------


def open_candidates(user) -> QuerySet[Candidate]:
    return candidates_visible_to(user).filter(stage__in=OPEN_STAGES)


def overdue_candidates(user, today: dt.date) -> QuerySet[Candidate]:
    """Open candidates whose pending step is past its due date (a time limit of the rules, or the
    end of the awareness certificate's validity), the most overdue first."""
    return (open_candidates(user).filter(due_on__lt=today).select_related("cell", "owner_org", "assignee")
            .order_by("due_on", "sort_key", "id"))


#: How far ahead the to-do page looks for candidates' steps falling due.
CANDIDATE_HORIZON_DAYS = 30


def candidate_steps_due(user, today: dt.date, horizon_days: int = CANDIDATE_HORIZON_DAYS):
    """Open candidates whose next step (chi bộ vote, decision, ceremony, ...) is due within
    `horizon_days` or overdue, the most urgent first."""
    return (open_candidates(user).filter(due_on__lte=today + dt.timedelta(days=horizon_days))
            .select_related("cell", "owner_org", "assignee").order_by("due_on", "sort_key", "id"))


def candidate_board(user, today: dt.date, *, cell: Organization | None = None, text: str = "") -> dict:
    """The open candidates in scope by stage (in the order of the pipeline), with the overdue ones."""
    qs = open_candidates(user).select_related("cell", "owner_org", "assignee")
    if cell is not None:
        qs = qs.filter(subtree_q([cell], "cell__"))
    qs = candidate_search(qs, text)
    by_stage: dict[str, list] = {s: [] for s in OPEN_STAGES}
    for c in qs.order_by("due_on", "sort_key", "id"):
        c.overdue = c.due_on is not None and c.due_on < today
        by_stage[c.stage].append(c)
    columns = [{"stage": s, "label": CandidateStage(s).label, "candidates": by_stage[s],
                "overdue": sum(1 for c in by_stage[s] if c.overdue)} for s in OPEN_STAGES]
    return {
        "columns": columns,
        "total": sum(len(col["candidates"]) for col in columns),
        "overdue": sum(col["overdue"] for col in columns),
        "admitted": candidates_visible_to(user).filter(stage=CandidateStage.ADMITTED).count(),
    }


def candidate_timeline(candidate: Candidate) -> QuerySet[CandidateStep]:
    return candidate.steps.select_related("owner_org", "owner_user", "recorded_by").order_by("effective_on", "id")


# --- The admission file -------------------------------------------------------------------------------


def current_documents(candidate: Candidate) -> dict[str, CandidateDocument]:
    """The latest record of each document key on file."""
    out: dict[str, CandidateDocument] = {}
    for doc in candidate.documents.order_by("received_on", "id"):
        out[doc.key] = doc
    return out


def union_introduces(candidate: Candidate) -> bool:
    step = latest_step(candidate, StepKind.INTRODUCERS)
    return bool(step and step.payload.get("union_introducer"))


def checklist(candidate: Candidate, day: dt.date | None = None) -> list[dict]:
    """The admission file under the rules in force on `day` for this case: each document with the
    record on file (dates, who holds it) or None. Documents after the decision are not listed."""
    rules = R.rules_on(day or timezone.localdate())
    on_file = current_documents(candidate)
    rows = []
    for document in R.required_documents(rules, union_introduces=union_introduces(candidate),
                                         partial_committee=has_partial_committee(candidate.cell)):
        if document.key == "committee_resolution" and is_grassroots_cell(candidate.cell):
            continue  # a chi bộ cơ sở has no đảng ủy cơ sở above it
        rows.append({"document": document, "label": document.label or document.name_vi,
                     "record": on_file.get(document.key)})
    return rows


def latest_step(candidate: Candidate, kind: str) -> CandidateStep | None:
    return candidate.steps.filter(kind=kind).order_by("-effective_on", "-id").first()


def failed_votes(candidate: Candidate) -> int:
    """Chi bộ votes that did not reach the majority (recorded with a rejection)."""
    return candidate.steps.filter(kind=StepKind.REJECTED, passed=False, votes_due__isnull=False).count()


# --- The registry around a vote ------------------------------------------------------------------------


def cell_vote_counts(cell: Organization, day: dt.date) -> dict[str, int]:
    """Official members placed in the chi bộ on `day`, and how many of them are exempted from
    activities: the figures a chi bộ vote starts from (the form suggests them)."""
    periods = MemberPeriod.objects.active_on(day).filter(cell=cell, status=MemberStatus.OFFICIAL)
    return {"official": periods.count(), "exempted": periods.filter(exempted=True).count()}


def member_status_on(member, day: dt.date) -> str:
    """"official", "probationary" or "" (not a member in this database) on `day`."""
    period = member.periods.active_on(day).first()
    if period is None:
        return ""
    return period.status


# --- What the web pages show about a step -------------------------------------------------------------

#: Steps recorded from the candidate's page at any open stage, and while the file is being put together.
ANY_OPEN_STEPS = ("document", StepKind.ASSIGNED, StepKind.CLOSED)
FILE_STEPS = (StepKind.BACKGROUND_CHECK, StepKind.INTRODUCERS, StepKind.COMMENTS)
FILE_OPEN_STAGES = (CandidateStage.OUTSTANDING_MASS, CandidateStage.AWARENESS_COURSE_DONE, CandidateStage.SYMPATHIZER)
REJECTABLE_STAGES = (CandidateStage.DOSSIER_COMPLETE, CandidateStage.CELL_APPROVED, CandidateStage.COMMITTEE_APPROVED,
                     CandidateStage.ADMISSION_DECIDED)


def available_steps(candidate: Candidate, today: dt.date) -> list[str]:
    """The steps that make sense at the candidate's stage (the service still checks every rule)."""
    if candidate.stage not in OPEN_STAGES:
        return []
    steps = []
    if candidate.next_step:
        steps.append(candidate.next_step)
    expired = candidate.certificate_expires_on is not None and candidate.certificate_expires_on < today
    if expired and candidate.stage in (CandidateStage.AWARENESS_COURSE_DONE, CandidateStage.SYMPATHIZER,
                                       CandidateStage.DOSSIER_COMPLETE):
        steps.append(StepKind.AWARENESS_COURSE)
    if candidate.stage in FILE_OPEN_STAGES:
        steps += [s for s in FILE_STEPS if s not in steps]
    if candidate.stage in REJECTABLE_STAGES:
        steps.append(StepKind.REJECTED)
    return steps + list(ANY_OPEN_STEPS)


def assignable_users(candidate: Candidate):
    """Users who could record the pending step: a writing role over the owner's subtree."""
    from django.contrib.auth import get_user_model

    from dangvu.accounts.models import RoleAssignment

    if candidate.owner_org is None:
        return get_user_model().objects.none()
    org = candidate.owner_org
    ancestors = [int(x) for x in org.path.strip("/").split("/") if x] or [org.pk]
    today = timezone.localdate()
    ids = RoleAssignment.objects.active_on(today).filter(organization_id__in=ancestors, role__in=roles_allowed(Action.EDIT)
                                                         ).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


def _requirement(text, met=None, *, unconfirmed: bool = False) -> dict:
    return {"text": text, "met": met, "unconfirmed": unconfirmed}


def step_requirements(candidate: Candidate, kind: str, day: dt.date) -> list[dict]:
    """What the rules in force on `day` require for step `kind` (with whether it holds now, where
    that can be known before the step is recorded). UNCONFIRMED rules say so."""
    rules = R.rules_on(day)
    u = rules.unconfirmed
    out = [_requirement(_("Rules in force on %(day)s: %(regulation)s.") % {
        "day": format_date(day), "regulation": rules.code}, unconfirmed=not rules.confirmed)]
    certificate_valid = candidate.certificate_expires_on is not None and candidate.certificate_expires_on >= day
    if kind == StepKind.AWARENESS_COURSE:
        out.append(_requirement(
            _("The certificate of the political-awareness course is valid %(months)s months from its date.")
            % {"months": rules.awareness_certificate_valid_months},
            unconfirmed="awareness_certificate_valid_months" in u))
        if candidate.certificate_expires_on and candidate.stage != CandidateStage.OUTSTANDING_MASS:
            out.append(_requirement(
                _("A new certificate is recorded once the previous one has expired (%(until)s); the candidate then "
                  "starts again as an outstanding mass.") % {"until": format_date(candidate.certificate_expires_on)},
                candidate.certificate_expires_on < day))
    if kind in (StepKind.SYMPATHIZER, StepKind.DOSSIER_COMPLETE, StepKind.CELL_VOTE):
        until = format_date(candidate.certificate_expires_on) if candidate.certificate_expires_on else "—"
        out.append(_requirement(_("A valid awareness-course certificate (valid until %(until)s).") % {"until": until},
                                certificate_valid, unconfirmed="awareness_certificate_valid_months" in u))
    if kind == StepKind.BACKGROUND_CHECK:
        out.append(_requirement(_("The applicant's biography (2-KNĐ) is on file."),
                                "biography" in current_documents(candidate)))
        out.append(_requirement(_("Checked: the applicant, parents, parents-in-law or foster parents, spouse and adult "
                                  "children; relatives who are party members may be skipped.")))
    if kind == StepKind.INTRODUCERS:
        out.append(_requirement(
            _("%(n)s official members who have worked or lived with the applicant for at least %(months)s months "
              "in the same unit or place; or one of them plus the Youth Union committee (for a Youth Union member) "
              "or the trade union committee (where there is no Youth Union).")
            % {"n": rules.introducers_required, "months": rules.introducer_min_months_with_applicant}))
    if kind == StepKind.COMMENTS:
        out.append(_requirement(_("Comments of the political-social organizations where the applicant works and of "
                                  "the party cell where the applicant lives (5-KNĐ).")))
    if kind in (StepKind.DOSSIER_COMPLETE, StepKind.CELL_VOTE):
        on_file = current_documents(candidate)
        for row in checklist(candidate, day):
            if row["document"].key == "cell_resolution":
                break
            if row["document"].key == "awareness_certificate":
                continue
            out.append(_requirement(_("On file: %(document)s %(form)s") % {
                "document": row["label"], "form": row["document"].form_code}, row["document"].key in on_file,
                unconfirmed="required_documents" in u))
        check = latest_step(candidate, StepKind.BACKGROUND_CHECK)
        out.append(_requirement(_("A background check with a clear result."),
                                bool(check and check.payload.get("result") == "clear")))
        out.append(_requirement(_("Introducers recorded (3-KNĐ) who still qualify on the day."),
                                latest_step(candidate, StepKind.INTRODUCERS) is not None))
    if kind == StepKind.CELL_VOTE:
        age = R.MonthsSpan(R.age_in_months(candidate.birth_date, day))
        out.append(_requirement(
            _("Aged %(minimum)s to %(maximum)s, counted in months, on the day of the vote (today: %(age)s); above "
              "that only with the approval of the %(approver)s.")
            % {"minimum": R.MonthsSpan(rules.min_age_months), "maximum": R.MonthsSpan(rules.max_age_months),
               "age": age, "approver": R.AUTHORITY_LABELS.get(rules.over_max_age_approver, "")},
            rules.min_age_months <= age <= rules.max_age_months))
        out.append(_requirement(
            _("At least %(threshold)s of the cell's official members in favour, not of those present; members "
              "exempted from activities are left out of the count.")
            % {"threshold": f"{rules.vote_threshold.numerator}/{rules.vote_threshold.denominator}"},
            unconfirmed="vote_denominator_excludes" in u))
        counts = cell_vote_counts(candidate.cell, day)
        out.append(_requirement(_("The registry shows %(official)s official members in the cell, %(exempted)s of them "
                                  "exempted.") % counts))
        if candidate.former_member_id:
            out.append(_requirement(
                _("Readmission: no earlier than %(months)s months after leaving the Party, only once, never for "
                  "the facts the rules bar.") % {"months": rules.readmission_wait_months}))
    if kind == StepKind.COMMITTEE_VOTE:
        out.append(_requirement(_("At least %(threshold)s of the members of the grassroots committee in favour.") % {
            "threshold": f"{rules.committee_vote_threshold.numerator}/{rules.committee_vote_threshold.denominator}"}))
        if has_partial_committee(candidate.cell):
            out.append(_requirement(_("The review report of the partial party committee (7-KNĐ) is on file."),
                                    "review_report" in current_documents(candidate)))
    if kind in (StepKind.COMMITTEE_VOTE, StepKind.DECISION):
        vote = latest_step(candidate, StepKind.CELL_VOTE)
        if vote is not None:
            vote_rules = R.rules_on(vote.effective_on)
            due = R.deadline(vote.effective_on, "decide_admission", vote_rules)
            out.append(_requirement(
                _("Decided within %(amount)s working days of the party cell resolution of %(vote)s: by %(due)s; after "
                  "that the body at fault must explain the delay.")
                % {"amount": vote_rules.deadline_decide_admission.amount, "vote": format_date(vote.effective_on),
                   "due": format_date(due)}, day <= due))
    if kind == StepKind.DECISION:
        authority = deciding_authority(rules)
        out.append(_requirement(_("Decided by the %(authority)s: %(org)s.") % {
            "authority": authority_label(authority), "org": deciding_org(candidate.cell, authority).name},
            unconfirmed="admission_decided_by" in u or not rules.confirmed))
        if rules.admission_delegation_allowed and not is_grassroots_cell(candidate.cell):
            out.append(_requirement(_("Or by the grassroots party committee if it was delegated to admit "
                                      "(deciding collectively, at least 2/3 in favour).")))
    if kind == StepKind.CEREMONY:
        decision = latest_step(candidate, StepKind.DECISION)
        if decision is not None:
            received = dt.date.fromisoformat(decision.payload.get("received_on") or decision.effective_on.isoformat())
            received_rules = R.rules_on(received)
            due = R.deadline(received, "hold_ceremony", received_rules)
            out.append(_requirement(
                _("Held by the party cell within %(amount)s working days of receiving the decision (%(received)s): by "
                  "%(due)s; after that the reason for the delay is required.")
                % {"amount": received_rules.deadline_hold_ceremony.amount, "received": format_date(received),
                   "due": format_date(due)}, day <= due, unconfirmed="deadline_hold_ceremony" in u))
        if candidate.former_member_id:
            out.append(_requirement(
                _("Readmission: recorded on the former member's own record (%(code)s), which keeps its code and its "
                  "first admission date; the member is probationary again in %(cell)s for %(months)s months from the day "
                  "of the ceremony.") % {"code": candidate.former_member.code, "cell": candidate.cell.name,
                                         "months": rules.probation_months}))
        else:
            out.append(_requirement(_("The candidate becomes a probationary member of %(cell)s from the day of the "
                                      "ceremony, under a new member code.") % {"cell": candidate.cell.name}))
        out.append(_requirement(_("The new member fills in the party member's biography (1-HSĐV) within %(amount)s "
                                  "working days.") % {"amount": rules.deadline_member_biography.amount}))
    if kind == StepKind.REJECTED:
        out.append(_requirement(_("The person stays a party sympathizer; the file goes back to the party cell.")))
        failed = failed_votes(candidate)
        out.append(_requirement(
            _("Failed party cell votes so far: %(failed)s; after %(limit)s the cell reports to the superior committee.")
            % {"failed": failed, "limit": rules.failed_votes_before_referral},
            unconfirmed="failed_votes_before_referral" in u))
    return out
