"""`report checks` (contracts §3): what in the records of a subtree breaks a rule or does not add up on a
day — each finding with its code, its subject (an organization or member code) and a message.

Codes:
- `cell_below_minimum`: a chi bộ (cơ sở or trực thuộc) existing that day with fewer official members
  than the rules require (`RuleSet.cell_min_official_members`; `members.selectors.cells_below_minimum`,
  the dashboard's warning);
- `probation_overdue`: a member probationary that day whose probation has ended and whose chi bộ's time
  limit to consider the recognition has passed (`lifecycle.todo.probation_dates`, the to-do list's rule);
- `card_missing`: a member official that day without a party card issued by then;
- `placed_nowhere`: a member counted by no report that day: in the Party (status official or
  probationary now, admitted by then) with no placement on the day and none after it, or placed that day in a
  cell that does not exist on it (dissolved, merged, not yet established). Such a member is in no subtree of
  the dated tree, so the subtree here is that of the current tree (the member's current cell,
  `Organization.path`);
- the codes of the assessment report's `warnings` (`excellent_over_cap`, `disciplined_above_limit`,
  `exempted_rated`, `suspended_rated`) for the latest year assessed by that day.

Set-based queries (one per code, a few for the assessment); the rule of a probation is applied once per
start day.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, DateField, Exists, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.lifecycle.todo import probation_dates
from dangvu.members.models import ACTIVE_STATUSES, OPEN_END, Member, MemberEvent, MemberPeriod, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.selectors import cells_below_minimum
from dangvu.organizations.models import Organization, OrganizationPeriod
from dangvu.organizations.selectors import subtree_as_of_sql

from .assessment import _subtree, assessment_ratings, assessment_warnings

#: The codes `checks` reports, in the order of its findings.
CHECK_CODES = ("cell_below_minimum", "probation_overdue", "card_missing", "placed_nowhere", "excellent_over_cap",
               "disciplined_above_limit", "exempted_rated", "suspended_rated")


def _placed(org: Organization, day: dt.date):
    """The member periods of `day` in `org`'s subtree as the tree stood that day."""
    sql, params = subtree_as_of_sql(org.pk, day)
    return MemberPeriod.objects.active_on(day).filter(cell_id__in=RawSQL(sql, params))


def _cells(org: Organization, day: dt.date) -> list[dict]:
    minimum = R.rules_on(day).cell_min_official_members
    rows = cells_below_minimum(org, day)
    codes = dict(Organization.objects.filter(pk__in=[r["id"] for r in rows]).values_list("id", "code"))
    return [{"code": "cell_below_minimum", "subject": codes.get(r["id"], ""), "name": r["name"],
             "message": _("%(cell)s has %(n)s official members on %(day)s, fewer than the %(min)s the Party "
                          "Statute requires.") % {"cell": r["name"], "n": r["official"], "day": format_date(day),
                                                   "min": minimum}}
            for r in sorted(rows, key=lambda r: codes.get(r["id"], ""))]


def overdue_probations(org: Organization, day: dt.date) -> list[dict]:
    """Probationary members of `day` whose chi bộ's time limit after the end of probation has passed: the
    probation counts from the ceremony of the membership of that day (a readmission on or before it).
    Each {"code", "name", "cell_id", "end", "limit"}, the longest overdue first."""
    latest = R.add_months(day, -R.rules_on(day).probation_months)  # ended by `day`: narrows the candidates
    # the member's fields by a probe of its key for each probationary period of the day, not by a join: the
    # planner cannot tell the probationary periods of a day (a few %) from those of all time (half of them)
    # and hashed every member instead (a province: 0.27 s)
    member = Member.objects.filter(pk=OuterRef("member_id")).order_by()
    started = Case(When(readmitted_on__lte=day, then=F("readmitted_on")), default=F("admitted_on"))
    rows = list(_placed(org, day).filter(status=MemberStatus.PROBATIONARY)
                .annotate(started_on=Subquery(member.annotate(on=started).values("on")[:1]))
                .filter(started_on__lte=latest)
                .annotate(code=Subquery(member.values("code")[:1]), name=Subquery(member.values("full_name")[:1]),
                          sort=Subquery(member.values("sort_key")[:1]))
                .order_by("started_on", "sort").values_list("code", "name", "started_on", "cell_id"))
    limits = {start: probation_dates(start) for start in {r[2] for r in rows}}  # the rule once per start day
    return [{"code": code, "name": name, "cell_id": cell_id, "end": limits[start][0], "limit": limits[start][1]}
            for code, name, start, cell_id in rows if day > limits[start][1]]


def _probations(org: Organization, day: dt.date) -> list[dict]:
    message = _("%(name)s: probation ended on %(end)s; the party cell had until %(limit)s to consider the official "
                "recognition.")  # translated once, not per finding
    return [{"code": "probation_overdue", "subject": p["code"], "name": p["name"],
             "message": message % {"name": p["name"], "end": format_date(p["end"]), "limit": format_date(p["limit"])}}
            for p in overdue_probations(org, day)]


