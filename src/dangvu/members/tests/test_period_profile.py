"""Member periods carry the member's sex, ethnicity and religion (issue 11): every writer of periods
copies them, every edit of them rewrites the member's periods, and the migration fills existing rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dangvu.members.bulk import bulk_update_profiles, bulk_write
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import (
    copy_profile_to_periods,
    member_record_event,
    member_update_profile,
    rebuild,
)

D = dt.date


def _carried(member) -> set[tuple]:
    return set(MemberPeriod.objects.filter(member=member).values_list("sex", "ethnicity", "religion"))


def _own(member) -> set[tuple]:
    member.refresh_from_db()
    return {(member.sex, member.ethnicity, member.religion)}


def test_registered_members_periods_carry_their_sex_ethnicity_and_religion(tree, make_member):
    m = make_member(tree["C01"], sex="F", ethnicity="Thái", religion="Phật giáo", made_official_on=D(2016, 5, 19))
    assert MemberPeriod.objects.filter(member=m).count() == 2
    assert _carried(m) == {("F", "03", "Phật giáo")} == _own(m)


def test_bulk_written_periods_carry_the_members_fields(tree):
    m = Member(code="B1", full_name="Lò Thị Mai", birth_date=D(1980, 1, 1), sex="F", ethnicity="03",
               religion="Công giáo", admitted_on=D(2010, 1, 1), cell=tree["C01"], status="probationary")
    bulk_write([m], [MemberEvent(member=m, kind=E.ADMITTED, effective_on=D(2010, 1, 1), cell=tree["C01"]),
                     MemberEvent(member=m, kind=E.MADE_OFFICIAL, effective_on=D(2011, 1, 1))], audit=False)
    assert MemberPeriod.objects.filter(member=m).count() == 2
    assert _carried(m) == {("F", "03", "Công giáo")}


def test_editing_sex_ethnicity_or_religion_rewrites_every_period_of_that_member_only(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.MOVED, effective_on=D(2018, 1, 1), cell=tree["C02"])
    other = make_member(tree["C01"])
    assert MemberPeriod.objects.filter(member=m).count() == 3
    member_update_profile(m, sex="F")
    assert _carried(m) == {("F", "01", "")} == _own(m)
    member_update_profile(m, ethnicity="Mường", religion="Công giáo")
    assert _carried(m) == {("F", "06", "Công giáo")} == _own(m)
    member_update_profile(m, religion="Không")  # "none" is stored empty
    assert _carried(m) == {("F", "06", "")} == _own(m)
    assert _carried(other) == {("M", "01", "")}


def test_an_event_recorded_over_an_older_instance_keeps_the_corrected_fields(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    stale = Member.objects.get(pk=m.pk)
    member_update_profile(m, sex="F")
    member_record_event(stale, kind=E.MOVED, effective_on=D(2018, 1, 1), cell=tree["C02"])  # rebuilds the periods
    assert _carried(m) == {("F", "01", "")}


def test_profile_corrections_in_bulk_rewrite_the_periods(tree, make_member):
    a = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    b = make_member(tree["C02"])
    bulk_update_profiles([(a.pk, {"sex": "M", "religion": ""}, {"sex": "F", "religion": "Tin lành"}),
                          (b.pk, {"occupation": ""}, {"occupation": "Giáo viên"})])
    assert _carried(a) == {("F", "01", "Tin lành")} == _own(a)
    assert _carried(b) == {("M", "01", "")}


def test_copy_profile_to_periods_repairs_every_member_when_given_no_ids(tree, make_member):
    a, b = make_member(tree["C01"]), make_member(tree["C02"], sex="F")
    MemberPeriod.objects.update(sex="", ethnicity="", religion="x")
    assert copy_profile_to_periods() == 2
    assert _carried(a) == {("M", "01", "")} and _carried(b) == {("F", "01", "")}
    rebuild(a)
    assert _carried(a) == {("M", "01", "")}


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_carried_fields_of_existing_periods(tree, make_member):
    m = make_member(tree["C01"], sex="F", ethnicity="Tày", religion="Phật giáo", made_official_on=D(2016, 5, 19))
    try:
        old = MigrationExecutor(connection)
        old.migrate([("members", "0014_status_card_index")])
        apps = MigrationExecutor(connection).loader.project_state(("members", "0014_status_card_index")).apps
        assert apps.get_model("members", "MemberPeriod").objects.filter(member_id=m.pk).count() == 2
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(sorted(executor.loader.graph.leaf_nodes()))
    assert _carried(m) == {("F", "02", "Phật giáo")}
