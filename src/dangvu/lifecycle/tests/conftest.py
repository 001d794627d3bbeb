"""Fixtures of the lifecycle tests: the district's organizer, a chi bộ cơ sở older than any date here, the
member the document tests print."""

import datetime as dt

import pytest

from dangvu.lifecycle import services
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event
from dangvu.organizations.services import Decision, Vote


@pytest.fixture
def organizer(tree, make_user):
    return make_user("bantochuc", tree["H01"], role="organizer")


@pytest.fixture
def old_cell(tree):
    """A chi bộ cơ sở that has existed since before any date here (members admitted in the 1990s)."""
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    return organization_establish(code="C00", name="Chi bộ Trạm y tế", kind=K.GRASSROOTS_CELL, parent=tree["H01"])


@pytest.fixture
def minh(tree, make_member):
    """Admitted in C01 by a decision of the district standing committee, recognised, moved to C02."""
    m = make_member(
        tree["C01"], name="Lò Văn Minh", admitted_on=dt.date(2015, 5, 19), birth_date=dt.date(1985, 3, 2),
        decision=Decision("125-QĐ/HU", dt.date(2015, 5, 4), "Ban Thường vụ Huyện ủy Mường Lay"),
        home_town="xã Nà Hỳ, huyện Mường Lay", residence="bản Nà Hỳ 1, xã Nà Hỳ", occupation="Giáo viên",
    )
    services.recognize_official(m, decided_on=dt.date(2016, 6, 1), vote=Vote(9, 9, 8),
                                decision=Decision("210-QĐ/HU", dt.date(2016, 6, 1), "Ban Thường vụ Huyện ủy Mường Lay"))
    member_record_event(m, kind=E.MOVED, effective_on=dt.date(2020, 9, 2), cell=tree["C02"],
                        decision=Decision("45-GGT/ĐU", dt.date(2020, 8, 28), "Đảng ủy xã Nà Hỳ"))
    m.refresh_from_db()
    return m
