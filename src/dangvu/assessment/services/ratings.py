"""Ratings: which scale applies to a year, matching labels, recording ratings, cap warnings.

Historical ratings record what was decided: a rating that breaks a rule in force (the HTXSNV
cap) is kept and reported as a warning, never refused (contracts §2, XepLoai).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.organizations.models import Organization
from dangvu.regulations.assessment import MEMBER, MEMBERS, ORGANIZATION, OTHER, SUBORDINATE_CELLS

from ..models import Rating

FIRST_YEAR = 1930  # the Party's founding year: no rating can be older


def check_year(year) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("The year must be a number such as 2024."), field="year")
    if y < FIRST_YEAR or y > timezone.localdate().year + 1:
        raise DomainError(_("The year %(y)s is out of range.") % {"y": y}, field="year")
    return y


def match_rating(year: int, label: str, subject: str) -> R.Level:
    """The level of `year`'s scale written as `label` for a member or an organization, or DomainError."""
    scale = R.scale_for(year)
    level = scale.match(label or "", subject)
    if level is None:
        raise DomainError(
            _("“%(label)s” is not a rating of %(year)s (%(reg)s); use one of: %(labels)s.")
            % {"label": label, "year": year, "reg": scale.regulation, "labels": "; ".join(scale.labels(subject))},
            field="label",
        )
    return level


@dataclass(frozen=True)
class CapWarning:
    """More of one group were rated excellent within one deciding organization than the cap of the
    year's rules allows (`regulations.cap_refusal`)."""

    year: int
    group: object  # the deciding organization (or any key the caller grouped by)
    good: int
    excellent: int
    rules: R.AssessmentRules
    kind: str = MEMBERS

    def message(self, name: str | None = None) -> str:
        refusal = R.cap_refusal(self.rules, group=self.kind, good=self.good, excellent=self.excellent,
                                org=name or str(self.group))
        text = f"{self.year}: {refusal.text}"
        if "excellent_cap_ratio" in self.rules.unconfirmed or self.rules.overridden:
            text += " " + _("(The cap for this year is not confirmed.)")
        return text


def cap_warnings(year: int, groups: Mapping[object, Iterable[str]], kind: str = MEMBERS) -> list[CapWarning]:
    """Pure check of the cap on "excellent" for `year`: `groups` maps a deciding organization (the
    grassroots organization of members) to the rating keys of those of `kind` rated in it that year.
    One warning per group above the cap (a warning, never an error: recorded ratings are kept)."""
    rules = R.assessment_rules(year)
    result = []
    for group, keys in groups.items():
        counts = Counter(keys)
        if not rules.cap_allows(kind, counts["good"], counts["excellent"]):
            result.append(CapWarning(year, group, counts["good"], counts["excellent"], rules, kind))
    return result


def grassroots_of(cell_ids: Iterable[int], day: dt.date) -> dict[int, int]:
    """For each organization id, the id of the grassroots organization (itself or an ancestor) as the
    tree stood on `day`. A bounded number of queries (one per tree level), whatever the count."""
    from dangvu.organizations.models import GRASSROOTS_KINDS, OrganizationPeriod

    cell_ids = list(cell_ids)
    info: dict[int, tuple[int | None, str]] = {}
    queried: set[int] = set()
    todo = {c for c in cell_ids if c is not None}
    while todo:
        batch = list(todo)
        queried.update(batch)
        todo = set()
        for i in range(0, len(batch), 5000):
            rows = OrganizationPeriod.objects.active_on(day).filter(
                organization_id__in=batch[i : i + 5000]
            ).values_list("organization_id", "parent_id", "kind")
            for org_id, parent_id, kind in rows:
                info[org_id] = (parent_id, kind)
                if parent_id is not None and parent_id not in queried:
                    todo.add(parent_id)
    result: dict[int, int] = {}
    for start in cell_ids:
        org, seen = start, set()
        while org is not None and org in info and org not in seen:
            seen.add(org)
            parent, kind = info[org]
            if kind in GRASSROOTS_KINDS:
                result[start] = org
                break
            org = parent
    return result


def year_end_period(periods: Iterable[tuple], year: int) -> tuple | None:
    """Of a member's placements (cell, valid_from, valid_to, exempted, suspended), the one the assessment of
    `year` counts (the last one that overlaps the year: where the member was at its end, or last
    placed during it), or None when the member was placed nowhere that year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = [p for p in periods if p[1] <= end and (p[2] is None or p[2] > start)]
    return max(in_year, key=lambda p: p[1]) if in_year else None


def not_rated_check(periods: Iterable[tuple], year: int) -> str | None:
    """Members exempted from work and party activities (miễn công tác và sinh hoạt đảng) or suspended from
    party activities (đình chỉ sinh hoạt đảng) are not rated (`regulations.not_rated_reason`): the reason
    when the member was exempted or suspended at the assessment of `year` (`year_end_period`), else None.
    A recorded rating is kept; the import warns."""
    period = year_end_period(periods, year)
    if period is None:
        return None
    refusal = R.not_rated_reason(R.assessment_rules(year), exempted=bool(period[3]), suspended=bool(period[4]))
    return refusal.text if refusal else None


def deciding_organization(org_id: int, kind: str, parent_id: int | None, day: dt.date) -> int | None:
    """Whose committee decides an organization's rating (HD 43 §3): a subordinate chi bộ's or a partial
    committee's, the grassroots organization above it; a grassroots organization's or a higher
    committee's, the organization directly above."""
    if R.group_of(kind) not in (SUBORDINATE_CELLS, OTHER) or kind in ("district", "provincial"):
        return parent_id
    return grassroots_of([org_id], day).get(org_id)


