"""Property: for random member histories (moves between cells, exemptions, deaths, transfers out)
and an optional move of a cell to another parent, the snapshot counts exactly the members that an
independent replay in plain Python places, on that day, in a cell of the subtree."""

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.services import organization_move
from dangvu.reports.queries import snapshot

D = dt.date
START = D(2012, 1, 1)  # every organization of big_tree exists from this day
CELLS = ("C01", "C02", "C04", "X02", "C03")
PARENTS = {"X01": "H01", "X02": "H01", "X03": "H01", "C01": "X01", "C02": "X01", "P01": "X01", "C04": "P01",
           "C03": "X03", "H01": None}
ROOTS = ("H01", "X01", "P01", "X03", "X02", "C02")


@st.composite
def member_histories(draw):
    admitted = START + dt.timedelta(days=draw(st.integers(0, 2500)))
    first = draw(st.sampled_from(CELLS))
    official_after = draw(st.one_of(st.none(), st.integers(1, 900)))
    official = admitted + dt.timedelta(days=official_after) if official_after else None
    events, cell, exempted, day = [], first, False, admitted
    for _ in range(draw(st.integers(0, 5))):
        day = day + dt.timedelta(days=draw(st.integers(1, 400)))
        if draw(st.booleans()) or official is None or official > day:  # only an official member is exempted
            cell = draw(st.sampled_from([c for c in CELLS if c != cell]))
            events.append((day, E.MOVED, cell))
        else:
            exempted = not exempted
            events.append((day, E.EXEMPTED if exempted else E.EXEMPTION_ENDED, None))
    ending = draw(st.sampled_from([None, None, E.DIED, E.TRANSFERRED_OUT]))
    if ending:
        events.append((day + dt.timedelta(days=draw(st.integers(1, 400))), ending, None))
    if official and ending and official >= events[-1][0]:
        official = None
    return {"admitted": admitted, "cell": first, "official": official, "events": events,
            "female": draw(st.booleans())}


def expected(histories, cell_move_day, root, day):
    """Replay in plain Python: who is a member of `root`'s subtree on `day`, and with what."""

    def parent(code):
        if code == "C02" and cell_move_day is not None and day >= cell_move_day:
            return "X03"
        return PARENTS[code]

    def in_subtree(code):
        while code is not None:
            if code == root:
                return True
            code = parent(code)
        return False

    counts = {"total": 0, "official": 0, "probationary": 0, "female": 0, "exempted": 0}
    for h in histories:
        if h["admitted"] > day:
            continue
        cell, exempted, active = h["cell"], False, True
        for when, kind, target in h["events"]:
            if when > day:
                break
            if kind == E.MOVED:
                cell = target
            elif kind == E.EXEMPTED:
                exempted = True
            elif kind == E.EXEMPTION_ENDED:
                exempted = False
            else:
                active = False
        if not active or not in_subtree(cell):
            continue
        official = h["official"] is not None and h["official"] <= day
        counts["total"] += 1
        counts["official"] += official
        counts["probationary"] += not official
        counts["female"] += h["female"]
        counts["exempted"] += exempted
    return counts


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    histories=st.lists(member_histories(), min_size=1, max_size=5),
    cell_move=st.one_of(st.none(), st.integers(1, 4000)),
    days=st.lists(st.integers(-5, 5000), min_size=1, max_size=4),
)
def test_snapshot_counts_the_members_an_independent_replay_places_in_the_subtree(
    big_tree, make_member, histories, cell_move, days
):
    cell_move_day = START + dt.timedelta(days=cell_move) if cell_move else None
    with transaction.atomic():
        if cell_move_day:
            organization_move(big_tree["C02"], parent=big_tree["X03"], effective_on=cell_move_day)
        for h in histories:
            m = make_member(big_tree[h["cell"]], admitted_on=h["admitted"], made_official_on=h["official"],
                            sex="F" if h["female"] else "M")
            for when, kind, target in h["events"]:
                member_record_event(m, kind=kind, effective_on=when, cell=big_tree[target] if target else None)
        # random days, plus every day on which something changes and the day before it
        changes = {cell_move_day} | {h["admitted"] for h in histories} | {h["official"] for h in histories}
        changes |= {when for h in histories for when, _kind, _cell in h["events"]}
        changes.discard(None)
        checked = {START + dt.timedelta(days=offset) for offset in days} | changes
        checked |= {d - dt.timedelta(days=1) for d in changes}
        for day in sorted(d for d in checked if d >= START):  # earlier: refused, tested elsewhere
            for root in ROOTS:
                got = snapshot(big_tree[root], day)["members"]
                assert {k: got[k] for k in ("total", "official", "probationary", "female", "exempted")} == expected(
                    histories, cell_move_day, root, day), (root, day)
        transaction.set_rollback(True)
