"""Query counts pinned for every list page, report page and API list, at two scope sizes: the count
must not grow with the data in scope (no query per row, per member or per organization) and stays
under its pin. A new list route of the scope matrix must be pinned here too.

Sizes: the commune X01 with one cell and a few records, then with four more cells, each with
members (official, on probation, due a badge), a candidate, a transfer and a discipline case.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dangvu.core.audit import audit_context

from .test_scope_matrix import API, LIST_ROUTES

D = dt.date
TODAY_FLOWS = {"from": "01/01/2000", "to": "31/12/2030"}

#: Web page → (URL kwargs, query, most queries allowed: the count seen on SQLite plus 3).
WEB = {
    "dashboard": ({}, {}, 31),  # PostgreSQL: the trends read the subtree as an array first
    "reports:dashboard": ({}, {}, 31),
    "organizations:tree": ({}, {}, 12),
    "organizations:picker": ({}, {"q": "chi bo"}, 8),
    "members:list": ({}, {}, 12),
    "members:export": ({}, {}, 10),
    "members:create": ({}, {}, 8),
    "lifecycle:todo": ({}, {}, 29),
    "lifecycle:todo_list": ({"key": "cards"}, {}, 12),
    "lifecycle:rules": ({}, {}, 6),
    "assessment:cycles": ({}, {"year": "2024"}, 10),
    "assessment:progress": ({}, {"year": "2024"}, 14),
    "reports:badges": ({}, {}, 11),
    "reports:assessment": ({}, {"year": "2024"}, 18),
    "reports:assessment_list": ({}, {"year": "2024", "group": "members", "figure": "rated"}, 12),
    "reports:excellent_streak": ({}, {"year": "2024", "years": "1"}, 18),
    "admission:candidates": ({}, {}, 13),
    "admission:candidate_create": ({}, {}, 8),
    "lifecycle:document_badges": ("badge_day", {}, 12),
    "reports:snapshot": ({}, {}, 11),
    "reports:flows": ({}, TODAY_FLOWS, 11),
    "reports:profile": ({}, {}, 13),
    "reports:checks": ({}, {}, 25),
    "reports:summary": ({}, {"year": "2024"}, 21),
    # forms of a period: the flows and their splits, this period and last year's (PostgreSQL reads the subtree's
    # organizations before each of the four: SQLite's count plus 5)
    "reports:form": ({"number": 1}, TODAY_FLOWS, 18),
    # comparison: the sub-units of X01 (the snapshot grouped by sub-unit in one statement, whatever their number)
    "reports:compare": ({}, {"report": "snapshot", "mode": "subunits"}, 14),
    "reports:figure_list": ({}, {"source": "profile", "breakdown": "by_sex", "key": "male"}, 14),
    "imports:upload": ({}, {}, 6),
    "imports:template": ({}, {}, 5),
    "accounts:me": ({}, {}, 7),
    "reports:exports": ({}, {}, 11),
    "reports:exports_notice": ({}, {}, 5),
}
#: Further pages of the same routes: exports, drill-downs, the tabs of an organization. A download counts the
#: members of the organization first (one query, stopped at the threshold: `reports.jobs.is_large`).
WEB_MORE = [
    ("reports:snapshot", {}, {"format": "xlsx"}, 10),
    ("reports:flows", {}, {**TODAY_FLOWS, "format": "xlsx"}, 10),
    ("reports:flows", {}, {**TODAY_FLOWS, "list": "admitted"}, 15),
    ("reports:badges", {}, {"format": "xlsx"}, 10),
    ("reports:profile", {}, {"format": "xlsx"}, 13),
    ("reports:checks", {}, {"format": "xlsx"}, 26),  # the assessment's warnings: exempted and suspended rated
    ("reports:summary", {}, {"format": "docx"}, 16),
    ("reports:form", {"number": 5}, {}, 14),
    ("reports:form", {"number": 7}, TODAY_FLOWS, 18),
    ("reports:form", {"number": 1}, {**TODAY_FLOWS, "format": "xlsx"}, 18),
    ("reports:form", {"number": 5}, {"format": "xlsx"}, 14),
    ("reports:form", {"number": 5}, {"format": "pdf"}, 14),
    ("reports:form", {"number": 2}, TODAY_FLOWS, 18),
    ("reports:form", {"number": 4}, {}, 14),
    ("reports:form", {"number": 6}, {"year": "2024"}, 23),
    ("reports:form", {"number": 6}, {"year": "2024", "format": "xlsx"}, 24),
    ("reports:exports", {}, {"partial": "1"}, 9),
    ("reports:assessment", {}, {"year": "2024", "format": "xlsx"}, 18),
    *[("reports:assessment_list", {}, {"year": "2024", "group": g, "figure": f, **extra}, 12)
      for g, f in (("members", "not_rated"), ("subordinate_cells", "excellent"), ("organizations", "rated"))
      for extra in ({}, {"format": "xlsx"})],
    ("reports:excellent_streak", {}, {"year": "2024", "years": "1", "format": "xlsx"}, 13),
    ("reports:compare", {}, {"report": "profile", "mode": "subunits", "sort": "by_sex.female", "share": "1"}, 15),
    ("reports:compare", {}, {"report": "profile", "mode": "subunits", "format": "xlsx"}, 14),
    # two reports: forms of a period are two builds, each reading the subtree 4 times more on PostgreSQL (+9)
    *[("reports:compare", {}, {"report": r, "mode": "periods", **extra}, pin - (1 if extra else 0))
      for r, pin in (("snapshot", 13), ("profile", 15), ("form-1", 27), ("form-5", 17), ("form-7", 27))
      for extra in ({}, {"format": "xlsx"})],
    # (a statistics form by sub-unit is built once per sub-unit: O(sub-units), pinned in tests/test_compare.py)
    *[("reports:figure_list", {}, {**q, **extra}, 15 if extra else 14) for q in (
        {"source": "snapshot", "figure": "members.female"}, {"source": "profile", "breakdown": "by_party_age_band",
                                                             "key": "<10"},
        {"source": "period", **TODAY_FLOWS, "figure": "admitted,transferred_in,restored"},
        {"source": "period", **TODAY_FLOWS, "figure": "transferred_out_other_province"},
        {"source": "period", **TODAY_FLOWS, "figure": "temporary_out,temporary_in"},
        {"source": "period", **TODAY_FLOWS, "figure": "members_end"},
        {"source": "unit_kind", "unit_kinds": "xa", "column": "members"},
        {"source": "unit_kind", "unit_kinds": "xa", "column": "grassroots"}) for extra in ({}, {"format": "xlsx"})],
    ("members:list", {}, {"search": "nguyen"}, 12),
    ("members:list", {}, {"status": "all", "sort": "-admitted_on"}, 12),
    *[("lifecycle:todo_list", {"key": key}, query, 12)
      for key in ("cards", "probations", "badges", "candidates", "assessment") for query in ({}, {"format": "xlsx"})],
    *[("organizations:detail", {"code": "X01"}, {"tab": tab}, 16)
      for tab in ("children", "members", "history", "ratings", "audit")],
]
#: API list → (query, most queries allowed).
API_LISTS = {
    "/api/organizations/": ({}, 8),
    "/api/members/": ({}, 9),
    "/api/candidates/": ({}, 8),
    "/api/lifecycle/transfers/": ({}, 8),
    "/api/lifecycle/todo/": ({}, 25),
    "/api/reports/badges/": ({"org": "X01", "award_date": "2026-02-03"}, 6),
    "/api/reports/assessment/": ({"org": "X01", "year": "2024"}, 12),
    "/api/reports/excellent-streak/": ({"org": "X01", "year": "2024", "years": "1"}, 7),
    "/api/assessment/cycles/": ({}, 8),
    "/api/reports/snapshot/": ({"org": "X01"}, 6),
    "/api/reports/flows/": ({"org": "X01", "from": "2000-01-01", "to": "2030-12-31"}, 6),
    "/api/reports/profile/": ({"org": "X01"}, 7),
    "/api/reports/checks/": ({"org": "X01"}, 19),
    "/api/reports/summary/": ({"org": "X01", "year": "2024"}, 15),
    "/api/reports/forms/1/": ({"org": "X01", "from": "2000-01-01", "to": "2030-12-31"}, 12),
    "/api/reports/forms/2/": ({"org": "X01", "from": "2000-01-01", "to": "2030-12-31"}, 12),
    "/api/reports/forms/4/": ({"org": "X01"}, 8),
    "/api/reports/forms/5/": ({"org": "X01"}, 8),
    "/api/reports/forms/6/": ({"org": "X01", "year": "2024"}, 17),
    "/api/reports/forms/7/": ({"org": "X01", "from": "2000-01-01", "to": "2030-12-31"}, 12),
    "/api/reports/compare/": ({"org": "X01", "report": "profile", "mode": "subunits"}, 9),
}


#: List routes that read no list: the valid sample is a fixed workbook placed under the user's organization;
#: the pages of the second factor read the user's own devices.
UNLISTED = {"imports:sample", "accounts:otp_verify", "accounts:otp_enrol"}


def test_every_list_route_of_the_scope_matrix_is_pinned():
    assert set(LIST_ROUTES) == set(WEB) | UNLISTED
    assert {op.split(" ", 1)[1] for op, kind in API.items() if kind == "list"} == set(API_LISTS)


_codes = itertools.count(1)


def _grow(tree, make_member, cells: int) -> None:
    """Add `cells` cells under X01, each with members, a candidate, a transfer and a discipline case."""
    from dangvu.admission.services import candidate_propose
    from dangvu.assessment.services import record_rating
    from dangvu.lifecycle import services, transfers
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    today = timezone.localdate()
    with audit_context(source="system"):
        for _ in range(cells):
            n = next(_codes)
            cell = organization_establish(code=f"Q{n:02d}", name=f"Chi bộ thôn {n}", kind=K.SUBORDINATE_CELL,
                                          parent=tree["X01"], established_on=D(2012, 1, 1))
            official = make_member(cell, name=f"Nguyễn Văn Một {n}", made_official_on=D(2016, 5, 19))
            make_member(cell, name=f"Nguyễn Thị Hai {n}", admitted_on=today - dt.timedelta(days=330))
            make_member(cell, name=f"Lò Văn Ba {n}", admitted_on=D(1975, 5, 19), made_official_on=D(1976, 5, 19), placed_on=D(2012, 1, 1),
                        birth_date=D(1950, 1, 1))
            leaving = make_member(cell, name=f"Lò Thị Bốn {n}", made_official_on=D(2016, 5, 19),
                                  card_number="")
            transfers.transfer_issue(leaving, kind="official", issued_on=today - dt.timedelta(days=3),
                                     destination="Đảng bộ tỉnh khác", letter_number=f"{n}-GGT")
            services.open_discipline_case(official, opened_on=today - dt.timedelta(days=5), authority="UBKT",
                                          violation="Vi phạm")
            record_rating(year=2024, label="HTTNV", member=official)
            record_rating(year=2024, label="HTXSNV", organization=cell)
            candidate_propose(cell=cell, proposed_on=today - dt.timedelta(days=20), full_name=f"Vì Thị Năm {n}",
                              birth_date=D(2000, 3, 15), sex="F", ethnicity="Thái")


def _count(request) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = request()
    assert response.status_code == 200, response
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return len(ctx)


@pytest.mark.django_db
def test_list_pages_reports_and_api_lists_do_not_grow_with_the_scope(tree, make_member, make_user, client, settings,
                                                                        tmp_path):
    from dangvu.assessment.services import cycle_open
    from dangvu.lifecycle.todo import next_award_date

    settings.MEDIA_ROOT = tmp_path / "media"
    with audit_context(source="system"):  # this year's assessment, open: on the to-do page
        cycle_open(organization=tree["X01"], year=timezone.localdate().year, opened_on=timezone.localdate())
    user = make_user("bantochuc", tree["X01"], "organizer")
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    badge_day = {"day": f"{next_award_date(timezone.localdate()):%d-%m-%Y}", "fmt": "docx"}
    requests = {}
    for name, (kwargs, query, pin) in WEB.items():
        url = reverse(name, kwargs=badge_day if kwargs == "badge_day" else kwargs)
        requests[(name, str(query))] = (functools.partial(client.get, url, query), pin)
    for name, kwargs, query, pin in WEB_MORE:
        requests[(name, str(kwargs), str(query))] = (functools.partial(client.get, reverse(name, kwargs=kwargs), query),
                                                     pin)
    for path, (query, pin) in API_LISTS.items():
        requests[(path, str(query))] = (functools.partial(api.get, path, query), pin)

    _grow(tree, make_member, 1)
    for request, _pin in requests.values():  # warm the caches (content types, the user's assignments)
        request()
    small = {key: _count(request) for key, (request, _pin) in requests.items()}
    _grow(tree, make_member, 4)
    large = {key: _count(request) for key, (request, _pin) in requests.items()}
    grew = {key: (small[key], large[key]) for key in requests if large[key] != small[key]}
    over = {key: (large[key], pin) for key, (_request, pin) in requests.items() if large[key] > pin}
    assert grew == {} and over == {}
