"""Statistics forms 2, 4 and 6 of HD 11-HD/BTCTW (reports.statforms): each table computed two ways —
the report query, and a plain Python count over the same records (member periods, events, ratings and
the dated tree walked in Python) — on the demo organization (years of history with restructurings),
compared figure by figure, and every count of forms 2 and 4 against the length of its drill-down list.
The details on a small tree: test_statforms_246_small.py."""

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction

from dangvu import regulations as R
from dangvu.assessment.models import Rating
from dangvu.core.dates import months_between
from dangvu.core.text import fold_key
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization, OrganizationKind, OrganizationPeriod
from dangvu.organizations.selectors import subtree_ids_as_of
from dangvu.reports.queries import assessment, flows, snapshot
from dangvu.reports.queries.assessment_lists import assessment_figure
from dangvu.reports.queries.figure_lists import figure_rows
from dangvu.reports.queries.profile import band_keys
from dangvu.reports.statforms import FORMS, build_form, config
from dangvu.reports.statforms.form2 import age_bounds
from dangvu.reports.statforms.layout import cell_drill

from .flows_helpers import D

#: Codes of the demo organization (dangvu.demo.plan; reports may not import demo, a sibling layer).
PROVINCE, DISTRICT = "DB", "DB-NP"


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo organization, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                call_command("demo", "--no-serve", stdout=io.StringIO())
                yield
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def demo_db(demo, db):
    return demo


# --- the plain Python count ----------------------------------------------------------------------------


class Plain:
    """The records read once into Python: the dated tree walked by hand, the members placed on a day."""

    def __init__(self):
        self.org_periods = list(OrganizationPeriod.objects.values("organization_id", "parent_id", "kind",
                                                                  "valid_from", "valid_to"))
        self.member_periods = defaultdict(list)
        for p in MemberPeriod.objects.values("member_id", "cell_id", "status", "exempted", "valid_from", "valid_to"):
            self.member_periods[p["member_id"]].append(p)
        self.members = {m["id"]: m for m in Member.objects.values(
            "id", "sex", "ethnicity", "religion", "birth_date", "general_education", "professional_qualification",
            "occupation")}
        self._subtrees = {}

    @staticmethod
    def _on(p, day):
        return p["valid_from"] <= day and (p["valid_to"] is None or p["valid_to"] > day)

    def subtree(self, root_id, day):
        """The organizations under `root_id` (itself included) as the tree stood on `day`."""
        if (root_id, day) not in self._subtrees:
            children = defaultdict(list)
            alive = set()
            for p in self.org_periods:
                if self._on(p, day):
                    alive.add(p["organization_id"])
                    children[p["parent_id"]].append(p["organization_id"])
            found, todo = set(), [root_id] if root_id in alive else []
            while todo:
                node = todo.pop()
                found.add(node)
                todo.extend(children[node])
            self._subtrees[(root_id, day)] = found
        return self._subtrees[(root_id, day)]

    def placement(self, member_id, day):
        return next((p for p in self.member_periods[member_id] if self._on(p, day)), None)

    def placed(self, root_id, day):
        """The members placed in a cell of the subtree on `day` (their ids)."""
        ids = self.subtree(root_id, day)
        return [m for m, periods in self.member_periods.items()
                if any(self._on(p, day) and p["cell_id"] in ids for p in periods)]


def _years(birth, day):
    return R.age_in_months(birth, day) // 12


