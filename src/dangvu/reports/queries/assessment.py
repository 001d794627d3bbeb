"""`report assessment` (contracts §3): the ratings of one year by level — grassroots organizations,
subordinate chi bộ and members of a subtree — and the rules of that year's regulation the recorded
ratings break (`warnings`).

A rating counts where it was decided (`Rating.rated_in`: the chi bộ a member was rated in, or the
organization rated), in the subtree as the tree stood on the last day of the year. ORM aggregates
only: one query for the counts, two for those not rated, one per kind of warning (the cap's from the
index of the deciding organizations); nothing loops over ratings in Python.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu import regulations as R
from dangvu.assessment.models import Rating
from dangvu.core.dates import add_months, format_date
from dangvu.core.errors import DomainError
from dangvu.members.models import ACTIVE_STATUSES, MemberEvent, MemberEventKind, MemberPeriod
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization, OrganizationKind, OrganizationPeriod
from dangvu.organizations.selectors import PERIOD_TABLE, subtree_as_of_sql, valid_on_sql
from dangvu.regulations.assessment import (
    EXEMPTED,
    GROUPS,
    MEMBER,
    MEMBERS,
    ORGANIZATION,
    ORGANIZATIONS,
    OTHER,
    SUBORDINATE_CELLS,
    SUSPENDED,
)

from .common import array_literal


def group_keys(scale: R.Scale, group: str) -> list[str]:
    """The levels of `scale` a group is rated on, best first."""
    return scale.keys(MEMBER if group == MEMBERS else ORGANIZATION)


def _percent(n: int, total: int) -> float:
    return round(n * 100 / total, 1) if total else 0.0


def _subtree(org: Organization, year: int) -> RawSQL:
    """The ids of `org`'s subtree as it stood on the year's last day, as a subquery: the recursive CTE
    on SQLite; on PostgreSQL, which cannot estimate a recursive CTE's size (it probes the ratings'
    index once per organization), the ids read first and given back as an array whose length the
    planner sees (a 200,000-member province: the counts in 0.3 s instead of 0.8 s, bench/findings.md),
    with the organizations above `org` that day (`above`, as `_ancestors` gives them) in the same statement."""
    sql, params = subtree_as_of_sql(org.pk, dt.date(year, 12, 31))
    if connection.vendor != "postgresql":
        return RawSQL(sql, params)
    up = _ancestors(org, year)
    with connection.cursor() as cur:
        cur.execute(f"SELECT 0, s.id FROM ({sql}) s UNION ALL SELECT 1, a.id FROM ({up.sql}) a(id)",
                    [*params, *up.params])
        rows = cur.fetchall()
    ids = [pk for part, pk in rows if part == 0]
    raw = RawSQL("SELECT unnest(%s::bigint[])", [array_literal(ids)])
    raw.ids, raw.above = ids, [pk for part, pk in rows if part == 1]
    return raw


def assessment_ratings(org: Organization, year: int, subtree: RawSQL | None = None):
    """The ratings of `year` decided in `org`'s subtree (as it stood on the year's last day)."""
    return Rating.objects.filter(year=year, rated_in__in=subtree if subtree is not None else _subtree(org, year))


#: The kinds of organization each group of the report counts (its `not_rated` too).
GROUP_KINDS = {ORGANIZATIONS: GRASSROOTS_KINDS, SUBORDINATE_CELLS: (OrganizationKind.SUBORDINATE_CELL,)}
#: The organizations of one kind that form 6 counts on rows of their own (HD 11-HD/BTCTW Biểu 6, domain-rules
#: §12.4: đảng bộ cơ sở, chi bộ cơ sở, đảng bộ bộ phận): the group of their ratings and the kind they had on
#: the year's last day. Partial committees are rated (group `other`) but are no group of the report.
KIND_GROUPS = {
    "grassroots_committees": (ORGANIZATIONS, OrganizationKind.GRASSROOTS_COMMITTEE),
    "grassroots_cells": (ORGANIZATIONS, OrganizationKind.GRASSROOTS_CELL),
    "partial_committees": (OTHER, OrganizationKind.PARTIAL_COMMITTEE),
}


def _kind_on(year: int) -> Subquery:
    """The kind the rated organization (`organization_id` of the outer rating) had on the year's last day."""
    return Subquery(OrganizationPeriod.objects.filter(organization_id=OuterRef("organization_id"))
                    .active_on(dt.date(year, 12, 31)).values("kind")[:1])


