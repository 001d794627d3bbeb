import datetime as dt
import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.errors import DomainError
from dangvu.members.models import MemberEventKind as E
from dangvu.members.restructuring import organization_dissolve
from dangvu.members.services import member_record_event
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.services import organization_change_kind, organization_establish, organization_move
from dangvu.reports.queries import children_counts, snapshot, snapshot_reference_sql

D = dt.date

CONTRACT_KEYS = {"org", "as_of", "organizations", "members"}
ORG_KEYS = {"grassroots", "grassroots_committees", "grassroots_cells", "partial_committees", "subordinate_cells"}
MEMBER_KEYS = {"total", "official", "probationary", "female", "ethnic_minority", "religious", "exempted"}


def members(org, day):
    return snapshot(org, day)["members"]


def test_snapshot_has_exactly_the_keys_of_the_contract(tree, make_member):
    make_member(tree["C01"])
    data = snapshot(tree["H01"], D(2024, 12, 31))
    assert set(data) == CONTRACT_KEYS
    assert set(data["org"]) == {"code", "name"}
    assert set(data["organizations"]) == ORG_KEYS
    assert set(data["members"]) == MEMBER_KEYS
    assert data["org"] == {"code": "H01", "name": "Đảng bộ huyện Mường Lay"}
    assert data["as_of"] == "2024-12-31"
    assert all(isinstance(v, int) for v in [*data["organizations"].values(), *data["members"].values()])


def test_snapshot_counts_organizations_of_the_subtree_by_kind(big_tree):
    orgs = snapshot(big_tree["H01"], D(2020, 1, 1))["organizations"]
    assert orgs == {"grassroots": 3, "grassroots_committees": 2, "grassroots_cells": 1,
                    "partial_committees": 1, "subordinate_cells": 4}
    assert snapshot(big_tree["X01"], D(2020, 1, 1))["organizations"] == {
        "grassroots": 1, "grassroots_committees": 1, "grassroots_cells": 0, "partial_committees": 1,
        "subordinate_cells": 3}


def test_the_root_counts_itself_when_it_is_of_a_counted_kind(big_tree):
    day = D(2020, 1, 1)
    assert snapshot(big_tree["X02"], day)["organizations"] == {
        "grassroots": 1, "grassroots_committees": 0, "grassroots_cells": 1, "partial_committees": 0,
        "subordinate_cells": 0}
    assert snapshot(big_tree["C01"], day)["organizations"]["subordinate_cells"] == 1
    assert snapshot(big_tree["P01"], day)["organizations"] == {
        "grassroots": 0, "grassroots_committees": 0, "grassroots_cells": 0, "partial_committees": 1,
        "subordinate_cells": 1}
    # a district committee is not one of the counted kinds: H01 counts only what is below it
    assert sum(snapshot(big_tree["H01"], day)["organizations"].values()) == 3 + 2 + 1 + 1 + 4


def test_kinds_are_counted_as_they_were_on_the_day(tree):
    organization_change_kind(tree["X02"], kind=K.GRASSROOTS_COMMITTEE, effective_on=D(2020, 7, 1))
    before = snapshot(tree["H01"], D(2020, 6, 30))["organizations"]
    after = snapshot(tree["H01"], D(2020, 7, 1))["organizations"]
    assert (before["grassroots_committees"], before["grassroots_cells"]) == (1, 1)
    assert (after["grassroots_committees"], after["grassroots_cells"]) == (2, 0)
    assert before["grassroots"] == after["grassroots"] == 2


def test_member_attributes_are_counted(tree, make_member):
    make_member(tree["C01"], made_official_on=D(2016, 5, 19), sex="F", ethnicity="Thái")
    make_member(tree["C01"], made_official_on=D(2016, 5, 19), religion="Công giáo")
    make_member(tree["C02"], sex="F", religion="Không")
    make_member(tree["X02"], ethnicity="Mông", religion="Phật giáo")
    assert members(tree["H01"], D(2020, 1, 1)) == {
        "total": 4, "official": 2, "probationary": 2, "female": 2, "ethnic_minority": 2, "religious": 2,
        "exempted": 0}
    assert members(tree["X01"], D(2020, 1, 1))["total"] == 3
    assert members(tree["C02"], D(2020, 1, 1))["female"] == 1
    assert members(tree["X02"], D(2020, 1, 1))["ethnic_minority"] == 1


def test_status_follows_the_day_a_member_was_made_official(tree, make_member):
    make_member(tree["C01"], admitted_on=D(2015, 5, 19), made_official_on=D(2016, 5, 19))
    assert members(tree["H01"], D(2015, 5, 18))["total"] == 0
    first = members(tree["H01"], D(2015, 5, 19))
    assert (first["total"], first["probationary"], first["official"]) == (1, 1, 0)
    later = members(tree["H01"], D(2016, 5, 19))
    assert (later["total"], later["probationary"], later["official"]) == (1, 0, 1)


