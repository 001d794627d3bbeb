"""The admission file (hồ sơ kết nạp): the documents on file, the checklist under the rules in force,
the latest steps and failed votes; and the registry's figures a chi bộ vote starts from."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangvu import regulations as R
from dangvu.members.selectors import cell_vote_counts  # noqa: F401  (the admission's vote starts from it)

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


def member_status_on(member, day: dt.date) -> str:
    """"official", "probationary" or "" (not a member in this database) on `day`."""
    period = member.periods.active_on(day).first()
    if period is None:
        return ""
    return period.status