def place_ratings(ratings: list[Rating]) -> None:
    """Fill where each rating was decided (`rated_in`, `decided_by`, `group`) when it is not set: a
    member's chi bộ at the end of the year (or last placed during it) and its grassroots
    organization; an organization itself, its kind that year and the organization that decides it
    (`deciding_organization`). A bounded number of queries per year, whatever the count."""
    from dangvu.members.models import MemberPeriod
    from dangvu.organizations.models import OrganizationPeriod

    by_year: dict[int, list[Rating]] = {}
    for rating in ratings:
        if not rating.group:
            by_year.setdefault(rating.year, []).append(rating)
    for year, todo in by_year.items():
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        member_ids = [r.member_id for r in todo if r.member_id]
        cell_of: dict[int, int] = {}
        for member_id, cell_id in (
            MemberPeriod.objects.filter(member_id__in=member_ids, valid_from__lte=end)
            .exclude(valid_to__lte=start).order_by("member_id", "valid_from").values_list("member_id", "cell_id")
        ):
            cell_of[member_id] = cell_id  # the latest placement of the year wins
        org_ids = [r.organization_id for r in todo if r.organization_id]
        period_of: dict[int, tuple] = {}
        for org_id, kind, parent_id in (
            OrganizationPeriod.objects.filter(organization_id__in=org_ids, valid_from__lte=end)
            .exclude(valid_to__lte=start).order_by("organization_id", "valid_from")
            .values_list("organization_id", "kind", "parent_id")
        ):
            period_of[org_id] = (kind, parent_id)
        grassroots = grassroots_of(set(cell_of.values()), end)
        for rating in todo:
            if rating.member_id:
                rating.rated_in_id = cell_of.get(rating.member_id)
                rating.decided_by_id = grassroots.get(rating.rated_in_id)
                rating.group = MEMBERS
            else:
                kind, parent_id = period_of.get(rating.organization_id, (None, None))
                rating.rated_in_id = rating.organization_id
                rating.group = R.group_of(kind) if kind else OTHER
                rating.decided_by_id = (
                    deciding_organization(rating.organization_id, kind, parent_id, end) if kind else None)


def _attach_subjects(ratings: list[Rating]) -> None:
    """Each rating's member or organization (their names make the audit entry's text), fetched in two
    queries instead of one per rating."""
    for field, model in (("member", Member), ("organization", Organization)):
        todo = [r for r in ratings if getattr(r, f"{field}_id") and not Rating._meta.get_field(field).is_cached(r)]
        if todo:
            found = model.objects.only("id", "code", "full_name" if model is Member else "name").in_bulk(
                {getattr(r, f"{field}_id") for r in todo})
            for r in todo:
                setattr(r, field, found[getattr(r, f"{field}_id")])


@transaction.atomic
def ratings_write_many(new: list[Rating], changed: list[tuple[Rating, dict]], *, actor=None,
                       source: str = "import") -> None:
    """Record many ratings at once (an import), already checked: `new` are inserted, `changed` pairs a
    stored rating with its new values (key, label, scale); audited in bulk."""
    from dangvu.core.audit import log_bulk_created, log_bulk_updated
    from dangvu.core.bulk import bulk_insert

    for rating in new:
        rating.source = source
    place_ratings(new)
    if new:
        bulk_insert(Rating, new)
        _attach_subjects(new)
        log_bulk_created(new, actor=actor, source=source)
    if changed:
        entries = []
        for rating, values in changed:
            before = {k: getattr(rating, k) for k in values}
            for k, v in values.items():
                setattr(rating, k, v)
            rating.source = source
            entries.append((rating, {k: [v, values[k]] for k, v in before.items() if v != values[k]}))
        Rating.objects.bulk_update([r for r, _v in changed], ["key", "label", "scale", "source"])
        log_bulk_updated(entries, actor=actor, source=source)


@transaction.atomic
def record_rating(*, year, label: str, member: Member | None = None, organization: Organization | None = None,
                  actor=None, source: str = "web") -> Rating:
    """Record (or correct) the rating of one member or organization for `year`, as decided."""
    if (member is None) == (organization is None):
        raise DomainError(_("Rate either a member or an organization."), field="member")
    y = check_year(year)
    subject = MEMBER if member is not None else ORGANIZATION
    level = match_rating(y, label, subject)
    scale = R.scale_for(y)
    lookup = {"member": member} if member is not None else {"organization": organization}
    rating = Rating.objects.filter(year=y, **lookup).first() or Rating(year=y, **lookup)
    rating.scale, rating.key, rating.label, rating.source = scale.code, level.key, " ".join(label.split()), source
    place_ratings([rating])
    rating.save()
    return rating


__all__ = [
    "CapWarning", "cap_warnings", "check_year", "grassroots_of", "match_rating", "not_rated_check",
    "place_ratings", "ratings_write_many", "record_rating", "year_end_period",
]