def kind_ratings(org: Organization, year: int, kind_group: str, subtree: RawSQL | None = None):
    """The ratings of `year` decided in `org`'s subtree of the organizations of one of KIND_GROUPS."""
    group, kind = KIND_GROUPS[kind_group]
    return (assessment_ratings(org, year, subtree).filter(group=group, organization__isnull=False)
            .annotate(kind_on=_kind_on(year)).filter(kind_on=kind))


def _placed_members(org: Organization, year: int, subtree: RawSQL | None = None):
    """Members placed in a chi bộ of `org`'s subtree on the year's last day (as the tree stood then), as
    members (probationary or official, exempted included): member periods."""
    end = dt.date(year, 12, 31)
    return (MemberPeriod.objects.active_on(end)
            .filter(status__in=ACTIVE_STATUSES, cell_id__in=subtree if subtree is not None else _subtree(org, year)))


def _rated(year: int) -> Exists:
    return Exists(Rating.objects.filter(year=year, member=OuterRef("member")))


def not_rated_members(org: Organization, year: int, subtree: RawSQL | None = None):
    """The members placed in a chi bộ of `org`'s subtree on the year's last day (`_placed_members`) with no
    rating of that year (exempted members are not rated): member periods, with `member` and `cell`."""
    return _placed_members(org, year, subtree).exclude(_rated(year))


def not_rated_organizations(org: Organization, year: int, group: str | None = None,
                            subtree: RawSQL | None = None):
    """The organizations of `group` (grassroots organizations, subordinate chi bộ, one of KIND_GROUPS;
    None: the first two) of `org`'s subtree on the year's last day with no rating of that year:
    organization periods of that day, with `organization`."""
    kinds = ((KIND_GROUPS[group][1],) if group in KIND_GROUPS else GROUP_KINDS[group] if group
             else (*GROUP_KINDS[ORGANIZATIONS], *GROUP_KINDS[SUBORDINATE_CELLS]))
    return _not_rated_of_kinds(org, year, kinds, subtree)


def _not_rated_of_kinds(org: Organization, year: int, kinds, subtree: RawSQL | None):
    end = dt.date(year, 12, 31)
    return (OrganizationPeriod.objects.active_on(end)
            .filter(kind__in=kinds, organization_id__in=subtree if subtree is not None else _subtree(org, year))
            .exclude(Exists(Rating.objects.filter(year=year, organization=OuterRef("organization")))))


def founded_after(year: int) -> dt.date:
    """Organizations established after this day are under `not_rated_min_months` months old at the end of
    `year` (HD 21: reviewed, not rated — the rule of the members admitted that recently; form 6's "of which
    founded less than N months before"): `months_between(established_on, 31/12) < not_rated_min_months`."""
    return add_months(dt.date(year, 12, 31), -R.assessment_rules(year).not_rated_min_months)


def new_not_rated_organizations(org: Organization, year: int, group: str | None = None,
                                subtree: RawSQL | None = None):
    """Those of `not_rated_organizations` established less than `not_rated_min_months` months before the year's
    end (`founded_after`); an organization of unknown establishment (since ever) is not new."""
    return not_rated_organizations(org, year, group, subtree).filter(organization__established_on__gt=founded_after(year))


def exempted_not_rated_members(org: Organization, year: int, subtree: RawSQL | None = None):
    """Those of `not_rated_members` exempted from party activities on the year's last day (HD 11's "miễn
    công tác và sinh hoạt đảng")."""
    return not_rated_members(org, year, subtree).filter(exempted=True)


def _disciplined_in(year: int) -> Exists:
    """The member of the outer row was disciplined in `year` (an event of that year)."""
    return Exists(MemberEvent.objects.filter(member=OuterRef("member"), kind=MemberEventKind.DISCIPLINED,
                                             effective_on__year=year))


