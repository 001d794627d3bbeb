"""The demo organization: loaded once for this module through `dangvu demo --no-serve` (inside a
transaction rolled back at the end), then checked for its shape, history and consistency."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import transaction

from dangvu.demo import plan as demo_plan
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberPeriod
from dangvu.members.selectors import members_on, members_visible_to
from dangvu.organizations.models import (
    CELL_KINDS,
    Organization,
    OrganizationEventKind,
    OrganizationKind,
    OrganizationPeriod,
)
from dangvu.organizations.selectors import subtree_ids_as_of

D = dt.date
TODAY = D(2026, 7, 1)  # the demo's history ends on 30/06/2026


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Run the demo command once; everything it writes is rolled back after the module."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                out = io.StringIO()
                call_command("demo", "--no-serve", stdout=out)
                yield out.getvalue()
                raise _Rollback
        except _Rollback:
            pass


@pytest.fixture
def demo_db(demo, db):
    return demo


def _kinds_on(code: str, day: dt.date) -> dict[str, int]:
    ids = subtree_ids_as_of(Organization.objects.get(code=code).pk, day)
    counts: dict[str, int] = defaultdict(int)
    for kind in OrganizationPeriod.objects.filter(organization_id__in=ids, valid_from__lte=day).exclude(
        valid_to__lte=day
    ).values_list("kind", flat=True):
        counts[kind] += 1
    return counts


def test_demo_command_prints_the_four_logins_with_password_and_scope(demo_db):
    out = demo_db
    assert demo_plan.DEMO_PASSWORD in out
    for username, scope in (("bantochuc", "Đảng bộ tỉnh Điện Biên"), ("admin", "Đảng bộ tỉnh Điện Biên"),
                            ("bithu_nahy", "Đảng bộ xã Nà Hỳ"), ("bithu_nahy1", "Chi bộ bản Nà Hỳ 1")):
        line = next(line for line in out.splitlines() if line.strip().startswith(username))
        assert scope in line


def test_demo_has_about_40_grassroots_organizations_and_150_subordinate_cells(demo_db):
    for code, day in ((demo_plan.DISTRICT, D(2024, 12, 31)), (demo_plan.PROVINCE, TODAY)):
        kinds = _kinds_on(code, day)
        grassroots = kinds[OrganizationKind.GRASSROOTS_COMMITTEE] + kinds[OrganizationKind.GRASSROOTS_CELL]
        assert 38 <= grassroots <= 43
        assert 15 <= kinds[OrganizationKind.GRASSROOTS_COMMITTEE] <= 19
        assert 140 <= kinds[OrganizationKind.SUBORDINATE_CELL] <= 160


def test_demo_has_about_2300_members_mostly_ethnic_minorities_a_quarter_women(demo_db):
    province = Organization.objects.get(code=demo_plan.PROVINCE)
    members = members_on(province, TODAY)
    total = members.count()
    assert 2200 <= total <= 2400
    assert Member.objects.filter(status__in=ACTIVE_STATUSES).count() == total
    women = members.filter(sex="F").count() / total
    minority = members.exclude(ethnicity="01").count() / total
    assert 0.2 <= women <= 0.32
    assert 0.75 <= minority <= 0.88
    assert members.exclude(religion="").exists()
    # names are those of the groups: Mông members are called Giàng, Sùng, Vàng…
    mong_families = set(members.filter(ethnicity="08").values_list("family_name", flat=True))
    assert {"Giàng", "Sùng", "Vàng"} <= mong_families


def test_demo_history_goes_back_to_2012_with_every_kind_of_event(demo_db):
    district = Organization.objects.get(code=demo_plan.DISTRICT)
    assert district.established_on == D(2012, 10, 1)
    assert members_on(district, D(2012, 12, 31)).count() > 1000
    assert MemberEvent.objects.filter(kind="admitted", effective_on__lt=D(2013, 1, 1)).count() > 1000
    admitted_here = MemberEvent.objects.filter(kind="admitted", cell__isnull=False)
    assert len({d.year for d in admitted_here.values_list("effective_on", flat=True)}) >= 13
    kinds = set(MemberEvent.objects.values_list("kind", flat=True))
    assert {"admitted", "made_official", "transferred_in", "transferred_out", "moved", "died", "removed",
            "exempted", "card_issued", "badge_awarded", "disciplined"} <= kinds
    assert set(MemberEvent.objects.filter(kind="badge_awarded").values_list("value", flat=True)) >= {"30", "40"}


def test_demo_decisions_are_dated_as_the_rules_order_them(demo_db):
    """An admission's decision comes before its ceremony; an official recognition's after the probation ends
    (the chi bộ considers it first), by the committee that existed on the decision's date."""
    from django.db.models import F

    decided = MemberEvent.objects.filter(decision_date__isnull=False)
    assert not decided.filter(kind="admitted", decision_date__gt=F("effective_on")).exists()
    recognitions = decided.filter(kind="made_official")
    assert recognitions.count() > 1000 and not recognitions.filter(decision_date__lt=F("effective_on")).exists()
    assert not recognitions.filter(decision_date__gte=D(2025, 7, 1), issued_by__contains="Huyện ủy").exists()


