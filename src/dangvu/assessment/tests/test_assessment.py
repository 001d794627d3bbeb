"""Ratings: scales by year, folded label matching, one rating per year and subject, cap warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction

from dangvu.assessment.models import Rating
from dangvu.assessment.scales import MEMBER, ORGANIZATION
from dangvu.assessment.services import (
    cap_warnings,
    excellent_cap,
    excellent_share_warnings,
    match_rating,
    record_rating,
    scale_for_year,
)
from dangvu.core.audit import audit_context
from dangvu.core.errors import DomainError

D = dt.date


@pytest.mark.parametrize("year, code", [(2014, "hd27_2014"), (2017, "hd27_2014"), (2018, "qd132_2018"),
                                        (2022, "qd132_2018"), (2023, "qd124_2023"), (2024, "qd124_2023"),
                                        (2025, "qd366_2025"), (2030, "qd366_2025")])
def test_each_year_has_its_scale(year, code):
    assert scale_for_year(year).code == code


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
    groups = {"X01": ["excellent", "excellent", "good", "good", "good"], "X02": ["excellent"] + ["good"] * 4}
    warnings = cap_warnings(2024, groups)
    assert [(w.group, w.base, w.excellent) for w in warnings] == [("X01", 5, 2)]  # 40% > 20%; X02 at 20% is fine
    assert "UNCONFIRMED" not in warnings[0].message("Đảng bộ xã Nà Hỳ")
    assert cap_warnings(2016, groups) == []
    assert excellent_cap(2019).confirmed and not excellent_cap(2025).confirmed


def test_the_cap_is_a_share_of_those_rated_good_not_of_all_rated():
    # 3 excellent, 9 good, 6 only "completed": 3/18 = 17% of all rated, but 3/12 = 25% of those rated good or better
    groups = {"X01": ["excellent"] * 3 + ["good"] * 9 + ["completed"] * 6}
    [warning] = cap_warnings(2024, groups)
    assert (warning.base, warning.excellent) == (12, 3)
    assert "25,0%" in warning.message("X01")
    assert cap_warnings(2024, {"X01": ["excellent"] * 2 + ["good"] * 8 + ["not_completed"] * 5}) == []  # 20%: at the cap


def test_the_cap_ratio_and_its_base_are_configurable(settings):
    groups = {"X01": ["excellent"] * 2 + ["good"] * 8}
    assert cap_warnings(2024, groups) == []  # 2 of 10 rated good or better
    settings.EXCELLENT_CAP_BASE_INCLUDES_EXCELLENT = False
    [warning] = cap_warnings(2024, groups)  # 2 of the 8 rated good only: 25%
    assert warning.base == 8 and "or better" not in warning.message("X01")
    settings.EXCELLENT_CAP_RATIO = 0.25
    assert cap_warnings(2024, groups) == []


def test_excellent_share_warnings_group_members_by_their_grassroots_organization(tree, make_member):
    members = [make_member(tree["C01" if i % 2 else "C02"], made_official_on=D(2016, 5, 19)) for i in range(4)]
    other = make_member(tree["X02"], made_official_on=D(2016, 5, 19))
    for m, label in zip(members, ["HTXSNV", "HTXSNV", "HTTNV", "HTTNV"], strict=True):
        record_rating(year=2024, label=label, member=m)
    record_rating(year=2024, label="HTXSNV", member=other)
    warnings = excellent_share_warnings(2024)
    assert {(w.group, w.base, w.excellent) for w in warnings} == {("Đảng bộ xã Nà Hỳ", 4, 2),
                                                                    ("Chi bộ Trường THCS Nà Bủng", 1, 1)}
    assert excellent_share_warnings(2023) == []