def disciplined_not_completed(org: Organization, year: int, subtree: RawSQL | None = None):
    """The members' ratings of `year` decided in the subtree at a level the four levels of 2018 call "did not
    complete tasks" (`regulations.COMMON_KEY`), of members disciplined in that year: of HD 11's causes of
    "not completed" (degradation, under half the targets, as a civil servant, discipline, other) the one the
    records hold."""
    scale = R.assessment_rules(year).scale
    keys = [k for k in group_keys(scale, MEMBERS) if R.COMMON_KEY[scale.code][k] == "not_completed"]
    return assessment_ratings(org, year, subtree).filter(group=MEMBERS, key__in=keys).filter(_disciplined_in(year))


#: The kinds of organization each row of form 6 counts (`assessment_details`).
ROW_KINDS = {**GROUP_KINDS, **{key: (kind,) for key, (_group, kind) in KIND_GROUPS.items()}}


def assessment_details(org: Organization, year: int, subtree: RawSQL | None = None) -> dict[str, dict[str, int]]:
    """Form 6's sub-columns (HD 11-HD/BTCTW Biểu 6, domain-rules §12.4) for each of its rows (`GROUPS` and
    `KIND_GROUPS`): the organizations not rated that were founded recently (`new_not_rated_organizations`),
    the members not rated that were exempted (`exempted_not_rated_members`), the members rated "not
    completed" that were disciplined in the year (`disciplined_not_completed`). Three aggregates."""
    subtree = subtree if subtree is not None else _subtree(org, year)
    kinds = {kind for group in ROW_KINDS.values() for kind in group}
    new = dict(_not_rated_of_kinds(org, year, list(kinds), subtree)
               .filter(organization__established_on__gt=founded_after(year))
               .values_list("kind").annotate(n=Count("*")).order_by())  # one row per kind
    result: dict[str, dict[str, int]] = {key: {"not_rated_new": sum(new.get(k, 0) for k in row_kinds)}
                                         for key, row_kinds in ROW_KINDS.items()}
    result[MEMBERS] = {"not_rated_exempted": exempted_not_rated_members(org, year, subtree).count(),
                       "not_completed_disciplined": disciplined_not_completed(org, year, subtree).count()}
    return result


def _not_rated_counts(org: Organization, year: int, subtree: RawSQL) -> dict[str, int]:
    """How many of each group are not rated: two aggregates."""
    counts = {group: 0 for group in GROUPS}
    for kind, n in (not_rated_organizations(org, year, subtree=subtree).values_list("kind")
                    .annotate(n=Count("*")).order_by()):
        counts[SUBORDINATE_CELLS if kind == OrganizationKind.SUBORDINATE_CELL else ORGANIZATIONS] += n
    # how many `not_rated_members`: counted with the test in the count (COUNT … FILTER (WHERE NOT EXISTS …)),
    # one probe of the ratings' (year, member) index per member; as an anti-join, PostgreSQL hashed every
    # rating of the year instead (a province: 0.35 s of CPU instead of 0.22)
    counts[MEMBERS] = _placed_members(org, year, subtree).aggregate(n=Count("member", filter=~_rated(year)))["n"]
    return counts


def _ancestors(org: Organization, year: int) -> RawSQL:
    """The organizations above `org` as the tree stood on the year's last day (a recursive CTE upward)."""
    end = dt.date(year, 12, 31)
    sql = (f"WITH RECURSIVE up(id, parent_id) AS ("
           f" SELECT p.organization_id, p.parent_id FROM {PERIOD_TABLE} p WHERE p.organization_id = %s"
           f" AND {valid_on_sql('p')}"
           f" UNION ALL SELECT p.organization_id, p.parent_id FROM {PERIOD_TABLE} p JOIN up ON p.organization_id ="
           f" up.parent_id WHERE {valid_on_sql('p')}) SELECT parent_id FROM up WHERE parent_id IS NOT NULL")
    return RawSQL(sql, [org.pk, end, end, end, end])


