"""Party age and badges (tuổi đảng, Huy hiệu Đảng) in the rules package. Pure functions: no database."""


from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu import regulations as r

D = dt.date
QD24 = r.rules_on(D(2022, 6, 1))
QD29 = r.rules_on(D(2019, 6, 1))

dates = st.dates(min_value=D(1940, 1, 1), max_value=D(2060, 12, 31))


def codes(refusals):
    return [refusal.code for refusal in refusals]



# --- Party age and badges ----------------------------------------------------------------------


def test_party_age_subtracts_gaps():
    admitted = D(1990, 5, 19)
    assert r.party_age_years(admitted, D(2020, 5, 19), []) == 30
    assert r.party_age_years(admitted, D(2020, 5, 18), []) == 29
    gaps = [(D(2000, 1, 1), D(2001, 1, 1))]  # 366 days outside the Party
    assert r.party_age_years(admitted, D(2021, 5, 19), gaps) == 29
    assert r.party_age_years(admitted, D(2021, 5, 20), gaps) == 30
    assert r.milestone_reached_on(admitted, gaps, 30) == D(2021, 5, 20)
    # Overlapping gaps are not subtracted twice; an open gap stops the count.
    assert r.party_age_days(admitted, D(2021, 5, 20), gaps + [(D(2000, 6, 1), D(2000, 7, 1))]) == r.party_age_days(
        admitted, D(2021, 5, 20), gaps
    )
    assert r.milestone_reached_on(admitted, [(D(2010, 1, 1), None)], 30) is None
    with pytest.raises(r.RuleViolation):
        r.party_age_years(admitted, D(2021, 1, 1), [(D(2001, 1, 1), D(2000, 1, 1))])


def test_next_badge_and_award_occasion():
    admitted = D(1996, 2, 3)
    assert r.next_badge(admitted, [], D(2025, 11, 8), QD24) == (30, D(2026, 2, 3))
    assert r.next_badge(admitted, [], D(2026, 2, 4), QD24) == (40, D(2036, 2, 3))
    assert r.next_badge(D(1996, 2, 4), [], D(2025, 11, 8), QD24) == (30, D(2026, 5, 19))
    assert r.next_badge(D(1930, 1, 1), [], D(2025, 1, 1), QD24) is None  # past 90 years
    assert r.next_badge(admitted, [(D(2000, 1, 1), None)], D(2025, 1, 1), QD24) is None


def test_award_occasion_inside_a_gap_moves_after_it():
    # 30 years reached on 01/5/2026, then the member is outside the Party until 01/10/2026.
    gaps = [(D(2026, 5, 2), D(2026, 10, 1))]
    assert r.award_date_for(D(2026, 5, 1), QD24, gaps) == D(2026, 11, 7)


def test_badge_delayed_by_discipline_per_the_regulation_in_force():
    admitted = D(1996, 2, 3)
    award = D(2026, 2, 3)
    reprimand = [("reprimand", D(2025, 10, 1))]
    under_qd24 = r.rules_on(award)
    assert r.badge_due_on(award, admitted, [], under_qd24, discipline=reprimand) is None  # 6 months
    assert r.badge_due_on(D(2026, 5, 19), admitted, [], under_qd24, discipline=reprimand) == 30
    # Under QĐ 29 a reprimand did not delay the badge; a warning delayed it 6 months.
    assert r.badge_due_on(D(2019, 2, 3), D(1989, 2, 3), [], QD29, discipline=[("reprimand", D(2018, 12, 1))]) == 30
    assert r.badge_due_on(D(2019, 2, 3), D(1989, 2, 3), [], QD29, discipline=[("warning", D(2018, 12, 1))]) is None


def test_an_expelled_then_readmitted_member_gets_the_badge_his_party_age_reaches():
    """The rules reference (domain-rules §4.2) bars no badge after a readmission: the time outside is a gap."""
    admitted, gap = D(1991, 12, 1), [(D(2000, 2, 3), D(2004, 2, 3))]  # expelled 2000, readmitted 2004
    assert r.milestone_reached_on(admitted, gap, 30) == D(2025, 12, 1)
    assert r.badge_due_on(D(2025, 11, 7), admitted, gap, r.rules_on(D(2025, 11, 7))) is None
    award = D(2026, 2, 3)
    assert r.badge_due_on(award, admitted, gap, r.rules_on(award), discipline=[("expulsion", D(2000, 2, 3))]) == 30


def test_the_one_badge_due_is_the_highest_milestone_reached_never_one_already_surpassed():
    """Hờ A Hồ (NP00226): admitted 1968, holding the 45, 50 and 55-year badges: nothing is due in 2026,
    not the 40-year badge he never received; the 60-year one on the first occasion after 60 years."""
    admitted, rules = D(1968, 5, 1), r.rules_on(D(2026, 2, 3))
    assert r.badge_due_on(D(2026, 2, 3), admitted, [], rules, awarded=[45, 50, 55]) is None
    assert r.badge_due_on(D(2028, 5, 19), admitted, [], rules, awarded=[45, 50, 55]) == 60
    # A member never given a badge gets only the highest milestone reached, once.
    assert r.badge_due_on(D(2026, 2, 3), admitted, [], rules) == 55
    assert r.badge_due_on(D(2026, 2, 3), admitted, [], rules, awarded=[55]) is None
    assert r.badge_due_on(D(2026, 2, 3), admitted, [], rules, awarded=[60]) is None