def plain_form2(plain: Plain, root_id, start, end) -> dict:
    """Form 2's "this period" column counted by hand over the ADMITTED events."""
    admissions = list(MemberEvent.objects.filter(kind=E.ADMITTED).values("member_id", "effective_on"))
    first = {}
    for a in admissions:
        first[a["member_id"]] = min(first.get(a["member_id"], a["effective_on"]), a["effective_on"])
    got = Counter()
    occupations = Counter()
    bounds, keys = age_bounds(), band_keys(age_bounds())
    systems, table = config.education_systems(), config.qualifications()
    for a in admissions:
        day = a["effective_on"]
        if not start <= day <= end:
            continue
        placed = plain.placement(a["member_id"], day)
        if placed is None or placed["cell_id"] not in plain.subtree(root_id, day):
            continue
        m = plain.members[a["member_id"]]
        got["admitted"] += 1
        got["female"] += m["sex"] == "F"
        got["ethnic_minority"] += m["ethnicity"] != "01"
        got["religious"] += bool(m["religion"])
        got["readmitted"] += first[a["member_id"]] < day
        years = _years(m["birth_date"], day)
        band = max((i for i, low in enumerate(bounds) if years >= low), default=None)
        got[f"age_{keys[band]}" if band is not None else "age_below"] += 1
        got[f"education_{config.education_category(m['general_education'], systems) or 'unknown'}"] += 1
        got[f"qualification_{config.qualification_category(m['professional_qualification'], table) or 'none'}"] += 1
        if m["occupation"].strip():
            occupations[m["occupation"].strip()] += 1
        else:
            got["occupation_none"] += 1
    got["occupations"] = occupations
    return got


def plain_form4(plain: Plain, root_id, day) -> dict:
    got = Counter()
    names = config.religions()
    for member_id in plain.placed(root_id, day):
        m = plain.members[member_id]
        woman = m["sex"] == "F"
        cells = ["total", f"ethnicity_{m['ethnicity']}"] + (["ethnic_minority"] if m["ethnicity"] != "01" else [])
        if m["religion"]:
            target = next((n for n, keys in names if fold_key(m["religion"]) in keys), None)
            cells += ["religious", f"religion_{fold_key(target)}" if target else "religion_other"]
        else:
            cells.append("no_religion")
        for cell in cells:
            got[(cell, "members")] += 1
            got[(cell, "female")] += woman
    return got


def plain_form6(plain: Plain, root_id, year) -> dict:
    """Form 6 counted by hand: the groups rated by level and not rated, and the sub-columns — the
    organizations not rated founded fewer months before the year's end than the rules' minimum, the members
    not rated exempted that day, the members rated at a level meaning "not completed" with a discipline
    of that year."""
    end = dt.date(year, 12, 31)
    ids = plain.subtree(root_id, end)
    got = Counter()
    group_of = {}
    for p in plain.org_periods:
        if p["organization_id"] in ids and Plain._on(p, end):
            if p["kind"] in GRASSROOTS_KINDS:
                group_of[p["organization_id"]] = "organizations"
            elif p["kind"] == OrganizationKind.SUBORDINATE_CELL:
                group_of[p["organization_id"]] = "subordinate_cells"
    disciplined = {e["member_id"] for e in MemberEvent.objects.filter(kind=E.DISCIPLINED).values(
        "member_id", "effective_on") if e["effective_on"].year == year}
    common = R.COMMON_KEY[R.scale_for(year).code]
    rated_members, rated_orgs = set(), set()
    for r in Rating.objects.filter(year=year).values("group", "key", "rated_in_id", "member_id", "organization_id"):
        if r["member_id"]:
            rated_members.add(r["member_id"])
        if r["organization_id"]:
            rated_orgs.add(r["organization_id"])
        if r["rated_in_id"] in ids and r["group"] in ("organizations", "subordinate_cells", "members"):
            got[(r["group"], "rated")] += 1
            got[(r["group"], common[r["key"]])] += 1
            got[("members", "not_completed_disciplined")] += (
                r["group"] == "members" and common[r["key"]] == "not_completed" and r["member_id"] in disciplined)
    established = dict(Organization.objects.values_list("id", "established_on"))
    months = R.assessment_rules(year).not_rated_min_months
    for org_id, group in group_of.items():
        got[(group, "not_rated")] += org_id not in rated_orgs
        got[(group, "not_rated_new")] += (org_id not in rated_orgs and established[org_id] is not None
                                          and months_between(established[org_id], end) < months)
    for member_id in plain.placed(root_id, end):
        placed = plain.placement(member_id, end)
        not_rated = placed["status"] in ACTIVE_STATUSES and member_id not in rated_members
        got[("members", "not_rated")] += not_rated
        got[("members", "not_rated_exempted")] += not_rated and placed["exempted"]
    return got


