"""Member periods carry what the reports count (issue 11): the member's sex, ethnicity, religion, birth
date, general education and political theory, the day party age counts from and whether the member was
readmitted. Every writer of periods writes them, every edit of the member's fields rewrites them, the
repair command rebuilds them and the migrations fill existing rows: after each, every period carries
what its member's fields and events say."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dangvu.imports import samples
from dangvu.imports.services import import_workbook
from dangvu.imports.spec import BIENDONG, DANGVIEN, TOCHUC
from dangvu.lifecycle.services import party_age_start
from dangvu.members.bulk import bulk_update_profiles, bulk_write
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import (
    copy_profile_to_periods,
    member_readmit,
    member_record_event,
    member_register,
    member_update_profile,
    rebuild,
)
from dangvu.organizations.services import Decision

D = dt.date
CARRIED = ("sex", "ethnicity", "religion", "birth_date", "general_education", "political_theory_level",
           "party_age_start", "readmitted")


def _expected(member: Member) -> tuple:
    """What the member's periods must carry, from the member's own fields and events (the rules' party-age
    start as the party age page computes it)."""
    member.refresh_from_db()
    return (member.sex, member.ethnicity, member.religion, member.birth_date, member.general_education,
            member.political_theory_level, party_age_start(member, list(member.events.all())),
            member.readmitted_on is not None)


def _carried(member: Member) -> set[tuple]:
    return set(MemberPeriod.objects.filter(member=member).values_list(*CARRIED))


def assert_every_period_carries_its_sources() -> None:
    members = list(Member.objects.all())
    assert members and MemberPeriod.objects.exists()
    for m in members:
        periods = _carried(m)
        assert periods in (set(), {_expected(m)}), m.code


def test_registered_members_periods_carry_their_fields_and_the_admission_decision_date(tree, make_member):
    m = make_member(tree["C01"], sex="F", ethnicity="Thái", religion="Phật giáo", made_official_on=D(2016, 5, 19),
                    birth_date=D(1990, 4, 5), general_education="12/12", political_theory_level="trung_cap",
                    decision=Decision("12-QĐ/HU", D(2015, 5, 2)))
    assert MemberPeriod.objects.filter(member=m).count() == 2
    assert _carried(m) == {("F", "03", "Phật giáo", D(1990, 4, 5), "12/12", "trung_cap", D(2015, 5, 2), False)}
    assert_every_period_carries_its_sources()


def test_a_decision_dated_after_the_ceremony_is_not_where_party_age_starts(tree, make_member):
    m = make_member(tree["C01"], decision=Decision("12-QĐ/HU", D(2015, 6, 1)))
    assert {p[6] for p in _carried(m)} == {D(2015, 5, 19)} == {_expected(m)[6]}


def test_bulk_written_periods_carry_the_members_fields_and_the_decision_date(tree):
    m = Member(code="B1", full_name="Lò Thị Mai", birth_date=D(1980, 1, 1), sex="F", ethnicity="03",
               religion="Công giáo", general_education="9/12", political_theory_level="so_cap",
               admitted_on=D(2010, 1, 1), cell=tree["C01"], status="probationary")
    bulk_write([m], [MemberEvent(member=m, kind=E.ADMITTED, effective_on=D(2010, 1, 1), cell=tree["C01"],
                                 decision_date=D(2009, 12, 20)),
                     MemberEvent(member=m, kind=E.MADE_OFFICIAL, effective_on=D(2011, 1, 1))], audit=False)
    assert MemberPeriod.objects.filter(member=m).count() == 2
    assert _carried(m) == {("F", "03", "Công giáo", D(1980, 1, 1), "9/12", "so_cap", D(2009, 12, 20), False)}
    assert_every_period_carries_its_sources()


def _unit() -> list[list]:
    return [["R", "Đảng bộ huyện Thử", "Đảng bộ huyện", "", None, None, ""],
            ["R-X", "Đảng bộ xã Thử", "Đảng bộ cơ sở", "R", None, None, "Xã"],
            ["R-C1", "Chi bộ thôn Một", "Chi bộ trực thuộc", "R-X", None, None, ""],
            ["R-C2", "Chi bộ thôn Hai", "Chi bộ trực thuộc", "R-X", None, None, ""]]


BORN = D(1980, 2, 3)


def _row(code, *, birth=BORN, education="12/12", theory="Sơ cấp", religion="Không"):
    return [code, "Lò Văn Minh", birth, "Nam", "Thái", religion, D(2010, 1, 1), D(2011, 1, 1), "R-C1", None, "",
            education, "", theory, ""]


@pytest.fixture
def book(tmp_path):
    """book(sheets) → the path of an .xlsx with those sheets (name → rows)."""
    counter = {"n": 0}

    def _make(sheets: dict):
        counter["n"] += 1
        path = tmp_path / f"wb{counter['n']}.xlsx"
        samples.write_workbook(path, sheets)
        return path

    return _make


def test_imported_members_periods_carry_their_sources_after_every_import(db, book):
    readmission = [["T2", "Xóa tên", D(2015, 3, 1), "", "", "", ""],
                   ["T2", "kết nạp lại", D(2019, 6, 1), "R-C2", "", "7-QĐ/HU", "", D(2019, 5, 20)]]
    first = import_workbook(book({TOCHUC: _unit(), DANGVIEN: [_row("T1"), _row("T2")], BIENDONG: readmission}),
                            dry_run=False)
    assert first.errors == [] and first.written
    t1, t2 = Member.objects.get(code="T1"), Member.objects.get(code="T2")
    assert _carried(t1) == {("M", "03", "", D(1980, 2, 3), "12/12", "so_cap", D(2010, 1, 1), False)}
    assert {p[6:] for p in _carried(t2)} == {(D(2010, 1, 1), True)}  # the readmission's decision starts nothing
    assert_every_period_carries_its_sources()
    # a second workbook corrects the profile of a member already in the database
    changed = import_workbook(book({TOCHUC: _unit(), DANGVIEN: [
        _row("T1", birth=D(1981, 3, 4), education="10/12", theory="Trung cấp", religion="Phật giáo")]}),
        dry_run=False)
    assert changed.errors == [] and changed.counts[DANGVIEN].updated == 1
    assert _carried(t1) == {("M", "03", "Phật giáo", D(1981, 3, 4), "10/12", "trung_cap", D(2010, 1, 1), False)}
    assert_every_period_carries_its_sources()


def test_editing_the_carried_fields_rewrites_every_period_of_that_member_only(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.MOVED, effective_on=D(2018, 1, 1), cell=tree["C02"])
    other = make_member(tree["C01"])
    before = _carried(other)
    assert MemberPeriod.objects.filter(member=m).count() == 3
    member_update_profile(m, sex="F")
    member_update_profile(m, ethnicity="Mường", religion="Công giáo")
    member_update_profile(m, birth_date=D(1984, 1, 2), general_education="12/12")
    member_update_profile(m, political_theory_level="cao_cap")
    assert _carried(m) == {("F", "06", "Công giáo", D(1984, 1, 2), "12/12", "cao_cap", D(2015, 5, 19), False)}
    member_update_profile(m, religion="Không")  # "none" is stored empty
    assert {p[2] for p in _carried(m)} == {""}
    assert _carried(other) == before
    assert_every_period_carries_its_sources()


def test_a_readmission_marks_every_period_of_the_member(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19), decision=Decision("1-QĐ/HU", D(2015, 5, 1)))
    member_record_event(m, kind=E.REMOVED, effective_on=D(2018, 1, 1))
    member_readmit(m, on=D(2021, 6, 1), cell=tree["C02"], decision=Decision("2-QĐ/HU", D(2021, 5, 25)))
    assert {p[6:] for p in _carried(m)} == {(D(2015, 5, 1), True)}
    assert_every_period_carries_its_sources()


def test_an_event_recorded_over_an_older_instance_keeps_the_corrected_fields(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    stale = Member.objects.get(pk=m.pk)
    member_update_profile(m, sex="F", birth_date=D(1986, 6, 6))
    member_record_event(stale, kind=E.MOVED, effective_on=D(2018, 1, 1), cell=tree["C02"])  # rebuilds the periods
    assert {p[:4] for p in _carried(m)} == {("F", "01", "", D(1986, 6, 6))}


def test_profile_corrections_in_bulk_rewrite_the_periods(tree, make_member):
    a = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    b = make_member(tree["C02"])
    bulk_update_profiles([(a.pk, {"sex": "M", "religion": "", "political_theory_level": ""},
                           {"sex": "F", "religion": "Tin lành", "political_theory_level": "so_cap"}),
                          (b.pk, {"occupation": ""}, {"occupation": "Giáo viên"})])
    assert {p[:6] for p in _carried(a)} == {("F", "01", "Tin lành", D(1985, 3, 2), "", "so_cap")}
    assert_every_period_carries_its_sources()


def test_copy_profile_to_periods_repairs_every_member_when_given_no_ids(tree, make_member):
    a, b = make_member(tree["C01"]), make_member(tree["C02"], sex="F")
    MemberPeriod.objects.update(sex="", ethnicity="", religion="x", birth_date=D(1900, 1, 1), general_education="?")
    assert copy_profile_to_periods() == 2
    assert_every_period_carries_its_sources()
    rebuild(a)
    assert _carried(a) == {_expected(a)} and _carried(b) == {_expected(b)}


def test_rebuild_history_repairs_every_carried_field(tree, make_member):
    make_member(tree["C01"], made_official_on=D(2016, 5, 19), decision=Decision("1-QĐ/HU", D(2015, 5, 1)))
    m = make_member(tree["C02"], sex="F", political_theory_level="so_cap")
    member_record_event(m, kind=E.REMOVED, effective_on=D(2018, 1, 1))
    member_readmit(m, on=D(2021, 6, 1), cell=tree["C02"])
    MemberPeriod.objects.update(sex="", religion="x", birth_date=D(1900, 1, 1), general_education="?",
                                political_theory_level="?", party_age_start=D(1900, 1, 1), readmitted=False)
    call_command("rebuild_history", stdout=io.StringIO())
    assert_every_period_carries_its_sources()


def test_the_repair_is_one_service_the_command_only_calls(tree, make_member):
    """`history_rebuild_all` repairs the periods of organizations and members and says how many it rebuilt;
    each loop may be wrapped (the command's progress bars)."""
    from dangvu.members.services import history_rebuild_all
    from dangvu.organizations.models import Organization, OrganizationPeriod

    make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    make_member(tree["C02"], sex="F", political_theory_level="so_cap")
    MemberPeriod.objects.update(sex="", birth_date=D(1900, 1, 1), party_age_start=D(1900, 1, 1))
    OrganizationPeriod.objects.all().delete()
    seen = []

    def progress(items, key, total):
        seen.append((key, total))
        return items

    assert history_rebuild_all(progress=progress) == (Organization.objects.count(), 2)
    assert seen == [("organizations", Organization.objects.count()), ("members", 2)]
    assert_every_period_carries_its_sources()
    assert OrganizationPeriod.objects.count() >= Organization.objects.count()


@pytest.mark.django_db(transaction=True)
def test_the_migrations_fill_the_carried_fields_of_existing_periods(tree):
    m = member_register(code="M1", full_name="Lò Văn Minh", birth_date=D(1983, 7, 8), sex="F", ethnicity="Tày",
                        religion="Phật giáo", general_education="12/12", political_theory_level="so_cap",
                        admitted_on=D(2015, 5, 19), made_official_on=D(2016, 5, 19), cell=tree["C01"],
                        decision=Decision("1-QĐ/HU", D(2015, 5, 10)))
    member_record_event(m, kind=E.REMOVED, effective_on=D(2018, 1, 1))
    member_readmit(m, on=D(2021, 6, 1), cell=tree["C02"])
    try:
        old = MigrationExecutor(connection)
        old.migrate([("members", "0014_status_card_index")])
        apps = MigrationExecutor(connection).loader.project_state(("members", "0014_status_card_index")).apps
        assert apps.get_model("members", "MemberPeriod").objects.filter(member_id=m.pk).count() == 3
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(sorted(executor.loader.graph.leaf_nodes()))
    assert _carried(m) == {("F", "02", "Phật giáo", D(1983, 7, 8), "12/12", "so_cap", D(2015, 5, 10), True)}
    assert_every_period_carries_its_sources()
