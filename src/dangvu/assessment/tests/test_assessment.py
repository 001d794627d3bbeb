"""Ratings: scales by year, folded label matching, one rating per year and subject, cap warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction

from dangvu.assessment.models import Rating
from dangvu.assessment.services import cap_warnings, match_rating, record_rating
from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError
from dangvu.regulations.assessment import MEMBER, ORGANIZATION

D = dt.date


@pytest.mark.parametrize("label", ["Hoàn thành xuất sắc nhiệm vụ", "HOAN THANH XUAT SAC NHIEM VU",
                                   "hoàn_thành  xuất sắc nhiệm-vụ", "HTXSNV"])
def test_labels_are_matched_by_folded_text(label):
    assert match_rating(2024, label, MEMBER).key == "excellent"


def test_older_scales_have_their_own_keys_and_subjects():
    assert match_rating(2016, "Trong sạch vững mạnh", ORGANIZATION).key == "clean_strong"
    assert match_rating(2016, "Yếu kém", ORGANIZATION).key == "weak"
    assert match_rating(2016, "Hoàn thành tốt nhiệm vụ", MEMBER).key == "good"
    with pytest.raises(DomainError):
        match_rating(2016, "Trong sạch vững mạnh", MEMBER)  # organizations only
    with pytest.raises(DomainError):
        match_rating(2024, "Trong sạch vững mạnh", ORGANIZATION)  # not a label of the current scale


def test_record_rating_creates_then_corrects_and_is_audited(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    with audit_context(source="web"):
        r = record_rating(year=2024, label="Hoàn thành tốt nhiệm vụ", member=m)
        record_rating(year=2024, label="Hoàn thành xuất sắc nhiệm vụ", member=m)
    r.refresh_from_db()
    assert (r.key, r.scale, Rating.objects.count()) == ("excellent", "qd124_2023", 1)
    assert LogEntry.objects.get_for_object(r).count() == 2
    org = record_rating(year=2016, label="TSVM", organization=tree["X01"])
    assert org.key == "clean_strong" and org.label == "TSVM"
    with pytest.raises(DomainError):
        record_rating(year=2024, label="Tốt", member=m)
    with pytest.raises(DomainError):
        record_rating(year=2024, label="Hoàn thành nhiệm vụ", member=m, organization=tree["X01"])
    with pytest.raises(DomainError):
        record_rating(year=1800, label="Hoàn thành nhiệm vụ", member=m)


def test_one_rating_per_year_and_subject_in_the_database(tree, make_member):
    m = make_member(tree["C01"])
    Rating.objects.create(year=2024, member=m, scale="qd124_2023", key="good", label="Hoàn thành tốt nhiệm vụ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(year=2024, member=m, scale="qd124_2023", key="good", label="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(year=2024, scale="qd124_2023", key="good", label="x")  # neither member nor org
    Rating.objects.create(year=2024, organization=tree["X01"], scale="qd124_2023", key="good", label="x")
    Rating.objects.create(year=2024, organization=tree["X02"], scale="qd124_2023", key="good", label="x")


def test_cap_warnings_are_pure_and_start_in_2019():
    groups = {"X01": ["excellent", "excellent"] + ["good"] * 5, "X02": ["excellent"] + ["good"] * 5}
    warnings = cap_warnings(2020, groups)
    assert [(w.group, w.good, w.excellent) for w in warnings] == [("X01", 5, 2)]  # 2 > 20% of 5; X02 at 20% is fine
    assert "not confirmed" not in warnings[0].message("Đảng bộ xã Nà Hỳ")  # HD 21, read
    assert "Nà Hỳ" in warnings[0].message("Đảng bộ xã Nà Hỳ")
    assert cap_warnings(2016, groups) == [] and cap_warnings(2018, groups) == []
    assert cap_warnings(2024, groups)[0].message("X01").endswith(")")  # QĐ 124's cap: not read


def test_the_cap_is_a_share_of_those_rated_good_not_of_all_rated():
    # 3 excellent, 12 good, 6 only "completed": 3 is 14% of all rated but 25% of the 12 rated good
    [warning] = cap_warnings(2024, {"X01": ["excellent"] * 3 + ["good"] * 12 + ["completed"] * 6})
    assert (warning.good, warning.excellent) == (12, 3)
    assert cap_warnings(2024, {"X01": ["excellent"] * 2 + ["good"] * 10 + ["not_completed"] * 5}) == []  # at the cap


def test_the_cap_ratio_and_its_base_are_set_in_the_rules_file(settings, tmp_path):
    groups = {"X01": ["excellent"] * 2 + ["good"] * 8}
    [warning] = cap_warnings(2024, groups)  # 2 of the 8 rated good: 25%
    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text("excellent_cap_base_includes_excellent = true\n")
    assert cap_warnings(2024, groups) == []  # 2 of the 10 rated good or better
    settings.DANGVU_RULES_FILE = tmp_path / "rules2.toml"
    settings.DANGVU_RULES_FILE.write_text("excellent_cap_ratio = 0.25\n")
    assert cap_warnings(2024, groups) == []
    assert cap_warnings(2025, groups)  # QĐ 366 states 20%: the setting does not apply