def test_moves_death_and_exemption_follow_the_day(tree, make_member):
    mover = make_member(tree["C01"], made_official_on=D(2016, 5, 19), sex="F")
    member_record_event(mover, kind=E.MOVED, effective_on=D(2020, 1, 1), cell=tree["X02"])
    dead = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    member_record_event(dead, kind=E.DIED, effective_on=D(2023, 6, 1))
    old = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    member_record_event(old, kind=E.EXEMPTED, effective_on=D(2021, 3, 1))
    member_record_event(old, kind=E.EXEMPTION_ENDED, effective_on=D(2022, 3, 1))

    assert members(tree["X01"], D(2019, 12, 31))["total"] == 3
    assert members(tree["X01"], D(2019, 12, 31))["female"] == 1
    assert members(tree["X01"], D(2020, 1, 1))["total"] == 2
    assert members(tree["X02"], D(2020, 1, 1))["female"] == 1
    assert members(tree["H01"], D(2020, 1, 1))["total"] == 3
    assert members(tree["H01"], D(2021, 3, 1))["exempted"] == 1
    assert members(tree["H01"], D(2021, 3, 1))["total"] == 3  # exempted members still count
    assert members(tree["H01"], D(2022, 3, 1))["exempted"] == 0
    assert members(tree["H01"], D(2023, 5, 31))["total"] == 3
    assert members(tree["H01"], D(2023, 6, 1))["total"] == 2
    assert members(tree["C02"], D(2023, 6, 1))["total"] == 1


def test_transfer_out_ends_the_count(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.TRANSFERRED_OUT, effective_on=D(2022, 1, 1))
    assert members(tree["H01"], D(2021, 12, 31))["total"] == 1
    assert members(tree["H01"], D(2022, 1, 1))["total"] == 0


def test_a_dissolved_cell_is_counted_only_while_it_exists(tree, make_member):
    c5 = organization_establish(code="C05", name="Chi bộ bản Co Đứa", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                                established_on=D(2012, 1, 1))
    m = make_member(c5, made_official_on=D(2016, 5, 19))
    member_record_event(m, kind=E.MOVED, effective_on=D(2019, 6, 1), cell=tree["C01"])
    organization_dissolve(c5, effective_on=D(2019, 6, 1))
    before, after = snapshot(tree["X01"], D(2019, 5, 31)), snapshot(tree["X01"], D(2019, 6, 1))
    assert before["organizations"]["subordinate_cells"] == 3
    assert after["organizations"]["subordinate_cells"] == 2
    assert before["members"]["total"] == after["members"]["total"] == 1
    assert members(c5, D(2019, 5, 31))["total"] == 1
    with pytest.raises(DomainError):
        snapshot(c5, D(2019, 6, 1))


def test_a_member_follows_the_cell_when_the_cell_moves_to_another_parent(big_tree, make_member):
    m = make_member(big_tree["C02"], made_official_on=D(2016, 5, 19))
    organization_move(big_tree["C02"], parent=big_tree["X03"], effective_on=D(2022, 1, 1))
    assert members(big_tree["X01"], D(2021, 12, 31))["total"] == 1
    assert members(big_tree["X03"], D(2021, 12, 31))["total"] == 0
    assert members(big_tree["X01"], D(2022, 1, 1))["total"] == 0
    assert members(big_tree["X03"], D(2022, 1, 1))["total"] == 1
    assert members(big_tree["H01"], D(2022, 1, 1))["total"] == 1
    assert snapshot(big_tree["X01"], D(2021, 12, 31))["organizations"]["subordinate_cells"] == 3  # C01, C02, C04
    assert snapshot(big_tree["X01"], D(2022, 1, 1))["organizations"]["subordinate_cells"] == 2
    assert snapshot(big_tree["X03"], D(2022, 1, 1))["organizations"]["subordinate_cells"] == 2
    m.refresh_from_db()
    assert m.cell_id == big_tree["C02"].pk


def test_the_name_is_the_name_on_the_day(tree):
    from dangvu.organizations.services import organization_rename

    organization_rename(tree["X01"], name="Đảng bộ xã Nà Hỳ mới", effective_on=D(2025, 7, 1))
    assert snapshot(tree["X01"], D(2025, 6, 30))["org"]["name"] == "Đảng bộ xã Nà Hỳ"
    assert snapshot(tree["X01"], D(2025, 7, 1))["org"]["name"] == "Đảng bộ xã Nà Hỳ mới"


def test_as_of_before_establishment_is_refused(tree):
    with pytest.raises(DomainError) as exc:
        snapshot(tree["X01"], D(2011, 12, 31))
    assert "31/12/2011" in exc.value.message and tree["X01"].name in exc.value.message
    assert exc.value.field == "as_of"
    assert snapshot(tree["X01"], D(2012, 1, 1))["org"]["code"] == "X01"


def test_snapshot_takes_the_same_few_statements_whatever_the_number_of_members(tree, make_member):
    """One statement (PostgreSQL: two, the subtree's organizations being read first), set-based."""
    counts = []
    for n in (1, 6):
        for _ in range(n):
            make_member(tree["C01"])
        with CaptureQueriesContext(connection) as ctx:
            snapshot(tree["H01"], D(2020, 1, 1))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == (2 if connection.vendor == "postgresql" else 1)