def test_the_badge_award_rule_decides_whether_the_occasion_of_the_milestone_day_counts():
    admitted = D(1996, 2, 3)  # 30 years on 03/02/2026, an award occasion
    on_or_after = r.rules_on(D(2026, 2, 3))
    assert r.badge_due_on(D(2026, 2, 3), admitted, [], on_or_after) == 30
    after = r.rules_on(D(2026, 2, 3), {"badge_award_rule": "first_occasion_after"})
    assert r.badge_due_on(D(2026, 2, 3), admitted, [], after) is None
    assert r.badge_due_on(D(2026, 5, 19), admitted, [], after) == 30
    assert r.award_date_for(D(2026, 2, 3), after) == D(2026, 5, 19)
    with pytest.raises(r.RuleViolation) as info:
        r.rules_on(D(2026, 2, 3), {"badge_award_rule": "whenever"})
    assert info.value.code == "rules.override_invalid"


def test_badge_early_for_serious_illness():
    admitted = D(1996, 9, 1)  # 30 years on 01/9/2026
    assert r.badge_due_on(D(2026, 2, 3), admitted, [], QD24) is None
    assert r.badge_due_on(D(2026, 2, 3), admitted, [], QD24, seriously_ill=True) == 30
    assert r.badge_due_on(D(2025, 2, 3), admitted, [], QD24, seriously_ill=True) is None  # 19 months early
    # 70 years: up to 24 months early.
    assert r.badge_due_on(D(2025, 2, 3), D(1956, 9, 1), [], QD24, awarded=[30, 40, 45, 50, 55, 60, 65], seriously_ill=True) == 70
    assert r.badge_early_months(65, QD24) == 12 and r.badge_early_months(70, QD24) == 24
    assert r.badge_early_months(80, QD24, posthumous=True) == 12


gap_lists = st.lists(
    st.tuples(dates, st.integers(min_value=0, max_value=4000)).map(lambda t: (t[0], t[0] + dt.timedelta(days=t[1]))),
    max_size=3,
)


@settings(max_examples=300)
@given(dates, dates, st.integers(min_value=0, max_value=3000), gap_lists)
def test_party_age_is_monotone_and_bounded(admitted, on, later, gaps):
    age = r.party_age_years(admitted, on, gaps)
    assert age <= r.party_age_years(admitted, on + dt.timedelta(days=later), gaps)
    assert age <= r.months_between(admitted, on) // 12
    assert age <= r.party_age_years(admitted, on, [])


@settings(max_examples=300)
@given(dates, dates, gap_lists, gap_lists)
def test_subtracting_gaps_never_increases_party_age(admitted, on, gaps, more):
    assert r.party_age_years(admitted, on, gaps + more) <= r.party_age_years(admitted, on, gaps)


@settings(max_examples=200)
@given(dates, gap_lists, st.sampled_from([30, 40, 45, 50, 90]))
def test_milestone_reached_on_is_the_first_day_of_that_party_age(admitted, gaps, years):
    reached = r.milestone_reached_on(admitted, gaps, years)
    assert reached is not None
    assert r.party_age_years(admitted, reached, gaps) >= years
    assert r.party_age_years(admitted, reached - dt.timedelta(days=1), gaps) < years


@settings(max_examples=300)
@given(
    st.dates(min_value=D(1935, 1, 1), max_value=D(2030, 12, 31)),
    st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)),
    gap_lists,
    st.sampled_from(r.REGULATIONS),
)
def test_next_badge_milestone_is_reached_and_the_next_is_not(admitted, on, gaps, rules):
    result = r.next_badge(admitted, gaps, on, rules)
    if result is None:
        return
    milestone, award = result
    assert award >= on
    assert (award.month, award.day) in rules.badge_award_days
    age = r.party_age_years(admitted, award, gaps)
    assert milestone <= age
    later = [m for m in rules.badge_milestones if m > milestone]
    if later:
        assert age < later[0]
    below = [m for m in rules.badge_milestones if m < milestone]
    assert r.badge_due_on(award, admitted, gaps, rules, awarded=below) == milestone




@settings(max_examples=500)
@given(
    st.dates(min_value=D(1925, 1, 1), max_value=D(2035, 12, 31)),
    st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)),
    st.sampled_from(r.REGULATIONS),
    st.sampled_from(("first_occasion_on_or_after", "first_occasion_after")),
)
def test_start_limits_give_the_badge_due_without_gaps_or_badges_held(start, award, rules, award_rule):
    """badge_start_limits (what the badges report compares in SQL) gives what badge_due_on gives a member
    with nothing but an admission on file, under both award rules and on any day (29/02, month-ends)."""
    import dataclasses

    rules = dataclasses.replace(rules, badge_award_rule=award_rule)
    limits = r.badge_start_limits(award, rules)
    assert [y for y, _ in limits] == sorted(rules.badge_milestones, reverse=True)
    expected = r.badge_due_on(award, start, [], rules)
    assert next((years for years, last in limits if start <= last), None) == expected


def test_start_limits_of_an_occasion():
    assert r.badge_start_limits(D(2026, 2, 3), QD24)[-1] == (30, D(1996, 2, 3))
    assert dict(r.badge_start_limits(D(2028, 2, 29), QD24))[30] == D(1998, 2, 28)
    assert dict(r.badge_start_limits(D(2026, 2, 28), QD24))[30] == D(1996, 2, 29)  # + 30 years: 28/02/2026
