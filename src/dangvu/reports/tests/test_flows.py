"""`report flows` (contracts §1, §3): the figures, the lists behind them, the command line, the web
page and the API."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangvu import cli
from dangvu.core.errors import DomainError
from dangvu.members.models import MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_readmit, member_record_event, rebuild
from dangvu.organizations.services import Decision, organization_establish, organization_move
from dangvu.reports import exporters
from dangvu.reports.queries import FLOW_KEYS, FLOW_LIST_KEYS, flow_members, flows, flows_unexplained, snapshot

D = dt.date
F, T = D(2024, 1, 1), D(2024, 12, 31)  # the period of most tests
URL = "/reports/flows/"
API = "/api/reports/flows/"
CONTRACT_KEYS = {"org", "from", "to", *FLOW_KEYS, "badges_awarded"}


def record(member, kind, day, cell=None, value=""):
    return member_record_event(member, kind=kind, effective_on=day, cell=cell, value=value)


def figures(org, start=F, end=T):
    data = flows(org, start, end)
    return {k: v for k, v in data.items() if k in FLOW_KEYS and v}


def listed(org, key, start=F, end=T, milestone=None):
    return [(e.member.code, e.kind, e.effective_on) for e in flow_members(org, start, end, key, milestone)]


# --- The figures -----------------------------------------------------------------------------------


def test_flows_has_the_keys_of_the_contract(tree, make_member):
    make_member(tree["C01"], admitted_on=D(2024, 3, 1))
    data = flows(tree["H01"], F, T)
    assert CONTRACT_KEYS <= set(data)
    assert set(data) - CONTRACT_KEYS == {"members_start", "members_end", "reorganized_in", "reorganized_out"}
    assert data["org"] == {"code": "H01", "name": "Đảng bộ huyện Mường Lay"}
    assert (data["from"], data["to"]) == ("2024-01-01", "2024-12-31")
    assert all(isinstance(data[k], int) for k in FLOW_KEYS)
    assert data["badges_awarded"] == {}
    assert list(data)[:3] == ["org", "from", "to"]
    assert json.loads(exporters.to_json(data)) == data


def test_admissions_and_official_status_are_counted_where_the_member_was_placed(tree, make_member):
    make_member(tree["C01"], admitted_on=D(2024, 3, 1))
    make_member(tree["C02"], admitted_on=D(2023, 5, 1), made_official_on=D(2024, 5, 1))
    make_member(tree["X02"], admitted_on=D(2024, 6, 1))
    assert figures(tree["H01"]) == {"admitted": 2, "made_official": 1}
    assert figures(tree["X01"]) == {"admitted": 1, "made_official": 1}
    assert figures(tree["C02"]) == {"made_official": 1}
    assert figures(tree["X02"]) == {"admitted": 1}


def test_both_ends_of_the_period_are_included(tree, make_member):
    for day in (D(2023, 12, 31), F, T, D(2025, 1, 1)):
        make_member(tree["C01"], admitted_on=day)
    assert flows(tree["H01"], F, T)["admitted"] == 2
    assert flows(tree["H01"], F, F)["admitted"] == 1  # a period of one day
    assert flows(tree["H01"], T, T)["admitted"] == 1
    assert flows(tree["H01"], D(2023, 12, 31), D(2025, 1, 1))["admitted"] == 4


def test_a_move_between_two_cells_inside_the_subtree_is_no_flow(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    record(m, E.MOVED, D(2024, 6, 1), tree["C02"])
    assert figures(tree["X01"]) == {}
    assert figures(tree["H01"]) == {}
    # …but for each cell it is a transfer
    assert figures(tree["C01"]) == {"transferred_out": 1}
    assert figures(tree["C02"]) == {"transferred_in": 1}


def test_a_move_across_the_boundary_is_a_transfer_out_of_one_subtree_and_into_the_other(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    record(m, E.MOVED, D(2024, 6, 1), tree["X02"])
    assert figures(tree["X01"]) == {"transferred_out": 1}
    assert figures(tree["X02"]) == {"transferred_in": 1}
    assert figures(tree["H01"]) == {}
    assert listed(tree["X01"], "transferred_out") == [(m.code, E.MOVED, D(2024, 6, 1))]
    assert listed(tree["X02"], "transferred_in") == [(m.code, E.MOVED, D(2024, 6, 1))]
    # a move on the first day counts; one on the day after the last does not
    assert figures(tree["X01"], D(2024, 6, 1), D(2024, 6, 1)) == {"transferred_out": 1}
    assert figures(tree["X01"], F, D(2024, 5, 31)) == {}


def test_transfers_from_and_out_of_the_database_are_transfers(tree, make_member):
    newcomer = make_member(tree["C01"], admitted_on=D(2010, 5, 1), placed_on=D(2024, 2, 1))  # came from elsewhere
    leaver = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    record(leaver, E.TRANSFERRED_OUT, D(2024, 9, 1))
    assert figures(tree["X01"]) == {"transferred_in": 1, "transferred_out": 1}
    assert figures(tree["H01"]) == {"transferred_in": 1, "transferred_out": 1}
    assert figures(tree["X02"]) == {}
    assert listed(tree["H01"], "transferred_in") == [(newcomer.code, E.TRANSFERRED_IN, D(2024, 2, 1))]
    assert listed(tree["H01"], "transferred_out") == [(leaver.code, E.TRANSFERRED_OUT, D(2024, 9, 1))]
    assert flows(tree["H01"], F, T)["admitted"] == 0  # admitted elsewhere, in 2010


def test_admitted_elsewhere_and_transferred_in_on_the_same_day_counts_once_as_the_admission(tree, make_member):
    m = make_member(tree["C01"], admitted_on=D(2024, 3, 1), placed_on=D(2024, 3, 10))
    MemberEvent.objects.filter(member=m, kind=E.TRANSFERRED_IN).update(effective_on=D(2024, 3, 1))
    rebuild(m)
    assert figures(tree["H01"]) == {"admitted": 1}
    assert flows(tree["H01"], F, T)["members_end"] == 1


@pytest.mark.parametrize("kind, key", [(E.DIED, "died"), (E.REMOVED, "removed"), (E.EXPELLED, "expelled"),
                                       (E.RESIGNED, "resigned"), (E.TRANSFERRED_OUT, "transferred_out")])
def test_exits_count_where_the_member_was_placed_the_day_before(tree, make_member, kind, key):
    m = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    record(m, kind, D(2024, 4, 1))
    assert figures(tree["H01"]) == {key: 1}
    assert figures(tree["X01"]) == {key: 1}
    assert figures(tree["C02"]) == {key: 1}
    assert figures(tree["C01"]) == {}
    assert figures(tree["X02"]) == {}
    assert listed(tree["X01"], key) == [(m.code, kind, D(2024, 4, 1))]
    # both ends: an exit on the first or the last day counts, one the day after does not
    assert figures(tree["H01"], D(2024, 4, 1), D(2024, 4, 1)) == {key: 1}
    assert figures(tree["H01"], F, D(2024, 3, 31)) == {}
    assert figures(tree["H01"], D(2024, 4, 2), T) == {}


def test_an_exit_right_after_a_move_counts_in_the_new_cell(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    record(m, E.MOVED, D(2024, 4, 1), tree["X02"])
    record(m, E.DIED, D(2024, 4, 2))
    assert figures(tree["X01"]) == {"transferred_out": 1}
    assert figures(tree["X02"]) == {"transferred_in": 1, "died": 1}
    assert figures(tree["H01"]) == {"died": 1}


def test_cards_and_badges_by_milestone(tree, make_member):
    a = make_member(tree["C01"], admitted_on=D(1984, 1, 1), made_official_on=D(1985, 1, 1), birth_date=D(1960, 1, 1),
                    placed_on=D(2012, 1, 1))
    b = make_member(tree["C02"], admitted_on=D(1994, 1, 1), made_official_on=D(1995, 1, 1), birth_date=D(1960, 1, 1),
                    placed_on=D(2012, 1, 1))
    c = make_member(tree["X02"], admitted_on=D(1979, 1, 1), made_official_on=D(1980, 1, 1), birth_date=D(1950, 1, 1),
                    placed_on=D(2012, 1, 1))
    d = make_member(tree["C01"], admitted_on=D(1994, 1, 1), made_official_on=D(1995, 1, 1), birth_date=D(1960, 1, 1),
                    placed_on=D(2012, 1, 1))
    record(a, E.BADGE_AWARDED, D(2024, 2, 3), value="40")
    record(b, E.BADGE_AWARDED, D(2024, 2, 3), value="30")
    record(c, E.BADGE_AWARDED, D(2024, 2, 3), value="45")
    record(d, E.BADGE_AWARDED, D(2024, 9, 2), value="30")
    record(d, E.BADGE_AWARDED, D(2023, 9, 2), value="30")  # before the period
    record(a, E.CARD_ISSUED, D(2024, 5, 19), value="01234567")
    record(c, E.CARD_ISSUED, D(2024, 5, 19), value="07654321")
    data = flows(tree["H01"], F, T)
    assert data["badges_awarded"] == {"30": 2, "40": 1, "45": 1}
    assert list(data["badges_awarded"]) == ["30", "40", "45"]  # by milestone
    assert data["cards_issued"] == 2
    assert flows(tree["X01"], F, T)["badges_awarded"] == {"30": 2, "40": 1}
    assert flows(tree["X02"], F, T)["badges_awarded"] == {"45": 1}
    assert {e.member.code for e in flow_members(tree["H01"], F, T, "badges_awarded", 30)} == {b.code, d.code}
    assert len(flow_members(tree["H01"], F, T, "badges_awarded")) == 4
    assert [e.member.code for e in flow_members(tree["H01"], F, T, "badges_awarded", 45)] == [c.code]
    assert list(flow_members(tree["H01"], F, T, "badges_awarded", 50)) == []


def test_an_organization_moving_across_the_boundary_carries_its_members_as_reorganized(big_tree, make_member):
    make_member(big_tree["C02"], made_official_on=D(2016, 5, 19))
    organization_move(big_tree["C02"], parent=big_tree["X03"], effective_on=D(2024, 6, 1))
    x1, x3, h1 = flows(big_tree["X01"], F, T), flows(big_tree["X03"], F, T), flows(big_tree["H01"], F, T)
    assert figures(big_tree["X01"]) == {} and figures(big_tree["X03"]) == {}  # no member flow
    assert (x1["members_start"], x1["members_end"], x1["reorganized_in"], x1["reorganized_out"]) == (1, 0, 0, 1)
    assert (x3["members_start"], x3["members_end"], x3["reorganized_in"], x3["reorganized_out"]) == (0, 1, 1, 0)
    assert (h1["reorganized_in"], h1["reorganized_out"]) == (0, 0)  # inside the district both days
    # the identity of contracts §3 holds
    assert flows_unexplained(x1) == flows_unexplained(x3) == flows_unexplained(h1) == 0
    assert exporters.flows_unexplained_text(x3) is None
    big = {**dict.fromkeys(FLOW_KEYS, 0), "members_start": 0, "members_end": 1154}
    assert "+1.154" in exporters.flows_unexplained_text(big)  # Vietnamese grouping


def test_a_period_that_begins_on_the_move_counts_the_carried_members(big_tree, make_member):
    make_member(big_tree["C02"], made_official_on=D(2016, 5, 19))
    organization_move(big_tree["C02"], parent=big_tree["X03"], effective_on=D(2024, 6, 1))
    day = flows(big_tree["X03"], D(2024, 6, 1), D(2024, 6, 1))
    assert (day["members_start"], day["reorganized_in"], day["members_end"]) == (0, 1, 1)
    before = flows(big_tree["X03"], D(2024, 1, 1), D(2024, 5, 31))
    after = flows(big_tree["X03"], D(2024, 6, 2), D(2024, 12, 31))
    assert before["reorganized_in"] == after["reorganized_in"] == 0


def test_a_renamed_cell_inside_the_subtree_carries_nobody(big_tree, make_member):
    from dangvu.organizations.services import organization_rename

    make_member(big_tree["C02"], made_official_on=D(2016, 5, 19))
    organization_rename(big_tree["C02"], name="Chi bộ bản Mới", effective_on=D(2024, 3, 1))
    organization_rename(big_tree["X01"], name="Đảng bộ xã Mới", effective_on=D(2024, 4, 1))
    data = flows(big_tree["X01"], F, T)
    assert (data["reorganized_in"], data["reorganized_out"], flows_unexplained(data)) == (0, 0, 0)


def test_members_rehomed_by_a_merge_across_the_boundary_are_reorganized_not_transferred(big_tree, make_member):
    from dangvu.members.restructuring import organization_merge

    make_member(big_tree["C02"], made_official_on=D(2016, 5, 19))
    make_member(big_tree["C02"], made_official_on=D(2016, 5, 19))
    organization_merge(sources=[big_tree["C02"]], target=big_tree["C03"], effective_on=D(2024, 6, 1))
    x1, x3 = flows(big_tree["X01"], F, T), flows(big_tree["X03"], F, T)
    assert (x1["transferred_out"], x1["reorganized_out"], x1["members_end"]) == (0, 2, x1["members_start"] - 2)
    assert (x3["transferred_in"], x3["reorganized_in"]) == (0, 2)
    assert flows_unexplained(x1) == flows_unexplained(x3) == 0


def test_events_count_in_the_subtree_as_it_stood_on_their_day(big_tree, make_member):
    old = D(1984, 1, 1)
    m = make_member(big_tree["C02"], admitted_on=old, made_official_on=D(1985, 1, 1), birth_date=D(1960, 1, 1),
                    placed_on=D(2012, 1, 1))
    organization_move(big_tree["C02"], parent=big_tree["X03"], effective_on=D(2024, 6, 1))
    record(m, E.BADGE_AWARDED, D(2024, 5, 31), value="40")  # C02 still under X01
    record(m, E.CARD_ISSUED, D(2024, 6, 1), value="01234567")  # C02 under X03 from this day
    record(m, E.DIED, D(2024, 6, 2))  # placed under X03 the day before
    assert figures(big_tree["X01"]) == {}
    assert flows(big_tree["X01"], F, T)["badges_awarded"] == {"40": 1}
    assert figures(big_tree["X03"]) == {"cards_issued": 1, "died": 1}
    assert flows(big_tree["X03"], F, T)["badges_awarded"] == {}
    # an exit on the day the cell moved counts where the cell was the day before
    n = make_member(big_tree["C01"], made_official_on=D(2016, 5, 19))
    organization_move(big_tree["C01"], parent=big_tree["X03"], effective_on=D(2024, 8, 1))
    record(n, E.RESIGNED, D(2024, 8, 1))
    assert flows(big_tree["X01"], F, T)["resigned"] == 1
    assert flows(big_tree["X03"], F, T)["resigned"] == 0


def test_a_move_into_a_cell_that_joins_the_subtree_the_same_day_is_no_flow(big_tree, make_member):
    m = make_member(big_tree["C01"], made_official_on=D(2016, 5, 19))
    day = D(2024, 6, 1)
    organization_move(big_tree["C03"], parent=big_tree["X01"], effective_on=day)
    record(m, E.MOVED, day, big_tree["C03"])  # C03 was outside X01 the day before, inside on the day
    assert figures(big_tree["X01"]) == {}
    assert figures(big_tree["X03"]) == {}


def test_members_at_both_ends_are_those_of_the_snapshot_and_add_up(tree, make_member):
    a = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    b = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    make_member(tree["X02"], made_official_on=D(2016, 5, 19))
    make_member(tree["C02"], admitted_on=D(2024, 7, 1))
    make_member(tree["C02"], admitted_on=D(2005, 7, 1), placed_on=D(2024, 8, 1))
    record(a, E.MOVED, D(2024, 3, 1), tree["X02"])
    record(b, E.DIED, D(2024, 10, 1))
    for org in (tree["H01"], tree["X01"], tree["X02"], tree["C01"], tree["C02"]):
        data = flows(org, F, T)
        assert data["members_start"] == snapshot(org, D(2023, 12, 31))["members"]["total"]
        assert data["members_end"] == snapshot(org, T)["members"]["total"]
        change = sum(data[k] for k in ("admitted", "transferred_in")) - sum(
            data[k] for k in ("transferred_out", "died", "removed", "expelled", "resigned"))
        assert data["members_end"] == data["members_start"] + change, org.code
    assert (flows(tree["X01"], F, T)["members_start"], flows(tree["X01"], F, T)["members_end"]) == (2, 2)


def test_an_organization_established_in_the_period_starts_from_zero(tree, make_member):
    from dangvu.organizations.models import OrganizationKind as K

    c5 = organization_establish(code="C05", name="Chi bộ bản Mới", kind=K.SUBORDINATE_CELL, parent=tree["X01"],
                                established_on=D(2024, 5, 1))
    make_member(c5, admitted_on=D(2024, 5, 2))
    data = flows(c5, F, T)
    assert (data["members_start"], data["admitted"], data["members_end"]) == (0, 1, 1)
    with pytest.raises(DomainError) as exc:
        flows(c5, F, D(2024, 4, 30))
    assert exc.value.field == "org" and "30/04/2024" in exc.value.message and c5.name in exc.value.message


def test_a_period_that_ends_before_it_starts_is_refused(tree):
    with pytest.raises(DomainError) as exc:
        flows(tree["H01"], T, F)
    assert exc.value.field == "from" and "31/12/2024" in exc.value.message and "01/01/2024" in exc.value.message


def test_flows_is_one_statement_whatever_the_number_of_members(tree, make_member):
    """One statement on SQLite; on PostgreSQL the subtree's pieces are read first (see
    queries._subtree_over_time), then one statement."""
    expected = 2 if connection.vendor == "postgresql" else 1
    for n in (1, 5):
        for i in range(n):
            m = make_member(tree["C01"], admitted_on=D(2024, 1, 10 + i))
            record(m, E.MOVED, D(2024, 6, 1), tree["X02"])
        with CaptureQueriesContext(connection) as ctx:
            flows(tree["H01"], F, T)
            list(flow_members(tree["H01"], F, T, "admitted"))
        assert len(ctx.captured_queries) == 2 * expected


# --- The lists behind the figures ----------------------------------------------------------------


@pytest.fixture
def year(big_tree, make_member):
    """A year with one of every flow, for the lists."""
    t = big_tree
    old = {"admitted_on": D(1984, 1, 1), "made_official_on": D(1985, 1, 1), "birth_date": D(1960, 1, 1),
           "placed_on": D(2012, 1, 1)}
    people = {
        "admitted": make_member(t["C01"], name="Lò Văn Nạp", admitted_on=D(2024, 2, 1)),
        "made_official": make_member(t["C01"], name="Lường Thị Chính", admitted_on=D(2023, 2, 1),
                                     made_official_on=D(2024, 2, 1), sex="F"),
        "moved_in": make_member(t["C03"], name="Quàng Văn Đến", made_official_on=D(2016, 5, 19)),
        "arrived": make_member(t["C04"], name="Cà Văn Về", admitted_on=D(2005, 1, 1), placed_on=D(2024, 3, 3)),
        "moved_out": make_member(t["C02"], name="Tòng Văn Đi", made_official_on=D(2016, 5, 19)),
        "left": make_member(t["C02"], name="Lù Văn Chuyển", made_official_on=D(2016, 5, 19)),
        "inside": make_member(t["C01"], name="Điêu Văn Trong", made_official_on=D(2016, 5, 19)),
        "old": make_member(t["C04"], name="Vì Văn Già", **old),
    }
    for kind, name in ((E.DIED, "Mùa A Mất"), (E.REMOVED, "Giàng A Xóa"), (E.EXPELLED, "Sùng A Trừ"),
                       (E.RESIGNED, "Vàng A Xin")):
        m = make_member(t["C02"], name=name, made_official_on=D(2016, 5, 19))
        record(m, kind, D(2024, 5, 5))
        people[kind.value] = m
    record(people["moved_in"], E.MOVED, D(2024, 4, 4), t["C01"])
    record(people["moved_out"], E.MOVED, D(2024, 4, 4), t["X02"])
    record(people["left"], E.TRANSFERRED_OUT, D(2024, 6, 6))
    record(people["inside"], E.MOVED, D(2024, 7, 7), t["C04"])
    record(people["old"], E.CARD_ISSUED, D(2024, 8, 8), value="01234567")
    record(people["old"], E.BADGE_AWARDED, D(2024, 8, 8), value="40")
    # removed before the year (a decrease of 2023), restored in it
    people["restored"] = make_member(t["C02"], name="Hà Văn Phục", made_official_on=D(2016, 5, 19))
    record(people["restored"], E.REMOVED, D(2023, 3, 3))
    member_record_event(people["restored"], kind=E.RESTORED, effective_on=D(2024, 9, 9), cell=t["C01"],
                        decision=Decision("15-QĐ/HU", D(2024, 9, 1)))
    return people


def test_each_figure_has_its_list_of_events_and_members(big_tree, year):
    x1 = big_tree["X01"]
    data = flows(x1, F, T)
    assert {k: data[k] for k in FLOW_KEYS} == {
        "admitted": 1, "made_official": 1, "transferred_in": 2, "transferred_out": 2, "died": 1, "removed": 1,
        "expelled": 1, "resigned": 1, "cards_issued": 1, "restored": 1}
    assert data["badges_awarded"] == {"40": 1}
    assert flows_unexplained(data) == 0
    for key in FLOW_LIST_KEYS:
        events = list(flow_members(x1, F, T, key))
        expected = sum(data["badges_awarded"].values()) if key == "badges_awarded" else data[key]
        assert len(events) == expected, key
    names = {key: {e.member.full_name for e in flow_members(x1, F, T, key)} for key in FLOW_LIST_KEYS}
    assert names["transferred_in"] == {"Quàng Văn Đến", "Cà Văn Về"}
    assert names["transferred_out"] == {"Tòng Văn Đi", "Lù Văn Chuyển"}
    assert names["died"] == {"Mùa A Mất"} and names["expelled"] == {"Sùng A Trừ"}
    assert names["restored"] == {"Hà Văn Phục"}
    assert "Điêu Văn Trong" not in set().union(*names.values())  # moved inside the subtree


def test_a_readmission_counts_as_an_admission_of_its_period(big_tree, make_member):
    m = make_member(big_tree["C02"], name="Lò Văn Lại", made_official_on=D(2016, 5, 19))
    record(m, E.REMOVED, D(2020, 3, 3))
    member_readmit(m, on=D(2024, 6, 6), cell=big_tree["C01"], decision=Decision("7-QĐ/HU", D(2024, 6, 1)))
    x1 = big_tree["X01"]
    assert figures(x1) == {"admitted": 1}
    assert listed(x1, "admitted") == [(m.code, E.ADMITTED, D(2024, 6, 6))]
    data = flows(x1, F, T)
    assert (data["members_start"], data["members_end"], flows_unexplained(data)) == (0, 1, 0)
    assert figures(x1, D(2020, 1, 1), D(2020, 12, 31)) == {"removed": 1}


def test_the_list_says_where_the_member_was_before_and_after(big_tree, year):
    moved_in = flow_members(big_tree["X01"], F, T, "transferred_in").get(member=year["moved_in"])
    assert (moved_in.kind, moved_in.cell_before, moved_in.cell_after) == (E.MOVED, "Chi bộ bản Mường Tùng",
                                                                         "Chi bộ bản Nà Hỳ 1")
    died = flow_members(big_tree["X01"], F, T, "died").get()
    assert (died.cell_before, died.cell_after) == ("Chi bộ bản Nà Hỳ 2", None)
    arrived = flow_members(big_tree["X01"], F, T, "transferred_in").get(member=year["arrived"])
    assert (arrived.kind, arrived.cell_before, arrived.cell_after) == (E.TRANSFERRED_IN, None, "Chi bộ tổ 4")


def test_the_lists_are_in_date_order(big_tree, year):
    days = [e.effective_on for e in flow_members(big_tree["X01"], F, T, "transferred_in")]
    assert len(days) >= 2 and len(set(days)) >= 2 and days == sorted(days)


def test_an_unknown_figure_has_no_list(tree):
    with pytest.raises(DomainError):
        flow_members(tree["H01"], F, T, "members_end")


# --- Command line ----------------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch, capsys):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test transaction open

    def _run(*args):
        try:
            code = cli.main(["report", *args])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def assert_user_error(result, *fragments):
    code, out, err = result
    assert code == 1, (code, out, err)
    assert err.startswith("Lỗi: ") or "\nLỗi: " in err
    assert "Traceback" not in err and "Traceback" not in out
    for fragment in fragments:
        assert fragment in err, (fragment, err)


ARGS = ("flows", "--org", "H01", "--from", "2024-01-01", "--to", "2024-12-31")


def test_cli_writes_the_contract_json_to_stdout(run, big_tree, year):
    code, out, err = run(*ARGS, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert CONTRACT_KEYS <= set(data)
    assert data == flows(big_tree["H01"], F, T)
    assert data["org"]["code"] == "H01" and data["from"] == "2024-01-01" and data["to"] == "2024-12-31"
    assert data["admitted"] == 1 and data["transferred_out"] == 1 and data["badges_awarded"] == {"40": 1}


def test_cli_accepts_vietnamese_dates_and_writes_json_to_a_file(run, big_tree, year, tmp_path):
    path = tmp_path / "flows.json"
    code, out, err = run("flows", "--org", "X01", "--from", "01/01/2024", "--to", "31/12/2024", "--output", str(path))
    assert code == 0, err
    assert str(path) in out
    assert json.loads(path.read_text(encoding="utf-8")) == flows(big_tree["X01"], F, T)


def test_cli_writes_an_xlsx_workbook(run, big_tree, year, tmp_path):
    path = tmp_path / "flows.xlsx"
    code, _, err = run(*ARGS, "--format", "xlsx", "--output", str(path))
    assert code == 0, err
    ws = openpyxl.load_workbook(path).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Đảng bộ huyện Mường Lay" in values
    assert any(isinstance(v, str) and "01/01/2024" in v and "31/12/2024" in v for v in values)
    labels = {ws.cell(row=c.row, column=2).value: c.value for row in ws.iter_rows(min_col=3, max_col=3) for c in row
              if isinstance(c.value, int)}
    assert labels["Kết nạp"] == 1
    assert labels["Chuyển đi"] == 1  # out of the database; the move to X02 stays inside H01


@pytest.mark.parametrize("args, fragment", [
    (("flows", "--org", "ZZ9", "--from", "2024-01-01", "--to", "2024-12-31"), "ZZ9"),
    (("flows", "--from", "2024-01-01", "--to", "2024-12-31"), "--org"),
    (("flows", "--org", "H01", "--to", "2024-12-31"), "--from"),
    (("flows", "--org", "H01", "--from", "2024-01-01"), "--to"),
    (("flows", "--org", "H01", "--from", "2024-13-01", "--to", "2024-12-31"), "2024-13-01"),
    (("flows", "--org", "H01", "--from", "2024-01-01", "--to", "31/02/2024"), "31/02/2024"),
    (("flows", "--org", "H01", "--from", "hôm qua", "--to", "2024-12-31"), "hôm qua"),
    (("flows", "--org", "H01", "--from", "2024-12-31", "--to", "2024-01-01"), "31/12/2024"),
    (("flows", "--org", "X01", "--from", "2010-01-01", "--to", "2011-12-31"), "31/12/2011"),
    (("flows", "--org", "H01", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "pdf"), "pdf"),
    (("flows", "--org", "H01", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "xlsx"), "--output"),
    (("flows", "--org", "H01", "--from"), "--from"),
    (("flows", "--org", "H01", "--since", "2024-01-01"), "--since"),
])
def test_cli_bad_input_is_a_clear_user_error(run, tree, args, fragment):
    result = run(*args)
    assert_user_error(result, fragment)
    assert result[1] == ""


def test_cli_writes_nothing_on_a_user_error(run, tree, tmp_path):
    path = tmp_path / "flows.xlsx"
    assert_user_error(run("flows", "--org", "H01", "--from", "2024-12-31", "--to", "2024-01-01", "--format", "xlsx",
                          "--output", str(path)))
    assert not path.exists()


def test_cli_help_no_longer_calls_flows_unsupported(run):
    code, out, _ = run("--help")
    assert code == 0
    flows_line = next(line for line in out.splitlines() if line.strip().startswith("flows"))
    assert "chưa hỗ trợ" not in flows_line
    assessment_line = next(line for line in out.splitlines() if line.strip().startswith("assessment"))
    assert "chưa hỗ trợ" in assessment_line


# --- Web page --------------------------------------------------------------------------------------


@pytest.fixture
def organizer(make_user, big_tree, client):
    user = make_user("tochuc", big_tree["H01"], "organizer")
    client.force_login(user)
    return user


def test_flows_url_is_named():
    assert reverse("reports:flows") == URL


def test_page_shows_the_figures_each_linking_to_its_list(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "X01", "from": "01/01/2024", "to": "31/12/2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="from" value="01/01/2024"' in html and 'name="to" value="31/12/2024"' in html
    assert response.context["data"] == flows(big_tree["X01"], F, T)
    assert 'data-key="transferred_out"' in html and 'data-key="badges_awarded.40"' in html
    assert "org=X01&amp;from=2024-01-01&amp;to=2024-12-31&amp;list=transferred_out#flow-list" in html
    assert "list=badges_awarded&amp;milestone=40#flow-list" in html
    assert "format=xlsx" in html and "format=json" not in html
    assert "Từ 01/01/2024 đến 31/12/2024" in html


def test_page_defaults_to_the_scope_root_and_this_year(client, organizer, big_tree):
    response = client.get(URL)
    today = timezone.localdate()
    assert response.status_code == 200
    data = response.context["data"]
    assert data["org"]["code"] == "H01"
    assert (data["from"], data["to"]) == (D(today.year, 1, 1).isoformat(), today.isoformat())


def test_page_lists_the_members_behind_a_figure(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "list": "transferred_in"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="flow-list"' in html
    assert "Quàng Văn Đến" in html and "Cà Văn Về" in html and "Tòng Văn Đi" not in html
    assert f"/members/{year['moved_in'].code}/" in html
    badges = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "list": "badges_awarded",
                              "milestone": "40"})
    assert [e.member.full_name for e in badges.context["flow_list"]["rows"]] == ["Vì Văn Già"]


def test_members_outside_the_scope_are_listed_without_a_link(client, make_user, big_tree, year):
    client.force_login(make_user("capxa", big_tree["X01"], "organizer"))
    response = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "list": "transferred_out"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tòng Văn Đi" in html  # moved out to X02, outside this user's scope now
    assert f"/members/{year['moved_out'].code}/" not in html
    assert f"/members/{year['left'].code}/" in html  # transferred out of the database: held by C02 still


def test_an_organization_outside_the_scope_does_not_exist(client, make_user, big_tree, year):
    client.force_login(make_user("chibo", big_tree["X02"], "secretary"))
    base = {"from": "2024-01-01", "to": "2024-12-31"}
    for params in ({"org": "X01"}, {"org": "H01", "format": "json"}, {"org": "C01", "format": "xlsx"},
                   {"org": "C01", "partial": "1"}, {"org": "X01", "list": "transferred_out"}, {"org": "NOPE"}):
        assert client.get(URL, {**base, **params}).status_code == 404, params
    assert client.get(URL, {**base, "org": "X02"}).status_code == 200


@pytest.mark.parametrize("params, fragment", [
    ({"from": "2024-13-45"}, "2024-13-45"),
    ({"to": "hôm nay"}, "hôm nay"),
    ({"from": "31/12/2024", "to": "01/01/2024"}, "31/12/2024"),
    ({"format": "pdf"}, "pdf"),
    ({"list": "everything"}, "everything"),
    ({"list": "badges_awarded", "milestone": "ba mươi"}, "ba mươi"),
])
def test_bad_input_is_a_clear_error_not_a_500(client, organizer, big_tree, params, fragment):
    response = client.get(URL, {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", **params})
    assert response.status_code == 400
    assert fragment in response.context["error"]
    html = response.content.decode()
    assert 'class="alert alert-error"' in html
    if "from" in params:
        assert f'name="from" value="{params["from"]}"' in html  # what the user typed stays in the box
    if "format" not in params:
        assert client.get(URL, {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", **params,
                                "format": "json"}).status_code == 400


def test_a_period_before_the_organization_existed_shows_a_message(client, organizer, big_tree):
    response = client.get(URL, {"org": "X01", "from": "2010-01-01", "to": "2011-12-31"})
    assert response.status_code == 200
    assert "31/12/2011" in response.context["error"] and response.context["data"] is None
    assert client.get(URL, {"org": "X01", "from": "2010-01-01", "to": "2011-12-31", "format": "xlsx"}).status_code == 400


def test_json_download_is_the_contract_json(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert 'filename="bao-cao-bien-dong-H01-2024-01-01-2024-12-31.json"' in response["Content-Disposition"]
    assert json.loads(response.content.decode("utf-8")) == flows(big_tree["H01"], F, T)


def test_xlsx_download_opens(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", "format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "Đảng bộ huyện Mường Lay" in values


def test_partial_renders_only_the_report_fragment(client, organizer, big_tree, year):
    response = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "partial": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="flows-report"' in html and "<html" not in html and "<form" not in html


def test_the_dashboard_and_the_snapshot_link_to_the_flows(client, organizer, big_tree):
    assert f"{URL}?org=H01" in client.get("/").content.decode()
    html = client.get("/reports/snapshot/", {"org": "X01", "as_of": "2024-06-30", "partial": "1"}).content.decode()
    assert f"{URL}?org=X01&amp;from=2024-01-01&amp;to=2024-06-30" in html


@pytest.mark.parametrize("params", [{}, {"list": "transferred_in"}, {"format": "json"}])
def test_query_count_does_not_grow_with_members(client, organizer, big_tree, make_member, params):
    query = {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", **params}
    make_member(big_tree["C01"], admitted_on=D(2005, 1, 1), placed_on=D(2024, 1, 5))  # one in each list
    client.get(URL, query)  # warm up (session, content types…)
    with CaptureQueriesContext(connection) as before:
        assert client.get(URL, query).status_code == 200
    for i in range(6):
        m = make_member(big_tree["C01"], admitted_on=D(2005, 1, 1), placed_on=D(2024, 2, 1 + i))
        record(m, E.MOVED, D(2024, 6, 1), big_tree["C04"])
    with CaptureQueriesContext(connection) as after:
        assert client.get(URL, query).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


# --- API ----------------------------------------------------------------------------------------------


@pytest.fixture
def api(organizer):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(organizer)
    return client


def test_api_answers_the_contract_json(api, big_tree, year):
    response = api.get(API, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31"})
    assert response.status_code == 200
    assert response.json() == flows(big_tree["X01"], F, T)


def test_api_is_scoped(make_user, big_tree, year):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user("chibo", big_tree["X02"], "secretary"))
    for code in ("X01", "H01", "NOPE"):
        assert client.get(API, {"org": code, "from": "2024-01-01", "to": "2024-12-31"}).status_code == 404
    assert client.get(API, {"org": "X02", "from": "2024-01-01", "to": "2024-12-31"}).status_code == 200
    assert APIClient().get(API, {"org": "X02", "from": "2024-01-01", "to": "2024-12-31"}).status_code in (401, 403)


@pytest.mark.parametrize("params, field", [
    ({"from": "2024-13-01"}, "from"),
    ({"to": None}, "to"),
    ({"from": "2024-12-31", "to": "2024-01-01"}, "from"),
    ({"org": "X01", "from": "2010-01-01", "to": "2011-12-31"}, "org"),
])
def test_api_bad_input_is_a_400_with_the_field(api, big_tree, params, field):
    query = {k: v for k, v in {"org": "H01", "from": "2024-01-01", "to": "2024-12-31", **params}.items() if v}
    response = api.get(API, query)
    assert response.status_code == 400
    assert field in response.json()


# --- Workbook -------------------------------------------------------------------------------------


def test_xlsx_lays_out_start_increases_decreases_end_and_other_changes(tmp_path):
    data = {"org": {"code": "H01", "name": "Đảng bộ huyện Mường Lay"}, "from": "2024-01-01", "to": "2024-12-31",
            "admitted": 171, "made_official": 158, "transferred_in": 40, "transferred_out": 33, "died": 12,
            "removed": 2, "expelled": 1, "resigned": 0, "cards_issued": 150, "badges_awarded": {"30": 25, "40": 14},
            "members_start": 3000, "members_end": 3163}
    path = tmp_path / "flows.xlsx"
    exporters.flows_xlsx(data, path)
    ws = openpyxl.load_workbook(path).active
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(1, ws.max_row + 1)]
    numbers = [c for _, _, c in rows if isinstance(c, int)]
    assert numbers == [3000, 211, 171, 40, 0, 0, 48, 33, 0, 12, 2, 1, 0, 3163, 158, 150, 39, 25, 14]  # restored, reorganized: 0
    assert [a for a, _, _ in rows if a in ("A", "B", "C", "D", "E")] == ["A", "B", "C", "D", "E"]
    assert any(b and "31/12/2023" in b for _, b, _ in rows)  # members on the day before the period
    assert not any(b and "+" in str(b) for _, b, _ in rows)  # the figures add up: no note
    assert exporters.flows_filename(data, "xlsx") == "bao-cao-bien-dong-H01-2024-01-01-2024-12-31.xlsx"
    odd = {**data, "members_end": 3170}
    exporters.flows_xlsx(odd, path)
    ws = openpyxl.load_workbook(path).active
    assert any("+7" in str(c.value) for row in ws.iter_rows() for c in row if c.value)


# --- The restructuring across the boundary, on every output ---------------------------------------


@pytest.fixture
def carried(big_tree, make_member):
    """Two members of C02 carried from X01 to X03 with their cell on 01/06/2024; one admitted in X03."""
    for _ in range(2):
        make_member(big_tree["C02"], made_official_on=D(2016, 5, 19))
    make_member(big_tree["C03"], admitted_on=D(2024, 3, 1))
    organization_move(big_tree["C02"], parent=big_tree["X03"], effective_on=D(2024, 6, 1))
    return big_tree


def _adds_up(data):
    return data["members_end"] == (data["members_start"] + data["admitted"] + data["transferred_in"]
                                   + data["restored"] + data["reorganized_in"] - data["transferred_out"]
                                   - data["reorganized_out"] - data["died"] - data["removed"] - data["expelled"]
                                   - data["resigned"])


def test_the_page_shows_the_restructuring_and_the_identity(client, organizer, carried):
    html = client.get(URL, {"org": "X03", "from": "01/01/2024", "to": "31/12/2024"}).content.decode()
    row = html.split('data-key="reorganized_in"')[1].split("</tr>")[0]
    assert ">2<" in row.replace("<strong>", "").replace("</strong>", "")
    assert "3 = 0 + 3 − 0" in html.split('data-key="identity"')[1].split("</p>")[0]
    assert 'data-key="unexplained"' not in html


def test_the_xlsx_shows_the_restructuring_and_the_identity(client, organizer, carried):
    response = client.get(URL, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31", "format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[1]: row[2] for row in ws.iter_rows(values_only=True) if row[1]}
    assert values["Chuyển đi theo tổ chức (sắp xếp tổ chức)"] == 2
    assert any("0 = 2 + 0 − 2" in str(row[0]) for row in ws.iter_rows(values_only=True))


def test_the_api_json_has_the_keys_and_adds_up(api, carried):
    for code in ("X01", "X03", "H01"):
        data = api.get(API, {"org": code, "from": "2024-01-01", "to": "2024-12-31"}).json()
        assert _adds_up(data), (code, data)
    x1 = api.get(API, {"org": "X01", "from": "2024-01-01", "to": "2024-12-31"}).json()
    assert (x1["reorganized_in"], x1["reorganized_out"]) == (0, 2)
