"""Statistics forms of HD 11-HD/BTCTW (reports.statforms): each form adds up, against `flows` and
`snapshot`; the same period last year; the configuration of the UNCONFIRMED splits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.core.errors import DomainError
from dangvu.lifecycle.transfers import transfer_issue
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.services import organization_move
from dangvu.reports.queries import flows, snapshot
from dangvu.reports.statforms import FORMS, build_form

from .flows_helpers import D, F, T, record


def values(data, column="current"):
    return {r["key"]: r["values"][column] for r in data["rows"]}


@pytest.fixture
def busy(big_tree, make_member):
    """A district with a year of every kind of flow in X01 (2024) and a quieter 2023."""
    t = big_tree
    for _ in range(3):
        make_member(t["C01"], made_official_on=D(2016, 5, 19))
    make_member(t["C02"], admitted_on=D(2024, 3, 1))  # admitted
    make_member(t["C02"], admitted_on=D(2023, 3, 1))  # admitted last year
    make_member(t["C02"], admitted_on=D(2023, 4, 1))  # admitted last year
    make_member(t["C01"], admitted_on=D(2010, 5, 1), placed_on=D(2024, 2, 1))  # from outside the database
    mover = make_member(t["X02"], made_official_on=D(2016, 5, 19))
    record(mover, E.MOVED, D(2024, 4, 1), t["C01"])  # into X01 from elsewhere in the district
    leaver = make_member(t["C01"], made_official_on=D(2016, 5, 19))
    record(leaver, E.MOVED, D(2024, 5, 1), t["C03"])  # out of X01, within the district
    away = make_member(t["C02"], made_official_on=D(2016, 5, 19))
    record(away, E.TRANSFERRED_OUT, D(2024, 9, 1))  # out of the database
    for kind in (E.DIED, E.EXPELLED, E.RESIGNED):
        record(make_member(t["C01"], made_official_on=D(2016, 5, 19)), kind, D(2024, 7, 1))
    probationer = make_member(t["C02"], admitted_on=D(2023, 9, 1))
    record(probationer, E.REMOVED, D(2024, 8, 1))  # removed while probationary
    record(make_member(t["C02"], made_official_on=D(2016, 5, 19)), E.REMOVED, D(2024, 8, 2))
    record(make_member(t["C01"], made_official_on=D(2016, 5, 19)), E.REMOVED, D(2024, 8, 3))
    make_member(t["C04"], made_official_on=D(2016, 5, 19))
    organization_move(t["C02"], parent=t["X03"], effective_on=D(2024, 10, 1))  # carries C02's members out of X01
    return t


def test_the_registry_lists_the_forms_with_their_codes():
    assert {n: s.code for n, s in FORMS.items()} == {1: "1-BTCTW", 2: "2-BTCTW", 4: "4-BTCTW", 5: "5-BTCTW",
                                                     6: "6-BTCTW", 7: "7-BTCTW"}
    with pytest.raises(DomainError):
        build_form(3, None, as_of=T)  # the profile of the membership is `report profile`, not a form yet


@pytest.mark.parametrize("code", ["H01", "X01", "X03", "C01", "C02"])
def test_form_1_adds_up_and_is_the_flows_report(busy, code):
    org = busy[code]
    data = build_form(1, org, date_from=F, date_to=T)
    v = values(data)
    assert v["end"] == v["start"] + v["increase"] - v["decrease"]
    assert v["increase"] == v["admitted"] + v["transferred_in"] + v["restored"] + v["reorganized_in"]
    assert v["decrease"] == (v["died"] + v["expelled"] + v["removed"] + v["resigned"] + v["transferred_out"]
                             + v["reorganized_out"])
    assert v["transferred_in"] == v["transferred_in_other_province"] + v["transferred_in_same_province"]
    assert v["transferred_out"] == v["transferred_out_other_province"] + v["transferred_out_same_province"]
    fl = flows(org, F, T)
    for key in ("admitted", "transferred_in", "restored", "reorganized_in", "died", "expelled", "removed", "resigned",
                "transferred_out", "reorganized_out"):
        assert v[key] == fl[key], key
    assert (v["start"], v["end"]) == (fl["members_start"], fl["members_end"])
    assert v["end"] == snapshot(org, T)["members"]["total"]


def test_form_1_splits_transfers_and_removals(busy):
    v = values(build_form(1, busy["X01"], date_from=F, date_to=T))
    assert (v["transferred_in_other_province"], v["transferred_in_same_province"]) == (1, 1)
    assert (v["transferred_out_other_province"], v["transferred_out_same_province"]) == (1, 1)
    assert (v["removed"], v["removed_probationary"]) == (3, 1)
    assert (v["reorganized_out"], v["admitted"]) == (3, 1)  # C02's three members left with it


def test_form_1_external_transfers_and_labels_are_configuration(busy, settings):
    settings.DANGVU_FORMS_EXTERNAL_TRANSFERS = "same_province"
    settings.DANGVU_FORMS_WITHIN_PROVINCE_IN = "Từ đặc khu khác trong tỉnh"
    data = build_form(1, busy["X01"], date_from=F, date_to=T)
    v = values(data)
    assert (v["transferred_in_other_province"], v["transferred_in_same_province"]) == (0, 2)
    assert (v["transferred_out_other_province"], v["transferred_out_same_province"]) == (0, 2)
    labels = {r["key"]: r["label"] for r in data["rows"]}
    assert labels["transferred_in_same_province"] == "Từ đặc khu khác trong tỉnh"
    del settings.DANGVU_FORMS_WITHIN_PROVINCE_IN
    labels = {r["key"]: r["label"] for r in build_form(1, busy["X01"], date_from=F, date_to=T)["rows"]}
    assert labels["transferred_in_same_province"] == "Từ huyện khác trong tỉnh đến"  # before 1/7/2025
    labels = {r["key"]: r["label"] for r in build_form(1, busy["X01"], date_from=F, date_to=D(2025, 12, 31))["rows"]}
    assert labels["transferred_in_same_province"] == "Từ đơn vị khác trong tỉnh đến"


def test_form_1_compares_with_the_same_period_last_year(busy):
    data = build_form(1, busy["X01"], date_from=F, date_to=T)
    assert data["last_year"] == {"from": "2023-01-01", "to": "2023-12-31"}
    row = next(r for r in data["rows"] if r["key"] == "admitted")
    assert row["values"] == {"current": 1, "last_year": 3, "ratio": 33.3}
    died = next(r for r in data["rows"] if r["key"] == "died")["values"]
    assert died == {"current": 1, "last_year": 0, "ratio": None}  # nothing to compare with
    start = next(r for r in data["rows"] if r["key"] == "start")["values"]
    assert start["last_year"] == flows(busy["X01"], D(2023, 1, 1), D(2023, 12, 31))["members_start"]
    # 29 February goes back to 28 February
    assert build_form(1, busy["X01"], date_from=D(2024, 2, 29), date_to=D(2024, 2, 29))["last_year"] == {
        "from": "2023-02-28", "to": "2023-02-28"}


def test_form_1_of_an_organization_new_this_year_leaves_last_year_blank(tree):
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    new = organization_establish(code="X09", name="Đảng bộ xã mới", kind=K.GRASSROOTS_COMMITTEE, parent=tree["H01"],
                                 established_on=D(2024, 3, 1))
    data = build_form(1, new, date_from=D(2024, 3, 1), date_to=T)
    assert {r["values"]["last_year"] for r in data["rows"]} == {None}
    with pytest.raises(DomainError):
        build_form(1, new, date_from=D(2023, 1, 1), date_to=D(2023, 12, 31))


def test_form_5_totals_are_the_snapshot_counts(busy, settings):
    busy["X02"].unit_kind = "truong_hoc"
    busy["X02"].save()
    for code in ("H01", "X01", "X03", "C01", "P01"):
        data = build_form(5, busy[code], as_of=T)
        total = data["rows"][0]
        assert total["key"] == "total"
        for key in ("grassroots", "grassroots_committees", "grassroots_cells", "partial_committees",
                    "subordinate_cells", "members"):
            assert total["values"][key] == sum(r["values"][key] for r in data["rows"][1:]), (code, key)
        snap = snapshot(busy[code], T)
        assert {k: total["values"][k] for k in snap["organizations"]} == snap["organizations"], code
        assert total["values"]["members"] == snap["members"]["total"], code
    v = {r["key"]: r["values"] for r in build_form(5, busy["H01"], as_of=T)["rows"]}
    assert v["xa"] == {"grassroots": 1, "grassroots_committees": 1, "grassroots_cells": 0, "partial_committees": 1,
                       "subordinate_cells": 2, "members": snapshot(busy["X01"], T)["members"]["total"]}
    assert v["truong_hoc"]["grassroots_cells"] == 1
    assert v["unset"]["grassroots_committees"] == 1  # X03 has no kind recorded
    # a cell below the grassroots level counts under its grassroots organization's kind
    assert {r["key"]: r["values"]["members"] for r in build_form(5, busy["C01"], as_of=T)["rows"]}["xa"] > 0
    settings.DANGVU_FORMS_UNIT_KINDS = "phuong,xa"
    keys = [r["key"] for r in build_form(5, busy["H01"], as_of=T)["rows"]]
    assert keys == ["total", "phuong", "xa", "khac", "unset"]
    v = {r["key"]: r["values"] for r in build_form(5, busy["H01"], as_of=T)["rows"]}
    assert v["khac"]["grassroots_cells"] == 1  # the school, a kind not listed


def test_form_5_refuses_a_day_the_organization_did_not_exist(tree):
    with pytest.raises(DomainError):
        build_form(5, tree["X01"], as_of=D(2000, 1, 1))


def test_form_7_member_work(tree, make_member):
    a = make_member(tree["C01"], made_official_on=D(2016, 5, 19), admitted_on=D(1994, 2, 3),
                    birth_date=D(1960, 1, 1), placed_on=D(2015, 1, 1))
    b = make_member(tree["C01"], made_official_on=D(2016, 5, 19), admitted_on=D(1984, 2, 3),
                    birth_date=D(1960, 1, 1), placed_on=D(2015, 1, 1))
    record(a, E.BADGE_AWARDED, D(2024, 2, 3), value="30")
    record(b, E.BADGE_AWARDED, D(2024, 2, 3), value="40")
    record(b, E.BADGE_AWARDED, D(2023, 2, 3), value="40")  # last year
    record(a, E.CARD_ISSUED, D(2024, 3, 1), value="12345678")
    record(b, E.CARD_ISSUED, D(2020, 3, 1), value="12345679")
    record(b, E.CARD_ISSUED, D(2024, 3, 1), value="12345670")  # reissued
    record(b, E.EXEMPTED, D(2024, 5, 1), value="age")
    c = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    transfer_issue(c, kind="temporary", issued_on=D(2024, 6, 1), destination="Công ty X, Hà Nội", months=6)
    transfer_issue(a, kind="temporary", issued_on=D(2024, 6, 1), to_cell=tree["X02"], months=3)
    transfer_issue(c, kind="official", issued_on=D(2024, 9, 1), destination="Đảng bộ tỉnh Y")
    data = build_form(7, tree["X01"], date_from=F, date_to=T)
    v = values(data)
    assert (v["badges"], v["badges_30"], v["badges_40"], v["badges_45"]) == (2, 1, 1, 0)
    assert (v["cards_issued"], v["cards_first"], v["cards_reissued"]) == (2, 1, 1)
    assert (v["temporary_transfers"], v["temporary_out"], v["temporary_in"]) == (2, 2, 0)
    assert (v["official_transfers"], v["transferred_out"], v["transferred_in"]) == (1, 1, 0)
    assert v["exempted"] == 1
    assert values(data, "last_year")["badges_40"] == 1
    assert next(r for r in data["rows"] if r["key"] == "badges_40")["values"]["ratio"] == 100.0
    v2 = values(build_form(7, tree["X02"], date_from=F, date_to=T))
    assert (v2["temporary_in"], v2["temporary_out"]) == (1, 0)
    h = values(build_form(7, tree["H01"], date_from=F, date_to=T))
    assert (h["temporary_in"], h["temporary_out"]) == (0, 2)  # a move inside the district is in neither way


@pytest.mark.parametrize("number,dates", [(1, {"date_from": F, "date_to": T}), (5, {"as_of": T}),
                                          (7, {"date_from": F, "date_to": T})])
def test_a_form_is_a_fixed_number_of_statements_whatever_the_members(tree, make_member, number, dates):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            build_form(number, tree["H01"], **dates)
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        m = make_member(tree["C01" if i % 2 else "X02"], made_official_on=D(2016, 5, 19))
        record(m, E.DIED, D(2024, 3, 1 + i))
    assert count() == before


def test_form_7_counts_the_card_of_a_readmitted_member_as_a_first_issue(tree, make_member):
    """The card held before leaving the Party was withdrawn: the card given after readmission is a card issued
    to an official member, not one reissued when lost or exchanged when damaged."""
    from dangvu.members.services import member_readmit

    m = make_member(tree["C01"], made_official_on=D(2014, 1, 9), admitted_on=D(2013, 1, 9), birth_date=D(1970, 3, 3),
                    placed_on=D(2013, 1, 9))
    record(m, E.CARD_ISSUED, D(2014, 3, 1), value="11003586")
    record(m, E.REMOVED, D(2018, 7, 11))
    member_readmit(m, on=D(2022, 1, 10), cell=tree["C01"])
    record(m, E.MADE_OFFICIAL, D(2023, 1, 10))
    record(m, E.CARD_ISSUED, D(2024, 3, 1), value="61000999")
    v = values(build_form(7, tree["X01"], date_from=F, date_to=T))
    assert (v["cards_issued"], v["cards_first"], v["cards_reissued"]) == (1, 1, 0)
