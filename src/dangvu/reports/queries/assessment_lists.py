"""The names behind the assessment's figures: each figure of `report assessment` as a list (drill-down),
and `report excellent-streak`: the members and organizations rated excellent in each of N years in a
row, for commendation ("hoàn thành xuất sắc nhiệm vụ N năm liền", HD 21; domain-rules §7.7 Rewards).

Across scales a rating counts as excellent only where the rules package's explicit mapping
(`regulations.COMMON_KEY`) takes its level to "excellent" (e.g. "trong sạch vững mạnh" of the 2014
scale); the report lists that mapping for the years it spans. Set-based: one query for the subjects,
one for their ratings of the window; nothing loops over ratings in Python to select them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Count, F, Q, Value
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.assessment.models import Rating
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization, OrganizationPeriod
from dangvu.regulations.assessment import GROUPS, MEMBERS, ORGANIZATIONS, SUBORDINATE_CELLS

from .assessment import (
    KIND_GROUPS,
    assessment_ratings,
    disciplined_not_completed,
    exempted_not_rated_members,
    group_keys,
    kind_ratings,
    new_not_rated_organizations,
    not_rated_members,
    not_rated_organizations,
)

RATED = "rated"
NOT_RATED = "not_rated"
#: Form 6's sub-figures (`assessment.assessment_details`): of those not rated, the organizations founded
#: recently and the members exempted; of the members rated "not completed", those disciplined in the year.
NOT_RATED_NEW = "not_rated_new"
NOT_RATED_EXEMPTED = "not_rated_exempted"
NOT_COMPLETED_DISCIPLINED = "not_completed_disciplined"
#: The figures that list those not rated (their place at the year's end, not a rating).
NOT_RATED_FIGURES = (NOT_RATED, NOT_RATED_NEW, NOT_RATED_EXEMPTED)
#: How many years a streak may span.
STREAK_MAX_YEARS = 30
STREAK_DEFAULT_YEARS = 5


# --- drill-down: the names behind a figure ---------------------------------------------------------

def figure_keys(year: int, group: str) -> list[str]:
    """The figures of a group of the assessment report: rated, each level of the year's scale, not rated;
    and form 6's sub-figures of the group."""
    details = [NOT_RATED_EXEMPTED, NOT_COMPLETED_DISCIPLINED] if group == MEMBERS else [NOT_RATED_NEW]
    return [RATED, *group_keys(R.assessment_rules(year, {}).scale, group), NOT_RATED, *details]


def check_figure(year: int, group: str, figure: str) -> None:
    if group not in GROUPS and group not in KIND_GROUPS:
        raise DomainError(_("Unknown group “%(value)s”.") % {"value": group}, field="group")
    if figure not in figure_keys(year, group):
        raise DomainError(_("Unknown figure “%(key)s”.") % {"key": figure}, field="figure")