def _roots(day):
    """The province, the district (while it exists), three grassroots organizations and a chi bộ of
    the first, as the tree stood on `day`."""
    province = Organization.objects.get(code=PROVINCE)
    district = Organization.objects.get(code=DISTRICT)
    top = district if OrganizationPeriod.objects.filter(organization=district).active_on(day).exists() else province
    under = set(subtree_ids_as_of(top.pk, day))
    periods = OrganizationPeriod.objects.active_on(day).filter(organization_id__in=under).order_by("organization__code")
    communes = [p.organization for p in periods.filter(kind__in=GRASSROOTS_KINDS)[:3]]
    inside = set(subtree_ids_as_of(communes[0].pk, day))
    cell = periods.filter(kind=OrganizationKind.SUBORDINATE_CELL, organization_id__in=inside).first()
    return list(dict.fromkeys([province, top, *communes, *([cell.organization] if cell else [])]))


def _rows(data, column=None):
    return {r["key"]: (r["values"] if column is None else r["values"][column]) for r in data["rows"]}


# --- two ways on the demo organization -----------------------------------------------------------------


def test_demo_form_2_is_the_plain_count_of_the_admissions(demo_db):
    plain = Plain()
    seen = 0
    for year in (2016, 2020, 2024):
        start, end = D(year, 1, 1), D(year, 12, 31)
        for root in _roots(end):
            data = build_form(2, root, date_from=start, date_to=end)
            got = _rows(data, "current")
            want = plain_form2(plain, root.pk, start, end)
            seen += want["admitted"]
            assert got["admitted"] == want["admitted"] == flows(root, start, end)["admitted"], (root.code, year)
            for key in ("female", "ethnic_minority", "religious", "readmitted", "occupation_none"):
                assert got[key] == want[key], (root.code, year, key)
            for prefix in ("age_", "education_", "qualification_"):
                keys = {k for k in got if k.startswith(prefix)}
                assert {k: got[k] for k in keys} == {k: want[k] for k in keys}, (root.code, year, prefix)
                assert sum(got[k] for k in keys) == got["admitted"], (root.code, year, prefix)
            occupations = {r["label"]: r["values"]["current"] for r in data["rows"]
                           if r["key"].startswith("occupation:")}
            assert occupations == {k: want["occupations"][k] for k in occupations}
            assert got["occupation_other"] == sum(n for k, n in want["occupations"].items() if k not in occupations)
            assert got["youth_union"] is None  # not recorded: a blank, never a guess
            last = _rows(data, "last_year")
            assert last["admitted"] == flows(root, D(year - 1, 1, 1), D(year - 1, 12, 31))["admitted"]
    assert seen > 20  # the demo admits members every year: the comparison compared something


def test_demo_form_4_is_the_plain_count_of_the_members_and_the_snapshot(demo_db):
    plain = Plain()
    for day in (D(2018, 12, 31), D(2025, 12, 31)):
        for root in _roots(day):
            data = build_form(4, root, as_of=day)
            got = _rows(data)
            want = plain_form4(plain, root.pk, day)
            total = want[("total", "members")]
            assert total > 0, (root.code, day)
            for key, values in got.items():
                if key in ("by_ethnicity", "by_religion"):
                    continue
                assert (values["members"], values["female"]) == (want[(key, "members")], want[(key, "female")]), (
                    root.code, day, key)
                assert values["share"] == round(want[(key, "members")] * 100 / total, 1)
            assert sum(v["members"] for k, v in got.items() if k.startswith("ethnicity_")) == total
            snap = snapshot(root, day)["members"]
            assert (got["total"]["members"], got["total"]["female"]) == (snap["total"], snap["female"])
            assert (got["ethnic_minority"]["members"], got["religious"]["members"]) == (
                snap["ethnic_minority"], snap["religious"])
            assert len([k for k in got if k.startswith("ethnicity_")]) == 55  # the 54 groups and "other"


