"""The rules package (dangvu.regulations): rule sets by regulation and date, the checks, and the status machine.

Pure functions: no database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvu import regulations as r
from dangvu.core.calendar import add_working_days, is_working_day
from dangvu.core.errors import DomainError
from dangvu.regulations import Introducer

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
    rules = r.rules_on(D(2022, 6, 1), {"awareness_certificate_valid_months": 36, "vote_denominator_excludes": ["exempted"]})
    assert rules.awareness_certificate_valid_months == 36
    assert rules.vote_denominator_excludes == ("exempted",)
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
        (9, 6, 4, {"suspended": 3}, True),  # so do suspended members (the list is UNCONFIRMED)
        (9, 6, 4, {"guests": 3}, False),  # a category the rules do not list stays in
        (3, 0, 0, {"exempted": 3}, False),
    ],
)
def test_vote_threshold_and_denominator(due, present, votes_for, excluded, expected):
    assert r.vote_passes(due, present, votes_for, QD24, excluded=excluded) is expected


def test_vote_denominator_follows_an_override():
    rules = r.rules_on(D(2022, 6, 1), {"vote_denominator_excludes": ["exempted"]})
    assert not r.vote_passes(9, 6, 4, rules, excluded={"suspended": 3})
    assert r.vote_passes(9, 6, 4, rules, excluded={"exempted": 3})
    assert r.vote_denominator(9, rules, {"suspended": 3, "exempted": 1}) == 8
    assert r.vote_denominator(9, QD24, {"suspended": 3, "exempted": 1}) == 5


@pytest.mark.parametrize("due, present, votes_for", [(5, 6, 4), (5, 3, 4), (5, 5, -1), (3_000_000_000,) * 3])
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


