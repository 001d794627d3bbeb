"""Ratings: which scale applies to a year, matching labels, recording ratings, cap warnings.

Historical ratings record what was decided: a rating that breaks a rule in force (the HTXSNV
cap) is kept and reported as a warning, never refused (contracts §2, XepLoai).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu.core.errors import DomainError
from dangvu.members.models import Member
from dangvu.organizations.models import Organization

from . import scales
from .models import Rating
from .scales import EXCELLENT_CAPS, MEMBER, ORGANIZATION, SCALES, Cap, Level, Scale

FIRST_YEAR = 1930  # the Party's founding year: no rating can be older


def check_year(year) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("The year must be a number such as 2024."), field="year")
    if y < FIRST_YEAR or y > timezone.localdate().year + 1:
        raise DomainError(_("The year %(y)s is out of range.") % {"y": y}, field="year")
    return y


def scale_for_year(year: int) -> Scale:
    for scale in SCALES:
        if scale.covers(year):
            return scale
    raise DomainError(_("No rating scale is known for %(y)s.") % {"y": year}, field="year")  # pragma: no cover


def match_rating(year: int, label: str, subject: str) -> Level:
    """The level of `year`'s scale written as `label` for a member or an organization, or DomainError."""
    scale = scale_for_year(year)
    level = scale.match(label or "", subject)
    if level is None:
        raise DomainError(
            _("“%(label)s” is not a rating of %(year)s (%(reg)s); use one of: %(labels)s.")
            % {"label": label, "year": year, "reg": scale.regulation, "labels": "; ".join(scale.labels(subject))},
            field="label",
        )
    return level


def excellent_cap(year: int) -> Cap | None:
    """The HTXSNV cap in force for `year`'s assessment, or None (no cap before 2019), with the ratio
    and the base an administrator configured (settings `EXCELLENT_CAP_RATIO`,
    `EXCELLENT_CAP_BASE_INCLUDES_EXCELLENT`; None keeps the regulation's)."""
    for cap in EXCELLENT_CAPS:
        if year >= cap.first_year and (cap.last_year is None or year <= cap.last_year):
            ratio = getattr(settings, "EXCELLENT_CAP_RATIO", None)
            includes = getattr(settings, "EXCELLENT_CAP_BASE_INCLUDES_EXCELLENT", None)
            return dataclasses.replace(
                cap, ratio=cap.ratio if ratio is None else ratio,
                base_includes_excellent=cap.base_includes_excellent if includes is None else includes)
    return None


@dataclass(frozen=True)
class CapWarning:
    """More members of one grassroots organization were rated excellent than the cap allows: over
    `cap.ratio` of the `base` (those rated good, with or without the excellent, `Cap.base`)."""

    year: int
    group: object  # the grassroots organization (or any key the caller grouped by)
    base: int
    excellent: int
    cap: Cap

    @property
    def share(self) -> float:
        return self.excellent / self.base if self.base else 1.0

    def message(self, name: str | None = None) -> str:
        text = _(
            "%(year)s: %(n)d members of %(org)s were rated “Completed tasks excellently”, %(share)s%% of the "
            "%(base)d rated “Completed tasks well”%(with_excellent)s, above the %(cap)s%% cap of %(reg)s."
        ) % {
            "year": self.year, "n": self.excellent, "base": self.base, "org": name or str(self.group),
            "with_excellent": _(" or better") if self.cap.base_includes_excellent else "",
            "share": f"{self.share * 100:.1f}".replace(".", ","), "cap": f"{self.cap.ratio * 100:g}",
            "reg": self.cap.regulation,
        }
        if not self.cap.confirmed:
            text += " " + _("(The cap for this year is not confirmed.)")
        return text


