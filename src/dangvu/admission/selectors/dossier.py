"""The admission file (hồ sơ kết nạp): the documents on file, the checklist under the rules in force,
the latest steps and failed votes; and the registry's figures a chi bộ vote starts from."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from dangvu import regulations as R
from dangvu.members.models import MemberPeriod, MemberStatus
from dangvu.organizations.models import Organization

from ..models import Candidate, CandidateDocument, CandidateStep, StepKind
from .organizations import has_partial_committee, is_grassroots_cell


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


def cell_vote_counts(cell: Organization, day: dt.date) -> dict[str, int]:
    """Official members placed in the chi bộ on `day`, how many of them are exempted from activities and
    how many suspended from them, and `excluded`: those of them the rules leave out of a vote's count
    (`vote_denominator_excludes` of the rules in force that day; exempted and suspended, UNCONFIRMED): the
    figures a chi bộ vote starts from (the form suggests them). One aggregate."""
    periods = MemberPeriod.objects.active_on(day).filter(cell=cell, status=MemberStatus.OFFICIAL)
    categories = [c for c in R.rules_on(day).vote_denominator_excludes if c in ("exempted", "suspended")]
    left_out = Q()  # a member both exempted and suspended is left out once
    for category in categories:
        left_out |= Q(**{category: True})
    n = periods.aggregate(official=Count("id"), n_exempted=Count("id", filter=Q(exempted=True)),
                          n_suspended=Count("id", filter=Q(suspended=True)), excluded=Count("id", filter=left_out))
    return {"official": n["official"], "exempted": n["n_exempted"], "suspended": n["n_suspended"],
            "excluded": n["excluded"] if categories else 0}


def member_status_on(member, day: dt.date) -> str:
    """"official", "probationary" or "" (not a member in this database) on `day`."""
    period = member.periods.active_on(day).first()
    if period is None:
        return ""
    return period.status