def _cards(org: Organization, day: dt.date) -> list[dict]:
    """Official members of `day` with no party card issued on or before it since their latest admission: the
    card of a member who left the Party was withdrawn, a readmitted member needs a new one (as the record
    keeps it, `members.history`: the card number cleared at admission)."""
    admitted = (MemberEvent.objects.filter(member=OuterRef("member"), kind=E.ADMITTED, effective_on__lte=day)
                .order_by("-effective_on").values("effective_on")[:1])
    card = MemberEvent.objects.filter(member=OuterRef("member"), kind=E.CARD_ISSUED, effective_on__lte=day).filter(
        Q(effective_on__gte=Subquery(admitted)) | Q(~Exists(MemberEvent.objects.filter(
            member=OuterRef("member"), kind=E.ADMITTED, effective_on__lte=day))))
    rows = (_placed(org, day).filter(status=MemberStatus.OFFICIAL).filter(~Exists(card))
            .order_by("member__sort_key", "member__code").values_list("member__code", "member__full_name"))
    message = _("%(name)s is an official member without a party card.")  # translated once, not per finding
    return [{"code": "card_missing", "subject": code, "name": name, "message": message % {"name": name}}
            for code, name in rows]


def _nowhere(org: Organization, day: dt.date) -> list[dict]:
    """Members of `org`'s current subtree placed in no cell existing on `day` (`placed_nowhere`): two queries.
    In the Party then with no placement that day nor after it: the latest of their periods' starts and ends
    (an open period ending never) is on or before `day` — one probe of the member's periods, which PostgreSQL
    cannot turn into a hash of every period of the day as it did a NOT EXISTS. Placed that day in a cell without
    a period that day: read first, from those cells (none on a sound history), not by probing every member's
    placement and its cell. (A 200k province: 614 → about 350 ms of CPU.)"""
    dead_cells = Organization.objects.filter(
        ~Exists(OrganizationPeriod.objects.filter(organization=OuterRef("pk")).active_on(day))).values("pk")
    in_dead_cell = list(MemberPeriod.objects.active_on(day).filter(cell_id__in=dead_cells)
                        .values_list("member_id", flat=True).distinct())
    latest = (MemberPeriod.objects.filter(member=OuterRef("pk")).order_by().values("member")
              .annotate(last=Max(Greatest("valid_from", Coalesce("valid_to", Value(OPEN_END, output_field=DateField())))))
              .values("last"))
    unplaced = Q(status__in=ACTIVE_STATUSES, admitted_on__lte=day, latest_day__lte=day)
    path = org.path or f"/{org.pk}/"
    rows = (Member.objects.filter(cell__path__startswith=path)
            .alias(latest_day=Coalesce(Subquery(latest), Value(dt.date.min), output_field=DateField()))
            .filter(unplaced | Q(pk__in=in_dead_cell))
            .order_by("sort_key", "code").values_list("code", "full_name"))
    message = _("%(name)s is placed in no existing party cell on %(day)s and is counted in no report.")
    return [{"code": "placed_nowhere", "subject": code, "name": name,
             "message": message % {"name": name, "day": format_date(day)}}
            for code, name in rows]


def _ratings(org: Organization, day: dt.date) -> tuple[int | None, list[dict]]:
    """The assessment report's warnings for the latest year assessed by `day` (that year when a rating of
    it is on file in the subtree, else the year before), with that year: its warnings alone, not its counts
    (`assessment_warnings`), over the subtree read once for both."""
    subtree = _subtree(org, day.year)
    if assessment_ratings(org, day.year, subtree).exists():
        year = day.year
    else:
        year, subtree = day.year - 1, None
    try:
        warnings = assessment_warnings(org, year, subtree)
    except DomainError:  # the organization did not exist at the end of that year
        return None, []
    return year, [{"code": w["code"], "subject": w["org"], "name": w["org"], "group": w["group"], "year": year,
                  "message": w["message"]} for w in warnings]


def checks(org: Organization, as_of: dt.date) -> dict:
    """Contracts §3 `report checks` for `org`'s subtree on `as_of`: `counts` (every code found) and
    `findings` ({"code", "subject", "message"}, plus the subject's `name`), by code then subject."""
    name = OrganizationPeriod.objects.active_on(as_of).filter(organization=org).values_list("name", flat=True).first()
    if name is None:
        raise DomainError(_("%(org)s does not exist on %(day)s.") % {"org": org.name, "day": format_date(as_of)},
                          field="as_of")
    year, rating_findings = _ratings(org, as_of)
    findings = [*_cells(org, as_of), *_probations(org, as_of), *_cards(org, as_of), *_nowhere(org, as_of), *rating_findings]
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["code"]] = counts.get(f["code"], 0) + 1
    return {"org": {"code": org.code, "name": name}, "as_of": as_of.isoformat(),
            "counts": {code: counts[code] for code in CHECK_CODES if code in counts},
            "assessment_year": year, "findings": findings}
