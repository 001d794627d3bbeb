"""`report flows` (contracts §1, §3): the figures, each against a hand count."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.errors import DomainError
from dangvu.members.models import MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import rebuild
from dangvu.organizations.services import organization_establish, organization_move
from dangvu.reports import exporters
from dangvu.reports.queries import FLOW_KEYS, flow_members, flows, flows_unexplained, snapshot

from .flows_helpers import D, F, T, figures, listed, record

URL = "/reports/flows/"
API = "/api/reports/flows/"
CONTRACT_KEYS = {"org", "from", "to", *FLOW_KEYS, "badges_awarded"}


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