def _warnings(org: Organization, ratings, subtree: RawSQL, rules: R.AssessmentRules, year: int) -> list[dict]:
    """The rules the recorded ratings of the subtree break: the cap on "excellent" within each deciding
    organization's group (counted over the whole group), discipline in the year, members not rated (exempted or
    suspended at the year's end) rated."""
    result = []
    if rules.excellent_cap_ratio is not None and rules.excellent_cap_groups:
        # Whose groups: the deciding organizations of the subtree, and those above it that decided a
        # rating in it. Counted from the index on (year, decided_by, group, key) alone.
        ids = getattr(subtree, "ids", None)
        # PostgreSQL: the organizations above as a list (read with the subtree): it then reads their own
        # decisions by the (year, decided_by) index, not every rating of the subtree
        up = RawSQL("SELECT unnest(%s::bigint[])", [array_literal(subtree.above)]) if ids is not None \
            else _ancestors(org, year)
        above = list(ratings.filter(group__in=rules.excellent_cap_groups, decided_by_id__in=up)
                     .values_list("decided_by_id", flat=True).order_by().distinct())
        deciders = (Q(decided_by_id__in=RawSQL("SELECT unnest(%s::bigint[])", [array_literal(ids + above)]))
                    if ids is not None
                    else Q(decided_by_id__in=subtree) | Q(decided_by_id__in=above))
        groups = list(
            Rating.objects.filter(year=year, group__in=rules.excellent_cap_groups, key__in=("good", "excellent"))
            .filter(deciders)
            .values_list("decided_by_id", "group")
            .annotate(good=Count("key", filter=Q(key="good")), excellent=Count("key", filter=Q(key="excellent")))
            .order_by())
        over = [(d, g, good, exc) for d, g, good, exc in groups  # one row per deciding organization and group
                if not rules.cap_allows(g, good, exc)]
        names = {pk: (code, name) for pk, code, name in Organization.objects.filter(
            pk__in={d for d, *_r in over}).values_list("pk", "code", "name")} if over else {}
        for decider, group, good, excellent in sorted(over, key=lambda o: (names[o[0]][0], o[1])):
            refusal = R.cap_refusal(rules, group=group, good=good, excellent=excellent, org=names[decider][1])
            result.append({"code": "excellent_over_cap", "org": names[decider][0], "group": group,
                           "message": refusal.text})
    if rules.disciplined_max is not None:
        allowed = rules.scale.keys()[rules.scale.rank(rules.disciplined_max):]
        above = ratings.filter(group=MEMBERS).exclude(key__in=allowed)
        if rules.disciplined_exception:
            above = above.filter(exception_reason="")
        for g in (above.filter(_disciplined_in(year)).values("rated_in__code").annotate(n=Count("id"))
                  .order_by("rated_in__code")):
            result.append({"code": "disciplined_above_limit", "org": g["rated_in__code"], "group": MEMBERS,
                           "message": _("%(n)d members disciplined in %(year)s rated above “%(level)s” (%(reg)s).") % {
                               "n": g["n"], "year": year, "level": R.KEY_NAMES[rules.disciplined_max],
                               "reg": rules.code}})
    end = dt.date(year, 12, 31)
    for reason, message in NOT_RATED_WARNINGS.items():
        if reason not in rules.not_rated:
            continue
        periods = MemberPeriod.objects.active_on(end).filter(member=OuterRef("member"), **{reason: True})
        for g in (ratings.filter(group=MEMBERS).filter(Exists(periods)).values("rated_in__code")
                  .annotate(n=Count("id")).order_by("rated_in__code")):
            result.append({"code": f"{reason}_rated", "org": g["rated_in__code"], "group": MEMBERS,
                           "message": str(message) % {"n": g["n"], "year": year, "reg": rules.code}})
    return result


#: The members not rated whose ratings the report warns of (`exempted_rated`, `suspended_rated`): the
#: reason of `AssessmentRules.not_rated` (a flag of the member periods) → the warning.
NOT_RATED_WARNINGS = {
    EXEMPTED: gettext_lazy("%(n)d members exempted from party activities at the end of %(year)s were rated; exempted "
                           "members are not rated (%(reg)s)."),
    SUSPENDED: gettext_lazy("%(n)d members suspended from party activities at the end of %(year)s were rated; "
                            "suspended members are not rated (%(reg)s)."),
}