def assessment_figure(org: Organization, year: int, group: str, figure: str):
    """The rows counted by one figure of `report assessment` (same filters): `rated`, a level key, or
    `not_rated`, of `group` (or of one of `KIND_GROUPS`, form 6's rows of one kind of organization); a values queryset of dicts with `subject` ("member" | "organization"),
    `subject_id`, `code`, `title`, `place_code`, `place` (the chi bộ rated in, the deciding committee,
    or the chi bộ / parent at the year's end), `label`, `decided_on`, `points`, `exempted`, `suspended`; members
    in Vietnamese name order, organizations by code."""
    check_figure(year, group, figure)
    subject = "member" if group == MEMBERS else "organization"
    none_text, none_date = Value(None, output_field=CharField()), Value(None, output_field=CharField())
    if figure not in NOT_RATED_FIGURES:
        if figure == NOT_COMPLETED_DISCIPLINED:
            ratings = disciplined_not_completed(org, year)
        else:
            ratings = (kind_ratings(org, year, group) if group in KIND_GROUPS
                       else assessment_ratings(org, year).filter(group=group))
        if figure not in (RATED, NOT_COMPLETED_DISCIPLINED):
            ratings = ratings.filter(key=figure)
        if group == MEMBERS:
            return ratings.values(
                subject_id=F("member_id"), code=F("member__code"), title=F("member__full_name"),
                place_code=F("rated_in__code"), place=F("rated_in__name"), label_text=F("label"),
                decided=F("decided_on"), score=F("points"), is_exempted=Value(False), is_suspended=Value(False),
            ).annotate(subject=Value(subject)).order_by("member__sort_key", "member_id")
        return ratings.values(
            subject_id=F("organization_id"), code=F("organization__code"), title=F("organization__name"),
            place_code=F("decided_by__code"), place=F("decided_by__name"), label_text=F("label"),
            decided=F("decided_on"), score=F("points"), is_exempted=Value(False), is_suspended=Value(False),
        ).annotate(subject=Value(subject)).order_by("organization__code")
    if group == MEMBERS:
        members = exempted_not_rated_members(org, year) if figure == NOT_RATED_EXEMPTED else not_rated_members(org, year)
        return members.values(
            subject_id=F("member_id"), code=F("member__code"), title=F("member__full_name"),
            place_code=F("cell__code"), place=F("cell__name"), label_text=none_text, decided=none_date,
            score=none_text, is_exempted=F("exempted"), is_suspended=F("suspended"),
        ).annotate(subject=Value(subject)).order_by("member__sort_key", "member_id")
    organizations = (new_not_rated_organizations if figure == NOT_RATED_NEW else not_rated_organizations)(
        org, year, group)
    return organizations.values(
        subject_id=F("organization_id"), code=F("organization__code"), title=F("name"),
        place_code=F("parent__code"), place=F("parent__name"), label_text=none_text,
        decided=none_date, score=none_text, is_exempted=Value(False), is_suspended=Value(False),
    ).annotate(subject=Value(subject)).order_by("organization__code")


def figure_label(year: int, group: str, figure: str) -> str:
    if figure == RATED:
        return _("Rated")
    if figure == NOT_RATED:
        return _("Not rated")
    if figure == NOT_RATED_NEW:
        return _("Not rated: founded less than %(months)s months before the end of the year") % {
            "months": R.assessment_rules(year).not_rated_min_months}
    if figure == NOT_RATED_EXEMPTED:
        return _("Not rated: exempted from party activities")
    if figure == NOT_COMPLETED_DISCIPLINED:
        return _("Did not complete tasks: disciplined in the year")
    return str(R.KEY_NAMES[figure])


# --- excellent N years in a row ----------------------------------------------------------------------

def excellent_levels() -> Q:
    """Ratings whose level corresponds to "excellent" under the rules' mapping across scales."""
    q = Q(pk__in=[])
    for scale_code, mapping in R.COMMON_KEY.items():
        keys = sorted(k for k, common in mapping.items() if common == "excellent")
        if keys:
            q |= Q(scale=scale_code, key__in=keys)
    return q


def excellent_mapping(first: int, last: int) -> list[dict]:
    """For each scale the years `first`..`last` are rated on: the levels that count as excellent
    (members and organizations), and whether by the mapping across scales rather than being the
    level itself."""
    result = []
    for scale in R.SCALES:
        lo, hi = max(first, scale.first_year or first), min(last, scale.last_year or last)
        if lo > hi:
            continue
        mapping = R.COMMON_KEY[scale.code]
        levels = [{"key": lv.key, "label": lv.label, "name": str(R.KEY_NAMES[lv.key]),
                   "subjects": sorted(lv.subjects), "mapped": lv.key != "excellent"}
                  for lv in scale.levels if mapping[lv.key] == "excellent"]
        result.append({"scale": scale.code, "regulation": scale.regulation, "from_year": lo, "to_year": hi,
                       "levels": levels})
    return result


def _in_streak(base, first: int, last: int, years: int, subject: str):
    """The ids (`subject`: "member" or "organization") among the ratings `base` rated excellent in
    each year of `first`..`last`: one GROUP BY over the window's excellent ratings of those subjects."""
    return (Rating.objects.filter(excellent_levels(), year__gte=first, year__lte=last,
                                  **{f"{subject}_id__in": base.values(f"{subject}_id")})
            .order_by().values(f"{subject}_id").annotate(n=Count("year", distinct=True)).filter(n=years)
            .values(f"{subject}_id"))


