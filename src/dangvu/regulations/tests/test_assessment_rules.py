"""The assessment's rules: scales by year, points, the mapping across scales, the cap, the hard limits,
who is not rated, and the administrator's settings of the UNCONFIRMED ones."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.utils import translation

from dangvu import regulations as R
from dangvu.regulations.assessment import MEMBER, MEMBERS, ORGANIZATION, ORGANIZATIONS, SUBORDINATE_CELLS

D = dt.date


@pytest.mark.parametrize("year, code", [(2004, "hd27_2014"), (2017, "hd27_2014"), (2018, "qd132_2018"),
                                        (2022, "qd132_2018"), (2023, "qd124_2023"), (2024, "qd124_2023"),
                                        (2025, "qd366_2025"), (2030, "qd366_2025")])
def test_each_year_has_its_scale(year, code):
    assert R.scale_for(year).code == code


@pytest.mark.parametrize("year, regulation", [(2004, "HD 27"), (2018, "HD 16"), (2019, "HD 21"), (2022, "HD 21"),
                                              (2023, "QĐ 124"), (2025, "QĐ 366"), (2031, "QĐ 366")])
def test_each_year_has_its_rules_with_the_scale_in_force(year, regulation):
    rules = R.assessment_rules(year, {})
    assert regulation in rules.code and rules.scale == R.scale_for(year)


def test_labels_are_matched_by_folded_text_and_subject():
    scale = R.scale_for(2024)
    for label in ("Hoàn thành xuất sắc nhiệm vụ", "HOAN THANH XUAT SAC NHIEM VU", "hoàn_thành  xuất sắc nhiệm-vụ", "HTXSNV"):
        assert scale.match(label, MEMBER).key == "excellent"
    old = R.scale_for(2016)
    assert old.match("Trong sạch vững mạnh", ORGANIZATION).key == "clean_strong"
    assert old.match("Trong sạch vững mạnh", MEMBER) is None  # organizations only
    assert old.match("Không hoàn thành nhiệm vụ", ORGANIZATION) is None  # members only: organizations are "yếu kém"
    assert old.labels(ORGANIZATION) != old.labels(MEMBER)
    assert scale.match("Trong sạch vững mạnh", ORGANIZATION) is None


def test_points_map_to_levels_on_the_2025_scale_only():
    scale = R.scale_for(2025)
    assert [scale.level_for_points(p).key for p in (100, 90, 89.5, 70, 69, 50, 49, 0)] == [
        "excellent", "excellent", "good", "good", "completed", "completed", "not_completed", "not_completed"]
    assert not R.scale_for(2024).has_points and R.scale_for(2024).level_for_points(95) is None


def test_the_mapping_across_scales_is_total_and_lands_on_the_common_keys():
    for scale in R.SCALES:
        for level in scale.levels:
            assert R.common_key(scale.code, level.key) in R.COMMON_KEYS
        assert set(R.COMMON_KEY[scale.code]) == {lv.key for lv in scale.levels}
    assert set(R.COMMON_KEY) == {s.code for s in R.SCALES}
    assert R.common_key("hd27_2014", "clean_strong") == "excellent" and R.common_key("hd27_2014", "weak") == "not_completed"


def test_the_cap_follows_the_regulation_of_the_year():
    assert R.assessment_rules(2018, {}).excellent_cap_ratio is None
    hd21 = R.assessment_rules(2020, {})
    assert hd21.excellent_cap_ratio == Fraction(1, 5) and hd21.excellent_cap_groups == (MEMBERS,)
    assert hd21.cap_allows(MEMBERS, good=10, excellent=2) and not hd21.cap_allows(MEMBERS, good=10, excellent=3)
    assert hd21.cap_allows(ORGANIZATIONS, good=1, excellent=5)  # no cap on organizations found in HD 21
    qd366 = R.assessment_rules(2025, {})
    assert not qd366.cap_allows(SUBORDINATE_CELLS, good=4, excellent=1)  # collectives too: 1 > 20% of 4
    assert "excellent_cap_ratio" not in qd366.unconfirmed  # QĐ 366 Art. 11 §1.5, read
    refusal = R.cap_refusal(qd366, group=MEMBERS, good=8, excellent=2, org="Đảng bộ xã Nà Hỳ")
    assert refusal.code == "assessment.excellent_over_cap" and "20%" in refusal.text and "Nà Hỳ" in refusal.text


def test_unconfirmed_rules_are_set_by_the_administrator_and_only_those():
    overrides = {"excellent_cap_ratio": 0.25, "excellent_cap_base_includes_excellent": True,
                 "excellent_cap_groups": ["members", "organizations"]}
    qd124 = R.assessment_rules(2023, overrides)
    assert qd124.excellent_cap_ratio == Fraction(1, 4) and qd124.cap_base(good=8, excellent=2) == 10
    assert qd124.excellent_cap_groups == (MEMBERS, ORGANIZATIONS) and len(qd124.overridden) == 3
    qd366 = R.assessment_rules(2025, overrides)  # the ratio and the groups are read in QĐ 366: the text wins
    assert qd366.excellent_cap_ratio == Fraction(1, 5) and qd366.overridden == ("excellent_cap_base_includes_excellent",)
    with pytest.raises(R.RuleViolation) as exc:
        R.assessment_rules(2023, {"excellent_cap_ratio": 2})
    assert exc.value.code == "rules.override_invalid"
    with pytest.raises(R.RuleViolation):
        R.assessment_rules(2023, {"excellent_cap_groups": ["everyone"]})
    # the lifecycle's rules leave the assessment's settings to it, and the other way round
    assert R.rules_on(D(2024, 1, 1), overrides).overridden == ()
    assert R.assessment_rules(2023, {"badge_award_rule": "first_occasion_after"}).overridden == ()


def test_the_cells_proposal_needs_more_than_half_of_the_members_due():
    for year in (2010, 2018, 2020, 2024, 2025):
        rules = R.assessment_rules(year, {})
        assert rules.proposal_majority == Fraction(1, 2) and "proposal_majority" in rules.unconfirmed
        source = rules.sources["proposal_majority"]  # translated when shown: Vietnamese by default, English msgid
        assert "Điều 10" in source and "CHƯA XÁC NHẬN" in source
        with translation.override("en"):
            assert "UNCONFIRMED" in str(source)
    rules = R.assessment_rules(2024, {})
    assert not rules.proposal_passes(6, 3) and rules.proposal_passes(6, 4) and rules.proposal_passes(7, 4)
    assert R.proposal_vote_refusal(rules, votes_due=7, votes_for=4) is None
    refusal = R.proposal_vote_refusal(rules, votes_due=6, votes_for=3)
    assert refusal.code == "assessment.proposal_without_majority" and refusal.params["needed"] == 4
    assert "50%" in refusal.text
    two_thirds = R.assessment_rules(2024, {"proposal_majority": "2/3"})  # UNCONFIRMED: the administrator's
    assert not two_thirds.proposal_passes(6, 4) and two_thirds.proposal_passes(6, 5)
    assert two_thirds.overridden == ("proposal_majority",)
    with pytest.raises(R.RuleViolation):
        R.assessment_rules(2024, {"proposal_majority": 1})


def test_hard_limits():
    rules = R.assessment_rules(2024, {})
    assert R.limit_refusals(rules, key="good", group=MEMBERS) == []
    [refusal] = R.limit_refusals(rules, key="completed", group=MEMBERS, disciplined=True)
    assert refusal.code == "assessment.disciplined"
    assert R.limit_refusals(rules, key="not_completed", group=MEMBERS, disciplined=True) == []
    assert R.limit_refusals(rules, key="good", group=MEMBERS, disciplined=True, exception_reason="Tự phát hiện") == []
    hd21 = R.assessment_rules(2020, {})  # no exception before QĐ 124
    assert R.limit_refusals(hd21, key="good", group=MEMBERS, disciplined=True, exception_reason="Tự phát hiện")
    codes = [r.code for r in R.limit_refusals(rules, key="good", group=ORGANIZATIONS, units_total=10,
                                               units_disciplined=3, targets_met=Fraction(2, 5))]
    assert codes == ["assessment.units_disciplined", "assessment.targets"]
    assert R.limit_refusals(rules, key="good", group=ORGANIZATIONS, units_total=10, units_disciplined=2) == []  # 20%
    qd366 = R.assessment_rules(2025, {})
    assert [r.code for r in R.limit_refusals(qd366, key="excellent", group=SUBORDINATE_CELLS, points=95,
                                              units_total=10, units_disciplined=1)] == ["assessment.excellent_unit_disciplined"]
    assert [r.code for r in R.limit_refusals(qd366, key="good", group=MEMBERS, points=65)] == ["assessment.points_too_low"]
    assert R.limit_refusals(qd366, key="completed", group=MEMBERS, points=95) == []  # a lower level is the authority's


def test_who_is_not_rated():
    rules = R.assessment_rules(2025, {})
    assert R.not_rated_reason(rules, exempted=True).code == "assessment.not_rated_exempted"
    assert R.not_rated_reason(rules, suspended=True).code == "assessment.not_rated_suspended"
    recent = R.not_rated_reason(rules, admitted_on=D(2025, 7, 1), day=D(2025, 12, 15))
    assert recent.code == "assessment.not_rated_recent" and "01/07/2025" in recent.text
    assert R.not_rated_reason(rules, admitted_on=D(2025, 6, 15), day=D(2025, 12, 15)) is None


def test_the_cap_message_says_how_many_may_be_excellent_and_when_none_may():
    from django.utils import translation

    qd366 = R.assessment_rules(2025, {})
    with translation.override("vi"):
        some = R.cap_refusal(qd366, group=MEMBERS, good=10, excellent=3, org="Đảng bộ xã Nà Hỳ").text
        none = R.cap_refusal(qd366, group=MEMBERS, good=2, excellent=3, org="Đảng bộ xã Nà Hỳ").text
    assert some.endswith("chỉ được nhiều nhất 2.") and "tối đa" not in some, some
    assert none.endswith("với số này, chưa ai được xếp loại “Hoàn thành xuất sắc nhiệm vụ”."), none
