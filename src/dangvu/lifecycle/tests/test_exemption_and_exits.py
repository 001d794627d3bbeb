"""Exemption from work and party activities, removal, death: each under the rules in force."""

import datetime as dt

import pytest

from dangvu.core.errors import DomainError
from dangvu.lifecycle import services
from dangvu.members.models import MemberStatus
from dangvu.organizations.services import Vote


def test_exemption_on_age_grounds_needs_the_age_and_poor_health(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1970, 1, 1), sex="M")
    with pytest.raises(DomainError):  # 54 years old
        services.exempt(m, on=dt.date(2024, 6, 1), treatment_months=6)
    old = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1960, 1, 1), sex="M")
    with pytest.raises(DomainError):  # old enough, but healthy
        services.exempt(old, on=dt.date(2024, 6, 1))
    services.exempt(old, on=dt.date(2024, 6, 1), treatment_months=4)
    old.refresh_from_db()
    assert old.exempted and old.status == MemberStatus.OFFICIAL
    services.end_exemption(old, on=dt.date(2025, 1, 2))
    old.refresh_from_db()
    assert not old.exempted


def test_an_exemption_refused_for_health_is_reported_at_the_months_of_treatment(tree, make_member):
    old = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1960, 1, 1), sex="M")
    with pytest.raises(DomainError) as exc:
        services.exempt(old, on=dt.date(2024, 6, 1), treatment_months=1)
    assert exc.value.field == "treatment_months"
    young = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1990, 1, 1), sex="M")
    with pytest.raises(DomainError) as exc:  # too young: the ground chosen is at fault
        services.exempt(young, on=dt.date(2024, 6, 1), treatment_months=6)
    assert exc.value.field == "ground"


def test_an_action_the_history_refuses_on_its_date_is_reported_at_the_date(tree, make_member):
    """Ending an exemption before it began: the member's history refuses it, at the date the user gave
    (not at the top of the form)."""
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1990, 1, 1), sex="F")
    services.exempt(m, on=dt.date(2024, 6, 1), ground="maternity_leave")
    with pytest.raises(DomainError) as exc:
        services.end_exemption(m, on=dt.date(2024, 5, 1))
    assert exc.value.field == "on"


def test_temporary_exemption_on_a_listed_ground_skips_the_age_test(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1990, 1, 1), sex="F")
    services.exempt(m, on=dt.date(2024, 6, 1), ground="maternity_leave")
    m.refresh_from_db()
    assert m.exempted
    with pytest.raises(DomainError):
        services.exempt(make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19)), on=dt.date(2024, 6, 1),
                        ground="holiday")


def test_a_probationary_member_is_not_exempted(tree, make_member):
    m = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with pytest.raises(DomainError):
        services.exempt(m, on=dt.date(2024, 6, 1), ground="maternity_leave")


def test_removal_needs_a_ground_that_suits_the_status(tree, make_member):
    official = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    probationer = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    with pytest.raises(DomainError):
        services.remove(official, on=dt.date(2024, 6, 1), ground="probation_not_recognised")
    with pytest.raises(DomainError):
        services.remove(probationer, on=dt.date(2025, 6, 1), ground="no_progress")
    services.remove(probationer, on=dt.date(2025, 6, 1), ground="probation_not_recognised")
    services.remove(official, on=dt.date(2024, 6, 1), ground="absent_or_unpaid", vote=Vote(9, 9, 7))
    for m in (official, probationer):
        m.refresh_from_db()
        assert m.status == MemberStatus.REMOVED


def test_nothing_can_be_recorded_after_death(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    services.record_death(m, on=dt.date(2024, 6, 1))
    with pytest.raises(DomainError):
        services.resign(m, on=dt.date(2024, 7, 1))
    with pytest.raises(DomainError):
        services.issue_card(m, number="01234567", issued_on=dt.date(2024, 7, 1))
    m.refresh_from_db()
    assert m.status == MemberStatus.DIED


def test_the_grounds_of_removal_name_the_months_and_years_of_the_rules(tree, make_member, settings, tmp_path):
    """The labels of the grounds read the rules in force on the day (never a literal): an administrator's setting
    (UNCONFIRMED under QĐ 29) shows in the note a removal records; under QĐ 24 the text wins."""
    from dangvu import regulations as R

    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text(
        "removal_unpaid_dues_months = 4\nremoval_no_progress_months = 18\nremoval_consecutive_failed_years = 3\n")
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    event = services.remove(m, on=dt.date(2019, 6, 1), ground="absent_or_unpaid")
    assert event.note == "Bỏ sinh hoạt đảng hoặc không đóng đảng phí 4 tháng trong năm mà không có lý do chính đáng"
    labels = services.removal_ground_labels(R.rules_on(dt.date(2019, 6, 1)))
    assert labels["no_progress"] == "Chi bộ đã giáo dục nhưng sau 18 tháng không tiến bộ"
    assert labels["two_years_failed"] == "3 năm liền vi phạm tư cách đảng viên"
    labels = services.removal_ground_labels(R.rules_on(dt.date(2024, 6, 1)))
    assert "3 tháng" in labels["absent_or_unpaid"] and "12 tháng" in labels["no_progress"]
    assert labels["two_years_failed"].startswith("2 năm liền") and set(labels) == set(services.REMOVAL_GROUNDS)


def test_maternity_leave_is_a_ground_for_women_members_only(tree, make_member):
    man = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1990, 1, 1), sex="M")
    with pytest.raises(DomainError) as exc:
        services.exempt(man, on=dt.date(2024, 6, 1), ground="maternity_leave")
    assert exc.value.field == "ground" and "nữ" in exc.value.message
    man.refresh_from_db()
    assert not man.exempted


@pytest.mark.parametrize(("record", "shown"), [
    (lambda m: services.exempt(m, on=dt.date(2024, 6, 1), ground="maternity_leave"), "Tạm miễn: nghỉ thai sản"),
    (lambda m: services.remove(m, on=dt.date(2024, 6, 1), ground="card_returned", note="Biên bản ngày 20/5"),
     "Tự ý trả lại hoặc tự hủy thẻ đảng viên"),
])
def test_the_history_shows_the_ground_by_its_label_not_its_code(tree, make_member, record, shown):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1990, 1, 1), sex="F")
    event = record(m)
    assert event.value_display == shown


def test_a_removal_s_ground_is_not_shown_twice_when_the_note_is_its_label(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    event = services.remove(m, on=dt.date(2024, 6, 1), ground="card_returned")
    assert event.note == "Tự ý trả lại hoặc tự hủy thẻ đảng viên" and event.value_display == ""
