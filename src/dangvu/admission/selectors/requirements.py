"""What the rules in force on a day require for a step, as the candidate's page lists them (with whether
each holds now; UNCONFIRMED rules say so)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date

from ..models import Candidate, CandidateStage, StepKind
from .dossier import cell_vote_counts, checklist, current_documents, failed_votes, latest_step
from .organizations import (
    authority_label,
    deciding_authority,
    deciding_org,
    has_partial_committee,
    is_grassroots_cell,
)


def _requirement(text, met=None, *, unconfirmed: bool = False) -> dict:
    return {"text": text, "met": met, "unconfirmed": unconfirmed}


def _fraction(share) -> str:
    return f"{share.numerator}/{share.denominator}"


def _excluded(rules: R.RuleSet) -> str:
    """Who the rules leave out of the count of a vote (`vote_denominator_excludes`), in words."""
    labels = {"exempted": _("exempted from activities"), "suspended": _("suspended from activities")}
    return _(" or ").join(labels.get(key, key) for key in rules.vote_denominator_excludes)


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
        threshold = _fraction(rules.vote_threshold)
        out.append(_requirement(
            _("At least %(threshold)s of the cell's official members in favour, not of those present; members "
              "%(excluded)s are left out of the count.") % {"threshold": threshold, "excluded": _excluded(rules)}
            if rules.vote_denominator_excludes else
            _("At least %(threshold)s of the cell's official members in favour, not of those present.")
            % {"threshold": threshold},
            unconfirmed="vote_denominator_excludes" in u))
        counts = cell_vote_counts(candidate.cell, day)
        out.append(_requirement(_("The registry shows %(official)s official members in the cell, %(exempted)s of them "
                                  "exempted and %(suspended)s suspended.") % counts))
        if candidate.former_member_id:
            out.append(_requirement(
                _("Readmission: no earlier than %(months)s months after leaving the Party; readmissions of one "
                  "person: at most %(times)s; never for the facts the rules bar.")
                % {"months": rules.readmission_wait_months, "times": rules.readmission_max_times}))
    if kind == StepKind.COMMITTEE_VOTE:
        out.append(_requirement(_("At least %(threshold)s of the members of the grassroots committee in favour.") % {
            "threshold": _fraction(rules.committee_vote_threshold)}))
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
                                      "(deciding collectively, at least %(threshold)s in favour).")
                                    % {"threshold": _fraction(rules.committee_vote_threshold)}))
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