def test_demo_form_6_is_the_assessment_report_and_the_plain_count(demo_db):
    plain = Plain()
    rated = 0
    details = Counter()
    for year in (2019, 2024, 2025):
        for root in _roots(D(year, 12, 31)):
            data = build_form(6, root, year=year)
            got = _rows(data)
            report = assessment(root, year)
            want = plain_form6(plain, root.pk, year)
            for group in ("organizations", "subordinate_cells", "members"):
                values = got[group]
                assert values["rated"] == want[(group, "rated")] == report[group]["rated"], (root.code, year, group)
                assert values["not_rated"] == want[(group, "not_rated")] == report[group]["not_rated"]
                assert values["total"] == values["rated"] + values["not_rated"]
                for key in R.COMMON_KEYS:
                    assert values[key] == want[(group, key)] == report[group]["by_rating"][key], (root.code, group, key)
                    assert values[f"{key}_percent"] == (round(values[key] * 100 / values["rated"], 1)
                                                        if values["rated"] else None)  # blank, not 0,0%, when none rated
                    if values["rated"]:
                        assert values[f"{key}_percent"] == report[group]["percent"][key]
                rated += values["rated"]
                subs = (("not_rated_exempted", "not_completed_disciplined") if group == "members"
                        else ("not_rated_new",))
                for key in subs:
                    assert values[key] == want[(group, key)], (root.code, year, group, key)
                    details[key] += values[key]
                    if values[key]:  # drilled down to as many names
                        target = cell_drill(FORMS[6], data, next(r for r in data["rows"] if r["key"] == group), key)
                        assert assessment_figure(root, year, target["group"], target["figure"]).count() == values[key]
                assert values["not_rated_new" if group == "members" else "not_rated_exempted"] is None
                assert values["not_completed_degradation"] is values["not_completed_other"] is None  # not recorded
            assert got["members"]["not_rated_exempted"] <= got["members"]["not_rated"]
            assert got["members"]["not_completed_disciplined"] <= got["members"]["not_completed"]
    assert rated > 100
    assert details["not_rated_exempted"] > 0  # the demo exempts members: the sub-column counted something


def test_demo_form_6_splits_the_grassroots_organizations_into_committees_and_cells(demo_db):
    plain = Plain()
    for year in (2021, 2024):
        end = D(year, 12, 31)
        kind_on = {p["organization_id"]: p["kind"] for p in plain.org_periods if Plain._on(p, end)}
        ratings = list(Rating.objects.filter(year=year, organization__isnull=False).values("organization_id",
                                                                                           "rated_in_id", "key"))
        for root in _roots(end):
            got = _rows(build_form(6, root, year=year))
            ids = plain.subtree(root.pk, end)
            for key, kind in (("grassroots_committees", OrganizationKind.GRASSROOTS_COMMITTEE),
                              ("grassroots_cells", OrganizationKind.GRASSROOTS_CELL)):
                rated = [r for r in ratings if r["rated_in_id"] in ids and kind_on.get(r["organization_id"]) == kind]
                present = [o for o in ids if kind_on.get(o) == kind]
                assert got[key]["rated"] == len(rated), (root.code, year, key)
                assert got[key]["total"] == len(present), (root.code, year, key)
                for level in R.COMMON_KEYS:
                    assert got[key][level] == sum(r["key"] == level for r in rated), (root.code, year, key, level)
            for column in ("total", "rated", "not_rated", "not_rated_new", *R.COMMON_KEYS):
                assert got["grassroots_committees"][column] + got["grassroots_cells"][column] == (
                    got["organizations"][column]), (root.code, year, column)
            assert got["partial_committees"]["total"] == 0  # the demo has no đảng bộ bộ phận


