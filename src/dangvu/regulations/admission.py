"""Admission (kết nạp): age, introducers, documents and votes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dangvu.core.dates import add_months, months_between

from .labels import AUTHORITY_LABELS
from .refusals import MonthsSpan, Refusal, _refusal, _violation
from .ruleset import AdmissionDocument, RuleSet


def age_in_months(birth: dt.date, on: dt.date) -> int:
    """Age (tuổi đời) in whole months on `on`: ages are counted in months (tính theo tháng)."""
    return months_between(birth, on)


def admission_age_check(
    birth: dt.date, on: dt.date, rules: RuleSet, *, over_max_age_approved: bool = False
) -> list[Refusal]:
    """Age condition for admission (điều kiện tuổi kết nạp), on the day the chi bộ considers it.

    From 18 full years to 60 full years counted in months; 60 years and one month or more only
    with the approval of the level `rules.over_max_age_approver` (`over_max_age_approved`).
    """
    age = MonthsSpan(age_in_months(birth, on))
    if age < rules.min_age_months:
        return [_refusal("admission.too_young", age=age, minimum=MonthsSpan(rules.min_age_months), regulation=rules.code)]
    if age > rules.max_age_months and not over_max_age_approved:
        return [_refusal(
            "admission.too_old", age=age, maximum=MonthsSpan(rules.max_age_months),
            approver=AUTHORITY_LABELS.get(rules.over_max_age_approver, rules.over_max_age_approver),
            regulation=rules.code,
        )]
    return []


@dataclass(frozen=True)
class Introducer:
    """A party member introducing the applicant (người giới thiệu vào Đảng)."""

    status: str  # "official", "probationary", …
    months_with_applicant: int  # months worked or lived with the applicant in the same unit or place
    months_official: int | None = None  # months since becoming official, when known


def introducers_check(
    introducers: Sequence[Introducer],
    rules: RuleSet,
    *,
    union_introducer: str | None = None,
    applicant_in_youth_union: bool = False,
    youth_union_at_unit: bool = True,
) -> list[Refusal]:
    """Introducers of an applicant (người giới thiệu): two official members who have worked or lived
    with the applicant for 12 months, or one of them plus a union committee (`union_introducer`):
    "youth_union_committee" for a Youth Union member, "trade_union_committee" where the unit has no
    Youth Union."""
    refusals = []
    required = rules.introducers_required
    if union_introducer is not None:
        reason = None
        if union_introducer not in rules.union_introducers:
            reason = _("this kind of introduction is not provided for.")
        elif union_introducer == "youth_union_committee" and not applicant_in_youth_union:
            reason = _("the applicant is not a Youth Union member.")
        elif union_introducer == "trade_union_committee" and youth_union_at_unit:
            reason = _("the trade union introduces only where there is no Youth Union.")
        if reason is not None:
            youth = union_introducer == "youth_union_committee"
            label = _("Youth Union committee") if youth else _("trade union committee")
            refusals.append(_refusal("admission.union_introducer_not_allowed", union=label, reason=reason))
        required -= 1
    if len(introducers) != required:
        refusals.append(_refusal(
            "admission.introducer_count", required=required, given=len(introducers), regulation=rules.code,
        ))
    for number, person in enumerate(introducers, start=1):
        if rules.introducer_must_be_official and person.status != "official":
            refusals.append(_refusal("admission.introducer_not_official", number=number, regulation=rules.code))
        elif person.months_official is not None and person.months_official < rules.introducer_min_official_months:
            refusals.append(_refusal(
                "admission.introducer_too_new", number=number, months=person.months_official,
                minimum=rules.introducer_min_official_months, regulation=rules.code,
            ))
        if person.months_with_applicant < rules.introducer_min_months_with_applicant:
            refusals.append(_refusal(
                "admission.introducer_short_acquaintance", number=number, months=person.months_with_applicant,
                minimum=rules.introducer_min_months_with_applicant, regulation=rules.code,
            ))
    return refusals


def required_documents(
    rules: RuleSet, *, union_introduces: bool = False, partial_committee: bool = False, before: str | None = None
) -> tuple[AdmissionDocument, ...]:
    """The admission file (hồ sơ kết nạp) for this case, in order; `before`: only the documents that
    precede the one with that key (e.g. before="cell_resolution" for the file the chi bộ examines)."""
    conditions = {"always": True, "union_introduces": union_introduces, "partial_committee": partial_committee}
    result = []
    for document in rules.required_documents:
        if document.key == before:
            break
        if conditions.get(document.condition, True):
            result.append(document)
    return tuple(result)


def admission_documents_check(
    present: Iterable[str],
    on: dt.date,
    rules: RuleSet,
    *,
    certificate_issued_on: dt.date | None,
    union_introduces: bool = False,
    partial_committee: bool = False,
    before: str | None = None,
) -> list[Refusal]:
    """Completeness of the admission file (hồ sơ kết nạp) on `on`; `present` holds document keys or
    form codes. The awareness-course certificate must still be valid on `on`."""
    have = set(present)
    if certificate_issued_on is not None:
        have.add("awareness_certificate")
    refusals = []
    for document in required_documents(
        rules, union_introduces=union_introduces, partial_committee=partial_committee, before=before
    ):
        codes = {document.key, document.form_code, *document.variants} - {""}
        if not codes & have:
            form = f"({document.form_code})" if document.form_code else ""
            refusals.append(_refusal(
                "admission.document_missing", document=document.label or document.name_vi, form=form, key=document.key,
            ))
    if certificate_issued_on is not None:
        expires = add_months(certificate_issued_on, rules.awareness_certificate_valid_months)
        if on >= expires:
            refusals.append(_refusal(
                "admission.certificate_expired", issued=certificate_issued_on, expired=expires,
                months=rules.awareness_certificate_valid_months, regulation=rules.code,
            ))
    return refusals


#: More members than any party organization holds: a count of a vote above it is a typing error (and would not
#: fit the records' counts).
MAX_VOTERS = 1_000_000


def vote_denominator(due: int, rules: RuleSet, excluded: Mapping[str, int] | None = None) -> int:
    """The members a chi bộ vote's majority is counted over: the official members `due`, less those of
    the categories in `rules.vote_denominator_excludes` (`excluded`: category → count among `due`;
    other categories are not subtracted)."""
    return due - sum(n for category, n in (excluded or {}).items() if category in rules.vote_denominator_excludes)


def vote_passes(
    due: int, present: int, votes_for: int, rules: RuleSet, *,
    excluded: Mapping[str, int] | None = None, committee: bool = False,
) -> bool:
    """Whether a vote (biểu quyết) reaches the majority: at least 2/3 of the official members of the
    chi bộ (`due`), not of those present, leaving out of the denominator the members of the
    categories in `rules.vote_denominator_excludes` (`excluded`: category → count among `due`; other
    categories are not subtracted). With `committee=True`, `due` is the number of members of the
    đảng ủy cơ sở and `rules.committee_vote_threshold` applies. `present` is checked for
    consistency only: the doc gives no quorum. Inconsistent counts raise RuleViolation."""
    left_out = due - vote_denominator(due, rules, excluded)
    counts = (due, present, votes_for, *(excluded or {}).values())
    if any(isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_VOTERS for n in counts) or not (
        votes_for <= present <= due and left_out <= due
    ):
        raise _violation("vote.invalid_counts", due=due, excluded=left_out, present=present, votes_for=votes_for)
    denominator = due - left_out
    if denominator == 0:
        return False
    threshold = rules.committee_vote_threshold if committee else rules.vote_threshold
    return votes_for * threshold.denominator >= threshold.numerator * denominator


