"""Write the demo plan (plan.py) into the database through the domain services.

Order (see plan.py for why it is consistent):
1. organizations: establishments, the upgrade of the health centre (change of kind, rename);
2. every member with their events in one `members.bulk.bulk_write` (audited, source "system");
3. restructurings that move members or organizations, in date order, through the services of
   members/restructuring.py and organizations/services.py;
4. one member readmitted (kết nạp lại) and one whose membership is restored (khôi phục đảng tịch),
   through the services;
5. the demo logins;
6. a few candidates for admission at different steps, dated relative to today so that the to-do
   page always has something due;
7. the recorded ratings (xếp loại chất lượng) of 2021–2025 of every member and organization
   (`demo.ratings`: realistic shares within each year's cap, members disciplined in the year "not
   completed"), through the assessment's bulk service; five years, so that the list of those
   excellent five years in a row (the default) has names; and the 2026 assessment opened in two
   grassroots organizations, part of its steps done (the to-do page shows what remains).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from dangvu.accounts.services import (
    recovery_codes_issue,
    recovery_codes_unused,
    requires_two_factor,
    role_assign,
    user_create,
)
from dangvu.core.audit import audit_context
from dangvu.members.bulk import bulk_write
from dangvu.members.models import Member, MemberEvent
from dangvu.members.restructuring import organization_merge, organization_split, rehome_members
from dangvu.organizations import services as org_services
from dangvu.organizations.models import Organization, OrganizationEventKind

from . import plan as demo_plan

USER_NAMES = {
    "admin": "Quản trị hệ thống",
    "bantochuc": "Cán bộ Ban Tổ chức",
    "bithu_nahy": "Bí thư Đảng ủy xã Nà Hỳ",
}


def _decision(d: demo_plan.Decision) -> org_services.Decision:
    return org_services.Decision(number=d.number, date=d.date, issued_by=d.issued_by)


def _org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def write_organizations(p: demo_plan.Plan) -> dict[str, Organization]:
    specs = {o.code: o for o in p.orgs}
    orgs: dict[str, Organization] = {}
    for op in p.org_ops:
        if op.op == "establish":
            s = specs[op.code]
            orgs[s.code] = org_services.organization_establish(
                code=s.code, name=s.name, kind=s.kind, parent=orgs[s.parent] if s.parent else None,
                established_on=s.established_on, unit_kind=s.unit_kind, admin_unit_code=s.admin_unit_code,
                decision=_decision(s.decision),
            )
        elif op.op == "change_kind":
            org_services.organization_change_kind(orgs[op.code], kind=op.kind, effective_on=op.day,
                                                  decision=_decision(op.decision), note=op.note)
        elif op.op == "rename":
            org_services.organization_rename(orgs[op.code], name=op.name, effective_on=op.day,
                                             decision=_decision(op.decision), note=op.note)
        else:  # pragma: no cover - plan and loader are written together
            raise ValueError(op.op)
    return orgs


def write_members(p: demo_plan.Plan, orgs: dict[str, Organization], *, source: str = "system") -> dict:
    members: list[Member] = []
    events: list[MemberEvent] = []
    for spec in p.members:
        first_cell = next(e.cell for e in spec.events if e.cell)
        admitted = next(e.day for e in spec.events if e.kind == "admitted")
        m = Member(code=spec.code, admitted_on=admitted, cell=orgs[first_cell], status="probationary", **spec.fields)
        members.append(m)
        for e in spec.events:
            events.append(MemberEvent(
                member=m, kind=e.kind, effective_on=e.day, cell=orgs[e.cell] if e.cell else None, value=e.value,
                note=e.note, decision_number=e.decision.number, decision_date=e.decision.date,
                issued_by=e.decision.issued_by,
            ))
    return bulk_write(members, events, source=source)


def restructure(p: demo_plan.Plan) -> None:
    for r in sorted(p.restructurings, key=lambda r: r.day):  # stable: the plan's order on a day
        decision = _decision(r.decision)
        if r.op == "rehome":
            by_cell: dict[str, list[str]] = defaultdict(list)
            for code, cell in r.member_cells.items():
                by_cell[cell].append(code)
            for cell, codes in sorted(by_cell.items()):
                rehome_members(Member.objects.filter(code__in=codes).order_by("code"), cell=_org(cell),
                               effective_on=r.day, decision=decision, note=r.note)
        elif r.op == "split":
            pks = dict(Member.objects.filter(code__in=list(r.member_cells)).values_list("code", "pk"))
            targets = {c: _org(c) for c in r.codes}
            organization_split(source=_org(r.source), effective_on=r.day,
                               member_cells={pks[code]: targets[cell] for code, cell in r.member_cells.items()},
                               decision=decision, note=r.note)
        elif r.op == "merge":
            organization_merge(sources=[_org(r.source)], target=_org(r.target), effective_on=r.day,
                               decision=decision, note=r.note)
        elif r.op == "move_orgs":
            parent = _org(r.target)
            for code in r.codes:
                org_services.organization_move(_org(code), parent=parent, effective_on=r.day, decision=decision,
                                               note=r.note)
        elif r.op == "close":
            org_services.organization_close(_org(r.source), effective_on=r.day, kind=OrganizationEventKind.DISSOLVED,
                                            decision=decision, note=r.note)
        else:  # pragma: no cover
            raise ValueError(r.op)


def write_returns() -> int:
    """A member removed in 2015–2021 readmitted 40 months later (official a year after), and one
    expelled or removed since 2021 whose membership is restored five months later, each in the cell
    they left when it still exists: the first of the plan (by code) that fits. Returns how many."""
    from dangvu import regulations as R
    from dangvu.core.errors import DomainError
    from dangvu.lifecycle import services as L
    from dangvu.members.services import member_readmit

    end = demo_plan.END
    left = Member.objects.filter(cell__dissolved_on__isnull=True, made_official_on__isnull=False).order_by("code")
    done = 0
    for m in left.filter(status="removed", ended_on__range=(dt.date(2015, 1, 1), dt.date(2021, 6, 30))):
        day = R.add_months(m.ended_on, 40).replace(day=15)
        try:
            wait = R.rules_on(day).readmission_wait_months
            member_readmit(m, on=day, cell=m.cell, note=f"Kết nạp lại (quy định: sau ít nhất {wait} tháng)",
                           decision=org_services.Decision(f"{day.year % 100}{day.month:02d}-QĐ/TU",
                                                          day - dt.timedelta(days=12), demo_plan.TU))
        except DomainError:
            continue
        official = R.add_months(day, 12)
        if official + dt.timedelta(days=10) <= end:
            L.recognize_official(m, decided_on=official + dt.timedelta(days=10))
        done += 1
        break
    for m in left.filter(status__in=["expelled", "removed"], ended_on__range=(dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
                         readmitted_on__isnull=True).order_by("status", "code"):  # an expulsion first
        day = m.ended_on + dt.timedelta(days=150)
        try:
            L.restore_membership(m, on=day, cell=m.cell, note="Quyết định xóa tên/khai trừ bị hủy bỏ",
                                 decision=org_services.Decision(f"{day.year % 100}{day.month:02d}-QĐ/UBKTTU",
                                                                day - dt.timedelta(days=7), "Ủy ban Kiểm tra Tỉnh ủy"))
        except DomainError:
            continue
        done += 1
        break
    return done


def write_users(p: demo_plan.Plan) -> None:
    for username, role, scope, valid_from, later in p.users:
        user = user_create(username=username, organization=_org(scope), role=role, password=demo_plan.DEMO_PASSWORD,
                           full_name=USER_NAMES.get(username, ""), valid_from=valid_from, check_password=False)
        if later:
            role_assign(user=user, organization=_org(later), role=role, valid_from=demo_plan.D_2025)
        if requires_two_factor(user):  # printed by `dangvu demo`: the second step without a phone
            recovery_codes_issue(user=user)


#: (name, sex, ethnicity, birth date, how far along: the number of steps of CANDIDATE_STEPS done)
DEMO_CANDIDATES = [
    ("Lầu Thị Chia", "F", "Mông", dt.date(2001, 4, 12), 1),
    ("Quàng Văn Pánh", "M", "Thái", dt.date(1996, 9, 3), 4),
    ("Vì Thị Lả", "F", "Thái", dt.date(1999, 1, 20), 5),
    ("Lò Văn Khằm", "M", "Khơ Mú", dt.date(1994, 11, 8), 7),
]


def write_candidates(today: dt.date) -> int:
    """Candidates in a village cell with enough official members: one only proposed, one with a
    complete file, one approved by the chi bộ, one with its admission decision, awaiting the ceremony."""
    from dangvu.admission import services as C
    from dangvu.admission.selectors import cell_vote_counts
    from dangvu.core.calendar import add_working_days
    from dangvu.members.models import MemberStatus
    from dangvu.organizations.models import OrganizationKind

    cells = Organization.objects.filter(kind=OrganizationKind.SUBORDINATE_CELL, dissolved_on__isnull=True,
                                        code__startswith="NP-", name__contains="bản")
    cell = next((c for c in cells.order_by("code")
                 if Member.objects.filter(cell=c, status=MemberStatus.OFFICIAL,
                                          made_official_on__lt=today - dt.timedelta(days=800)).count() >= 5), None)
    if cell is None:
        return 0
    introducers = list(Member.objects.filter(cell=cell, status=MemberStatus.OFFICIAL,
                                             made_official_on__lt=today - dt.timedelta(days=800))[:2])
    for i, (name, sex, ethnicity, birth, done) in enumerate(DEMO_CANDIDATES):
        # the latest step lies a few days before today; the earlier ones follow the usual pace before it
        vote_on = today - dt.timedelta(days={5: 20, 7: 45}.get(done, 0))
        dossier_on = today - dt.timedelta(days=10) if done == 4 else vote_on - dt.timedelta(days=4)
        start = dossier_on - dt.timedelta(days=60) if done >= 2 else today - dt.timedelta(days=20)
        c = C.candidate_propose(cell=cell, proposed_on=start, full_name=name, birth_date=birth, sex=sex,
                                ethnicity=ethnicity, occupation="Nông dân" if i % 2 else "Giáo viên")
        if done < 2:
            continue
        C.candidate_record_course(c, issued_on=start + dt.timedelta(days=14), certificate_number=f"{30 + i}/CN",
                                  issued_by="Trung tâm Chính trị huyện Nậm Pồ")
        C.candidate_accept_sympathizer(c, on=start + dt.timedelta(days=21))
        on = start + dt.timedelta(days=28)
        C.candidate_record_document(c, key="1-KNĐ", received_on=on)
        C.candidate_record_document(c, key="biography", received_on=on + dt.timedelta(days=3))
        C.candidate_record_background_check(c, on=on + dt.timedelta(days=10), result="clear", checked_by="Chi ủy")
        C.candidate_record_introducers(c, on=on + dt.timedelta(days=12),
                                       introducers=[C.IntroducerInput(p, 24) for p in introducers])
        C.candidate_record_comments(c, on=on + dt.timedelta(days=14), from_organizations="Đoàn xã: đồng ý",
                                    from_residence="Chi bộ bản: đồng ý")
        C.candidate_complete_dossier(c, on=dossier_on)
        if done < 5:
            continue
        counts = cell_vote_counts(cell, vote_on)
        due = counts["official"]
        C.candidate_cell_vote(c, on=vote_on, vote=C.Vote(due, due, due, excluded=counts.get("exempted", 0)))
        if done < 7:
            continue
        committee_on = add_working_days(vote_on, 5)
        C.candidate_committee_vote(c, on=committee_on, vote=C.Vote(9, 9, 9))
        decided = add_working_days(committee_on, 10)
        C.candidate_decide(c, decision=org_services.Decision(f"{200 + i}-QĐ/ĐU", decided, "Ban Thường vụ"),
                           received_on=decided)
    return len(DEMO_CANDIDATES)


def load_demo(seed: int = demo_plan.SEED) -> dict:
    """Load the demo organization into the (empty) database; all-or-nothing. Returns counts."""
    p = demo_plan.build_plan(seed)
    with audit_context(source="system"), transaction.atomic():
        orgs = write_organizations(p)
        counts = write_members(p, orgs)
        restructure(p)
        returns = write_returns()
        write_users(p)
        candidates = write_candidates(timezone.localdate())
        ratings = write_ratings()
        cycles = write_cycles(timezone.localdate())
    return {"organizations": len(p.orgs), **counts, "returns": returns, "candidates": candidates,
            "ratings": ratings, "cycles": cycles}


#: The years of the demo's recorded ratings.
RATING_YEARS = (2021, 2022, 2023, 2024, 2025)
#: The year of the demo's open assessment.
CYCLE_YEAR = 2026


def write_ratings(years=RATING_YEARS) -> int:
    """The ratings of `years` (`demo.ratings.year_ratings`), each year written by the assessment's bulk
    service (audited, source "system")."""
    from dangvu.assessment.services import ratings_write_many

    from .ratings import year_ratings

    n = 0
    for year in years:
        ratings = year_ratings(year, seed=demo_plan.SEED)
        ratings_write_many(ratings, [], source="system")
        n += len(ratings)
    return n


def _cycle_members(org: Organization, day: dt.date, year: int) -> list:
    """The members the cycle of `org` rates on `day` (placed in its chi bộ, not exempted, admitted six
    months before, not disciplined in the year), in name order, with their chi bộ."""
    from django.db.models import Exists, OuterRef

    from dangvu.members.models import ACTIVE_STATUSES, MemberEventKind, MemberPeriod

    disciplined = MemberEvent.objects.filter(member=OuterRef("member"), kind=MemberEventKind.DISCIPLINED,
                                             effective_on__year=year)
    return [p for p in MemberPeriod.objects.active_on(day).filter(
        cell__path__startswith=org.path, status__in=ACTIVE_STATUSES, exempted=False,
        member__admitted_on__lte=day - dt.timedelta(days=200), member__readmitted_on__isnull=True,
    ).exclude(Exists(disciplined)).select_related("member").order_by("member__sort_key")]


def write_cycles(today: dt.date) -> int:
    """The 2026 assessment opened in two grassroots organizations (one commune committee, one chi bộ cơ
    sở), through the cycle's services: in the first, self-assessments of most members, the chi bộ's
    review of half and the decision on a quarter; in the second only the opening and a few
    self-assessments. Skipped outside 2026–2027 (the steps must fall in the year or early the next)."""
    from dangvu.assessment import services as A
    from dangvu.organizations.models import OrganizationKind

    year = CYCLE_YEAR
    if today.year not in (year, year + 1):
        return 0
    last = min(today, dt.date(year + 1, 1, 10))
    opened = max(dt.date(year, 1, 2), min(last, dt.date(year, 11, 16)))
    open_now = Organization.objects.filter(dissolved_on__isnull=True, code__startswith="NP-")
    commune = next((o for o in open_now.filter(kind=OrganizationKind.GRASSROOTS_COMMITTEE).order_by("code")
                    if 40 <= len(_cycle_members(o, opened, year)) <= 160), None)
    cell = open_now.filter(kind=OrganizationKind.GRASSROOTS_CELL).order_by("code").first()
    done = 0
    for org, share in ((commune, 1.0), (cell, 0.3)):
        if org is None:
            continue
        cycle = A.cycle_open(organization=org, year=year, opened_on=opened)
        done += 1
        members = _cycle_members(org, opened, year)
        step_day = min(last, opened + dt.timedelta(days=7))
        scored = members[: int(len(members) * 0.8 * share)]
        points = {p.member_id: 72 + (p.member_id * 7919) % 24 for p in scored}
        for p in scored:
            A.self_assessment_record(cycle=cycle, member=p.member, effective_on=step_day, points=points[p.member_id],
                                     form="2C" if p.member_id % 3 else "2A")
        if share < 1:
            continue
        review_day = min(last, opened + dt.timedelta(days=14))
        reviewed = scored[: len(scored) // 2]
        per_cell: dict[int, int] = defaultdict(int)
        for p in members:
            per_cell[p.cell_id] += 1
        for p in reviewed:
            due = per_cell[p.cell_id]
            key = "excellent" if points[p.member_id] >= 90 else "good"
            A.cell_review_record(cycle=cycle, member=p.member, effective_on=review_day, key=key,
                                 comment="Chi bộ nhất trí với tự đánh giá của đồng chí.", votes_due=due,
                                 votes_present=max(1, due - 1), votes_for=max(1, due - 1))
        decided = reviewed[: len(reviewed) // 2]
        good = [p for p in decided if points[p.member_id] < 90]
        excellent = [p for p in decided if points[p.member_id] >= 90][: len(good) // 5]
        A.ratings_decide(
            cycle=cycle, decided_on=min(last, opened + dt.timedelta(days=21)),
            decision=org_services.Decision(f"{year % 100}-QĐ/ĐU", min(last, opened + dt.timedelta(days=21)),
                                           "Ban Thường vụ Đảng ủy"),
            decisions=[A.RatingDecision(member=p.member, key="excellent" if p in excellent else "good",
                                        points=points[p.member_id] if p in excellent else min(points[p.member_id], 89))
                       for p in good + excellent])
    return done


def demo_logins() -> list[dict]:
    """The demo logins with their role and current scope (for printing)."""
    from django.contrib.auth import get_user_model

    from dangvu.accounts.selectors import current_assignments

    result = []
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[u[0] for u in demo_plan.DEMO_USERS])}
    for username, *_ in demo_plan.DEMO_USERS:
        user = users.get(username)
        if user is None:
            continue
        a = next(iter(current_assignments(user)), None)
        result.append({"username": username, "password": demo_plan.DEMO_PASSWORD,
                       "role": a.get_role_display() if a else "", "scope": a.organization.name if a else "",
                       "scope_code": a.organization.code if a else "",
                       "codes": recovery_codes_unused(user) if requires_two_factor(user) else []})
    return result