def test_demo_district_ends_on_1_july_2025_under_the_province_root(demo_db):
    district = Organization.objects.get(code=demo_plan.DISTRICT)
    province = Organization.objects.get(code=demo_plan.PROVINCE)
    end = D(2025, 7, 1)
    assert district.dissolved_on == end
    last = district.events.order_by("effective_on", "id").last()
    assert last.kind == OrganizationEventKind.DISSOLVED and last.note == "Kết thúc hoạt động cấp huyện"
    assert province.parent_id is None and province.kind == OrganizationKind.PROVINCIAL
    assert Organization.objects.get(code="NP-NAHY").parent_id == province.pk
    before = set(members_on(district, end - dt.timedelta(days=1)).values_list("pk", flat=True))
    after = set(members_on(province, end).values_list("pk", flat=True))
    assert before == after  # nobody lost in the move


def test_demo_restructurings_went_through_the_services(demo_db):
    ttyt = Organization.objects.get(code="NP-TTYT")
    assert ttyt.kind == OrganizationKind.GRASSROOTS_COMMITTEE and ttyt.name == "Đảng bộ Trung tâm Y tế huyện"
    assert MemberEvent.objects.filter(kind="moved", effective_on=demo_plan.D_UPGRADE,
                                      cell__parent=ttyt).count() >= 20
    split = OrganizationPeriod.objects.filter(organization__name="Chi bộ bản Huổi Dạo").get()
    assert split.valid_to == demo_plan.D_SPLIT
    assert Organization.objects.get(name="Chi bộ bản Huổi Dạo").events.filter(kind="split").exists()
    merged = Organization.objects.get(code="NP-NAMKHAN")
    assert merged.dissolved_on == demo_plan.D_MERGE and merged.events.filter(kind="merged").exists()
    assert MemberEvent.objects.filter(kind="moved", effective_on=demo_plan.D_MERGE).exists()