def check_streak(year, years) -> tuple[int, int]:
    from dangvu.assessment.services import check_year

    y = check_year(year)
    try:
        n = int(years)
    except (TypeError, ValueError):
        raise DomainError(_("The number of years must be a number such as 5."), field="years")
    if not 1 <= n <= STREAK_MAX_YEARS:
        raise DomainError(_("The number of years is between 1 and %(max)s.") % {"max": STREAK_MAX_YEARS},
                          field="years")
    return y, n


def excellent_streak(org: Organization, year: int, years: int = STREAK_DEFAULT_YEARS) -> dict:
    """`report excellent-streak`: the members, grassroots organizations and subordinate chi bộ rated
    in `org`'s subtree in `year` (where the rating of that year was decided, as the tree stood at its
    end) and rated excellent — or a level the mapping takes to excellent — in each of the `years`
    years ending then (the earlier ones wherever they were decided)."""
    year, years = check_streak(year, years)
    first = year - years + 1
    end = dt.date(year, 12, 31)
    name = OrganizationPeriod.objects.active_on(end).filter(organization=org).values_list("name", flat=True).first()
    if name is None:
        raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(end)},
                          field="year")
    base = assessment_ratings(org, year).filter(excellent_levels())
    members_base = base.filter(group=MEMBERS)
    member_qs = members_base.filter(member_id__in=_in_streak(members_base, first, year, years, "member"))
    orgs_base = base.filter(group__in=(ORGANIZATIONS, SUBORDINATE_CELLS))
    org_qs = orgs_base.filter(organization_id__in=_in_streak(orgs_base, first, year, years, "organization"))
    members = list(member_qs.values("member_id", "member__code", "member__full_name", "rated_in__code",
                                    "rated_in__name").order_by("member__sort_key", "member_id"))
    organizations = list(org_qs.values("organization_id", "organization__code", "organization__name", "group",
                                       "decided_by__code", "decided_by__name").order_by("group", "organization__code"))
    labels: dict[tuple[str, int], dict[str, str]] = {}
    window = Rating.objects.filter(year__gte=first, year__lte=year).filter(
        Q(member_id__in=member_qs.values("member_id")) | Q(organization_id__in=org_qs.values("organization_id")))
    if members or organizations:
        for member_id, org_id, y, label in window.values_list("member_id", "organization_id", "year", "label"):
            subject = ("member", member_id) if member_id else ("organization", org_id)
            labels.setdefault(subject, {})[str(y)] = label
    return {
        "org": {"code": org.code, "name": name},
        "year": year,
        "years": years,
        "from_year": first,
        "counts_as_excellent": excellent_mapping(first, year),
        "counts": {"members": len(members),
                   ORGANIZATIONS: sum(o["group"] == ORGANIZATIONS for o in organizations),
                   SUBORDINATE_CELLS: sum(o["group"] == SUBORDINATE_CELLS for o in organizations)},
        "members": [{"code": m["member__code"], "name": m["member__full_name"],
                     "rated_in": {"code": m["rated_in__code"], "name": m["rated_in__name"]},
                     "ratings": labels.get(("member", m["member_id"]), {})} for m in members],
        "organizations": [{"code": o["organization__code"], "name": o["organization__name"], "group": o["group"],
                           "decided_by": {"code": o["decided_by__code"], "name": o["decided_by__name"]},
                           "ratings": labels.get(("organization", o["organization_id"]), {})}
                          for o in organizations],
    }


__all__ = [
    "NOT_COMPLETED_DISCIPLINED", "NOT_RATED", "NOT_RATED_EXEMPTED", "NOT_RATED_FIGURES", "NOT_RATED_NEW", "RATED", "STREAK_DEFAULT_YEARS", "STREAK_MAX_YEARS", "assessment_figure", "check_figure",
    "check_streak", "excellent_levels", "excellent_mapping", "excellent_streak", "figure_keys", "figure_label",
]