def test_reference_sql_aggregates_the_same_rows(tree, make_member):
    make_member(tree["C01"], made_official_on=D(2016, 5, 19), sex="F", ethnicity="Thái")
    make_member(tree["X02"], religion="Phật giáo")
    sql, params = snapshot_reference_sql(tree["H01"], D(2020, 1, 1))
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    data = members(tree["H01"], D(2020, 1, 1))
    assert [int(v) for v in row] == [data[k] for k in
                                     ("total", "official", "probationary", "female", "ethnic_minority", "religious",
                                      "exempted")]


def test_children_counts_give_cells_and_members_per_child_subtree(big_tree, make_member):
    make_member(big_tree["C01"], made_official_on=D(2016, 5, 19))
    make_member(big_tree["C04"])
    make_member(big_tree["X02"], made_official_on=D(2016, 5, 19))
    rows = {r["code"]: r for r in children_counts(big_tree["H01"], D(2020, 1, 1))}
    assert set(rows) == {"X01", "X02", "X03"}
    assert (rows["X01"]["cells"], rows["X01"]["members"], rows["X01"]["official"], rows["X01"]["probationary"]) == (3, 2, 1, 1)
    assert (rows["X02"]["cells"], rows["X02"]["members"]) == (1, 1)
    assert (rows["X03"]["cells"], rows["X03"]["members"]) == (1, 0)
    assert children_counts(big_tree["C01"], D(2020, 1, 1)) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite plan guard (perf §9.5)")
def test_sqlite_plan_reads_member_periods_from_the_covering_cell_index_alone(tree, make_member):
    from dangvu.reports.queries import _snapshot_sql

    make_member(tree["C01"])
    sql, params = _snapshot_sql(tree["H01"].pk, D(2020, 1, 1))
    with connection.cursor() as cur:
        cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cur.fetchall()]
    assert any(step.startswith("SEARCH mp USING COVERING INDEX memberperiod_cell_cover_idx") for step in plan), plan
    assert not any(" m " in f" {step} " or step.startswith("SCAN mp") for step in plan), plan  # no member table


@pytest.mark.parametrize("every_period", [False, True])
def test_dashboard_figures_from_one_statement_equal_the_snapshot_children_and_weak_cells(
        big_tree, make_member, monkeypatch, every_period):
    """The dashboard's one statement gives what snapshot, children_counts and cells_below_minimum give
    apart — counting from the subtree's cells or from every member period of the day (both plans)."""
    from dangvu.members.selectors import cells_below_minimum

    snapshot_module = importlib.import_module("dangvu.reports.queries.snapshot")  # the name is also a function

    monkeypatch.setattr(snapshot_module, "counts_read_every_period", lambda org: every_period)
    for _ in range(3):
        make_member(big_tree["C01"], made_official_on=D(2016, 5, 19), sex="F")
    make_member(big_tree["C04"], religion="Phật giáo")
    make_member(big_tree["C04"], ethnicity="Thái", made_official_on=D(2016, 5, 19))
    make_member(big_tree["X02"], made_official_on=D(2016, 5, 19))
    make_member(big_tree["C03"], made_official_on=D(2016, 5, 19))
    outside = organization_establish(code="H09", name="Huyện khác", kind=K.DISTRICT)
    other = organization_establish(code="X09", name="Xã khác", kind=K.GRASSROOTS_CELL, parent=outside,
                                   established_on=D(2012, 1, 1))
    make_member(other, made_official_on=D(2016, 5, 19))  # counted in no subtree of H01
    for org, day in ((big_tree["H01"], D(2020, 1, 1)), (big_tree["X01"], D(2020, 1, 1)), (big_tree["C01"], D(2020, 1, 1)),
                     (big_tree["H01"], D(2011, 1, 1))):
        snap, children, warnings = snapshot_module.dashboard_figures(org, day)
        assert snap == snapshot(org, day)
        assert children == children_counts(org, day)
        expected = cells_below_minimum(org, day)
        assert [(w["id"], w["name"], w["official"]) for w in warnings] == [(w["id"], w["name"], w["official"])
                                                                            for w in expected]
        assert all(w["code"] for w in warnings)
    with pytest.raises(DomainError):
        snapshot_module.dashboard_figures(big_tree["X03"], D(2000, 1, 1))  # established in 2012


def test_snapshot_and_profile_follow_a_correction_of_sex_ethnicity_and_religion(tree, make_member):
    from dangvu.members.services import member_update_profile
    from dangvu.reports.queries import profile

    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    make_member(tree["C02"], sex="F")
    before = snapshot(tree["H01"], D(2020, 1, 1))["members"]
    assert (before["female"], before["ethnic_minority"], before["religious"]) == (1, 0, 0)
    member_update_profile(m, sex="F", ethnicity="Thái", religion="Phật giáo")
    after = snapshot(tree["H01"], D(2020, 1, 1))["members"]
    assert (after["female"], after["ethnic_minority"], after["religious"]) == (2, 1, 1)
    members = profile(tree["H01"], D(2020, 1, 1))["members"]
    assert members["by_sex"] == {"male": 0, "female": 2}
    assert members["by_religion"] == {"Phật giáo": 1, "Không": 1}