def test_demo_members_are_placed_only_in_existing_cells_with_one_open_period_each(demo_db):
    spans = defaultdict(list)
    for p in OrganizationPeriod.objects.filter(kind__in=CELL_KINDS).order_by("valid_from"):
        spans[p.organization_id].append((p.valid_from, p.valid_to))

    def covered(cell_id, start, end):
        cursor = start
        for a, b in spans[cell_id]:
            if a <= cursor and (b is None or b > cursor):
                cursor = b
                if cursor is None or (end is not None and cursor >= end):
                    return True
        return False

    assert all(covered(p.cell_id, p.valid_from, p.valid_to) for p in MemberPeriod.objects.all())
    open_periods = defaultdict(int)
    for member_id in MemberPeriod.objects.filter(valid_to__isnull=True).values_list("member_id", flat=True):
        open_periods[member_id] += 1
    active = set(Member.objects.filter(status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    assert set(open_periods) == active and set(open_periods.values()) == {1}


def test_demo_bulk_load_is_audited_as_system(demo_db):
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(additional_data__source="system").count() >= Member.objects.count()


def test_demo_secretary_sees_only_the_commune(demo_db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bithu_nahy")
    visible = members_visible_to(user)
    nahy = Organization.objects.get(code="NP-NAHY")
    cells = subtree_ids_as_of(nahy.pk, TODAY)
    assert visible.exists()
    assert not visible.exclude(cell_id__in=Organization.objects.filter(parent=nahy).values("pk")).exists()
    assert visible.filter(status__in=ACTIVE_STATUSES).count() == members_on(nahy, TODAY).count()
    assert len(cells) > 5


def test_demo_command_does_not_load_twice(demo_db):
    members = Member.objects.count()
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert Member.objects.count() == members
    assert "bantochuc" in out.getvalue()


def test_demo_plan_is_deterministic():
    a, b = demo_plan.build_plan(), demo_plan.build_plan()
    assert [(m.code, m.fields, m.events) for m in a.members] == [(m.code, m.fields, m.events) for m in b.members]
    assert [(r.op, r.day, r.member_cells) for r in a.restructurings] == [
        (r.op, r.day, r.member_cells) for r in b.restructurings
    ]
    other = demo_plan.build_plan(seed=7)
    assert [m.fields["full_name"] for m in other.members[:50]] != [m.fields["full_name"] for m in a.members[:50]]


def test_demo_has_candidates_at_several_steps_and_the_todo_page_has_work(demo_db):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dangvu.admission.models import Candidate
    from dangvu.admission.selectors import candidate_steps_due
    from dangvu.lifecycle import worklist

    stages = set(Candidate.objects.values_list("stage", flat=True))
    assert {"outstanding_mass", "dossier_complete", "cell_approved", "admission_decided"} <= stages
    user, today = get_user_model().objects.get(username="bantochuc"), timezone.localdate()
    work = worklist.worklist(user, today)
    assert candidate_steps_due(user, today).exists()
    assert work["probations"] and work["badges"] and work["cards_count"] > 0


def test_demo_has_a_readmitted_member_and_a_restored_membership(demo_db):
    from dangvu.lifecycle import services

    readmitted = Member.objects.get(readmitted_on__isnull=False)
    assert readmitted.events.filter(kind="admitted").count() == 2 and readmitted.admitted_on < readmitted.readmitted_on
    assert services.party_age(readmitted, TODAY).gaps  # the time outside is left out of the party age
    restored = MemberEvent.objects.select_related("member").get(kind="restored").member
    assert restored.status in ACTIVE_STATUSES and services.party_age(restored, TODAY).gaps == ()


def test_demo_has_a_member_suspended_now_and_one_whose_suspension_was_lifted(demo_db):
    """The suspension of party activities (đình chỉ sinh hoạt đảng) is visible: one member suspended now, in the
    grassroots organization of the open assessment (not rated, the sheet says why), one suspended in 2024
    and lifted in 2025 (not rated for 2024)."""
    from dangvu.assessment.models import AssessmentCycle, Rating

    now = Member.objects.select_related("cell").get(suspended=True)
    assert now.events.filter(kind="suspended", value="investigation", planned_end__isnull=False).exists()
    assert any(now.cell.path.startswith(c.organization.path)
               for c in AssessmentCycle.objects.filter(year=2026).select_related("organization"))
    lifted = MemberEvent.objects.select_related("member").get(kind="suspension_lifted").member
    assert not lifted.suspended and lifted.events.filter(kind="suspended", value="prosecution").exists()
    assert not Rating.objects.filter(member=lifted, year=2024).exists()


def test_demo_prints_one_time_codes_that_pass_the_second_step(demo_db):
    from django.test import Client
    from django.urls import reverse

    lines = demo_db.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("bantochuc"))
    codes = lines[at + 1].rsplit(":", 1)[1].split()
    assert len(codes) == 5
    c = Client()
    c.post(reverse("login"), {"username": "bantochuc", "password": demo_plan.DEMO_PASSWORD})
    assert c.get(reverse("members:list"))["Location"].startswith(reverse("accounts:otp_verify"))
    assert c.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 302
    assert c.get(reverse("members:list")).status_code == 200
