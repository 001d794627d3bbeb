"""The rules package (dangvu.regulations): rule sets by regulation and date, the checks, and the status machine.

Pure functions: no database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu import regulations as r
from dangvu.core.calendar import add_working_days, is_working_day
from dangvu.core.errors import DomainError
from dangvu.regulations import Action, Introducer, Stage

D = dt.date
QD24 = r.rules_on(D(2022, 6, 1))
QD29 = r.rules_on(D(2019, 6, 1))

dates = st.dates(min_value=D(1940, 1, 1), max_value=D(2060, 12, 31))


def codes(refusals):
    return [refusal.code for refusal in refusals]


# --- Rule sets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, code",
    [
        (D(2010, 1, 1), "QĐ 29-QĐ/TW"),  # before the first: the first
        (D(2016, 7, 25), "QĐ 29-QĐ/TW"),
        (D(2019, 6, 1), "QĐ 29-QĐ/TW"),
        (D(2021, 7, 29), "QĐ 29-QĐ/TW"),
        (D(2021, 7, 30), "QĐ 24-QĐ/TW"),
        (D(2022, 3, 1), "QĐ 24-QĐ/TW"),
        (D(2025, 1, 20), "QĐ 232-QĐ/TW"),
        (D(2025, 6, 30), "QĐ 232-QĐ/TW"),
        (D(2025, 7, 1), "QĐ 294-QĐ/TW"),
        (D(2026, 4, 8), "QĐ 20-QĐ/TW"),
        (D(2026, 7, 26), "QĐ 208-QĐ/TW"),
    ],
)
def test_rules_on_picks_the_regulation_in_force(day, code):
    assert r.rules_on(day).code == code


def test_regulations_are_in_date_order_and_documented():
    starts = [rules.effective_from for rules in r.REGULATIONS]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for rules in r.REGULATIONS:
        assert set(r.PARAMETER_FIELDS) <= set(rules.sources), rules.code
        assert rules.unconfirmed <= set(r.UNCONFIRMED_FIELDS), rules.code
        hash(rules)  # usable as a cache key
    assert [x.confirmed for x in r.REGULATIONS] == [True, True, True, True, False, False]


def test_statute_numbers_are_never_unconfirmed():
    for name in ("min_age_months", "probation_months", "introducers_required", "vote_threshold", "discipline_forms"):
        assert name not in r.UNCONFIRMED_FIELDS


def test_rule_sets_differ_where_the_doc_says_they_differ():
    assert QD29.badge_delay_months == {"warning": 6, "dismissal": 12}
    assert QD24.badge_delay_months == {"reprimand": 6, "warning": 9, "dismissal": 12}
    assert QD29.min_education == "lower_secondary_or_equivalent" and QD24.min_education == "lower_secondary"
    assert r.rules_on(D(2026, 8, 1)).admission_decided_by == "grassroots_standing_committee"
    assert QD24.admission_decided_by == "superior_standing_committee"


def test_override_applies_to_an_unconfirmed_field():
    rules = r.rules_on(D(2022, 6, 1), {"awareness_certificate_valid_months": 36, "vote_denominator_excludes": ["exempted", "suspended"]})
    assert rules.awareness_certificate_valid_months == 36
    assert rules.vote_denominator_excludes == ("exempted", "suspended")
    assert rules.overridden == ("awareness_certificate_valid_months", "vote_denominator_excludes")
    assert r.rules_on(D(2022, 6, 1)).awareness_certificate_valid_months == 60  # the module is untouched


def test_override_of_a_statute_number_is_refused():
    with pytest.raises(r.RuleViolation) as info:
        r.rules_on(D(2022, 6, 1), {"min_age_months": 200})
    assert info.value.code == "rules.override_not_allowed"
    assert isinstance(info.value, DomainError)


def test_override_does_not_replace_a_number_read_in_the_regulation_in_force():
    # max age is read in QĐ 24 itself, but only assumed for QĐ 29.
    assert r.rules_on(D(2022, 6, 1), {"max_age_months": 780}).max_age_months == 720
    assert r.rules_on(D(2019, 6, 1), {"max_age_months": 780}).max_age_months == 780


@pytest.mark.parametrize(
    "overrides",
    [{"awareness_certificate_valid_months": -1}, {"awareness_certificate_valid_months": "x"},
     {"deadline_discipline_appeal": [5, "fortnights"]}, {"badge_award_rule": 3}],
)
def test_invalid_override_is_refused(overrides):
    with pytest.raises(r.RuleViolation) as info:
        r.rules_on(D(2022, 6, 1), overrides)
    assert info.value.code == "rules.override_invalid"


def test_override_of_a_deadline_from_json():
    rules = r.rules_on(D(2022, 6, 1), {"deadline_discipline_appeal": [30, "days"]})
    assert rules.deadline_discipline_appeal == r.Deadline(30, r.Unit.DAYS, "decision_received")
    assert r.deadline(D(2022, 6, 1), "discipline_appeal", rules) == D(2022, 7, 1)


# --- Admission ---------------------------------------------------------------------------------


def test_applicant_aged_17_years_11_months_is_refused():
    refusals = r.admission_age_check(D(2004, 6, 15), D(2022, 5, 15), QD24)
    assert codes(refusals) == ["admission.too_young"]
    assert refusals[0].params["age"] == 17 * 12 + 11
    with translation.override("en"):
        assert "17 years 11 months" in refusals[0].text and "QĐ 24-QĐ/TW" in refusals[0].text


@pytest.mark.parametrize("birth, on", [(D(2004, 6, 15), D(2022, 6, 15)), (D(2004, 2, 29), D(2022, 2, 28))])
def test_applicant_of_exactly_18_passes(birth, on):
    assert r.admission_age_check(birth, on, QD24) == []
    assert codes(r.admission_age_check(birth, on - dt.timedelta(days=1), QD24)) == ["admission.too_young"]


def test_applicant_over_60_is_refused_unless_approved():
    birth = D(1960, 1, 10)
    assert r.admission_age_check(birth, D(2020, 2, 9), QD29) == []  # 60 years 0 months
    refusals = r.admission_age_check(birth, D(2020, 2, 10), QD29)
    assert codes(refusals) == ["admission.too_old"]
    assert r.admission_age_check(birth, D(2020, 2, 10), QD29, over_max_age_approved=True) == []


def test_probationary_introducer_is_refused():
    refusals = r.introducers_check([Introducer("official", 24), Introducer("probationary", 24)], QD24)
    assert codes(refusals) == ["admission.introducer_not_official"]
    assert refusals[0].params["number"] == 2


@pytest.mark.parametrize(
    "introducers, kwargs, expected",
    [
        ([Introducer("official", 12), Introducer("official", 40)], {}, []),
        ([Introducer("official", 11), Introducer("official", 40)], {}, ["admission.introducer_short_acquaintance"]),
        ([Introducer("official", 20)], {}, ["admission.introducer_count"]),
        ([Introducer("official", 20)], {"union_introducer": "youth_union_committee", "applicant_in_youth_union": True}, []),
        ([Introducer("official", 20)], {"union_introducer": "youth_union_committee"}, ["admission.union_introducer_not_allowed"]),
        ([Introducer("official", 20)], {"union_introducer": "trade_union_committee", "youth_union_at_unit": False}, []),
        ([Introducer("official", 20)], {"union_introducer": "trade_union_committee"}, ["admission.union_introducer_not_allowed"]),
    ],
)
def test_introducers(introducers, kwargs, expected):
    assert codes(r.introducers_check(introducers, QD24, **kwargs)) == expected


def test_introducer_minimum_official_time_follows_an_override():
    rules = r.rules_on(D(2022, 6, 1), {"introducer_min_official_months": 12})
    assert codes(r.introducers_check([Introducer("official", 20, 6), Introducer("official", 20, 12)], rules)) == [
        "admission.introducer_too_new"
    ]


def test_admission_file_lists_missing_documents_and_expired_certificate():
    before_cell = r.required_documents(QD24, before="cell_resolution")
    assert [d.form_code for d in before_cell] == ["", "1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ"]
    assert [d.form_code for d in r.required_documents(QD24, union_introduces=True, partial_committee=True)][1:] == [
        f"{n}-KNĐ" for n in range(1, 10)
    ]
    refusals = r.admission_documents_check(
        ["1-KNĐ", "biography", "3A-KNĐ"], D(2022, 6, 1), QD24, certificate_issued_on=D(2017, 6, 1), before="cell_resolution"
    )
    assert codes(refusals) == ["admission.document_missing", "admission.certificate_expired"]
    assert refusals[0].params["key"] == "comments_summary"
    assert r.admission_documents_check(
        ["1-KNĐ", "2-KNĐ", "3-KNĐ", "5B-KNĐ"], D(2022, 5, 31), QD24, certificate_issued_on=D(2017, 6, 1),
        before="cell_resolution",
    ) == []


@pytest.mark.parametrize(
    "due, present, votes_for, excluded, expected",
    [
        (9, 9, 6, None, True),
        (9, 9, 5, None, False),
        (9, 6, 6, None, True),  # 2/3 of all official members, not of those present
        (9, 8, 5, None, False),
        (9, 6, 4, {"exempted": 3}, True),  # exempted members leave the denominator
        (9, 6, 4, {"suspended": 3}, False),  # a category the doc does not list stays in
        (3, 0, 0, {"exempted": 3}, False),
    ],
)
def test_vote_threshold_and_denominator(due, present, votes_for, excluded, expected):
    assert r.vote_passes(due, present, votes_for, QD24, excluded=excluded) is expected


def test_vote_denominator_follows_an_override():
    rules = r.rules_on(D(2022, 6, 1), {"vote_denominator_excludes": ["exempted", "suspended"]})
    assert r.vote_passes(9, 6, 4, rules, excluded={"suspended": 3})


@pytest.mark.parametrize("due, present, votes_for", [(5, 6, 4), (5, 3, 4), (5, 5, -1)])
def test_vote_with_inconsistent_counts_is_refused(due, present, votes_for):
    with pytest.raises(r.RuleViolation) as info:
        r.vote_passes(due, present, votes_for, QD24)
    assert info.value.code == "vote.invalid_counts"


# --- Probation, deadlines ----------------------------------------------------------------------


def test_recognition_before_12_months_is_refused():
    ceremony = D(2022, 3, 15)
    assert codes(r.recognition_check(ceremony, D(2023, 3, 14), QD24)) == ["recognition.before_probation_end"]
    with pytest.raises(r.RuleViolation) as info:
        r.official_date(ceremony, QD24, considered_on=D(2023, 3, 14))
    assert info.value.code == "recognition.before_probation_end"
    assert r.recognition_check(ceremony, D(2023, 3, 15), QD24) == []
    # The official date is the end of probation even when the decision comes later.
    assert r.official_date(ceremony, QD24, considered_on=D(2023, 5, 2)) == D(2023, 3, 15)


@settings(max_examples=300)
@given(dates)
def test_probation_end_is_12_months_after_the_ceremony(ceremony):
    end = r.probation_end(ceremony, QD24)
    assert end > ceremony
    assert r.months_between(ceremony, end) == 12
    assert r.months_between(ceremony, end - dt.timedelta(days=1)) == 11
    assert 365 <= (end - ceremony).days <= 366


@settings(max_examples=300)
@given(dates, st.integers(min_value=0, max_value=1200))
def test_age_in_months_matches_add_months(birth, n):
    assert r.age_in_months(birth, r.add_months(birth, n)) == n


@settings(max_examples=300)
@given(dates, dates)
def test_age_in_months_is_the_largest_whole_number_of_months(birth, on):
    n = r.age_in_months(birth, on)
    if on > birth:
        assert r.add_months(birth, n) <= on < r.add_months(birth, n + 1)
    else:
        assert n == 0


@pytest.mark.parametrize("key, amount", [("decide_admission", 60), ("hold_ceremony", 30), ("transfer", 60), ("transfer_report", 30)])
def test_deadlines_in_working_days(key, amount):
    start = D(2025, 1, 20)  # Tết 2025 falls inside these periods
    end = r.deadline(start, key, r.rules_on(start))
    assert end == add_working_days(start, amount) and is_working_day(end)
    assert (end - start).days > amount * 7 // 5


def test_appeal_deadline_in_months_and_unknown_key():
    assert r.deadline(D(2025, 1, 31), "discipline_appeal", r.rules_on(D(2025, 8, 1))) == D(2025, 2, 28)
    with pytest.raises(r.RuleViolation):
        r.deadline(D(2025, 1, 31), "tea_break", QD24)


# --- Readmission -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, on, expected",
    [
        ({}, D(2025, 3, 1), []),
        ({}, D(2025, 2, 28), ["readmission.too_soon"]),
        ({"times_readmitted": 1}, D(2026, 1, 1), ["readmission.limit_reached"]),
        ({"exit_kind": "resigned"}, D(2026, 1, 1), ["readmission.barred"]),
        ({"exit_kind": "resigned", "family_hardship": True}, D(2026, 1, 1), []),
        ({"bars": ["corruption_conviction"], "family_hardship": True}, D(2026, 1, 1), ["readmission.barred"]),
        ({"record_expunged_on": D(2021, 6, 1)}, D(2026, 1, 1), ["readmission.too_soon_after_expunged"]),
    ],
)
def test_readmission(kwargs, on, expected):
    rules = r.rules_on(D(2025, 8, 1))
    assert codes(r.readmission_check(D(2022, 3, 1), on, rules, **kwargs)) == expected


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


# --- Discipline, exemption, transfers ----------------------------------------------------------


def test_expulsion_of_a_probationary_member_is_refused():
    assert "expulsion" not in r.allowed_discipline_forms("probationary", QD24)
    refusals = r.discipline_check("probationary", "expulsion", QD24)
    assert codes(refusals) == ["discipline.form_not_allowed"]
    with translation.override("en"):
        assert "reprimand, warning" in refusals[0].text
    with pytest.raises(r.RuleViolation) as info:
        r.apply(Stage.PROBATIONARY, Action.DISCIPLINE_EXPULSION)
    assert info.value.code == "discipline.form_not_allowed"


@pytest.mark.parametrize(
    "status, forms",
    [
        ("probationary", ("reprimand", "warning")),
        ("readmitted", ("reprimand", "warning")),
        ("official", ("reprimand", "warning", "dismissal", "expulsion")),
        ("exempted", ("reprimand", "warning", "dismissal", "expulsion")),
        ("expelled", ()),
        ("sympathizer", ()),
    ],
)
def test_allowed_discipline_forms_by_status(status, forms):
    for rules in r.REGULATIONS:
        assert r.allowed_discipline_forms(status, rules) == forms


def test_discipline_of_a_non_member_is_refused():
    assert codes(r.discipline_check("died", "reprimand", QD24)) == ["discipline.not_a_member"]


def test_discipline_protected_conditions_and_limitation():
    rules = r.rules_on(D(2025, 8, 1))
    assert codes(r.discipline_check("official", "warning", rules, conditions=["pregnant"])) == ["discipline.protected"]
    assert r.limitation_expires_on(D(2015, 3, 1), "reprimand", rules) == D(2020, 3, 1)
    assert r.limitation_expires_on(D(2015, 3, 1), "warning", rules) == D(2025, 3, 1)
    assert r.limitation_expires_on(D(2015, 3, 1), "expulsion", rules) is None
    assert r.limitation_expires_on(D(2015, 3, 1), "reprimand", rules, category="corruption") is None
    assert codes(r.discipline_check("official", "reprimand", rules, on=D(2025, 8, 1), violation_on=D(2019, 1, 1))) == [
        "discipline.time_barred"
    ]
    assert r.discipline_check("official", "expulsion", rules, on=D(2025, 8, 1), violation_on=D(1990, 1, 1)) == []


def test_the_limitation_period_allows_its_own_last_day():
    rules = r.rules_on(D(2025, 8, 1))
    last = r.limitation_expires_on(D(2020, 3, 1), "reprimand", rules)
    assert last == D(2025, 3, 1)
    assert r.discipline_check("official", "reprimand", rules, on=last, violation_on=D(2020, 3, 1)) == []
    assert codes(r.discipline_check(
        "official", "reprimand", rules, on=last + dt.timedelta(days=1), violation_on=D(2020, 3, 1)
    )) == ["discipline.time_barred"]


def test_each_protected_condition_refuses_discipline():
    rules = r.rules_on(D(2025, 8, 1))
    for condition in rules.discipline_protected:
        assert codes(r.discipline_check("official", "warning", rules, conditions=[condition])) == ["discipline.protected"]
    assert r.PROTECTED_CONDITION_LABELS.keys() == set(rules.discipline_protected)


def test_discipline_lapses_after_12_months_except_expulsion():
    assert r.discipline_lapses_on(D(2024, 2, 29), "warning", QD24) == D(2025, 2, 28)
    assert r.discipline_lapses_on(D(2024, 3, 1), "expulsion", QD24) is None
    assert r.discipline_lapses_on(D(2024, 3, 1), "warning", QD24, new_violation_on=D(2024, 9, 1)) is None


@pytest.mark.parametrize(
    "sex, birth, kwargs, expected",
    [
        ("M", D(1960, 1, 1), {"treatment_months": 3}, []),
        ("M", D(1966, 1, 1), {"treatment_months": 3}, ["exemption.too_young"]),
        ("F", D(1966, 1, 1), {"medical_record": True}, []),
        ("F", D(1966, 1, 1), {"treatment_months": 2}, ["exemption.health"]),
        ("F", D(1966, 1, 1), {"medical_record": True, "voluntary": False}, ["exemption.not_voluntary"]),
    ],
)
def test_exemption_on_grounds_of_age(sex, birth, kwargs, expected):
    assert codes(r.exemption_check(birth, sex, D(2025, 1, 1), QD24, **kwargs)) == expected


@pytest.mark.parametrize(
    "months, purpose, expected",
    [(2, "work", ["transfer.too_short"]), (3, "work", []), (11, "work", []), (12, "work", ["transfer.too_long"]),
     (24, "training", []), (25, "training", ["transfer.too_long"])],
)
def test_temporary_transfer_duration(months, purpose, expected):
    assert codes(r.temporary_transfer_check(months, purpose, QD24)) == expected


# --- Status machine ----------------------------------------------------------------------------


ADMISSION = [
    Action.ATTEND_AWARENESS_COURSE, Action.ACCEPT_AS_SYMPATHIZER, Action.COMPLETE_DOSSIER, Action.CELL_APPROVES,
    Action.COMMITTEE_APPROVES, Action.DECIDE_ADMISSION, Action.HOLD_CEREMONY,
]


def test_the_normal_path_to_official_member():
    assert r.replay_actions(ADMISSION) == Stage.PROBATIONARY
    assert r.replay_actions([*ADMISSION, Action.MAKE_OFFICIAL, Action.ISSUE_CARD]) == Stage.OFFICIAL


@pytest.mark.parametrize(
    "state, action, code",
    [
        (Stage.SYMPATHIZER, Action.MAKE_OFFICIAL, "lifecycle.not_allowed"),
        (Stage.PROBATIONARY, Action.ISSUE_CARD, "lifecycle.not_allowed"),
        (Stage.DIED, Action.RESTORE, "lifecycle.after_death"),
        (Stage.DIED, Action.AWARD_BADGE, "lifecycle.after_death"),
        (Stage.RESIGNED, Action.DISCIPLINE_EXPULSION, "lifecycle.not_a_member"),
        (Stage.OUTSTANDING_MASS, Action.DISCIPLINE_EXPULSION, "lifecycle.not_allowed"),
        (Stage.RESIGNED, Action.RESTORE, "lifecycle.not_a_member"),
    ],
)
def test_impossible_actions_are_refused_with_a_reason(state, action, code):
    with pytest.raises(r.RuleViolation) as info:
        r.apply(state, action)
    assert info.value.code == code
    assert info.value.params["stage"] == state


def test_readmission_only_once():
    path = [*ADMISSION, Action.MAKE_OFFICIAL, Action.REMOVE, Action.READMIT, Action.MAKE_OFFICIAL, Action.REMOVE]
    assert r.replay_actions(path) == Stage.REMOVED
    with pytest.raises(r.RuleViolation) as info:
        r.replay_actions([*path, Action.READMIT])
    assert info.value.code == "lifecycle.readmitted_too_often"


def test_transition_table_is_closed_and_every_stage_is_reachable():
    seen, todo = {Stage.OUTSTANDING_MASS}, [Stage.OUTSTANDING_MASS]
    while todo:
        for target in r.TRANSITIONS[todo.pop()].values():
            assert target in r.TRANSITIONS
            if target not in seen:
                seen.add(target)
                todo.append(target)
    assert seen == set(Stage)
    assert r.TRANSITIONS[Stage.DIED] == {}


def test_discipline_actions_match_the_allowed_forms():
    for rules in r.REGULATIONS:
        for stage in Stage:
            machine = {form for action, form in r.DISCIPLINE_ACTIONS.items() if action in r.TRANSITIONS[stage]}
            assert machine == set(r.allowed_discipline_forms(stage, rules)), (rules.code, stage)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(list(Action)), max_size=40), st.sampled_from(list(Stage)))
def test_no_action_sequence_reaches_an_impossible_state(actions, start):
    stage = start
    was_probationary = start in (Stage.PROBATIONARY, Stage.READMITTED, Stage.OFFICIAL, Stage.EXEMPTED)
    readmissions, applied = 0, []
    for action in actions:
        try:
            after = r.apply(stage, action)
        except r.RuleViolation as exc:
            assert action not in r.TRANSITIONS[stage]
            assert exc.code
            continue
        assert stage != Stage.DIED  # nothing after death
        if action == Action.DISCIPLINE_EXPULSION:
            assert stage in (Stage.OFFICIAL, Stage.EXEMPTED)  # only an official member is expelled
        if action == Action.ISSUE_CARD:
            assert stage in (Stage.OFFICIAL, Stage.EXEMPTED)
        if after == Stage.OFFICIAL and stage not in (Stage.OFFICIAL, Stage.EXEMPTED):
            assert was_probationary or stage in (Stage.REMOVED, Stage.EXPELLED)
            assert stage in (Stage.PROBATIONARY, Stage.READMITTED, Stage.REMOVED, Stage.EXPELLED)
        if after == Stage.PROBATIONARY and stage != Stage.PROBATIONARY:
            assert stage in (Stage.ADMISSION_DECIDED, Stage.PROBATION_REMOVED)
        if after in r.ENDED_STAGES and after != stage:
            assert stage in r.MEMBER_STAGES  # only a member can leave the Party
        if action == Action.READMIT:
            readmissions += 1
        was_probationary = was_probationary or after in (Stage.PROBATIONARY, Stage.READMITTED)
        applied.append(action)
        stage = after
    if readmissions > 1:  # the history rule: readmitted at most once
        with pytest.raises(r.RuleViolation) as info:
            r.replay_actions(applied, start)
        assert info.value.code == "lifecycle.readmitted_too_often"
    else:
        assert r.replay_actions(applied, start) == stage


def test_refusal_text_is_translatable_and_formats_dates():
    from django.utils import translation

    refusal = r.recognition_check(D(2022, 3, 15), D(2022, 9, 1), QD24)[0]
    assert "15/03/2023" in refusal.text and "01/09/2022" in refusal.text
    assert refusal.params["end"] == D(2023, 3, 15)
    assert str(refusal) == refusal.text
    vietnamese = refusal.text
    with translation.override("en"):
        assert refusal.text != vietnamese and "15/03/2023" in refusal.text


def test_rule_sets_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        QD24.probation_months = 6  # type: ignore[misc]
    with pytest.raises(TypeError):
        QD24.badge_delay_months["reprimand"] = 1  # type: ignore[index]
    assert QD24.vote_threshold == Fraction(2, 3)


# --- The administrator's rules file -------------------------------------------------------------


def test_rules_on_reads_the_administrators_rules_file_everywhere(settings, tmp_path):
    settings.DANGVU_RULES_FILE = tmp_path / "none.toml"
    day = D(2026, 2, 3)
    assert r.rules_on(day).badge_award_rule == "first_occasion_on_or_after"
    path = tmp_path / "rules.toml"
    path.write_text('badge_award_rule = "first_occasion_after"\nawareness_certificate_valid_months = 36\n')
    settings.DANGVU_RULES_FILE = path
    rules = r.rules_on(day)
    assert (rules.badge_award_rule, rules.awareness_certificate_valid_months) == ("first_occasion_after", 36)
    assert rules.overridden == ("awareness_certificate_valid_months", "badge_award_rule")
    assert r.badge_due_on(day, D(1996, 2, 3), [], rules) is None  # the award rule honoured
    assert r.rules_on(day, {}).badge_award_rule == "first_occasion_on_or_after"  # explicit: no file