def cap_warnings(year: int, groups: Mapping[object, Iterable[str]]) -> list[CapWarning]:
    """Pure check of the HTXSNV cap: `groups` maps a grassroots organization to the rating keys of the
    members rated in it that year. Returns one warning per group above the cap (a warning, never an
    error: historical ratings are kept as decided).

    Domain-rules §7.4: HD 21 (2019) caps HTXSNV at 20% *of those rated HTTNV* within each TCCSĐ;
    the members rated only "completed" or "not completed" are not in the base. Whether the HTXSNV
    themselves are (default: yes), and whether QĐ 366 (2025) keeps the cap, is UNCONFIRMED and
    configurable (`excellent_cap`)."""
    cap = excellent_cap(year)
    if cap is None:
        return []
    result = []
    for group, keys in groups.items():
        counts = Counter(keys)
        base, excellent = cap.base(counts), counts["excellent"]
        if excellent and excellent > cap.ratio * base + 1e-9:
            result.append(CapWarning(year, group, base, excellent, cap))
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


def excellent_share_warnings(year: int) -> list[CapWarning]:
    """Cap warnings over the member ratings stored for `year`, grouped by the grassroots organization
    where each member was placed at the end of that year (or last placed during it)."""
    from django.db.models import Q

    from dangvu.members.models import MemberPeriod

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    keys = dict(Rating.objects.filter(year=year, member__isnull=False).values_list("member_id", "key"))
    if not keys:
        return []
    cell_of: dict[int, int] = {}
    periods = (
        MemberPeriod.objects.filter(member_id__in=list(keys), valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .order_by("member_id", "valid_from")
        .values_list("member_id", "cell_id")
    )
    for member_id, cell_id in periods:
        cell_of[member_id] = cell_id  # the latest period in the year wins
    grassroots = grassroots_of(set(cell_of.values()), end)
    groups: dict[int, list[str]] = {}
    for member_id, key in keys.items():
        g = grassroots.get(cell_of.get(member_id))
        if g is not None:
            groups.setdefault(g, []).append(key)
    warnings = cap_warnings(year, groups)
    names = dict(Organization.objects.filter(pk__in=[w.group for w in warnings]).values_list("pk", "name"))
    return [CapWarning(w.year, names.get(w.group, w.group), w.base, w.excellent, w.cap) for w in warnings]


def year_end_period(periods: Iterable[tuple], year: int) -> tuple | None:
    """Of a member's placements (cell, valid_from, valid_to, exempted), the one the assessment of
    `year` counts (the last one that overlaps the year: where the member was at its end, or last
    placed during it), or None when the member was placed nowhere that year."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    in_year = [p for p in periods if p[1] <= end and (p[2] is None or p[2] > start)]
    return max(in_year, key=lambda p: p[1]) if in_year else None


def exempted_rating_check(periods: Iterable[tuple], year: int) -> str | None:
    """Members exempted from work and party activities (miễn công tác và sinh hoạt đảng) are not rated
    (domain-rules §6, §7; HD 21): the reason when the member was exempted at the assessment of `year`
    (`year_end_period`), else None. A recorded rating is kept; the import warns."""
    period = year_end_period(periods, year)
    if period is not None and period[3]:
        return _("The member was exempted from party activities in %(year)s; exempted members are not rated.") % {
            "year": year}
    return None


@transaction.atomic
def ratings_write_many(new: list[Rating], changed: list[tuple[Rating, dict]], *, actor=None,
                       source: str = "import") -> None:
    """Record many ratings at once (an import), already checked: `new` are inserted, `changed` pairs a
    stored rating with its new values (key, label, scale); audited in bulk."""
    from dangvu.core.audit import log_bulk_created, log_bulk_updated
    from dangvu.core.bulk import bulk_insert

    for rating in new:
        rating.source = source
    if new:
        bulk_insert(Rating, new)
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
    scale = scale_for_year(y)
    lookup = {"member": member} if member is not None else {"organization": organization}
    rating = Rating.objects.filter(year=y, **lookup).first() or Rating(year=y, **lookup)
    rating.scale, rating.key, rating.label, rating.source = scale.code, level.key, " ".join(label.split()), source
    rating.save()
    return rating


__all__ = [
    "CapWarning", "cap_warnings", "check_year", "excellent_cap", "excellent_share_warnings", "exempted_rating_check",
    "grassroots_of", "match_rating", "ratings_write_many", "record_rating", "scale_for_year", "scales", "year_end_period",
]
