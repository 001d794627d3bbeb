"""The scope matrix (ADR 0005): every route of the site and of the API, asked by users of one commune
about the records of another, answers 404 — and no list, export, drill-down or report of the first
commune holds anything of the second.

Two communes under the district H01: A = X01 (cell C01; the users' scope) and B = XB9 (cell CB9)
with members, a probation ending, a badge due, a transfer in transit, an open discipline case, a
candidate and an upload. Every URL pattern of the resolver and every operation of the OpenAPI
schema must have an entry below: a new route fails `test_every_route_is_in_the_matrix` until it
is added, with the records it takes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.views import APIView

from dangvu.core.audit import audit_context

D = dt.date
ROLES = ("admin", "organizer", "secretary", "inspector", "viewer")
#: Text of commune B that no answer to a user of commune A may contain.
B_MARKERS = ("BB000", "XB9", "CB9", "Bên Kia", "Vì Thị Cê", "Quàng Thị Bê", "Cầm Văn Bình", "Lường Văn Bảy")

# --- The matrix ----------------------------------------------------------------------------------

#: Routes anyone may open (no login).
PUBLIC = {"login", "accounts:login", "set_language", "javascript-catalog", "api-token", "POST /api/token/"}
#: The API's schema and its docs pages: any login, no records (anonymous: 401/403, or the login page).
API_DOCS = {"api-schema", "api-docs", "api-redoc"}
#: Routes that log out (asked last, apart).
LOGOUT = {"logout", "accounts:logout"}

#: Web routes about one record of commune B: each set of URL kwargs must answer 404 to GET and POST
#: (or 405 to a method the route never takes, refused before any lookup, whatever the record).
OBJECT_ROUTES = {
    **{name: lambda w: [{"code": w["org"].code}, {"code": w["cell"].code}]
       for name in ("organizations:detail", "organizations:establish", "organizations:rename", "organizations:move",
                    "organizations:change_kind", "organizations:dissolve", "organizations:merge",
                    "organizations:split", "organizations:picker_children")},
    "members:detail": lambda w: [{"code": m.code} for m in w["members"]],
    "members:edit": lambda w: [{"code": w["member"].code}],
    "members:event_cancel": lambda w: [{"code": e.member.code, "pk": e.pk} for e in w["events"].values()],
    "lifecycle:member_action": lambda w: [{"code": m.code, "action": a} for m in w["members"] for a in _actions()],
    "lifecycle:transfer_receive": lambda w: [{"pk": w["transfer"].pk}],
    "lifecycle:document_sheet": lambda w: [{"code": w["member"].code, "fmt": f} for f in ("docx", "pdf")],
    "lifecycle:document_event": lambda w: [{"pk": e.pk, "kind": k, "fmt": f}
                                           for k, e in w["events"].items() for f in ("docx", "pdf")],
    "admission:candidate": lambda w: [{"pk": w["candidate"].pk}],
    "admission:candidate_step": lambda w: [{"pk": w["candidate"].pk, "step": s} for s in _steps()],
    "imports:preview": lambda w: [{"upload_id": w["upload"]}],
    "imports:confirm": lambda w: [{"upload_id": w["upload"]}],
    "imports:progress": lambda w: [{"upload_id": w["upload"]}],
    "imports:cancel": lambda w: [{"upload_id": w["upload"]}],
    "assessment:cycle": lambda w: [{"pk": w["cycle"].pk}],
    "assessment:organizations": lambda w: [{"pk": w["cycle"].pk}],
    # an export of commune B's user, and one of another user of commune A (a job is its user's alone)
    **{name: lambda w: [{"job_id": j.pk} for j in w["exports"]] for name in ("reports:export_download",
                                                                            "reports:export_delete")},
    "assessment:sheet": lambda w: [{"year": 2024, "code": w["cell"].code}, {"year": 2024, "code": w["org"].code}],
}

#: Web lists, exports, forms, drill-downs and reports of commune A: (URL kwargs, query) → each must answer
#: one of the statuses and hold nothing of B. An `org` of B in the query answers 404.
LIST_ROUTES = {
    "dashboard": lambda w: [({}, {})],
    "reports:dashboard": lambda w: [({}, {})],
    "organizations:tree": lambda w: [({}, {}), ({}, {"as_of": "01/01/2020"}), ({}, {"under": "X01"})],
    "organizations:picker": lambda w: [({}, {}), ({}, {"q": "Bên Kia"}), ({}, {"q": "XB9"}), ({}, {"q": "chi bo"})],
    "members:list": lambda w: [({}, {}), ({}, {"search": "BB0001"}), ({}, {"search": "Bê"}), ({}, {"org": "XB9"}),
                               ({}, {"cell": "CB9"}), ({}, {"status": "transferred_out"}), ({}, {"status": "all"})],
    "members:export": lambda w: [({}, {}), ({}, {"org": "XB9"}), ({}, {"search": "BB0001"}), ({}, {"status": "all"})],
    "members:create": lambda w: [({}, {})],
    "lifecycle:todo": lambda w: [({}, {})],
    "lifecycle:todo_list": lambda w: [({"key": k}, q) for k in ("candidates", "transfers", "discipline_cases", "probations",
                                                                 "assessment", "badges", "cards")
                                      for q in ({}, {"format": "xlsx"})],
    "admission:candidates": lambda w: [({}, {}), ({}, {"q": "Cê"})],
    "admission:candidate_create": lambda w: [({}, {})],
    "lifecycle:document_badges": lambda w: [({"day": f"{w['award']:%d-%m-%Y}", "fmt": "docx"}, {})],
    "reports:snapshot": lambda w: [({}, {}), ({}, {"format": "xlsx"}), ({}, {"format": "json"})],
    "reports:flows": lambda w: [({}, {"from": "01/01/2000", "to": f"{w['today']:%d/%m/%Y}", **extra})
                                for extra in ({}, {"format": "xlsx"}, {"format": "json"}, {"list": "admitted"},
                                              {"list": "transferred_out"})],
    "reports:badges": lambda w: [({}, {"award_date": f"{w['award']:%d/%m/%Y}", **extra})
                                 for extra in ({}, {"format": "xlsx"}, {"format": "json"})],
    "reports:assessment": lambda w: [({}, {"year": "2024", **extra}) for extra in ({}, {"format": "xlsx"},
                                                                                   {"format": "json"})],
    **{f"reports:{name}": lambda w: [({}, {"as_of": f"{w['today']:%d/%m/%Y}", **extra})
                                     for extra in ({}, {"format": "xlsx"}, {"format": "json"})]
       for name in ("profile", "checks")},
    "reports:summary": lambda w: [({}, {"as_of": f"{w['today']:%d/%m/%Y}", **extra})
                                  for extra in ({}, {"year": "2024"}, {"format": "json", "year": "2024"},
                                                {"format": "docx"})],
    "reports:form": lambda w: [({"number": n}, {**dates, **extra}) for n, dates in (
        (1, {"from": "01/01/2000", "to": f"{w['today']:%d/%m/%Y}"}), (2, {"from": "01/01/2000"}), (4, {}), (5, {}),
        (6, {"year": "2024"}), (6, {}), (7, {"from": "01/01/2000"}))
        for extra in ({}, {"format": "xlsx"}, {"format": "json"}, {"format": "pdf"})],
    "reports:assessment_list": lambda w: [
        ({}, {"year": "2024", "group": g, "figure": f, **extra}) for g in ("organizations", "subordinate_cells", "members")
        for f in ("rated", "excellent", "not_rated") for extra in ({}, {"format": "xlsx"})],
    "reports:excellent_streak": lambda w: [({}, {"year": "2024", "years": n, **extra}) for n in ("1", "5")
                                           for extra in ({}, {"format": "xlsx"}, {"format": "json"})],
    "reports:exports": lambda w: [({}, {}), ({}, {"partial": "1"})],
    "reports:exports_notice": lambda w: [({}, {})],
    "reports:compare": lambda w: [({}, {"report": r, "mode": m, **extra})
                                  for r in ("snapshot", "profile", "form-1", "form-5", "form-7")
                                  for m in ("periods", "subunits") for extra in ({}, {"format": "xlsx"}, {"format": "json"})]
    + [({}, {"report": "snapshot", "mode": "subunits", "sort": "members.female", "share": "1"}),
       ({}, {"report": "form-1", "mode": "periods", "from_a": "01/01/2000", "to_a": "31/12/2023", "from_b": "01/01/2024",
             "to_b": f"{w['today']:%d/%m/%Y}"})],
    "reports:figure_list": lambda w: [({}, {**q, **extra}) for q in (
        {"source": "profile", "breakdown": "total"}, {"source": "profile", "breakdown": "by_sex", "key": "female"},
        {"source": "snapshot", "figure": "members.total"}, {"source": "snapshot", "figure": "organizations.subordinate_cells"},
        {"source": "period", "from": "2000-01-01", "figure": "admitted,transferred_in,transferred_out"},
        {"source": "period", "from": "2000-01-01", "figure": "members_end"},
        {"source": "period", "from": "2000-01-01", "figure": "temporary_out,temporary_in"},
        {"source": "period", "from": "2000-01-01", "figure": "transferred_out_same_province"},
        {"source": "unit_kind", "unit_kinds": "xa,", "column": "members"},
        {"source": "unit_kind", "unit_kinds": "xa,", "column": "grassroots"}) for extra in ({}, {"format": "xlsx"})],
    "lifecycle:rules": lambda w: [({}, {})],
    "assessment:cycles": lambda w: [({}, {}), ({}, {"year": "2024"})],
    "assessment:progress": lambda w: [({}, {}), ({}, {"year": "2024"})],
    "imports:upload": lambda w: [({}, {})],
    "imports:template": lambda w: [({}, {})],
    "imports:sample": lambda w: [({}, {})],
    "accounts:me": lambda w: [({}, {})],
    "accounts:otp_verify": lambda w: [({}, {})],
    "accounts:otp_enrol": lambda w: [({}, {})],
}
#: Drill-downs into commune A's own records (organization page tabs): nothing of B either.
A_DRILL_DOWNS = [("organizations:detail", {"code": "X01"}, {"tab": t})
                 for t in ("children", "members", "history", "ratings", "audit")] + [
                ("members:detail", {"code": "AA0001"}, {"tab": "ratings"})]
#: Pages whose organization comes from the query string: an organization of B answers 404 ((name, query) or
#: (name, URL kwargs, query)).
ORG_IN_QUERY = [("reports:snapshot", {"org": "XB9"}), ("reports:flows", {"org": "XB9"}), ("reports:badges", {"org": "XB9"}),
                ("reports:assessment", {"org": "XB9", "year": "2024"}), ("reports:profile", {"org": "XB9"}),
                ("reports:checks", {"org": "CB9", "format": "xlsx"}), ("reports:summary", {"org": "XB9", "format": "docx"}),
                ("reports:assessment", {"org": "XB9", "year": "2024"}),
                ("reports:assessment_list", {"org": "XB9", "year": "2024", "group": "members", "figure": "rated"}),
                ("reports:excellent_streak", {"org": "XB9", "year": "2024", "years": "1"}),
                ("reports:snapshot", {"org": "CB9", "format": "xlsx"}), ("admission:candidates", {"org": "CB9"}),
                ("organizations:tree", {"under": "XB9"}),
                *[("reports:form", {"number": n}, {"org": code, **extra}) for n, extra in (
                    (1, {}), (2, {"from": "01/01/2000"}), (4, {"format": "xlsx"}), (5, {}), (6, {"year": "2024"}),
                    (6, {"format": "json"}), (7, {})) for code in ("XB9", "CB9")],
                ("reports:figure_list", {"org": "XB9", "source": "profile", "breakdown": "total"}),
                ("reports:figure_list", {"org": "H01", "source": "period", "figure": "admitted", "format": "xlsx"}),
                ("reports:figure_list", {"org": "CB9", "source": "snapshot", "figure": "members.total"}),
                ("reports:compare", {"org": "XB9"}), ("reports:compare", {"org": "H01", "mode": "subunits"}),
                ("reports:compare", {"org": "H01", "mode": "subunits", "report": "profile", "format": "xlsx"}),
                ("reports:compare", {"org": "XB9", "mode": "periods", "report": "form-1", "format": "json"})]

#: API operations (from the OpenAPI schema): "list" (nothing of B), "create" (a body naming B's
#: organization is refused, nothing written), "public", or the record of B put in the path (404).
API = {
    "GET /api/organizations/": "list", "POST /api/organizations/": "create",
    **{f"{m} /api/organizations/{{code}}/{tail}": "org" for m, tail in (
        ("GET", ""), ("PATCH", ""), ("POST", "change-kind/"), ("POST", "dissolve/"), ("GET", "events/"),
        ("POST", "merge/"), ("POST", "move/"), ("POST", "rename/"), ("GET", "tree/"))},
    "GET /api/members/": "list", "POST /api/members/": "create",
    "GET /api/members/{code}/": "member", "PATCH /api/members/{code}/": "member",
    "GET /api/members/{code}/events/": "member",
    "POST /api/lifecycle/members/{code}/events/{event_id}/cancel/": "event",
    **{f"POST /api/lifecycle/members/{{code}}/{a}/": "member" for a in (
        "badge", "card", "close-discipline-case", "death", "discipline", "end-exemption", "exempt",
        "lift-suspension", "open-discipline-case", "recognize", "remove", "resign", "restore", "suspend", "transfer",
        "transfer-in")},
    "GET /api/lifecycle/members/{code}/party-age/": "member",
    "GET /api/lifecycle/members/{code}/actions/": "member",
    "GET /api/lifecycle/todo/": "list",
    "GET /api/lifecycle/transfers/": "list", "GET /api/lifecycle/transfers/{id}/": "transfer",
    "POST /api/lifecycle/transfers/{id}/receive/": "transfer",
    "GET /api/candidates/": "list", "POST /api/candidates/": "create",
    "GET /api/candidates/{id}/": "candidate", "GET /api/candidates/{id}/steps/": "candidate",
    "GET /api/candidates/{id}/documents/": "candidate", "POST /api/candidates/{id}/documents/": "candidate",
    **{f"POST /api/candidates/{{id}}/{s}/": "candidate" for s in (
        "assign", "awareness-course", "background-check", "cell-vote", "ceremony", "close", "comments",
        "committee-vote", "complete-dossier", "decision", "introducers", "reject", "sympathizer")},
    "GET /api/reports/snapshot/": "list", "GET /api/reports/flows/": "list", "GET /api/reports/badges/": "list",
    "GET /api/reports/assessment/": "list", "GET /api/reports/profile/": "list", "GET /api/reports/checks/": "list",
    "GET /api/reports/summary/": "list",
    **{f"GET /api/reports/forms/{n}/": "list" for n in (1, 2, 4, 5, 6, 7)},
    "GET /api/reports/excellent-streak/": "list",
    "GET /api/reports/compare/": "list",
    "GET /api/assessment/cycles/": "list", "POST /api/assessment/cycles/": "create",
    **{f"{m} /api/assessment/cycles/{{id}}/{tail}": "cycle" for m, tail in (
        ("GET", ""), ("POST", "self-assessment/"), ("POST", "cell-review/"), ("POST", "cell-reviews/"),
        ("POST", "residence-comment/"),
        ("POST", "decide/"))},
    "POST /api/token/": "public",
}
#: Queries of the API lists (commune A's), and the bodies of the creations naming commune B.
API_LIST_QUERIES = {
    "/api/organizations/": [{}, {"search": "Bên Kia"}, {"page_size": 500}],
    "/api/members/": [{}, {"search": "BB0001"}, {"page_size": 500}],
    "/api/candidates/": [{}, {"search": "Cê"}],
    "/api/lifecycle/todo/": [{}],
    "/api/lifecycle/transfers/": [{}],
    "/api/reports/snapshot/": [{"org": "X01"}],
    "/api/reports/flows/": [{"org": "X01", "from": "2000-01-01", "to": "2030-12-31"}],
    "/api/reports/badges/": [{"org": "X01", "award_date": "2026-02-03"}],
    "/api/reports/assessment/": [{"org": "X01", "year": "2024"}],
    "/api/reports/profile/": [{"org": "X01"}],
    "/api/reports/checks/": [{"org": "X01"}],
    "/api/reports/summary/": [{"org": "X01", "year": "2024"}],
    "/api/reports/forms/1/": [{"org": "X01", "from": "2000-01-01", "to": "2030-12-31"}],
    "/api/reports/forms/2/": [{"org": "X01", "from": "2000-01-01", "to": "2030-12-31"}],
    "/api/reports/forms/4/": [{"org": "X01"}],
    "/api/reports/forms/5/": [{"org": "X01"}],
    "/api/reports/forms/6/": [{"org": "X01", "year": "2024"}, {"org": "X01"}],
    "/api/reports/forms/7/": [{"org": "X01", "from": "2000-01-01"}],
    "/api/reports/excellent-streak/": [{"org": "X01", "year": "2024", "years": "1"}],
    "/api/reports/compare/": [{"org": "X01", "report": r, "mode": m} for r in ("snapshot", "profile", "form-1", "form-5")
                              for m in ("periods", "subunits")],
    "/api/assessment/cycles/": [{}],
}
API_ORG_IN_QUERY = [("/api/reports/snapshot/", {"org": "XB9"}),
                    ("/api/reports/flows/", {"org": "XB9", "from": "2000-01-01", "to": "2030-12-31"}),
                    ("/api/reports/badges/", {"org": "XB9", "award_date": "2026-02-03"}),
                    ("/api/reports/assessment/", {"org": "XB9", "year": "2024"}),
                    ("/api/reports/profile/", {"org": "XB9"}), ("/api/reports/checks/", {"org": "CB9"}),
                    ("/api/reports/summary/", {"org": "XB9", "year": "2024"}),
                    ("/api/reports/forms/1/", {"org": "XB9", "from": "2000-01-01", "to": "2030-12-31"}),
                    ("/api/reports/forms/2/", {"org": "XB9", "from": "2000-01-01", "to": "2030-12-31"}),
                    ("/api/reports/forms/4/", {"org": "XB9"}),
                    ("/api/reports/forms/5/", {"org": "XB9"}),
                    ("/api/reports/forms/6/", {"org": "XB9", "year": "2024"}),
                    ("/api/reports/excellent-streak/", {"org": "XB9", "year": "2024", "years": "1"}),
                    ("/api/reports/compare/", {"org": "XB9"}),
                    ("/api/reports/compare/", {"org": "H01", "mode": "subunits"})]
API_CREATE_BODIES = {
    "/api/organizations/": {"code": "NEW1", "name": "Chi bộ mới", "kind": "subordinate_cell", "parent": "XB9"},
    "/api/members/": {"code": "NEW1", "full_name": "Người Mới", "birth_date": "1990-01-01", "sex": "M",
                      "ethnicity": "Kinh", "admitted_on": "2020-01-01", "cell": "CB9"},
    "/api/candidates/": {"cell": "CB9", "proposed_on": "2024-01-10", "full_name": "Người Mới",
                         "birth_date": "2000-01-01", "sex": "M", "ethnicity": "Kinh"},
    "/api/assessment/cycles/": {"organization": "XB9", "year": 2025, "opened_on": "2025-11-01"},
}
API_OBJECT_PATH = {"org": lambda w: w["org"].code, "member": lambda w: w["member"].code,
                   "event": lambda w: (w["member"].code, w["events"]["recognition"].pk),
                   "candidate": lambda w: w["candidate"].pk, "transfer": lambda w: w["transfer"].pk,
                   "cycle": lambda w: w["cycle"].pk}


def _fill(path: str, values) -> str:
    """`path` with its parameters ({code}, {id}, …) replaced in order by `values` (one value: every one)."""
    parts = iter(values if isinstance(values, tuple) else ())
    return re.sub(r"\{\w+\}", lambda _m: str(next(parts, values)), path)


def _actions():
    from dangvu.lifecycle.views import ACTIONS

    return list(ACTIONS)


def _steps():
    from dangvu.admission.views import STEPS

    return list(STEPS)


# --- Enumerating the routes ------------------------------------------------------------------------


def _patterns(patterns=None, prefix="", namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name or ''}", p.callback


def _is_api(callback) -> bool:
    cls = getattr(callback, "cls", None)
    return isinstance(cls, type) and issubclass(cls, APIView)


def web_routes() -> set[str]:
    return {name for _path, name, callback in _patterns() if not _is_api(callback)}


def api_paths_of_resolver() -> set[str]:
    """The API routes of the resolver as schema paths (/api/members/{code}/), format suffixes left out."""
    paths = set()
    for path, name, callback in _patterns():
        if not _is_api(callback) or "(?P<format>" in path or "<drf_format_suffix" in path:
            continue
        if name in PUBLIC or name in API_DOCS or name == "api-root":
            continue
        path = path.replace("^", "").replace("$", "")
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: "{" + ("id" if m.group(1) == "pk" else m.group(1)) + "}", path)
        paths.add("/" + path)
    return paths


def schema_operations() -> set[str]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


# --- The two communes ------------------------------------------------------------------------------


@pytest.fixture
def world(tree, make_member, make_user, settings, tmp_path):
    from dangvu.admission.services import candidate_propose
    from dangvu.assessment.services import cycle_open, record_rating
    from dangvu.imports.templates import template_workbook
    from dangvu.imports.uploads import check_upload
    from dangvu.lifecycle import services, transfers
    from dangvu.lifecycle.todo import next_award_date
    from dangvu.members.models import Member
    from dangvu.members.models import MemberEventKind as E
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish
    from dangvu.reports.jobs import enqueue

    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    with audit_context(source="system"):
        org = organization_establish(code="XB9", name="Đảng bộ xã Bên Kia", kind=K.GRASSROOTS_COMMITTEE,
                                     parent=tree["H01"], established_on=D(1970, 1, 1))
        cell = organization_establish(code="CB9", name="Chi bộ bản Bên Kia", kind=K.SUBORDINATE_CELL, parent=org,
                                      established_on=D(1970, 1, 1))
        # Commune A has the same kinds of records, so that its lists are not empty.
        make_member(tree["C01"], name="Lò Văn Ánh", code="AA0001", made_official_on=D(2016, 5, 19))
        make_member(tree["C01"], name="Lò Văn Ân", code="AA0002", admitted_on=today - dt.timedelta(days=330))
        official = make_member(cell, name="Quàng Thị Bê", code="BB0001", made_official_on=D(2016, 5, 19))
        probation = make_member(cell, name="Cầm Văn Bình", code="BB0002", admitted_on=today - dt.timedelta(days=330))
        veteran = make_member(cell, name="Lường Văn Bảy", code="BB0003", admitted_on=D(1975, 5, 19),
                              made_official_on=D(1976, 5, 19), birth_date=D(1950, 1, 1))
        leaving = make_member(cell, name="Tòng Thị Bốn", code="BB0004", made_official_on=D(2016, 5, 19))
        transfer = transfers.transfer_issue(leaving, kind="official", issued_on=today - dt.timedelta(days=3),
                                            destination="Đảng bộ tỉnh khác", letter_number="9-GGT")
        services.open_discipline_case(official, opened_on=today - dt.timedelta(days=5), authority="UBKT Bên Kia",
                                      violation="Vi phạm")
        candidate = candidate_propose(cell=cell, proposed_on=today - dt.timedelta(days=20), full_name="Vì Thị Cê",
                                      birth_date=D(2000, 3, 15), sex="F", ethnicity="Thái")
        # Ratings of 2024 in both communes; B's break the cap (a warning naming XB9).
        record_rating(year=2024, label="HTTNV", member=Member.objects.get(code="AA0001"))
        record_rating(year=2024, label="HTXSNV", member=official)
        record_rating(year=2024, label="HTXSNV", member=veteran)
        record_rating(year=2024, label="HTTNV", organization=org)
        cycle = cycle_open(organization=org, year=2024, opened_on=D(2024, 11, 1))
        cycle_open(organization=tree["X01"], year=2024, opened_on=D(2024, 11, 1))
        for o in (org, tree["X01"]):  # this year's, with members not yet rated: on the to-do page
            cycle_open(organization=o, year=today.year, opened_on=today)
    user_b = make_user("bantochuc_b", org, "organizer")
    buffer = io.BytesIO()
    template_workbook(buffer)
    upload = check_upload(SimpleUploadedFile("mau.xlsx", buffer.getvalue()), user_b)
    events = {
        "admission": official.events.get(kind=E.ADMITTED),
        "recognition": official.events.get(kind=E.MADE_OFFICIAL),
        "transfer": leaving.events.get(kind=E.TRANSFERRED_OUT),
    }
    users = {role: make_user(f"a_{role}", tree["X01"], role) for role in ROLES}
    exports = [enqueue(user_b, org, "snapshot", {"as_of": f"{today:%Y-%m-%d}", "format": "xlsx"},
                       title="Báo cáo tổng hợp — Đảng bộ xã Bên Kia"),
               enqueue(make_user("a_other", tree["X01"], "organizer"), tree["X01"], "snapshot",
                       {"as_of": f"{today:%Y-%m-%d}", "format": "xlsx"}, title="Báo cáo tổng hợp — Đảng bộ xã Nà Hỳ")]
    return {"exports": exports, "org": org, "cell": cell, "member": official, "members": [official, probation, veteran, leaving],
            "transfer": transfer, "candidate": candidate, "cycle": cycle, "upload": upload, "events": events, "users": users,
            "award": next_award_date(today), "today": today}


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # xlsx, docx: the XML parts
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return body.decode("utf-8", "replace")


#: CSRF tokens (64 random letters and digits in every page) would hold "CB9" in about one page of 4,000.
RANDOM_TOKEN = re.compile(r"[A-Za-z0-9]{32,}")


def _leaks(response, query=None) -> list[str]:
    """The markers of commune B in the answer, leaving out those the query itself holds (echoed in
    the search box)."""
    text = RANDOM_TOKEN.sub("", _text(response))
    asked = " ".join(str(v) for v in (query or {}).values())
    return [m for m in B_MARKERS if m in text and m not in asked]


# --- The tests -------------------------------------------------------------------------------------


def test_every_route_is_in_the_matrix():
    known = PUBLIC | API_DOCS | LOGOUT | set(OBJECT_ROUTES) | set(LIST_ROUTES)
    assert web_routes() - known == set(), "add the new web route to the scope matrix"
    assert known - web_routes() - API_DOCS - {k for k in PUBLIC if " " in k or k.startswith("api-")} == set()
    operations = schema_operations()
    assert operations - set(API) == set(), "add the new API operation to the scope matrix"
    assert set(API) - operations == set()
    schema_paths = {op.split(" ", 1)[1] for op in operations}
    assert api_paths_of_resolver() - schema_paths == set(), "an API route missing from the OpenAPI schema"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_web_routes_answer_404_for_records_of_another_commune(world, client, role):
    client.force_login(world["users"][role])
    wrong = []
    for name, kwargs_of in OBJECT_ROUTES.items():
        for kwargs in kwargs_of(world):
            url = reverse(name, kwargs=kwargs)
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                if status not in (404, 405):
                    wrong.append((method.upper(), url, status))
    for name, *rest in ORG_IN_QUERY:
        kwargs, query = rest if len(rest) == 2 else ({}, rest[0])
        url = reverse(name, kwargs=kwargs)
        status = client.get(url, query).status_code
        if status != 404:
            wrong.append(("GET", url, query, status))
    assert wrong == []


#: Pages that do not exist for users of a commune: the valid sample creates a district-level committee.
NOT_FOR_A_COMMUNE = {"imports:sample"}
#: The verification of the second factor sends on a session that has verified it (or a user without one).
SENDS_ON = {"accounts:otp_verify"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_web_lists_exports_drill_downs_and_reports_hold_nothing_of_another_commune(world, client, role):
    client.force_login(world["users"][role])
    leaks, errors = [], []
    requests = [(name, kwargs, query) for name, cases in LIST_ROUTES.items() for kwargs, query in cases(world)]
    for name, kwargs, query in [*requests, *A_DRILL_DOWNS]:
        response = client.get(reverse(name, kwargs=kwargs), query)
        if response.status_code not in (200, 403) and not (name in NOT_FOR_A_COMMUNE and response.status_code == 404) \
                and not (name in SENDS_ON and response.status_code == 302):
            errors.append((name, query, response.status_code))
        elif found := _leaks(response, query):
            leaks.append((name, query, found))
    assert errors == [] and leaks == []
    members = client.get(reverse("members:list")).content.decode()
    assert "AA0001" in members  # the user's own commune is listed: the check above is not vacuous


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_routes_answer_404_for_records_of_another_commune(world, role):
    from dangvu.admission.models import Candidate
    from dangvu.members.models import Member
    from dangvu.organizations.models import Organization

    api = _api(world["users"][role])
    wrong = []
    for operation, kind in API.items():
        method, path = operation.split(" ", 1)
        if kind in API_OBJECT_PATH:
            url = _fill(path, API_OBJECT_PATH[kind](world))
            status = getattr(api, method.lower())(url, {}, format="json").status_code
            if status != 404:
                wrong.append((operation, status))
    for path, query in API_ORG_IN_QUERY:
        status = api.get(path, query).status_code
        if status != 404:
            wrong.append((path, query, status))
    counts = (Organization.objects.count(), Member.objects.count(), Candidate.objects.count())
    for path, body in API_CREATE_BODIES.items():
        status = api.post(path, body, format="json").status_code
        if status not in (400, 403):
            wrong.append(("POST", path, status))
    assert wrong == []
    assert (Organization.objects.count(), Member.objects.count(), Candidate.objects.count()) == counts


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_lists_and_reports_hold_nothing_of_another_commune(world, role):
    api = _api(world["users"][role])
    assert {op.split(" ", 1)[1] for op, kind in API.items() if kind in ("list", "create")} == set(API_LIST_QUERIES)
    leaks, errors = [], []
    for path, queries in API_LIST_QUERIES.items():
        for query in queries:
            response = api.get(path, query)
            if response.status_code != 200:
                errors.append((path, query, response.status_code))
            elif found := _leaks(response, query):
                leaks.append((path, query, found))
    response = api.get("/api/organizations/X01/tree/")
    if found := _leaks(response):
        leaks.append(("tree", found))
    assert errors == [] and leaks == []
    assert "AA0001" in _text(api.get("/api/members/"))


@pytest.mark.django_db
def test_anonymous_requests_go_to_the_login_page_or_get_401_403(world, client):
    wrong = []
    for name, kwargs_of in OBJECT_ROUTES.items():
        for kwargs in kwargs_of(world)[:1]:
            url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
                wrong.append((url, response.status_code))
    for name in [*LIST_ROUTES, *LOGOUT]:
        kwargs = LIST_ROUTES[name](world)[0][0] if name in LIST_ROUTES else {}
        response = client.get(reverse(name, kwargs=kwargs))
        if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
            wrong.append((name, response.status_code))
    for name in API_DOCS:
        response = client.get(reverse(name))
        if response.status_code not in (401, 403) and not response.get("Location", "").startswith(reverse("login")):
            wrong.append((name, response.status_code))
    api = APIClient()
    for operation, kind in API.items():
        if kind == "public":
            continue
        method, path = operation.split(" ", 1)
        if kind in API_OBJECT_PATH:
            path = _fill(path, API_OBJECT_PATH[kind](world))
        status = getattr(api, method.lower())(path, {}, format="json").status_code
        if status not in (401, 403):
            wrong.append((operation, status))
    assert wrong == []
    assert client.get(reverse("login")).status_code == 200  # the public pages stay public
    assert client.get(reverse("javascript-catalog")).status_code == 200