def _group(by_rating: dict[str, int], not_rated: int) -> dict:
    rated = sum(by_rating.values())
    return {"rated": rated, "by_rating": by_rating, "percent": {key: _percent(n, rated) for key, n in by_rating.items()},
            "not_rated": not_rated}


def assessment_by_kind(org: Organization, year: int, subtree: RawSQL | None = None) -> dict[str, dict]:
    """The groups of `assessment` for each of KIND_GROUPS (form 6's rows of one kind of organization), in
    its shape: {kind group: {rated, by_rating, percent, not_rated}}. Two aggregates (and, unless `subtree`
    is given — `_subtree`, shared with `assessment` —, on PostgreSQL the one reading the subtree)."""
    scale = R.assessment_rules(year).scale
    subtree = subtree if subtree is not None else _subtree(org, year)
    kind_of = {kind.value: key for key, (_group_key, kind) in KIND_GROUPS.items()}
    groups = {group for group, _kind in KIND_GROUPS.values()}
    counts: dict[tuple[str, str], int] = {}
    for group, kind, key, n in (assessment_ratings(org, year, subtree).filter(group__in=groups, organization__isnull=False)
                                .annotate(kind_on=_kind_on(year)).filter(kind_on__in=kind_of)
                                .values_list("group", "kind_on", "key").annotate(n=Count("*")).order_by()):
        if KIND_GROUPS[kind_of[kind]][0] == group:  # one row per group, kind and level
            counts[(kind_of[kind], key)] = n
    not_rated = dict.fromkeys(KIND_GROUPS, 0)
    for kind, n in _not_rated_of_kinds(org, year, list(kind_of), subtree).values_list("kind").annotate(
            n=Count("*")).order_by():  # one row per kind
        not_rated[kind_of[kind]] = n
    return {key: _group({k: counts.get((key, k), 0) for k in scale.keys(ORGANIZATION)}, not_rated[key])
            for key in KIND_GROUPS}


def _name_at_end(org: Organization, year: int) -> str:
    """The organization's name on the year's last day; DomainError when it did not exist that day."""
    end = dt.date(year, 12, 31)
    name = OrganizationPeriod.objects.active_on(end).filter(organization=org).values_list("name", flat=True).first()
    if name is None:
        raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(end)},
                          field="year")
    return name


def assessment_warnings(org: Organization, year: int, subtree: RawSQL | None = None) -> list[dict]:
    """The `warnings` of `assessment` alone (`report checks`), without its counts; DomainError as
    `assessment` when the organization did not exist at the end of the year."""
    _name_at_end(org, year)
    subtree = subtree if subtree is not None else _subtree(org, year)
    return _warnings(org, assessment_ratings(org, year, subtree), subtree, R.assessment_rules(year), year)


def assessment(org: Organization, year: int, subtree: RawSQL | None = None) -> dict:
    """Contracts §3 `report assessment` for `org` and `year`: for each group (`organizations`: the
    grassroots organizations of the subtree, or the organization itself when it is one;
    `subordinate_cells`; `members`) the number rated and the count and percentage by level of the
    year's scale (every level, 0 included), and `not_rated` (added key): those of the group in the
    subtree at the end of the year with no rating of that year (`not_rated_members`,
    `not_rated_organizations`); the scale (its keys and their common keys across scales);
    `warnings`."""
    name = _name_at_end(org, year)
    rules = R.assessment_rules(year)
    scale = rules.scale
    subtree = subtree if subtree is not None else _subtree(org, year)
    ratings = assessment_ratings(org, year, subtree)
    counts = {(g, k): n for g, k, n in ratings.filter(group__in=GROUPS).values_list("group", "key")
              .annotate(n=Count("*")).order_by()}
    result = {"org": {"code": org.code, "name": name}, "year": year,
              "scale": {"code": scale.code, "regulation": scale.regulation,
                        "common_keys": dict(R.COMMON_KEY[scale.code])}}
    not_rated = _not_rated_counts(org, year, subtree)
    for group in GROUPS:
        result[group] = _group({key: counts.get((group, key), 0) for key in group_keys(scale, group)},
                               not_rated[group])
    result["warnings"] = _warnings(org, ratings, subtree, rules, year)
    return result
