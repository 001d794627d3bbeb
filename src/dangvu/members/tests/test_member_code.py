"""The code proposed for a new member: the next free code in the pattern used around the cell."""

import datetime as dt

from dangvu.members.selectors import propose_member_code

D = dt.date


def test_the_next_code_of_the_pattern_used_in_the_commune(tree, make_member):
    for code in ("NAHY-0007", "NAHY-0012", "NAHY-0009"):
        make_member(tree["C01"], code=code)
    make_member(tree["X02"], code="TRUONG01")  # another organization's pattern
    assert propose_member_code(tree["C02"]) == "NAHY-0013"  # C02 has none: its committee's pattern
    assert propose_member_code(tree["X02"]) == "TRUONG02"


def test_the_number_follows_the_highest_code_of_that_shape_anywhere(tree, make_member):
    make_member(tree["C01"], code="NAHY-0007")
    make_member(tree["X02"], code="NAHY-0031")  # same shape, given elsewhere: codes are unique everywhere
    make_member(tree["X02"], code="NAHY-12345")  # another width: another shape
    assert propose_member_code(tree["C01"]) == "NAHY-0032"


def test_no_pattern_no_proposal(tree, make_member):
    assert propose_member_code(tree["C01"]) == ""
    make_member(tree["C01"], code="ABC")
    assert propose_member_code(tree["C01"]) == ""