def _drilled(number, root, **dates):
    """Each count of a form (ratios and blanks left out) with its list of names, or None when not linked."""
    spec = FORMS[number]
    data = build_form(number, root, **dates)
    ratios = {c["key"] for c in data["columns"] if c.get("ratio")}
    for row in data["rows"]:
        for column, value in row["values"].items():
            if column in ratios or value is None:
                continue
            target = cell_drill(spec, data, row, column)
            if target is None:
                yield row, column, value, None
                continue
            params = {k: (D.fromisoformat(v) if k in ("as_of", "from", "to") else v) for k, v in target.items()}
            yield row, column, value, figure_rows(root, target["source"], params)[0]


def test_demo_every_count_of_form_2_lists_as_many_admitted(demo_db):
    checked = 0
    for year in (2020, 2024):
        for root in _roots(D(year, 12, 31)):
            for row, column, value, rows in _drilled(2, root, date_from=D(year, 1, 1), date_to=D(year, 12, 31)):
                assert rows is not None, (root.code, year, row["key"], column)
                assert rows.count() == value, (root.code, year, row["key"], column)
                checked += value > 0
    assert checked > 100


def test_demo_every_count_of_form_4_lists_as_many_members(demo_db):
    checked = 0
    for day in (D(2018, 12, 31), D(2025, 12, 31)):
        for root in _roots(day):
            for row, column, value, rows in _drilled(4, root, as_of=day):
                assert rows is not None, (root.code, day, row["key"], column)
                assert rows.count() == value, (root.code, day, row["key"], column)
                checked += value > 0
    assert checked > 50


def test_demo_the_lists_of_form_2_and_4_hold_the_members_of_their_row(demo_db):
    day = D(2025, 12, 31)
    root = Organization.objects.get(code=PROVINCE)
    cells = {(row["key"], column): rows for row, column, _v, rows in _drilled(4, root, as_of=day)}
    religion = next(name for name, _keys in config.religions() if cells[(f"religion_{fold_key(name)}", "members")])
    listed = cells[(f"religion_{fold_key(religion)}", "female")]
    assert listed.count() > 0
    for r in listed:
        m = Member.objects.get(pk=r["subject_id"])
        assert m.sex == "F" and fold_key(m.religion) in dict(config.religions())[religion]
    cells = {(row["key"], column): (row, rows) for row, column, _v, rows
             in _drilled(2, root, date_from=D(2024, 1, 1), date_to=D(2024, 12, 31))}
    row, listed = next(cell for (key, column), cell in cells.items() if key.startswith("occupation:")
                       and column == "current")
    assert listed.count() > 0 and {Member.objects.get(pk=r["subject_id"]).occupation.strip() for r in listed} == {
        row["label"]}
    _row, listed = cells[("age_18-30", "current")]
    births = dict(Member.objects.filter(pk__in=[r["subject_id"] for r in listed]).values_list("pk", "birth_date"))
    assert listed.count() > 0 and all(18 <= _years(births[r["subject_id"]], r["decided"]) <= 30 for r in listed)


def test_demo_the_pdf_of_a_form_of_one_page_on_paper_is_one_page(demo_db):
    from pypdf import PdfReader

    from dangvu.reports.statforms import pdf as form_pdf

    district = Organization.objects.get(code=DISTRICT)
    for number, spec in FORMS.items():
        data = build_form(number, district, date_from=D(2024, 1, 1), date_to=D(2024, 12, 31), as_of=D(2024, 12, 31),
                          year=2024)
        pages = len(PdfReader(io.BytesIO(form_pdf.render(data))).pages)
        if spec.pages == 1:
            assert pages == 1, number
        else:
            assert pages > 1, number  # forms 2 and 4: their header rows repeated on each page
